#pragma once

#include <QAbstractTableModel>
#include <QPointer>
#include <QSet>
#include <QStringList>

namespace idesk {

class BatchRunner;

// A batch's inputs and results as a table, widget-free, for the app's batch window: one row per input;
// columns Input, the task's summary columns (BatchSummary: label and score, answer, text...), Status and
// Latency. Rows update as the runner sends and finishes inputs. Qt::ToolTipRole on Status gives a failure's
// sentence; FilePathRole on Input a file input's path (for a thumbnail).
class BatchTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role { FilePathRole = Qt::UserRole + 1 };

    explicit BatchTableModel(QObject *parent = nullptr);

    // Follows `runner` (its inputs, template task and results); nullptr clears the table.
    void setRunner(BatchRunner *runner);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int statusColumn() const { return int(m_summaryColumns.size()) + 1; }
    int latencyColumn() const { return int(m_summaryColumns.size()) + 2; }

private:
    void rowChanged(int row);

    QPointer<BatchRunner> m_runner;
    QStringList m_summaryColumns;
    QSet<int> m_sending; // rows in flight
};

} // namespace idesk
