#pragma once

#include "HubCache.h"
#include "HubRequest.h"

#include <QObject>

namespace idesk {

// What a cached GET came back with: the answer's bytes from the server or from the cache.
struct CachedHubResult
{
    HubAnswer answer;      // the server's answer (kind Ok with status 0 when the cache answered alone)
    QByteArray body;       // the bytes to read (from the server or the cache)
    QByteArray linkHeader; // Link (pagination)
    bool fromCache = false;
    bool offline = false;        // the server could not be reached: body is an older cached answer
    qint64 cacheAgeSeconds = -1; // with fromCache
    bool ok() const { return answer.ok() || fromCache; }
};

// One GET through the HubCache (polite to the Hub):
//  - an entry younger than maxAgeSeconds answers at once (queued), without a request;
//  - an older one is revalidated (If-None-Match with its ETag; a 304 renews it);
//  - a 2xx answer is stored;
//  - when the server cannot be reached (or times out), an entry of any age answers, flagged offline.
// Errors (404, 429...) are never cached and never answered from the cache.
class CachedHubGet : public QObject
{
    Q_OBJECT
public:
    explicit CachedHubGet(QObject *parent = nullptr);

    HubRequest *request() { return m_request; } // timeout, token, network access
    void setCache(const HubCache &cache) { m_cache = cache; }
    const HubCache &cache() const { return m_cache; }
    void setMaxAgeSeconds(qint64 seconds) { m_maxAge = seconds; }
    void setToken(const QString &token, const TokenPolicy &policy);

    // True when get(url) would answer from the cache at once, without a request.
    bool hasFresh(const QUrl &url) const;
    // Starts the GET (a running one is cancelled); ends with one finished().
    void get(const QUrl &url);
    void cancel();
    bool isRunning() const { return m_request->isRunning() || m_pendingCacheAnswer; }
    // Requests that reached the network since construction (tests, benchmarks).
    int networkRequests() const { return m_networkRequests; }

Q_SIGNALS:
    void finished(const idesk::CachedHubResult &result);

private:
    void onAnswer(const HubAnswer &answer);

    HubRequest *m_request = nullptr;
    HubCache m_cache;
    qint64 m_maxAge = 600;
    bool m_withToken = false;
    QString m_key;
    std::optional<HubCache::Entry> m_stale;
    bool m_pendingCacheAnswer = false;
    int m_generation = 0;
    int m_networkRequests = 0;
};

} // namespace idesk

Q_DECLARE_METATYPE(idesk::CachedHubResult)
