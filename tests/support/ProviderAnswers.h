#pragma once

// Canned answers of a loopback Hub and router for provider tests (ReplayServer::queue entries): a JSON
// answer, a model's provider mapping, fal-ai's queue, a file.

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace idesk::test {

inline QJsonObject jsonAnswer(const QJsonValue &body)
{
    return QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), body}};
}

// The Hub's model info with an inferenceProviderMapping of (provider, providerId, status) for `task`.
inline QJsonObject mappingAnswer(const QString &model, const QString &task, const QList<QStringList> &entries)
{
    QJsonArray mapping;
    for (const QStringList &e : entries)
        mapping << QJsonObject{{QStringLiteral("provider"), e.value(0)},
                               {QStringLiteral("providerId"), e.value(1)},
                               {QStringLiteral("status"), e.value(2)},
                               {QStringLiteral("task"), task}};
    return jsonAnswer(
        QJsonObject{{QStringLiteral("id"), model}, {QStringLiteral("inferenceProviderMapping"), mapping}});
}

// fal-ai's answer to a queued submit.
inline QJsonObject falQueued(const QString &id)
{
    return jsonAnswer(QJsonObject{{QStringLiteral("request_id"), id},
                                  {QStringLiteral("status"), QStringLiteral("IN_QUEUE")},
                                  {QStringLiteral("response_url"),
                                   QStringLiteral("https://queue.fal.run/fal-ai/flux/requests/") + id}});
}

inline QJsonObject fileAnswer(const QString &contentType, const QByteArray &bytes)
{
    return QJsonObject{
        {QStringLiteral("status"), 200},
        {QStringLiteral("headers"), QJsonObject{{QStringLiteral("Content-Type"), contentType}}},
        {QStringLiteral("body_base64"), QString::fromLatin1(bytes.toBase64())}};
}

} // namespace idesk::test
