// Issue 15 point 3, the check of a model id typed by hand (ModelIdCheck) against a loopback Hub
// (HF_ENDPOINT): found (task and providers), 404 and 401 are "not found" and kept, an error is not kept
// (asked again), each id asked once; which Hub tasks fit the app's tasks. The answers are constructed from
// the Hub API docs (GET /api/models/{id}); the chat model's is
// tests/data/constructed/hub/model-info-chat.json.
#include "HubFixtures.h"
#include "ModelIdCheck.h"
#include "ReplayServer.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using idesk::HubCache;
using idesk::ModelIdCheck;
using idesk::test::ReplayServer;

class TestModelIdCheck : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_cache;

    ModelIdCheck::Result checkOnce(ModelIdCheck &check, const QString &id)
    {
        QSignalSpy done(&check, &ModelIdCheck::checked);
        if (!check.check(id) || !done.wait(10000))
            return {};
        return done.at(0).at(0).value<ModelIdCheck::Result>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ReplayServer>();
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
        qputenv("HF_ENDPOINT", m_server->urlString().toUtf8());
    }
    void init() { QVERIFY(m_server->reset()); }

    void foundThenKept()
    {
        const QByteArray info = idesk::test::hubFixture(QStringLiteral("model-info-chat.json"));
        QVERIFY(!info.isEmpty());
        QVERIFY(m_server->queue(QJsonArray{idesk::test::hubAnswer(info)}));
        ModelIdCheck check;
        check.fetcher()->setCache(HubCache(m_cache.filePath(QStringLiteral("found"))));
        const ModelIdCheck::Result r = checkOnce(check, QStringLiteral("acme/chat-7b-instruct:together"));
        QCOMPARE(r.outcome, ModelIdCheck::Outcome::Found);
        QCOMPARE(r.id, QStringLiteral("acme/chat-7b-instruct")); // the :provider suffix left out
        QVERIFY(!r.model.task.isEmpty());
        QVERIFY(!r.model.providers.isEmpty());
        const QJsonArray sent = m_server->requests();
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/api/models/acme/chat-7b-instruct"));
        QVERIFY(sent.at(0)
                    .toObject()
                    .value(QStringLiteral("query"))
                    .toString()
                    .contains(QLatin1String("inferenceProviderMapping")));
        // Asked once.
        QVERIFY(!check.check(QStringLiteral("acme/chat-7b-instruct")));
        QVERIFY(check.result(QStringLiteral("acme/chat-7b-instruct")).has_value());
        QCOMPARE(m_server->requests().size(), 1);
    }

    void notFoundIsKeptAnErrorIsNot()
    {
        QVERIFY(m_server->queue(QJsonArray{
            idesk::test::hubAnswer(R"({"error":"Repository not found"})", {}, 404),
            idesk::test::hubAnswer(R"({"error":"Invalid credentials in Authorization header"})", {}, 401),
            idesk::test::hubAnswer(R"({"error":"Internal Error"})", {}, 500)}));
        ModelIdCheck check;
        check.fetcher()->setCache(HubCache(m_cache.filePath(QStringLiteral("errors"))));
        ModelIdCheck::Result r = checkOnce(check, QStringLiteral("acme/missing"));
        QCOMPARE(r.outcome, ModelIdCheck::Outcome::NotFound);
        QCOMPARE(r.status, 404);
        r = checkOnce(check, QStringLiteral("acme/private"));
        QCOMPARE(r.outcome, ModelIdCheck::Outcome::NotFound);
        QCOMPARE(r.status, 401);
        r = checkOnce(check, QStringLiteral("acme/broken"));
        QCOMPARE(r.outcome, ModelIdCheck::Outcome::Failed);
        QVERIFY(!r.message.isEmpty());
        QVERIFY(!check.check(QStringLiteral("acme/missing")));
        QVERIFY(!check.result(QStringLiteral("acme/broken")).has_value());
        QVERIFY(check.check(QStringLiteral("acme/broken"))); // asked again
    }

    void fitsTheAppsTask()
    {
        QVERIFY(
            ModelIdCheck::fits(QStringLiteral("text-classification"), QStringLiteral("text-classification")));
        QVERIFY(
            !ModelIdCheck::fits(QStringLiteral("image-classification"), QStringLiteral("text-to-speech")));
        QVERIFY(ModelIdCheck::fits(QStringLiteral("chat-completion"), QStringLiteral("text-generation")));
        QVERIFY(ModelIdCheck::fits(QStringLiteral("chat-completion"), QStringLiteral("image-text-to-text")));
        QVERIFY(ModelIdCheck::fits(QStringLiteral("chat-completion"), QStringLiteral("summarization"),
                                   {QStringLiteral("conversational")}));
        QVERIFY(!ModelIdCheck::fits(QStringLiteral("chat-completion"), QStringLiteral("summarization")));
        QVERIFY(ModelIdCheck::fits(QString(), QStringLiteral("text-to-speech"))); // no task: any model
        QVERIFY(ModelIdCheck::fits(QStringLiteral("fill-mask"), QString()));      // unknown: offered
        QCOMPARE(ModelIdCheck::hubTaskFor(QStringLiteral("chat-completion")),
                 QStringLiteral("text-generation"));
        QCOMPARE(ModelIdCheck::hubTaskFor(QStringLiteral("fill-mask")), QStringLiteral("fill-mask"));
    }
};

QTEST_MAIN(TestModelIdCheck)
#include "TestModelIdCheck.moc"
