// Drives the main window into the states shown in the README and grabs them. Under ctest it checks
// that each state renders; with IDESK_SCREENSHOT_DIR set (tests/gui/make-screenshots.sh, under
// xvfb-run) it also writes docs/screenshots/main-<state>.png.
#include "ConversationEditor.h"
#include "FileDropArea.h"
#include "InferenceClient.h"
#include "InputEditor.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "OptionsPanel.h"
#include "ParameterTable.h"
#include "Recording.h"
#include "ReplayServer.h"
#include "ResultView.h"
#include "SendPanel.h"
#include "TestSettings.h"

#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using idesk::MainWindow;
using idesk::test::ReplayServer;

class TestScreenshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void textClassificationAnswered();
    void imageDropped_data() { sizes(); }
    void imageDropped();
    void errorShown_data() { sizes(); }
    void errorShown();
    void darkPaletteInvalidParameter();
    void modelLoadingCountdown();
    void chatAnswered_data() { sizes(); }
    void chatAnswered();
    void visualQuestion();
    void textGenerationCompletionsRoute();

private:
    // Rows for the states shown at several window sizes: the README's size and the two issue 13 names.
    static void sizes();
    void prepare(MainWindow &window, const ReplayServer &server);
    void grab(MainWindow &window, const QString &name);
    QTemporaryDir m_home;
};

void TestScreenshots::initTestCase()
{
    QVERIFY(m_home.isValid());
    idesk::test::useTestSettings(QStringLiteral("TestScreenshots"), m_home.path());
}

void TestScreenshots::init()
{
    QSettings().clear();
}

void TestScreenshots::sizes()
{
    QTest::addColumn<bool>("unused"); // the tag carries the size
    QTest::newRow("default") << true;
    QTest::newRow("1024x700") << true;
    QTest::newRow("1400x900") << true;
}

void TestScreenshots::prepare(MainWindow &window, const ReplayServer &server)
{
    // The row's tag names the size ("1024x700"); tests without rows (and the "default" row) use 1280x800.
    const QStringList tag = QString::fromLatin1(QTest::currentDataTag()).split(QLatin1Char('x'));
    window.resize(tag.size() == 2 ? QSize(tag.at(0).toInt(), tag.at(1).toInt()) : QSize(1280, 800));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.modelPicker()->endpointEdit()->setText(server.urlString() + QStringLiteral("/models"));
}

void TestScreenshots::grab(MainWindow &window, const QString &name)
{
    QApplication::processEvents();
    const QPixmap shot = window.grab();
    QVERIFY(!shot.isNull());
    QCOMPARE(shot.size() / shot.devicePixelRatio(), window.size());
    const QString tag = QString::fromLatin1(QTest::currentDataTag());
    const QString file =
        tag.isEmpty() || tag == QLatin1String("default") ? name : name + QLatin1Char('-') + tag;
    const QString dir = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(shot.save(QDir(dir).filePath(QStringLiteral("main-%1.png").arg(file))));
    }
}

void TestScreenshots::textClassificationAnswered()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(
        QStringLiteral("text-classification/r2504_TIC_text_classification_hf-inference-1.json")));
    MainWindow window;
    prepare(window, server);
    window.modelPicker()->setModel(
        QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))
        ->setPlainText(QStringLiteral("I like you. I love you"));
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    grab(window, QStringLiteral("text-classification"));
}

void TestScreenshots::imageDropped()
{
    const auto recording = idesk::test::Recording::load(
        QStringLiteral("image-classification/r2504_TIC_image_classification_hf-inference-1.json"));
    QVERIFY(recording);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("portrait.png"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(recording->requestBytes());
    }
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(recording->relativePath()));
    MainWindow window;
    prepare(window, server);
    window.modelPicker()->setModel(QStringLiteral("google/vit-base-patch16-224"));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.inputEditor()->fileArea(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.inputEditor()->fileArea(), &drop);
    QVERIFY(!window.currentRequest().file.isEmpty());
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    grab(window, QStringLiteral("image-dropped"));
}

