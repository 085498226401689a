// The main window driven through its real widgets against the loopback replay
// server.
#include "ConversationEditor.h"
#include "FileDropArea.h"
#include "HostApproval.h"
#include "InferenceClient.h"
#include "InputEditor.h"
#include "MainWindow.h"
#include "ModelInfoLookup.h"
#include "ModelPicker.h"
#include "OptionsPanel.h"
#include "ParameterTable.h"
#include "Recording.h"
#include "ReplayServer.h"
#include "RequestEncoder.h"
#include "ResultView.h"
#include "SendPanel.h"
#include "TaskCatalog.h"
#include "TestConfig.h"
#include "TestSettings.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCompleter>
#include <QDirIterator>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMimeDatabase>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTextEdit>
#include <QToolButton>
#include <QtTest>

#include <memory>

using idesk::InferenceResult;
using idesk::MainWindow;
using idesk::test::ReplayServer;

namespace {
const QString kFakeToken = QStringLiteral("hf_"
                                          "fakeTestToken0123456789abcdefGUI");
}

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void textClassificationTypedSentAndShown();
    void choosingCuratedModelFillsTask();
    void invalidParameterBlocksSendingUntilSendAnyway();
    void badModelIdIsMarkedBeforeSending();
    void cancelMidRequestWithEscape();
    void loadingModelShowsCountdownThenResult();
    void tokenWithheldFromUnapprovedHostAndExplained();
    void tokenSentToApprovedHost();
    void retiredEndpointIsFlaggedAndMigrated();
    void lastRequestAndLayoutComeBackWithoutToken();
    void imageDroppedIsSentAsOriginalBytes();
    void titleFollowsModel();
    void saveAndOpenResult();
    void commandLine();
    void pasteImageWithCtrlV();
    void tabOrderAndAccessibleNames();
    void chatAnswerBecomesNextTurn();
    void streamedChatIsShownLiveAndKept();
    void connectionOptionsFillTheRequest();
    void wrongOptionOpensTheConnectionSection();
    void partsBuiltLateKeepTheirTabPlace();
    void kestraFormLlmGoesOutAsChat();
    void kestraFormHubSilentSaysSo();
    void everyInputKindRoundTrips_data();
    void everyInputKindRoundTrips();

private:
    void pointAt(MainWindow &window, const ReplayServer &server);
    // A window whose Hub lookups go to `server` (HF_ENDPOINT when it is made), nothing cached yet.
    std::unique_ptr<MainWindow> windowWithHubAt(const ReplayServer &server);
    void typeInto(QWidget *widget, const QString &text);
    bool sendWithKeyboard(MainWindow &window);
    QTemporaryDir m_home;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_home.isValid());
    idesk::test::useTestSettings(QStringLiteral("TestMainWindow"), m_home.path());
}

void TestMainWindow::init()
{
    QSettings().clear();
}

void TestMainWindow::pointAt(MainWindow &window, const ReplayServer &server)
{
    window.modelPicker()->endpointEdit()->setText(server.urlString() + QStringLiteral("/models"));
}

std::unique_ptr<MainWindow> TestMainWindow::windowWithHubAt(const ReplayServer &server)
{
    qputenv("HF_ENDPOINT", server.urlString().toUtf8());
    idesk::ModelInfoLookup::clearMemoryCache();
    QFile::remove(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                  QStringLiteral("/model-info.json"));
    auto window = std::make_unique<MainWindow>();
    qunsetenv("HF_ENDPOINT");
    return window;
}

void TestMainWindow::typeInto(QWidget *widget, const QString &text)
{
    widget->setFocus();
    QTest::keyClicks(widget, text);
}

bool TestMainWindow::sendWithKeyboard(MainWindow &window)
{
    QWidget *focus = QApplication::focusWidget() ? QApplication::focusWidget() : &window;
    QTest::keyClick(focus, Qt::Key_Return, Qt::ControlModifier);
    return true;
}

