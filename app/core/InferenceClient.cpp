#include "InferenceClient.h"

#include "Duration.h"
#include "ErrorExplainer.h"
#include "LocalFile.h"
#include "RequestEncoder.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <cmath>

namespace idesk {

namespace {

QString mimeOf(const QByteArray &contentType)
{
    return QString::fromLatin1(contentType.split(';').first().trimmed().toLower());
}

QString charsetOf(const QByteArray &contentType)
{
    for (const QByteArray &part : contentType.split(';')) {
        const QByteArray p = part.trimmed();
        if (p.toLower().startsWith("charset="))
            return QString::fromLatin1(p.mid(8).trimmed()).remove(QLatin1Char('"'));
    }
    return {};
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           a.port(a.scheme() == QLatin1String("https") ? 443 : 80) ==
               b.port(b.scheme() == QLatin1String("https") ? 443 : 80);
}
} // namespace

InferenceClient::InferenceClient(QNetworkAccessManager *nam, QObject *parent) : QObject(parent), m_nam(nam)
{
    if (!m_nam) {
        QNetworkProxyFactory::setUseSystemConfiguration(true);
        m_nam = new QNetworkAccessManager(this);
    }
    for (QTimer *t : {&m_readTimer, &m_idleTimer, &m_connectTimer, &m_retryTimer, &m_deadlineTimer})
        t->setSingleShot(true);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &InferenceClient::onDeadline);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        abortWith(InferenceResult::Outcome::Timeout,
                  tr("No connection to %1 within connectTimeout (%2). Check the endpoint and network, or "
                     "raise connectTimeout.")
                      .arg(m_currentUrl.host(), Duration::toIso(m_options.connectTimeoutMs)));
    });
    connect(&m_readTimer, &QTimer::timeout, this, [this] {
        abortWith(
            InferenceResult::Outcome::Timeout,
            tr("The server did not start answering within readTimeout (%1). Raise readTimeout "
               "(--read-timeout, or Connection > Read timeout) for slow models, or turn on Wait for model.")
                .arg(Duration::toIso(m_options.readTimeoutMs)));
    });
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        abortWith(InferenceResult::Outcome::Timeout,
                  tr("The answer stalled: nothing arrived for readIdleTimeout (%1). Try again, or raise "
                     "readIdleTimeout (--read-idle-timeout).")
                      .arg(Duration::toIso(m_options.readIdleTimeoutMs)));
    });
    connect(&m_retryTimer, &QTimer::timeout, this, &InferenceClient::send);
}

InferenceClient::~InferenceClient()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

bool InferenceClient::addCaCertificates(const QString &pemFile, QString *error)
{
    // Checked now, parsed on the first https request: parsing a full system bundle costs tens of
    // milliseconds that a plain-http call should not pay.
    // Read now as a regular file under the document cap (a CA bundle of /dev/zero or a FIFO is refused).
    QString why;
    const auto pem =
        LocalFile::read(pemFile, LocalFile::kDefaultDocumentCap, &why,
                        tr("A CA bundle is a few hundred kilobytes; check that this is the right "
                           "file."));
    if (!pem) {
        if (error)
            *error = tr("Cannot use the CA bundle: %1").arg(why);
        return false;
    }
    if (!pem->contains("-----BEGIN CERTIFICATE-----")) {
        if (error)
            *error = tr("%1 holds no PEM certificate.").arg(pemFile);
        return false;
    }
    m_caFiles << *pem;
    return true;
}

QList<QSslCertificate> InferenceClient::extraCaCertificates()
{
    for (const QByteArray &pem : std::as_const(m_caFiles))
        m_extraCas += QSslCertificate::fromData(pem, QSsl::Pem);
    m_caFiles.clear();
    return m_extraCas;
}

QString InferenceClient::deadlineMessage(qint64 deadlineMs, qint64 receivedBytes)
{
    return tr("No complete answer within the deadline of %1 for the whole request (%2 bytes received). "
              "Raise the deadline for slow or long answers: --deadline DURATION (e.g. --deadline 30m).")
        .arg(Duration::toIso(deadlineMs))
        .arg(receivedBytes);
}

void InferenceClient::onDeadline()
{
    const QString message = deadlineMessage(m_options.deadlineMs, m_received.size());
    if (m_retryTimer.isActive()) { // waiting for a model to load
        m_retryTimer.stop();
        InferenceResult result;
        result.outcome = InferenceResult::Outcome::Timeout;
        result.errorMessage = message;
        result.url = m_currentUrl;
        result.attempts = m_attempt;
        result.elapsedMs = m_clock.elapsed();
        finish(result);
        return;
    }
    abortWith(InferenceResult::Outcome::Timeout, message);
}

