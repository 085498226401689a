#include "HistoryListModel.h"

#include "HistoryText.h"
#include "Scrub.h"

#include <QColor>
#include <QLocale>

namespace idesk {

void HistoryListModel::setEntries(const QList<HistoryEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

int HistoryListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int HistoryListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return QVariant();
    const HistoryEntry &e = m_entries.at(index.row());
    if (role == IdRole)
        return e.id;
    const QString answer = e.ok() ? e.answerSnippet : HistoryText::oneLine(e.error);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: {
            // Today's entries by their time alone; older ones with their day.
            const QDateTime local = e.time.toLocalTime();
            return local.date() == QDate::currentDate()
                       ? QLocale().toString(local.time(), QLocale::ShortFormat)
                       : QLocale().toString(local, QStringLiteral("d MMM HH:mm"));
        }
        case ModelColumn:
            return e.model;
        case TaskColumn:
            return e.task;
        case StatusColumn:
            return (e.pinned ? QStringLiteral("📌 ") : QString()) +
                   (e.status > 0 ? QString::number(e.status) : e.outcome);
        case MsColumn:
            return QLocale().toString(e.ms);
        case SnippetColumn:
            return Scrub::forDisplay(e.inputSnippet + QStringLiteral(" → ") + answer);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ModelColumn)
            return e.model;
        if (index.column() == SnippetColumn)
            return Scrub::forDisplay(e.inputSnippet + QStringLiteral("\n→ ") + answer);
        if (index.column() == TimeColumn)
            return tr("%1 · from %2")
                .arg(QLocale().toString(e.time.toLocalTime(), QLocale::LongFormat), e.source);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == MsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn && !e.ok())
            return QColor(0xc0, 0x30, 0x30);
        break;
    default:
        break;
    }
    return QVariant();
}

QVariant HistoryListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ModelColumn:
        return tr("Model");
    case TaskColumn:
        return tr("Task");
    case StatusColumn:
        return tr("Status");
    case MsColumn:
        return tr("ms");
    case SnippetColumn:
        return tr("Input → answer");
    }
    return QVariant();
}

} // namespace idesk
