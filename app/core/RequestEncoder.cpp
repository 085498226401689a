#include "RequestEncoder.h"

#include "ChatCompletion.h"
#include "ErrorExplainer.h"
#include "ModelPath.h"
#include "TaskCatalog.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("RequestEncoder", text);
}

QByteArray boolHeader(bool value)
{
    return value ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
}

QJsonObject withParameters(QJsonObject body, const QJsonObject &parameters)
{
    if (!parameters.isEmpty())
        body.insert(QStringLiteral("parameters"), parameters);
    return body;
}

QString base64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

// The question of a visual/document question: inputs may be {"question": ...} or a plain string.
QString questionOf(const QJsonValue &inputs)
{
    if (inputs.isObject())
        return inputs.toObject().value(QStringLiteral("question")).toString();
    return inputs.toString();
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool requireObject(const QJsonValue &inputs, const QStringList &keys, const QString &taskId, QString *error)
{
    if (!inputs.isObject())
        return fail(error, tr("The %1 task needs its inputs as a JSON object with %2.")
                               .arg(taskId, keys.join(QLatin1String(", "))));
    const QJsonObject object = inputs.toObject();
    for (const QString &key : keys)
        if (!object.contains(key))
            return fail(error, tr("The %1 task needs \"%2\" in its inputs.").arg(taskId, key));
    return true;
}

// The encoded request body for a binary (image/audio) input.
void encodeBinary(const InferenceRequest &request, EncodedRequest *out, QJsonObject *json, bool *isJson)
{
    if (request.parameters.isEmpty() && !request.file.isEmpty()) {
        out->body = request.file.bytes;
        out->setHeader("Content-Type", request.file.mimeType.isEmpty()
                                           ? QByteArrayLiteral("application/octet-stream")
                                           : request.file.mimeType.toLatin1());
        *isJson = false;
        return;
    }
    const QJsonValue inputs =
        request.file.isEmpty() ? request.inputs : QJsonValue(base64(request.file.bytes));
    *json = withParameters(QJsonObject{{QStringLiteral("inputs"), inputs}}, request.parameters);
    *isJson = true;
}
// {endpoint}/{model}, or {endpoint}/{model}/pipeline/{task} for the router's pipeline tasks: segments
// appended to the endpoint's path, its query kept. `endpoint` is trimmed, without a trailing slash.
QUrl perModelUrl(const QString &endpoint, const QString &model, const TaskSpec *spec)
{
    const QUrl base(endpoint, QUrl::StrictMode);
    QString path = model;
    if (spec && spec->pipelineRoute && base.path().endsWith(QLatin1String("/hf-inference/models")))
        path += QLatin1String("/pipeline/") + spec->id;
    return ModelPath::append(base, path);
}

// The request's endpoint without trailing slashes; the default one when it is empty.
QString baseEndpoint(const InferenceRequest &request)
{
    QString endpoint = request.endpoint.trimmed();
    if (endpoint.isEmpty())
        endpoint = InferenceRequest::defaultEndpoint();
    while (endpoint.endsWith(QLatin1Char('/')))
        endpoint.chop(1);
    return endpoint;
}
} // namespace

QUrl RequestEncoder::targetUrl(const InferenceRequest &request)
{
    const QString model = request.model.trimmed();
    if (model.isEmpty())
        return QUrl();
    const TaskSpec *spec = TaskCatalog::instance().task(request.task);
    if (spec && spec->inputKind == InputKind::Chat)
        return ChatCompletion::chatUrl(request.endpoint, model);
    if (request.usesCompletionsRoute())
        return ChatCompletion::completionUrl(request.endpoint, model);
    const QString endpoint = baseEndpoint(request);
    const QUrl base(endpoint, QUrl::StrictMode);
    if (!base.isValid() || base.host().isEmpty() || !ModelPath::problem(model).isEmpty())
        return QUrl();
    return perModelUrl(endpoint, model, spec);
}

QByteArray RequestEncoder::userAgent()
{
    return QByteArrayLiteral("inference-desk/" IDESK_VERSION);
}

