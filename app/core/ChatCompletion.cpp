#include "ChatCompletion.h"

#include "ChatImages.h"
#include "ErrorExplainer.h"
#include "ModelInfoLookup.h"
#include "ModelPath.h"
#include "RequestEncoder.h"
#include "ServiceBases.h"
#include "TaskCatalog.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ChatCompletion", text);
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

QString trimmedEndpoint(const QString &endpoint)
{
    QString e = endpoint.trimmed();
    while (e.endsWith(QLatin1Char('/')))
        e.chop(1);
    return e;
}

// A base URL that must be http(s) with a host; *error says what to do otherwise.
bool checkBase(const QString &base, const QString &shown, QString *error)
{
    const QUrl url(base, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
        return fail(error, ErrorExplainer::explainBadEndpoint(shown, ChatCompletion::defaultBaseUrl()));
    return true;
}

bool checkModel(const QString &model, QString *error)
{
    if (model.isEmpty())
        return fail(error, tr("No model is given: enter a chat model id such as google/gemma-2-2b-it."));
    static const QRegularExpression bad(QStringLiteral("\\s|^/|/$|//|^:|:$"));
    if (model.contains(bad))
        return fail(error,
                    tr("\"%1\" cannot be a model id: it has spaces, stray slashes or an empty provider "
                       "(expected owner/name, optionally :provider or :fastest).")
                        .arg(model));
    if (const QString why = ModelPath::problem(model); !why.isEmpty())
        return fail(error, why);
    return true;
}

bool perModelLayout(const QString &endpoint)
{
    return QUrl(endpoint).path().endsWith(QLatin1String("/models"));
}

// Parameters with null values were "not set" for the old clients: leave them out.
QJsonObject withoutNulls(const QJsonObject &parameters)
{
    QJsonObject out;
    for (auto it = parameters.begin(); it != parameters.end(); ++it)
        if (!it.value().isNull() && !it.value().isUndefined())
            out.insert(it.key(), it.value());
    return out;
}

void setCommonHeaders(EncodedRequest *out, const InferenceRequest &request)
{
    out->setHeader("Content-Type", "application/json");
    out->setHeader("Accept",
                   request.stream ? QByteArrayLiteral("text/event-stream") : QByteArrayLiteral("*/*"));
    out->setHeader("x-use-cache", request.useCache ? QByteArrayLiteral("true") : QByteArrayLiteral("false"));
    out->setHeader("x-wait-for-model",
                   request.waitForModel ? QByteArrayLiteral("true") : QByteArrayLiteral("false"));
    out->setHeader("User-Agent", RequestEncoder::userAgent());
}
} // namespace

QStringList ChatCompletion::providerPolicies()
{
    return {QStringLiteral("fastest"), QStringLiteral("cheapest"), QStringLiteral("preferred")};
}

QStringList ChatCompletion::knownProviders()
{
    return {QStringLiteral("cerebras"),     QStringLiteral("cohere"),    QStringLiteral("featherless-ai"),
            QStringLiteral("fireworks-ai"), QStringLiteral("groq"),      QStringLiteral("hf-inference"),
            QStringLiteral("hyperbolic"),   QStringLiteral("nebius"),    QStringLiteral("novita"),
            QStringLiteral("nscale"),       QStringLiteral("sambanova"), QStringLiteral("together")};
}

QString ChatCompletion::modelIdOf(const QString &model)
{
    const qsizetype colon = model.lastIndexOf(QLatin1Char(':'));
    return colon < 0 ? model : model.left(colon);
}

QString ChatCompletion::providerOf(const QString &model)
{
    const qsizetype colon = model.lastIndexOf(QLatin1Char(':'));
    return colon < 0 ? QString() : model.mid(colon + 1);
}

QString ChatCompletion::modelWithProvider(const QString &model, const QString &provider)
{
    const QString id = modelIdOf(model.trimmed());
    const QString p = provider.trimmed();
    if (p.isEmpty() || p == QLatin1String("auto"))
        return id;
    return id + QLatin1Char(':') + p;
}

QUrl ChatCompletion::chatUrl(const QString &endpoint, const QString &model, QString *error)
{
    QString base = trimmedEndpoint(endpoint);
    // An OpenAI client's base URL (https://router.huggingface.co/v1) names the same route.
    if (base.endsWith(QLatin1String("/v1")))
        base.chop(3);
    const bool defaultEndpoint =
        base.isEmpty() || base == trimmedEndpoint(InferenceRequest::defaultEndpoint());
    if (defaultEndpoint)
        base = ServiceBases::router(); // --router, INFERENCE_DESK_ROUTER or the default router
    if (!checkBase(base, endpoint, error))
        return QUrl();
    const QString path = !defaultEndpoint && perModelLayout(base) ? modelIdOf(model) + QLatin1String("/v1")
                                                                  : QStringLiteral("v1");
    return ModelPath::append(QUrl(base, QUrl::StrictMode), path + QLatin1String("/chat/completions"),
                             QByteArray());
}

