// Issue 15, the Hub search dialog offscreen against a loopback Hub and router (HF_ENDPOINT,
// INFERENCE_DESK_ROUTER; constructed answers from tests/data/constructed/hub): typing ten characters fast
// sends one request, the filters go into the query, results appear and more load on scroll, the details
// show providers, examples and chat prices, "Use this model" and "Try the example" emit the model, task,
// provider and input; Ctrl+K in the main window opens the dialog; a cached query is shown without a request.
#include "HubFixtures.h"
#include "HubSearchDialog.h"
#include "MainWindow.h"
#include "ReplayServer.h"
#include "TestConfig.h"
#include "TestSettings.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrlQuery>
#include <QtTest>

using idesk::HubCache;
using idesk::HubSearchDialog;
using idesk::test::ReplayServer;

namespace {
QByteArray fixture(const QString &name)
{
    return idesk::test::hubFixture(name);
}

QJsonObject json(const QByteArray &body, const QString &link = QString())
{
    return idesk::test::hubAnswer(body, link.isEmpty() ? QJsonObject()
                                                       : QJsonObject{{QStringLiteral("Link"), link}});
}

QUrlQuery queryOf(const QJsonValue &request)
{
    return QUrlQuery(request.toObject().value(QStringLiteral("query")).toString());
}
} // namespace

class TestHubSearchDialog : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_home;
    int m_cacheRun = 0;

    HubCache freshCache() { return HubCache(m_home.filePath(QStringLiteral("cache%1").arg(++m_cacheRun))); }

