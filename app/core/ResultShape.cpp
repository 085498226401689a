#include "ResultShape.h"

#include "ResultShapeReaders.h"
#include "TaskCatalog.h"

#include <QJsonDocument>

namespace idesk {

using namespace ResultShapeReaders;

QString ResultShape::kindForTask(const QString &taskId)
{
    if (taskId.isEmpty())
        return {};
    if (const TaskSpec *spec = TaskCatalog::instance().task(taskId))
        if (!spec->resultKind.isEmpty())
            return spec->resultKind;
    static const QHash<QString, QString> builtIn = {
        {QStringLiteral("text-classification"), QStringLiteral("scores")},
        {QStringLiteral("zero-shot-classification"), QStringLiteral("scores")},
        {QStringLiteral("image-classification"), QStringLiteral("scores")},
        {QStringLiteral("zero-shot-image-classification"), QStringLiteral("scores")},
        {QStringLiteral("audio-classification"), QStringLiteral("scores")},
        {QStringLiteral("video-classification"), QStringLiteral("scores")},
        {QStringLiteral("fill-mask"), QStringLiteral("scores")},
        {QStringLiteral("sentence-similarity"), QStringLiteral("scores")},
        {QStringLiteral("token-classification"), QStringLiteral("entities")},
        {QStringLiteral("question-answering"), QStringLiteral("answer")},
        {QStringLiteral("document-question-answering"), QStringLiteral("answer")},
        {QStringLiteral("visual-question-answering"), QStringLiteral("answer")},
        {QStringLiteral("table-question-answering"), QStringLiteral("table-answer")},
        {QStringLiteral("object-detection"), QStringLiteral("boxes")},
        {QStringLiteral("zero-shot-object-detection"), QStringLiteral("boxes")},
        {QStringLiteral("image-segmentation"), QStringLiteral("masks")},
        {QStringLiteral("text-to-image"), QStringLiteral("image")},
        {QStringLiteral("image-to-image"), QStringLiteral("image")},
        {QStringLiteral("image-text-to-image"), QStringLiteral("image")},
        {QStringLiteral("text-to-speech"), QStringLiteral("audio")},
        {QStringLiteral("text-to-audio"), QStringLiteral("audio")},
        {QStringLiteral("audio-to-audio"), QStringLiteral("audio")},
        {QStringLiteral("summarization"), QStringLiteral("text")},
        {QStringLiteral("translation"), QStringLiteral("text")},
        {QStringLiteral("text-generation"), QStringLiteral("text")},
        {QStringLiteral("text2text-generation"), QStringLiteral("text")},
        {QStringLiteral("image-to-text"), QStringLiteral("text")},
        {QStringLiteral("automatic-speech-recognition"), QStringLiteral("text")},
        {QStringLiteral("conversational-legacy"), QStringLiteral("text")},
        {QStringLiteral("chat-completion"), QStringLiteral("chat")},
        {QStringLiteral("conversational"), QStringLiteral("chat")},
        {QStringLiteral("image-text-to-text"), QStringLiteral("chat")},
        {QStringLiteral("feature-extraction"), QStringLiteral("vectors")},
    };
    return builtIn.value(taskId);
}

QString ResultShape::guessKind(const QJsonValue &json)
{
    if (json.isObject()) {
        const QJsonObject o = json.toObject();
        if (!completionChoice(json).isEmpty())
            return QStringLiteral("text");
        if (o.value(QLatin1String("choices")).isArray())
            return QStringLiteral("chat");
        if (o.value(QLatin1String("labels")).isArray() && o.value(QLatin1String("scores")).isArray())
            return QStringLiteral("scores");
        if (o.value(QLatin1String("answer")).isString() &&
            (o.contains(QLatin1String("coordinates")) || o.contains(QLatin1String("cells"))))
            return QStringLiteral("table-answer");
        if (isAnswerObject(json))
            return QStringLiteral("answer");
        if (hasTextField(json))
            return QStringLiteral("text");
        const QJsonArray images = o.value(QLatin1String("images")).toArray();
        const QJsonArray data = o.value(QLatin1String("data")).toArray();
        if (images.first().toObject().value(QLatin1String("image")).isString() ||
            data.first().toObject().value(QLatin1String("b64_json")).isString())
            return QStringLiteral("image");
        return QStringLiteral("json");
    }
    if (!json.isArray() || json.toArray().isEmpty())
        return QStringLiteral("json");
    const QJsonArray a = json.toArray();
    if (isNumberTree(json))
        return QStringLiteral("vectors");
    if (allOf(a, isBoxObject))
        return QStringLiteral("boxes");
    if (allOf(a, isMaskObject))
        return QStringLiteral("masks");
    if (allOf(a, isEntityObject))
        return QStringLiteral("entities");
    if (allOf(a, isScoreObject) || allOf(a, isScoreList))
        return QStringLiteral("scores");
    if (allOf(a, isAnswerObject))
        return QStringLiteral("answer");
    if (allOf(a, isAudioBlobObject))
        return QStringLiteral("audio");
    if (allOf(a, hasTextField))
        return QStringLiteral("text");
    return QStringLiteral("json");
}

ResultShape ResultShape::read(const InferenceRequest &request, const InferenceResult &result)
{
    QJsonValue json;
    if (result.ok() && !result.body.isEmpty() && !result.contentType.startsWith(QLatin1String("image/")) &&
        !result.contentType.startsWith(QLatin1String("audio/")) &&
        result.contentType != QLatin1String("text/event-stream")) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(result.body, &error);
        if (error.error == QJsonParseError::NoError)
            json = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
        else if (result.body.trimmed().size() < 64) // a bare number or string is JSON too
            json = QJsonDocument::fromJson("[" + result.body + "]").array().first();
    }
    return read(request, result, json);
}

