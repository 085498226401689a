#include "ScoresView.h"

#include "ScoreBar.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QVBoxLayout>

namespace idesk {

ScoresView::ScoresView(QWidget *parent) : ResultRenderer(parent)
{
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_content = new QWidget(scroll);
    m_layout = new QVBoxLayout(m_content);
    scroll->setWidget(m_content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    setAccessibleName(tr("Scores"));
}

void ScoresView::showResult(const ResultContext &context)
{
    const ResultShape &shape = context.shape;
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_bars = 0;
    QStringList copy;

    auto addLabel = [this](const QString &text, bool bold, bool wrap = true) {
        auto *label = new QLabel(text, m_content);
        label->setWordWrap(wrap);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        if (bold) {
            QFont f = label->font();
            f.setBold(true);
            f.setPointSizeF(f.pointSizeF() * 1.15);
            label->setFont(f);
        }
        m_layout->addWidget(label);
        return label;
    };

    if (!shape.contextTitle.isEmpty()) {
        addLabel(shape.contextTitle, false)->setForegroundRole(QPalette::PlaceholderText);
        copy.append(shape.contextTitle);
    }
    if (!shape.filledSequence.isEmpty()) {
        addLabel(tr("Filled in: %1").arg(shape.filledSequence), true)
            ->setAccessibleName(tr("Best filled sequence"));
        copy.append(shape.filledSequence);
    }
    for (const auto &group : shape.scoreGroups) {
        if (!group.title.isEmpty()) {
            addLabel(group.title, true);
            copy.append(group.title);
        }
        auto *grid = new QGridLayout;
        grid->setHorizontalSpacing(12);
        grid->setColumnStretch(1, 1);
        int labelWidth = 0;
        for (const auto &s : group.items)
            labelWidth = std::max(labelWidth, fontMetrics().horizontalAdvance(s.label));
        grid->setColumnMinimumWidth(0, std::min(labelWidth + 8, 320));
        const int rows = std::min(int(group.items.size()), maxRowsPerGroup);
        for (int i = 0; i < rows; ++i) {
            const auto &s = group.items.at(i);
            auto *name = new QLabel(s.label, m_content);
            name->setWordWrap(true);
            name->setMaximumWidth(420);
            name->setTextInteractionFlags(Qt::TextSelectableByMouse);
            if (!s.sequence.isEmpty())
                name->setToolTip(s.sequence);
            auto *bar = new ScoreBar(s.score, m_content);
            bar->setAccessibleName(tr("%1: %2 percent").arg(s.label).arg(s.score * 100.0, 0, 'f', 1));
            const QString pct = ScoreBar::percentText(s.score);
            auto *value = new QLabel(pct, m_content);
            value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
            value->setMinimumWidth(value->fontMetrics().horizontalAdvance(QStringLiteral("100.00%")) + 4);
            grid->addWidget(name, i, 0);
            grid->addWidget(bar, i, 1);
            grid->addWidget(value, i, 2);
            ++m_bars;
            copy.append(QStringLiteral("%1\t%2").arg(s.label, pct));
        }
        auto *holder = new QWidget(m_content);
        holder->setLayout(grid);
        m_layout->addWidget(holder);
        if (group.items.size() > rows)
            addLabel(tr("%n more label(s) with lower scores: see the JSON tab.", nullptr,
                        int(group.items.size()) - rows),
                     false);
    }
    if (m_bars == 0)
        addLabel(tr("The answer has no labels."), false);
    m_layout->addStretch(1);
    m_copy = copy.join(QLatin1Char('\n'));
}

} // namespace idesk
