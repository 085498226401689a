// Issue 13's papercuts in the real main window (offscreen, loopback server): the title names the open
// preset once; a stale "Not sent" leaves the status line once the problem is fixed; an opened saved result
// fills the editors with its request; Ctrl+O with a text model switches the model with the task; opening a
// preset from the dock asks before discarding unsaved edits; the export dialog offers .idpreset.
#include "HostApproval.h"
#include "InputEditor.h"
#include "KestraFlow.h"
#include "KeyboardShortcuts.h"
#include "MainWindow.h"
#include "MemorySecretStore.h"
#include "ModelPicker.h"
#include "Preset.h"
#include "PresetStore.h"
#include "PresetsController.h"
#include "PresetsPanel.h"
#include "ReplayServer.h"
#include "ResultView.h"
#include "TestConfig.h"
#include "TestSettings.h"

#include <QAbstractButton>
#include <QFileDialog>
#include <QImage>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <functional>

using idesk::InferenceRequest;
using idesk::MainWindow;
using idesk::test::ReplayServer;

namespace {

const char kTextModel[] = "distilbert/distilbert-base-uncased-finetuned-sst-2-english";

// Runs `answer` on the first top-level widget of type T (with `name` when given) that shows up, from inside
// whatever modal loop opened it.
template <typename T> void whenShown(const QString &name, std::function<void(T *)> answer)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, name, answer] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            auto *t = qobject_cast<T *>(w);
            if (t && t->isVisible() && (name.isEmpty() || t->objectName() == name)) {
                timer->stop();
                timer->deleteLater();
                answer(t);
                return;
            }
        }
    });
    timer->start();
}

QPlainTextEdit *textInput(MainWindow &window)
{
    return window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"));
}

} // namespace

class TestWindowPapercuts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { QSettings().clear(); }
    void titleNamesThePresetOnce();
    void staleNotSentIsCleared();
    void openedResultFillsTheEditors();
    void openImageWithTextModelSwitchesModel();
    void openingPresetAsksBeforeDiscarding();
    void exportOffersIdpreset();
    void helpListsTheShortcuts();
    void imageFlowOpensAsImage();

private:
    QTemporaryDir m_home;
};

void TestWindowPapercuts::initTestCase()
{
    QVERIFY(m_home.isValid());
    idesk::test::useTestSettings(QStringLiteral("TestWindowPapercuts"), m_home.path());
}

void TestWindowPapercuts::titleNamesThePresetOnce()
{
    MainWindow window;
    window.setDocumentName(QStringLiteral("Tweet sentiment top3"), true);
    QCOMPARE(window.windowTitle(), QStringLiteral("Inference Desk — Tweet sentiment top3 *"));
    window.setDocumentName(QString());
    window.modelPicker()->setModel(QLatin1String(kTextModel));
    QCOMPARE(window.windowTitle(), QStringLiteral("Inference Desk — ") + QLatin1String(kTextModel));
    // The platform appends the application's display name to a title; the app sets none (main.cpp).
    QCOMPARE(window.windowTitle().count(QStringLiteral("Inference Desk")), 1);
}

void TestWindowPapercuts::staleNotSentIsCleared()
{
    MainWindow window;
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    window.modelPicker()->setModel(QString());
    textInput(window)->setPlainText(QString());
    window.send();
    QVERIFY2(window.statusBar()->currentMessage().startsWith(QLatin1String("Not sent: ")),
             qPrintable(window.statusBar()->currentMessage()));
    window.modelPicker()->setModel(QLatin1String(kTextModel));
    QVERIFY(
        window.statusBar()->currentMessage().startsWith(QLatin1String("Not sent: "))); // input still empty
    textInput(window)->setPlainText(QStringLiteral("I like you"));
    QCOMPARE(window.statusBar()->currentMessage(), QString());
}