private Q_SLOTS:
    void initTestCase()
    {
        idesk::test::useTestSettings(QStringLiteral("TestHubSearchDialog"), m_home.path());
        m_server = std::make_unique<ReplayServer>();
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
        qputenv("HF_ENDPOINT", m_server->urlString().toUtf8());
        qputenv("INFERENCE_DESK_ROUTER", m_server->urlString().toUtf8());
    }
    void init() { QVERIFY(m_server->reset()); }

    void typingFastSendsOneRequest()
    {
        QVERIFY(m_server->queue(QJsonArray{json(fixture(QStringLiteral("search-page1.json")))}));
        HubSearchDialog dialog;
        dialog.setCache(freshCache());
        dialog.setDebounceMs(250);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy shown(&dialog, &HubSearchDialog::resultsShown);
        QTest::keyClicks(dialog.searchEdit(), QStringLiteral("llama-chat")); // ten characters, fast
        QCOMPARE(dialog.searchEdit()->text().size(), 10);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTree()->topLevelItemCount(), 2, 5000);
        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        const QUrlQuery q = queryOf(received.at(0));
        QCOMPARE(q.queryItemValue(QStringLiteral("search")), QStringLiteral("llama-chat"));
        QCOMPARE(q.queryItemValue(QStringLiteral("inference_provider")), QStringLiteral("all"));
        QCOMPARE(shown.size(), 1);
        QTreeWidgetItem *first = dialog.resultsTree()->topLevelItem(0);
        QCOMPARE(first->text(0), QStringLiteral("acme/chat-7b-instruct"));
        QCOMPARE(first->text(2), QStringLiteral("1.2M"));
        QVERIFY2(first->text(6).contains(QLatin1String("together")), qPrintable(first->text(6)));
        QVERIFY2(first->text(6).contains(QLatin1String("novita (staging)")), qPrintable(first->text(6)));
        QCOMPARE(dialog.resultsTree()->topLevelItem(1)->text(5), QStringLiteral("gated (manual)"));
    }

    void filtersGoIntoTheQuery()
    {
        QVERIFY(m_server->queue(QJsonArray{json("[]")}));
        HubSearchDialog dialog;
        dialog.setCache(freshCache());
        dialog.setDebounceMs(50);
        dialog.show();
        dialog.taskCombo()->setCurrentIndex(dialog.taskCombo()->findData(QStringLiteral("text-to-image")));
        dialog.providerCombo()->setCurrentIndex(dialog.providerCombo()->findData(QStringLiteral("fal-ai")));
        dialog.sortCombo()->setCurrentIndex(dialog.sortCombo()->findData(QStringLiteral("likes")));
        QTest::keyClicks(dialog.searchEdit(), QStringLiteral("flux"));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->requests().size(), 1, 5000);
        const QUrlQuery q = queryOf(m_server->requests().at(0));
        QCOMPARE(q.queryItemValue(QStringLiteral("pipeline_tag")), QStringLiteral("text-to-image"));
        QCOMPARE(q.queryItemValue(QStringLiteral("inference_provider")), QStringLiteral("fal-ai"));
        QCOMPARE(q.queryItemValue(QStringLiteral("sort")), QStringLiteral("likes"));
        QTRY_VERIFY(dialog.statusLabel()->text().contains(QLatin1String("No model")));
        // All models: no provider filter.
        QVERIFY(m_server->queue(QJsonArray{json("[]")}));
        dialog.providerCombo()->setCurrentIndex(
            dialog.providerCombo()->findData(QStringLiteral("*all-models*")));
        QTest::keyClick(dialog.searchEdit(), Qt::Key_2);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->requests().size(), 2, 5000);
        QVERIFY(!queryOf(m_server->requests().at(1)).hasQueryItem(QStringLiteral("inference_provider")));
    }

    void moreOnScrollAndCachedAtOnce()
    {
        const QString link =
            QStringLiteral("<%1/api/models?cursor=p2>; rel=\"next\"").arg(m_server->urlString());
        // A page large enough to scroll: the first page 20 times (ids made unique), then page 2.
        QJsonArray many;
        const QJsonArray page1 =
            QJsonDocument::fromJson(fixture(QStringLiteral("search-page1.json"))).array();
        for (int i = 0; i < 40; ++i) {
            QJsonObject m = page1.at(i % 2).toObject();
            m.insert(QStringLiteral("id"), QStringLiteral("acme/model-%1").arg(i));
            many.append(m);
        }
        QVERIFY(m_server->queue(QJsonArray{json(QJsonDocument(many).toJson(QJsonDocument::Compact), link),
                                           json(fixture(QStringLiteral("search-page2.json")))}));
        const HubCache cache = freshCache();
        {
            HubSearchDialog dialog;
            dialog.setCache(cache);
            dialog.resize(900, 400);
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            dialog.start(QStringLiteral("model"));
            QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTree()->topLevelItemCount(), 40, 5000);
            QCOMPARE(m_server->requests().size(), 1);
            QScrollBar *bar = dialog.resultsTree()->verticalScrollBar();
            QVERIFY(bar->maximum() > 0);
            bar->setValue(bar->maximum());
            QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTree()->topLevelItemCount(), 41, 5000);
            QCOMPARE(queryOf(m_server->requests().at(1)).queryItemValue(QStringLiteral("cursor")),
                     QStringLiteral("p2"));
        }
        // The same query in a new dialog: the cache answers at once, with no request and no debounce.
        HubSearchDialog again;
        again.setCache(cache);
        again.setDebounceMs(60000);
        again.show();
        QSignalSpy shown(&again, &HubSearchDialog::resultsShown);
        QTest::keyClicks(again.searchEdit(), QStringLiteral("model"));
        QTRY_COMPARE_WITH_TIMEOUT(again.resultsTree()->topLevelItemCount(), 40, 5000);
        QCOMPARE(m_server->requests().size(), 2);
    }

    void useThisModelAndTryTheExample()
    {
        QVERIFY(m_server->queue(QJsonArray{json(fixture(QStringLiteral("search-page1.json"))),
                                           json(fixture(QStringLiteral("model-info-chat.json"))),
                                           json(fixture(QStringLiteral("router-models.json"))),
                                           ReplayServer::answer(200, QStringLiteral("text/plain"),
                                                                fixture(QStringLiteral("readme-chat.md")))}));
        HubSearchDialog dialog;
        dialog.setCache(freshCache());
        dialog.show();
        dialog.start(QStringLiteral("chat"));
        QTRY_COMPARE_WITH_TIMEOUT(dialog.resultsTree()->topLevelItemCount(), 2, 5000);
        dialog.resultsTree()->setCurrentItem(dialog.resultsTree()->topLevelItem(0));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.tryButton()->isEnabled(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.detailsView()->toPlainText().contains(QLatin1String("$0.20 / $0.60")),
                                 5000);
        const QString details = dialog.detailsView()->toPlainText();
        QVERIFY2(details.contains(QLatin1String("Chat 7B Instruct is a small")), qPrintable(details));
        QVERIFY(details.contains(QLatin1String("transformers")));
        QCOMPARE(dialog.exampleCombo()->count(), 2);

        QSignalSpy chosen(&dialog, &HubSearchDialog::modelChosen);
        QTest::mouseClick(dialog.useButton(), Qt::LeftButton);
        QCOMPARE(chosen.size(), 1);
        QCOMPARE(chosen.at(0).at(0).toString(), QStringLiteral("acme/chat-7b-instruct"));
        QCOMPARE(chosen.at(0).at(1).toString(), QStringLiteral("chat-completion"));
        QCOMPARE(chosen.at(0).at(2).toString(),
                 QStringLiteral("together")); // the live one, not staging novita
        QCOMPARE(chosen.at(0).at(3).toString(), QString());
        dialog.exampleCombo()->setCurrentIndex(1);
        QTest::mouseClick(dialog.tryButton(), Qt::LeftButton);
        QCOMPARE(chosen.size(), 2);
        QCOMPARE(chosen.at(1).at(3).toString(), QStringLiteral("Write a haiku about the sea."));
        QCOMPARE(m_server->requests().size(), 4);
    }

    void rateLimitedSaysWhenAndDoesNotLoop()
    {
        QVERIFY(m_server->queue(QJsonArray{
            idesk::test::hubAnswer(R"({"error":"Too many requests"})",
                                   {{QStringLiteral("Retry-After"), QStringLiteral("30")}}, 429)}));
        HubSearchDialog dialog;
        dialog.setCache(freshCache());
        dialog.setDebounceMs(50);
        dialog.show();
        QSignalSpy limited(dialog.hubSearch(), &idesk::HubSearch::rateLimited);
        dialog.start(QStringLiteral("busy"));
        QTRY_COMPARE_WITH_TIMEOUT(limited.size(), 1, 5000);
        QVERIFY2(dialog.statusLabel()->text().contains(QLatin1String("searching again in 30 s")),
                 qPrintable(dialog.statusLabel()->text()));
        // Typing while the Hub is limiting sends nothing: the latest search waits for the end of the pause.
        QTest::keyClicks(dialog.searchEdit(), QStringLiteral("er"));
        QTRY_COMPARE_WITH_TIMEOUT(limited.size(), 2, 5000);
        QVERIFY(dialog.statusLabel()->text().contains(QLatin1String("searching again in")));
        QCOMPARE(m_server->requests().size(), 1);
    }

    void ctrlKOpensTheSearch()
    {
        idesk::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(m_server->queue(QJsonArray{json("[]")}));
        auto *action = window.findChild<QAction *>(QStringLiteral("actionHubSearch"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(QStringLiteral("Ctrl+K")));
        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(window.findChild<HubSearchDialog *>() &&
                                     window.findChild<HubSearchDialog *>()->isVisible(),
                                 5000);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->requests().size(), 1, 5000);
    }
};

QTEST_MAIN(TestHubSearchDialog)
#include "TestHubSearchDialog.moc"
