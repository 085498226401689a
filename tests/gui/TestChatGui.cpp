// The chat widgets: ConversationEditor (system prompt, turns added/edited/deleted/reordered, the reply
// appended as the next assistant turn, tool results) and ChatView fed by a real InferenceClient from the
// loopback replay server (streamed text, finish reason and usage, tool-call cards, Stop keeps the part
// received).
#include "Recording.h"
#include "ReplayServer.h"
#include "TestConfig.h"

#include "ChatCompletion.h"
#include "ConversationEditor.h"
#include "InferenceClient.h"
#include "ResultView.h"
#include "views/ChatView.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

using namespace idesk;
using idesk::test::Recording;
using idesk::test::ReplayServer;

namespace {
QString deltasOf(const QByteArray &body)
{
    QString text;
    for (const QByteArray &line : body.split('\n'))
        if (line.startsWith("data:") && !line.contains("[DONE]"))
            text += QJsonDocument::fromJson(line.mid(5).trimmed())
                        .object()
                        .value(QStringLiteral("choices"))
                        .toArray()
                        .at(0)
                        .toObject()
                        .value(QStringLiteral("delta"))
                        .toObject()
                        .value(QStringLiteral("content"))
                        .toString();
    return text;
}

QToolButton *buttonIn(QWidget *frame, const QString &accessibleOrText)
{
    for (QToolButton *b : frame->findChildren<QToolButton *>())
        if (b->accessibleName() == accessibleOrText || b->text() == accessibleOrText)
            return b;
    return nullptr;
}
} // namespace

class TestChatGui : public QObject
{
    Q_OBJECT
    ReplayServer *m_server = nullptr;

    InferenceRequest chatRequest() const
    {
        InferenceRequest r;
        r.task = ChatCompletion::taskId();
        r.model = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct");
        r.endpoint = m_server->urlString();
        r.inputs = QStringLiteral("What is deep learning?");
        r.stream = true;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = new ReplayServer(ReplayServer::Http);
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
    }
    void cleanupTestCase() { delete m_server; }
    void init() { QVERIFY(m_server->reset()); }

