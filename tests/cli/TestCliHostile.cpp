// inference-desk-cli against hostile inputs and answers (issue 19): input files that are not text or not
// files, no input at all, answers that are empty, broken off, web pages or random bytes, streams cut short,
// timeouts of zero, unknown or oversized parameters, odd statuses and refused redirects. Each case feeds
// the input the issue names and asserts the exit code and the sentence on stderr.
#include "ReplayServer.h"
#include "TestConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using idesk::test::ReplayServer;

namespace {
const QString kToken = QStringLiteral("hf_hostile_test_token_42");

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HF_TOKEN"), kToken);
    env.remove(QStringLiteral("SSL_CERT_FILE"));
    env.remove(QStringLiteral("IDESK_MAX_INPUT_FILE"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(IDESK_CLI_PATH), args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return Run{-4, p.readAllStandardOutput(), p.readAllStandardError()};
    }
    Run r{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
          p.readAllStandardError()};
    if (r.out.contains(kToken.toUtf8()) || r.err.contains(kToken.toUtf8()))
        r.exitCode = -3; // the token never reaches the output
    return r;
}

QJsonObject answer(int status, const QString &contentType, const QByteArray &body)
{
    QJsonObject headers;
    if (!contentType.isEmpty())
        headers.insert(QStringLiteral("Content-Type"), contentType);
    return QJsonObject{{QStringLiteral("status"), status},
                       {QStringLiteral("headers"), headers},
                       {QStringLiteral("body_base64"), QString::fromLatin1(body.toBase64())}};
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
    ReplayServer *m_server = nullptr;
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
    QJsonObject onlyBody()
    {
        const QJsonArray received = m_server->requests();
        if (received.size() != 1)
            return {};
        return QJsonDocument::fromJson(ReplayServer::body(received.at(0).toObject())).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(QStringLiteral(IDESK_CLI_PATH)), IDESK_CLI_PATH);
        QVERIFY(m_dir.isValid());
        m_server = new ReplayServer(ReplayServer::Http);
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
    }
    void cleanupTestCase() { delete m_server; }
    void init() { QVERIFY(m_server->reset()); }

    // ---- 1. Input lost ----

