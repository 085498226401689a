#include "ChatStreamAssembler.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ChatStreamAssembler", text);
}

// Tool-call arguments arrive as a JSON text (OpenAI) or, from older TGI, as a JSON object.
QString argumentsText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return {};
}

QString idText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toInteger());
    return {};
}
} // namespace

QString ChatStreamAssembler::ToolCall::prettyArguments() const
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return arguments;
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

void ChatStreamAssembler::readUsage(const QJsonObject &usage)
{
    if (usage.isEmpty())
        return;
    m_usage.present = true;
    const auto number = [&](const char *key) {
        const QJsonValue v = usage.value(QLatin1String(key));
        return v.isDouble() ? v.toInteger() : qint64(-1);
    };
    m_usage.promptTokens = number("prompt_tokens");
    m_usage.completionTokens = number("completion_tokens");
    m_usage.totalTokens = number("total_tokens");
    if (m_usage.totalTokens < 0 && m_usage.promptTokens >= 0 && m_usage.completionTokens >= 0)
        m_usage.totalTokens = m_usage.promptTokens + m_usage.completionTokens;
}

void ChatStreamAssembler::readError(const QJsonValue &error)
{
    if (error.isString())
        m_error = error.toString();
    else if (error.isObject())
        m_error = error.toObject().value(QStringLiteral("message")).toString();
    if (m_error.isEmpty())
        m_error = tr("The server reported an error in the middle of the answer.");
}

void ChatStreamAssembler::readToolCallDelta(const QJsonArray &calls)
{
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QJsonObject c = calls.at(i).toObject();
        const int index =
            c.value(QStringLiteral("index")).isDouble() ? c.value(QStringLiteral("index")).toInt() : int(i);
        // Constant time per delta: the position of each index is kept in a hash (a linear search made
        // 500,000 deltas take minutes).
        const auto found = m_toolCallAt.constFind(index);
        qsizetype at;
        if (found != m_toolCallAt.constEnd()) {
            at = found.value();
        } else {
            ToolCall fresh;
            fresh.index = index;
            at = m_toolCalls.size();
            m_toolCalls.append(fresh);
            m_toolCallAt.insert(index, at);
            ++m_toolCallsSize;
        }
        ToolCall *call = &m_toolCalls[at];
        const QString id = idText(c.value(QStringLiteral("id")));
        if (call->id.isEmpty() && !id.isEmpty()) {
            call->id = id;
            m_toolCallsSize += id.size();
        }
        if (c.value(QStringLiteral("type")).isString())
            call->type = c.value(QStringLiteral("type")).toString();
        const QJsonObject function = c.value(QStringLiteral("function")).toObject();
        const QString name = function.value(QStringLiteral("name")).toString();
        if (call->name.isEmpty() && !name.isEmpty()) {
            call->name = name;
            m_toolCallsSize += name.size();
        }
        const QString arguments = argumentsText(function.value(QStringLiteral("arguments")));
        call->arguments += arguments;
        m_toolCallsSize += arguments.size();
    }
}

