#include "EntitiesView.h"

#include "ScoreBar.h"

#include "LabelColors.h"

#include <QEvent>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTextBrowser>
#include <QTextCursor>
#include <QToolTip>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace idesk {

EntitiesView::EntitiesView(QWidget *parent) : ResultRenderer(parent)
{
    m_text = new QTextBrowser(this);
    m_text->setAccessibleName(tr("Input text with highlighted entities"));
    m_text->viewport()->installEventFilter(this);
    m_text->viewport()->setMouseTracking(true);
    QFont f = m_text->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    m_text->setFont(f);

    m_legend = new QLabel(this);
    m_legend->setWordWrap(true);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setContentsMargins(6, 4, 6, 4);
    m_legend->setAccessibleName(tr("Entity groups"));

    m_list = new QTreeWidget(this);
    m_list->setHeaderLabels({tr("Group"), tr("Text"), tr("Score"), tr("Position")});
    m_list->setRootIsDecorated(false);
    m_list->setAccessibleName(tr("Entities"));
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_text);
    split->addWidget(m_list);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_legend);
    layout->addWidget(split, 1);
}

void EntitiesView::showResult(const ResultContext &context)
{
    const ResultShape &shape = context.shape;
    LabelColors colors(palette());
    m_spans = 0;
    m_groups.clear();
    m_list->clear();

    auto entities = shape.entities;
    std::stable_sort(
        entities.begin(), entities.end(),
        [](const ResultShape::Entity &a, const ResultShape::Entity &b) { return a.start < b.start; });

    m_text->clear();
    QTextCursor cursor(m_text->document());
    QTextCharFormat plain;
    int pos = 0;
    const QString &text = shape.inputText;
    QHash<QString, int> counts;
    for (const auto &e : std::as_const(entities)) {
        if (!m_groups.contains(e.group))
            m_groups.append(e.group);
        counts[e.group]++;
        const QString score = std::isnan(e.score) ? QString() : ScoreBar::percentText(e.score, 1);
        auto *item = new QTreeWidgetItem(
            m_list, {e.group, e.word, score,
                     e.start >= 0 ? QStringLiteral("%1–%2").arg(e.start).arg(e.end) : QString()});
        item->setData(0, Qt::DecorationRole, colors.color(e.group));
        if (e.start < pos || e.start < 0 || e.end > text.size())
            continue; // overlapping or not found in the text: listed, not highlighted
        cursor.insertText(text.mid(pos, e.start - pos), plain);
        QTextCharFormat span;
        span.setBackground(colors.fill(e.group, colors.darkPalette() ? 150 : 110));
        span.setFontWeight(QFont::DemiBold);
        span.setToolTip(score.isEmpty() ? e.group : tr("%1 · score %2").arg(e.group, score));
        span.setProperty(QTextFormat::UserProperty, e.group);
        cursor.insertText(text.mid(e.start, e.end - e.start), span);
        QTextCharFormat tag;
        tag.setForeground(colors.color(e.group));
        tag.setFontWeight(QFont::Bold);
        tag.setVerticalAlignment(QTextCharFormat::AlignSuperScript);
        cursor.insertText(e.group, tag);
        pos = e.end;
        ++m_spans;
    }
    cursor.insertText(text.mid(pos), plain);

    QStringList chips;
    for (const QString &g : std::as_const(m_groups)) {
        const QColor c = colors.color(g);
        chips.append(
            QStringLiteral("<span style=\"background-color:%1; color:%2;\">&nbsp;%3&nbsp;</span>&nbsp;%4")
                .arg(c.name(), colors.textOn(c).name(), g.toHtmlEscaped())
                .arg(counts.value(g)));
    }
    m_legend->setText(chips.isEmpty() ? tr("No entities found in this text.")
                                      : tr("Entity groups:") + QLatin1String("&nbsp;&nbsp;") +
                                            chips.join(QLatin1String("&nbsp;&nbsp;&nbsp;")));

    QStringList copy;
    for (const auto &e : std::as_const(entities))
        copy.append(QStringLiteral("%1\t%2\t%3").arg(e.group, e.word).arg(e.score));
    m_copy = copy.join(QLatin1Char('\n'));
}

bool EntitiesView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_text->viewport() && event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QTextCursor c = m_text->cursorForPosition(help->pos());
        const QString tip = c.charFormat().toolTip();
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, m_text->viewport());
        return true;
    }
    return ResultRenderer::eventFilter(watched, event);
}

} // namespace idesk
