#pragma once

#include "TokenPolicy.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QNetworkReply>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

class QNetworkAccessManager;

namespace idesk {

// What one GET to the Hub or the router came back with.
struct HubAnswer
{
    enum class Kind {
        Ok,          // 2xx, or 304 Not Modified to a revalidation
        HttpError,   // the server answered another status (or a redirect that was not followed)
        Unreachable, // no HTTP answer: DNS, refused, TLS, proxy...
        TimedOut,    // no complete answer within the timeout
        TooLarge,    // the answer passed the size cap
    };
    Kind kind = Kind::Unreachable;
    int status = 0; // HTTP status, 0 without an HTTP answer
    QByteArray reason;
    QByteArray body;
    QUrl url; // the URL that answered (after same-origin redirects)
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError; // Qt's words for a transport failure ("" otherwise)
    bool tokenSent = false;
    // A sentence for a person: what went wrong and what to do ("" for Ok). Never holds the token.
    QString message;
    // For 429 (and 503 with Retry-After): seconds until the server takes requests again (Retry-After,
    // else the RateLimit header's t=); -1 when it did not say.
    int retryAfterSeconds = -1;

    bool ok() const { return kind == Kind::Ok; }
    bool notModified() const { return status == 304; }
    bool reachedServer() const
    {
        return kind == Kind::Ok || kind == Kind::HttpError || kind == Kind::TooLarge;
    }
    QByteArray header(const QByteArray &name) const; // case-insensitive, "" when absent
};

// One GET to the Hub (model info, whoami, search) or the router's catalogue, with the rules every such
// call shares: the shared QNetworkAccessManager (NetworkAccess), one timeout over the whole call,
// redirects followed only within the same origin (scheme, host, port; never https to http; at most 5),
// so the token never travels along a redirect; the token attached only where the TokenPolicy allows;
// an error sentence for a person (ErrorExplainer reads the server's own message); a size cap.
// URLs are built from ServiceBases (hubUrl/routerUrl), so HF_ENDPOINT and --router point them elsewhere.
class HubRequest : public QObject
{
    Q_OBJECT
public:
    explicit HubRequest(QObject *parent = nullptr);
    ~HubRequest() override;

    // {ServiceBases::hub()}{path}?{query}; path starts with "/".
    static QUrl hubUrl(const QString &path, const QUrlQuery &query = QUrlQuery());
    // {ServiceBases::router()}{path}.
    static QUrl routerUrl(const QString &path);

    void setNetworkAccess(QNetworkAccessManager *nam); // default NetworkAccess::shared()
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    void setMaxBytes(qint64 bytes) { m_maxBytes = bytes; }
    // The token goes along only where `policy` allows; "" sends none.
    void setToken(const QString &token, const TokenPolicy &policy);
    // An extra request header (If-None-Match...), for every later get() until clearHeaders().
    void setHeader(const QByteArray &name, const QByteArray &value);
    void clearHeaders() { m_headers.clear(); }

    // Starts the GET (a running one is cancelled first); ends with exactly one finished().
    void get(const QUrl &url);
    // Ends a running call without finished().
    void cancel();
    bool isRunning() const { return m_reply != nullptr; }

    // Seconds to wait from a 429/503's Retry-After (seconds or an HTTP date) or RateLimit (`t=N`)
    // header; -1 when neither says.
    static int retryAfterSeconds(const QByteArray &retryAfter, const QByteArray &rateLimit);

Q_SIGNALS:
    void finished(const idesk::HubAnswer &answer);

private:
    void send(const QUrl &url);
    void onFinished();
    void finish(HubAnswer answer);
    static QString explainStatus(const HubAnswer &answer, const QString &contentType);

    QNetworkAccessManager *m_nam = nullptr;
    QPointer<QNetworkReply> m_reply;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QString m_token;
    TokenPolicy m_policy;
    QTimer m_deadline;
    int m_timeoutMs = 15000;
    qint64 m_maxBytes = 32 << 20;
    int m_redirects = 0;
    bool m_timedOut = false;
    bool m_tooLarge = false;
};

} // namespace idesk

Q_DECLARE_METATYPE(idesk::HubAnswer)