EncodedRequest RequestEncoder::encode(const InferenceRequest &request, QString *error)
{
    EncodedRequest out;
    const QString model = request.model.trimmed();
    if (model.isEmpty()) {
        fail(error, tr("No model is given: enter a model id such as "
                       "cardiffnlp/twitter-roberta-base-sentiment-latest."));
        return out;
    }
    static const QRegularExpression badModel(QStringLiteral("\\s|^/|/$|//"));
    if (model.contains(badModel)) {
        fail(error, tr("\"%1\" cannot be a model id: it has spaces or stray slashes (expected owner/name).")
                        .arg(model));
        return out;
    }
    // Dot segments, empty ones, backslashes: refused before anything is sent (every route).
    if (const QString why = ModelPath::problem(model); !why.isEmpty()) {
        fail(error, why);
        return out;
    }
    const QString endpoint = baseEndpoint(request);
    const QUrl base(endpoint, QUrl::StrictMode);
    if (!base.isValid() || base.host().isEmpty() ||
        (base.scheme() != QLatin1String("https") && base.scheme() != QLatin1String("http"))) {
        fail(error,
             ErrorExplainer::explainBadEndpoint(request.endpoint, InferenceRequest::defaultEndpoint()));
        return out;
    }

    const TaskSpec *spec = nullptr;
    if (!request.task.isEmpty()) {
        spec = TaskCatalog::instance().task(request.task);
        if (!spec) {
            fail(error, tr("Unknown task \"%1\". Known tasks: %2.")
                            .arg(request.task, TaskCatalog::instance().taskIds().join(QLatin1String(", "))));
            return out;
        }
    }

    if (request.usesCompletionsRoute())
        // Text generation on the OpenAI-compatible completions route: ChatCompletion owns URL and body.
        return ChatCompletion::encodeCompletion(request, error);

    const QUrl url = perModelUrl(endpoint, model, spec);
    QJsonObject json;
    bool isJson = true;
    const InputKind kind = spec ? spec->inputKind : InputKind::Text;

    if (!spec) {
        // Kestra's generic form; a file given without a task goes out as its bytes.
        if (!request.file.isEmpty() && request.inputs.isUndefined())
            encodeBinary(request, &out, &json, &isJson);
        else
            json =
                withParameters(QJsonObject{{QStringLiteral("inputs"), request.inputs}}, request.parameters);
    } else {
        switch (kind) {
        case InputKind::Text:
        case InputKind::TextWithLabels:
        case InputKind::Json:
            json =
                withParameters(QJsonObject{{QStringLiteral("inputs"), request.inputs}}, request.parameters);
            break;
        case InputKind::QuestionContext:
            if (!requireObject(request.inputs, {QStringLiteral("question"), QStringLiteral("context")},
                               spec->id, error))
                return out;
            json =
                withParameters(QJsonObject{{QStringLiteral("inputs"), request.inputs}}, request.parameters);
            break;
        case InputKind::SentenceSimilarity:
            if (!requireObject(request.inputs,
                               {QStringLiteral("source_sentence"), QStringLiteral("sentences")}, spec->id,
                               error))
                return out;
            json =
                withParameters(QJsonObject{{QStringLiteral("inputs"), request.inputs}}, request.parameters);
            break;
        case InputKind::TableQuestion:
            if (!requireObject(request.inputs, {QStringLiteral("query"), QStringLiteral("table")}, spec->id,
                               error))
                return out;
            json =
                withParameters(QJsonObject{{QStringLiteral("inputs"), request.inputs}}, request.parameters);
            break;
        case InputKind::Image:
        case InputKind::Audio:
        case InputKind::ImageWithLabels:
            if (request.file.isEmpty() && !request.inputs.isString()) {
                fail(error, kind == InputKind::Audio
                                ? tr("The %1 task needs an audio file: open or drop one.").arg(spec->id)
                                : tr("The %1 task needs an image: open, drop or paste one.").arg(spec->id));
                return out;
            }
            encodeBinary(request, &out, &json, &isJson);
            break;
        case InputKind::ImageQuestion: {
            QString image;
            if (!request.file.isEmpty())
                image = base64(request.file.bytes);
            else if (request.inputs.isObject())
                image = request.inputs.toObject().value(QStringLiteral("image")).toString();
            if (image.isEmpty()) {
                fail(error, tr("The %1 task needs an image: open, drop or paste one.").arg(spec->id));
                return out;
            }
            const QString question = questionOf(request.inputs);
            if (question.trimmed().isEmpty()) {
                fail(error, tr("The %1 task needs a question about the image.").arg(spec->id));
                return out;
            }
            json = withParameters(
                QJsonObject{{QStringLiteral("inputs"), QJsonObject{{QStringLiteral("image"), image},
                                                                   {QStringLiteral("question"), question}}}},
                request.parameters);
            break;
        }
        case InputKind::Chat:
            // The router's OpenAI-compatible chat: ChatCompletion owns URL, body and headers.
            return ChatCompletion::encode(request, error);
        }
    }
    if (request.stream && kind != InputKind::Chat && isJson)
        json.insert(QStringLiteral("stream"), true);

    if (isJson) {
        out.body = QJsonDocument(json).toJson(QJsonDocument::Compact);
        out.setHeader("Content-Type", "application/json");
    }
    out.url = url;
    if (!out.url.isValid()) {
        fail(error, tr("The model id \"%1\" does not make a valid URL.").arg(model));
        out.url = QUrl();
        return out;
    }
    out.setHeader("Accept",
                  request.stream ? QByteArrayLiteral("text/event-stream") : QByteArrayLiteral("*/*"));
    out.setHeader("x-use-cache", boolHeader(request.useCache));
    out.setHeader("x-wait-for-model", boolHeader(request.waitForModel));
    out.setHeader("User-Agent", userAgent());
    return out;
}

} // namespace idesk
