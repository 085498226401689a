// inference-desk-cli chat, run as a separate process against the loopback replay server: --prompt,
// --messages-json, --system, --stream (tokens printed while the answer is still coming), --format json
// (the assembled answer as the non-streamed one looks), errors and exit codes; and `call` in Kestra's
// generic form for an LLM, which goes out unchanged (no hidden hub lookup).
#include "ChatStreamAssembler.h"
#include "CliRunner.h"
#include "Recording.h"
#include "TestConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using idesk::ChatStreamAssembler;
using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::Recording;
using idesk::test::ReplayServer;

namespace {
const QString kToken = QStringLiteral("hf_chat_test_token_123");
} // namespace

class TestCliChat : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_cache;

    // The token never reaches the output: a run that prints it gets CliRun::kTokenPrinted.
    CliOptions options(const QString &hub = QString()) const
    {
        CliOptions o;
        o.token = kToken;
        o.unset << QStringLiteral("HF_ENDPOINT");
        o.set.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache.path());
        if (!hub.isEmpty())
            o.set.insert(QStringLiteral("HF_ENDPOINT"), hub);
        o.failIfTokenPrinted = true;
        return o;
    }

    CliRun run(const QStringList &args, const QString &hub = QString()) const
    {
        return idesk::test::runCli(args, options(hub));
    }

    QStringList chat(const QStringList &more) const
    {
        return QStringList{QStringLiteral("chat"), QStringLiteral("--model"),
                           QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"), QStringLiteral("--endpoint"),
                           m_server->urlString()} +
               more;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_cache.isValid());
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
    }
    void init() { QVERIFY(m_server->reset()); }

    void promptJson()
    {
        const QString file =
            QStringLiteral("conversational/r2504_TIC_chat_completion_no_stream_hf-inference-1.json");
        QVERIFY(m_server->queueFile(file));
        const CliRun r = run(chat({QStringLiteral("--prompt"), QStringLiteral("What is deep learning?"),
                                   QStringLiteral("--system"), QStringLiteral("You are a helpful assistant."),
                                   QStringLiteral("--format"), QStringLiteral("json")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto rec = Recording::load(file);
        QVERIFY(rec);
        QCOMPARE(QJsonDocument::fromJson(r.out).object(), rec->responseJson().toObject());
        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/v1/chat/completions"));
        const QJsonObject body = m_server->onlyRequestJson();
        // The recorded request was this very conversation.
        QCOMPARE(body.value(QStringLiteral("messages")),
                 rec->requestJson().toObject().value(QStringLiteral("messages")));
        QCOMPARE(body.value(QStringLiteral("model")).toString(),
                 QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        QVERIFY(!body.contains(QStringLiteral("stream")));
    }

    void messagesJsonSummary()
    {
        QVERIFY(m_server->queueFile(
            QStringLiteral("conversational/r2504_TIC_chat_completion_no_stream_together-1.json")));
        const QByteArray messages =
            R"([{"role":"system","content":"Be brief."},{"role":"user","content":"What is deep learning?"}])";
        const CliRun r = run(chat({QStringLiteral("--messages-json"), QString::fromUtf8(messages),
                                   QStringLiteral("--parameters"),
                                   QStringLiteral("{\"max_tokens\": 20, \"temperature\": 0.2}"),
                                   QStringLiteral("--format"), QStringLiteral("summary")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto rec = Recording::load(
            QStringLiteral("conversational/r2504_TIC_chat_completion_no_stream_together-1.json"));
        const QString content = rec->responseJson()
                                    .toObject()
                                    .value(QStringLiteral("choices"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("message"))
                                    .toObject()
                                    .value(QStringLiteral("content"))
                                    .toString();
        QVERIFY(!content.isEmpty());
        QVERIFY2(QString::fromUtf8(r.out).startsWith(content), r.out.constData());
        QVERIFY2(r.out.contains("[finish reason: "), r.out.constData());
        QVERIFY2(r.out.contains("tokens]"), r.out.constData());
        const QJsonObject body = m_server->onlyRequestJson();
        QCOMPARE(body.value(QStringLiteral("messages")).toArray(), QJsonDocument::fromJson(messages).array());
        QCOMPARE(body.value(QStringLiteral("max_tokens")).toInt(), 20);
        QCOMPARE(body.value(QStringLiteral("temperature")).toDouble(), 0.2);
    }

    void streamPrintsTokensAsTheyCome()
    {
        const QString file = QStringLiteral("conversational/r2504_OAI_with_stream_true-1.json");
        const auto rec = Recording::load(file);
        QVERIFY(rec);
        ChatStreamAssembler expected;
        expected.feedBytes(rec->responseBody());
        expected.finishBytes();
        QVERIFY(expected.content().size() > 20);
        // Slow stream: ~30 chunks 80 ms apart.
        QVERIFY(m_server->queueFile(
            file, QJsonObject{{QStringLiteral("chunk_delay_ms"), 80}, {QStringLiteral("chunk_size"), 300}}));
        QProcess p;
        p.setProcessEnvironment(idesk::test::environmentFor(options()));
        p.start(QStringLiteral(IDESK_CLI_PATH),
                chat({QStringLiteral("--prompt"), QStringLiteral("What is deep learning?"),
                      QStringLiteral("--stream")}));
        QVERIFY(p.waitForStarted(10000));
        QByteArray out;
        // The first tokens are on stdout while the server is still sending the rest.
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).size() > 0, 20000);
        QVERIFY2(p.state() == QProcess::Running, "the tokens appeared only at the end");
        QVERIFY(!m_server->requests().at(0).toObject().value(QStringLiteral("response_done")).toBool());
        QVERIFY(p.waitForFinished(30000));
        out += p.readAllStandardOutput();
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(QString::fromUtf8(out).startsWith(expected.content()), out.constData());
        QVERIFY2(out.contains("[finish reason: stop]"), out.constData());
        QCOMPARE(m_server->onlyRequestJson().value(QStringLiteral("stream")), QJsonValue(true));
    }

    void callChatStreamPrintsTheSummaryLikeChat()
    {
        // `call --task chat-completion --stream` ends with the same finish-reason/usage line as `chat`.
        const QString file = QStringLiteral("conversational/r2504_OAI_with_stream_true-1.json");
        const auto rec = Recording::load(file);
        QVERIFY(rec);
        ChatStreamAssembler expected;
        expected.feedBytes(rec->responseBody());
        expected.finishBytes();
        QVERIFY(!expected.summaryLine().isEmpty());
        const QByteArray line = QStringLiteral("[%1]\n").arg(expected.summaryLine()).toUtf8();
        const QStringList call{QStringLiteral("call"),
                               QStringLiteral("--task"),
                               QStringLiteral("chat-completion"),
                               QStringLiteral("--model"),
                               QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"),
                               QStringLiteral("--endpoint"),
                               m_server->urlString(),
                               QStringLiteral("--inputs"),
                               QStringLiteral("What is deep learning?"),
                               QStringLiteral("--stream")};
        QVERIFY(m_server->queueFile(file));
        const CliRun viaCall = run(call);
        QVERIFY2(viaCall.exitCode == 0, viaCall.err.constData());
        QVERIFY2(viaCall.out.startsWith(expected.content().toUtf8()), viaCall.out.constData());
        QVERIFY2(viaCall.out.endsWith('\n' + line), viaCall.out.constData());
        QVERIFY(m_server->queueFile(file));
        const CliRun viaChat = run(chat({QStringLiteral("--prompt"), QStringLiteral("What is deep learning?"),
                                         QStringLiteral("--stream")}));
        QVERIFY2(viaChat.exitCode == 0, viaChat.err.constData());
        QCOMPARE(viaCall.out, viaChat.out);
        // Not in JSON.
        QVERIFY(m_server->queueFile(file));
        const CliRun json = run(call + QStringList{QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        QVERIFY2(!json.out.contains("finish reason:"), json.out.constData());
        // ... and the same assembled chat completion as `chat --stream --format json`.
        QVERIFY(m_server->queueFile(file));
        const CliRun chatJson =
            run(chat({QStringLiteral("--prompt"), QStringLiteral("What is deep learning?"),
                      QStringLiteral("--stream"), QStringLiteral("--format"), QStringLiteral("json")}));
        QVERIFY2(chatJson.exitCode == 0, chatJson.err.constData());
        const QJsonObject viaCallJson = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(viaCallJson.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        QCOMPARE(viaCallJson, QJsonDocument::fromJson(chatJson.out).object());
    }

    void streamFormatJsonIsAssembled()
    {
        const QString file =
            QStringLiteral("conversational/r2504_TIC_chat_completion_with_stream_cerebras-1.json");
        const auto rec = Recording::load(file);
        QVERIFY(m_server->queueFile(file));
        const CliRun r =
            run(chat({QStringLiteral("--prompt"), QStringLiteral("What is deep learning?"),
                      QStringLiteral("--stream"), QStringLiteral("--format"), QStringLiteral("json")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out.count('\n'), 1); // one JSON document, nothing printed live
        const QJsonObject answer = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(answer.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        const QJsonObject choice = answer.value(QStringLiteral("choices")).toArray().at(0).toObject();
        // The text is the concatenation of the recorded deltas.
        QString deltas;
        for (const QByteArray &line : rec->responseBody().split('\n'))
            if (line.startsWith("data:") && !line.contains("[DONE]"))
                deltas += QJsonDocument::fromJson(line.mid(5).trimmed())
                              .object()
                              .value(QStringLiteral("choices"))
                              .toArray()
                              .at(0)
                              .toObject()
                              .value(QStringLiteral("delta"))
                              .toObject()
                              .value(QStringLiteral("content"))
                              .toString();
        QVERIFY(!deltas.isEmpty());
        QCOMPARE(
            choice.value(QStringLiteral("message")).toObject().value(QStringLiteral("content")).toString(),
            deltas);
        QCOMPARE(choice.value(QStringLiteral("message")).toObject().value(QStringLiteral("role")).toString(),
                 QStringLiteral("assistant"));
        QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("length"));
        QCOMPARE(
            answer.value(QStringLiteral("usage")).toObject().value(QStringLiteral("total_tokens")).toInt(),
            66);
    }

    void toolCalls()
    {
        QVERIFY(
            m_server->queueFile(QStringLiteral("conversational/a2501_ICV_chat_completion_with_tool-0.json")));
        const CliRun r = run(chat(
            {QStringLiteral("--prompt"),
             QStringLiteral("What's the weather like the next 3 days in San Francisco, CA?"),
             QStringLiteral("--parameters"),
             QStringLiteral(
                 R"({"tool_choice": "auto", "tools": [{"type": "function", "function": {"name": "get_n_day_weather_forecast", "parameters": {"type": "object"}}}]})"),
             QStringLiteral("--format"), QStringLiteral("summary")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("tool call get_n_day_weather_forecast"), r.out.constData());
        QVERIFY2(r.out.contains("\"num_days\": 3"), r.out.constData());
        QVERIFY2(r.out.contains("[finish reason: eos_token · 246 prompt + 27 completion = 273 tokens]"),
                 r.out.constData());
    }

    void apiErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("words");
        QTest::newRow("422 text/plain")
            << "conversational/a2501_ICV_chat_completion_unprocessable_entity-0.json"
            << "Failed to deserialize the JSON body";
        QTest::newRow("500") << "conversational/e240430_ICV_chat_completion_with_non_tgi-0.json"
                             << "unknown error";
        QTest::newRow("401") << "conversational/r2504_TIC_chat_completion_unprocessable_entity-1.json"
                             << "Invalid username or password";
    }
    void apiErrors()
    {
        QFETCH(QString, file);
        QFETCH(QString, words);
        QVERIFY(m_server->queueFile(file));
        const CliRun r =
            run(chat({QStringLiteral("--prompt"), QStringLiteral("hello"), QStringLiteral("--no-retry")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(words.toUtf8()), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void streamErrorEvent()
    {
        const QByteArray body =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Deep "
            "learn\"}}]}\n\n"
            "data: {\"error\":\"Model too busy, unable to get response in less than 60 second(s)\"}\n\n";
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(body)}));
        const CliRun r =
            run(chat({QStringLiteral("--prompt"), QStringLiteral("hello"), QStringLiteral("--stream")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.startsWith("Deep learn"), r.out.constData());
        QVERIFY2(r.err.contains("Model too busy"), r.err.constData());
        QVERIFY2(r.err.contains("The part received is above"), r.err.constData());

        // --format json: nothing is printed live; the part received goes out as JSON, and is said so.
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(body)}));
        const CliRun j =
            run(chat({QStringLiteral("--prompt"), QStringLiteral("hello"), QStringLiteral("--stream"),
                      QStringLiteral("--format"), QStringLiteral("json")}));
        QCOMPARE(j.exitCode, 1);
        QVERIFY2(j.err.contains("Model too busy"), j.err.constData());
        QVERIFY2(!j.err.contains("above"), j.err.constData());
        QVERIFY2(j.err.contains("on standard output, as JSON"), j.err.constData());
        const QJsonObject partial = QJsonDocument::fromJson(j.out).object();
        QCOMPARE(partial.value(QStringLiteral("choices"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("Deep learn"));

        // The error before any text: nothing is said to be above.
        QVERIFY(m_server->queue(
            QJsonArray{ReplayServer::eventStream("data: {\"error\":\"Model too busy\"}\n\n")}));
        const CliRun none =
            run(chat({QStringLiteral("--prompt"), QStringLiteral("hello"), QStringLiteral("--stream")}));
        QCOMPARE(none.exitCode, 1);
        QVERIFY2(!none.err.contains("above") && none.err.contains("No part of the answer came"),
                 none.err.constData());
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("words");
        QTest::newRow("no message") << QStringList{} << "--prompt";
        QTest::newRow("both") << QStringList{QStringLiteral("--prompt"), QStringLiteral("a"),
                                             QStringLiteral("--messages-json"), QStringLiteral("[]")}
                              << "once";
        QTest::newRow("bad json") << QStringList{QStringLiteral("--messages-json"), QStringLiteral("[{")}
                                  << "not valid JSON";
        QTest::newRow("bad role") << QStringList{QStringLiteral("--messages-json"),
                                                 QStringLiteral(R"([{"role":"bot","content":"x"}])")}
                                  << "\"bot\"";
        QTest::newRow("temperature range")
            << QStringList{QStringLiteral("--prompt"), QStringLiteral("a"), QStringLiteral("--parameters"),
                           QStringLiteral(R"({"temperature": 5})")}
            << "temperature";
        QTest::newRow("parameters not object")
            << QStringList{QStringLiteral("--prompt"), QStringLiteral("a"), QStringLiteral("--parameters"),
                           QStringLiteral("[1]")}
            << "JSON object";
        // The shapes of tools and tool_choice (ChatParameterCheck), refused before anything is sent.
        QTest::newRow("tool name with a space")
            << QStringList{QStringLiteral("--prompt"), QStringLiteral("a"), QStringLiteral("--parameters"),
                           QStringLiteral(
                               R"({"tools": [{"type": "function", "function": {"name": "get weather"}}]})")}
            << "tools[0].function.name \"get weather\"";
        QTest::newRow("tool schema type")
            << QStringList{QStringLiteral("--prompt"), QStringLiteral("a"), QStringLiteral("--parameters"),
                           QStringLiteral(R"({"tools": [{"type": "function", "function": {"name": "f",
                               "parameters": {"type": "object", "properties": {"x": {"type": "int"}}}}}]})")}
            << "tools[0].function.parameters.properties.x.type \"int\"";
        QTest::newRow("tool_choice names no tool")
            << QStringList{QStringLiteral("--prompt"), QStringLiteral("a"), QStringLiteral("--parameters"),
                           QStringLiteral(R"({"tools": [{"type": "function", "function": {"name": "f"}}],
                               "tool_choice": {"type": "function", "function": {"name": "g"}}})")}
            << "tool_choice names the function \"g\"";
        QTest::newRow("response_format without schema")
            << QStringList{QStringLiteral("--prompt"), QStringLiteral("a"), QStringLiteral("--parameters"),
                           QStringLiteral(
                               R"({"response_format": {"type": "json_schema", "json_schema": {"name": "a"}}})")}
            << "response_format.json_schema.schema is missing";
        QTest::newRow("system twice")
            << QStringList{QStringLiteral("--system"), QStringLiteral("s"), QStringLiteral("--messages-json"),
                           QStringLiteral(
                               R"([{"role":"system","content":"x"},{"role":"user","content":"y"}])")}
            << "system message";
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, words);
        const CliRun r = run(chat(args));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(words.toUtf8()), r.err.constData());
        QCOMPARE(m_server->requests().size(), 0); // nothing was sent
    }

    void networkFailure()
    {
        const CliRun r = run({QStringLiteral("chat"), QStringLiteral("--model"), QStringLiteral("x/y"),
                              QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:1"),
                              QStringLiteral("--prompt"), QStringLiteral("hi")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(!r.err.isEmpty());
    }

    void callKestraFormMakesNoHiddenHubCall()
    {
        // `call` with no task sends Kestra's generic form as it is, even for an LLM's id: no hub lookup
        // (issue 2: no hidden network call). `chat` is the command for chat models.
        QVERIFY(m_server->queue(QJsonArray{QJsonObject{
            {QStringLiteral("status"), 200},
            {QStringLiteral("body"),
             QJsonArray{QJsonObject{{QStringLiteral("generated_text"), QStringLiteral("ok")}}}}}}));
        const CliRun r = run({QStringLiteral("call"), QStringLiteral("--model"),
                              QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"), QStringLiteral("--inputs"),
                              QStringLiteral("What is deep learning?"), QStringLiteral("--endpoint"),
                              m_server->urlString() + QStringLiteral("/hf-inference/models")},
                             m_server->urlString());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/hf-inference/models/meta-llama/Llama-3.1-8B-Instruct"));
        QCOMPARE(QJsonDocument::fromJson(ReplayServer::body(received.at(0).toObject())).object(),
                 (QJsonObject{{QStringLiteral("inputs"), QStringLiteral("What is deep learning?")}}));
    }
};

QTEST_GUILESS_MAIN(TestCliChat)
#include "TestCliChat.moc"
