#include "HubRequest.h"

#include "ErrorExplainer.h"
#include "NetworkAccess.h"
#include "RequestEncoder.h"
#include "ServiceBases.h"

#include <QDateTime>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>

namespace idesk {

namespace {
constexpr int kMaxRedirects = 5;

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 &&
           a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           a.port(a.scheme() == QLatin1String("https") ? 443 : 80) ==
               b.port(b.scheme() == QLatin1String("https") ? 443 : 80);
}
} // namespace

QByteArray HubAnswer::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return QByteArray();
}

HubRequest::HubRequest(QObject *parent) : QObject(parent), m_nam(NetworkAccess::shared())
{
    qRegisterMetaType<idesk::HubAnswer>();
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (!m_reply)
            return;
        m_timedOut = true;
        m_reply->abort();
    });
}

HubRequest::~HubRequest()
{
    cancel();
}

QUrl HubRequest::hubUrl(const QString &path, const QUrlQuery &query)
{
    QUrl url(ServiceBases::hub() + path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QUrl HubRequest::routerUrl(const QString &path)
{
    return QUrl(ServiceBases::router() + path);
}

void HubRequest::setNetworkAccess(QNetworkAccessManager *nam)
{
    m_nam = nam ? nam : NetworkAccess::shared();
}

void HubRequest::setToken(const QString &token, const TokenPolicy &policy)
{
    m_token = token.trimmed();
    m_policy = policy;
}

void HubRequest::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : m_headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    m_headers.append({name, value});
}

void HubRequest::cancel()
{
    m_deadline.stop();
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void HubRequest::get(const QUrl &url)
{
    cancel();
    m_redirects = 0;
    m_timedOut = false;
    m_tooLarge = false;
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http"))) {
        HubAnswer answer;
        answer.url = url;
        answer.message = tr("%1 is not an http(s) address: check HF_ENDPOINT, --router or "
                            "INFERENCE_DESK_ROUTER, if set.")
                             .arg(url.toDisplayString(QUrl::RemoveUserInfo));
        QMetaObject::invokeMethod(
            this, [this, answer] { finish(answer); }, Qt::QueuedConnection);
        return;
    }
    m_deadline.start(qMax(1, m_timeoutMs));
    send(url);
}

void HubRequest::send(const QUrl &url)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", RequestEncoder::userAgent());
    for (const auto &h : m_headers)
        request.setRawHeader(h.first, h.second);
    const bool withToken = !m_token.isEmpty() && m_policy.mayAttach(url);
    if (withToken)
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_reply = m_nam->get(request);
    m_reply->setProperty("idesk_token_sent", withToken);
    connect(m_reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64) {
        if (m_reply && received > m_maxBytes) {
            m_tooLarge = true;
            m_reply->abort();
        }
    });
    connect(m_reply, &QNetworkReply::finished, this, &HubRequest::onFinished);
}

