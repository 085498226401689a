// inference-desk-cli against hostile inputs and answers (issue 19): input files that are not text or not
// files, no input at all, answers that are empty, broken off, web pages or random bytes, streams cut short,
// timeouts of zero, unknown or oversized parameters, odd statuses and refused redirects. Each case feeds
// the input the issue names and asserts the exit code and the sentence on stderr.
#include "CliRunner.h"
#include "TestConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::ReplayServer;

namespace {
const QString kToken = QStringLiteral("hf_hostile_test_token_42");

// HF_TOKEN=kToken and no IDESK_MAX_INPUT_FILE; a run whose output holds the token gets
// CliRun::kTokenPrinted, one that does not end in 60 s CliRun::kTimedOut.
CliOptions hostileOptions()
{
    CliOptions o;
    o.token = kToken;
    o.unset << QStringLiteral("IDESK_MAX_INPUT_FILE");
    o.failIfTokenPrinted = true;
    return o;
}

CliRun runCli(const QStringList &args)
{
    return idesk::test::runCli(args, hostileOptions());
}

// A chat stream as the router sends it: a role chunk, text chunks, a finish reason, [DONE].
QByteArray chatChunk(const QString &text, const QString &finish = QString())
{
    QJsonObject choice{{QStringLiteral("index"), 0},
                       {QStringLiteral("delta"), QJsonObject{{QStringLiteral("content"), text}}}};
    if (!finish.isEmpty())
        choice.insert(QStringLiteral("finish_reason"), finish);
    return "data: " +
           QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                                     {QStringLiteral("choices"), QJsonArray{choice}}})
               .toJson(QJsonDocument::Compact) +
           "\n\n";
}
} // namespace

