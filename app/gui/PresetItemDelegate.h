#pragma once

#include <QStyledItemDelegate>

namespace idesk {

// Draws a preset row of the presets panel on two lines: the name, and below it, smaller and dimmer,
// the detail (model · task) kept in DetailRole.
class PresetItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    static constexpr int DetailRole = Qt::UserRole + 2;

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace idesk