    void conversationTurns()
    {
        ConversationEditor editor;
        editor.show();
        QCOMPARE(editor.turnCount(), 1); // an empty user turn to start with
        QVERIFY(!editor.problem().isEmpty());
        QTest::keyClicks(editor.systemEditor(), QStringLiteral("Be brief."));
        QTest::keyClicks(editor.turnEditor(0), QStringLiteral("Hi"));
        // New turns alternate: assistant after user, then user.
        QCOMPARE(editor.turn(editor.addTurn()).role, QStringLiteral("assistant"));
        editor.setTurnText(1, QStringLiteral("Hello! How can I help?"));
        QCOMPARE(editor.turn(editor.addTurn()).role, QStringLiteral("user"));
        QTest::keyClicks(editor.turnEditor(2), QStringLiteral("Name a colour."));
        QVERIFY2(editor.problem().isEmpty(), qPrintable(editor.problem()));

        QJsonArray expected{
            QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                        {QStringLiteral("content"), QStringLiteral("Be brief.")}},
            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                        {QStringLiteral("content"), QStringLiteral("Hi")}},
            QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), QStringLiteral("Hello! How can I help?")}},
            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                        {QStringLiteral("content"), QStringLiteral("Name a colour.")}}};
        QCOMPARE(editor.messages(), expected);
        QString error;
        QCOMPARE(ChatCompletion::messagesFrom(editor.inputs(), &error), expected);

        // Reorder with the arrows, change a role with the combo, delete with the button.
        QSignalSpy changed(&editor, &ConversationEditor::changed);
        QWidget *third = editor.turnEditor(2)->parentWidget();
        QToolButton *up = buttonIn(third, QStringLiteral("Move up"));
        QVERIFY(up);
        up->click();
        QCOMPARE(editor.turn(1).content, QStringLiteral("Name a colour."));
        QCOMPARE(editor.turn(2).content, QStringLiteral("Hello! How can I help?"));
        QVERIFY(!changed.isEmpty());
        QVERIFY(!buttonIn(editor.turnEditor(0)->parentWidget(), QStringLiteral("Move up"))->isEnabled());
        editor.turnRoleBox(2)->setCurrentIndex(editor.turnRoleBox(2)->findData(QStringLiteral("user")));
        QCOMPARE(editor.turn(2).role, QStringLiteral("user"));
        QToolButton *remove =
            buttonIn(editor.turnEditor(1)->parentWidget(), ConversationEditor::tr("Delete"));
        QVERIFY(remove);
        remove->click();
        QCOMPARE(editor.turnCount(), 2);
        QCOMPARE(editor.turn(1).content, QStringLiteral("Hello! How can I help?"));
        editor.turnEditor(1)->clear();
        QVERIFY2(editor.problem().isEmpty(),
                 "a trailing empty user turn is the next question, not a problem");
        editor.setTurnRole(1, QStringLiteral("assistant"));
        QVERIFY(editor.problem().contains(QLatin1String("Turn 2")));

        // Buttons at the bottom add the named role.
        for (QPushButton *b : editor.findChildren<QPushButton *>())
            if (b->text().contains(QLatin1String("tool")))
                b->click();
        QCOMPARE(editor.turn(editor.turnCount() - 1).role, QStringLiteral("tool"));

        // Round trip through inputs.
        ConversationEditor other;
        QVERIFY(other.setInputs(expected, &error));
        QCOMPARE(other.systemPrompt(), QStringLiteral("Be brief."));
        QCOMPARE(other.turnCount(), 3);
        QCOMPARE(other.messages(), expected);
        QVERIFY(!other.setInputs(QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("robot")}}},
                                 &error));
        QVERIFY(error.contains(QLatin1String("robot")));
        QCOMPARE(other.turnCount(), 3); // a bad conversation changes nothing
    }

    void replyContinuesConversation()
    {
        ConversationEditor editor;
        editor.setTurnText(0, QStringLiteral("What's the weather in Paris?"));
        const QJsonObject reply{
            {QStringLiteral("role"), QStringLiteral("assistant")},
            {QStringLiteral("content"), QJsonValue::Null},
            {QStringLiteral("tool_calls"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("id"), QStringLiteral("call_7")},
                 {QStringLiteral("type"), QStringLiteral("function")},
                 {QStringLiteral("function"),
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("get_weather")},
                              {QStringLiteral("arguments"), QStringLiteral("{\"city\":\"Paris\"}")}}}}}}};
        editor.appendAssistantMessage(reply);
        QCOMPARE(editor.turnCount(), 3);
        QCOMPARE(editor.turn(1).role, QStringLiteral("assistant"));
        QCOMPARE(editor.turn(1).toolCalls.size(), 1);
        QCOMPARE(editor.turn(2).role, QStringLiteral("tool"));
        QCOMPARE(editor.turn(2).toolCallId, QStringLiteral("call_7"));
        QVERIFY(!editor.problem().isEmpty()); // the tool result is still to be typed
        QTest::keyClicks(editor.turnEditor(2), QStringLiteral("{\"temperature\": 15}"));
        QVERIFY2(editor.problem().isEmpty(), qPrintable(editor.problem()));
        const QJsonArray msgs = editor.messages();
        QCOMPARE(msgs.at(1).toObject().value(QStringLiteral("tool_calls")).toArray().size(), 1);
        QVERIFY(msgs.at(1).toObject().value(QStringLiteral("content")).isNull());
        QCOMPARE(msgs.at(2).toObject().value(QStringLiteral("tool_call_id")).toString(),
                 QStringLiteral("call_7"));
        QString error;
        QVERIFY2(!ChatCompletion::messagesFrom(msgs, &error).isEmpty(), qPrintable(error));

        // A plain reply: assistant turn, then an empty user turn for the next question.
        editor.appendAssistantMessage(
            QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), QStringLiteral("15 °C in Paris.")}});
        QCOMPARE(editor.turn(editor.turnCount() - 2).content, QStringLiteral("15 °C in Paris."));
        QCOMPARE(editor.turn(editor.turnCount() - 1).role, QStringLiteral("user"));
        QCOMPARE(editor.messages().size(), 4); // the empty question is not sent

        // A reply with tool calls whose tool turn was deleted: the conversation asks for the result.
        ConversationEditor other;
        other.setTurnText(0, QStringLiteral("What's the weather in Paris?"));
        other.appendAssistantMessage(reply);
        other.removeTurn(2);
        QVERIFY2(other.problem().contains(QLatin1String("Add tool result")), qPrintable(other.problem()));
    }

    void addButtonsFocusTheTurnToType()
    {
        ConversationEditor editor;
        editor.resize(420, 320); // room for two turns: the new ones must scroll into view
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.activateWindow();
        editor.setTurnText(0, QStringLiteral("Hi"));
        editor.appendAssistantMessage(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                                  {QStringLiteral("content"), QStringLiteral("Hello!")}});
        QCOMPARE(editor.turnCount(), 3); // an empty user turn waits for the next question
        const auto button = [&](const QString &text) {
            for (QPushButton *b : editor.findChildren<QPushButton *>())
                if (b->text().remove(QLatin1Char('&')) == text)
                    return b;
            return static_cast<QPushButton *>(nullptr);
        };
        QPushButton *addUser = button(ConversationEditor::tr("Add user turn"));
        QPushButton *addAssistant = button(ConversationEditor::tr("Add assistant turn"));
        QVERIFY(addUser && addAssistant);
        // The empty user turn is the one to type in: no second one, and it has the focus.
        addUser->click();
        QCOMPARE(editor.turnCount(), 3);
        QTRY_VERIFY(editor.turnEditor(2)->hasFocus());
        // The conversation ends with the reply: sending it as is would ask nothing.
        QVERIFY2(editor.problem().contains(QLatin1String("ends with the assistant")),
                 qPrintable(editor.problem()));
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("And goodbye?"));
        QCOMPARE(editor.turn(2).content, QStringLiteral("And goodbye?"));
        QVERIFY2(editor.problem().isEmpty(), qPrintable(editor.problem()));
        // A new turn: added at the end, focused and scrolled into view.
        for (int i = 0; i < 3; ++i) {
            addAssistant->click();
            addUser->click();
        }
        QCOMPARE(editor.turnCount(), 9);
        QPlainTextEdit *last = editor.turnEditor(8);
        QTRY_VERIFY(last->hasFocus());
        QTRY_VERIFY(!last->visibleRegion().isEmpty());
        auto *scroll = editor.findChild<QScrollArea *>();
        QVERIFY(scroll);
        QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0); // more turns than room: it has to scroll
        QTRY_COMPARE(scroll->verticalScrollBar()->value(), scroll->verticalScrollBar()->maximum());
    }

    void streamIntoView()
    {
        const QString file =
            QStringLiteral("conversational/r2504_TIC_chat_completion_with_stream_together-1.json");
        const auto rec = Recording::load(file);
        QVERIFY(rec);
        QVERIFY(m_server->queueFile(
            file, QJsonObject{{QStringLiteral("chunk_delay_ms"), 20}, {QStringLiteral("chunk_size"), 500}}));
        ChatView view;
        view.show();
        InferenceClient client;
        connect(&client, &InferenceClient::streamEvent, &view, &ChatView::addStreamEvent);
        connect(&client, &InferenceClient::finished, &view, &ChatView::finishStream);
        QSignalSpy ready(&view, &ChatView::replyReady);
        view.startStream();
        client.start(chatRequest());
        QTRY_VERIFY_WITH_TIMEOUT(!view.text().isEmpty(), 10000);
        QVERIFY(view.isStreaming());
        QVERIFY(ready.wait(10000));
        QCOMPARE(view.text(), deltasOf(rec->responseBody()));
        QVERIFY(view.firstTextMs() >= 0);
        QVERIFY2(view.footerText().contains(QLatin1String("finish reason: length")),
                 qPrintable(view.footerText()));
        QVERIFY2(view.footerText().contains(QLatin1String("26 prompt + 20 completion = 46 tokens")),
                 qPrintable(view.footerText()));
        QCOMPARE(ready.at(0).at(0).toJsonObject().value(QStringLiteral("content")).toString(), view.text());
    }

    void toolCallCards()
    {
        const auto rec =
            Recording::load(QStringLiteral("conversational/a2501_ICV_chat_completion_with_tool-0.json"));
        QVERIFY(rec);
        ResultContext context;
        context.result.status = 200;
        context.result.contentType = QStringLiteral("application/json");
        context.result.body = rec->responseBody();
        context.json = rec->responseJson();
        ChatView view;
        view.showResult(context);
        QCOMPARE(view.toolCallCardCount(), 1);
        const QString card = view.toolCallCardTexts().first();
        QVERIFY2(card.contains(QLatin1String("get_n_day_weather_forecast")), qPrintable(card));
        QVERIFY2(card.contains(QLatin1String("\"num_days\": 3")), qPrintable(card));
        QVERIFY2(card.contains(QLatin1String("\n    \"location\": \"San Francisco, CA\"")),
                 qPrintable(card)); // pretty-printed
        QVERIFY(view.footerText().contains(QLatin1String("eos_token")));
        QVERIFY(view.message().value(QStringLiteral("tool_calls")).isArray());
    }

    void liveToolCallCards()
    {
        const auto event = [](const QJsonObject &call) {
            const QJsonObject chunk{
                {QStringLiteral("choices"),
                 QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                        {QStringLiteral("delta"),
                                         QJsonObject{{QStringLiteral("tool_calls"), QJsonArray{call}}}}}}}};
            return QJsonDocument(chunk).toJson(QJsonDocument::Compact);
        };
        const auto piece = [&event](int index, const QString &arguments) {
            return event(QJsonObject{
                {QStringLiteral("index"), index},
                {QStringLiteral("function"), QJsonObject{{QStringLiteral("arguments"), arguments}}}});
        };
        const auto start = [&event](int index, const QString &id, const QString &name) {
            return event(QJsonObject{
                {QStringLiteral("index"), index},
                {QStringLiteral("id"), id},
                {QStringLiteral("type"), QStringLiteral("function")},
                {QStringLiteral("function"),
                 QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("arguments"), QString()}}}});
        };
        ChatView view;
        view.show();
        view.startStream();
        view.addStreamEvent(start(0, QStringLiteral("call_a"), QStringLiteral("get_weather")));
        QCOMPARE(view.toolCallCardCount(), 1); // the first change is drawn at once
        QVERIFY(view.findChild<QWidget *>(QStringLiteral("toolCallCard"))->isVisible());
        auto *arguments = view.findChild<QPlainTextEdit *>(QStringLiteral("toolCallArguments"));
        QVERIFY(arguments);
        QVERIFY(arguments->toPlainText().isEmpty());
        view.addStreamEvent(piece(0, QStringLiteral("{\"location\": ")));
        view.addStreamEvent(piece(0, QStringLiteral("\"Paris")));
        // Gathered for the next flush, then shown as received; the card is the same widget.
        QTRY_COMPARE(arguments->toPlainText(), QStringLiteral("{\"location\": \"Paris"));
        QCOMPARE(view.findChild<QPlainTextEdit *>(QStringLiteral("toolCallArguments")), arguments);
        view.addStreamEvent(piece(0, QStringLiteral(", FR\"}")));
        // Whole JSON: pretty-printed while the stream still runs.
        QTRY_COMPARE(arguments->toPlainText(), QStringLiteral("{\n    \"location\": \"Paris, FR\"\n}"));
        QVERIFY(view.isStreaming());
        // A second call starts; the first card stays as it is.
        view.addStreamEvent(start(1, QStringLiteral("call_b"), QStringLiteral("get_time")));
        view.addStreamEvent(piece(1, QStringLiteral("{\"zone\": \"Europe/")));
        QTRY_COMPARE(view.toolCallCardCount(), 2);
        QTRY_VERIFY(view.toolCallCardTexts().at(1).endsWith(QLatin1String("{\"zone\": \"Europe/")));
        QCOMPARE(view.findChildren<QPlainTextEdit *>(QStringLiteral("toolCallArguments")).first(), arguments);

        // Stopped: the cards stay with what came, the footer says so, no reply for the conversation.
        QSignalSpy ready(&view, &ChatView::replyReady);
        InferenceResult stopped;
        stopped.outcome = InferenceResult::Outcome::Cancelled;
        view.finishStream(stopped);
        QVERIFY(!view.isStreaming());
        QCOMPARE(view.toolCallCardCount(), 2);
        QVERIFY(
            view.toolCallCardTexts().at(0).endsWith(QLatin1String("{\n    \"location\": \"Paris, FR\"\n}")));
        QVERIFY2(view.toolCallCardTexts().at(1).contains(QLatin1String("get_time")),
                 qPrintable(view.toolCallCardTexts().at(1)));
        QVERIFY(view.toolCallCardTexts().at(1).endsWith(QLatin1String("{\"zone\": \"Europe/")));
        QVERIFY2(view.footerText().contains(QLatin1String("Stopped")), qPrintable(view.footerText()));
        QCOMPARE(ready.count(), 0);
    }

    void stopKeepsPartialAnswer()
    {
        const QString file =
            QStringLiteral("conversational/r2504_TIC_chat_completion_with_stream_novita-1.json");
        const auto rec = Recording::load(file);
        QVERIFY(rec);
        QVERIFY(m_server->queueFile(
            file, QJsonObject{{QStringLiteral("chunk_delay_ms"), 100}, {QStringLiteral("chunk_size"), 400}}));
        ChatView view;
        InferenceClient client;
        connect(&client, &InferenceClient::streamEvent, &view, &ChatView::addStreamEvent);
        connect(&client, &InferenceClient::finished, &view, &ChatView::finishStream);
        QSignalSpy finished(&client, &InferenceClient::finished);
        InferenceResult stopped;
        connect(&client, &InferenceClient::finished, this, [&](const InferenceResult &r) { stopped = r; });
        view.startStream();
        client.start(chatRequest());
        QTRY_VERIFY_WITH_TIMEOUT(!view.text().isEmpty(), 10000);
        client.cancel();
        QVERIFY(!finished.isEmpty() || finished.wait(5000));
        const QString full = deltasOf(rec->responseBody());
        QVERIFY(!view.text().isEmpty());
        QVERIFY(view.text().size() < full.size());
        QVERIFY(full.startsWith(view.text()));
        QVERIFY2(view.footerText().contains(QLatin1String("Stopped")), qPrintable(view.footerText()));
        QVERIFY(!view.isStreaming());
        // The stopped result shown again (the output pane redraws it): the part received, "Stopped".
        ResultContext context;
        context.request = chatRequest();
        context.result = stopped;
        ChatView again;
        again.showResult(context);
        QVERIFY(!again.text().isEmpty());
        QVERIFY(full.startsWith(again.text()));
        QVERIFY2(again.footerText().contains(QLatin1String("Stopped")), qPrintable(again.footerText()));
        QTRY_VERIFY_WITH_TIMEOUT(
            m_server->requests().at(0).toObject().value(QStringLiteral("client_gone")).toBool(), 10000);
    }

    void outputPaneDrawsChatReplies()
    {
        const auto rec =
            Recording::load(QStringLiteral("conversational/a2501_ICV_chat_completion_with_tool-0.json"));
        QVERIFY(rec);
        InferenceResult result;
        result.status = 200;
        result.contentType = QStringLiteral("application/json");
        result.body = rec->responseBody();
        ResultView pane;
        pane.setResult(chatRequest(), result);
        QTRY_VERIFY(pane.hasResult() && !pane.isFormatting());
        auto *chat = qobject_cast<ChatView *>(pane.renderer());
        QVERIFY2(chat, "a chat-completion answer is drawn by ChatView");
        QCOMPARE(pane.currentViewKind(), QStringLiteral("chat"));
        QCOMPARE(chat->toolCallCardCount(), 1);

        // A stream stopped part-way: the part received stays, with "Stopped".
        InferenceResult stopped;
        stopped.outcome = InferenceResult::Outcome::Cancelled;
        stopped.status = 200;
        stopped.contentType = QStringLiteral("text/event-stream");
        stopped.body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Deep learning is\"}}]}\n\n";
        stopped.errorMessage = QStringLiteral("Cancelled.");
        pane.setResult(chatRequest(), stopped);
        QTRY_VERIFY(pane.hasResult() && !pane.isFormatting());
        chat = qobject_cast<ChatView *>(pane.renderer());
        QVERIFY(chat);
        QCOMPARE(chat->text(), QStringLiteral("Deep learning is"));
        QVERIFY(chat->footerText().contains(QLatin1String("Stopped")));

        // Other tasks keep their views.
        InferenceRequest text = chatRequest();
        text.task = QStringLiteral("text-generation");
        InferenceResult generated;
        generated.status = 200;
        generated.contentType = QStringLiteral("application/json");
        generated.body = R"([{"generated_text":"hello"}])";
        pane.setResult(text, generated);
        QTRY_VERIFY(pane.hasResult() && !pane.isFormatting());
        QVERIFY(!qobject_cast<ChatView *>(pane.renderer()));
    }

    void errorAnswer()
    {
        QVERIFY(m_server->queueFile(
            QStringLiteral("conversational/a2501_ICV_chat_completion_unprocessable_entity-0.json")));
        ChatView view;
        InferenceClient client;
        client.setRetryWhileLoading(false);
        connect(&client, &InferenceClient::finished, &view, &ChatView::finishStream);
        QSignalSpy finished(&client, &InferenceClient::finished);
        QSignalSpy ready(&view, &ChatView::replyReady);
        view.startStream();
        client.start(chatRequest());
        QVERIFY(finished.wait(10000));
        QVERIFY2(view.footerText().contains(QLatin1String("Failed to deserialize")),
                 qPrintable(view.footerText()));
        QCOMPARE(ready.count(), 0);
    }
};

QTEST_MAIN(TestChatGui)
#include "TestChatGui.moc"