void TestMainWindow::textClassificationTypedSentAndShown()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(QStringLiteral("text-classification/"
                                            "r2504_TIC_text_classification_hf-inference-1.json")));

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    pointAt(window, server);

    // Model typed, task chosen from the combo by keyboard.
    typeInto(window.modelPicker()->modelCombo()->lineEdit(),
             QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
    QComboBox *task = window.modelPicker()->taskCombo();
    const int index = task->findData(QStringLiteral("text-classification"));
    QVERIFY(index > 0);
    task->setFocus();
    task->setCurrentIndex(index);
    QCOMPARE(window.modelPicker()->task(), QStringLiteral("text-classification"));

    auto *text = window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"));
    QVERIFY(text && text->isVisibleTo(&window));
    typeInto(text, QStringLiteral("I like you. I love you"));

    // A parameter edited in its spin box.
    auto *topK = qobject_cast<QSpinBox *>(window.parameterTable()->editor(QStringLiteral("top_k")));
    QVERIFY(topK);
    QVERIFY(!window.parameterTable()->isChanged(QStringLiteral("top_k")));
    topK->setFocus();
    topK->selectAll();
    QTest::keyClicks(topK, QStringLiteral("2"));
    QVERIFY(window.parameterTable()->isChanged(QStringLiteral("top_k")));

    QSignalSpy finished(&window, &MainWindow::requestFinished);
    text->setFocus();
    sendWithKeyboard(window);
    QVERIFY(finished.wait(15000));
    const auto result = finished.at(0).at(0).value<InferenceResult>();
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(result.status, 200);

    const QJsonArray requests = server.requests();
    QCOMPARE(requests.size(), 1);
    const QJsonObject sent = requests.at(0).toObject();
    QCOMPARE(sent.value(QStringLiteral("path")).toString(),
             QStringLiteral("/models/distilbert/"
                            "distilbert-base-uncased-finetuned-sst-2-english"));
    const QJsonObject body = QJsonDocument::fromJson(ReplayServer::body(sent)).object();
    QCOMPARE(body.value(QStringLiteral("inputs")).toString(), QStringLiteral("I like you. I love you"));
    QCOMPARE(body.value(QStringLiteral("parameters")).toObject().value(QStringLiteral("top_k")).toInt(), 2);
    // Defaults that were not touched are not sent.
    QVERIFY(
        !body.value(QStringLiteral("parameters")).toObject().contains(QStringLiteral("function_to_apply")));

    // The output pane shows the answer: the view chosen for scores, and the labels somewhere in it.
    QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());
    QCOMPARE(window.resultView()->currentViewKind(), QStringLiteral("scores"));
    bool labelShown = false;
    for (QWidget *w : window.resultView()->findChildren<QWidget *>()) {
        QString shown;
        if (auto *label = qobject_cast<QLabel *>(w))
            shown = label->text();
        else if (auto *view = qobject_cast<QAbstractItemView *>(w); view && view->model()) {
            QAbstractItemModel *m = view->model();
            for (int r = 0; r < m->rowCount() && !labelShown; ++r)
                for (int c = 0; c < m->columnCount(); ++c)
                    shown += m->index(r, c).data().toString() + QLatin1Char(' ');
        } else if (auto *edit = qobject_cast<QPlainTextEdit *>(w))
            shown = edit->toPlainText();
        else if (auto *te = qobject_cast<QTextEdit *>(w))
            shown = te->toPlainText();
        if (shown.contains(QStringLiteral("POSITIVE")))
            labelShown = true;
    }
    QVERIFY2(labelShown, "the answer's label POSITIVE is shown somewhere in the result pane");
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("200")));
    // A model that answered becomes a recent model.
    QVERIFY(window.modelPicker()->recentModels().contains(
        QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english")));
}

void TestMainWindow::choosingCuratedModelFillsTask()
{
    MainWindow window;
    QComboBox *model = window.modelPicker()->modelCombo();
    const int index = model->findText(QStringLiteral("dslim/bert-base-NER"));
    QVERIFY2(index >= 0, "the curated list from :/models.json is offered");
    model->setCurrentIndex(index);
    Q_EMIT model->activated(index);
    QCOMPARE(window.modelPicker()->task(), QStringLiteral("token-classification"));
    // The parameter table followed the task.
    QVERIFY(window.parameterTable()->rowOf(QStringLiteral("aggregation_strategy")) >= 0);
    // Completion offers the curated models of the task by any part of their id (issue 15: only this task's).
    QCompleter *completer = model->completer();
    QVERIFY(completer);
    completer->setCompletionPrefix(QStringLiteral("conll03"));
    QVERIFY(completer->completionCount() >= 1);
    QVERIFY(completer->currentCompletion().contains(QStringLiteral("dbmdz/")));
    completer->setCompletionPrefix(QStringLiteral("twitter-roberta"));
    QCOMPARE(completer->completionCount(), 0);
}

void TestMainWindow::invalidParameterBlocksSendingUntilSendAnyway()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(QStringLiteral("text-classification/"
                                            "r2504_TIC_text_classification_hf-inference-1.json")));

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    pointAt(window, server);
    window.modelPicker()->setModel(
        QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    typeInto(window.findChild<QPlainTextEdit *>(QStringLiteral("inputText")), QStringLiteral("fine"));

    auto *topK = qobject_cast<QSpinBox *>(window.parameterTable()->editor(QStringLiteral("top_k")));
    QVERIFY(topK);
    topK->setFocus();
    topK->selectAll();
    QTest::keyClicks(topK, QStringLiteral("0"));
    const QString why = window.parameterTable()->rowProblem(QStringLiteral("top_k"));
    QVERIFY2(!why.isEmpty(), "top_k = 0 is below the catalog's minimum of 1");
    QVERIFY(why.contains(QStringLiteral("top_k")));
    QVERIFY(topK->toolTip().contains(why));
    // The cell is red: its background differs from the untouched palette.
    QVERIFY(topK->palette().color(QPalette::Base) != QApplication::palette(topK).color(QPalette::Base));

    QTest::keyClick(topK, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(!window.sendPanel()->blockerText().isEmpty());
    QVERIFY(window.sendPanel()->blockerText().contains(why));
    QVERIFY(window.statusBar()->currentMessage().contains(why));
    QVERIFY(window.sendPanel()->sendAnywayButton()->isVisible());
    QVERIFY(!window.isBusy());
    QCOMPARE(server.requests().size(), 0);

    QSignalSpy finished(&window, &MainWindow::requestFinished);
    QTest::mouseClick(window.sendPanel()->sendAnywayButton(), Qt::LeftButton);
    QVERIFY(finished.wait(15000));
    const QJsonArray requests = server.requests();
    QCOMPARE(requests.size(), 1);
    const QJsonObject body = QJsonDocument::fromJson(ReplayServer::body(requests.at(0).toObject())).object();
    QCOMPARE(body.value(QStringLiteral("parameters")).toObject().value(QStringLiteral("top_k")).toInt(-1), 0);
}

void TestMainWindow::badModelIdIsMarkedBeforeSending()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    typeInto(window.modelPicker()->modelCombo()->lineEdit(), QStringLiteral("my model"));
    auto *problem = window.findChild<QLabel *>(QStringLiteral("modelProblem"));
    QVERIFY(problem);
    QVERIFY(problem->isVisible());
    QVERIFY(problem->text().contains(QStringLiteral("space")));
    window.send();
    QVERIFY(window.sendPanel()->blockerText().contains(QStringLiteral("space")));
    QVERIFY(!window.isBusy());
}

void TestMainWindow::cancelMidRequestWithEscape()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(QStringLiteral("text-classification/"
                                            "r2504_TIC_text_classification_hf-inference-1.json"),
                             QJsonObject{{QStringLiteral("delay_first_byte_ms"), 5000}}));

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    pointAt(window, server);
    window.modelPicker()->setModel(
        QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    auto *text = window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"));
    typeInto(text, QStringLiteral("slow"));

    QSignalSpy finished(&window, &MainWindow::requestFinished);
    QElapsedTimer clock;
    clock.start();
    QTest::keyClick(text, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(window.isBusy());
    QVERIFY(window.sendPanel()->cancelButton()->isEnabled());
    QVERIFY(!window.sendPanel()->sendButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), 1, 5000);
    // Live progress while waiting.
    QTRY_VERIFY(window.sendPanel()->progressText().contains(QStringLiteral(" s")));

    QTest::keyClick(text, Qt::Key_Escape);
    QVERIFY(finished.count() == 1 || finished.wait(3000));
    QVERIFY2(clock.elapsed() < 4500, "cancel did not wait for the server's delayed answer");
    const auto result = finished.at(0).at(0).value<InferenceResult>();
    QCOMPARE(result.outcome, InferenceResult::Outcome::Cancelled);
    QVERIFY(!window.isBusy());
    QVERIFY(window.sendPanel()->sendButton()->isEnabled());
    QVERIFY(!window.sendPanel()->cancelButton()->isEnabled());
}