QJsonArray ChatCompletion::messages(const QString &system, const QString &prompt)
{
    QJsonArray out;
    if (!system.trimmed().isEmpty())
        out.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                               {QStringLiteral("content"), system}});
    out.append(
        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), prompt}});
    return out;
}

QJsonArray ChatCompletion::messagesFrom(const QJsonValue &inputs, QString *error)
{
    if (inputs.isString()) {
        if (inputs.toString().trimmed().isEmpty()) {
            fail(error, tr("The message is empty: type what you want to ask the model."));
            return {};
        }
        return messages(QString(), inputs.toString());
    }
    QJsonArray list;
    if (inputs.isArray())
        list = inputs.toArray();
    else if (inputs.isObject() && inputs.toObject().value(QStringLiteral("messages")).isArray())
        list = inputs.toObject().value(QStringLiteral("messages")).toArray();
    else {
        fail(error, tr("A chat needs its messages as a JSON array, e.g. [{\"role\": \"user\", \"content\": "
                       "\"Hello\"}], or a plain text message."));
        return {};
    }
    if (list.isEmpty()) {
        fail(error, tr("The conversation has no message: add at least one user message."));
        return {};
    }
    static const QStringList roles = {QStringLiteral("system"), QStringLiteral("user"),
                                      QStringLiteral("assistant"), QStringLiteral("tool"),
                                      QStringLiteral("developer")};
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject m = list.at(i).toObject();
        if (!list.at(i).isObject()) {
            fail(error,
                 tr("Message %1 is not a JSON object: each message is {\"role\": ..., \"content\": ...}.")
                     .arg(i + 1));
            return {};
        }
        const QString role = m.value(QStringLiteral("role")).toString();
        if (!roles.contains(role)) {
            fail(error, tr("Message %1 has role \"%2\"; use one of %3.")
                            .arg(i + 1)
                            .arg(role, roles.join(QLatin1String(", "))));
            return {};
        }
        const QJsonValue content = m.value(QStringLiteral("content"));
        const bool hasToolCalls = m.value(QStringLiteral("tool_calls")).isArray();
        if (!content.isString() && !content.isArray() &&
            !(hasToolCalls && (content.isNull() || content.isUndefined()))) {
            fail(error,
                 tr("Message %1 (%2) has no text: give it a \"content\" string.").arg(i + 1).arg(role));
            return {};
        }
        if (content.isArray()) {
            if (const QString why = ChatImages::partsProblem(content.toArray(), int(i + 1)); !why.isEmpty()) {
                fail(error, why);
                return {};
            }
        }
        if ((role == QLatin1String("user") || role == QLatin1String("tool")) && content.isString() &&
            content.toString().trimmed().isEmpty()) {
            fail(error, tr("Message %1 (%2) is empty: type its text, or remove it.").arg(i + 1).arg(role));
            return {};
        }
    }
    return list;
}

QJsonObject ChatCompletion::chatBody(const InferenceRequest &request, QString *error)
{
    const QJsonArray msgs = messagesFrom(request.inputs, error);
    if (msgs.isEmpty())
        return {};
    QJsonObject body = withoutNulls(request.parameters);
    body.remove(QStringLiteral("stream"));
    body.insert(QStringLiteral("model"), request.model.trimmed());
    body.insert(QStringLiteral("messages"), msgs);
    if (request.stream)
        body.insert(QStringLiteral("stream"), true);
    return body;
}

EncodedRequest ChatCompletion::encode(const InferenceRequest &request, QString *error)
{
    EncodedRequest out;
    const QString model = request.model.trimmed();
    if (!checkModel(model, error))
        return out;
    QString why;
    const QUrl url = chatUrl(request.endpoint, model, &why);
    if (!url.isValid()) {
        fail(error, why.isEmpty() ? tr("The model id \"%1\" does not make a valid URL.").arg(model) : why);
        return out;
    }
    const QJsonObject body = chatBody(request, error);
    if (body.isEmpty())
        return out;
    out.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    setCommonHeaders(&out, request);
    out.url = url;
    return out;
}

QJsonObject ChatCompletion::completionParameters(const QJsonObject &parameters)
{
    QJsonObject out = withoutNulls(parameters);
    if (out.contains(QStringLiteral("max_new_tokens")) && !out.contains(QStringLiteral("max_tokens")))
        out.insert(QStringLiteral("max_tokens"), out.value(QStringLiteral("max_new_tokens")));
    out.remove(QStringLiteral("max_new_tokens"));
    if (out.contains(QStringLiteral("return_full_text")) && !out.contains(QStringLiteral("echo")))
        out.insert(QStringLiteral("echo"), out.value(QStringLiteral("return_full_text")));
    out.remove(QStringLiteral("return_full_text"));
    out.remove(QStringLiteral("details"));
    out.remove(QStringLiteral("decoder_input_details"));
    out.remove(QStringLiteral("stream"));
    return out;
}

