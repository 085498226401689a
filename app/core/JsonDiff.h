#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>

namespace idesk {

// The difference of two JSON values, path by path: what changed, what only one side has. Used to compare
// two answers from the history. Widget-free.
namespace JsonDiff {

struct Change
{
    enum class Kind { Changed, OnlyLeft, OnlyRight };
    Kind kind = Kind::Changed;
    QString path; // "$", "$[0].label", "$.choices[0].message.content"
    QJsonValue left;
    QJsonValue right;
};

// Differences between `left` and `right`, in document order; at most `limit` (the rest are left out).
QList<Change> diff(const QJsonValue &left, const QJsonValue &right, int limit = 500);
// One line per change: "~ $[0].score: 0.91 -> 0.87", "- $[2]: {...}", "+ $.extra: true".
QString describe(const QList<Change> &changes);

} // namespace JsonDiff

} // namespace idesk