void TestMainWindow::loadingModelShowsCountdownThenResult()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(QStringLiteral("token-classification/"
                                            "e250205_TIC_token_classification_hf-inference-0.json")));
    QVERIFY(server.queueFile(QStringLiteral("token-classification/"
                                            "e250205_TIC_token_classification_hf-inference-1.json")));

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.client()->setMaxLoadingWait(3); // the recording says 53 s; the countdown is capped
    pointAt(window, server);
    window.modelPicker()->setModel(QStringLiteral("dbmdz/bert-large-cased-finetuned-conll03-english"));
    QCOMPARE(window.modelPicker()->task(), QStringLiteral("token-classification"));
    typeInto(window.findChild<QPlainTextEdit *>(QStringLiteral("inputText")),
             QStringLiteral("My name is Sarah Jessica Parker but you can call me Jessica"));

    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QTRY_VERIFY_WITH_TIMEOUT(window.sendPanel()->countdownRemaining() > 0, 5000);
    const int first = window.sendPanel()->countdownRemaining();
    QVERIFY(first <= 3);
    QVERIFY(window.sendPanel()->progressText().contains(QStringLiteral("retrying")));
    // It counts down.
    QTRY_VERIFY_WITH_TIMEOUT(window.sendPanel()->countdownRemaining() < first, 3000);
    QVERIFY(finished.wait(15000));
    const auto result = finished.at(0).at(0).value<InferenceResult>();
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(result.attempts, 2);
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(window.sendPanel()->countdownRemaining(), -1);
    QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());
    QCOMPARE(window.resultView()->currentViewKind(), QStringLiteral("entities"));
}

void TestMainWindow::tokenWithheldFromUnapprovedHostAndExplained()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(QStringLiteral("text-classification/"
                                            "r2504_TIC_text_classification_hf-inference-1.json")));
    MainWindow window;
    window.setTokenProvider([] { return kFakeToken; });
    pointAt(window, server);
    window.modelPicker()->setModel(
        QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))->setPlainText(QStringLiteral("hello"));
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    const QJsonObject headers =
        server.requests().at(0).toObject().value(QStringLiteral("headers")).toObject();
    QVERIFY(!headers.contains(QStringLiteral("authorization")));
    QVERIFY(!window.sendPanel()->note().isEmpty());
    QVERIFY(window.sendPanel()->note().contains(QStringLiteral("127.0.0.1")));
    QVERIFY(!window.sendPanel()->note().contains(kFakeToken));
    QVERIFY(!window.windowTitle().contains(kFakeToken));
    // The status bar says which token is in use, masked.
    window.setTokenStatus(QStringLiteral("keychain (hf_…GUI)"));
    QCOMPARE(window.tokenStatus(), QStringLiteral("Token: keychain (hf_…GUI)"));
    QVERIFY(!window.statusBar()->currentMessage().contains(kFakeToken));
}

void TestMainWindow::tokenSentToApprovedHost()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(QStringLiteral("text-classification/"
                                            "r2504_TIC_text_classification_hf-inference-1.json")));
    QVERIFY(idesk::HostApproval::approve(server.urlString())); // its origin: scheme, host, port
    MainWindow window;
    window.setTokenProvider([] { return kFakeToken; });
    pointAt(window, server);
    window.modelPicker()->setModel(
        QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))->setPlainText(QStringLiteral("hello"));
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    const QJsonObject headers =
        server.requests().at(0).toObject().value(QStringLiteral("headers")).toObject();
    QCOMPARE(headers.value(QStringLiteral("authorization")).toString(),
             QStringLiteral("Bearer ") + kFakeToken);
    // The only note: auto (a fresh request's provider) went to the endpoint chosen; nothing withheld.
    QCOMPARE(window.sendPanel()->note(),
             QStringLiteral("auto: hf-inference at the endpoint you chose, %1/models (auto picks a provider "
                            "only with the built-in endpoint).")
                 .arg(server.urlString()));
    idesk::HostApproval::revoke(server.urlString()); // loopback ports are reused by later tests
}

void TestMainWindow::retiredEndpointIsFlaggedAndMigrated()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *warning = window.findChild<QWidget *>(QStringLiteral("endpointWarning"));
    QVERIFY(warning);
    QVERIFY(!warning->isVisible());
    QLineEdit *endpoint = window.modelPicker()->endpointEdit();
    endpoint->selectAll();
    typeInto(endpoint, QStringLiteral("https://api-inference.huggingface.co/models"));
    QVERIFY(warning->isVisible());
    // Sending there is held back with the reason (Send anyway stays possible).
    window.modelPicker()->setModel(QStringLiteral("gpt2"));
    window.send();
    QVERIFY(window.sendPanel()->blockerText().contains(QStringLiteral("Migrate")));
    QVERIFY(!window.isBusy());
    QPushButton *migrate = window.modelPicker()->migrateButton();
    QVERIFY(migrate->isVisible());
    QTest::mouseClick(migrate, Qt::LeftButton);
    QCOMPARE(window.modelPicker()->endpoint(), idesk::InferenceRequest::migratedEndpoint(QStringLiteral(
                                                   "https://api-inference.huggingface.co/models")));
    QVERIFY(window.modelPicker()->endpoint().startsWith(QStringLiteral("https://router.huggingface.co/")));
    QVERIFY(!warning->isVisible());
    QVERIFY(!window.sendBlockers().join(' ').contains(QStringLiteral("Migrate")));
}

