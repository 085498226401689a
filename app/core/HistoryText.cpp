#include "HistoryText.h"

#include "ResultShape.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

namespace idesk::HistoryText {

namespace {

// Appends every string (and number, for answers that are only numbers) under `value`, depth-first,
// until `out` holds maxIndexedChars.
void collectStrings(const QJsonValue &value, QString *out, int depth = 0)
{
    if (out->size() >= maxIndexedChars || depth > 32)
        return;
    if (value.isString()) {
        const QString s = value.toString();
        if (s.isEmpty())
            return;
        if (!out->isEmpty())
            out->append(QLatin1Char(' '));
        out->append(s.left(maxIndexedChars - out->size()));
    } else if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            collectStrings(v, out, depth + 1);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            // Base64 images and embeddings' numbers say nothing a person would search for.
            if (it.key() == QLatin1String("image") || it.key() == QLatin1String("mask") ||
                it.key() == QLatin1String("blob") || it.key() == QLatin1String("b64_json"))
                continue;
            collectStrings(it.value(), out, depth + 1);
        }
    }
}

QJsonValue parse(const QByteArray &bytes)
{
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return QJsonValue(QJsonValue::Undefined);
}

} // namespace

QString inputText(const InferenceRequest &request)
{
    QString out;
    collectStrings(request.inputs, &out);
    if (!request.file.isEmpty()) {
        const QString name = QFileInfo(request.file.path).fileName();
        if (!name.isEmpty())
            out.append(out.isEmpty() ? name : QLatin1Char(' ') + name);
    }
    return out;
}

QString answerText(const InferenceResult &result)
{
    if (result.isBinary())
        return result.contentType;
    if (result.isEventStream()) {
        QString out;
        const QList<QByteArray> lines = result.body.left(4 * maxIndexedChars).split('\n');
        for (const QByteArray &line : lines) {
            if (!line.startsWith("data:"))
                continue;
            const QJsonValue event = parse(line.mid(5).trimmed());
            if (!event.isUndefined())
                collectStrings(event, &out);
        }
        return out;
    }
    if (result.body.size() <= 64 * 1024 * 1024) {
        const QJsonValue json = parse(result.body);
        if (!json.isUndefined()) {
            QString out;
            collectStrings(json, &out);
            return out;
        }
    }
    return result.text().left(maxIndexedChars);
}

QString answerSnippet(const InferenceRequest &request, const InferenceResult &result)
{
    if (!result.ok())
        return oneLine(result.errorMessage.isEmpty() ? QString::fromUtf8(result.reason)
                                                     : result.errorMessage);
    if (result.isJson() && !result.isEventStream() && result.body.size() <= 1024 * 1024) {
        const QString summary = ResultShape::read(request, result).summary().trimmed();
        if (!summary.isEmpty())
            return oneLine(summary);
    }
    return oneLine(answerText(result));
}

QString oneLine(const QString &text, int max)
{
    static const QRegularExpression space(QStringLiteral("\\s+"));
    QString line = text.left(max * 4).replace(space, QStringLiteral(" ")).trimmed();
    if (line.size() > max)
        line = line.left(max - 1) + QChar(0x2026);
    return line;
}

QString provider(const QString &endpoint)
{
    const QUrl url(endpoint);
    if (url.host() == QLatin1String("router.huggingface.co")) {
        const QString first = url.path().section(QLatin1Char('/'), 1, 1);
        if (!first.isEmpty() && first != QLatin1String("v1"))
            return first;
    }
    return url.host();
}

} // namespace idesk::HistoryText
