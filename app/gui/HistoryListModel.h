#pragma once

#include "HistoryEntry.h"

#include <QAbstractTableModel>
#include <QList>

namespace idesk {

// The History dock's rows: time, model, task, status, ms and "input → answer", formatted only when a row is
// drawn (a list of hundreds of entries is replaced in no time when the history changes).
class HistoryListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, ModelColumn, TaskColumn, StatusColumn, MsColumn, SnippetColumn, ColumnCount };
    static constexpr int IdRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    void setEntries(const QList<HistoryEntry> &entries);
    const QList<HistoryEntry> &entries() const { return m_entries; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<HistoryEntry> m_entries;
};

} // namespace idesk
