#include "HubSearch.h"

#include "HubRequest.h"
#include "ServiceBases.h"
#include "TokenPolicy.h"

#include <QRegularExpression>
#include <QUrlQuery>

namespace idesk {

QString HubSearchQuery::hubSort(const QString &sort)
{
    if (sort == QLatin1String("trending"))
        return QStringLiteral("trendingScore");
    if (sort == QLatin1String("downloads"))
        return QStringLiteral("downloads");
    if (sort == QLatin1String("likes"))
        return QStringLiteral("likes");
    if (sort == QLatin1String("updated"))
        return QStringLiteral("lastModified");
    return QString();
}

QStringList HubSearchQuery::expandedFields()
{
    return {QStringLiteral("pipeline_tag"),
            QStringLiteral("downloads"),
            QStringLiteral("likes"),
            QStringLiteral("lastModified"),
            QStringLiteral("gated"),
            QStringLiteral("tags"),
            QStringLiteral("inferenceProviderMapping")};
}

QUrl HubSearchQuery::url() const
{
    QUrlQuery q;
    if (!text.trimmed().isEmpty())
        q.addQueryItem(QStringLiteral("search"), text.trimmed());
    if (!task.isEmpty())
        q.addQueryItem(QStringLiteral("pipeline_tag"), task);
    if (!provider.isEmpty())
        q.addQueryItem(QStringLiteral("inference_provider"), provider);
    else if (!includeUnserved)
        q.addQueryItem(QStringLiteral("inference_provider"), QStringLiteral("all"));
    const QString key = hubSort(sort);
    if (!key.isEmpty()) {
        q.addQueryItem(QStringLiteral("sort"), key);
        q.addQueryItem(QStringLiteral("direction"), QStringLiteral("-1"));
    }
    q.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, 1000)));
    for (const QString &field : expandedFields())
        q.addQueryItem(QStringLiteral("expand[]"), field);
    return HubRequest::hubUrl(QStringLiteral("/api/models"), q);
}

HubSearch::HubSearch(QObject *parent) : QObject(parent), m_get(new CachedHubGet(this))
{
    qRegisterMetaType<idesk::HubSearchPage>();
    m_get->setMaxAgeSeconds(10 * 60);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        m_retried = true;
        send(m_retryUrl, m_first);
    });
    connect(m_get, &CachedHubGet::finished, this, &HubSearch::onFinished);
}

int HubSearch::limitedForSeconds() const
{
    if (!m_limitedClock.isValid())
        return 0;
    const qint64 left = m_limitedMs - m_limitedClock.elapsed();
    return left <= 0 ? 0 : int((left + 999) / 1000);
}

void HubSearch::cancel()
{
    m_get->cancel();
    m_retry.stop();
}

void HubSearch::search(const HubSearchQuery &query)
{
    m_query = query;
    m_next = QUrl();
    m_retried = false;
    const int wait = limitedForSeconds();
    if (wait > 0) {
        // The Hub asked us to wait: the latest search goes out once, when the wait is over.
        m_get->cancel();
        m_first = true;
        m_retryUrl = query.url();
        if (m_autoRetry) {
            m_retry.start(int(m_limitedMs - m_limitedClock.elapsed()));
            Q_EMIT rateLimited(wait, tr("The Hub is limiting requests: searching again in %1 s.").arg(wait));
        } else {
            Q_EMIT rateLimited(-1, tr("The Hub is limiting requests: try again in %1 s.").arg(wait));
        }
        return;
    }
    m_retry.stop();
    send(query.url(), true);
}

bool HubSearch::fetchMore()
{
    if (!m_next.isValid() || isBusy() || limitedForSeconds() > 0)
        return false;
    const QUrl next = m_next;
    m_next = QUrl();
    m_retried = false;
    send(next, false);
    return true;
}

void HubSearch::send(const QUrl &url, bool first)
{
    m_first = first;
    m_retryUrl = url;
    m_get->get(url);
}

void HubSearch::onFinished(const CachedHubResult &result)
{
    if (!result.ok()) {
        const HubAnswer &a = result.answer;
        if (a.status == 429) {
            const int seconds = a.retryAfterSeconds >= 0 ? a.retryAfterSeconds : 60;
            m_limitedClock.start();
            m_limitedMs = qint64(seconds) * 1000;
            if (m_autoRetry && !m_retried) {
                m_retry.start(int(m_limitedMs));
                Q_EMIT rateLimited(seconds,
                                   tr("The Hub is limiting requests: searching again in %1 s.").arg(seconds));
            } else {
                Q_EMIT rateLimited(-1, tr("The Hub is limiting requests: try again in %1 s.").arg(seconds));
            }
            return;
        }
        Q_EMIT failed(a.message, !a.reachedServer());
        return;
    }
    bool ok = false;
    HubSearchPage page;
    page.models = HubModel::listFromJson(result.body, &ok);
    if (!ok) {
        Q_EMIT failed(
            tr("The Hub's answer to the search is not a list of models: check HF_ENDPOINT, if set."), false);
        return;
    }
    m_next = nextPage(result.linkHeader, result.answer.url.isValid() ? result.answer.url : m_retryUrl);
    page.first = m_first;
    page.more = m_next.isValid();
    page.fromCache = result.fromCache;
    page.offline = result.offline;
    page.cacheAgeSeconds = result.cacheAgeSeconds;
    Q_EMIT pageReady(page);
}

QUrl HubSearch::nextPage(const QByteArray &linkHeader, const QUrl &current)
{
    // Link: <https://huggingface.co/api/models?...&cursor=...>; rel="next", <...>; rel="prev"
    static const QRegularExpression entry(QStringLiteral("<([^>]*)>\\s*;([^,<]*)"));
    static const QRegularExpression relNext(QStringLiteral("rel\\s*=\\s*\"?next\"?"));
    auto it = entry.globalMatch(QString::fromLatin1(linkHeader));
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (!relNext.match(m.captured(2)).hasMatch())
            continue;
        const QUrl next = current.resolved(QUrl(m.captured(1)));
        const QUrl hub(ServiceBases::hub());
        if (TokenPolicy::originOf(next) != TokenPolicy::originOf(hub))
            return QUrl(); // only within the Hub the person chose
        return next;
    }
    return QUrl();
}

} // namespace idesk
