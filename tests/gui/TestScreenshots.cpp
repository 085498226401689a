// Drives the main window into the states shown in the README and grabs them. Under ctest it checks
// that each state renders; with IDESK_SCREENSHOT_DIR set (tests/gui/make-screenshots.sh, under
// xvfb-run) it also writes docs/screenshots/main-<state>.png.
#include "FileDropArea.h"
#include "InferenceClient.h"
#include "InputEditor.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "Recording.h"
#include "ReplayServer.h"
#include "ResultView.h"
#include "SendPanel.h"

#include <QDir>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
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
    void imageDropped();
    void errorShown();

private:
    void prepare(MainWindow &window, const ReplayServer &server);
    void grab(MainWindow &window, const QString &name);
    QTemporaryDir m_home;
};

void TestScreenshots::initTestCase()
{
    QVERIFY(m_home.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("inference-desk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("TestScreenshots"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.path());
}

void TestScreenshots::init()
{
    QSettings().clear();
}

void TestScreenshots::prepare(MainWindow &window, const ReplayServer &server)
{
    window.resize(1280, 800);
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
    const QString dir = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(shot.save(QDir(dir).filePath(QStringLiteral("main-%1.png").arg(name))));
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

QTEST_MAIN(TestScreenshots)
#include "TestScreenshots.moc"