QUrl ChatCompletion::completionUrl(const QString &endpoint, const QString &model, QString *error)
{
    QString base = trimmedEndpoint(endpoint);
    if (base.isEmpty())
        base = trimmedEndpoint(InferenceRequest::defaultEndpoint());
    if (!checkBase(base, endpoint, error))
        return QUrl();
    return ModelPath::append(QUrl(base, QUrl::StrictMode),
                             modelIdOf(model) + QLatin1String("/v1/completions"), QByteArray());
}

EncodedRequest ChatCompletion::encodeCompletion(const InferenceRequest &request, QString *error)
{
    EncodedRequest out;
    const QString model = request.model.trimmed();
    if (!checkModel(model, error))
        return out;
    QString why;
    const QUrl url = completionUrl(request.endpoint, model, &why);
    if (!url.isValid()) {
        fail(error, why.isEmpty() ? tr("The model id \"%1\" does not make a valid URL.").arg(model) : why);
        return out;
    }
    if (!request.inputs.isString() || request.inputs.toString().isEmpty()) {
        fail(error, tr("Text generation needs a prompt: type the text the model should continue."));
        return out;
    }
    QJsonObject body = completionParameters(request.parameters);
    body.insert(QStringLiteral("model"), model);
    body.insert(QStringLiteral("prompt"), request.inputs.toString());
    if (request.stream)
        body.insert(QStringLiteral("stream"), true);
    out.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    setCommonHeaders(&out, request);
    out.url = url;
    return out;
}

QString ChatCompletion::completionText(const QJsonValue &answer)
{
    return answer.toObject()
        .value(QStringLiteral("choices"))
        .toArray()
        .at(0)
        .toObject()
        .value(QStringLiteral("text"))
        .toString();
}

bool ChatCompletion::isLlmPipelineTag(const QString &tag)
{
    return tag == QLatin1String("text-generation") || tag == QLatin1String("conversational") ||
           tag == QLatin1String("image-text-to-text");
}

QString ChatCompletion::routerBaseOf(const QString &endpoint)
{
    QString e = trimmedEndpoint(endpoint);
    if (e.isEmpty())
        return defaultBaseUrl();
    for (const QLatin1String suffix : {QLatin1String("/hf-inference/models"), QLatin1String("/models")})
        if (e.endsWith(suffix)) {
            e.chop(suffix.size());
            break;
        }
    return e;
}

bool ChatCompletion::wouldAskHub(const InferenceRequest &request, const ModelInfoLookup &lookup)
{
    if (!request.task.isEmpty() || !request.inputs.isString() || !request.file.isEmpty() ||
        request.inputs.toString().isEmpty())
        return false;
    const QString endpoint =
        trimmedEndpoint(request.endpoint.isEmpty() ? InferenceRequest::defaultEndpoint() : request.endpoint);
    const QUrl target(endpoint);
    const QUrl hub(lookup.hubEndpoint());
    const bool router =
        target.host().compare(QLatin1String("router.huggingface.co"), Qt::CaseInsensitive) == 0;
    const bool sameOriginAsHub = target.scheme() == hub.scheme() &&
                                 target.host().compare(hub.host(), Qt::CaseInsensitive) == 0 &&
                                 target.port(-1) == hub.port(-1);
    return router || sameOriginAsHub;
}

std::optional<InferenceRequest> ChatCompletion::asChatIfLlm(const InferenceRequest &request,
                                                            ModelInfoLookup &lookup, QStringList *notes)
{
    if (!wouldAskHub(request, lookup))
        return std::nullopt;
    const QString endpoint =
        trimmedEndpoint(request.endpoint.isEmpty() ? InferenceRequest::defaultEndpoint() : request.endpoint);
    const QString tag = lookup.pipelineTag(request.model);
    if (!isLlmPipelineTag(tag))
        return std::nullopt;

    InferenceRequest chat = request;
    chat.task = taskId();
    chat.endpoint = routerBaseOf(endpoint);
    chat.inputs = messages(QString(), request.inputs.toString());
    QJsonObject parameters;
    const TaskSpec *spec = TaskCatalog::instance().task(taskId());
    const QJsonObject given = withoutNulls(request.parameters);
    for (auto it = given.begin(); it != given.end(); ++it) {
        QString name = it.key();
        if (name == QLatin1String("max_new_tokens"))
            name = QStringLiteral("max_tokens");
        if (spec && !spec->parameter(name)) {
            if (notes)
                notes->append(tr("The parameter \"%1\" has no meaning for a chat model and was left out.")
                                  .arg(it.key()));
            continue;
        }
        parameters.insert(name, it.value());
    }
    chat.parameters = parameters;
    if (notes)
        notes->prepend(tr("%1 is a %2 model on the hub: sent as a one-message chat to %3.")
                           .arg(request.model, tag, chatUrl(chat.endpoint, chat.model).toString()));
    return chat;
}

} // namespace idesk