ResultShape ResultShape::read(const InferenceRequest &request, const InferenceResult &result,
                              const QJsonValue &json)
{
    ResultShape out;
    out.expectedKind = kindForTask(request.task);
    if (!result.ok()) {
        out.kind = QStringLiteral("error");
        return out;
    }
    // Binary answers: images and audio as they came.
    QString mime = result.contentType;
    const QString sniffed = sniffMime(result.body);
    const bool binaryType = mime.startsWith(QLatin1String("image/")) ||
                            mime.startsWith(QLatin1String("audio/")) ||
                            mime == QLatin1String("application/octet-stream");
    if (binaryType || (!sniffed.isEmpty() && json.isUndefined())) {
        if (!sniffed.isEmpty() && (mime.isEmpty() || mime == QLatin1String("application/octet-stream")))
            mime = sniffed;
        if (mime.startsWith(QLatin1String("image/")) || mime.startsWith(QLatin1String("audio/"))) {
            out.kind =
                mime.startsWith(QLatin1String("image/")) ? QStringLiteral("image") : QStringLiteral("audio");
            out.media.append({QString(), result.body, mime});
        } else {
            out.kind = QStringLiteral("raw");
        }
        if (!out.expectedKind.isEmpty() && out.kind != out.expectedKind)
            out.problem =
                tr("The task expects %1, the server sent %2.").arg(kindLabel(out.expectedKind), mime);
        return out;
    }
    if (result.contentType == QLatin1String("text/event-stream") || result.body.startsWith("data:")) {
        if (readStream(result.body, &out))
            return out;
        out.kind = QStringLiteral("text");
        out.text = QString::fromUtf8(result.body);
        return out;
    }
    if (json.isUndefined()) {
        // Not JSON: text for a person, or bytes of an unknown kind.
        const QString text = QString::fromUtf8(result.body);
        const bool printable = !result.body.contains('\0') && text.toUtf8() == result.body;
        if (result.body.isEmpty()) {
            out.kind = QStringLiteral("raw");
            out.problem = tr("The server sent an empty answer.");
        } else if (printable) {
            out.kind = QStringLiteral("text");
            out.text = text;
        } else {
            out.kind = QStringLiteral("raw");
        }
        return out;
    }
    QString kind = out.expectedKind;
    if (!kind.isEmpty() && kind != QLatin1String("json")) {
        ResultShape attempt = out;
        if (readKind(kind, request, json, &attempt)) {
            attempt.kind = kind;
            return attempt;
        }
    }
    const QString guessed = guessKind(json);
    if (guessed != QLatin1String("json") && guessed != kind) {
        ResultShape attempt = out;
        if (readKind(guessed, request, json, &attempt)) {
            attempt.kind = guessed;
            return attempt;
        }
    }
    out.kind = QStringLiteral("json");
    if (!out.expectedKind.isEmpty() && out.expectedKind != QLatin1String("json"))
        out.problem =
            tr("This task's view expects %1, but the answer has another shape; it is shown as JSON.")
                .arg(kindLabel(out.expectedKind));
    return out;
}

} // namespace idesk
