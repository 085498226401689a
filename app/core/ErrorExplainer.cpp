#include "ErrorExplainer.h"

#include "InferenceRequest.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace idesk::ErrorExplainer {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ErrorExplainer", text);
}

QString fromJsonValue(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isArray()) {
        QStringList parts;
        for (const QJsonValue &item : v.toArray()) {
            const QString s = fromJsonValue(item);
            if (!s.isEmpty())
                parts << s;
        }
        return parts.join(QLatin1String("; "));
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (const char *key : {"message", "error", "detail", "msg"})
            if (o.contains(QLatin1String(key)))
                return fromJsonValue(o.value(QLatin1String(key)));
    }
    return {};
}

QString stripHtml(const QByteArray &body)
{
    const QString html = QString::fromUtf8(body);
    for (const char *tag : {"title", "h1"}) {
        const QRegularExpression re(QStringLiteral("<%1[^>]*>(.*?)</%1>").arg(QLatin1String(tag)),
                                    QRegularExpression::CaseInsensitiveOption |
                                        QRegularExpression::DotMatchesEverythingOption);
        const auto m = re.match(html);
        if (m.hasMatch()) {
            QString text = m.captured(1);
            text.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
            text = text.simplified();
            if (!text.isEmpty())
                return text;
        }
    }
    QString text = html;
    text.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    return text.simplified().left(200);
}

// The router's per-model routes: its host, or the /hf-inference/ path it serves them under.
bool onRouter(const QUrl &url)
{
    return url.host().compare(QUrl(InferenceRequest::defaultEndpoint()).host(), Qt::CaseInsensitive) == 0 ||
           url.path().startsWith(QLatin1String("/hf-inference/"));
}

// A 404 for text generation (or Kestra's form, no task) on the router: the model may be an LLM the
// router serves only on its OpenAI-compatible routes. Said for the app and the CLI alike.
QString chatRouteAdvice(const InferenceRequest &asked)
{
    const QString id = asked.model.trimmed().isEmpty() ? QStringLiteral("ID") : asked.model.trimmed();
    if (asked.task == QLatin1String("text-generation") && asked.route == TextGenerationRoute::Completions)
        return tr(" The model may be a chat model that the router serves only on its chat route: send it "
                  "as a Chat completion (CLI: inference-desk-cli chat --model %1).")
            .arg(id);
    return tr(" The model may be a chat model that the router serves only on its OpenAI-compatible routes: "
              "send it as a Chat completion (CLI: inference-desk-cli chat --model %1), or as text "
              "generation on the completions route (CLI: --task text-generation --route completions).")
        .arg(id);
}
} // namespace

QString serverMessage(const QByteArray &body, const QString &contentType)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &err);
        if (err.error == QJsonParseError::NoError) {
            const QString s = doc.isObject() ? fromJsonValue(doc.object()) : fromJsonValue(doc.array());
            if (!s.isEmpty())
                return s;
        }
    }
    if (looksLikeHtml(trimmed, contentType))
        return stripHtml(trimmed);
    return QString::fromUtf8(trimmed.left(500)).simplified();
}

