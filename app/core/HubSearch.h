#pragma once

#include "CachedHubGet.h"
#include "HubModel.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QUrl>

namespace idesk {

// What to search the Hub for: GET {hub}/api/models?search=&pipeline_tag=&inference_provider=&sort=&limit=
// with expand[]= for every field a row shows (when expand[] is given the Hub returns only those fields).
struct HubSearchQuery
{
    QString text;                 // search= ("" lists without a text filter)
    QString task;                 // pipeline_tag= ("" any task)
    QString provider;             // inference_provider=NAME; "" = any provider (inference_provider=all)
    bool includeUnserved = false; // no inference_provider filter at all (models nobody serves too)
    QString sort = QStringLiteral("trending"); // trending | downloads | likes | updated
    int limit = 30;                            // page size asked of the Hub (1..1000)

    static QStringList sorts()
    {
        return {QStringLiteral("trending"), QStringLiteral("downloads"), QStringLiteral("likes"),
                QStringLiteral("updated")};
    }
    // The Hub's sort key for a sort name ("" when unknown).
    static QString hubSort(const QString &sort);
    static QStringList expandedFields();
    QUrl url() const; // from ServiceBases::hub()
    bool operator==(const HubSearchQuery &o) const
    {
        return text == o.text && task == o.task && provider == o.provider &&
               includeUnserved == o.includeUnserved && sort == o.sort && limit == o.limit;
    }
};

// One page of results.
struct HubSearchPage
{
    QList<HubModel> models;
    bool first = true; // the first page of a search (replaces the rows), else appended
    bool more = false; // a next page exists (fetchMore())
    bool fromCache = false;
    bool offline = false; // the Hub could not be reached; these are cached answers
    qint64 cacheAgeSeconds = -1;
};

// Searches the Hub page by page (the `Link: <...>; rel="next"` header), through the disk cache
// (CachedHubGet). Polite: while the Hub says it is limiting requests (429), nothing is sent; the latest
// search is sent once when the wait is over (with autoRetry), never in a loop: a second 429 in a row
// only reports.
class HubSearch : public QObject
{
    Q_OBJECT
public:
    explicit HubSearch(QObject *parent = nullptr);

    CachedHubGet *fetcher() { return m_get; } // cache, max age, timeout
    void setToken(const QString &token, const TokenPolicy &policy) { m_get->setToken(token, policy); }
    void setAutoRetry(bool on) { m_autoRetry = on; }

    void search(const HubSearchQuery &query);
    // Loads the next page; false when there is none or a page is on its way.
    bool fetchMore();
    bool hasMore() const { return m_next.isValid(); }
    bool isBusy() const { return m_get->isRunning() || m_retry.isActive(); }
    void cancel();
    HubSearchQuery query() const { return m_query; }
    // Seconds left until the Hub takes requests again (0 when it is not limiting).
    int limitedForSeconds() const;

    // The URL of the next page from a Link header, when it points into the Hub's origin; invalid otherwise.
    static QUrl nextPage(const QByteArray &linkHeader, const QUrl &current);

Q_SIGNALS:
    void pageReady(const idesk::HubSearchPage &page);
    // The Hub is limiting requests: `seconds` until the next try (-1 when it will not try by itself).
    void rateLimited(int seconds, const QString &message);
    // `unreachable`: no HTTP answer (and nothing cached).
    void failed(const QString &message, bool unreachable);

private:
    void send(const QUrl &url, bool first);
    void onFinished(const CachedHubResult &result);

    CachedHubGet *m_get = nullptr;
    HubSearchQuery m_query;
    QUrl m_next;
    bool m_first = true;
    bool m_autoRetry = true;
    bool m_retried = false;
    QTimer m_retry;
    QUrl m_retryUrl;
    QElapsedTimer m_limitedClock;
    qint64 m_limitedMs = 0;
};

} // namespace idesk

Q_DECLARE_METATYPE(idesk::HubSearchPage)