void TestMainWindow::lastRequestAndLayoutComeBackWithoutToken()
{
    idesk::InferenceRequest request;
    request.endpoint = QStringLiteral("http://127.0.0.1:9/models");
    request.model = QStringLiteral("deepset/roberta-base-squad2");
    request.task = QStringLiteral("question-answering");
    request.inputs =
        QJsonObject{{QStringLiteral("question"), QStringLiteral("Where do I live?")},
                    {QStringLiteral("context"), QStringLiteral("My name is Wolfgang and I live in Berlin")}};
    request.parameters = QJsonObject{{QStringLiteral("top_k"), 2}, {QStringLiteral("custom_flag"), true}};
    request.useCache = false;
    request.waitForModel = true;
    request.options.readTimeoutMs = 30000;
    request.options.maxContentLength = 2048;
    QByteArray geometry;
    {
        MainWindow window;
        window.setTokenProvider([] { return kFakeToken; });
        window.setRequest(request);
        QCOMPARE(window.currentRequest(), request);
        window.resize(1100, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.close();
    }
    {
        MainWindow window;
        const idesk::InferenceRequest restored = window.currentRequest();
        QCOMPARE(restored.model, request.model);
        QCOMPARE(restored.task, request.task);
        QCOMPARE(restored.inputs, request.inputs);
        QCOMPARE(restored.parameters, request.parameters);
        QCOMPARE(restored.useCache, false);
        QCOMPARE(restored.waitForModel, true);
        QCOMPARE(restored.options, request.options);
        QCOMPARE(restored, request);
        QCOMPARE(window.size(), QSize(1100, 720));
    }
    // No settings file holds the token.
    QSettings().sync();
    QDirIterator it(m_home.path(), QDir::Files, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains(kFakeToken.toUtf8()), qPrintable(f.fileName()));
        ++files;
    }
    QVERIFY(files > 0);
}