void TestWindowPapercuts::openedResultFillsTheEditors()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queueFile(
        QStringLiteral("text-classification/r2504_TIC_text_classification_hf-inference-1.json")));
    QTemporaryDir dir;
    const QString saved = dir.filePath(QStringLiteral("answer.idresult"));
    {
        MainWindow window;
        window.modelPicker()->setEndpoint(server.urlString() + QStringLiteral("/models"));
        window.modelPicker()->setModel(QLatin1String(kTextModel));
        window.modelPicker()->setTask(QStringLiteral("text-classification"));
        textInput(window)->setPlainText(QStringLiteral("I like you. I love you"));
        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QVERIFY(finished.wait(15000));
        QString error;
        QVERIFY2(window.resultView()->saveResult(saved, &error), qPrintable(error));
    }
    QSettings().clear(); // no remembered request: what the editors show comes from the file
    MainWindow window;
    window.modelPicker()->setTask(QStringLiteral("fill-mask"));
    QString error;
    QVERIFY2(window.openResultFile(saved, &error), qPrintable(error));
    QCOMPARE(window.modelPicker()->model(), QLatin1String(kTextModel));
    QCOMPARE(window.modelPicker()->task(), QStringLiteral("text-classification"));
    QCOMPARE(textInput(window)->toPlainText(), QStringLiteral("I like you. I love you"));
    QCOMPARE(window.modelPicker()->endpoint(), server.urlString() + QStringLiteral("/models"));
    QVERIFY(window.windowTitle().contains(QLatin1String("answer.idresult")));
}

void TestWindowPapercuts::openImageWithTextModelSwitchesModel()
{
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("cat.png"));
    QImage pixels(32, 32, QImage::Format_RGB32);
    pixels.fill(Qt::darkGreen);
    QVERIFY(pixels.save(image));
    MainWindow window;
    window.modelPicker()->setModel(QLatin1String(kTextModel));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    QVERIFY(window.openInputFile(image));
    QCOMPARE(window.modelPicker()->task(), QStringLiteral("image-classification"));
    QVERIFY(window.modelPicker()->model() != QLatin1String(kTextModel));
    QCOMPARE(window.modelPicker()->knownTask(window.modelPicker()->model()),
             QStringLiteral("image-classification"));
    QVERIFY2(window.statusBar()->currentMessage().contains(QLatin1String(kTextModel)),
             qPrintable(window.statusBar()->currentMessage()));
    QCOMPARE(window.currentRequest().file.path, image);
}

void TestWindowPapercuts::openingPresetAsksBeforeDiscarding()
{
    QTemporaryDir presets;
    idesk::MemorySecretStore keychain;
    MainWindow window{MainWindow::Setup{&keychain, presets.path()}};
    idesk::PresetsController *controller = window.presetsController();
    window.show();
    InferenceRequest one;
    one.model = QLatin1String(kTextModel);
    one.task = QStringLiteral("text-classification");
    one.inputs = QStringLiteral("first");
    InferenceRequest two = one;
    two.inputs = QStringLiteral("second");
    QVERIFY(controller->presetsPanel()->saveRequest(QStringLiteral("one"), one));
    QVERIFY(controller->presetsPanel()->saveRequest(QStringLiteral("two"), two));
    controller->loadPreset(*controller->presetStore()->preset(QStringLiteral("one")));
    QCOMPARE(textInput(window)->toPlainText(), QStringLiteral("first"));

    // Unchanged: opens without a question.
    QVERIFY(controller->openPresetAsking(*controller->presetStore()->preset(QStringLiteral("two"))));
    QCOMPARE(textInput(window)->toPlainText(), QStringLiteral("second"));

    // Edited: asked; Cancel keeps the edit.
    textInput(window)->setPlainText(QStringLiteral("my edit"));
    QVERIFY(controller->isModified());
    bool asked = false;
    whenShown<QMessageBox>(QStringLiteral("discardChangesQuestion"), [&asked](QMessageBox *box) {
        asked = true;
        box->button(QMessageBox::Cancel)->click();
    });
    Q_EMIT controller->presetsPanel()->presetActivated(
        *controller->presetStore()->preset(QStringLiteral("one")));
    QVERIFY(asked);
    QCOMPARE(textInput(window)->toPlainText(), QStringLiteral("my edit"));
    QCOMPARE(controller->openPresetName(), QStringLiteral("two"));

    // Discard opens it.
    asked = false;
    whenShown<QMessageBox>(QStringLiteral("discardChangesQuestion"), [&asked](QMessageBox *box) {
        asked = true;
        box->button(QMessageBox::Discard)->click();
    });
    Q_EMIT controller->presetsPanel()->presetActivated(
        *controller->presetStore()->preset(QStringLiteral("one")));
    QVERIFY(asked);
    QCOMPARE(textInput(window)->toPlainText(), QStringLiteral("first"));
    QCOMPARE(controller->openPresetName(), QStringLiteral("one"));
}