QString ChatStreamAssembler::addEvent(const QByteArray &data, const QByteArray &eventName)
{
    ++m_events;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (eventName == "error") {
        if (doc.isObject() && doc.object().contains(QStringLiteral("error")))
            readError(doc.object().value(QStringLiteral("error")));
        else if (doc.isObject())
            readError(doc.object());
        else
            m_error = QString::fromUtf8(data).trimmed();
        if (m_error.isEmpty())
            readError(QJsonValue());
        return {};
    }
    if (!doc.isObject())
        return {};
    const QJsonObject o = doc.object();
    if (o.contains(QStringLiteral("error")) && !o.value(QStringLiteral("error")).isNull()) {
        readError(o.value(QStringLiteral("error")));
        return {};
    }
    if (m_id.isEmpty())
        m_id = idText(o.value(QStringLiteral("id")));
    if (m_model.isEmpty())
        m_model = o.value(QStringLiteral("model")).toString();
    if (m_created == 0 && o.value(QStringLiteral("created")).isDouble())
        m_created = o.value(QStringLiteral("created")).toInteger();
    if (o.value(QStringLiteral("usage")).isObject())
        readUsage(o.value(QStringLiteral("usage")).toObject());

    QString added;
    if (o.value(QStringLiteral("choices")).isArray()) {
        const QJsonArray choices = o.value(QStringLiteral("choices")).toArray();
        // Several choices (n > 1) are not assembled: the first one is the answer.
        const QJsonObject choice = choices.at(0).toObject();
        if (choice.value(QStringLiteral("delta")).isObject()) {
            if (m_dialect == Dialect::Unknown)
                m_dialect = Dialect::Chat;
            const QJsonObject delta = choice.value(QStringLiteral("delta")).toObject();
            if (m_role.isEmpty())
                m_role = delta.value(QStringLiteral("role")).toString();
            added = delta.value(QStringLiteral("content")).toString();
            const QJsonValue calls = delta.value(QStringLiteral("tool_calls"));
            if (calls.isArray())
                readToolCallDelta(calls.toArray());
            else if (calls.isObject()) // older TGI sends one call as an object
                readToolCallDelta(QJsonArray{calls});
        } else if (choice.value(QStringLiteral("text")).isString()) {
            if (m_dialect == Dialect::Unknown)
                m_dialect = Dialect::Completion;
            added = choice.value(QStringLiteral("text")).toString();
        }
        if (choice.value(QStringLiteral("finish_reason")).isString())
            m_finishReason = choice.value(QStringLiteral("finish_reason")).toString();
    } else if (o.value(QStringLiteral("token")).isObject()) {
        if (m_dialect == Dialect::Unknown)
            m_dialect = Dialect::TextGeneration;
        const QJsonObject token = o.value(QStringLiteral("token")).toObject();
        if (!token.value(QStringLiteral("special")).toBool())
            added = token.value(QStringLiteral("text")).toString();
        if (o.value(QStringLiteral("generated_text")).isString())
            m_generated = o.value(QStringLiteral("generated_text")).toString();
        if (o.value(QStringLiteral("details")).isObject()) {
            m_details = o.value(QStringLiteral("details")).toObject();
            if (m_details.value(QStringLiteral("finish_reason")).isString())
                m_finishReason = m_details.value(QStringLiteral("finish_reason")).toString();
            if (m_details.value(QStringLiteral("generated_tokens")).isDouble() && !m_usage.present) {
                m_usage.present = true;
                m_usage.completionTokens = m_details.value(QStringLiteral("generated_tokens")).toInteger();
            }
        }
    }
    m_content += added;
    return added;
}

QString ChatStreamAssembler::feedBytes(const QByteArray &bytes)
{
    QString added;
    for (const SseDecoder::Event &e : m_decoder.feed(bytes))
        added += addEvent(e.data, e.event);
    return added;
}

QString ChatStreamAssembler::finishBytes()
{
    QString added;
    for (const SseDecoder::Event &e : m_decoder.finish())
        added += addEvent(e.data, e.event);
    return added;
}

bool ChatStreamAssembler::readAnswer(const QJsonValue &answer)
{
    if (answer.isArray() ||
        (answer.isObject() && answer.toObject().contains(QStringLiteral("generated_text")))) {
        const QJsonObject first = answer.isArray() ? answer.toArray().at(0).toObject() : answer.toObject();
        if (!first.value(QStringLiteral("generated_text")).isString())
            return false;
        m_dialect = Dialect::TextGeneration;
        m_generated = m_content = first.value(QStringLiteral("generated_text")).toString();
        m_details = first.value(QStringLiteral("details")).toObject();
        m_finishReason = m_details.value(QStringLiteral("finish_reason")).toString();
        if (m_details.value(QStringLiteral("generated_tokens")).isDouble()) {
            m_usage.present = true;
            m_usage.completionTokens = m_details.value(QStringLiteral("generated_tokens")).toInteger();
        }
        return true;
    }
    const QJsonObject o = answer.toObject();
    if (o.contains(QStringLiteral("error")) && !o.value(QStringLiteral("error")).isNull()) {
        readError(o.value(QStringLiteral("error")));
        return true;
    }
    const QJsonArray choices = o.value(QStringLiteral("choices")).toArray();
    if (choices.isEmpty())
        return false;
    m_id = idText(o.value(QStringLiteral("id")));
    m_model = o.value(QStringLiteral("model")).toString();
    m_created = o.value(QStringLiteral("created")).toInteger();
    readUsage(o.value(QStringLiteral("usage")).toObject());
    const QJsonObject choice = choices.at(0).toObject();
    m_finishReason = choice.value(QStringLiteral("finish_reason")).toString();
    if (choice.value(QStringLiteral("message")).isObject()) {
        m_dialect = Dialect::Chat;
        const QJsonObject message = choice.value(QStringLiteral("message")).toObject();
        m_role = message.value(QStringLiteral("role")).toString();
        m_content = message.value(QStringLiteral("content")).toString();
        const QJsonValue calls = message.value(QStringLiteral("tool_calls"));
        if (calls.isArray())
            readToolCallDelta(calls.toArray());
        return true;
    }
    if (choice.value(QStringLiteral("text")).isString()) {
        m_dialect = Dialect::Completion;
        m_content = choice.value(QStringLiteral("text")).toString();
        return true;
    }
    return false;
}

