// Issue 15 and issue 13 point 6, the Hub calls' core against a loopback Hub (ReplayServer, HF_ENDPOINT):
// HubRequest (same-origin redirects only, the token never to another origin, the timeout), HubSearch
// (pages through the Link header, the disk cache: a hit sends nothing, ETag revalidation, offline answers;
// a 429 waits once and never loops) and the Link header reader.
#include "HubFixtures.h"
#include "HubRequest.h"
#include "HubSearch.h"
#include "ModelDetails.h"
#include "NetworkAccess.h"
#include "ReplayServer.h"
#include "TestConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

using idesk::CachedHubGet;
using idesk::HubAnswer;
using idesk::HubCache;
using idesk::HubRequest;
using idesk::HubSearch;
using idesk::HubSearchPage;
using idesk::HubSearchQuery;
using idesk::TokenPolicy;
using idesk::test::ReplayServer;

namespace {
QJsonObject json(const QByteArray &body, int status = 200)
{
    return idesk::test::hubAnswer(body, {}, status);
}

QJsonObject withHeaders(const QJsonObject &answer, const QJsonObject &headers)
{
    const QJsonObject h = answer.value(QStringLiteral("headers")).toObject();
    QJsonObject all = headers;
    for (auto it = h.begin(); it != h.end(); ++it)
        all.insert(it.key(), it.value());
    QJsonObject out = answer;
    out.insert(QStringLiteral("headers"), all);
    return out;
}

const QString kToken = QStringLiteral("hf_hubsearch_test_token");
} // namespace

