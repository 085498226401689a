#include "VectorsView.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace idesk {

VectorsView::VectorsView(QWidget *parent) : ResultRenderer(parent)
{
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleName(tr("Vector shape and statistics"));
    auto *copy = new QPushButton(tr("Copy as JSON"), this);
    copy->setAccessibleName(tr("Copy the vectors as JSON"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(QString::fromUtf8(m_json)); });
    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAccessibleName(tr("Rows: norm and first values"));
    // Fixed widths: measuring every cell of a thousand rows would stall the window on large answers.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setDefaultSectionSize(
        fontMetrics().horizontalAdvance(QStringLiteral("-0.0000000")) + 12);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(copy, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
}

void VectorsView::showResult(const ResultContext &context)
{
    const ResultShape::Vectors &v = context.shape.vectors;
    const QLocale locale;
    QStringList dims;
    for (qint64 n : v.shape)
        dims.append(locale.toString(n));
    m_shapeText = dims.join(QStringLiteral(" × "));
    QStringList summary;
    summary.append(tr("<b>Shape %1</b> — %2 numbers in %n vector(s)", nullptr, int(v.rowCount))
                       .arg(shapeText(), locale.toString(v.count)));
    if (v.ragged)
        summary.append(tr("The rows have different lengths; the shape gives the first ones."));
    summary.append(tr("min %1 · max %2 · mean %3")
                       .arg(locale.toString(v.min, 'g', 5), locale.toString(v.max, 'g', 5),
                            locale.toString(v.mean, 'g', 5)));
    const int rows = std::min(int(v.rowNorms.size()), maxTableRows);
    if (v.rowCount > rows)
        summary.append(tr("The table lists the first %1 vectors.").arg(rows));
    m_summary->setText(summary.join(QLatin1String("<br>")));

    m_table->clear();
    const int values = ResultShape::Vectors::maxValues;
    m_table->setColumnCount(2 + values);
    QStringList headers{tr("Vector"), tr("Norm")};
    for (int i = 0; i < values; ++i)
        headers.append(QStringLiteral("[%1]").arg(i));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(rows);
    for (int r = 0; r < rows; ++r) {
        m_table->setItem(r, 0, new QTableWidgetItem(QString::number(r)));
        m_table->setItem(r, 1, new QTableWidgetItem(locale.toString(v.rowNorms.at(r), 'g', 6)));
        const auto firsts = v.firstValues.value(r);
        for (int c = 0; c < firsts.size(); ++c)
            m_table->setItem(r, 2 + c, new QTableWidgetItem(locale.toString(firsts.at(c), 'g', 5)));
    }
    m_table->verticalHeader()->hide();
    m_json = context.result.body;
}

int VectorsView::rowCount() const
{
    return m_table->rowCount();
}

} // namespace idesk