void explainHttp(InferenceResult *result, const InferenceRequest *asked)
{
    const int status = result->status;
    result->serverMessage = serverMessage(result->body, result->contentType);
    const QString quoted = result->serverMessage.isEmpty()
                               ? QString()
                               : tr(" The server said: \"%1\".").arg(result->serverMessage);
    QString what;
    const bool retired =
        result->url.host().compare(InferenceRequest::retiredHost(), Qt::CaseInsensitive) == 0 ||
        result->serverMessage.contains(QLatin1String("no longer supported"));
    const QString webPage = explainWebPage(*result);
    if (retired && (status == 410 || status == 404 || status == 400)) {
        what = tr("The endpoint api-inference.huggingface.co was retired; use the router, %1.")
                   .arg(InferenceRequest::defaultEndpoint());
    } else if (status >= 300 && status < 400) {
        result->errorMessage = explainRedirect(*result);
        return;
    } else if (!webPage.isEmpty()) {
        result->errorMessage = webPage;
        return;
    } else if (status == 401) {
        what = tr("The token was refused (401). Check it, and that it has the \"Make calls to Inference "
                  "Providers\" permission (a fine-grained token at https://huggingface.co/settings/tokens).");
    } else if (status == 403) {
        what =
            tr("The token may not call this model (403): give it the \"Make calls to Inference Providers\" "
               "permission, or accept the model's licence on its page.");
    } else if (status == 404) {
        what = tr("Not found (404): check the model id and the endpoint; the model may not be served by "
                  "this provider.");
        if (asked && (asked->task.isEmpty() || asked->task == QLatin1String("text-generation")) &&
            onRouter(result->url))
            what += chatRouteAdvice(*asked);
    } else if (status == 429) {
        const QString advice = retryAfterAdvice(result->header("Retry-After"), QDateTime::currentDateTime());
        what = advice.isEmpty()
                   ? tr("Too many requests (429): wait a little before sending again, or use a token with a "
                        "higher quota.")
                   : tr("Too many requests (429): wait before sending again; %1.").arg(advice);
    } else if (status == 503 && result->serverMessage.contains(QLatin1String("loading"))) {
        what = tr("The model is still loading (503): send again in a moment, or turn on \"Wait for model\".");
    } else if (status == 413) {
        what = tr("The request is too large for the server (413): send a smaller input.");
    } else if (status == 400 || status == 422) {
        what = tr("The server could not use the request (%1): check the inputs and parameters for this "
                  "model's task.")
                   .arg(status);
    } else if (status >= 500) {
        what = tr("The server failed (%1): try again later; if it persists, the model may be unavailable.")
                   .arg(statusText(status, result->reason));
    } else {
        what = tr("The server answered %1.").arg(statusText(status, result->reason));
    }
    result->errorMessage = what + quoted;
}

QString explainNetwork(QNetworkReply::NetworkError error, const QString &qtMessage, const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(InferenceRequest::retiredHost(), Qt::CaseInsensitive) == 0 &&
        (error == QNetworkReply::HostNotFoundError || error == QNetworkReply::ConnectionRefusedError ||
         error == QNetworkReply::UnknownNetworkError)) {
        return tr("api-inference.huggingface.co was retired and no longer answers: change the endpoint to "
                  "the router, %1.")
            .arg(InferenceRequest::defaultEndpoint());
    }
    switch (error) {
    case QNetworkReply::HostNotFoundError:
        return tr("The host %1 was not found: check the endpoint and your network or proxy settings.")
            .arg(host);
    case QNetworkReply::ConnectionRefusedError:
        return tr("%1 refused the connection: check the endpoint's host and port.").arg(host);
    case QNetworkReply::SslHandshakeFailedError:
        return tr("The TLS certificate of %1 is not trusted (%2). If a company proxy re-signs traffic, give "
                  "its CA certificate with --ca-bundle or SSL_CERT_FILE.")
            .arg(host, qtMessage);
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return tr("The proxy failed (%1): check the proxy settings (https_proxy, no_proxy).").arg(qtMessage);
    case QNetworkReply::RemoteHostClosedError:
        return tr("%1 closed the connection before the answer was complete: try again.").arg(host);
    default:
        return tr("Could not reach %1: %2.").arg(host, qtMessage);
    }
}

void explainUnauthorizedWithoutToken(InferenceResult *result, const QString &withheldReason)
{
    const QString quoted = result->serverMessage.isEmpty()
                               ? QString()
                               : tr(" The server said: \"%1\".").arg(result->serverMessage);
    if (withheldReason.isEmpty())
        result->errorMessage =
            tr("The server wants a Hugging Face token (401), and none is set, so none was sent. Set one in "
               "the app's Settings > Hugging Face token, with `inference-desk-cli token set`, or in the "
               "HF_TOKEN environment variable (create it at https://huggingface.co/settings/tokens with the "
               "\"Make calls to Inference Providers\" permission).") +
            quoted;
    else
        result->errorMessage =
            tr("The server wants a token (401), but yours was not sent. %1").arg(withheldReason) + quoted;
}

} // namespace idesk::ErrorExplainer