QJsonObject ChatStreamAssembler::message() const
{
    QJsonObject m{{QStringLiteral("role"), role()}};
    if (!m_content.isEmpty() || m_toolCalls.isEmpty())
        m.insert(QStringLiteral("content"), m_content);
    else
        m.insert(QStringLiteral("content"), QJsonValue::Null);
    if (!m_toolCalls.isEmpty()) {
        QJsonArray calls;
        for (const ToolCall &c : m_toolCalls)
            calls.append(QJsonObject{
                {QStringLiteral("id"), c.id},
                {QStringLiteral("type"), c.type},
                {QStringLiteral("function"),
                 QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("arguments"), c.arguments}}}});
        m.insert(QStringLiteral("tool_calls"), calls);
    }
    return m;
}

QJsonObject ChatStreamAssembler::toChatCompletion() const
{
    QJsonObject choice{{QStringLiteral("index"), 0}, {QStringLiteral("message"), message()}};
    choice.insert(QStringLiteral("finish_reason"),
                  m_finishReason.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(m_finishReason));
    QJsonObject out{{QStringLiteral("id"), m_id},
                    {QStringLiteral("object"), QStringLiteral("chat.completion")},
                    {QStringLiteral("created"), double(m_created)},
                    {QStringLiteral("model"), m_model},
                    {QStringLiteral("choices"), QJsonArray{choice}}};
    if (m_usage.present) {
        QJsonObject usage;
        if (m_usage.promptTokens >= 0)
            usage.insert(QStringLiteral("prompt_tokens"), double(m_usage.promptTokens));
        if (m_usage.completionTokens >= 0)
            usage.insert(QStringLiteral("completion_tokens"), double(m_usage.completionTokens));
        if (m_usage.totalTokens >= 0)
            usage.insert(QStringLiteral("total_tokens"), double(m_usage.totalTokens));
        out.insert(QStringLiteral("usage"), usage);
    }
    return out;
}

QJsonArray ChatStreamAssembler::toTextGeneration() const
{
    QJsonObject o{{QStringLiteral("generated_text"), m_generated.isEmpty() ? m_content : m_generated}};
    if (!m_details.isEmpty())
        o.insert(QStringLiteral("details"), m_details);
    return QJsonArray{o};
}

QString ChatStreamAssembler::summaryLine() const
{
    QStringList parts;
    if (!m_finishReason.isEmpty())
        parts.append(tr("finish reason: %1").arg(m_finishReason));
    const QString usage = usageText(m_usage);
    if (!usage.isEmpty())
        parts.append(usage);
    return parts.join(QStringLiteral(" · "));
}

QString ChatStreamAssembler::usageText(const Usage &usage)
{
    if (!usage.present)
        return {};
    if (usage.promptTokens >= 0 && usage.completionTokens >= 0)
        return tr("%1 prompt + %2 completion = %3 tokens")
            .arg(usage.promptTokens)
            .arg(usage.completionTokens)
            .arg(usage.totalTokens);
    if (usage.completionTokens >= 0)
        return tr("%1 tokens generated").arg(usage.completionTokens);
    if (usage.totalTokens >= 0)
        return tr("%1 tokens").arg(usage.totalTokens);
    return {};
}

} // namespace idesk
