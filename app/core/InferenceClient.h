#pragma once

#include "EncodedRequest.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "Scrub.h"
#include "SseDecoder.h"
#include "TokenPolicy.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QTimer>

class QNetworkAccessManager;
#include <QNetworkReply>
#include <optional>

namespace idesk {

// One request in flight on QNetworkAccessManager: connect/read/idle timeouts and maxContentLength
// enforced while the answer streams in, cancel, progress, a 503 "model is loading" retry with
// x-wait-for-model: true, server-sent events, redirects that never carry the token to another origin.
class InferenceClient : public QObject
{
    Q_OBJECT
public:
    // `nam` may be injected (unit tests); by default the client owns one.
    explicit InferenceClient(QNetworkAccessManager *nam = nullptr, QObject *parent = nullptr);
    ~InferenceClient() override;

    // The token is also remembered by the scrubber, which masks it in everything printed or shown.
    void setToken(const QString &token)
    {
        m_token = token;
        Scrub::remember(token);
    }
    void setTokenPolicy(const TokenPolicy &policy) { m_policy = policy; }
    TokenPolicy tokenPolicy() const { return m_policy; }
    // Retry once the model is loaded when the server answers 503 "currently loading" (default on).
    void setRetryWhileLoading(bool on) { m_retryLoading = on; }
    // Longest wait before one loading retry, in seconds (estimated_time is capped by it). All the waits of
    // a request together are capped by HttpOptions::maxLoadingWaitMs, and the request as a whole by
    // HttpOptions::deadlineMs.
    void setMaxLoadingWait(int seconds) { m_maxLoadingWait = seconds; }
    // Extra CA certificates to trust besides the system's (a corporate proxy's). Returns false and sets
    // *error when the file cannot be read or holds no certificate.
    bool addCaCertificates(const QString &pemFile, QString *error = nullptr);

    bool isRunning() const { return m_reply != nullptr || m_retryTimer.isActive(); }
    // The sentence given when HttpOptions::deadlineMs is reached (also used by callers that time out
    // themselves).
    static QString deadlineMessage(qint64 deadlineMs, qint64 receivedBytes);

    // The last encoded request actually sent (token never included), for Raw views and tests.
    EncodedRequest lastSent() const { return m_sent; }
    // True when the token was attached to the last request.
    bool tokenAttached() const { return m_tokenAttached; }

public Q_SLOTS:
    void start(const idesk::InferenceRequest &request);
    // `request` already encoded (SendController encodes once): sends `encoded` as it is, and keeps the
    // request's shape for the advice in error messages.
    void start(const idesk::InferenceRequest &request, const idesk::EncodedRequest &encoded);
    void sendEncoded(const idesk::EncodedRequest &encoded, const idesk::HttpOptions &options);
    void cancel();

Q_SIGNALS:
    void progress(qint64 bytesSent, qint64 bytesReceived);
    // A 503 "loading" answer: retrying in `seconds` with x-wait-for-model: true.
    void waitingForModel(int seconds, const QString &message);
    // The token was not attached to the request for `url`, and why.
    void tokenWithheld(const QString &reason);
    // One server-sent event (text/event-stream answers) as it arrives: its data, and its `event:` name
    // ("" when the event has none; "error" for an error event).
    void streamEvent(const QByteArray &data, const QByteArray &eventName);
    void finished(const idesk::InferenceResult &result);

private:
    void send();
    void onMetaData();
    void onReadyRead();
    void onFinished();
    qint64 appendAvailable(QNetworkReply *reply); // bytes appended to m_received
    bool followRedirect(int status, const QByteArray &location);
    bool retryIfLoading(InferenceResult &result);
    void abortWith(InferenceResult::Outcome outcome, const QString &message);
    void onDeadline();
    void finish(InferenceResult result);

    QNetworkAccessManager *m_nam = nullptr;
    QPointer<QNetworkReply> m_reply;
    QString m_token;
    TokenPolicy m_policy;
    bool m_retryLoading = true;
    int m_maxLoadingWait = 120;
    QList<QSslCertificate> m_extraCas;
    QList<QByteArray> m_caFiles; // PEM bundles added, not parsed yet
    QList<QSslCertificate> extraCaCertificates();

    EncodedRequest m_sent;
    // What start() was asked (task, route, model; no file), for advice in error messages; none after
    // sendEncoded().
    std::optional<InferenceRequest> m_asked;
    HttpOptions m_options;
    bool m_tokenAttached = false;
    int m_attempt = 0;
    int m_redirects = 0;
    QUrl m_currentUrl;
    QByteArray m_currentMethod;
    bool m_currentMayCarryToken = true;
    qint64 m_bytesSent = 0;
    QByteArray m_received;
    SseDecoder m_sse;
    bool m_streaming = false;
    QElapsedTimer m_clock;
    qint64 m_firstByteMs = -1;
    QTimer m_readTimer;    // readTimeout: until the response headers arrive
    QTimer m_idleTimer;    // readIdleTimeout: silence between bytes
    QTimer m_connectTimer; // connectTimeout: until the request starts going out
    QTimer m_retryTimer;   // 503 loading back-off
    QTimer m_deadlineTimer;       // HttpOptions::deadlineMs: the whole request
    qint64 m_loadingWaitedMs = 0; // 503 waits so far, against HttpOptions::maxLoadingWaitMs
    QString m_loadingCapNote;     // why a 503 "loading" was not retried any more
    InferenceResult::Outcome m_abortOutcome = InferenceResult::Outcome::Success;
    QString m_abortMessage;
};

} // namespace idesk
