// The main window's controllers (TokenController, HostApprovalController, PresetsController and the
// CopyAsCodeMenu) inside the real window, over a real keychain (a private gnome-keyring from
// tests/support/session-services.sh) and the loopback replay server: their actions sit in the File, Edit
// and Settings menus the window built, with their shortcuts; the token saved in Settings is the one sent;
// a host that is not Hugging Face's gets it only after the person said yes (asked once); presets open
// into the editors, Ctrl+S saves, the title shows the preset and a modified marker; Edit > Copy as; and no
// file under the XDG directories holds the token.
#include "CopyAsCodeMenu.h"
#include "HistoryDock.h"
#include "HostApproval.h"
#include "HostApprovalController.h"
#include "InferenceRequest.h"
#include "InputEditor.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "PresetStore.h"
#include "PresetsController.h"
#include "PresetsPanel.h"
#include "ReplayServer.h"
#include "ResultView.h"
#include "SessionServices.h"
#include "TestConfig.h"
#include "TokenController.h"
#include "TokenResolver.h"
#include "TokenService.h"
#include "TokenSettingsDialog.h"
#include "views/ErrorView.h"
#include "views/RawView.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDirIterator>
#include <QDockWidget>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QUuid>
#include <QtTest>

#include <cstdio>
#include <cstring>
#include <unistd.h>
#include <vector>

using idesk::HostApproval;
using idesk::InferenceRequest;
using idesk::MainWindow;
using idesk::TokenController;
using idesk::test::ReplayServer;

namespace {

const char kRecording[] = "text-classification/r2504_TIC_text_classification_hf-inference-1.json";
const char kModel[] = "distilbert/distilbert-base-uncased-finetuned-sst-2-english";

QStringList menuTexts(const QMenu *menu)
{
    QStringList texts;
    for (const QAction *a : menu->actions())
        texts << a->text();
    return texts;
}

QMenu *topMenu(MainWindow &window, const QString &title)
{
    for (QAction *a : window.menuBar()->actions())
        if (a->menu() && (a->menu()->title() == title || a->menu()->objectName() == title))
            return a->menu();
    return nullptr;
}

bool titleModified(const MainWindow &window)
{
    return window.windowTitle().endsWith(QLatin1String(" *"));
}

void prepare(MainWindow &window, const ReplayServer &server, const QString &input)
{
    window.modelPicker()->endpointEdit()->setText(server.urlString() + QStringLiteral("/models"));
    window.modelPicker()->setModel(QString::fromLatin1(kModel));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))->setPlainText(input);
}

} // namespace

class TestWindowControllers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void menusAndDock();
    void controllerActionsInWindowMenus();
    void historyDockIsATabBesideThePresets();
    void noTokenNoteAndScrubbedErrors();
    void savedTokenIsSentAfterHostApproval();
    void presetsOpenSaveAndTitle();
    void copyAsFromEditMenu();
    void flowDroppedOnWindowIsImported();
    void noTokenInXdgFiles();
    void cleanupTestCase();

private:
    QString m_token;
};

void TestWindowControllers::initTestCase()
{
    QCOMPARE(qEnvironmentVariable("IDESK_SESSION_SERVICES"), QStringLiteral("1"));
    qunsetenv("HF_TOKEN");
    qunsetenv("HF_ENDPOINT");
    // Settings and presets go to the private XDG directories of session-services.sh (scanned at the end).
    QCoreApplication::setOrganizationName(QStringLiteral("inference-desk"));
    QCoreApplication::setApplicationName(QStringLiteral("inference-desk"));
    QSettings().clear();
    m_token = QStringLiteral("hf_") + QUuid::createUuid().toString(QUuid::Id128);
}