void TestMainWindow::imageDroppedIsSentAsOriginalBytes()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(
        QJsonArray{QJsonObject{{QStringLiteral("status"), 200},
                               {QStringLiteral("body"),
                                QJsonArray{QJsonObject{{QStringLiteral("label"), QStringLiteral("tabby cat")},
                                                       {QStringLiteral("score"), 0.9}}}}}}));
    QTemporaryDir dir;
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    const QString path = dir.filePath(QStringLiteral("cat.jpg"));
    QVERIFY(image.save(path, "JPEG"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray original = file.readAll();

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    pointAt(window, server);
    window.modelPicker()->setModel(QStringLiteral("google/vit-base-patch16-224"));
    QCOMPARE(window.modelPicker()->task(), QStringLiteral("image-classification"));
    idesk::FileDropArea *area = window.inputEditor()->fileArea();
    QVERIFY(area->isVisible());

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.inputEditor()->fileArea(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(area, &drop);
    QVERIFY2(area->message().isEmpty(), qPrintable(area->message()));
    QCOMPARE(window.currentRequest().file.bytes, original);
    QVERIFY(area->description().contains(QStringLiteral("64 × 48")));

    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    const QJsonObject sent = server.requests().at(0).toObject();
    QCOMPARE(ReplayServer::body(sent), original);
    QCOMPARE(
        sent.value(QStringLiteral("headers")).toObject().value(QStringLiteral("content-type")).toString(),
        QStringLiteral("image/jpeg"));
}

void TestMainWindow::titleFollowsModel()
{
    MainWindow window;
    QCOMPARE(window.windowTitle(), QStringLiteral("Inference Desk"));
    window.modelPicker()->setModel(QStringLiteral("google/vit-base-patch16-224"));
    QCOMPARE(window.windowTitle(), QStringLiteral("Inference Desk — google/vit-base-patch16-224"));
    // An open preset names the window, with a mark once edited.
    window.setDocumentName(QStringLiteral("Cats"), false);
    QCOMPARE(window.windowTitle(), QStringLiteral("Inference Desk — Cats"));
    window.setDocumentName(QStringLiteral("Cats"), true);
    QCOMPARE(window.windowTitle(), QStringLiteral("Inference Desk — Cats *"));
    window.setDocumentName(QString());
    QCOMPARE(window.windowTitle(), QStringLiteral("Inference Desk — google/vit-base-patch16-224"));
    // Edits are announced, a programmatic setRequest() is not.
    QSignalSpy edited(&window, &MainWindow::requestEdited);
    idesk::InferenceRequest request = window.currentRequest();
    request.model = QStringLiteral("dslim/bert-base-NER");
    window.setRequest(request);
    QCOMPARE(edited.count(), 0);
    window.optionsPanel()->setWaitForModel(true);
    QVERIFY(edited.count() >= 1);
}

void TestMainWindow::saveAndOpenResult()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(
        QStringLiteral("text-classification/r2504_TIC_text_classification_hf-inference-1.json")));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("answer.json"));
    {
        MainWindow window;
        window.setTokenProvider([] { return kFakeToken; });
        pointAt(window, server);
        window.modelPicker()->setModel(
            QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
        window.modelPicker()->setTask(QStringLiteral("text-classification"));
        window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))
            ->setPlainText(QStringLiteral("hello"));
        QAction *save = window.findChild<QAction *>(QStringLiteral("actionSaveResult"));
        QVERIFY(save && !save->isEnabled());
        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QVERIFY(finished.wait(15000));
        QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());
        QVERIFY(save->isEnabled());
        QString error;
        QVERIFY2(window.resultView()->saveResult(path, &error), qPrintable(error));
    }
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QVERIFY(!saved.readAll().contains(kFakeToken.toUtf8()));

    MainWindow window;
    QString error;
    QVERIFY2(window.openResultFile(path, &error), qPrintable(error));
    QCOMPARE(window.windowTitle(), QStringLiteral("Inference Desk — answer.json"));
    QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());
    QCOMPARE(window.resultView()->currentViewKind(), QStringLiteral("scores"));
    // A file that is not a saved result: a message, and the window stays as it was.
    const QString bogus = dir.filePath(QStringLiteral("bogus.json"));
    {
        QFile f(bogus);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
    }
    QVERIFY(!window.openResultFile(bogus, &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(window.windowTitle(), QStringLiteral("Inference Desk — answer.json"));
}

void TestMainWindow::commandLine()
{
    if (!QFileInfo::exists(QStringLiteral(IDESK_APP_PATH)))
        QSKIP("build the inference-desk target first");
    QProcess app;
    app.start(QStringLiteral(IDESK_APP_PATH), {QStringLiteral("--version")});
    QVERIFY(app.waitForFinished(20000));
    QCOMPARE(app.exitCode(), 0);
    QVERIFY(app.readAllStandardOutput().contains(IDESK_VERSION));
    app.start(QStringLiteral(IDESK_APP_PATH), {QStringLiteral("--help")});
    QVERIFY(app.waitForFinished(20000));
    const QByteArray help = app.readAllStandardOutput();
    QVERIFY(help.contains("--open <FILE>"));
    QVERIFY(help.contains("[file]"));
    // A missing file is refused before any window opens.
    app.start(QStringLiteral(IDESK_APP_PATH),
              {QStringLiteral("--open"), QStringLiteral("/nonexistent/result.json")});
    QVERIFY(app.waitForFinished(20000));
    QCOMPARE(app.exitCode(), 2);
    QVERIFY(app.readAllStandardError().contains("no such file"));
    // A file that is not a saved result: the reason on stderr, exit code 2.
    QTemporaryDir dir;
    const QString bogus = dir.filePath(QStringLiteral("bogus.json"));
    {
        QFile f(bogus);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[1, 2");
    }
    app.start(QStringLiteral(IDESK_APP_PATH), {QStringLiteral("--open"), bogus});
    QVERIFY(app.waitForFinished(20000));
    QCOMPARE(app.exitCode(), 2);
    QVERIFY(!app.readAllStandardError().trimmed().isEmpty());

    // Opened as a file (from the file manager): the window stays open and says why, on stderr too. A
    // file that says it is a preset gets the preset's reason; one that is not JSON says so, claiming
    // nothing more.
    const QString brokenPreset = dir.filePath(QStringLiteral("broken-preset.json"));
    {
        QFile f(brokenPreset);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"inference-desk-preset\", \"version\": 1}");
    }
    // Its stderr until it names the file (other lines, e.g. Qt's own warnings, may come first).
    const auto stderrOf = [](const QString &path, QByteArray *err) {
        QProcess running;
        running.start(QStringLiteral(IDESK_APP_PATH), {path});
        const QByteArray name = QFileInfo(path).fileName().toUtf8();
        QTRY_VERIFY_WITH_TIMEOUT((*err += running.readAllStandardError()).contains(name), 20000);
        running.kill();
        running.waitForFinished(5000);
    };
    QByteArray presetReason;
    stderrOf(brokenPreset, &presetReason);
    QVERIFY2(presetReason.contains("is not a usable preset") && presetReason.contains("\"name\""),
             presetReason.constData());
    QByteArray jsonReason;
    stderrOf(bogus, &jsonReason);
    QVERIFY2(jsonReason.contains("not valid JSON") && !jsonReason.contains("not a saved result"),
             jsonReason.constData());
}

void TestMainWindow::pasteImageWithCtrlV()
{
    MainWindow window;
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.modelPicker()->setTask(QStringLiteral("image-classification"));
    QImage image(30, 20, QImage::Format_RGB32);
    image.fill(Qt::yellow);
    QApplication::clipboard()->setImage(image);
    // Focus on a button: Ctrl+V is the window's "Paste image or file".
    window.sendPanel()->sendButton()->setFocus();
    QTest::keyClick(window.sendPanel()->sendButton(), Qt::Key_V, Qt::ControlModifier);
    const idesk::InputFile file = window.currentRequest().file;
    QCOMPARE(file.mimeType, QStringLiteral("image/png"));
    QImage back;
    QVERIFY(back.loadFromData(file.bytes));
    QCOMPARE(back.size(), QSize(30, 20));
    // In a text field Ctrl+V stays a text paste.
    QApplication::clipboard()->setText(QStringLiteral("google/vit-base-patch16-224"));
    QLineEdit *model = window.modelPicker()->modelCombo()->lineEdit();
    model->setFocus();
    QTest::keyClick(model, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(window.modelPicker()->model(), QStringLiteral("google/vit-base-patch16-224"));
    QCOMPARE(window.currentRequest().file.bytes, file.bytes);
}

void TestMainWindow::tabOrderAndAccessibleNames()
{
    MainWindow window;
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    window.modelPicker()->modelCombo()->setFocus();
    QStringList order;
    QWidget *start = QApplication::focusWidget();
    QVERIFY(start);
    for (int i = 0; i < 60; ++i) {
        QWidget *w = QApplication::focusWidget();
        QString name = w->objectName();
        if (name.isEmpty() && w->parentWidget())
            name = w->parentWidget()->objectName();
        order << name;
        if (qEnvironmentVariableIsSet("IDESK_DUMP_FOCUS"))
            qInfo() << i << w->metaObject()->className() << name << w->accessibleName();
        // Every control reached by Tab can be named by a screen reader.
        QString accessible = w->accessibleName();
        if (accessible.isEmpty())
            if (auto *button = qobject_cast<QAbstractButton *>(w))
                accessible = button->text();
        if (accessible.isEmpty() && w->parentWidget())
            accessible = w->parentWidget()->accessibleName();
        QVERIFY2(!accessible.isEmpty(),
                 qPrintable(QStringLiteral("no accessible name: %1 %2")
                                .arg(QString::fromLatin1(w->metaObject()->className()), name)));
        QTest::keyClick(w, Qt::Key_Tab);
        if (QApplication::focusWidget() == start)
            break;
    }
    const auto pos = [&order](const QString &name) { return order.indexOf(name); };
    QVERIFY2(pos(QStringLiteral("modelCombo")) == 0, qPrintable(order.join(' ')));
    QVERIFY(pos(QStringLiteral("modelCombo")) < pos(QStringLiteral("taskCombo")));
    QVERIFY(pos(QStringLiteral("taskCombo")) < pos(QStringLiteral("endpointEdit")));
    QVERIFY(pos(QStringLiteral("endpointEdit")) < pos(QStringLiteral("inputText")));
    QVERIFY(pos(QStringLiteral("inputText")) < pos(QStringLiteral("param:top_k")));
    QVERIFY(pos(QStringLiteral("param:top_k")) < pos(QStringLiteral("useCache")));
    QVERIFY(pos(QStringLiteral("useCache")) < pos(QStringLiteral("sendButton")));
    QVERIFY2(pos(QStringLiteral("sendButton")) >= 0, qPrintable(order.join(' ')));
}

void TestMainWindow::chatAnswerBecomesNextTurn()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(
        QStringLiteral("conversational/r2504_TIC_chat_completion_no_stream_hf-inference-1.json")));
    MainWindow window;
    pointAt(window, server);
    window.modelPicker()->setModel(QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
    window.modelPicker()->setTask(QStringLiteral("chat-completion"));
    QCOMPARE(window.inputEditor()->inputKind(), idesk::InputKind::Chat);
    idesk::ConversationEditor *conversation = window.inputEditor()->conversation();
    conversation->setSystemPrompt(QStringLiteral("You are a helpful assistant."));
    if (conversation->turnCount() == 0)
        conversation->addTurn(QStringLiteral("user"));
    conversation->setTurnText(0, QStringLiteral("What is deep learning?"));
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    QVERIFY2(finished.at(0).at(0).value<InferenceResult>().ok(),
             qPrintable(finished.at(0).at(0).value<InferenceResult>().errorMessage));
    const QJsonObject sent = server.requests().at(0).toObject();
    QVERIFY(sent.value(QStringLiteral("path")).toString().endsWith(QStringLiteral("/v1/chat/completions")));
    const QJsonObject body = QJsonDocument::fromJson(ReplayServer::body(sent)).object();
    QCOMPARE(body.value(QStringLiteral("messages")).toArray().size(), 2);
    // The reply is the next assistant turn.
    QVERIFY(conversation->turnCount() >= 2);
    QCOMPARE(conversation->turn(1).role, QStringLiteral("assistant"));
    QVERIFY(conversation->turn(1).content.startsWith(QStringLiteral("Deep learning is")));
}

void TestMainWindow::streamedChatIsShownLiveAndKept()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(
        QStringLiteral("conversational/a2501_ICV_chat_completion_with_stream-0.json"),
        QJsonObject{{QStringLiteral("chunk_delay_ms"), 5}, {QStringLiteral("chunk_size"), 200}}));
    MainWindow window;
    pointAt(window, server);
    window.modelPicker()->setModel(QStringLiteral("HuggingFaceH4/zephyr-7b-beta"));
    window.modelPicker()->setTask(QStringLiteral("chat-completion"));
    window.optionsPanel()->setStream(true);
    QVERIFY(window.currentRequest().stream);
    idesk::ConversationEditor *conversation = window.inputEditor()->conversation();
    if (conversation->turnCount() == 0)
        conversation->addTurn(QStringLiteral("user"));
    conversation->setTurnText(0, QStringLiteral("What is deep learning?"));
    QSignalSpy events(window.client(), &idesk::InferenceClient::streamEvent);
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    QVERIFY(events.count() > 1);
    const QJsonObject body =
        QJsonDocument::fromJson(ReplayServer::body(server.requests().at(0).toObject())).object();
    QCOMPARE(body.value(QStringLiteral("stream")), QJsonValue(true));
    QVERIFY(conversation->turnCount() >= 2);
    QCOMPARE(conversation->turn(1).role, QStringLiteral("assistant"));
    QVERIFY2(conversation->turn(1).content.startsWith(QStringLiteral("Deep learning")),
             qPrintable(conversation->turn(1).content));
}