void TestScreenshots::errorShown()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{QJsonObject{
        {QStringLiteral("status"), 404},
        {QStringLiteral("body"),
         QJsonObject{{QStringLiteral("error"),
                      QStringLiteral("Model cardiffnlp/twitter-roberta-base-sentimen does not exist")}}}}}));
    MainWindow window;
    prepare(window, server);
    window.modelPicker()->setModel(QStringLiteral("cardiffnlp/twitter-roberta-base-sentimen"));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))
        ->setPlainText(QStringLiteral("Covid cases are increasing fast!"));
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    QVERIFY(!finished.at(0).at(0).value<idesk::InferenceResult>().ok());
    grab(window, QStringLiteral("error"));
}

void TestScreenshots::darkPaletteInvalidParameter()
{
    // The system palette decides the colours: a dark one here, with a red (invalid) cell and greyed defaults.
    const QPalette original = QApplication::palette();
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(45, 45, 48));
    dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
    dark.setColor(QPalette::Base, QColor(30, 30, 32));
    dark.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
    dark.setColor(QPalette::Text, QColor(230, 230, 230));
    dark.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
    dark.setColor(QPalette::Button, QColor(55, 55, 58));
    dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
    dark.setColor(QPalette::Highlight, QColor(42, 130, 218));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::ToolTipBase, QColor(60, 60, 60));
    dark.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
    dark.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
    dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
    QApplication::setPalette(dark);

    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    {
        MainWindow window;
        prepare(window, server);
        window.modelPicker()->setModel(QStringLiteral("facebook/bart-large-mnli"));
        QCOMPARE(window.modelPicker()->task(), QStringLiteral("zero-shot-classification"));
        window.findChild<QPlainTextEdit *>(QStringLiteral("inputLabelsText"))
            ->setPlainText(
                QStringLiteral("I have a problem with my iphone that needs to be resolved asap!!"));
        window.findChild<QLineEdit *>(QStringLiteral("inputCandidateLabels"))
            ->setText(QStringLiteral("urgent, not urgent, phone, tablet, computer"));
        window.parameterTable()->addExtraRow(QStringLiteral("truncation"), QJsonValue());
        auto *value = window.parameterTable()
                          ->table()
                          ->cellWidget(window.parameterTable()->table()->rowCount() - 1, 1)
                          ->findChild<QLineEdit *>();
        QVERIFY(value);
        value->setText(QStringLiteral("only_first"));
        Q_EMIT value->textEdited(value->text());
        QVERIFY(!window.parameterTable()->problems().isEmpty());
        window.send();
        QVERIFY(!window.sendPanel()->blockerText().isEmpty());
        grab(window, QStringLiteral("dark-invalid-parameter"));
    }
    QApplication::setPalette(original);
}

void TestScreenshots::modelLoadingCountdown()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(
        QStringLiteral("token-classification/e250205_TIC_token_classification_hf-inference-0.json")));
    QVERIFY(server.queueFile(
        QStringLiteral("token-classification/e250205_TIC_token_classification_hf-inference-1.json")));
    MainWindow window;
    prepare(window, server);
    window.client()->setMaxLoadingWait(20);
    window.modelPicker()->setModel(QStringLiteral("dbmdz/bert-large-cased-finetuned-conll03-english"));
    window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))
        ->setPlainText(QStringLiteral("My name is Sarah Jessica Parker but you can call me Jessica"));
    window.send();
    QTRY_VERIFY_WITH_TIMEOUT(window.sendPanel()->countdownRemaining() > 0, 5000);
    const int first = window.sendPanel()->countdownRemaining();
    QTRY_VERIFY_WITH_TIMEOUT(window.sendPanel()->countdownRemaining() < first, 3000); // it counts down
    grab(window, QStringLiteral("model-loading"));
    window.cancel();
}