void InferenceClient::start(const InferenceRequest &request)
{
    QString error;
    const EncodedRequest encoded = RequestEncoder::encode(request, &error);
    if (!encoded.url.isValid()) {
        InferenceResult result;
        result.outcome = InferenceResult::Outcome::InvalidRequest;
        result.errorMessage = error;
        m_sent = EncodedRequest();
        // Emit after returning so callers can connect/wait uniformly.
        QMetaObject::invokeMethod(
            this, [this, result] { Q_EMIT finished(result); }, Qt::QueuedConnection);
        return;
    }
    start(request, encoded);
}

void InferenceClient::start(const InferenceRequest &request, const EncodedRequest &encoded)
{
    sendEncoded(encoded, request.options);
    InferenceRequest asked = request;
    asked.file = InputFile(); // only the shape of the request is needed
    asked.inputs = QJsonValue();
    m_asked = asked;
}

void InferenceClient::sendEncoded(const EncodedRequest &encoded, const HttpOptions &options)
{
    cancel();
    m_sent = encoded;
    m_asked.reset();
    m_options = options;
    m_attempt = 0;
    m_redirects = 0;
    m_currentUrl = encoded.url;
    m_currentMethod = encoded.method;
    m_currentMayCarryToken = true;
    m_loadingWaitedMs = 0;
    m_loadingCapNote.clear();
    m_clock.start();
    // A server trickling one byte a second never trips the idle timeout: the deadline bounds the whole.
    if (m_options.deadlineMs > 0)
        m_deadlineTimer.start(int(qMin<qint64>(m_options.deadlineMs, INT_MAX)));
    else
        m_deadlineTimer.stop();
    send();
}

void InferenceClient::send()
{
    ++m_attempt;
    m_received.clear();
    m_sse = SseDecoder();
    m_streaming = false;
    m_firstByteMs = -1;
    m_bytesSent = 0;
    m_abortOutcome = InferenceResult::Outcome::Success;
    m_abortMessage.clear();

    QNetworkRequest req(m_currentUrl);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto &h : m_sent.headers)
        req.setRawHeader(h.first, h.second);
    if (m_options.connectionPoolIdleTimeoutMs > 0)
        req.setAttribute(QNetworkRequest::ConnectionCacheExpiryTimeoutSecondsAttribute,
                         int(std::ceil(m_options.connectionPoolIdleTimeoutMs / 1000.0)));
    if ((!m_extraCas.isEmpty() || !m_caFiles.isEmpty()) && m_currentUrl.scheme() == QLatin1String("https")) {
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.addCaCertificates(extraCaCertificates());
        req.setSslConfiguration(conf);
    }
    m_tokenAttached = false;
    if (!m_token.isEmpty()) {
        if (m_currentMayCarryToken && m_policy.mayAttach(m_currentUrl)) {
            req.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
            m_tokenAttached = true;
        } else if (!m_currentMayCarryToken) {
            Q_EMIT tokenWithheld(
                tr("The token was not sent along the redirect to %1, another origin.")
                    .arg(m_currentUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)));
        } else {
            Q_EMIT tokenWithheld(m_policy.refusalReason(m_currentUrl));
        }
    }

    const QByteArray body = m_currentMethod == "GET" ? QByteArray() : m_sent.body;
    m_reply = m_nam->sendCustomRequest(req, m_currentMethod, body);
    // Bounded buffering: Qt's network thread pauses instead of reading far past maxContentLength.
    m_reply->setReadBufferSize(1 << 20);
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::metaDataChanged, this, &InferenceClient::onMetaData);
    connect(reply, &QNetworkReply::readyRead, this, &InferenceClient::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &InferenceClient::onFinished);
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64) {
        m_bytesSent = sent;
        if (sent > 0)
            m_connectTimer.stop();
        if (m_idleTimer.isActive())
            m_idleTimer.start();
        Q_EMIT progress(m_bytesSent, m_received.size());
    });

    if (m_options.connectTimeoutMs > 0)
        m_connectTimer.start(int(qMin<qint64>(m_options.connectTimeoutMs, INT_MAX)));
    qint64 readMs = m_options.readTimeoutMs;
    // With x-wait-for-model the server holds the answer until the model is loaded.
    if (readMs > 0 && m_sent.header("x-wait-for-model") == "true")
        readMs = qMax(readMs, qMax<qint64>(m_options.readIdleTimeoutMs, 300000));
    if (readMs > 0)
        m_readTimer.start(int(qMin<qint64>(readMs, INT_MAX)));
    else
        m_readTimer.stop();
    m_idleTimer.stop();
}