void TestWindowControllers::menusAndDock()
{
    MainWindow window{MainWindow::Setup{}};
    QMenu *settings = topMenu(window, QStringLiteral("menuSettings"));
    QVERIFY(settings);
    QVERIFY(menuTexts(settings).contains(QStringLiteral("Hugging Face &token...")));
    // Settings comes before Help.
    const QList<QAction *> top = window.menuBar()->actions();
    QVERIFY(top.last()->menu() != settings);
    QMenu *file = topMenu(window, QStringLiteral("&File"));
    QVERIFY(file);
    QVERIFY(file->actions().contains(window.presetsController()->savePresetAction()));
    QVERIFY(file->actions().contains(window.presetsController()->importAction()));
    QVERIFY(file->actions().contains(window.presetsController()->exportAction()));
    QCOMPARE(window.presetsController()->savePresetAction()->shortcut(), QKeySequence(QKeySequence::Save));
    // Quit stays last.
    QCOMPARE(file->actions().last()->objectName(), QStringLiteral("actionQuit"));
    QMenu *edit = topMenu(window, QStringLiteral("&Edit"));
    QVERIFY(edit);
    QVERIFY(edit->actions().contains(window.copyAsMenu()->menuAction()));
    QCOMPARE(window.copyAsMenu()->actions().size(), 3);
    QVERIFY(window.findChild<QDockWidget *>(QStringLiteral("presetsDock")));
    QCOMPARE(window.presetsController()->presetsDock()->widget(), window.presetsController()->presetsPanel());
}

// The controllers expose actions and the window puts them into the menus it built (nothing looks a menu
// up): File holds the presets' actions between the result files and Quit, with Ctrl+S and Ctrl+Shift+P;
// Edit ends with Copy as; Settings, just before Help, holds the token's two dialogs. A window built
// without controllers has neither a Settings menu nor their shortcuts.
void TestWindowControllers::controllerActionsInWindowMenus()
{
    MainWindow window{MainWindow::Setup{}};
    idesk::PresetsController *presets = window.presetsController();
    TokenController *tokens = window.tokenController();
    QVERIFY(presets && tokens && window.hostApprovalController() && window.copyAsMenu());
    QVERIFY(window.fileMenu() && window.editMenu() && window.settingsMenu() && window.helpMenu());

    // The menus the window built are the ones on its menu bar; Settings comes right before Help.
    QList<QMenu *> bar;
    for (QAction *a : window.menuBar()->actions())
        if (a->menu())
            bar << a->menu();
    QCOMPARE(bar.first(), window.fileMenu());
    QVERIFY(bar.contains(window.editMenu()));
    QVERIFY(bar.indexOf(window.settingsMenu()) > 0);
    QCOMPARE(bar.indexOf(window.settingsMenu()) + 1, bar.indexOf(window.helpMenu()));

    // File: the presets' actions, together and in their order, after Save result and before Quit.
    const QList<QAction *> file = window.fileMenu()->actions();
    const QList<QAction *> presetActions = presets->fileActions();
    QCOMPARE(presetActions, (QList<QAction *>{presets->savePresetAction(), presets->saveNewPresetAction(),
                                              presets->importAction(), presets->exportAction(),
                                              presets->showPanelAction()}));
    const int first = int(file.indexOf(presetActions.first()));
    auto *saveResult = window.findChild<QAction *>(QStringLiteral("actionSaveResult"));
    QVERIFY(saveResult);
    QVERIFY2(first > file.indexOf(saveResult), qPrintable(QString::number(first)));
    for (int i = 0; i < presetActions.size(); ++i)
        QCOMPARE(file.value(first + i), presetActions.at(i));
    QCOMPARE(file.last()->objectName(), QStringLiteral("actionQuit"));
    QCOMPARE(presets->savePresetAction()->shortcut(), QKeySequence(QKeySequence::Save));
    QCOMPARE(presets->showPanelAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+P")));
    QCOMPARE(presets->showPanelAction(), presets->presetsDock()->toggleViewAction());

    // Edit: Copy as, last, with its three snippets.
    QCOMPARE(window.editMenu()->actions().last(), window.copyAsMenu()->menuAction());
    QCOMPARE(window.copyAsMenu()->actions().size(), 3);

    // Settings: the token's dialogs, and nothing else.
    QCOMPARE(window.settingsMenu()->actions(),
             (QList<QAction *>{tokens->tokenSettingsAction(), tokens->approvedHostsAction()}));

    // The shortcuts reach the actions from the window: Ctrl+Shift+P hides the panel and shows it again.
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QDockWidget *dock = presets->presetsDock();
    QTRY_VERIFY(dock->isVisible());
    QTest::keySequence(&window, QKeySequence(QStringLiteral("Ctrl+Shift+P")));
    QTRY_VERIFY(!dock->isVisible());
    QTest::keySequence(&window, QKeySequence(QStringLiteral("Ctrl+Shift+P")));
    QTRY_VERIFY(dock->isVisible());

    // Without controllers: no Settings menu, no preset or token actions.
    MainWindow bare;
    QVERIFY(!bare.settingsMenu() && !bare.presetsController() && !bare.tokenController() &&
            !bare.hostApprovalController() && !bare.copyAsMenu());
    for (const QAction *a : bare.fileMenu()->actions())
        QVERIFY2(a->shortcut() != QKeySequence(QKeySequence::Save), qPrintable(a->text()));
    QVERIFY(!bare.findChild<QDockWidget *>(QStringLiteral("presetsDock")));
}

// The History dock finds the presets dock through the window's PresetsController (not by its name) and
// becomes a tab beside it, the presets in front; without controllers it stands alone.
void TestWindowControllers::historyDockIsATabBesideThePresets()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    MainWindow window{MainWindow::Setup{}};
    auto *history = new idesk::HistoryDock(&window, dir.filePath(QStringLiteral("history.sqlite")));
    QDockWidget *presets = window.presetsController()->presetsDock();
    QCOMPARE(window.tabifiedDockWidgets(presets), QList<QDockWidget *>{history});
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(presets->isVisible());
    QCOMPARE(window.dockWidgetArea(history), window.dockWidgetArea(presets));

    MainWindow bare;
    auto *alone = new idesk::HistoryDock(&bare, dir.filePath(QStringLiteral("alone.sqlite")));
    QVERIFY(bare.tabifiedDockWidgets(alone).isEmpty());
}

