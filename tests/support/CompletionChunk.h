#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace idesk::test {

// One answer of the OpenAI-compatible completions route, {"object": "text_completion", "choices": [{"index",
// "text", "finish_reason"}]}: a whole answer, or one chunk of a stream.
inline QJsonObject completionChunk(const QString &text, const QJsonValue &finish = QJsonValue::Null)
{
    return QJsonObject{
        {QStringLiteral("object"), QStringLiteral("text_completion")},
        {QStringLiteral("choices"), QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                                           {QStringLiteral("text"), text},
                                                           {QStringLiteral("finish_reason"), finish}}}}};
}

} // namespace idesk::test