void InferenceClient::onMetaData()
{
    if (!m_reply)
        return;
    m_connectTimer.stop();
    m_readTimer.stop();
    if (m_firstByteMs < 0)
        m_firstByteMs = m_clock.elapsed();
    // The answer has begun, so the request went out whole (small bodies may report no upload progress).
    if (m_bytesSent == 0 && m_currentMethod != "GET") {
        m_bytesSent = m_sent.body.size();
        Q_EMIT progress(m_bytesSent, m_received.size());
    }
    if (m_options.readIdleTimeoutMs > 0)
        m_idleTimer.start(int(qMin<qint64>(m_options.readIdleTimeoutMs, INT_MAX)));
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (m_options.maxContentLength > 0 && length.isValid() &&
        length.toLongLong() > m_options.maxContentLength) {
        abortWith(InferenceResult::Outcome::TooLarge,
                  tr("The answer is %1 bytes, over maxContentLength (%2 bytes). Raise maxContentLength "
                     "(--max-content-length, or Connection > Max content length) to receive it.")
                      .arg(length.toLongLong())
                      .arg(m_options.maxContentLength));
        return;
    }
    // One buffer of the advertised size: no doubling copies while a large answer comes in.
    if (length.isValid() && length.toLongLong() > m_received.capacity() &&
        (m_options.maxContentLength <= 0 || length.toLongLong() <= m_options.maxContentLength))
        m_received.reserve(length.toLongLong());
    m_streaming = mimeOf(m_reply->rawHeader("Content-Type")) == QLatin1String("text/event-stream");
}

void InferenceClient::onReadyRead()
{
    if (!m_reply)
        return;
    const qsizetype before = m_received.size();
    if (appendAvailable(m_reply) == 0)
        return;
    if (m_options.readIdleTimeoutMs > 0)
        m_idleTimer.start(int(qMin<qint64>(m_options.readIdleTimeoutMs, INT_MAX)));
    Q_EMIT progress(m_bytesSent, m_received.size());
    if (m_options.maxContentLength > 0 && m_received.size() > m_options.maxContentLength) {
        abortWith(
            InferenceResult::Outcome::TooLarge,
            tr("The answer grew over maxContentLength (%1 bytes) and was stopped. Raise "
               "maxContentLength (--max-content-length, or Connection > Max content length) to receive it.")
                .arg(m_options.maxContentLength));
        return;
    }
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_streaming && status >= 200 && status < 300)
        for (const SseDecoder::Event &e : m_sse.feed(m_received.mid(before)))
            Q_EMIT streamEvent(e.data, e.event);
}

qint64 InferenceClient::appendAvailable(QNetworkReply *reply)
{
    // Straight into the answer's buffer: no chunk copied in between (a 200 MB answer read through
    // readAll() had its chunks pile up next to it).
    const qint64 available = reply->bytesAvailable();
    if (available <= 0)
        return 0;
    const qsizetype before = m_received.size();
    m_received.resize(before + available);
    const qint64 got = reply->read(m_received.data() + before, available);
    m_received.resize(before + qMax<qint64>(got, 0));
    return qMax<qint64>(got, 0);
}

void InferenceClient::abortWith(InferenceResult::Outcome outcome, const QString &message)
{
    if (!m_reply)
        return;
    m_abortOutcome = outcome;
    m_abortMessage = message;
    m_reply->abort(); // emits finished -> onFinished
}

void InferenceClient::cancel()
{
    if (m_retryTimer.isActive()) {
        m_retryTimer.stop();
        InferenceResult result;
        result.outcome = InferenceResult::Outcome::Cancelled;
        result.errorMessage = tr("Cancelled.");
        result.url = m_currentUrl;
        result.attempts = m_attempt;
        finish(result);
        return;
    }
    abortWith(InferenceResult::Outcome::Cancelled, tr("Cancelled."));
}

bool InferenceClient::followRedirect(int status, const QByteArray &location)
{
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)
        return false;
    if (location.isEmpty())
        return false;
    if (++m_redirects > 5)
        return false;
    const QUrl next = m_currentUrl.resolved(QUrl::fromEncoded(location));
    if (!next.isValid() ||
        (next.scheme() != QLatin1String("http") && next.scheme() != QLatin1String("https")))
        return false;
    if (m_currentUrl.scheme() == QLatin1String("https") && next.scheme() == QLatin1String("http"))
        return false; // never downgrade
    if (!sameOrigin(m_currentUrl, next))
        m_currentMayCarryToken = false;
    if (status == 303 || ((status == 301 || status == 302) && m_currentMethod == "POST"))
        m_currentMethod = "GET";
    m_currentUrl = next;
    --m_attempt; // a redirect is not a new attempt
    return true;
}