// Issue 19: a first start without a token says so before any 401; a 401 without a token says none is set
// (not "the token was refused"); a server echoing a Bearer value or an hf_ token shows it masked in the
// error view and the raw view.
void TestWindowControllers::noTokenNoteAndScrubbedErrors()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    const QByteArray echoed = "hf_EchoedByTheServer01234567";
    QVERIFY(server.queue(QJsonArray{QJsonObject{
        {QStringLiteral("status"), 401},
        {QStringLiteral("headers"),
         QJsonObject{{QStringLiteral("X-Echo"), QStringLiteral("Bearer ") + QString::fromLatin1(echoed)}}},
        {QStringLiteral("body"),
         QJsonObject{
             {QStringLiteral("error"), QStringLiteral("Invalid credentials in Authorization: Bearer ") +
                                           QString::fromLatin1(echoed) + QStringLiteral(" \x1b[2J")}}}}}));
    MainWindow window{MainWindow::Setup{}};
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(!window.tokenController()->tokenService()->isBusy(), 15000);
    QVERIFY(!window.tokenController()->tokenService()->current().hasToken());
    // The note, before anything was sent.
    QTRY_COMPARE(window.statusBar()->currentMessage(), TokenController::noTokenNote());
    QVERIFY(TokenController::noTokenNote().contains(QLatin1String("Settings > Hugging Face token")));
    QVERIFY(TokenController::noTokenNote().contains(QLatin1String("HF_TOKEN")));
    QVERIFY2(window.tokenStatus().contains(QLatin1String("none set")), qPrintable(window.tokenStatus()));

    prepare(window, server, QStringLiteral("hello"));
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    QVERIFY(!window.hostApprovalController()->hostApproval()->pendingQuestion()); // no token: nothing to ask
    auto *error = qobject_cast<idesk::ErrorView *>(window.resultView()->renderer());
    QVERIFY(error);
    QVERIFY2(!error->adviceText().contains(QLatin1String("was refused")), qPrintable(error->adviceText()));
    QVERIFY2(error->adviceText().contains(QLatin1String("none is set")), qPrintable(error->adviceText()));
    QVERIFY(!error->copyText().contains(QString::fromLatin1(echoed)));
    QVERIFY2(error->serverText().contains(QLatin1String("Bearer [hidden]")), qPrintable(error->serverText()));
    const QString raw = window.resultView()->rawView()->copyText();
    QVERIFY2(raw.contains(QLatin1String("X-Echo")) || raw.contains(QLatin1String("x-echo")), qPrintable(raw));
    QVERIFY2(!raw.contains(QString::fromLatin1(echoed)), qPrintable(raw));
}