void TestMainWindow::connectionOptionsFillTheRequest()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Collapsed until asked for, and not even built: the request still carries Kestra's defaults.
    QVERIFY(!window.findChild<QWidget *>(QStringLiteral("connectionOptions")));
    QCOMPARE(window.currentRequest().options.readTimeoutMs, idesk::HttpOptions{}.readTimeoutMs);
    auto *toggle = window.findChild<QToolButton *>(QStringLiteral("connectionToggle"));
    QTest::mouseClick(toggle, Qt::LeftButton);
    auto *section = window.findChild<QWidget *>(QStringLiteral("connectionOptions"));
    QVERIFY(section);
    QVERIFY(section->isVisible());
    // Built after the rest of the window, its fields still come right after the toggle when tabbing, and
    // the last one leads on to the Send button as before.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    toggle->setFocus();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), window.findChild<QLineEdit *>(QStringLiteral("connectTimeout")));
    for (int i = 0; i < 4; ++i)
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), window.findChild<QLineEdit *>(QStringLiteral("maxContentLength")));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    auto *charset = window.findChild<QComboBox *>(QStringLiteral("defaultCharset"));
    QVERIFY(QApplication::focusWidget() == charset || QApplication::focusWidget()->parentWidget() == charset);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("sendButton"));

    auto *readTimeout = window.findChild<QLineEdit *>(QStringLiteral("readTimeout"));
    auto *connectTimeout = window.findChild<QLineEdit *>(QStringLiteral("connectTimeout"));
    auto *maxLength = window.findChild<QLineEdit *>(QStringLiteral("maxContentLength"));
    QCOMPARE(readTimeout->text(), QStringLiteral("10s")); // Kestra's PT10S
    readTimeout->selectAll();
    QTest::keyClicks(readTimeout, QStringLiteral("PT1M30S"));
    connectTimeout->selectAll();
    QTest::keyClicks(connectTimeout, QStringLiteral("2500ms"));
    maxLength->selectAll();
    QTest::keyClicks(maxLength, QStringLiteral("1 MiB"));
    window.findChild<QCheckBox *>(QStringLiteral("useCache"))->setChecked(false);
    window.findChild<QCheckBox *>(QStringLiteral("waitForModel"))->setChecked(true);
    const idesk::InferenceRequest request = window.currentRequest();
    QCOMPARE(request.options.readTimeoutMs, qint64(90000));
    QCOMPARE(request.options.connectTimeoutMs, qint64(2500));
    QCOMPARE(request.options.maxContentLength, qint64(1048576));
    QVERIFY(!request.useCache);
    QVERIFY(request.waitForModel);
    // The size limit also bounds input files.
    window.modelPicker()->setTask(QStringLiteral("image-classification"));
    QTemporaryDir dir;
    QImage big(1000, 700, QImage::Format_RGB888);
    big.fill(Qt::gray);
    const QString bigPath = dir.filePath(QStringLiteral("big.bmp"));
    QVERIFY(big.save(bigPath, "BMP"));
    QVERIFY(!window.openInputFile(bigPath));
    QVERIFY(window.inputEditor()->fileArea()->message().contains(QStringLiteral("over the limit")));
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("over the limit")));

    // A duration that does not parse blocks sending and says so.
    readTimeout->selectAll();
    QTest::keyClicks(readTimeout, QStringLiteral("soon"));
    const QString blockers = window.sendBlockers().join(' ');
    QVERIFY2(blockers.contains(QStringLiteral("Read timeout")), qPrintable(blockers));
    QVERIFY(readTimeout->toolTip().contains(QStringLiteral("soon")));

    // Opening a request whose options are all good replaces the bad one and leaves the section as the
    // person left it: the fields are checked once they all hold their new values, not one by one (the
    // first one set found "soon" still there and opened the section).
    QVERIFY(section->isVisible());
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(!section->isVisible());
    idesk::InferenceRequest good = window.currentRequest();
    good.options = idesk::HttpOptions{};
    good.options.connectTimeoutMs = 3000;
    window.setRequest(good);
    QCOMPARE(readTimeout->text(), QStringLiteral("10s"));
    QCOMPARE(connectTimeout->text(), QStringLiteral("3s"));
    QVERIFY(!window.sendBlockers().join(' ').contains(QStringLiteral("Read timeout")));
    QVERIFY(!section->isVisible());
}

