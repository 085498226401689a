#pragma once

#include "ReplayServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// Canned answers for batch tests against ReplayServer: one queued answer per input (found by a piece of
// its request body), a classifier's labels, and the text input a logged request carried.
namespace idesk::test::BatchAnswers {

// A JSON answer after `delayMs`; with `matchBody`, it answers only a request whose body holds it.
inline QJsonObject answer(int status, const QByteArray &body, int delayMs,
                          const QString &matchBody = QString(), const QJsonObject &headers = {})
{
    QJsonObject behaviour{{QStringLiteral("delay_first_byte_ms"), delayMs}};
    if (!matchBody.isEmpty())
        behaviour.insert(QStringLiteral("match_body"), matchBody);
    return ReplayServer::answerWith(status, QStringLiteral("application/json"), body, headers, behaviour);
}

// A text input as it appears in a JSON body ("inputs": "first"), for `matchBody`.
inline QString quoted(const QString &input)
{
    return QStringLiteral("\"%1\"").arg(input);
}

// A classification answer: `label` with `score`, then "other".
inline QByteArray labels(const QString &label, double score = 0.9)
{
    return QStringLiteral("[{\"label\":\"%1\",\"score\":%2},{\"label\":\"other\",\"score\":%3}]")
        .arg(label)
        .arg(score)
        .arg(1.0 - score)
        .toUtf8();
}

// The "inputs" string of a request in ReplayServer::requests().
inline QString inputsOf(const QJsonValue &request)
{
    return QJsonDocument::fromJson(ReplayServer::body(request.toObject()))
        .object()
        .value(QStringLiteral("inputs"))
        .toString();
}

} // namespace idesk::test::BatchAnswers