void TestScreenshots::chatAnswered()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(
        QStringLiteral("conversational/r2504_TIC_chat_completion_no_stream_hf-inference-1.json")));
    MainWindow window;
    prepare(window, server);
    window.modelPicker()->setModel(QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
    window.modelPicker()->setTask(QStringLiteral("chat-completion"));
    idesk::ConversationEditor *conversation = window.inputEditor()->conversation();
    conversation->setSystemPrompt(QStringLiteral("You are a helpful assistant."));
    if (conversation->turnCount() == 0)
        conversation->addTurn(QStringLiteral("user"));
    conversation->setTurnText(0, QStringLiteral("What is deep learning?"));
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    QVERIFY(conversation->turnCount() >= 2);
    grab(window, QStringLiteral("chat"));
}

void TestScreenshots::visualQuestion()
{
    const auto recording = idesk::test::Recording::load(
        QStringLiteral("visual-question-answering/r2504_TIC_visual_question_answering_hf-inference-1.json"));
    QVERIFY(recording);
    const QJsonObject body = idesk::test::Recording::normaliseBody(recording->requestJson()).body.toObject();
    const QJsonObject inputs = body.value(QStringLiteral("inputs")).toObject();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("photo.png"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromBase64(inputs.value(QStringLiteral("image")).toString().toLatin1()));
    }
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(recording->relativePath()));
    MainWindow window;
    prepare(window, server);
    window.modelPicker()->setModel(QStringLiteral("dandelin/vilt-b32-finetuned-vqa"));
    window.modelPicker()->setTask(QStringLiteral("visual-question-answering"));
    QVERIFY(window.openInputFile(path));
    window.findChild<QLineEdit *>(QStringLiteral("inputImageQuestion"))
        ->setText(inputs.value(QStringLiteral("question")).toString());
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    QVERIFY(finished.at(0).at(0).value<idesk::InferenceResult>().ok());
    grab(window, QStringLiteral("visual-question"));
}

void TestScreenshots::textGenerationCompletionsRoute()
{
    // Text generation on the OpenAI-compatible completions route, chosen in the Route combo; the URL it
    // goes to is shown under the toggles.
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    const QJsonObject answer{
        {QStringLiteral("id"), QStringLiteral("cmpl-1")},
        {QStringLiteral("object"), QStringLiteral("text_completion")},
        {QStringLiteral("model"), QStringLiteral("meta-llama/Llama-3.1-8B")},
        {QStringLiteral("choices"),
         QJsonArray{QJsonObject{
             {QStringLiteral("index"), 0},
             {QStringLiteral("text"),
              QStringLiteral(" a lighthouse keeper who had never seen the sea. Every evening she climbed the "
                             "hundred steps, lit the lamp and listened to the waves she could only hear.")},
             {QStringLiteral("finish_reason"), QStringLiteral("length")}}}},
        {QStringLiteral("usage"), QJsonObject{{QStringLiteral("prompt_tokens"), 7},
                                              {QStringLiteral("completion_tokens"), 32},
                                              {QStringLiteral("total_tokens"), 39}}}};
    QVERIFY(server.queue(QJsonArray{QJsonObject{
        {QStringLiteral("status"), 200},
        {QStringLiteral("headers"),
         QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("application/json")}}},
        {QStringLiteral("body"), QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Compact))}}}));
    MainWindow window;
    prepare(window, server);
    window.modelPicker()->setModel(QStringLiteral("meta-llama/Llama-3.1-8B"));
    window.modelPicker()->setTask(QStringLiteral("text-generation"));
    QComboBox *route = window.optionsPanel()->routeCombo();
    QVERIFY(route->isVisible());
    route->setCurrentIndex(route->findData(int(idesk::TextGenerationRoute::Completions)));
    Q_EMIT route->activated(route->currentIndex());
    window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))
        ->setPlainText(QStringLiteral("Once upon a time there was"));
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    const QJsonArray log = server.requests();
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.at(0).toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/models/meta-llama/Llama-3.1-8B/v1/completions"));
    grab(window, QStringLiteral("text-generation"));
}

QTEST_MAIN(TestScreenshots)
#include "TestScreenshots.moc"