void TestWindowPapercuts::exportOffersIdpreset()
{
    QTemporaryDir presets;
    idesk::PresetStore store(presets.path());
    idesk::PresetsPanel panel(&store);
    InferenceRequest one;
    one.model = QLatin1String(kTextModel);
    one.task = QStringLiteral("text-classification");
    one.inputs = QStringLiteral("first");
    QVERIFY(panel.saveRequest(QStringLiteral("one"), one));
    QVERIFY(panel.selectPreset(QStringLiteral("one")));
    QStringList filters;
    whenShown<QFileDialog>(QString(), [&filters](QFileDialog *dialog) {
        filters = dialog->nameFilters();
        dialog->reject();
    });
    panel.exportDialog();
    QVERIFY2(filters.contains(QStringLiteral("Inference Desk preset (*.idpreset)")),
             qPrintable(filters.join(';')));
    QCOMPARE(idesk::PresetsPanel::formatForPath(QStringLiteral("x.idpreset")),
             idesk::PresetsPanel::ExportFormat::Json);
}

void TestWindowPapercuts::helpListsTheShortcuts()
{
    MainWindow window;
    window.show();
    const auto rows = idesk::KeyboardShortcuts::list(window.menuBar());
    QStringList commands;
    for (const auto &row : rows)
        commands << row.first;
    QVERIFY2(commands.contains(QStringLiteral("Request › Send")),
             qPrintable(commands.join(QLatin1Char('|'))));
    QVERIFY(commands.contains(QStringLiteral("File › Open input file")));
    auto *action = window.findChild<QAction *>(QStringLiteral("actionKeyboardShortcuts"));
    QVERIFY(action);
    auto *help = window.menuBar()->findChild<QMenu *>(QStringLiteral("menuHelp"));
    QVERIFY(help && help->actions().contains(action));
    action->trigger();
    auto *dialog = window.findChild<QDialog *>(QStringLiteral("keyboardShortcutsDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *table = dialog->findChild<QTableWidget *>();
    QVERIFY(table);
    QCOMPARE(table->rowCount(), int(rows.size()));
    dialog->reject();
}

void TestWindowPapercuts::imageFlowOpensAsImage()
{
    // The seed's image flow reads its inputs as base64 from a file next to it.
    QString error;
    const auto flow = idesk::KestraFlow::load(QStringLiteral(IDESK_TEST_DATA_DIR) +
                                                  QStringLiteral("/flows/huggingface_inference_image.yaml"),
                                              {}, &error);
    QVERIFY2(flow && !flow->tasks.isEmpty(), qPrintable(error));
    QVERIFY(flow->tasks.first().request.inputs.isString()); // as Kestra sends it
    QTemporaryDir presets;
    idesk::MemorySecretStore keychain;
    MainWindow window{MainWindow::Setup{&keychain, presets.path()}};
    idesk::PresetsController *controller = window.presetsController();
    controller->loadPreset(idesk::Preset::fromKestraTask(flow->tasks.first()));
    const InferenceRequest shown = window.currentRequest();
    QCOMPARE(shown.model, QStringLiteral("google/vit-base-patch16-224"));
    QCOMPARE(shown.task, QStringLiteral("image-classification"));
    QVERIFY(window.inputEditor()->usesFile());
    QVERIFY2(shown.file.mimeType.startsWith(QLatin1String("image/")), qPrintable(shown.file.mimeType));
    QCOMPARE(shown.file.bytes,
             QByteArray::fromBase64(flow->tasks.first().request.inputs.toString().toLatin1()));
    QVERIFY(!shown.inputs.isString()); // no blob in a text box
    // A text flow stays text.
    const auto text = idesk::KestraFlow::load(QStringLiteral(IDESK_TEST_DATA_DIR) +
                                                  QStringLiteral("/flows/huggingface_inference_text.yaml"),
                                              {}, &error);
    QVERIFY2(text && !text->tasks.isEmpty(), qPrintable(error));
    controller->loadPreset(idesk::Preset::fromKestraTask(text->tasks.first()));
    QVERIFY(window.currentRequest().file.isEmpty());
    QVERIFY(!window.inputEditor()->usesFile());
}

QTEST_MAIN(TestWindowPapercuts)
#include "TestWindowPapercuts.moc"
