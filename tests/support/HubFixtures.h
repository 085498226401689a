#pragma once
// The constructed Hub and router answers of tests/data/constructed/hub (issue 15), for the core, CLI and GUI
// tests and the Hub search benchmark.
#include "ReplayServer.h"
#include "TestConfig.h"

#include <QFile>
#include <QJsonObject>
#include <QString>

namespace idesk::test {

// A file of tests/data/constructed/hub ("" when missing).
inline QByteArray hubFixture(const QString &name)
{
    QFile f(QStringLiteral(IDESK_TEST_DATA_DIR "/constructed/hub/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// An answer for ReplayServer::queue(): `status`, JSON `body`, and extra response headers (Link, ETag,
// Retry-After...).
inline QJsonObject hubAnswer(const QByteArray &body, const QJsonObject &headers = {}, int status = 200)
{
    QJsonObject answer = ReplayServer::answer(status, QStringLiteral("application/json"), body);
    QJsonObject h = answer.value(QStringLiteral("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        h.insert(it.key(), it.value());
    answer.insert(QStringLiteral("headers"), h);
    return answer;
}

} // namespace idesk::test
