// Streams drawn live in the real main window: a chat completion by one ChatView from the first event to
// the end (text, tool-call cards whose arguments fill in as they arrive, finish reason and usage), the
// conversation continued with a tool result, Stop keeping the part received, and text-generation
// streams still drawn as text. Answers come from the loopback replay server, dribbled in small pieces.
#include "ReplayServer.h"
#include "TestConfig.h"

#include "ConversationEditor.h"
#include "InferenceClient.h"
#include "InputEditor.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "OptionsPanel.h"
#include "ProblemText.h"
#include "ResultView.h"
#include "TestSettings.h"
#include "views/ChatView.h"
#include "views/TextResultView.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;
using idesk::test::ReplayServer;

namespace {
const char kArguments[] = R"({"location": "Paris, FR", "unit": "celsius"})";

QByteArray chatEvent(const QJsonObject &delta, const QJsonValue &finishReason = QJsonValue(),
                     const QJsonObject &usage = QJsonObject())
{
    QJsonObject chunk{{QStringLiteral("id"), QStringLiteral("chatcmpl-live")},
                      {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                      {QStringLiteral("model"), QStringLiteral("meta-llama/Llama-3.1-8B-Instruct")},
                      {QStringLiteral("choices"),
                       QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                              {QStringLiteral("delta"), delta},
                                              {QStringLiteral("finish_reason"), finishReason}}}}};
    if (!usage.isEmpty())
        chunk.insert(QStringLiteral("usage"), usage);
    return "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n";
}

// A chat answer that says a few words, then calls get_weather with its arguments in 7 pieces, then the
// finish reason and the usage; keep-alive comments at the end leave time to look before it ends.
QByteArray toolCallStream()
{
    QByteArray out;
    out += chatEvent(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                 {QStringLiteral("content"), QStringLiteral("Let me check")}});
    out += chatEvent(QJsonObject{{QStringLiteral("content"), QStringLiteral(" the weather.")}});
    const QString arguments = QString::fromUtf8(kArguments);
    const int pieces = 7;
    for (int p = 0; p < pieces; ++p) {
        const qsizetype from = arguments.size() * p / pieces;
        const qsizetype to = arguments.size() * (p + 1) / pieces;
        QJsonObject function{{QStringLiteral("arguments"), arguments.mid(from, to - from)}};
        QJsonObject call{{QStringLiteral("index"), 0}};
        if (p == 0) {
            function.insert(QStringLiteral("name"), QStringLiteral("get_weather"));
            call.insert(QStringLiteral("id"), QStringLiteral("call_w1"));
            call.insert(QStringLiteral("type"), QStringLiteral("function"));
        }
        call.insert(QStringLiteral("function"), function);
        out += chatEvent(QJsonObject{{QStringLiteral("tool_calls"), QJsonArray{call}}});
    }
    out += chatEvent(QJsonObject(), QStringLiteral("tool_calls"));
    out += chatEvent(QJsonObject(), QJsonValue(),
                     QJsonObject{{QStringLiteral("prompt_tokens"), 31},
                                 {QStringLiteral("completion_tokens"), 24},
                                 {QStringLiteral("total_tokens"), 55}});
    for (int i = 0; i < 6; ++i)
        out += ": keep-alive, still thinking about the next token\n\n";
    out += "data: [DONE]\n\n";
    return out;
}

QJsonArray sentMessages(const QJsonObject &request)
{
    return QJsonDocument::fromJson(ReplayServer::body(request))
        .object()
        .value(QStringLiteral("messages"))
        .toArray();
}
} // namespace

