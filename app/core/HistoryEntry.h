#pragma once

#include <QDateTime>
#include <QString>

namespace idesk {

// One exchange as the history lists it (HistoryStore): what a list row, `history list` and the search show.
// The request and answer themselves are read with HistoryStore::load() (a SavedResult).
struct HistoryEntry
{
    qint64 id = 0;
    QDateTime time; // when the answer ended, UTC
    QString model;
    QString task;
    QString provider; // the router's provider ("hf-inference", "together"...) or the endpoint's host
    QString endpoint;
    QString source;  // "app", "cli", "preset:NAME", "flow:FILE"
    QString outcome; // SavedResult's outcome names: success, http-error, network-error, timeout...
    int status = 0;  // HTTP status, 0 when none
    qint64 ms = 0;   // send to last byte
    QString error;   // the error sentence ("" on success)
    QString inputSnippet;
    QString answerSnippet;
    bool pinned = false;
    qint64 bytes = 0; // stored size (request + answer, as kept)

    bool ok() const { return outcome == QLatin1String("success"); }
};

// What to list: every filter is optional.
struct HistoryQuery
{
    enum class Status { Any, Ok, Error };
    QString text; // full-text search over input, model, task, error and answer text ("" = no search)
    QString task; // exact task id ("" = any)
    Status status = Status::Any;
    QDateTime from; // inclusive, invalid = no bound
    QDateTime to;   // exclusive, invalid = no bound
    int limit = 200;
};

} // namespace idesk