void HubRequest::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();

    HubAnswer answer;
    answer.url = reply->url();
    answer.tokenSent = reply->property("idesk_token_sent").toBool();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    answer.headers = reply->rawHeaderPairs();
    const QString host = answer.url.host();

    if (m_timedOut) {
        answer.kind = HubAnswer::Kind::TimedOut;
        answer.status = 0;
        answer.message = tr("%1 did not answer within %2 s: check the network connection (and HF_ENDPOINT "
                            "or --router, if set) and try again.")
                             .arg(host)
                             .arg(qMax(1, m_timeoutMs / 1000));
        finish(answer);
        return;
    }
    if (m_tooLarge) {
        answer.kind = HubAnswer::Kind::TooLarge;
        answer.message =
            tr("The answer of %1 is larger than %2 MB; it was not read.").arg(host).arg(m_maxBytes >> 20);
        finish(answer);
        return;
    }
    if (answer.status == 0) {
        answer.kind = HubAnswer::Kind::Unreachable;
        answer.networkError = reply->errorString();
        answer.message = ErrorExplainer::explainNetwork(reply->error(), reply->errorString(), answer.url);
        finish(answer);
        return;
    }
    answer.body = reply->readAll();

    const QByteArray location = answer.header("Location");
    if ((answer.status == 301 || answer.status == 302 || answer.status == 303 || answer.status == 307 ||
         answer.status == 308) &&
        !location.isEmpty()) {
        const QUrl next = answer.url.resolved(QUrl::fromEncoded(location));
        if (sameOrigin(answer.url, next) && m_redirects < kMaxRedirects) {
            ++m_redirects;
            send(next);
            return;
        }
        answer.kind = HubAnswer::Kind::HttpError;
        answer.message =
            m_redirects >= kMaxRedirects
                ? tr("%1 redirected more than %2 times; the redirects were not followed further.")
                      .arg(host)
                      .arg(kMaxRedirects)
                : tr("%1 redirected to %2, another address; it was not followed (the token never travels "
                     "to another origin). Check HF_ENDPOINT or --router, if set.")
                      .arg(host, next.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
        finish(answer);
        return;
    }
    if ((answer.status >= 200 && answer.status < 300) || answer.status == 304) {
        answer.kind = HubAnswer::Kind::Ok;
        finish(answer);
        return;
    }
    answer.kind = HubAnswer::Kind::HttpError;
    if (answer.status == 429 || answer.status == 503)
        answer.retryAfterSeconds =
            retryAfterSeconds(answer.header("Retry-After"), answer.header("RateLimit"));
    answer.message = explainStatus(answer, reply->header(QNetworkRequest::ContentTypeHeader).toString());
    finish(answer);
}

QString HubRequest::explainStatus(const HubAnswer &answer, const QString &contentType)
{
    const QString host = answer.url.host();
    const QString server = ErrorExplainer::serverMessage(answer.body, contentType);
    const QString said = tr("%1 answered %2%3.")
                             .arg(host, ErrorExplainer::statusText(answer.status, answer.reason),
                                  server.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(server));
    QString advice;
    switch (answer.status) {
    case 401:
        advice = answer.tokenSent
                     ? tr("The token was refused: check it with `inference-desk-cli token status "
                          "--check`.")
                     : tr("The model may be private: set a token (HF_TOKEN or the keychain).");
        break;
    case 403:
        advice = tr("The model may be gated: accept its conditions on its Hub page, with the account of "
                    "your token.");
        break;
    case 404:
        advice = tr("Check the model id (owner/name, as on its Hub page).");
        break;
    case 429:
        advice = answer.retryAfterSeconds >= 0
                     ? tr("The Hub is limiting requests: try again in %1 s.").arg(answer.retryAfterSeconds)
                     : tr("The Hub is limiting requests: try again in a minute.");
        break;
    default:
        if (answer.status >= 500)
            advice = tr("The service has a problem: try again later.");
        break;
    }
    return advice.isEmpty() ? said : said + QLatin1Char(' ') + advice;
}

void HubRequest::finish(HubAnswer answer)
{
    m_deadline.stop();
    Q_EMIT finished(answer);
}

int HubRequest::retryAfterSeconds(const QByteArray &retryAfter, const QByteArray &rateLimit)
{
    const QByteArray value = retryAfter.trimmed();
    if (!value.isEmpty()) {
        bool isNumber = false;
        const qint64 seconds = value.toLongLong(&isNumber);
        if (isNumber && seconds >= 0)
            return int(qMin<qint64>(seconds, 24 * 3600));
        const QDateTime when = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
        if (when.isValid())
            return int(qBound<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(when), qint64(24 * 3600)));
    }
    // RateLimit: "api";r=0;t=55 (IETF draft: t = seconds until the quota resets)
    static const QRegularExpression reset(QStringLiteral("(?:^|[;,\\s])t=(\\d{1,6})(?:$|[;,\\s])"));
    const QRegularExpressionMatch match = reset.match(QString::fromLatin1(rateLimit));
    if (match.hasMatch())
        return match.captured(1).toInt();
    return -1;
}

} // namespace idesk