    void textFileIsSentAsItsText()
    {
        const QString path = writeFile(QStringLiteral("h.txt"), "I want a refund\nplease");
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        const Run r = runCli(call({QStringLiteral("--task"), QStringLiteral("text-classification"),
                                   QStringLiteral("--inputs-file"), path}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject body = onlyBody();
        QCOMPARE(body.value(QStringLiteral("inputs")).toString(), QStringLiteral("I want a refund\nplease"));
    }

    void jsonFileIsSentAsTheJsonInputs()
    {
        const QString path = writeFile(QStringLiteral("qa.json"),
                                       R"({"question": "Where do I live?", "context": "I live in Berlin"})");
        QVERIFY(
            m_server->queue(QJsonArray{answer(200, QStringLiteral("application/json"),
                                              R"({"answer":"Berlin","score":0.9,"start":10,"end":16})")}));
        const Run r = runCli(call({QStringLiteral("--task"), QStringLiteral("question-answering"),
                                   QStringLiteral("--inputs-file"), path}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(
            onlyBody().value(QStringLiteral("inputs")).toObject().value(QStringLiteral("context")).toString(),
            QStringLiteral("I live in Berlin"));
    }

    void imageFileWithoutTaskIsSentAsItsBytes()
    {
        const QByteArray png =
            QByteArray::fromHex("89504e470d0a1a0a0000000d4948445200000001000000010802000000");
        const QString path = writeFile(QStringLiteral("pixel.png"), png);
        QVERIFY(m_server->queue(QJsonArray{answer(200, QStringLiteral("application/json"), "[]")}));
        const Run r = runCli(call({QStringLiteral("--inputs-file"), path}));
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
        const Run r = runCli(call(args));
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
        const Run r = runCli(call({QStringLiteral("--task"), QStringLiteral("text-classification"),
                                   QStringLiteral("--inputs-file"), path}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(needle), r.err.constData());
        QCOMPARE(requestCount(), 0);
    }

    void inputFileOverTheCapSaysHowToRaiseIt()
    {
        const QString path = writeFile(QStringLiteral("big.txt"), QByteArray(4096, 'a'));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HF_TOKEN"), kToken);
        env.insert(QStringLiteral("IDESK_MAX_INPUT_FILE"), QStringLiteral("1K"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(IDESK_CLI_PATH),
                call({QStringLiteral("--task"), QStringLiteral("text-classification"),
                      QStringLiteral("--inputs-file"), path}));
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("IDESK_MAX_INPUT_FILE"), err.constData());
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
        QVERIFY(m_server->queue(QJsonArray{answer(200, type, body)}));
        const Run r = runCli(chat({}));
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
            const Run r = runCli(chat(args));
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
        const Run r = runCli(chat({QStringLiteral("--stream")}));
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
        const Run cut =
            runCli(call({QStringLiteral("--task"), QStringLiteral("text-generation"),
                         QStringLiteral("--inputs"), QStringLiteral("What is"), QStringLiteral("--stream")}));
        QCOMPARE(cut.exitCode, 3);
        QVERIFY2(cut.err.contains("cut off"), cut.err.constData());
        QVERIFY(cut.out.contains("Deep learning"));

        QVERIFY(m_server->queue(QJsonArray{
            ReplayServer::eventStream(stream + "data:{\"token\":{\"id\":3,\"text\":\".\",\"special\":false},"
                                               "\"generated_text\":\"Deep learning.\"}\n\n")}));
        const Run whole =
            runCli(call({QStringLiteral("--task"), QStringLiteral("text-generation"),
                         QStringLiteral("--inputs"), QStringLiteral("What is"), QStringLiteral("--stream")}));
        QVERIFY2(whole.exitCode == 0, whole.err.constData());
    }

    void malformedChunkedBodyIsANetworkFailure()
    {
        QJsonObject broken = answer(200, QStringLiteral("application/json"), "zz\r\n{\"a\":1}\r\n0\r\n\r\n");
        broken.insert(QStringLiteral("omit_content_length"), true);
        QJsonObject headers = broken.value(QStringLiteral("headers")).toObject();
        headers.insert(QStringLiteral("Transfer-Encoding"), QStringLiteral("chunked"));
        broken.insert(QStringLiteral("headers"), headers);
        QVERIFY(m_server->queue(QJsonArray{broken}));
        const Run c = runCli(call({QStringLiteral("--inputs"), QStringLiteral("x")}));
        QCOMPARE(c.exitCode, 3);
        QVERIFY2(c.err.contains("broke off"), c.err.constData());
        QVERIFY(m_server->queue(QJsonArray{broken}));
        const Run h = runCli(chat({}));
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
            const Run r = runCli(args);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(option.toUtf8()), r.err.constData());
            QVERIFY2(r.err.contains(needle), r.err.constData());
        }
        QCOMPARE(requestCount(), 0);
    }

    void unknownParameterIsRefused()
    {
        const Run r = runCli(
            call({QStringLiteral("--task"), QStringLiteral("text-classification"), QStringLiteral("--inputs"),
                  QStringLiteral("x"), QStringLiteral("--param"), QStringLiteral("top_kk=3")}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("\"top_kk\""), r.err.constData());
        QVERIFY2(r.err.contains("function_to_apply, top_k"), r.err.constData()); // the known ones
        QVERIFY2(r.err.contains("--no-validate"), r.err.constData());
        QCOMPARE(requestCount(), 0);

        const Run c = runCli(chat({QStringLiteral("--param"), QStringLiteral("max_tokenz=5")}));
        QCOMPARE(c.exitCode, 2);
        QVERIFY2(c.err.contains("\"max_tokenz\"") && c.err.contains("max_tokens"), c.err.constData());
        QCOMPARE(requestCount(), 0);

        // --no-validate sends it anyway.
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        const Run sent =
            runCli(call({QStringLiteral("--task"), QStringLiteral("text-classification"),
                         QStringLiteral("--inputs"), QStringLiteral("x"), QStringLiteral("--param"),
                         QStringLiteral("top_kk=3"), QStringLiteral("--no-validate")}));
        QVERIFY2(sent.exitCode == 0, sent.err.constData());
        QCOMPARE(
            onlyBody().value(QStringLiteral("parameters")).toObject().value(QStringLiteral("top_kk")).toInt(),
            3);
    }

    void integerBeyondSixtyFourBitsIsRefused()
    {
        for (const QString &task : {QStringLiteral("text-classification"), QString()}) {
            QStringList args{QStringLiteral("--inputs"), QStringLiteral("x"), QStringLiteral("--param"),
                             QStringLiteral("top_k=99999999999999999999999")};
            if (!task.isEmpty())
                args << QStringLiteral("--task") << task;
            const Run r = runCli(call(args));
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
        QVERIFY(m_server->queue(QJsonArray{answer(200, QStringLiteral("text/html"), page)}));
        const Run c = runCli(call({QStringLiteral("--inputs"), QStringLiteral("x")}));
        QCOMPARE(c.exitCode, 1);
        QVERIFY2(c.err.contains("web page") && c.err.contains("Welcome to nginx!"), c.err.constData());
        QVERIFY2(c.err.contains("endpoint is likely wrong"), c.err.constData());
        QVERIFY(c.out.isEmpty());
        QVERIFY(m_server->queue(QJsonArray{answer(200, QStringLiteral("text/html"), page)}));
        const Run h = runCli(chat({}));
        QCOMPARE(h.exitCode, 1);
        QVERIFY2(h.err.contains("endpoint is likely wrong"), h.err.constData());
    }

    void notImplementedPageIsAWrongEndpoint()
    {
        QVERIFY(m_server->queue(
            QJsonArray{answer(501, QStringLiteral("text/html"),
                              "<html><head><title>Error response</title></head><body><h1>Unsupported "
                              "method</h1></body></html>")}));
        const Run r = runCli(call({QStringLiteral("--inputs"), QStringLiteral("x")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("endpoint is likely wrong"), r.err.constData());
        QVERIFY2(!r.err.contains("try again later"), r.err.constData());
    }

    void statusWithoutReasonPhrase()
    {
        // An empty queue answers 599 with no reason phrase.
        const Run r = runCli(call({QStringLiteral("--inputs"), QStringLiteral("x")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("(599)"), r.err.constData());
        QVERIFY2(!r.err.contains("(599 )"), r.err.constData());
    }

    void retryAfterDateIsReadAsADate()
    {
        QJsonObject limited =
            answer(429, QStringLiteral("application/json"), R"({"error":"Rate limit reached"})");
        QJsonObject headers = limited.value(QStringLiteral("headers")).toObject();
        headers.insert(QStringLiteral("Retry-After"), QStringLiteral("Wed, 21 Oct 2099 07:28:00 GMT"));
        limited.insert(QStringLiteral("headers"), headers);
        QVERIFY(m_server->queue(QJsonArray{limited}));
        const Run r = runCli(call({QStringLiteral("--inputs"), QStringLiteral("x")}));
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
            const Run r = runCli(args);
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
        const Run r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                              QStringLiteral("--inputs"), QStringLiteral("x"), QStringLiteral("--endpoint"),
                              tls.urlString() + QStringLiteral("/models"), QStringLiteral("--ca-bundle"),
                              tls.caCertificatePath()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("from https to plain http"), r.err.constData());
        QVERIFY2(r.err.contains("not followed"), r.err.constData());
        QVERIFY2(r.err.contains(target.toUtf8()), r.err.constData());
        QCOMPARE(requestCount(), 0); // the plain-http server was never asked
    }
};

QTEST_GUILESS_MAIN(TestCliHostile)
#include "TestCliHostile.moc"