class TestHubSearch : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_cache;
    int m_cacheRun = 0;

    HubCache freshCache() { return HubCache(m_cache.filePath(QStringLiteral("c%1").arg(++m_cacheRun))); }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ReplayServer>();
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
        qputenv("HF_ENDPOINT", m_server->urlString().toUtf8());
    }
    void init() { QVERIFY(m_server->reset()); }

    void sharedNetworkAccess()
    {
        QVERIFY(idesk::NetworkAccess::shared());
        QCOMPARE(idesk::NetworkAccess::shared(), idesk::NetworkAccess::shared());
    }

    void redirectsStayInTheOrigin()
    {
        // Same origin (relative Location): followed, with the token.
        QVERIFY(m_server->queue(
            QJsonArray{withHeaders(json("", 307),
                                   {{QStringLiteral("Location"), QStringLiteral("/api/models/new/name")}}),
                       json(R"({"id":"new/name"})")}));
        HubRequest request;
        TokenPolicy policy;
        policy.setExplicitEndpointChosen(true);
        request.setToken(kToken, policy);
        QSignalSpy done(&request, &HubRequest::finished);
        request.get(HubRequest::hubUrl(QStringLiteral("/api/models/old/name")));
        QVERIFY(done.wait(5000));
        HubAnswer answer = done.at(0).at(0).value<HubAnswer>();
        QVERIFY2(answer.ok(), qPrintable(answer.message));
        QCOMPARE(answer.url.path(), QStringLiteral("/api/models/new/name"));
        QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 2);
        QCOMPARE(ReplayServer::header(received.at(1), QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);

        // Another origin (localhost instead of 127.0.0.1, same port): not followed; a sentence says so.
        QVERIFY(m_server->reset());
        const QString elsewhere = QStringLiteral("http://localhost:%1/api/models/x").arg(m_server->port());
        QVERIFY(m_server->queue(
            QJsonArray{withHeaders(json("", 302), {{QStringLiteral("Location"), elsewhere}})}));
        request.get(HubRequest::hubUrl(QStringLiteral("/api/models/y")));
        QVERIFY(done.wait(5000));
        answer = done.at(1).at(0).value<HubAnswer>();
        QCOMPARE(answer.kind, HubAnswer::Kind::HttpError);
        QVERIFY2(answer.message.contains(QLatin1String("not followed")), qPrintable(answer.message));
        QCOMPARE(m_server->requests().size(), 1);
    }

    void timeoutAndErrors()
    {
        QVERIFY(m_server->queue(QJsonArray{QJsonObject{{QStringLiteral("status"), 200},
                                                       {QStringLiteral("body"), QStringLiteral("[]")},
                                                       {QStringLiteral("delay_first_byte_ms"), 5000}},
                                           json(R"({"error":"Repository not found"})", 404)}));
        HubRequest request;
        request.setTimeoutMs(300);
        QSignalSpy done(&request, &HubRequest::finished);
        request.get(HubRequest::hubUrl(QStringLiteral("/api/models/slow/one")));
        QVERIFY(done.wait(5000));
        QCOMPARE(done.at(0).at(0).value<HubAnswer>().kind, HubAnswer::Kind::TimedOut);
        request.setTimeoutMs(5000);
        request.get(HubRequest::hubUrl(QStringLiteral("/api/models/missing/one")));
        QVERIFY(done.wait(5000));
        const HubAnswer missing = done.at(1).at(0).value<HubAnswer>();
        QCOMPARE(missing.status, 404);
        QVERIFY2(missing.message.contains(QLatin1String("Repository not found")),
                 qPrintable(missing.message));
    }

    void retryAfterReading()
    {
        QCOMPARE(HubRequest::retryAfterSeconds("17", ""), 17);
        QCOMPARE(HubRequest::retryAfterSeconds("", "\"api\";r=0;t=55"), 55);
        QCOMPARE(HubRequest::retryAfterSeconds("", "limit=500, remaining=0, reset=30"), -1);
        QCOMPARE(HubRequest::retryAfterSeconds("", ""), -1);
    }

    void nextPageOnlyWithinTheHub()
    {
        const QUrl current(m_server->urlString() + QStringLiteral("/api/models?limit=2"));
        const QUrl next = HubSearch::nextPage(
            "<" + m_server->urlString().toUtf8() + "/api/models?cursor=abc>; rel=\"next\"", current);
        QCOMPARE(QUrlQuery(next).queryItemValue(QStringLiteral("cursor")), QStringLiteral("abc"));
        QVERIFY(
            !HubSearch::nextPage("<https://elsewhere.invalid/api/models?cursor=abc>; rel=\"next\"", current)
                 .isValid());
        QVERIFY(!HubSearch::nextPage("<" + m_server->urlString().toUtf8() + "/x>; rel=\"prev\"", current)
                     .isValid());
    }

    void pagesCacheAndRevalidation()
    {
        const QString link =
            QStringLiteral("<%1/api/models?cursor=p2>; rel=\"next\"").arg(m_server->urlString());
        QVERIFY(m_server->queue(
            QJsonArray{withHeaders(json(idesk::test::hubFixture(QStringLiteral("search-page1.json"))),
                                   {{QStringLiteral("Link"), link},
                                    {QStringLiteral("ETag"), QStringLiteral("W/\"v1\"")}}),
                       json(idesk::test::hubFixture(QStringLiteral("search-page2.json")))}));
        HubSearch search;
        search.fetcher()->setCache(freshCache());
        QSignalSpy pages(&search, &HubSearch::pageReady);
        HubSearchQuery query;
        query.text = QStringLiteral("acme");
        search.search(query);
        QVERIFY(pages.wait(5000));
        HubSearchPage page = pages.at(0).at(0).value<HubSearchPage>();
        QCOMPARE(page.models.size(), 2);
        QVERIFY(page.first && page.more && !page.fromCache);
        QVERIFY(search.fetchMore());
        QVERIFY(pages.wait(5000));
        page = pages.at(1).at(0).value<HubSearchPage>();
        QCOMPARE(page.models.size(), 1);
        QVERIFY(!page.first && !page.more);
        QCOMPARE(m_server->requests().size(), 2);

        // The same search again: from the cache, nothing sent.
        search.search(query);
        QVERIFY(pages.wait(5000));
        page = pages.at(2).at(0).value<HubSearchPage>();
        QVERIFY(page.fromCache && !page.offline);
        QCOMPARE(page.models.size(), 2);
        QCOMPARE(m_server->requests().size(), 2);

        // Too old: revalidated with the ETag; a 304 renews the entry.
        search.fetcher()->setMaxAgeSeconds(0);
        QVERIFY(m_server->queue(QJsonArray{json("", 304)}));
        search.search(query);
        QVERIFY(pages.wait(5000));
        page = pages.at(3).at(0).value<HubSearchPage>();
        QVERIFY(page.fromCache);
        QCOMPARE(page.models.size(), 2);
        QCOMPARE(m_server->requests().size(), 3);
        QCOMPARE(ReplayServer::header(m_server->requests().at(2), QStringLiteral("if-none-match")),
                 QStringLiteral("W/\"v1\""));
    }

    void offlineAnswersFromTheCache()
    {
        const HubCache cache = freshCache();
        QVERIFY(
            m_server->queue(QJsonArray{json(idesk::test::hubFixture(QStringLiteral("search-page1.json")))}));
        HubSearchQuery query;
        query.text = QStringLiteral("offline");
        {
            HubSearch search;
            search.fetcher()->setCache(cache);
            QSignalSpy pages(&search, &HubSearch::pageReady);
            search.search(query);
            QVERIFY(pages.wait(5000));
        }
        // The same Hub address, now with nothing listening: the stale entry answers, flagged offline.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QByteArray dead = "http://127.0.0.1:" + QByteArray::number(closed.serverPort());
        closed.close();
        const QByteArray live = qgetenv("HF_ENDPOINT");
        qputenv("HF_ENDPOINT", dead);
        // Copy the entry under the dead address's key (the cache key is the URL).
        {
            HubCache c = cache;
            qputenv("HF_ENDPOINT", live);
            const auto entry = c.find(HubCache::keyFor(query.url(), false));
            QVERIFY(entry);
            qputenv("HF_ENDPOINT", dead);
            c.store(HubCache::keyFor(query.url(), false), *entry);
        }
        HubSearch search;
        search.fetcher()->setCache(cache);
        search.fetcher()->setMaxAgeSeconds(0);
        QSignalSpy pages(&search, &HubSearch::pageReady);
        QSignalSpy failed(&search, &HubSearch::failed);
        search.search(query);
        QVERIFY(pages.wait(5000));
        const HubSearchPage page = pages.at(0).at(0).value<HubSearchPage>();
        QVERIFY(page.offline && page.fromCache);
        QCOMPARE(page.models.size(), 2);
        // Not cached at all: a failure that says unreachable.
        query.text = QStringLiteral("never-cached");
        search.search(query);
        QVERIFY(failed.wait(5000));
        QVERIFY(failed.at(0).at(1).toBool());
        qputenv("HF_ENDPOINT", live);
    }

    void rateLimitWaitsOnceNeverLoops()
    {
        const QJsonObject limited = withHeaders(json(R"({"error":"Too many requests"})", 429),
                                                {{QStringLiteral("Retry-After"), QStringLiteral("1")}});
        QVERIFY(m_server->queue(QJsonArray{limited, limited, json("[]")}));
        HubSearch search;
        search.fetcher()->setCache(freshCache());
        QSignalSpy limitedSpy(&search, &HubSearch::rateLimited);
        QSignalSpy pages(&search, &HubSearch::pageReady);
        HubSearchQuery query;
        query.text = QStringLiteral("busy");
        search.search(query);
        QVERIFY(limitedSpy.wait(5000));
        QCOMPARE(limitedSpy.at(0).at(0).toInt(), 1); // searching again in 1 s
        QVERIFY2(limitedSpy.at(0).at(1).toString().contains(QLatin1String("searching again in 1 s")),
                 qPrintable(limitedSpy.at(0).at(1).toString()));
        // The one retry, a second 429: reported, no retry scheduled.
        QTRY_COMPARE_WITH_TIMEOUT(limitedSpy.size(), 2, 5000);
        QCOMPARE(limitedSpy.at(1).at(0).toInt(), -1);
        QCOMPARE(m_server->requests().size(), 2);
        QVERIFY(!search.isBusy());
        QVERIFY(!pages.wait(1500)); // nothing else happens by itself
        QCOMPARE(m_server->requests().size(), 2);
    }

    void modelDetailsWithPrices()
    {
        qputenv("INFERENCE_DESK_ROUTER", m_server->urlString().toUtf8());
        QVERIFY(m_server->queue(
            QJsonArray{json(idesk::test::hubFixture(QStringLiteral("model-info-chat.json"))),
                       json(idesk::test::hubFixture(QStringLiteral("router-models.json"))),
                       ReplayServer::answer(200, QStringLiteral("text/plain"),
                                            idesk::test::hubFixture(QStringLiteral("readme-chat.md")))}));
        idesk::ModelDetails details;
        details.setCache(freshCache());
        QSignalSpy ready(&details, &idesk::ModelDetails::ready);
        details.fetch(QStringLiteral("acme/chat-7b-instruct"));
        QVERIFY(ready.wait(5000));
        qunsetenv("INFERENCE_DESK_ROUTER");
        const auto model = ready.at(0).at(0).value<idesk::HubModel>();
        QCOMPARE(model.providers.size(), 2);
        QCOMPARE(model.offers.size(), 1);
        QCOMPARE(model.offers.at(0).outputPrice, 0.6);
        QCOMPARE(model.offers.at(0).supportsTools, 1);
        QCOMPARE(model.languages, (QStringList{QStringLiteral("en"), QStringLiteral("fr")}));
        QCOMPARE(idesk::HubModel::exampleText(model.examples.at(0).toObject()),
                 QStringLiteral("Hello! Who are you?"));
        QVERIFY(model.summary.startsWith(QLatin1String("Chat 7B Instruct is a small")));
    }
};

QTEST_GUILESS_MAIN(TestHubSearch)
#include "TestHubSearch.moc"