void TestWindowControllers::savedTokenIsSentAfterHostApproval()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(QString::fromLatin1(kRecording)));
    QVERIFY(server.queueFile(QString::fromLatin1(kRecording)));
    HostApproval::setApprovedOrigins({});

    MainWindow window{MainWindow::Setup{}};
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // Settings > Hugging Face token: paste, save to the keychain.
    window.tokenController()->tokenSettingsAction()->trigger();
    idesk::TokenSettingsDialog *dialog = window.tokenController()->tokenSettingsDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!window.tokenController()->tokenService()->isBusy(), 15000);
    QTest::keyClicks(dialog->tokenEdit(), m_token);
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!window.tokenController()->tokenService()->isBusy() &&
                                 window.tokenController()->tokenService()->current().hasToken(),
                             15000);
    QVERIFY(dialog->sourceLabel()->text().contains(QLatin1String("keychain")));
    // The status bar names it, masked.
    QVERIFY2(window.tokenStatus().contains(QLatin1String("keychain")), qPrintable(window.tokenStatus()));
    QVERIFY(window.tokenStatus().contains(idesk::TokenResolver::mask(m_token)));
    QVERIFY(!window.tokenStatus().contains(m_token));
    dialog->close();
    QTRY_VERIFY(!window.tokenController()->tokenSettingsDialog());

    // Send to 127.0.0.1: not a Hugging Face host, so the question comes BEFORE anything is sent.
    prepare(window, server, QStringLiteral("hello"));
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    QSignalSpy answered(window.hostApprovalController()->hostApproval(), &HostApproval::answered);
    window.send();
    QTRY_VERIFY_WITH_TIMEOUT(window.hostApprovalController()->hostApproval()->pendingQuestion(), 15000);
    QMessageBox *box = window.hostApprovalController()->hostApproval()->pendingQuestion();
    QTRY_VERIFY(box->isVisible());
    // Per origin: the question names scheme, host and port.
    QVERIFY2(box->text().contains(server.urlString()), qPrintable(box->text()));
    QVERIFY(!box->text().contains(m_token) && !box->informativeText().contains(m_token));
    QCOMPARE(server.requests().size(), 0);
    QVERIFY(!window.isBusy());

    // Yes: recorded for this origin, and the request goes once, with the keychain token.
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::AcceptRole)
            b->click();
    QTRY_COMPARE(answered.count(), 1);
    QVERIFY(HostApproval::isApproved(server.url()));
    QCOMPARE(HostApproval::approvedOrigins(), QStringList{server.urlString()});
    QVERIFY(finished.wait(15000));
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests()
                 .at(0)
                 .toObject()
                 .value(QLatin1String("headers"))
                 .toObject()
                 .value(QLatin1String("authorization"))
                 .toString(),
             QStringLiteral("Bearer ") + m_token);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 15000);
    QVERIFY(!window.windowTitle().contains(m_token));
    QVERIFY(!window.statusBar()->currentMessage().contains(m_token));

    // Asked once: the next send carries the token without a question.
    QVERIFY(server.queueFile(QString::fromLatin1(kRecording)));
    finished.clear();
    window.send();
    QVERIFY(finished.wait(15000));
    QVERIFY(!window.hostApprovalController()->hostApproval()->pendingQuestion());
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(server.requests()
                 .at(1)
                 .toObject()
                 .value(QLatin1String("headers"))
                 .toObject()
                 .value(QLatin1String("authorization"))
                 .toString(),
             QStringLiteral("Bearer ") + m_token);

    // Issue 19: another port of the same host is another origin: asked again before sending, and a no
    // sends without the token.
    ReplayServer other;
    QVERIFY2(other.isRunning(), qPrintable(other.errorString()));
    QVERIFY(other.queueFile(QString::fromLatin1(kRecording)));
    prepare(window, other, QStringLiteral("hello"));
    finished.clear();
    answered.clear();
    window.send();
    QTRY_VERIFY_WITH_TIMEOUT(window.hostApprovalController()->hostApproval()->pendingQuestion(), 15000);
    box = window.hostApprovalController()->hostApproval()->pendingQuestion();
    QVERIFY2(box->text().contains(other.urlString()), qPrintable(box->text()));
    QCOMPARE(other.requests().size(), 0);
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::RejectRole)
            b->click();
    QTRY_COMPARE(answered.count(), 1);
    QVERIFY(finished.wait(15000));
    QCOMPARE(other.requests().size(), 1);
    QVERIFY(!other.requests()
                 .at(0)
                 .toObject()
                 .value(QLatin1String("headers"))
                 .toObject()
                 .contains(QLatin1String("authorization")));
    QVERIFY(!HostApproval::isApproved(other.url()));
    HostApproval::setApprovedOrigins({}); // loopback ports are reused by later tests
}