class TestLiveChat : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;
    ReplayServer *m_server = nullptr;

    void prepare(MainWindow &window, const QString &task, const QString &question)
    {
        window.modelPicker()->endpointEdit()->setText(m_server->urlString() + QStringLiteral("/models"));
        window.modelPicker()->setModel(QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        window.modelPicker()->setTask(task);
        window.optionsPanel()->setStream(true);
        if (ConversationEditor *conversation = window.inputEditor()->conversation()) {
            if (conversation->turnCount() == 0)
                conversation->addTurn(QStringLiteral("user"));
            conversation->setTurnText(0, question);
        }
        window.show();
    }

    ChatView *chatView(MainWindow &window) const
    {
        return qobject_cast<ChatView *>(window.resultView()->renderer());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        idesk::test::useTestSettings(QStringLiteral("TestLiveChat"), m_home.path());
        m_server = new ReplayServer(ReplayServer::Http);
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
    }
    void cleanupTestCase() { delete m_server; }
    void init()
    {
        QSettings().clear();
        QVERIFY(m_server->reset());
    }

    void toolCallCardIsLiveThenConversationGoesOn()
    {
        const QByteArray body = toolCallStream();
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(body, 48, 40)}));
        MainWindow window;
        prepare(window, QStringLiteral("chat-completion"), QStringLiteral("What's the weather in Paris?"));
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();

        // The card shows while the server is still sending: the call started, its arguments arriving.
        QTRY_VERIFY_WITH_TIMEOUT(chatView(window) && chatView(window)->toolCallCardCount() == 1, 15000);
        QPointer<ChatView> live = chatView(window);
        QVERIFY(finished.isEmpty());
        QVERIFY(window.isBusy());
        QVERIFY(live->isStreaming());
        QCOMPARE(live->text(), QStringLiteral("Let me check the weather."));
        auto *card = live->findChild<QWidget *>(QStringLiteral("toolCallCard"));
        QVERIFY(card);
        QVERIFY(card->isVisible());
        QVERIFY2(live->toolCallCardTexts().first().contains(QLatin1String("get_weather")),
                 qPrintable(live->toolCallCardTexts().first()));
        // The arguments fill in as they come (as received: one line, not indented yet).
        QTRY_VERIFY_WITH_TIMEOUT(live->toolCallCardTexts().first().contains(QLatin1String("\"Paris")), 15000);
        QVERIFY2(finished.isEmpty(), "the arguments were drawn before the answer ended");
        QVERIFY(!live->toolCallCardTexts().first().contains(QLatin1String("\n    \"location\"")));

        QVERIFY(finished.wait(15000));
        QVERIFY(finished.at(0).at(0).value<InferenceResult>().ok());
        // The same view ended the stream: arguments pretty-printed, finish reason and usage below.
        QCOMPARE(chatView(window), live.data());
        QVERIFY(!live->isStreaming());
        QCOMPARE(live->toolCallCardCount(), 1);
        const QString cardText = live->toolCallCardTexts().first();
        QVERIFY2(cardText.contains(QLatin1String("call_w1")), qPrintable(cardText));
        QVERIFY2(cardText.endsWith(
                     QLatin1String("{\n    \"location\": \"Paris, FR\",\n    \"unit\": \"celsius\"\n}")),
                 qPrintable(cardText));
        QVERIFY2(live->footerText().contains(QLatin1String("finish reason: tool_calls")),
                 qPrintable(live->footerText()));
        QVERIFY2(live->footerText().contains(QLatin1String("31 prompt + 24 completion = 55 tokens")),
                 qPrintable(live->footerText()));
        // The JSON and Raw tabs have the finished result.
        QVERIFY(window.resultView()->hasResult());
        QCOMPARE(window.resultView()->result().body, body);
        QCOMPARE(window.resultView()->currentViewKind(), QStringLiteral("chat"));

        // The conversation: the assistant turn with its call, then a tool turn for the result.
        ConversationEditor *conversation = window.inputEditor()->conversation();
        QCOMPARE(conversation->turnCount(), 3);
        QCOMPARE(conversation->turn(1).role, QStringLiteral("assistant"));
        QCOMPARE(conversation->turn(1).toolCalls.size(), 1);
        QCOMPARE(conversation->turn(2).role, QStringLiteral("tool"));
        QCOMPARE(conversation->turn(2).toolCallId, QStringLiteral("call_w1"));

        // The person types the tool's result and sends again.
        QTest::keyClicks(conversation->turnEditor(2), QStringLiteral("{\"temperature\": 15}"));
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(
            chatEvent(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                  {QStringLiteral("content"), QStringLiteral("It is 15 °C in Paris.")}},
                      QStringLiteral("stop")) +
                "data: [DONE]\n\n",
            0, 0)}));
        window.send();
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.count(), 2);
        const QJsonArray requests = m_server->requests();
        QCOMPARE(requests.size(), 2);
        const QJsonArray messages = sentMessages(requests.at(1).toObject());
        QCOMPARE(messages.size(), 3);
        const QJsonObject assistant = messages.at(1).toObject();
        QCOMPARE(assistant.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        const QJsonObject sentCall = assistant.value(QStringLiteral("tool_calls")).toArray().at(0).toObject();
        QCOMPARE(sentCall.value(QStringLiteral("id")).toString(), QStringLiteral("call_w1"));
        QCOMPARE(sentCall.value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("arguments"))
                     .toString(),
                 QString::fromUtf8(kArguments));
        const QJsonObject tool = messages.at(2).toObject();
        QCOMPARE(tool.value(QStringLiteral("role")).toString(), QStringLiteral("tool"));
        QCOMPARE(tool.value(QStringLiteral("tool_call_id")).toString(), QStringLiteral("call_w1"));
        QCOMPARE(tool.value(QStringLiteral("content")).toString(), QStringLiteral("{\"temperature\": 15}"));
        // The second answer is drawn by a new chat view and continues the conversation.
        QVERIFY(chatView(window));
        QCOMPARE(chatView(window)->text(), QStringLiteral("It is 15 °C in Paris."));
        QCOMPARE(conversation->turn(3).role, QStringLiteral("assistant"));
        QCOMPARE(conversation->turn(3).content, QStringLiteral("It is 15 °C in Paris."));
    }

    void stopMidStreamKeepsWhatCame()
    {
        QByteArray body;
        QString full;
        for (int i = 0; i < 60; ++i) {
            const QString word = QStringLiteral("word%1 ").arg(i);
            full += word;
            body += chatEvent(i == 0 ? QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                                   {QStringLiteral("content"), word}}
                                     : QJsonObject{{QStringLiteral("content"), word}});
        }
        body += "data: [DONE]\n\n";
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(body, 300, 100)}));
        MainWindow window;
        prepare(window, QStringLiteral("chat-completion"), QStringLiteral("Count slowly."));
        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QTRY_VERIFY_WITH_TIMEOUT(chatView(window) && !chatView(window)->text().isEmpty(), 15000);
        QPointer<ChatView> live = chatView(window);
        QVERIFY(finished.isEmpty());
        window.cancel();
        QVERIFY(!finished.isEmpty() || finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).value<InferenceResult>().outcome, InferenceResult::Outcome::Cancelled);
        QCOMPARE(chatView(window), live.data()); // the same view, not redrawn
        QVERIFY(!live->isStreaming());
        const QString kept = live->text();
        QVERIFY(!kept.isEmpty());
        QVERIFY2(kept.size() < full.size(), qPrintable(kept));
        QVERIFY(full.startsWith(kept));
        QVERIFY2(live->footerText().contains(QLatin1String("Stopped")), qPrintable(live->footerText()));
        // No assistant turn from a stopped answer.
        QCOMPARE(window.inputEditor()->conversation()->turnCount(), 1);
        // The connection was closed: the server saw the client go before the answer was complete.
        QTRY_VERIFY_WITH_TIMEOUT(
            m_server->requests().at(0).toObject().value(QStringLiteral("client_gone")).toBool(), 10000);
        QVERIFY(!m_server->requests().at(0).toObject().value(QStringLiteral("response_complete")).toBool());

        // The person may keep the part received as the assistant's turn, and go on from it.
        auto *keep = live->findChild<QPushButton *>(QStringLiteral("keepPartialReply"));
        QVERIFY(keep);
        QVERIFY(keep->isVisible());
        keep->click();
        QVERIFY(!keep->isVisible());
        ConversationEditor *conversation = window.inputEditor()->conversation();
        QCOMPARE(conversation->turnCount(), 3);
        QCOMPARE(conversation->turn(1).role, QStringLiteral("assistant"));
        QCOMPARE(conversation->turn(1).content, kept);
        QCOMPARE(conversation->turn(2).role, QStringLiteral("user"));
        QVERIFY(conversation->turn(1).toolCalls.isEmpty());
    }

    void namedErrorEventMidStream()
    {
        // An `event: error` whose data is plain text: only its name says it is an error. The part received
        // stays, the footer quotes the server, and no assistant turn is made of a broken answer.
        QByteArray body =
            chatEvent(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                  {QStringLiteral("content"), QStringLiteral("Deep learning")}});
        body += "event: error\ndata: Model too busy, try again later\n\n";
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(body, 0, 0)}));
        MainWindow window;
        prepare(window, QStringLiteral("chat-completion"), QStringLiteral("What is deep learning?"));
        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QVERIFY(finished.wait(15000));
        ChatView *view = chatView(window);
        QVERIFY(view);
        QCOMPARE(view->text(), QStringLiteral("Deep learning"));
        QVERIFY2(view->footerText().contains(QLatin1String("Model too busy, try again later")),
                 qPrintable(view->footerText()));
        QVERIFY(view->assembled().hasError());
        QVERIFY2(view->footerText().contains(QLatin1String("another provider")),
                 qPrintable(view->footerText()));
        auto *footer = view->findChild<QLabel *>(QStringLiteral("chatFooter"));
        QVERIFY(footer);
        QCOMPARE(footer->palette().color(footer->foregroundRole()), idesk::problemTextColor(view->palette()));
        QCOMPARE(window.inputEditor()->conversation()->turnCount(), 1);
    }

    void textGenerationStreamIsText()
    {
        QByteArray body;
        const QStringList tokens{QStringLiteral("Deep"), QStringLiteral(" learning"), QStringLiteral(" is"),
                                 QStringLiteral(" a"),   QStringLiteral(" subset"),   QStringLiteral(".")};
        QString full;
        for (qsizetype i = 0; i < tokens.size(); ++i) {
            full += tokens.at(i);
            QJsonObject event{
                {QStringLiteral("token"), QJsonObject{{QStringLiteral("id"), int(i)},
                                                      {QStringLiteral("text"), tokens.at(i)},
                                                      {QStringLiteral("special"), false}}},
                {QStringLiteral("generated_text"), i + 1 == tokens.size() ? QJsonValue(full) : QJsonValue()}};
            body += "data:" + QJsonDocument(event).toJson(QJsonDocument::Compact) + "\n\n";
        }
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(body, 60, 60)}));
        MainWindow window;
        prepare(window, QStringLiteral("text-generation"), QString());
        window.inputEditor()->setInputs(QStringLiteral("What is deep learning?"), {}, {});
        QVERIFY(window.currentRequest().stream);
        QSignalSpy finished(&window, &MainWindow::requestFinished);
        window.send();
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<TextResultView *>(window.resultView()->renderer()), 15000);
        QVERIFY(finished.isEmpty());
        QVERIFY(!chatView(window));
        QCOMPARE(window.resultView()->currentViewKind(), QStringLiteral("text"));
        QVERIFY(finished.wait(15000));
        QVERIFY(!chatView(window));
        auto *text = qobject_cast<TextResultView *>(window.resultView()->renderer());
        QVERIFY2(text, qPrintable(window.resultView()->currentViewKind()));
        QVERIFY2(text->text().contains(full), qPrintable(text->text()));
    }
};

QTEST_MAIN(TestLiveChat)
#include "TestLiveChat.moc"
