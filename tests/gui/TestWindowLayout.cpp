// The main window holds its shape at 1024x700: it never grows by itself (through every task of the catalog,
// a long model id, an answer, an error with a long message, a 503 countdown), and no visible button is
// clipped: each lies inside the window and inside its parent, at least as large as its minimumSizeHint.
// The presets dock is part of the window, as in the app.
#include "ConversationEditor.h"
#include "ElidedLabel.h"
#include "ElidingStatusBar.h"
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
#include <QHelpEvent>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPlainTextEdit>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
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
    // A wrapped message gets the height of all its lines: none cut off at the bottom.
    const auto labels = window.findChildren<QLabel *>();
    for (const QLabel *l : labels) {
        if (!l->isVisible() || !l->wordWrap() || l->text().isEmpty() || l->window() != &window ||
            insideScrolledViewport(l, &window))
            continue;
        const int needed = l->heightForWidth(l->width());
        if (needed > l->height())
            out << QStringLiteral("label %1 '%2' is %3 px high, its %4 px wide text needs %5")
                       .arg(l->objectName(), l->text().left(40))
                       .arg(l->height())
                       .arg(l->width())
                       .arg(needed);
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
    void chatConversationHasRoom();
    void statusMessageElides();
    void statusMessageDrawnAsQtDraws();

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
    // A child's new minimum reaches its parent's layout one event pass later: flush the layout requests all
    // the way up, or a stale cached minimum hides a growth that comes on the next pass.
    for (int pass = 0; pass < 8; ++pass) {
        QApplication::processEvents();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    }
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

    // A model id far longer than the window is wide, in chat (where the URL it goes to is shown) and text
    // generation (where that URL holds the id).
    for (const QString &task : {QStringLiteral("chat-completion"), QStringLiteral("text-generation")}) {
        window.modelPicker()->setTask(task);
        window.modelPicker()->setModel(QStringLiteral("an-organisation-with-a-long-name/") +
                                       QString(200, QLatin1Char('m')));
        CHECK_LAYOUT(window, QStringLiteral("long model id, ") + task);
    }
    // A short one in chat: the conversation, the POST line and the parameters all fit.
    window.modelPicker()->setTask(QStringLiteral("chat-completion"));
    window.modelPicker()->setModel(QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
    CHECK_LAYOUT(window, QStringLiteral("chat with a model"));

    // An answer.
    QVERIFY(server.queueFile(
        QStringLiteral("text-classification/r2504_TIC_text_classification_hf-inference-1.json")));
    window.modelPicker()->setModel(
        QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
    window.modelPicker()->setTask(QStringLiteral("text-classification"));
    window.findChild<QPlainTextEdit *>(QStringLiteral("inputText"))
        ->setPlainText(QStringLiteral("I like you. I love you"));
    CHECK_LAYOUT(window, QStringLiteral("back to a short model id"));
    QSignalSpy finished(&window, &MainWindow::requestFinished);
    window.send();
    QVERIFY(finished.wait(15000));
    QVERIFY(finished.last().at(0).value<idesk::InferenceResult>().ok());
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

void TestWindowLayout::chatConversationHasRoom()
{
    // At 1024x700 the conversation gets the height: the system prompt folds to a line (remembered), the
    // parameters take at most about a third of the split.
    QSettings().clear();
    MainWindow window;
    window.resize(kSmall);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.resize(kSmall);
    window.modelPicker()->setTask(QStringLiteral("chat-completion"));
    window.modelPicker()->setModel(QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
    CHECK_LAYOUT(window, QStringLiteral("chat"));
    auto *conversation = window.findChild<idesk::ConversationEditor *>(QStringLiteral("conversationEditor"));
    QVERIFY(conversation);
    QVERIFY(!conversation->isSystemPromptExpanded());
    QVERIFY(!conversation->systemEditor()->isVisible());
    auto *turns = conversation->findChild<QScrollArea *>();
    QVERIFY(turns);
    // A turn at its least: its role row and three lines of text.
    const int firstTurn = conversation->turnEditor(0)->parentWidget()->minimumSizeHint().height();
    const int shown = turns->viewport()->height();
    qInfo("conversation: %d px shown, a turn is %d px", shown, firstTurn);
    // A whole turn with room to spare, and never less than 140 px (it was 42 px with the prompt unfolded).
    QVERIFY2(shown >= std::max(140, firstTurn + 24),
             qPrintable(QStringLiteral("%1 px shown, a turn is %2 px").arg(shown).arg(firstTurn)));

    // Opened, the prompt takes a few lines and the conversation keeps at least its least height (the window
    // does not grow); closed again, the prompt's start shows on the toggle's line.
    conversation->setSystemPromptExpanded(true);
    conversation->setSystemPrompt(QStringLiteral("You are a concise assistant.\nAnswer in French."));
    CHECK_LAYOUT(window, QStringLiteral("chat, system prompt open"));
    QVERIFY(conversation->systemEditor()->isVisible());
    QVERIFY(conversation->systemEditor()->height() >=
            conversation->systemEditor()->fontMetrics().lineSpacing() * 2);
    QVERIFY2(turns->height() >= turns->minimumSizeHint().height(),
             qPrintable(QString::number(turns->height())));
    // The code opened it, not the person: nothing remembered yet.
    QVERIFY(!QSettings().value(QStringLiteral("window/systemPromptExpanded")).toBool());
    auto *toggle = conversation->findChild<QToolButton *>(QStringLiteral("systemPromptToggle"));
    QVERIFY(toggle);
    toggle->click();
    QVERIFY(!conversation->systemEditor()->isVisible());
    QCOMPARE(conversation->findChild<idesk::ElidedLabel *>(QStringLiteral("systemPromptPreview"))->text(),
             QStringLiteral("You are a concise assistant. Answer in French."));
    QCOMPARE(conversation->systemPrompt(), QStringLiteral("You are a concise assistant.\nAnswer in French."));
    toggle->click(); // the person opens it: remembered for the next window
    QVERIFY(QSettings().value(QStringLiteral("window/systemPromptExpanded")).toBool());
}

void TestWindowLayout::statusMessageElides()
{
    // A long status message is cut with "…" before the permanent "Token:" label, whole in the tooltip over
    // it and in currentMessage(); a short one is drawn as it is.
    QSettings().clear();
    MainWindow window;
    window.resize(kSmall);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.setTokenStatus(QStringLiteral("keychain (hf_…abcd)"));
    auto *bar = qobject_cast<idesk::ElidingStatusBar *>(window.statusBar());
    QVERIFY(bar);
    auto *token = bar->findChild<QLabel *>(QStringLiteral("tokenStatus"));
    QVERIFY(token && token->isVisible());

    const QString shortMessage = QStringLiteral("Ready.");
    bar->showMessage(shortMessage);
    QVERIFY(!bar->isMessageElided());
    QCOMPARE(bar->shownMessage(), shortMessage);

    const QString longMessage = QStringLiteral("Input validation error: ") +
                                QStringLiteral("the input is far too long; ").repeated(12);
    bar->showMessage(longMessage);
    QApplication::processEvents();
    QCOMPARE(bar->currentMessage(), longMessage);
    QVERIFY(bar->isMessageElided());
    QVERIFY2(bar->shownMessage().endsWith(QChar(0x2026)), qPrintable(bar->shownMessage()));
    const QRect room = bar->messageRoom();
    QVERIFY2(room.right() < token->x(),
             qPrintable(QStringLiteral("%1 vs %2").arg(room.right()).arg(token->x())));
    QVERIFY(bar->fontMetrics().horizontalAdvance(bar->shownMessage()) <= room.width());
    QVERIFY(room.width() > 200); // the room is used, not cut short
    // What shows in the room is the cut message alone (not the whole one drawn underneath, clipped at the
    // label): the same text drawn on the bar's bare background, pixel for pixel.
    const QImage shot = bar->grab().toImage();
    QImage expected(room.size(), shot.format());
    for (int y = 0; y < room.height(); ++y)
        for (int x = 0; x < room.width(); ++x)
            expected.setPixel(x, y, shot.pixel(2, room.top() + y)); // left of the text: background only
    {
        QPainter painter(&expected);
        painter.setFont(bar->font());
        painter.setPen(bar->palette().windowText().color());
        painter.drawText(QRect(QPoint(0, 0), room.size()),
                         int(Qt::AlignLeading | Qt::AlignVCenter | Qt::TextSingleLine), bar->shownMessage());
    }
    QVERIFY(shot.copy(room) == expected);

    QHelpEvent help(QEvent::ToolTip, room.center(), bar->mapToGlobal(room.center()));
    QApplication::sendEvent(bar, &help);
    QTRY_COMPARE(QToolTip::text(), longMessage);
    QToolTip::hideText();

    // Narrower: still cut before the label.
    window.resize(900, 700);
    QApplication::processEvents();
    QVERIFY(bar->messageRoom().right() < token->x());
    QVERIFY(bar->fontMetrics().horizontalAdvance(bar->shownMessage()) <= bar->messageRoom().width());
}

// A message that fits, next to a permanent widget: the bar draws exactly what QStatusBar draws (its panel,
// the widget's frame, the message), though it draws it itself.
void TestWindowLayout::statusMessageDrawnAsQtDraws()
{
    QWidget host;
    auto *layout = new QVBoxLayout(&host);
    QStatusBar *bars[] = {new QStatusBar, new idesk::ElidingStatusBar};
    for (QStatusBar *bar : bars) {
        bar->setSizeGripEnabled(false);
        bar->addPermanentWidget(new QLabel(QStringLiteral("Token: none set")));
        bar->setFixedSize(700, 30);
        layout->addWidget(bar);
        bar->showMessage(QStringLiteral("Saved the preset “sentiment”."));
    }
    host.show();
    QVERIFY(QTest::qWaitForWindowExposed(&host));
    const QImage plain = bars[0]->grab().toImage();
    const QImage ours = bars[1]->grab().toImage();
    QCOMPARE(ours.size(), plain.size());
    QVERIFY(ours == plain);
    bars[0]->clearMessage();
    bars[1]->clearMessage();
    QVERIFY(bars[1]->grab().toImage() == bars[0]->grab().toImage());
}

QTEST_MAIN(TestWindowLayout)
#include "TestWindowLayout.moc"