void TestWindowControllers::presetsOpenSaveAndTitle()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    MainWindow window{MainWindow::Setup{}};
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    prepare(window, server, QStringLiteral("I love presets"));

    // Ctrl+S with no preset open asks a name.
    bool asked = false;
    QTimer::singleShot(0, this, [&asked]() {
        QTRY_VERIFY(qobject_cast<QInputDialog *>(QApplication::activeModalWidget()));
        auto *input = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        asked = true;
        input->setTextValue(QStringLiteral("Love detector"));
        input->accept();
    });
    QTest::keySequence(&window, QKeySequence::Save);
    QVERIFY(asked);
    QVERIFY(window.presetsController()->presetStore()->contains(QStringLiteral("Love detector")));
    QCOMPARE(window.presetsController()->openPresetName(), QStringLiteral("Love detector"));
    QVERIFY2(window.windowTitle().contains(QLatin1String("Love detector")), qPrintable(window.windowTitle()));
    QVERIFY(!titleModified(window));
    const auto saved = window.presetsController()->presetStore()->preset(QStringLiteral("Love detector"));
    QCOMPARE(saved->request.model, QString::fromLatin1(kModel));
    QCOMPARE(saved->request.inputs.toString(), QStringLiteral("I love presets"));

    // An edit marks the window modified; Ctrl+S saves in place without a question.
    // (The offscreen platform does not hand activation back after the name dialog: do it as a window
    // manager would, or no shortcut reaches the window.)
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto *text = window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"));
    text->setFocus();
    text->selectAll();
    QTest::keyClicks(text, QStringLiteral("I hate bugs"));
    QTRY_VERIFY(titleModified(window));
    QVERIFY2(window.windowTitle().contains(QLatin1String("Love detector")), qPrintable(window.windowTitle()));
    QVERIFY(window.presetsController()->isModified());
    QSignalSpy triggered(window.presetsController()->savePresetAction(), &QAction::triggered);
    QTest::keySequence(text, QKeySequence::Save);
    QCOMPARE(triggered.count(), 1);
    QVERIFY2(!titleModified(window),
             qPrintable(window.windowTitle() + QLatin1Char('|') +
                        window.presetsController()->presetsPanel()->messageLabel()->text()));
    QCOMPARE(window.presetsController()
                 ->presetStore()
                 ->preset(QStringLiteral("Love detector"))
                 ->request.inputs.toString(),
             QStringLiteral("I hate bugs"));
    QCOMPARE(window.presetsController()->presetStore()->presets().size(), 1);

    // Another preset, opened from the dock with a double click: the editors and the title follow.
    InferenceRequest other;
    other.endpoint = server.urlString() + QStringLiteral("/models");
    other.model = QStringLiteral("facebook/bart-large-cnn");
    other.task = QStringLiteral("summarization");
    other.inputs = QStringLiteral("A long story.");
    QVERIFY(window.presetsController()->presetsPanel()->saveRequest(QStringLiteral("Digest"), other));
    // saveRequest of a new preset from the panel makes it the open one only through Ctrl+S; open it.
    QListWidget *list = window.presetsController()->presetsPanel()->presetList();
    QVERIFY(window.presetsController()->presetsPanel()->selectPreset(QStringLiteral("Digest")));
    const QRect rect = list->visualItemRect(list->currentItem());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
    QTRY_COMPARE(window.modelPicker()->model(), QStringLiteral("facebook/bart-large-cnn"));
    QCOMPARE(window.currentRequest().task, QStringLiteral("summarization"));
    QCOMPARE(window.currentRequest().inputs.toString(), QStringLiteral("A long story."));
    QCOMPARE(window.presetsController()->openPresetName(), QStringLiteral("Digest"));
    QVERIFY(window.windowTitle().contains(QLatin1String("Digest")));
    QVERIFY(!titleModified(window));

    const QString shots = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
    if (!shots.isEmpty()) {
        QVERIFY(
            QTest::qWaitFor([&]() { return window.tokenController()->tokenService()->isResolved(); }, 15000));
        window.resize(1400, 820);
        QApplication::processEvents();
        QVERIFY(QDir().mkpath(shots));
        QVERIFY(window.grab().save(QDir(shots).filePath(QStringLiteral("main-presets.png"))));
    }

    // Deleting the open preset in the dock: the title lets go of it.
    QVERIFY(window.presetsController()->presetsPanel()->deletePreset(QStringLiteral("Digest")));
    QVERIFY(window.presetsController()->openPresetName().isEmpty());
    QVERIFY(!window.windowTitle().contains(QLatin1String("Digest")));
}

