#include "PresetItemDelegate.h"

#include <QApplication>
#include <QPainter>

namespace idesk {

namespace {

QFont detailFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() > 0 ? base.pointSizeF() * 0.85 : 8);
    return f;
}

} // namespace

void PresetItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    const QString detail = index.data(DetailRole).toString();
    if (detail.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString name = opt.text;
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QRect r = opt.rect.adjusted(6, 3, -6, -3);
    const bool selected = opt.state & QStyle::State_Selected;
    QFont nameFont = opt.font;
    nameFont.setBold(true);
    const QFontMetrics nameMetrics(nameFont);
    const QFont small = detailFont(opt.font);
    const QFontMetrics smallMetrics(small);

    painter->save();
    painter->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    painter->setFont(nameFont);
    painter->drawText(QRect(r.left(), r.top(), r.width(), nameMetrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      nameMetrics.elidedText(name, Qt::ElideRight, r.width()));
    QColor dim = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText);
    painter->setPen(dim);
    painter->setFont(small);
    painter->drawText(QRect(r.left(), r.top() + nameMetrics.height(), r.width(), smallMetrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(detail, Qt::ElideMiddle, r.width()));
    painter->restore();
}

QSize PresetItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QString detail = index.data(DetailRole).toString();
    if (detail.isEmpty())
        return QStyledItemDelegate::sizeHint(option, index);
    QFont nameFont = option.font;
    nameFont.setBold(true);
    const QFontMetrics nameMetrics(nameFont);
    const QFontMetrics smallMetrics(detailFont(option.font));
    const int width = qMax(nameMetrics.horizontalAdvance(index.data(Qt::DisplayRole).toString()),
                           smallMetrics.horizontalAdvance(detail)) +
                      12;
    return QSize(qMin(width, 400), nameMetrics.height() + smallMetrics.height() + 6);
}

} // namespace idesk
