#include "TableAnswerView.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace idesk {

TableAnswerView::TableAnswerView(QWidget *parent) : ResultRenderer(parent)
{
    m_query = makeQuestionLabel();
    m_answer = makeAnswerLabel();
    m_detail = new QLabel(this);
    m_detail->setWordWrap(true);
    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAccessibleName(tr("Table with the answer cells highlighted"));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_query);
    layout->addWidget(m_answer);
    layout->addWidget(m_detail);
    layout->addWidget(m_table, 1);
}

void TableAnswerView::showResult(const ResultContext &context)
{
    const ResultShape::TableAnswer &t = context.shape.table;
    m_query->setText(context.shape.contextTitle.isEmpty()
                         ? QString()
                         : tr("Question: %1").arg(context.shape.contextTitle));
    m_answer->setText(t.answer);
    QStringList detail;
    if (!t.aggregator.isEmpty() && t.aggregator != QLatin1String("NONE"))
        detail.append(tr("Aggregator: %1").arg(t.aggregator));
    if (!t.cells.isEmpty())
        detail.append(tr("Cells: %1").arg(t.cells.join(QLatin1String(", "))));
    m_detail->setText(detail.join(QStringLiteral(" · ")));

    m_highlighted = 0;
    m_table->clear();
    m_table->setColumnCount(int(t.columns.size()));
    m_table->setRowCount(int(t.rows.size()));
    m_table->setHorizontalHeaderLabels(t.columns);
    for (int r = 0; r < t.rows.size(); ++r)
        for (int c = 0; c < t.rows.at(r).size(); ++c)
            m_table->setItem(r, c, new QTableWidgetItem(t.rows.at(r).at(c)));
    QColor hl = palette().color(QPalette::Highlight);
    hl.setAlpha(120);
    for (const auto &rc : t.coordinates) {
        if (QTableWidgetItem *item = m_table->item(rc.first, rc.second)) {
            item->setBackground(hl);
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
            item->setToolTip(tr("Answer cell"));
            ++m_highlighted;
        }
    }
    m_table->setVisible(!t.columns.isEmpty());
    m_copy = t.answer;
}

} // namespace idesk