void TestWindowControllers::copyAsFromEditMenu()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    MainWindow window{MainWindow::Setup{}};
    QTRY_VERIFY_WITH_TIMEOUT(window.tokenController()->tokenService()->isResolved() &&
                                 !window.tokenController()->tokenService()->isBusy(),
                             15000);
    QCOMPARE(window.tokenController()->tokenService()->token(), m_token); // still in the keychain from above
    prepare(window, server, QStringLiteral("copy me"));
    QVERIFY(HostApproval::approve(server.urlString())); // approval is per origin: this server's
    window.copyAsMenu()->curlAction()->trigger();
    const QString curl = QGuiApplication::clipboard()->text();
    QVERIFY2(curl.contains(QString::fromLatin1(kModel)), qPrintable(curl));
    QVERIFY(curl.contains(QLatin1String("copy me")));
    // Its origin is approved: the snippet sends the token the same way, from $HF_TOKEN.
    QVERIFY(curl.contains(QLatin1String("$HF_TOKEN")));
    QVERIFY(!curl.contains(m_token));
    QVERIFY(window.statusBar()->currentMessage().contains(QLatin1String("curl")));
    window.copyAsMenu()->kestraAction()->trigger();
    QVERIFY(
        QGuiApplication::clipboard()->text().contains(QLatin1String("{{ secret('HUGGINGFACE_API_KEY') }}")));
    QVERIFY(!QGuiApplication::clipboard()->text().contains(m_token));
    HostApproval::revoke(server.urlString());
}

void TestWindowControllers::flowDroppedOnWindowIsImported()
{
    MainWindow window{MainWindow::Setup{}};
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.presetsController()->presetsDock()->hide();
    const int before = int(window.presetsController()->presetStore()->presets().size());
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(QStringLiteral(IDESK_TEST_DATA_DIR) +
                                      QStringLiteral("/flows/huggingface_inference_image.yaml"))});
    const QPoint at = window.rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(drop.isAccepted());
    QCOMPARE(int(window.presetsController()->presetStore()->presets().size()), before + 1);
    QVERIFY(
        window.presetsController()->presetStore()->contains(QStringLiteral("huggingface_inference_image")));
    QVERIFY(window.presetsController()->presetsDock()->isVisible());

    // An image is not taken here (the input area takes those).
    QMimeData image;
    image.setUrls({QUrl::fromLocalFile(QStringLiteral("/tmp/picture.png"))});
    QDragEnterEvent other(at, Qt::CopyAction, &image, Qt::LeftButton, Qt::NoModifier);
    other.setAccepted(false);
    QApplication::sendEvent(&window, &other);
    QVERIFY(!other.isAccepted());
}

void TestWindowControllers::noTokenInXdgFiles()
{
    QSettings().sync();
    int visited = 0;
    bool sawPreset = false;
    for (const char *var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"}) {
        const QString dir = qEnvironmentVariable(var);
        QVERIFY2(!dir.isEmpty() && QFileInfo(dir).isDir(), var);
        QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (!file.open(QIODevice::ReadOnly))
                continue;
            ++visited;
            if (file.fileName().contains(QLatin1String("/presets/")))
                sawPreset = true;
            QVERIFY2(!file.readAll().contains(m_token.toUtf8()),
                     qPrintable(QStringLiteral("the token is in ") + file.fileName()));
        }
    }
    QVERIFY(sawPreset); // the scan saw the saved preset and the settings
    QVERIFY(visited >= 3);
}

void TestWindowControllers::cleanupTestCase()
{
    idesk::TokenService service;
    service.remove();
    QVERIFY(QTest::qWaitFor([&]() { return !service.isBusy(); }, 15000));
}

int main(int argc, char **argv)
{
    // Only a private bus and keyring may be written to: re-run inside tests/support/session-services.sh.
    if (const int code = idesk::test::ensureSessionServices(argc, argv, "TestWindowControllers"); code >= 0)
        return code;

    QApplication app(argc, argv);
    TestWindowControllers test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "TestWindowControllers.moc"