// An input page, and the answer's tabs, are built when first needed, after the rest of the window: Qt
// would put what it builds late last in the tab order; they keep the place they have on screen.
void TestMainWindow::partsBuiltLateKeepTheirTabPlace()
{
    MainWindow window;
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    const auto tab = [] {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        return QApplication::focusWidget();
    };
    window.modelPicker()->setTask(QStringLiteral("question-answering")); // builds its page now
    auto *question = window.findChild<QLineEdit *>(QStringLiteral("inputQuestion"));
    QVERIFY(question);
    question->setFocus();
    QCOMPARE(tab(), window.findChild<QPlainTextEdit *>(QStringLiteral("inputContext")));
    QCOMPARE(tab(), window.findChild<QCheckBox *>(QStringLiteral("rawJson")));

    idesk::InferenceRequest request = window.currentRequest();
    idesk::InferenceResult result;
    result.status = 200;
    result.contentType = QStringLiteral("application/json");
    result.body = R"({"answer": "Paris", "score": 0.9, "start": 0, "end": 5})";
    window.resultView()->setResult(request, result); // the first answer builds the tabs
    QWidget *tabs = window.resultView()->tabs();
    QPushButton *save = nullptr;
    for (auto *button : window.resultView()->findChildren<QPushButton *>())
        if (button->accessibleName() == QLatin1String("Save result"))
            save = button;
    QVERIFY(save);
    QTRY_VERIFY(save->isEnabled());
    save->setFocus();
    QWidget *next = tab();
    QVERIFY2(next && tabs->isAncestorOf(next), qPrintable(next ? next->metaObject()->className() : "none"));
}

void TestMainWindow::wrongOptionOpensTheConnectionSection()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!window.findChild<QWidget *>(QStringLiteral("connectionOptions"))); // not built yet
    // Opening a request whose options are all good keeps it folded (and unbuilt), with its values sent.
    idesk::InferenceRequest request = window.currentRequest();
    request.options.readTimeoutMs = 42000;
    request.options.defaultCharset = QStringLiteral("windows-1252");
    window.setRequest(request);
    QVERIFY(!window.findChild<QWidget *>(QStringLiteral("connectionOptions")));
    QCOMPARE(window.currentRequest().options.readTimeoutMs, qint64(42000));
    QCOMPARE(window.currentRequest().options.defaultCharset, QStringLiteral("windows-1252"));
    QVERIFY(window.sendBlockers().isEmpty() ||
            !window.sendBlockers().join(' ').contains(QStringLiteral("content length")));
    // Read as the fields would read them: no charset is the default one, a negative connect timeout unset.
    idesk::InferenceRequest blank = request;
    blank.options.defaultCharset = QStringLiteral("  ");
    blank.options.connectTimeoutMs = -7;
    window.setRequest(blank);
    QVERIFY(!window.findChild<QWidget *>(QStringLiteral("connectionOptions")));
    QCOMPARE(window.currentRequest().options.defaultCharset, QStringLiteral("UTF-8"));
    QCOMPARE(window.currentRequest().options.connectTimeoutMs, qint64(-1));
    // One that is wrong (a size under a byte) opens the section on it, said as typing it would say it.
    request.options.maxContentLength = 0;
    window.setRequest(request);
    auto *section = window.findChild<QWidget *>(QStringLiteral("connectionOptions"));
    QVERIFY(section);
    QVERIFY(section->isVisible());
    QCOMPARE(window.findChild<QLineEdit *>(QStringLiteral("readTimeout"))->text(), QStringLiteral("42s"));
    QCOMPARE(window.findChild<QComboBox *>(QStringLiteral("defaultCharset"))->currentText(),
             QStringLiteral("windows-1252"));
    const QString blockers = window.sendBlockers().join(' ');
    QVERIFY2(blockers.contains(QStringLiteral("at least 1 byte")), qPrintable(blockers));
}

void TestMainWindow::kestraFormLlmGoesOutAsChat()
{
    // Kestra's form (no task, a plain string) with a model the hub calls text-generation: the window asks
    // the hub (here the loopback server, as HF_ENDPOINT), then sends a one-message chat and says so.
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(
        QStringLiteral("hub-model-info/r2504_TIC_chat_completion_no_stream_hf-inference-0.json")));
    QVERIFY(server.queueFile(
        QStringLiteral("conversational/r2504_TIC_chat_completion_no_stream_hf-inference-1.json")));
    const auto owned = windowWithHubAt(server);
    MainWindow &window = *owned;
    // A token the loopback host does not get: its note joins the one on the chat, not replacing it.
    window.setTokenProvider([] {
        return QStringLiteral("hf_"
                              "notARealTokenForThisTest");
    });
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    idesk::InferenceRequest request;
    request.endpoint = server.urlString() + QStringLiteral("/hf-inference/models");
    request.model = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct");
    request.inputs = QStringLiteral("What is deep learning?");
    window.setRequest(request);
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(10000));

    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.at(0).toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/api/models/meta-llama/Llama-3.1-8B-Instruct"));
    QVERIFY(!received.at(0)
                 .toObject()
                 .value(QStringLiteral("headers"))
                 .toObject()
                 .contains(QStringLiteral("authorization")));
    QCOMPARE(received.at(1).toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/v1/chat/completions"));
    const QJsonObject body = QJsonDocument::fromJson(ReplayServer::body(received.at(1).toObject())).object();
    QCOMPARE(body.value(QStringLiteral("messages")).toArray().size(), 1);
    QVERIFY2(window.sendPanel()->note().contains(QStringLiteral("one-message chat")),
             qPrintable(window.sendPanel()->note()));
    QVERIFY2(window.sendPanel()->note().contains(QStringLiteral("127.0.0.1")),
             qPrintable(window.sendPanel()->note()));
    QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());

    // The answer is cached: the next send asks the hub no more.
    QVERIFY(server.reset());
    QVERIFY(server.queueFile(
        QStringLiteral("conversational/r2504_TIC_chat_completion_no_stream_hf-inference-1.json")));
    window.send();
    QVERIFY(finished.wait(10000));
    QCOMPARE(server.requests().size(), 1);
}

