#include "VectorsView.h"

#include <QAbstractTableModel>
#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace idesk {

// The rows' number, norm and first values, formatted when a cell is drawn: filling a table widget with
// 2,000 formatted items took several milliseconds of the UI thread per answer.
class VectorRowsModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setRows(const ResultShape::Vectors &vectors, int rows)
    {
        beginResetModel();
        m_norms = vectors.rowNorms.mid(0, rows);
        m_values = vectors.firstValues.mid(0, rows);
        endResetModel();
    }
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_norms.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : 2 + ResultShape::Vectors::maxValues;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DisplayRole || !index.isValid())
            return {};
        const int r = index.row();
        const QLocale locale;
        switch (index.column()) {
        case 0:
            return QString::number(r);
        case 1:
            return locale.toString(m_norms.at(r), 'g', 6);
        default: {
            const QList<double> firsts = m_values.value(r);
            const int c = index.column() - 2;
            return c < firsts.size() ? QVariant(locale.toString(firsts.at(c), 'g', 5)) : QVariant();
        }
        }
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return QAbstractTableModel::headerData(section, orientation, role);
        if (section == 0)
            return VectorsView::tr("Vector");
        if (section == 1)
            return VectorsView::tr("Norm");
        return QStringLiteral("[%1]").arg(section - 2);
    }

private:
    QList<double> m_norms;
    QList<QList<double>> m_values;
};

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
    m_rows = new VectorRowsModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_rows);
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

    m_rows->setRows(v, rows);
    m_table->verticalHeader()->hide();
    m_json = context.result.body;
}

int VectorsView::rowCount() const
{
    return m_rows->rowCount();
}

} // namespace idesk
