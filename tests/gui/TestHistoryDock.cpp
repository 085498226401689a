// The History dock on a real MainWindow (offscreen) against the loopback replay server: what the window
// sends is recorded and listed, search as you type finds it by a word of its input and a label of its
// answer, opening an entry restores the editors and the result view, compare shows two answers and their
// JSON difference, pin / delete / clear, save as preset, and the switch that turns recording off.
#include "HistoryCompareDialog.h"
#include "HistoryDock.h"
#include "HistoryListModel.h"
#include "HistoryRecorder.h"
#include "HistoryStore.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "PresetStore.h"
#include "PresetsController.h"
#include "ReplayServer.h"
#include "ResultView.h"
#include "TestSettings.h"
#include "ui_HistoryDock.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace idesk;
using idesk::test::ReplayServer;

namespace {
const char *const kRecording = "text-classification/r2504_TIC_text_classification_hf-inference-1.json";
}

class TestHistoryDock : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;
    std::unique_ptr<ReplayServer> m_server;
    int m_n = 0;

    InferenceRequest request(const QString &input) const
    {
        InferenceRequest r;
        r.endpoint = m_server->urlString() + QStringLiteral("/models");
        r.model = QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english");
        r.task = QStringLiteral("text-classification");
        r.inputs = input;
        return r;
    }
    // Sends `input` from the window's editors and waits until the dock lists the new entry.
    bool sendAndRecord(MainWindow &window, HistoryDock &dock, const QString &input)
    {
        if (!m_server->queueFile(QLatin1String(kRecording)))
            return false;
        window.setRequest(request(input));
        // A dock that was opened (its form built) reads its list again at each new entry; one never seen
        // reads it when first shown (listsWhenFirstShown).
        dock.ui();
        QSignalSpy recorded(dock.recorder(), &HistoryRecorder::recorded);
        QSignalSpy refreshed(&dock, &HistoryDock::refreshed);
        window.send();
        return recorded.wait(15000) && (refreshed.count() > 0 || refreshed.wait(5000));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        idesk::test::useTestSettings(QStringLiteral("TestHistoryDock"), m_home.path());
        m_server = std::make_unique<ReplayServer>();
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
    }
    void init()
    {
        QSettings().clear();
        QVERIFY(m_server->reset());
    }

    void recordsSearchesAndRestores()
    {
        MainWindow window;
        HistoryDock dock(&window, m_home.filePath(QStringLiteral("h%1.sqlite").arg(++m_n)));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(sendAndRecord(window, dock, QStringLiteral("I like you. I love you")));
        QCOMPARE(dock.visibleEntries().size(), 1);
        const HistoryEntry entry = dock.visibleEntries().first();
        QCOMPARE(entry.model, QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
        QCOMPARE(entry.source, QStringLiteral("app"));
        QCOMPARE(entry.status, 200);
        QCOMPARE(dock.model()->rowCount(), 1);
        QVERIFY(dock.model()
                    ->index(0, HistoryListModel::SnippetColumn)
                    .data()
                    .toString()
                    .contains(QLatin1String("I like you")));

        // Search as you type: a word of the input, a label of the answer, something absent.
        QLineEdit *search = dock.ui()->search;
        search->setFocus();
        QTest::keyClicks(search, QStringLiteral("lov"));
        QTRY_COMPARE(dock.model()->rowCount(), 1);
        search->clear();
        QTest::keyClicks(search, QStringLiteral("zebra"));
        QTRY_COMPARE(dock.model()->rowCount(), 0);
        search->clear();
        QTest::keyClicks(search, QStringLiteral("POSITIVE"));
        QTRY_COMPARE(dock.model()->rowCount(), 1);
        search->clear();
        QTRY_COMPARE(dock.model()->rowCount(), 1);
        dock.ui()->statusFilter->setCurrentIndex(2); // errors only
        QCOMPARE(dock.model()->rowCount(), 0);
        dock.ui()->statusFilter->setCurrentIndex(0);
        dock.ui()->taskFilter->setCurrentIndex(
            dock.ui()->taskFilter->findData(QStringLiteral("summarization")));
        QCOMPARE(dock.model()->rowCount(), 0);
        dock.ui()->taskFilter->setCurrentIndex(0);
        QCOMPARE(dock.model()->rowCount(), 1);

        // Other work in the editors, then the entry opened: its request and answer come back.
        InferenceRequest other;
        other.model = QStringLiteral("dslim/bert-base-NER");
        other.task = QStringLiteral("token-classification");
        other.inputs = QStringLiteral("something else");
        window.setRequest(other);
        window.resultView()->clear();
        QVERIFY(dock.selectEntry(entry.id));
        QTest::mouseClick(dock.ui()->openButton, Qt::LeftButton);
        const InferenceRequest restored = window.currentRequest();
        QCOMPARE(restored.model, entry.model);
        QCOMPARE(restored.task, QStringLiteral("text-classification"));
        QCOMPARE(restored.inputs.toString(), QStringLiteral("I like you. I love you"));
        QCOMPARE(window.modelPicker()->task(), QStringLiteral("text-classification"));
        QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());
        QCOMPARE(window.resultView()->currentViewKind(), QStringLiteral("scores"));
        QCOMPARE(window.resultView()->result().status, 200);
    }

    // Behind another tab at start-up the dock reads nothing (SQLite is opened when it is first seen, not
    // before the window's first paint); raised, it lists what is in the file.
    void listsWhenFirstShown()
    {
        const QString path = m_home.filePath(QStringLiteral("h%1.sqlite").arg(++m_n));
        {
            HistoryStore writer(path); // another process's connection, as the CLI's
            QVERIFY(writer.open());
            InferenceRequest request;
            request.model = QStringLiteral("org/m");
            request.task = QStringLiteral("text-classification");
            request.inputs = QStringLiteral("kept from an earlier run");
            InferenceResult result;
            result.status = 200;
            result.body = "[]";
            QVERIFY(writer.add(request, result, QStringLiteral("cli")).has_value());
        }
        QTemporaryDir presetDir;
        {
            // A first run: closing saves the layout (window/state), which the next start restores.
            MainWindow first{MainWindow::Setup{nullptr, presetDir.path()}};
            HistoryDock firstDock(&first, path);
            first.show();
            QVERIFY(QTest::qWaitForWindowExposed(&first));
            first.close();
        }
        QVERIFY(!QSettings().value(QStringLiteral("window/state")).toByteArray().isEmpty());
        MainWindow window{MainWindow::Setup{nullptr, presetDir.path()}}; // as the app: Presets in front
        HistoryDock dock(&window, path);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCoreApplication::processEvents(); // what the dock's visibility change posted
        // Qt keeps a tab that is not in front "visible", moved out of sight: nothing of it is seen.
        QVERIFY(dock.visibleRegion().isEmpty());
        QVERIFY(!dock.store()->isOpen());
        QVERIFY(dock.visibleEntries().isEmpty());
        QVERIFY(!dock.findChild<QTreeView *>()); // nor is its form built

        dock.raise();
        QTRY_COMPARE(dock.visibleEntries().size(), 1);
        QCOMPARE(dock.visibleEntries().first().source, QStringLiteral("cli"));
        QVERIFY(dock.store()->isOpen());
        auto *list = dock.findChild<QTreeView *>();
        QVERIFY(list);
        QTRY_VERIFY(list->isVisible());
        QCOMPARE(list->model()->rowCount(), 1);
    }

    void compareTwoAnswers()
    {
        MainWindow window;
        HistoryDock dock(&window, m_home.filePath(QStringLiteral("h%1.sqlite").arg(++m_n)));
        QVERIFY(sendAndRecord(window, dock, QStringLiteral("first")));
        // The second answer differs: an error.
        QVERIFY(m_server->queue(QJsonArray{
            ReplayServer::answer(400, QStringLiteral("application/json"), R"({"error": "bad input"})")}));
        window.setRequest(request(QStringLiteral("second")));
        QSignalSpy recorded(dock.recorder(), &HistoryRecorder::recorded);
        window.send();
        QVERIFY(recorded.wait(15000));
        QTRY_COMPARE(dock.visibleEntries().size(), 2);
        const qint64 newer = dock.visibleEntries().at(0).id;
        const qint64 older = dock.visibleEntries().at(1).id;
        QVERIFY(dock.selectEntry(newer));
        QVERIFY(dock.selectEntry(older, true));
        QVERIFY(dock.ui()->compareButton->isEnabled());
        QVERIFY(!dock.ui()->openButton->isEnabled());
        std::unique_ptr<HistoryCompareDialog> dialog(dock.compareEntries(older, newer));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->leftView()->hasResult() && dialog->rightView()->hasResult());
        QCOMPARE(dialog->leftView()->result().status, 200);
        QCOMPARE(dialog->rightView()->result().status, 400);
        QVERIFY2(dialog->differenceText().contains(QLatin1String("$")), qPrintable(dialog->differenceText()));
        QVERIFY(dialog->differenceText().contains(QLatin1String("bad input")));
    }

    void pinDeleteClearPresetAndOff()
    {
        MainWindow window;
        HistoryDock dock(&window, m_home.filePath(QStringLiteral("h%1.sqlite").arg(++m_n)));
        QVERIFY(sendAndRecord(window, dock, QStringLiteral("one")));
        QVERIFY(sendAndRecord(window, dock, QStringLiteral("two")));
        QVERIFY(sendAndRecord(window, dock, QStringLiteral("three")));
        QTRY_COMPARE(dock.visibleEntries().size(), 3);
        const qint64 one = dock.visibleEntries().at(2).id;
        const qint64 two = dock.visibleEntries().at(1).id;
        QVERIFY(dock.pinEntry(one, true));
        QVERIFY(dock.model()
                    ->index(2, HistoryListModel::StatusColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("📌")));
        QVERIFY(dock.deleteEntry(two));
        QCOMPARE(dock.visibleEntries().size(), 2);

        // A name of this run's own: the test-mode preset folder outlives a run.
        const QString name = QStringLiteral("from history %1").arg(QDateTime::currentMSecsSinceEpoch());
        QVERIFY2(dock.saveAsPreset(one, name), qPrintable(dock.message()));
        QVERIFY(!dock.saveAsPreset(one, name)); // never over another preset
        QVERIFY(!dock.message().isEmpty());
        const auto preset = PresetStore().preset(name);
        QVERIFY(preset);
        QCOMPARE(preset->request.inputs.toString(), QStringLiteral("one"));

        const QString file = m_home.filePath(QStringLiteral("saved.json"));
        QVERIFY(dock.saveResult(one, file));
        QVERIFY(SavedResult::load(file));

        QVERIFY(dock.clearHistory(true));
        QCOMPARE(dock.visibleEntries().size(), 1);
        QCOMPARE(dock.visibleEntries().first().id, one);

        // Turned off: a request still works, and nothing is recorded.
        dock.ui()->keepHistory->setChecked(false);
        QVERIFY(!HistoryStore::enabledInSettings());
        QVERIFY(m_server->queueFile(QLatin1String(kRecording)));
        window.setRequest(request(QStringLiteral("not kept")));
        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QVERIFY(finished.wait(15000));
        QVERIFY(finished.first().first().value<InferenceResult>().ok());
        dock.refresh();
        QCOMPARE(dock.visibleEntries().size(), 1);

        QVERIFY(dock.clearHistory(false));
        QCOMPARE(dock.visibleEntries().size(), 0);
    }

    // docs/screenshots/main-history-search.png, when IDESK_SCREENSHOT_DIR names where it goes.
    // With a Presets dock, "save as preset" lands in the folder that dock shows (here not the default one).
    void savedPresetLandsInTheWindowsPresetFolder()
    {
        QTemporaryDir presetDir;
        QVERIFY(presetDir.isValid());
        MainWindow window{MainWindow::Setup{nullptr, presetDir.path()}};
        QVERIFY(window.presetsController());
        HistoryDock dock(&window, m_home.filePath(QStringLiteral("h%1.sqlite").arg(++m_n)));
        QVERIFY(sendAndRecord(window, dock, QStringLiteral("kept as a preset")));
        QTRY_COMPARE(dock.visibleEntries().size(), 1);
        const QString name = QStringLiteral("history into the dock's folder");
        QVERIFY2(dock.saveAsPreset(dock.visibleEntries().first().id, name), qPrintable(dock.message()));
        PresetStore *store = window.presetsController()->presetStore();
        QCOMPARE(store->directory(), presetDir.path());
        QTRY_VERIFY(store->preset(name).has_value());
        QCOMPARE(store->preset(name)->request.inputs.toString(), QStringLiteral("kept as a preset"));
        QVERIFY(!PresetStore().preset(name)); // not in the default folder
    }

    void screenshot()
    {
        const QString dir = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("IDESK_SCREENSHOT_DIR is not set");
        MainWindow window;
        HistoryDock dock(&window, m_home.filePath(QStringLiteral("h%1.sqlite").arg(++m_n)));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (const QString &input :
             {QStringLiteral("I want a refund, this is the third time I ask"),
              QStringLiteral("The delivery was fast and the box was intact"),
              QStringLiteral("I love the new design"), QStringLiteral("Where is my refund?")})
            QVERIFY(sendAndRecord(window, dock, input));
        QTest::keyClicks(dock.ui()->search, QStringLiteral("refund"));
        QTRY_COMPARE(dock.model()->rowCount(), 2);
        QVERIFY(dock.selectEntry(dock.visibleEntries().first().id));
        QVERIFY(dock.openEntry(dock.visibleEntries().first().id));
        QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());
        QVERIFY(window.grab().save(QDir(dir).filePath(QStringLiteral("main-history-search.png"))));
    }
};

QTEST_MAIN(TestHistoryDock)
#include "TestHistoryDock.moc"