void TestMainWindow::everyInputKindRoundTrips_data()
{
    QTest::addColumn<QString>("file");
    const QStringList files{
        QStringLiteral("question-answering/a2501_ICV_question_answering-0.json"),
        QStringLiteral("sentence-similarity/r2504_TIC_sentence_similarity_hf-inference-1.json"),
        QStringLiteral(
            "zero-shot-classification/r2504_TIC_zero_shot_classification_multi_label_hf-inference-1.json"),
        QStringLiteral("table-question-answering/r2504_TIC_table_question_answering_hf-inference-1.json"),
        QStringLiteral("visual-question-answering/r2504_TIC_visual_question_answering_hf-inference-1.json"),
        QStringLiteral(
            "document-question-answering/r2504_TIC_document_question_answering_hf-inference-1.json"),
        QStringLiteral(
            "zero-shot-image-classification/r2504_TIC_zero_shot_image_classification_hf-inference-1.json"),
        QStringLiteral("image-classification/r2504_TIC_image_classification_hf-inference-1.json"),
        QStringLiteral(
            "automatic-speech-recognition/r2504_TIC_automatic_speech_recognition_hf-inference-1.json"),
        QStringLiteral(
            "translation/r2504_TIC_translation_with_source_and_target_language_hf-inference-1.json"),
        QStringLiteral("summarization/r2504_TIC_summarization_hf-inference-1.json"),
        QStringLiteral("object-detection/r2504_TIC_object_detection_hf-inference-1.json"),
    };
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << file;
}

// A recorded request put into the window's editors comes back out of them unchanged (every input kind,
// parameters, a file), and what the window sends is what the encoder makes of it.
void TestMainWindow::everyInputKindRoundTrips()
{
    QFETCH(QString, file);
    QString error;
    const auto recording = idesk::test::Recording::load(file, &error);
    QVERIFY2(recording, qPrintable(error));
    const idesk::TaskSpec *spec = idesk::TaskCatalog::instance().task(recording->task());
    QVERIFY(spec);

    idesk::InferenceRequest request;
    request.task = recording->task();
    QString path = recording->path();
    const int models = path.indexOf(QStringLiteral("/models/"));
    const int pipeline = path.indexOf(QStringLiteral("/pipeline/"));
    request.model = models >= 0 ? path.mid(models + 8) : path.mid(pipeline + 10 + request.task.size() + 1);
    if (request.model.endsWith(QStringLiteral("/pipeline/") + request.task))
        request.model.chop(10 + request.task.size());
    QMimeDatabase mimes;
    const auto fileFrom = [&mimes](const QByteArray &bytes) {
        idesk::InputFile f;
        f.bytes = bytes;
        f.mimeType = mimes.mimeTypeForData(bytes).name();
        return f;
    };
    if (!recording->requestIsJson()) {
        request.file = fileFrom(recording->requestBytes());
    } else {
        const QJsonObject body =
            idesk::test::Recording::normaliseBody(recording->requestJson()).body.toObject();
        request.inputs = body.value(QStringLiteral("inputs"));
        request.parameters = body.value(QStringLiteral("parameters")).toObject();
        const idesk::InputKind kind = spec->inputKind;
        if ((kind == idesk::InputKind::Image || kind == idesk::InputKind::Audio ||
             kind == idesk::InputKind::ImageWithLabels) &&
            request.inputs.isString()) {
            request.file = fileFrom(QByteArray::fromBase64(request.inputs.toString().toLatin1()));
            request.inputs = QJsonValue();
        } else if (kind == idesk::InputKind::ImageQuestion) {
            QJsonObject inputs = request.inputs.toObject();
            request.file =
                fileFrom(QByteArray::fromBase64(inputs.take(QStringLiteral("image")).toString().toLatin1()));
            request.inputs = inputs;
        }
    }

    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(file));
    request.endpoint = server.urlString() + QStringLiteral("/models");

    MainWindow window;
    window.setRequest(request);
    const idesk::InferenceRequest back = window.currentRequest();
    QCOMPARE(back.task, request.task);
    QCOMPARE(back.model, request.model);
    QCOMPARE(back.inputs, request.inputs);
    QCOMPARE(back.parameters, request.parameters);
    QCOMPARE(back.file.bytes, request.file.bytes);
    QCOMPARE(back.file.mimeType, request.file.mimeType);
    QVERIFY2(window.sendBlockers().isEmpty(), qPrintable(window.sendBlockers().join(' ')));

    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    const auto result = finished.at(0).at(0).value<InferenceResult>();
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    const idesk::EncodedRequest expected = idesk::RequestEncoder::encode(request);
    const QJsonObject received = server.requests().at(0).toObject();
    QCOMPARE(received.value(QStringLiteral("path")).toString(), expected.url.path());
    QCOMPARE(ReplayServer::body(received), expected.body);
    QTRY_VERIFY(window.resultView()->hasResult() && !window.resultView()->isFormatting());
    QCOMPARE(window.resultView()->currentViewKind(), spec->resultKind);
}

void TestMainWindow::kestraFormHubSilentSaysSo()
{
    // The hub does not know the model (404): the request goes out in Kestra's generic form, and the note
    // says why it was not turned into a chat.
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{
        QJsonObject{{QStringLiteral("status"), 404},
                    {QStringLiteral("headers"),
                     QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("application/json")}}},
                    {QStringLiteral("body"), QStringLiteral("{\"error\":\"Repository not found\"}")}}}));
    QVERIFY(server.queueFile(
        QStringLiteral("text-classification/r2504_TIC_text_classification_hf-inference-1.json")));
    const auto owned = windowWithHubAt(server);
    MainWindow &window = *owned;
    idesk::InferenceRequest request;
    request.endpoint = server.urlString() + QStringLiteral("/hf-inference/models");
    request.model = QStringLiteral("someone/private-model");
    request.inputs = QStringLiteral("I like you");
    window.setRequest(request);
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(10000));
    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.at(1).toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/hf-inference/models/someone/private-model"));
    QVERIFY2(window.sendPanel()->note().contains(QStringLiteral("did not say which task")),
             qPrintable(window.sendPanel()->note()));
}

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
