#include "BatchTableModel.h"

#include "BatchRunner.h"

namespace idesk {

BatchTableModel::BatchTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void BatchTableModel::setRunner(BatchRunner *runner)
{
    beginResetModel();
    if (m_runner)
        m_runner->disconnect(this);
    m_runner = runner;
    m_sending.clear();
    m_summaryColumns = runner ? BatchSummary::columns(runner->templateRequest().task) : QStringList();
    if (runner) {
        connect(runner, &BatchRunner::itemStarted, this, [this](int row) {
            m_sending.insert(row);
            rowChanged(row);
        });
        connect(runner, &BatchRunner::itemFinished, this, [this](int row, const BatchItemResult &) {
            m_sending.remove(row);
            rowChanged(row);
        });
        connect(runner, &BatchRunner::finished, this, [this] {
            // Cancelled inputs are waiting again.
            const QSet<int> rows = m_sending;
            m_sending.clear();
            for (int row : rows)
                rowChanged(row);
        });
    }
    endResetModel();
}

void BatchTableModel::rowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
}

int BatchTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_runner ? 0 : int(m_runner->inputs().size());
}

int BatchTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_summaryColumns.size()) + 3;
}

QVariant BatchTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_runner || !index.isValid() || index.row() >= m_runner->inputs().size())
        return {};
    const BatchInput &input = m_runner->inputs().at(index.row());
    const auto result = m_runner->result(index.row());
    const int column = index.column();
    if (column == 0) {
        if (role == Qt::DisplayRole)
            return input.label().left(200);
        if (role == Qt::ToolTipRole)
            return input.filePath.isEmpty() ? input.label() : input.filePath;
        if (role == FilePathRole)
            return input.filePath;
        return {};
    }
    if (column == statusColumn()) {
        if (role == Qt::DisplayRole) {
            if (result)
                return result->ok ? tr("ok") : tr("failed");
            return m_sending.contains(index.row()) ? tr("sending") : tr("waiting");
        }
        if (role == Qt::ToolTipRole && result && !result->ok)
            return result->error;
        return {};
    }
    if (column == latencyColumn()) {
        if (role == Qt::DisplayRole && result && result->httpStatus)
            return tr("%1 ms").arg(result->ms);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role != Qt::DisplayRole || !result)
        return {};
    const QJsonValue v = result->summary.value(m_summaryColumns.value(column - 1));
    if (v.isDouble())
        return column - 1 < m_summaryColumns.size() &&
                       m_summaryColumns.at(column - 1) == QLatin1String("score")
                   ? QStringLiteral("%1%").arg(v.toDouble() * 100, 0, 'f', 1)
                   : QString::number(v.toDouble());
    return v.toString().left(200);
}

QVariant BatchTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    if (section == 0)
        return tr("Input");
    if (section == statusColumn())
        return tr("Status");
    if (section == latencyColumn())
        return tr("Latency");
    const QString name = m_summaryColumns.value(section - 1);
    return name.isEmpty() ? QVariant() : QVariant(name.left(1).toUpper() + name.mid(1));
}

} // namespace idesk