class TestCliHostile : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_dir;

    QString endpoint() const { return m_server->urlString() + QStringLiteral("/hf-inference/models"); }
    QStringList call(const QStringList &more) const
    {
        return QStringList{QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                           QStringLiteral("--endpoint"), endpoint()} +
               more;
    }
    QStringList chat(const QStringList &more) const
    {
        return QStringList{QStringLiteral("chat"),  QStringLiteral("--model"),
                           QStringLiteral("o/llm"), QStringLiteral("--endpoint"),
                           m_server->urlString(),   QStringLiteral("--prompt"),
                           QStringLiteral("Hi")} +
               more;
    }
    QString writeFile(const QString &name, const QByteArray &bytes) const
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            return QString();
        return f.fileName();
    }
    int requestCount() { return int(m_server->requests().size()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
    }
    void init() { QVERIFY(m_server->reset()); }

    // ---- 1. Input lost ----

    void textFileIsSentAsItsText()
    {
        const QString path = writeFile(QStringLiteral("h.txt"), "I want a refund\nplease");
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        const CliRun r = runCli(call({QStringLiteral("--task"), QStringLiteral("text-classification"),
                                      QStringLiteral("--inputs-file"), path}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject body = m_server->onlyRequestJson();
        QCOMPARE(body.value(QStringLiteral("inputs")).toString(), QStringLiteral("I want a refund\nplease"));
    }

    void jsonFileIsSentAsTheJsonInputs()
    {
        const QString path = writeFile(QStringLiteral("qa.json"),
                                       R"({"question": "Where do I live?", "context": "I live in Berlin"})");
        QVERIFY(m_server->queue(
            QJsonArray{ReplayServer::answer(200, QStringLiteral("application/json"),
                                            R"({"answer":"Berlin","score":0.9,"start":10,"end":16})")}));
        const CliRun r = runCli(call({QStringLiteral("--task"), QStringLiteral("question-answering"),
                                      QStringLiteral("--inputs-file"), path}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_server->onlyRequestJson()
                     .value(QStringLiteral("inputs"))
                     .toObject()
                     .value(QStringLiteral("context"))
                     .toString(),
                 QStringLiteral("I live in Berlin"));
    }

    void imageFileWithoutTaskIsSentAsItsBytes()
    {
        const QByteArray png =
            QByteArray::fromHex("89504e470d0a1a0a0000000d4948445200000001000000010802000000");
        const QString path = writeFile(QStringLiteral("pixel.png"), png);
        QVERIFY(
            m_server->queue(QJsonArray{ReplayServer::answer(200, QStringLiteral("application/json"), "[]")}));
        const CliRun r = runCli(call({QStringLiteral("--inputs-file"), path}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        QCOMPARE(ReplayServer::body(received.at(0).toObject()), png); // not {"inputs": null}
    }

    void noInputExitsTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("kestra form") << QStringList{};
        QTest::newRow("text task") << QStringList{QStringLiteral("--task"),
                                                  QStringLiteral("text-classification")};
    }
    void noInputExitsTwo()
    {
        QFETCH(QStringList, args);
        const CliRun r = runCli(call(args));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no input"), r.err.constData());
        QCOMPARE(requestCount(), 0);
    }

    void inputFilesThatCannotBeSentExitTwo_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("needle");
        QTest::newRow("/dev/zero") << QStringLiteral("/dev/zero") << QByteArray("not a regular file");
        QTest::newRow("/dev/urandom") << QStringLiteral("/dev/urandom") << QByteArray("not a regular file");
        QTest::newRow("missing") << QStringLiteral("/nonexistent/h.txt") << QByteArray("does not exist");
        QTest::newRow("empty") << QStringLiteral("empty.txt") << QByteArray("is empty");
        QTest::newRow("binary") << QStringLiteral("binary.txt") << QByteArray("not UTF-8 text");
    }
    void inputFilesThatCannotBeSentExitTwo()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, needle);
        if (path == QLatin1String("empty.txt"))
            path = writeFile(path, QByteArray());
        else if (path == QLatin1String("binary.txt"))
            path = writeFile(path, QByteArray::fromHex("00ff10fe8081c0c1") + QByteArray(100, '\0'));
        QVERIFY(!path.isEmpty());
        const CliRun r = runCli(call({QStringLiteral("--task"), QStringLiteral("text-classification"),
                                      QStringLiteral("--inputs-file"), path}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(needle), r.err.constData());
        QCOMPARE(requestCount(), 0);
    }

    void inputFileOverTheCapSaysHowToRaiseIt()
    {
        const QString path = writeFile(QStringLiteral("big.txt"), QByteArray(4096, 'a'));
        CliOptions capped = hostileOptions();
        capped.set.insert(QStringLiteral("IDESK_MAX_INPUT_FILE"), QStringLiteral("1K"));
        const CliRun r =
            idesk::test::runCli(call({QStringLiteral("--task"), QStringLiteral("text-classification"),
                                      QStringLiteral("--inputs-file"), path}),
                                capped);
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("IDESK_MAX_INPUT_FILE"), r.err.constData());
        QCOMPARE(requestCount(), 0);
    }

    // ---- 2. Exit codes and silent acceptance ----

    void chatRefusesBodiesThatAreNotJson_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QByteArray>("needle");
        QByteArray random;
        for (int i = 0; i < 512; ++i)
            random += char((i * 7919 + 13) % 256);
        QTest::newRow("random binary") << random << "application/json" << QByteArray("not JSON");
        QTest::newRow("truncated")
            << QByteArray("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Hel")
            << "application/json" << QByteArray("not JSON");
        QTest::newRow("plain text") << QByteArray("Hello there") << "text/plain" << QByteArray("not JSON");
        QTest::newRow("empty") << QByteArray() << "application/json" << QByteArray("empty body");
    }
    void chatRefusesBodiesThatAreNotJson()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, type);
        QFETCH(QByteArray, needle);
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::answer(200, type, body)}));
        const CliRun r = runCli(chat({}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(needle), r.err.constData());
        QVERIFY2(r.out.isEmpty(), r.out.constData()); // nothing raw on the terminal
    }

    void streamCutShortExitsThree_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QByteArray>("needle");
        const QByteArray whole =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n" +
            chatChunk(QStringLiteral("Deep")) + chatChunk(QStringLiteral(" learning")) +
            chatChunk(QStringLiteral(" is"), QStringLiteral("length")) + "data: [DONE]\n\n";
        const qsizetype third = whole.indexOf(chatChunk(QStringLiteral(" is"), QStringLiteral("length")));
        QTest::newRow("mid-event") << whole.left(third + 30) << QByteArray("middle of an event");
        QTest::newRow("no [DONE], no finish reason") << whole.left(third) << QByteArray("without [DONE]");
    }
    void streamCutShortExitsThree()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QByteArray, needle);
        for (const bool live : {true, false}) {
            QVERIFY(m_server->reset());
            QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(stream)}));
            QStringList args{QStringLiteral("--stream")};
            if (!live)
                args << QStringLiteral("--format") << QStringLiteral("json");
            const CliRun r = runCli(chat(args));
            QCOMPARE(r.exitCode, 3);
            QVERIFY2(r.err.contains("cut off"), r.err.constData());
            QVERIFY2(r.err.contains(needle), r.err.constData());
            QVERIFY2(r.out.contains("Deep learning"), r.out.constData()); // the part received is kept
        }
    }

    void completeStreamWithoutDoneIsAccepted()
    {
        // Some providers end with the finish reason and no [DONE] (the cerebras recording): complete.
        const QByteArray stream = chatChunk(QStringLiteral("Deep")) +
                                  chatChunk(QStringLiteral(" learning"), QStringLiteral("stop"));
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(stream)}));
        const CliRun r = runCli(chat({QStringLiteral("--stream")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("Deep learning"));
    }

    void textGenerationStreamWithoutItsLastEventExitsThree()
    {
        const QByteArray stream =
            "data:{\"token\":{\"id\":1,\"text\":\"Deep\",\"special\":false},\"generated_text\":null}\n\n"
            "data:{\"token\":{\"id\":2,\"text\":\" "
            "learning\",\"special\":false},\"generated_text\":null}\n\n";
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(stream)}));
        const CliRun cut =
            runCli(call({QStringLiteral("--task"), QStringLiteral("text-generation"),
                         QStringLiteral("--inputs"), QStringLiteral("What is"), QStringLiteral("--stream")}));
        QCOMPARE(cut.exitCode, 3);
        QVERIFY2(cut.err.contains("cut off"), cut.err.constData());
        QVERIFY(cut.out.contains("Deep learning"));

        QVERIFY(m_server->queue(QJsonArray{
            ReplayServer::eventStream(stream + "data:{\"token\":{\"id\":3,\"text\":\".\",\"special\":false},"
                                               "\"generated_text\":\"Deep learning.\"}\n\n")}));
        const CliRun whole =
            runCli(call({QStringLiteral("--task"), QStringLiteral("text-generation"),
                         QStringLiteral("--inputs"), QStringLiteral("What is"), QStringLiteral("--stream")}));
        QVERIFY2(whole.exitCode == 0, whole.err.constData());
    }

    void malformedChunkedBodyIsANetworkFailure()
    {
        QJsonObject broken =
            ReplayServer::answer(200, QStringLiteral("application/json"), "zz\r\n{\"a\":1}\r\n0\r\n\r\n");
        broken.insert(QStringLiteral("omit_content_length"), true);
        QJsonObject headers = broken.value(QStringLiteral("headers")).toObject();
        headers.insert(QStringLiteral("Transfer-Encoding"), QStringLiteral("chunked"));
        broken.insert(QStringLiteral("headers"), headers);
        QVERIFY(m_server->queue(QJsonArray{broken}));
        const CliRun c = runCli(call({QStringLiteral("--inputs"), QStringLiteral("x")}));
        QCOMPARE(c.exitCode, 3);
        QVERIFY2(c.err.contains("broke off"), c.err.constData());
        QVERIFY(m_server->queue(QJsonArray{broken}));
        const CliRun h = runCli(chat({}));
        QCOMPARE(h.exitCode, 3);
        QVERIFY2(h.err.contains("broke off"), h.err.constData());
    }

    void zeroOrHugeTimeoutsExitTwo_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("needle");
        QTest::newRow("read 0s") << "--read-timeout"
                                 << "0s" << QByteArray("smallest is 1ms");
        QTest::newRow("read PT0S") << "--read-timeout"
                                   << "PT0S" << QByteArray("smallest is 1ms");
        QTest::newRow("read 0.0001s") << "--read-timeout"
                                      << "0.0001s" << QByteArray("smallest is 1ms");
        QTest::newRow("connect 0") << "--connect-timeout"
                                   << "0" << QByteArray("smallest is 1ms");
        QTest::newRow("idle 0ms") << "--read-idle-timeout"
                                  << "0ms" << QByteArray("smallest is 1ms");
        QTest::newRow("read 30d") << "--read-timeout"
                                  << "30d" << QByteArray("largest is 24d");
        QTest::newRow("read overflow") << "--read-timeout"
                                       << "99999999999999999999d" << QByteArray("not a duration");
    }
    void zeroOrHugeTimeoutsExitTwo()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(QByteArray, needle);
        for (const QStringList &args :
             {call({QStringLiteral("--inputs"), QStringLiteral("x"), option, value}),
              chat({option, value})}) {
            const CliRun r = runCli(args);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(option.toUtf8()), r.err.constData());
            QVERIFY2(r.err.contains(needle), r.err.constData());
        }
        QCOMPARE(requestCount(), 0);
    }

    void unknownParameterIsRefused()
    {
        const CliRun r = runCli(
            call({QStringLiteral("--task"), QStringLiteral("text-classification"), QStringLiteral("--inputs"),
                  QStringLiteral("x"), QStringLiteral("--param"), QStringLiteral("top_kk=3")}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("\"top_kk\""), r.err.constData());
        QVERIFY2(r.err.contains("function_to_apply, top_k"), r.err.constData()); // the known ones
        QVERIFY2(r.err.contains("--no-validate"), r.err.constData());
        QCOMPARE(requestCount(), 0);

        const CliRun c = runCli(chat({QStringLiteral("--param"), QStringLiteral("max_tokenz=5")}));
        QCOMPARE(c.exitCode, 2);
        QVERIFY2(c.err.contains("\"max_tokenz\"") && c.err.contains("max_tokens"), c.err.constData());
        QCOMPARE(requestCount(), 0);

        // --no-validate sends it anyway.
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        const CliRun sent =
            runCli(call({QStringLiteral("--task"), QStringLiteral("text-classification"),
                         QStringLiteral("--inputs"), QStringLiteral("x"), QStringLiteral("--param"),
                         QStringLiteral("top_kk=3"), QStringLiteral("--no-validate")}));
        QVERIFY2(sent.exitCode == 0, sent.err.constData());
        QCOMPARE(m_server->onlyRequestJson()
                     .value(QStringLiteral("parameters"))
                     .toObject()
                     .value(QStringLiteral("top_kk"))
                     .toInt(),
                 3);
    }

    void integerBeyondSixtyFourBitsIsRefused()
    {
        for (const QString &task : {QStringLiteral("text-classification"), QString()}) {
            QStringList args{QStringLiteral("--inputs"), QStringLiteral("x"), QStringLiteral("--param"),
                             QStringLiteral("top_k=99999999999999999999999")};
            if (!task.isEmpty())
                args << QStringLiteral("--task") << task;
            const CliRun r = runCli(call(args));
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("\"top_k\"") && r.err.contains("9223372036854775807"), r.err.constData());
        }
        QCOMPARE(requestCount(), 0);
    }

    // ---- 3. Messages ----

    void webPageAnswerIsAWrongEndpoint()
    {
        const QByteArray page = "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head>"
                                "<body><h1>Welcome</h1></body></html>";
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::answer(200, QStringLiteral("text/html"), page)}));
        const CliRun c = runCli(call({QStringLiteral("--inputs"), QStringLiteral("x")}));
        QCOMPARE(c.exitCode, 1);
        QVERIFY2(c.err.contains("web page") && c.err.contains("Welcome to nginx!"), c.err.constData());
        QVERIFY2(c.err.contains("endpoint is likely wrong"), c.err.constData());
        QVERIFY(c.out.isEmpty());
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::answer(200, QStringLiteral("text/html"), page)}));
        const CliRun h = runCli(chat({}));
        QCOMPARE(h.exitCode, 1);
        QVERIFY2(h.err.contains("endpoint is likely wrong"), h.err.constData());
    }

    void notImplementedPageIsAWrongEndpoint()
    {
        QVERIFY(m_server->queue(QJsonArray{
            ReplayServer::answer(501, QStringLiteral("text/html"),
                                 "<html><head><title>Error response</title></head><body><h1>Unsupported "
                                 "method</h1></body></html>")}));
        const CliRun r = runCli(call({QStringLiteral("--inputs"), QStringLiteral("x")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("endpoint is likely wrong"), r.err.constData());
        QVERIFY2(!r.err.contains("try again later"), r.err.constData());
    }

    void statusWithoutReasonPhrase()
    {
        // An empty queue answers 599 with no reason phrase.
        const CliRun r = runCli(call({QStringLiteral("--inputs"), QStringLiteral("x")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("(599)"), r.err.constData());
        QVERIFY2(!r.err.contains("(599 )"), r.err.constData());
    }

    void retryAfterDateIsReadAsADate()
    {
        QJsonObject limited = ReplayServer::answer(429, QStringLiteral("application/json"),
                                                   R"({"error":"Rate limit reached"})");
        QJsonObject headers = limited.value(QStringLiteral("headers")).toObject();
        headers.insert(QStringLiteral("Retry-After"), QStringLiteral("Wed, 21 Oct 2099 07:28:00 GMT"));
        limited.insert(QStringLiteral("headers"), headers);
        QVERIFY(m_server->queue(QJsonArray{limited}));
        const CliRun r = runCli(call({QStringLiteral("--inputs"), QStringLiteral("x")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("try again after 2099-10-2"), r.err.constData());
        QVERIFY2(!r.err.contains("GMT seconds"), r.err.constData());
    }

    void portOutOfRange()
    {
        for (const QStringList &args :
             {QStringList{QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                          QStringLiteral("--inputs"), QStringLiteral("x"), QStringLiteral("--endpoint"),
                          QStringLiteral("http://127.0.0.1:99999/models")},
              QStringList{QStringLiteral("chat"), QStringLiteral("--model"), QStringLiteral("o/m"),
                          QStringLiteral("--prompt"), QStringLiteral("x"), QStringLiteral("--endpoint"),
                          QStringLiteral("http://127.0.0.1:99999")}}) {
            const CliRun r = runCli(args);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("port 99999") && r.err.contains("out of range"), r.err.constData());
            QVERIFY2(!r.err.contains("not an http(s) URL"), r.err.constData());
        }
    }

    void httpsToHttpRedirectIsExplained()
    {
        ReplayServer tls(ReplayServer::Tls);
        QVERIFY2(tls.isRunning(), qPrintable(tls.errorString()));
        const QString target = m_server->urlString() + QStringLiteral("/elsewhere");
        QVERIFY(tls.queue(
            QJsonArray{QJsonObject{{QStringLiteral("redirect"), target}, {QStringLiteral("status"), 307}}}));
        const CliRun r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                                 QStringLiteral("--inputs"), QStringLiteral("x"),
                                 QStringLiteral("--endpoint"), tls.urlString() + QStringLiteral("/models"),
                                 QStringLiteral("--ca-bundle"), tls.caCertificatePath()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("from https to plain http"), r.err.constData());
        QVERIFY2(r.err.contains("not followed"), r.err.constData());
        QVERIFY2(r.err.contains(target.toUtf8()), r.err.constData());
        QCOMPARE(requestCount(), 0); // the plain-http server was never asked
    }
};

QTEST_GUILESS_MAIN(TestCliHostile)
#include "TestCliHostile.moc"
