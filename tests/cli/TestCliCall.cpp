// inference-desk-cli call, run as a separate process against the loopback replay server: formats,
// exit codes, errors on stderr, binary answers to files, validation before sending, the token.
#include "CliRunner.h"
#include "TestConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::ReplayServer;
using idesk::test::runCli;

namespace {
QJsonDocument recordedAnswer(const QString &file)
{
    QFile f(QStringLiteral(IDESK_TEST_DATA_DIR "/recordings/") + file);
    f.open(QIODevice::ReadOnly);
    const QJsonObject rec = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonValue body =
        rec.value(QStringLiteral("response")).toObject().value(QStringLiteral("body_json"));
    return body.isArray() ? QJsonDocument(body.toArray()) : QJsonDocument(body.toObject());
}
} // namespace

class TestCliCall : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QString endpoint() const { return m_server->urlString() + QStringLiteral("/hf-inference/models"); }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
    }
    void init() { QVERIFY(m_server->reset()); }

    void formats_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("pretty") << "pretty";
        QTest::newRow("json") << "json";
        QTest::newRow("summary") << "summary";
    }
    void formats()
    {
        QFETCH(QString, format);
        const QString file = QStringLiteral("kestra/text-classification-0.json");
        QVERIFY(m_server->queueFile(file));
        const CliRun r =
            runCli({QStringLiteral("call"), QStringLiteral("--model"),
                    QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest"),
                    QStringLiteral("--inputs"), QStringLiteral("I am hungry"), QStringLiteral("--endpoint"),
                    endpoint(), QStringLiteral("--format"), format});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        const QJsonObject req = received.at(0).toObject();
        QCOMPARE(req.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/hf-inference/models/cardiffnlp/twitter-roberta-base-sentiment-latest"));
        QCOMPARE(ReplayServer::body(req), QByteArray(R"({"inputs":"I am hungry"})"));
        const QJsonObject headers = req.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("authorization")).toString(),
                 QStringLiteral("Bearer hf_test_token"));
        QCOMPARE(headers.value(QStringLiteral("x-use-cache")).toString(), QStringLiteral("true"));
        QCOMPARE(headers.value(QStringLiteral("x-wait-for-model")).toString(), QStringLiteral("false"));
        QVERIFY(!r.out.contains("hf_test_token") && !r.err.contains("hf_test_token"));

        const QJsonDocument expected = recordedAnswer(file);
        if (format == QLatin1String("summary")) {
            const QString top =
                expected.array().at(0).toArray().isEmpty()
                    ? expected.array().at(0).toObject().value(QStringLiteral("label")).toString()
                    : expected.array()
                          .at(0)
                          .toArray()
                          .at(0)
                          .toObject()
                          .value(QStringLiteral("label"))
                          .toString();
            QVERIFY2(r.out.contains(top.toUtf8()), r.out.constData());
            QVERIFY(r.out.contains("%"));
        } else {
            QCOMPARE(QJsonDocument::fromJson(r.out), expected);
            QCOMPARE(r.out.count('\n') > 1, format == QLatin1String("pretty"));
        }
    }

    void apiErrorExitsOne()
    {
        QVERIFY(m_server->queue(QJsonArray{
            QJsonObject{{QStringLiteral("status"), 401},
                        {QStringLiteral("headers"),
                         QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("application/json")}}},
                        {QStringLiteral("body"),
                         QStringLiteral(R"({"error":"Invalid credentials in Authorization header"})")}}}));
        const CliRun r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                                 QStringLiteral("--inputs"), QStringLiteral("x"),
                                 QStringLiteral("--endpoint"), endpoint()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("Invalid credentials in Authorization header"), r.err.constData());
        QVERIFY(r.err.contains("Make calls to Inference Providers"));
    }

    void notFoundSuggestsTheChatRoute()
    {
        // Kestra's form (no task) for an LLM the router's per-model route does not serve.
        QVERIFY(m_server->queue(QJsonArray{
            QJsonObject{{QStringLiteral("status"), 404},
                        {QStringLiteral("headers"),
                         QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("application/json")}}},
                        {QStringLiteral("body"), QStringLiteral(R"({"error":"Not Found"})")}}}));
        const CliRun r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/llm"),
                                 QStringLiteral("--inputs"), QStringLiteral("x"),
                                 QStringLiteral("--endpoint"), endpoint()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("inference-desk-cli chat --model o/llm"), r.err.constData());
        QVERIFY(r.err.contains("--route completions"));
    }

    void networkFailureExitsThree()
    {
        const CliRun r =
            runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                    QStringLiteral("--inputs"), QStringLiteral("x"), QStringLiteral("--endpoint"),
                    QStringLiteral("http://127.0.0.1:9/hf-inference/models")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("refused"), r.err.constData());
    }

    void timeoutExitsThreeAndNamesTheOption()
    {
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json"),
                                    QJsonObject{{QStringLiteral("delay_first_byte_ms"), 5000}}));
        const CliRun r =
            runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                    QStringLiteral("--inputs"), QStringLiteral("x"), QStringLiteral("--endpoint"), endpoint(),
                    QStringLiteral("--read-timeout"), QStringLiteral("300ms")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("readTimeout"), r.err.constData());
    }

    void badUsageExitsTwoAndSendsNothing_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QByteArray>("needle");
        QTest::newRow("parameters not JSON")
            << QStringList{"--parameters", "{top_k: 3"} << QByteArray("--parameters");
        QTest::newRow("enum with a comma")
            << QStringList{"--param", "function_to_apply=sigmoid,"} << QByteArray("function_to_apply");
        QTest::newRow("wrong type for task")
            << QStringList{"--task", "text-classification", "--param", "top_k=\"3\""} << QByteArray("top_k");
        QTest::newRow("chat tools for task")
            << QStringList{"--task", "chat-completion", "--parameters",
                           R"({"tools": [{"type": "function", "function": {"name": "f", "parameters": "x"}}]})"}
            << QByteArray("tools[0].function.parameters must be a JSON Schema object");
        QTest::newRow("unknown task")
            << QStringList{"--task", "text-clasification"} << QByteArray("Known tasks");
        QTest::newRow("bad duration") << QStringList{"--read-timeout", "soon"} << QByteArray("PT10S");
        QTest::newRow("bad format") << QStringList{"--format", "xml"}
                                    << QByteArray("pretty, json or summary");
    }
    void badUsageExitsTwoAndSendsNothing()
    {
        QFETCH(QStringList, extra);
        QFETCH(QByteArray, needle);
        const CliRun r = runCli(QStringList{QStringLiteral("call"), QStringLiteral("--model"),
                                            QStringLiteral("o/m"), QStringLiteral("--inputs"),
                                            QStringLiteral("x"), QStringLiteral("--endpoint"), endpoint()} +
                                extra);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(needle), r.err.constData());
        QCOMPARE(m_server->requests().size(), 0);
    }

    void noValidateSendsAnyway()
    {
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        const CliRun r =
            runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                    QStringLiteral("--inputs"), QStringLiteral("x"), QStringLiteral("--endpoint"), endpoint(),
                    QStringLiteral("--param"), QStringLiteral("function_to_apply=sigmoid,"),
                    QStringLiteral("--no-validate")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject body =
            QJsonDocument::fromJson(ReplayServer::body(m_server->requests().at(0).toObject())).object();
        QCOMPARE(body.value(QStringLiteral("parameters"))
                     .toObject()
                     .value(QStringLiteral("function_to_apply"))
                     .toString(),
                 QStringLiteral("sigmoid,"));
    }

    void binaryAnswerGoesToAFile()
    {
        QTemporaryDir dir;
        CliOptions inDir;
        inDir.workDir = dir.path();
        QVERIFY(m_server->queueFile(
            QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_hf-inference-1.json")));
        const CliRun r = runCli({QStringLiteral("call"), QStringLiteral("--model"),
                                 QStringLiteral("CompVis/stable-diffusion-v1-4"), QStringLiteral("--task"),
                                 QStringLiteral("text-to-image"), QStringLiteral("--inputs"),
                                 QStringLiteral("An astronaut riding a horse on the moon."),
                                 QStringLiteral("--endpoint"), endpoint()},
                                inDir);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString expected = dir.filePath(QStringLiteral("CompVis_stable-diffusion-v1-4.jpg"));
        QVERIFY2(QFile::exists(expected), r.out.constData());
        QVERIFY(r.out.contains(expected.toUtf8()));
        QVERIFY(r.out.size() < 300); // a path, not the image
        QFile f(expected);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.read(3) == QByteArray("\xff\xd8\xff"));
    }

    void streamPrintsTokens()
    {
        QVERIFY(m_server->queueFile(
            QStringLiteral("text-generation/r2504_TGC_generate_stream_with_details-1.json")));
        const CliRun r =
            runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("google/flan-t5-xxl"),
                    QStringLiteral("--task"), QStringLiteral("text-generation"), QStringLiteral("--inputs"),
                    QStringLiteral("test"), QStringLiteral("--stream"), QStringLiteral("--endpoint"),
                    endpoint(), QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray out = QJsonDocument::fromJson(r.out).array();
        QVERIFY2(out.at(0).toObject().contains(QStringLiteral("generated_text")), r.out.constData());
        const QJsonObject body =
            QJsonDocument::fromJson(ReplayServer::body(m_server->requests().at(0).toObject())).object();
        QCOMPARE(body.value(QStringLiteral("stream")).toBool(), true);
    }

    void streamErrorEventIsAnError()
    {
        // A token stream that breaks off with an error event: the part received stays on stdout, the error
        // is worded on stderr, and the exit code says the API answered an error.
        const QByteArray stream = "data:{\"token\":{\"id\":1,\"text\":\"Deep\",\"special\":false}}\n\n"
                                  "data:{\"token\":{\"id\":2,\"text\":\" learning\",\"special\":false}}\n\n"
                                  "event: error\ndata: Input validation error: too many tokens\n\n";
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(stream)}));
        const CliRun r = runCli(
            {QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("google/flan-t5-xxl"),
             QStringLiteral("--task"), QStringLiteral("text-generation"), QStringLiteral("--inputs"),
             QStringLiteral("test"), QStringLiteral("--stream"), QStringLiteral("--endpoint"), endpoint()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.startsWith("Deep learning"), r.out.constData());
        QVERIFY2(r.err.contains("Input validation error: too many tokens"), r.err.constData());
        QVERIFY2(r.err.contains("in the middle of the answer"), r.err.constData());

        // As JSON: the part received is printed as the answer would look, and the error says so.
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(stream)}));
        const CliRun json =
            runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("google/flan-t5-xxl"),
                    QStringLiteral("--task"), QStringLiteral("text-generation"), QStringLiteral("--inputs"),
                    QStringLiteral("test"), QStringLiteral("--stream"), QStringLiteral("--endpoint"),
                    endpoint(), QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(json.exitCode, 1);
        QCOMPARE(QJsonDocument::fromJson(json.out)
                     .array()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("generated_text"))
                     .toString(),
                 QStringLiteral("Deep learning"));
        QVERIFY2(json.err.contains("on standard output"), json.err.constData());
    }

    void chatStreamToolCallsPrinted()
    {
        // A chat stream that answers with a tool call only: the call is printed, then the summary line.
        const QByteArray stream =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
            "\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]"
            "}}]}\n\n"
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
            "{\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n"
            "data: [DONE]\n\n";
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(stream)}));
        const CliRun r =
            runCli({QStringLiteral("call"), QStringLiteral("--task"), QStringLiteral("chat-completion"),
                    QStringLiteral("--model"), QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"),
                    QStringLiteral("--inputs"), QStringLiteral("Weather in Paris?"),
                    QStringLiteral("--stream"), QStringLiteral("--endpoint"), m_server->urlString()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("tool call get_weather (c1):"), r.out.constData());
        QVERIFY2(r.out.contains("\"city\": \"Paris\""), r.out.constData());
        QVERIFY2(r.out.contains("[finish reason: tool_calls]"), r.out.constData());
    }

    // --route completions: {endpoint}/{model}/v1/completions with the OpenAI body, the text printed.
    void routeCompletionsPrintsTheText_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("summary") << "summary";
        QTest::newRow("pretty") << "pretty";
        QTest::newRow("json") << "json";
    }
    void routeCompletionsPrintsTheText()
    {
        QFETCH(QString, format);
        const QJsonObject answer{
            {QStringLiteral("object"), QStringLiteral("text_completion")},
            {QStringLiteral("choices"),
             QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                    {QStringLiteral("text"), QStringLiteral(" a small blue planet.")},
                                    {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}}};
        QVERIFY(m_server->queue(
            QJsonArray{QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), answer}}}));
        const CliRun r = runCli(
            {QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("openai-community/gpt2"),
             QStringLiteral("--task"), QStringLiteral("text-generation"), QStringLiteral("--route"),
             QStringLiteral("completions"), QStringLiteral("--inputs"), QStringLiteral("The Earth is"),
             QStringLiteral("--param"), QStringLiteral("max_new_tokens=8"), QStringLiteral("--endpoint"),
             endpoint(), QStringLiteral("--format"), format});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject req = m_server->requests().at(0).toObject();
        QCOMPARE(req.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/hf-inference/models/openai-community/gpt2/v1/completions"));
        QCOMPARE(QJsonDocument::fromJson(ReplayServer::body(req)).object(),
                 (QJsonObject{{QStringLiteral("model"), QStringLiteral("openai-community/gpt2")},
                              {QStringLiteral("prompt"), QStringLiteral("The Earth is")},
                              {QStringLiteral("max_tokens"), 8}}));
        if (format == QLatin1String("summary"))
            QCOMPARE(r.out, QByteArray(" a small blue planet.\n"));
        else
            QCOMPARE(QJsonDocument::fromJson(r.out).object(), answer);
    }

    void routeCompletionsStreamsTokens()
    {
        QByteArray stream;
        for (const char *piece : {" a", " small", " blue", " planet."})
            stream += "data: {\"choices\":[{\"index\":0,\"text\":\"" + QByteArray(piece) +
                      "\",\"finish_reason\":null}]}\n\n";
        stream += "data: {\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"length\"}]}\n\n"
                  "data: [DONE]\n\n";
        const QJsonObject entry = ReplayServer::eventStream(stream);
        const QStringList args{QStringLiteral("call"),
                               QStringLiteral("--model"),
                               QStringLiteral("openai-community/gpt2"),
                               QStringLiteral("--task"),
                               QStringLiteral("text-generation"),
                               QStringLiteral("--route"),
                               QStringLiteral("completions"),
                               QStringLiteral("--stream"),
                               QStringLiteral("--inputs"),
                               QStringLiteral("The Earth is"),
                               QStringLiteral("--endpoint"),
                               endpoint()};
        QVERIFY(m_server->queue(QJsonArray{entry}));
        const CliRun r = runCli(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // The finish reason follows the text, as `chat --stream` prints it.
        QCOMPARE(r.out, QByteArray(" a small blue planet.\n[finish reason: length]\n"));
        const QJsonObject req = m_server->requests().at(0).toObject();
        QCOMPARE(req.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/hf-inference/models/openai-community/gpt2/v1/completions"));
        QCOMPARE(QJsonDocument::fromJson(ReplayServer::body(req)).object().value(QStringLiteral("stream")),
                 QJsonValue(true));

        // --format json: the stream assembled as the non-streamed completions answer.
        QVERIFY(m_server->queue(QJsonArray{entry}));
        const CliRun json = runCli(args + QStringList{QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QJsonObject choice = QJsonDocument::fromJson(json.out)
                                       .object()
                                       .value(QStringLiteral("choices"))
                                       .toArray()
                                       .at(0)
                                       .toObject();
        QCOMPARE(choice.value(QStringLiteral("text")).toString(), QStringLiteral(" a small blue planet."));
        QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("length"));
    }

    void routeModelIsTheRecordedForm()
    {
        QVERIFY(m_server->queueFile(
            QStringLiteral("text-generation/r2504_TGC_generate_stream_with_details-1.json")));
        const CliRun r =
            runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("google/flan-t5-xxl"),
                    QStringLiteral("--task"), QStringLiteral("text-generation"), QStringLiteral("--route"),
                    QStringLiteral("model"), QStringLiteral("--stream"), QStringLiteral("--inputs"),
                    QStringLiteral("test"), QStringLiteral("--endpoint"), endpoint()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject req = m_server->requests().at(0).toObject();
        QCOMPARE(req.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/hf-inference/models/google/flan-t5-xxl"));
        QCOMPARE(QJsonDocument::fromJson(ReplayServer::body(req))
                     .object()
                     .value(QStringLiteral("inputs"))
                     .toString(),
                 QStringLiteral("test"));
    }

    void badRouteExitsTwoAndSendsNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unknown route")
            << QStringList{QStringLiteral("--task"), QStringLiteral("text-generation"),
                           QStringLiteral("--route"), QStringLiteral("chat")}
            << QByteArray("--route takes model or completions");
        QTest::newRow("not text-generation")
            << QStringList{QStringLiteral("--task"), QStringLiteral("summarization"),
                           QStringLiteral("--route"), QStringLiteral("completions")}
            << QByteArray("--route completions is for --task text-generation");
    }
    void badRouteExitsTwoAndSendsNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, message);
        const CliRun r = runCli(QStringList{QStringLiteral("call"), QStringLiteral("--model"),
                                            QStringLiteral("o/m"), QStringLiteral("--inputs"),
                                            QStringLiteral("x"), QStringLiteral("--endpoint"), endpoint()} +
                                args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), r.err.constData());
        QCOMPARE(m_server->requests().size(), 0);
    }

    void routeHelpNamesBothForms()
    {
        const CliRun r = runCli({QStringLiteral("call"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        const QByteArray help = r.out.simplified();
        QVERIFY2(help.contains("--route <model|completions>"), r.out.constData());
        QVERIFY(help.contains("{endpoint}/{model}/v1/completions"));
        QVERIFY(help.contains("{endpoint}/{model},"));
    }

    void outputFileAndSavedResult()
    {
        QTemporaryDir dir;
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/fill-mask-0.json")));
        const QString out = dir.filePath(QStringLiteral("answer.json"));
        const QString saved = dir.filePath(QStringLiteral("answer.idresult"));
        const CliRun r =
            runCli({QStringLiteral("call"), QStringLiteral("--model"),
                    QStringLiteral("google-bert/bert-base-uncased"), QStringLiteral("--inputs"),
                    QStringLiteral("I love to eat [MASK]."), QStringLiteral("--endpoint"), endpoint(),
                    QStringLiteral("--output"), out, QStringLiteral("--save-result"), saved});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.isEmpty());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(f.readAll()),
                 recordedAnswer(QStringLiteral("kestra/fill-mask-0.json")));
        QFile s(saved);
        QVERIFY(s.open(QIODevice::ReadOnly));
        const QByteArray savedBytes = s.readAll();
        QVERIFY(savedBytes.contains("inference-desk-result"));
        QVERIFY(!savedBytes.contains("hf_test_token"));
    }

    void chatAnswerSummaryIsItsText()
    {
        const QString file =
            QStringLiteral("conversational/r2504_TIC_chat_completion_no_stream_hf-inference-1.json");
        QVERIFY(m_server->queueFile(file));
        const CliRun r =
            runCli({QStringLiteral("call"), QStringLiteral("--model"),
                    QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"), QStringLiteral("--task"),
                    QStringLiteral("chat-completion"), QStringLiteral("--inputs"),
                    QStringLiteral("What is deep learning?"), QStringLiteral("--endpoint"),
                    m_server->urlString(), QStringLiteral("--format"), QStringLiteral("summary")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString content = recordedAnswer(file)
                                    .object()
                                    .value(QStringLiteral("choices"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("message"))
                                    .toObject()
                                    .value(QStringLiteral("content"))
                                    .toString();
        QVERIFY(!content.isEmpty());
        QCOMPARE(QString::fromUtf8(r.out).trimmed(), content.trimmed());
    }

    void noTokenNoAuthorizationHeader()
    {
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        CliOptions emptyToken;
        emptyToken.token = QString(); // HF_TOKEN set, but empty
        const CliRun r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                                 QStringLiteral("--inputs"), QStringLiteral("x"),
                                 QStringLiteral("--endpoint"), endpoint()},
                                emptyToken);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!m_server->requests()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("headers"))
                     .toObject()
                     .contains(QStringLiteral("authorization")));
    }
};

QTEST_GUILESS_MAIN(TestCliCall)
#include "TestCliCall.moc"
