// Issue 15, `inference-desk-cli models search|info` as a separate process against a loopback Hub and router
// (HF_ENDPOINT, --router) answering constructed fixtures (tests/data/constructed/hub): the filters in the
// query string, expand[] for every shown field, json and pretty output (100 columns), --limit printing
// exactly N without asking for the next page once N are in hand, pagination through the Link header, a cache
// hit that sends nothing, a 429 answered once (no retry loop), offline with a cache, exit codes 1 and 3.
#include "CliRunner.h"
#include "HubFixtures.h"
#include "TestConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::ReplayServer;

namespace {
QByteArray fixture(const QString &name)
{
    return idesk::test::hubFixture(name);
}

QJsonObject jsonAnswer(const QByteArray &body, const QJsonObject &headers = {}, int status = 200)
{
    return idesk::test::hubAnswer(body, headers, status);
}

QUrlQuery queryOf(const QJsonValue &request)
{
    return QUrlQuery(request.toObject().value(QStringLiteral("query")).toString());
}
} // namespace

class TestCliModels : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_home;
    int m_cacheRun = 0;

    CliRun models(const QStringList &args, bool freshCache = true, const QString &hub = QString())
    {
        if (freshCache)
            ++m_cacheRun;
        CliOptions o;
        o.token = QStringLiteral("hf_models_test_token");
        o.failIfTokenPrinted = true;
        o.set.insert(QStringLiteral("HF_ENDPOINT"), hub.isEmpty() ? m_server->urlString() : hub);
        o.set.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        o.set.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        o.set.insert(QStringLiteral("XDG_CACHE_HOME"),
                     m_home.filePath(QStringLiteral("cache%1").arg(m_cacheRun)));
        o.set.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1,localhost"));
        o.unset << QStringLiteral("INFERENCE_DESK_ROUTER");
        return idesk::test::runCli(QStringList{QStringLiteral("models")} + args, o);
    }

    QString nextLink(const QString &cursor) const
    {
        return QStringLiteral("<%1/api/models?cursor=%2&limit=2>; rel=\"next\"")
            .arg(m_server->urlString(), cursor);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
        QVERIFY(!fixture(QStringLiteral("search-page1.json")).isEmpty());
    }
    void init() { QVERIFY(m_server->reset()); }

    void searchJsonAndFilters()
    {
        QVERIFY(m_server->queue(QJsonArray{jsonAnswer(fixture(QStringLiteral("search-page1.json")))}));
        const CliRun r = models({QStringLiteral("search"), QStringLiteral("chat"), QStringLiteral("--task"),
                                 QStringLiteral("text-generation"), QStringLiteral("--sort"),
                                 QStringLiteral("downloads"), QStringLiteral("--limit"), QStringLiteral("2"),
                                 QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/api/models"));
        const QUrlQuery q = queryOf(received.at(0));
        QCOMPARE(q.queryItemValue(QStringLiteral("search")), QStringLiteral("chat"));
        QCOMPARE(q.queryItemValue(QStringLiteral("pipeline_tag")), QStringLiteral("text-generation"));
        QCOMPARE(q.queryItemValue(QStringLiteral("inference_provider")), QStringLiteral("all"));
        QCOMPARE(q.queryItemValue(QStringLiteral("sort")), QStringLiteral("downloads"));
        QCOMPARE(q.queryItemValue(QStringLiteral("limit")), QStringLiteral("2"));
        const QStringList expanded = q.allQueryItemValues(QStringLiteral("expand[]"));
        for (const char *field :
             {"pipeline_tag", "downloads", "likes", "lastModified", "gated", "inferenceProviderMapping"})
            QVERIFY2(expanded.contains(QLatin1String(field)), field);
        QCOMPARE(ReplayServer::header(received.at(0), QStringLiteral("authorization")),
                 QStringLiteral("Bearer hf_models_test_token")); // HF_ENDPOINT is chosen by the person

        const QJsonArray out = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(out.size(), 2);
        const QJsonObject first = out.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("id")).toString(), QStringLiteral("acme/chat-7b-instruct"));
        QCOMPARE(first.value(QStringLiteral("task")).toString(), QStringLiteral("text-generation"));
        QCOMPARE(first.value(QStringLiteral("downloads")).toInteger(), 1234567);
        QCOMPARE(first.value(QStringLiteral("likes")).toInteger(), 890);
        const QJsonArray providers = first.value(QStringLiteral("providers")).toArray();
        QCOMPARE(providers.size(), 2);
        QCOMPARE(
            providers.at(0).toObject(),
            (QJsonObject{{QStringLiteral("provider"), QStringLiteral("together")},
                         {QStringLiteral("status"), QStringLiteral("live")},
                         {QStringLiteral("task"), QStringLiteral("conversational")},
                         {QStringLiteral("providerId"), QStringLiteral("acme/Chat-7B-Instruct-Turbo")}}));
        QCOMPARE(out.at(1).toObject().value(QStringLiteral("gated")).toString(), QStringLiteral("manual"));
        QCOMPARE(out.at(1).toObject().value(QStringLiteral("license")).toString(), QStringLiteral("mit"));
    }

    void providerAndUnservedFilters()
    {
        QVERIFY(m_server->queue(QJsonArray{jsonAnswer("[]"), jsonAnswer("[]")}));
        CliRun r = models({QStringLiteral("search"), QStringLiteral("--provider"), QStringLiteral("fal-ai")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = models({QStringLiteral("search"), QStringLiteral("--include-unserved"), QStringLiteral("--sort"),
                    QStringLiteral("updated")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 2);
        QCOMPARE(queryOf(received.at(0)).queryItemValue(QStringLiteral("inference_provider")),
                 QStringLiteral("fal-ai"));
        QCOMPARE(queryOf(received.at(0)).queryItemValue(QStringLiteral("sort")),
                 QStringLiteral("trendingScore"));
        QVERIFY(!queryOf(received.at(1)).hasQueryItem(QStringLiteral("inference_provider")));
        QCOMPARE(queryOf(received.at(1)).queryItemValue(QStringLiteral("sort")),
                 QStringLiteral("lastModified"));
        QVERIFY(!queryOf(received.at(1)).hasQueryItem(QStringLiteral("search")));
        // Bad values are refused before anything is sent.
        r = models({QStringLiteral("search"), QStringLiteral("--sort"), QStringLiteral("best")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--sort"));
        r = models({QStringLiteral("search"), QStringLiteral("--limit"), QStringLiteral("0")});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(m_server->requests().size(), 2);
    }

    void limitFollowsPagesOnlyUntilEnough()
    {
        // --limit 3: page 1 (2 models, a next link), page 2 (1 model, another next link): 3 in hand, so
        // the third page is never asked for.
        QVERIFY(
            m_server->queue(QJsonArray{jsonAnswer(fixture(QStringLiteral("search-page1.json")),
                                                  {{QStringLiteral("Link"), nextLink(QStringLiteral("p2"))}}),
                                       jsonAnswer(fixture(QStringLiteral("search-page2.json")),
                                                  {{QStringLiteral("Link"), nextLink(QStringLiteral("p3"))}}),
                                       jsonAnswer(fixture(QStringLiteral("search-page2.json")))}));
        CliRun r = models({QStringLiteral("search"), QStringLiteral("--limit"), QStringLiteral("3"),
                           QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 3);
        QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 2);
        QCOMPARE(queryOf(received.at(1)).queryItemValue(QStringLiteral("cursor")), QStringLiteral("p2"));

        // --limit 1 from a page of 2: exactly one printed, no second request.
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queue(
            QJsonArray{jsonAnswer(fixture(QStringLiteral("search-page1.json")),
                                  {{QStringLiteral("Link"), nextLink(QStringLiteral("p2"))}})}));
        r = models({QStringLiteral("search"), QStringLiteral("--limit"), QStringLiteral("1"),
                    QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 1);
        QCOMPARE(m_server->requests().size(), 1);
    }

    void prettyTableFits100Columns()
    {
        QVERIFY(m_server->queue(QJsonArray{jsonAnswer(fixture(QStringLiteral("search-page1.json")))}));
        const CliRun r = models({QStringLiteral("search"), QStringLiteral("acme")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList lines = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        for (const QString &line : lines)
            QVERIFY2(line.size() <= 100, qPrintable(line));
        QVERIFY(lines.at(0).startsWith(QLatin1String("MODEL")));
        QVERIFY(lines.at(1).contains(QLatin1String("acme/chat-7b-instruct")));
        QVERIFY(lines.at(1).contains(QLatin1String("1.2M")));
        QVERIFY2(lines.at(1).contains(QLatin1String("together")), qPrintable(lines.at(1)));
        QVERIFY(lines.at(2).contains(QChar(0x2026))); // the long id is elided
    }

    void cacheHitSendsNothing()
    {
        QVERIFY(m_server->queue(QJsonArray{jsonAnswer(fixture(QStringLiteral("search-page1.json")))}));
        const QStringList args{QStringLiteral("search"), QStringLiteral("cached"), QStringLiteral("--format"),
                               QStringLiteral("json")};
        const CliRun first = models(args);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QCOMPARE(m_server->requests().size(), 1);
        const CliRun second = models(args, false); // same cache directory
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QCOMPARE(second.out, first.out);
        QCOMPARE(m_server->requests().size(), 1);
        // Another query is not in the cache.
        QVERIFY(m_server->queue(QJsonArray{jsonAnswer("[]")}));
        QCOMPARE(models({QStringLiteral("search"), QStringLiteral("other")}, false).exitCode, 0);
        QCOMPARE(m_server->requests().size(), 2);
    }

    void rateLimitedOnceNoLoop()
    {
        QVERIFY(m_server->queue(
            QJsonArray{jsonAnswer(R"({"error":"Too many requests"})",
                                  {{QStringLiteral("RateLimit"), QStringLiteral("\"api\";r=0;t=42")}}, 429),
                       jsonAnswer("[]")}));
        const CliRun r = models({QStringLiteral("search"), QStringLiteral("busy")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("42 s"), r.err.constData());
        QCOMPARE(m_server->requests().size(), 1);
    }

    void unreachableAndOffline()
    {
        // Nothing listens there and nothing is cached: exit 3.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QString dead = QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort());
        closed.close();
        CliRun r = models({QStringLiteral("search"), QStringLiteral("x")}, true, dead);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("refused"), r.err.constData());
        // A Hub error: exit 1, with the Hub's words.
        QVERIFY(m_server->queue(QJsonArray{jsonAnswer(R"({"error":"Repository not found"})", {}, 404)}));
        r = models({QStringLiteral("info"), QStringLiteral("acme/missing")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("Repository not found"), r.err.constData());
    }

    void infoJsonWithPricing()
    {
        QVERIFY(m_server->queue(QJsonArray{jsonAnswer(fixture(QStringLiteral("model-info-chat.json"))),
                                           jsonAnswer(fixture(QStringLiteral("router-models.json"))),
                                           ReplayServer::answer(200, QStringLiteral("text/plain"),
                                                                fixture(QStringLiteral("readme-chat.md")))}));
        const CliRun r = models({QStringLiteral("info"), QStringLiteral("acme/chat-7b-instruct"),
                                 QStringLiteral("--format"), QStringLiteral("json"),
                                 QStringLiteral("--router"), m_server->urlString()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 3);
        QCOMPARE(received.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/api/models/acme/chat-7b-instruct"));
        const QStringList expanded = queryOf(received.at(0)).allQueryItemValues(QStringLiteral("expand[]"));
        for (const char *field :
             {"cardData", "widgetData", "gated", "library_name", "inferenceProviderMapping"})
            QVERIFY2(expanded.contains(QLatin1String(field)), field);
        QCOMPARE(received.at(1).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/v1/models"));
        const QJsonObject info = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(info.value(QStringLiteral("id")).toString(), QStringLiteral("acme/chat-7b-instruct"));
        QCOMPARE(info.value(QStringLiteral("task")).toString(), QStringLiteral("text-generation"));
        QCOMPARE(info.value(QStringLiteral("license")).toString(), QStringLiteral("apache-2.0"));
        QCOMPARE(info.value(QStringLiteral("gated")).toString(), QStringLiteral("auto"));
        QCOMPARE(info.value(QStringLiteral("providers")).toArray().size(), 2);
        QCOMPARE(info.value(QStringLiteral("examples")).toArray().size(), 2);
        const QJsonArray pricing = info.value(QStringLiteral("pricing")).toArray();
        QCOMPARE(pricing.size(), 1);
        QCOMPARE(pricing.at(0).toObject().value(QStringLiteral("provider")).toString(),
                 QStringLiteral("together"));
        QCOMPARE(pricing.at(0).toObject().value(QStringLiteral("input_per_million")).toDouble(), 0.2);
        QCOMPARE(pricing.at(0).toObject().value(QStringLiteral("context_length")).toInteger(), 131072);
        QVERIFY(info.value(QStringLiteral("summary"))
                    .toString()
                    .startsWith(QLatin1String("Chat 7B Instruct is")));
    }

    void infoPretty()
    {
        QVERIFY(m_server->queue(QJsonArray{jsonAnswer(fixture(QStringLiteral("model-info-chat.json"))),
                                           jsonAnswer(fixture(QStringLiteral("router-models.json"))),
                                           jsonAnswer(R"({"error":"not found"})", {}, 404)}));
        const CliRun r = models({QStringLiteral("info"), QStringLiteral("acme/chat-7b-instruct"),
                                 QStringLiteral("--router"), m_server->urlString()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString out = QString::fromUtf8(r.out);
        for (const QString &line : out.split(QLatin1Char('\n')))
            QVERIFY2(line.size() <= 100, qPrintable(line));
        QVERIFY(out.contains(QLatin1String("Licence:    apache-2.0")));
        QVERIFY(out.contains(QLatin1String("Languages:  en, fr")));
        QVERIFY(out.contains(QLatin1String("Greeting: Hello! Who are you?")));
        QVERIFY2(out.contains(QLatin1String("$0.20 / $0.60")), qPrintable(out));
        QVERIFY(out.contains(QLatin1String("staging")));
    }
};

QTEST_GUILESS_MAIN(TestCliModels)
#include "TestCliModels.moc"
