#pragma once

#include "SseDecoder.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace idesk {

// Assembles a streamed answer from its server-sent events, whatever the dialect of the recordings:
//  - chat chunks {"choices": [{"delta": {"role", "content", "tool_calls": [...]}, "finish_reason"}],
//    "usage"}, with or without `data: [DONE]`, with `data:` or `data: `;
//  - completions chunks {"choices": [{"text", "finish_reason"}]};
//  - text-generation-inference tokens {"token": {"text", "special"}, "generated_text", "details"};
//  - error events: {"error": "..."} / {"error": {"message"}} data, or an `event: error` event.
// Tool calls are assembled per index: id, type and name from the first chunk that has them, the
// arguments concatenated. The same structure reads a non-streamed answer (readAnswer), so a view or the
// CLI handles both alike.
class ChatStreamAssembler
{
public:
    enum class Dialect { Unknown, Chat, Completion, TextGeneration };

    struct ToolCall
    {
        int index = 0;
        QString id;
        QString type = QStringLiteral("function");
        QString name;
        QString arguments; // as received (a JSON text once complete)
        // The arguments indented when they are JSON, else as received.
        QString prettyArguments() const;
    };

    struct Usage
    {
        bool present = false;
        qint64 promptTokens = -1;
        qint64 completionTokens = -1;
        qint64 totalTokens = -1;
    };

    // One SSE event's data (InferenceClient::streamEvent), and its `event:` name when known. Returns the
    // text this event added to the content ("" for role/tool/usage-only chunks).
    QString addEvent(const QByteArray &data, const QByteArray &eventName = QByteArray());
    // Raw stream bytes, any chunking; finishBytes() at the end of the stream.
    QString feedBytes(const QByteArray &bytes);
    QString finishBytes();
    // A whole non-streamed answer: chat ({"choices": [{"message"}]}), completions
    // ({"choices": [{"text"}]}) or text generation ([{"generated_text"}]). False when it is none of them.
    bool readAnswer(const QJsonValue &answer);
    void clear() { *this = ChatStreamAssembler(); }

    Dialect dialect() const { return m_dialect; }
    int eventCount() const { return m_events; }
    QString role() const { return m_role.isEmpty() ? QStringLiteral("assistant") : m_role; }
    QString content() const { return m_content; }
    QString generatedText() const { return m_generated; } // TGI's final generated_text, "" when none
    QList<ToolCall> toolCalls() const { return m_toolCalls; }
    // Calls + characters of their ids, names and arguments, kept up to date in constant time per delta:
    // "did the tool calls change?" without walking them.
    qint64 toolCallsSize() const { return m_toolCallsSize; }
    QString finishReason() const { return m_finishReason; }
    Usage usage() const { return m_usage; }
    QString model() const { return m_model; }
    QString id() const { return m_id; }
    qint64 created() const { return m_created; }
    bool hasError() const { return !m_error.isEmpty(); }
    QString errorMessage() const { return m_error; }
    QJsonObject details() const { return m_details; } // TGI's details, empty when none

    // The assembled message as {"role", "content", "tool_calls"?}.
    QJsonObject message() const;
    // The assembled answer as the non-streamed chat answer would look:
    // {"id", "object": "chat.completion", "created", "model", "choices": [{"index": 0, "message",
    //  "finish_reason"}], "usage"?}.
    QJsonObject toChatCompletion() const;
    // A text-generation stream as the non-streamed answer: [{"generated_text", "details"?}].
    QJsonArray toTextGeneration() const;
    // One line for people: "finish reason: length · 46 prompt + 20 completion = 66 tokens" ("" when
    // neither is known).
    QString summaryLine() const;
    // Token usage for people: "46 prompt + 20 completion = 66 tokens", "20 tokens generated"; "" when absent.
    static QString usageText(const Usage &usage);

private:
    void readUsage(const QJsonObject &usage);
    void readToolCallDelta(const QJsonArray &calls);
    void readError(const QJsonValue &error);

    SseDecoder m_decoder;
    Dialect m_dialect = Dialect::Unknown;
    int m_events = 0;
    QString m_role;
    QString m_content;
    QString m_generated;
    QList<ToolCall> m_toolCalls;
    QHash<int, qsizetype> m_toolCallAt; // tool call index -> position in m_toolCalls
    qint64 m_toolCallsSize = 0;
    QString m_finishReason;
    Usage m_usage;
    QString m_model;
    QString m_id;
    qint64 m_created = 0;
    QString m_error;
    QJsonObject m_details;
};

} // namespace idesk
