#include "CachedHubGet.h"

#include <QDateTime>

namespace idesk {

CachedHubGet::CachedHubGet(QObject *parent) : QObject(parent), m_request(new HubRequest(this))
{
    qRegisterMetaType<idesk::CachedHubResult>();
    connect(m_request, &HubRequest::finished, this, &CachedHubGet::onAnswer);
}

void CachedHubGet::setToken(const QString &token, const TokenPolicy &policy)
{
    m_request->setToken(token, policy);
    m_withToken = !token.trimmed().isEmpty();
}

void CachedHubGet::cancel()
{
    m_request->cancel();
    m_pendingCacheAnswer = false;
    ++m_generation;
}

bool CachedHubGet::hasFresh(const QUrl &url) const
{
    const auto entry = m_cache.find(HubCache::keyFor(url, m_withToken));
    return entry && entry->ageSeconds() < m_maxAge;
}

void CachedHubGet::get(const QUrl &url)
{
    cancel();
    // The key says whether a token may go along to this URL (the policy decides per origin).
    m_key = HubCache::keyFor(url, m_withToken);
    m_stale = m_cache.find(m_key);
    if (m_stale && m_stale->ageSeconds() < m_maxAge) {
        CachedHubResult result;
        result.answer.kind = HubAnswer::Kind::Ok;
        result.answer.url = url;
        result.body = m_stale->body;
        result.linkHeader = m_stale->nextLink;
        result.fromCache = true;
        result.cacheAgeSeconds = m_stale->ageSeconds();
        m_pendingCacheAnswer = true;
        const int generation = m_generation;
        QMetaObject::invokeMethod(
            this,
            [this, result, generation] {
                if (generation != m_generation)
                    return;
                m_pendingCacheAnswer = false;
                Q_EMIT finished(result);
            },
            Qt::QueuedConnection);
        return;
    }
    m_request->clearHeaders();
    if (m_stale && !m_stale->etag.isEmpty())
        m_request->setHeader("If-None-Match", m_stale->etag);
    ++m_networkRequests;
    m_request->get(url);
}

void CachedHubGet::onAnswer(const HubAnswer &answer)
{
    CachedHubResult result;
    result.answer = answer;
    if (answer.ok() && answer.notModified() && m_stale) {
        m_cache.touch(m_key);
        result.body = m_stale->body;
        result.linkHeader = m_stale->nextLink;
        result.fromCache = true;
        result.cacheAgeSeconds = 0;
    } else if (answer.ok() && !answer.notModified()) {
        result.body = answer.body;
        result.linkHeader = answer.header("Link");
        HubCache::Entry entry;
        entry.body = answer.body;
        entry.etag = answer.header("ETag");
        entry.nextLink = result.linkHeader;
        entry.savedAt = QDateTime::currentSecsSinceEpoch();
        m_cache.store(m_key, entry);
    } else if ((answer.kind == HubAnswer::Kind::Unreachable || answer.kind == HubAnswer::Kind::TimedOut) &&
               m_stale) {
        result.body = m_stale->body;
        result.linkHeader = m_stale->nextLink;
        result.fromCache = true;
        result.offline = true;
        result.cacheAgeSeconds = m_stale->ageSeconds();
    }
    m_stale.reset();
    Q_EMIT finished(result);
}

} // namespace idesk