bool InferenceClient::retryIfLoading(InferenceResult &result)
{
    if (!m_retryLoading || result.status != 503 || m_attempt >= 3)
        return false;
    const QJsonDocument doc = QJsonDocument::fromJson(result.body);
    const QString error = doc.object().value(QStringLiteral("error")).toString();
    if (!error.contains(QLatin1String("loading"), Qt::CaseInsensitive))
        return false;
    const double estimated = doc.object().value(QStringLiteral("estimated_time")).toDouble(10.0);
    // All the waits together stay within maxLoadingWaitMs (estimated_time: 1e9 must not wait 240 s).
    const qint64 budgetMs = m_options.maxLoadingWaitMs - m_loadingWaitedMs;
    if (m_options.maxLoadingWaitMs >= 0 && budgetMs <= 0) {
        m_loadingCapNote = tr("Stopped waiting for the model to load after %1 s in all, the limit for "
                              "loading waits. Try again later, or raise the limit: --max-wait DURATION "
                              "(e.g. --max-wait 10m), or --wait-for-model true to let the server hold the "
                              "answer.")
                               .arg(m_loadingWaitedMs / 1000);
        return false;
    }
    double cap = double(m_maxLoadingWait);
    if (m_options.maxLoadingWaitMs >= 0)
        cap = qMin(cap, std::ceil(budgetMs / 1000.0));
    const int seconds = int(qBound(0.0, std::isfinite(estimated) ? std::ceil(estimated) : cap, cap));
    m_loadingWaitedMs += qint64(seconds) * 1000;
    m_sent.setHeader("x-wait-for-model", "true");
    Q_EMIT waitingForModel(seconds, tr("The model is loading (%1). Sending again in %2 s with "
                                       "x-wait-for-model: true.")
                                        .arg(error)
                                        .arg(seconds));
    m_retryTimer.start(seconds * 1000);
    return true;
}

void InferenceClient::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_connectTimer.stop();
    m_readTimer.stop();
    m_idleTimer.stop();
    if (reply->isOpen())
        appendAvailable(reply);
    m_reply = nullptr;
    reply->deleteLater();

    InferenceResult result;
    result.url = m_currentUrl;
    result.attempts = m_attempt;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    result.headers = reply->rawHeaderPairs();
    const QByteArray contentType = reply->rawHeader("Content-Type");
    result.contentType = mimeOf(contentType);
    result.charset = charsetOf(contentType);
    if (result.charset.isEmpty())
        result.charset = m_options.defaultCharset;
    result.body = m_received;
    result.elapsedMs = m_clock.elapsed();
    result.firstByteMs = m_firstByteMs;

    if (m_abortOutcome != InferenceResult::Outcome::Success) {
        result.outcome = m_abortOutcome;
        result.errorMessage = m_abortMessage;
        if (result.outcome == InferenceResult::Outcome::TooLarge)
            result.body.clear(); // never hand a partial answer on as if it were whole
        finish(result);
        return;
    }
    const QNetworkReply::NetworkError error = reply->error();
    if (result.status == 0) {
        result.outcome = InferenceResult::Outcome::NetworkError;
        result.errorMessage = ErrorExplainer::explainNetwork(error, reply->errorString(), m_currentUrl);
        finish(result);
        return;
    }
    if (followRedirect(result.status, result.header("Location"))) {
        send();
        return;
    }
    if (error != QNetworkReply::NoError && result.status >= 200 && result.status < 300) {
        // A status arrived but the body did not complete (connection closed early).
        result.outcome = InferenceResult::Outcome::NetworkError;
        result.errorMessage = tr("The answer was cut off after %1 bytes (%2): try again.")
                                  .arg(result.body.size())
                                  .arg(reply->errorString());
        finish(result);
        return;
    }
    if (m_streaming)
        for (const SseDecoder::Event &e : m_sse.finish())
            Q_EMIT streamEvent(e.data, e.event);
    if (result.status >= 200 && result.status < 300) {
        result.outcome = InferenceResult::Outcome::Success;
        finish(result);
        return;
    }
    if (retryIfLoading(result))
        return;
    result.outcome = InferenceResult::Outcome::HttpError;
    ErrorExplainer::explainHttp(&result, m_asked ? &*m_asked : nullptr);
    if (result.status == 401 && !m_tokenAttached)
        ErrorExplainer::explainUnauthorizedWithoutToken(
            &result, m_token.isEmpty() ? QString()
                     : !m_currentMayCarryToken
                         ? tr("It is not sent along a redirect to another origin (%1).")
                               .arg(m_currentUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery))
                         : m_policy.refusalReason(m_currentUrl));
    if (!m_loadingCapNote.isEmpty())
        result.errorMessage += QLatin1Char(' ') + m_loadingCapNote;
    finish(result);
}

void InferenceClient::finish(InferenceResult result)
{
    m_deadlineTimer.stop();
    Q_EMIT finished(result);
}

} // namespace idesk
