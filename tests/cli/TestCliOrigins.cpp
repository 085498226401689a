// Issue 19, where the token may go and what the CLI prints, as separate processes against the loopback
// replay server: a flow's own hosts (an Inference task's endpoint, a core Request task's uri) get the
// token only when approved (--endpoint, --allow-host, the app's saved origins) and approval is per origin;
// model ids with dot segments are refused before anything is sent; an endpoint's query is kept; a token
// echoed by a server is masked; terminal control sequences from a server or a preset never reach stdout or
// stderr raw, while --format json and --output files keep the answer's bytes.
#include "CliRunner.h"
#include "TestConfig.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::ReplayServer;

namespace {
const QString kToken = QStringLiteral("hf_OriginsTestToken012345678");

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

bool hasAuthorization(const QJsonValue &request)
{
    return request.toObject()
        .value(QStringLiteral("headers"))
        .toObject()
        .contains(QStringLiteral("authorization"));
}

const QByteArray kControl = "\x1b[2J\x1b]52;c;ZXZpbA==\x07";
} // namespace

class TestCliOrigins : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_home; // XDG_CONFIG_HOME and XDG_DATA_HOME of the CLI

    QString origin() const { return m_server->urlString(); }
    QString endpoint() const { return origin() + QStringLiteral("/models"); }

    CliRun runCli(const QStringList &args, const QString &token = kToken)
    {
        CliOptions o;
        o.token = token;
        o.unset << QStringLiteral("HUGGINGFACE_API_KEY") << QStringLiteral("HF_ENDPOINT");
        o.set.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        o.set.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        o.set.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1,localhost"));
        o.workDir = m_home.path();
        return idesk::test::runCli(args, o);
    }

    // The app's approved origins, as the settings file holds them.
    bool saveApproved(const QString &entry)
    {
        const QString path = m_home.filePath(QStringLiteral("config/inference-desk/inference-desk.conf"));
        if (entry.isEmpty())
            return !QFile::exists(path) || QFile::remove(path);
        return writeAll(path, "[network]\napprovedHosts=" + entry.toUtf8() + "\n");
    }

    QString inferenceFlow(const QString &endpointUrl)
    {
        const QString path = m_home.filePath(QStringLiteral("flow-inference.yaml"));
        // The form our own export writes: endpoint and apiKey together.
        const QByteArray text = "id: f\nnamespace: t\ntasks:\n- id: a\n"
                                "  type: io.kestra.plugin.huggingface.Inference\n"
                                "  model: m/x\n  inputs: hi\n"
                                "  apiKey: \"{{ secret('HUGGINGFACE_API_KEY') }}\"\n  endpoint: " +
                                endpointUrl.toUtf8() + "\n";
        return writeAll(path, text) ? path : QString();
    }

    QString requestFlow(const QString &uri)
    {
        const QString path = m_home.filePath(QStringLiteral("flow-request.yaml"));
        const QByteArray text =
            "id: f\nnamespace: t\ntasks:\n- id: ask\n  type: io.kestra.plugin.core.http.Request\n"
            "  uri: " +
            uri.toUtf8() +
            "\n  method: POST\n  contentType: application/json\n  headers:\n"
            "    Authorization: \"Bearer {{ secret('HUGGINGFACE_API_KEY') }}\"\n"
            "  body: |\n    {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"model\": "
            "\"o/m\"}\n";
        return writeAll(path, text) ? path : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
    }
    void init()
    {
        QVERIFY(m_server->reset());
        QVERIFY(saveApproved(QString()));
    }

    // Finding 1: `run FLOW.yaml` sent Authorization to the flow's own non-Hugging Face endpoint.
    void flowEndpointGetsTokenOnlyWhenApproved()
    {
        const QString flow = inferenceFlow(endpoint());
        QVERIFY(!flow.isEmpty());
        const QJsonObject ok =
            ReplayServer::answer(200, QStringLiteral("application/json"), "[{\"label\":\"x\",\"score\":1}]");

        // Not approved: sent without the token, with a sentence saying how to allow it.
        QVERIFY(m_server->queue({ok}));
        CliRun r = runCli({QStringLiteral("run"), flow});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_server->requests().size(), 1);
        QVERIFY(!hasAuthorization(m_server->requests().at(0)));
        QVERIFY2(r.err.contains("--allow-host " + origin().toUtf8()), r.err.constData());

        // --allow-host naming the origin (host:port form): the token goes.
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queue({ok}));
        r = runCli({QStringLiteral("run"), flow, QStringLiteral("--allow-host"),
                    QStringLiteral("127.0.0.1:%1").arg(m_server->port())});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(ReplayServer::header(m_server->requests().at(0), QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);

        // Another port of the same host: not approved.
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queue({ok}));
        r = runCli({QStringLiteral("run"), flow, QStringLiteral("--allow-host"),
                    QStringLiteral("http://127.0.0.1:%1").arg(m_server->port() + 1)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!hasAuthorization(m_server->requests().at(0)));

        // Approved in the app (the settings the CLI shares): the token goes.
        QVERIFY(m_server->reset());
        QVERIFY(saveApproved(origin()));
        QVERIFY(m_server->queue({ok}));
        r = runCli({QStringLiteral("run"), flow});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(ReplayServer::header(m_server->requests().at(0), QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);

        // A host saved alone by an older version means https on 443 only: not this http origin.
        QVERIFY(m_server->reset());
        QVERIFY(saveApproved(QStringLiteral("127.0.0.1")));
        QVERIFY(m_server->queue({ok}));
        r = runCli({QStringLiteral("run"), flow});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!hasAuthorization(m_server->requests().at(0)));

        // A malformed --allow-host is bad usage: exit 2, nothing sent.
        QVERIFY(m_server->reset());
        r = runCli(
            {QStringLiteral("run"), flow, QStringLiteral("--allow-host"), QStringLiteral("http://h/x")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--allow-host"), r.err.constData());
        QCOMPARE(m_server->requests().size(), 0);
    }

    // Finding 1: a core HTTP Request task's non-HF uri, and `presets run` of the same flow: one rule.
    void requestTaskAndPresetsRunFollowTheSameRule()
    {
        const QString flow = requestFlow(origin() + QStringLiteral("/v1/chat/completions"));
        QVERIFY(!flow.isEmpty());
        const QJsonObject chat = ReplayServer::answer(
            200, QStringLiteral("application/json"),
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello\"},"
            "\"finish_reason\":\"stop\"}]}");
        QVERIFY(m_server->queue({chat}));
        CliRun r = runCli({QStringLiteral("run"), flow});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_server->requests().size(), 1);
        QVERIFY(!hasAuthorization(m_server->requests().at(0)));

        QVERIFY(m_server->reset());
        QVERIFY(m_server->queue({chat}));
        r = runCli({QStringLiteral("run"), flow, QStringLiteral("--allow-host"), origin()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(ReplayServer::header(m_server->requests().at(0), QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);

        // The same flow as a preset: withheld, then allowed by the same option.
        r = runCli({QStringLiteral("presets"), QStringLiteral("import"), flow, QStringLiteral("--name"),
                    QStringLiteral("origins-chat"), QStringLiteral("--replace")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queue({chat, chat}));
        r = runCli({QStringLiteral("presets"), QStringLiteral("run"), QStringLiteral("origins-chat")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!hasAuthorization(m_server->requests().at(0)));
        r = runCli({QStringLiteral("presets"), QStringLiteral("run"), QStringLiteral("origins-chat"),
                    QStringLiteral("--allow-host"), origin()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(ReplayServer::header(m_server->requests().at(1), QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);
    }

    // Finding 3: dot segments would move the request (and the token) elsewhere on the server.
    void dotSegmentModelIdsRefused_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("../../admin") << QStringLiteral("../../admin");
        QTest::newRow("etc/passwd") << QStringLiteral("x/../../../../etc/passwd");
        QTest::newRow("dot") << QStringLiteral("a/./b");
        QTest::newRow("encoded dots") << QStringLiteral("a/%2e%2E/b");
        QTest::newRow("backslash") << QStringLiteral("a\\..\\b");
        QTest::newRow("empty segment") << QStringLiteral("a//b");
    }
    void dotSegmentModelIdsRefused()
    {
        QFETCH(QString, model);
        for (const QString &task : {QString(), QStringLiteral("chat-completion")}) {
            QStringList args{QStringLiteral("call"),
                             QStringLiteral("--model"),
                             model,
                             QStringLiteral("--inputs"),
                             QStringLiteral("hi"),
                             QStringLiteral("--endpoint"),
                             origin() + QStringLiteral("/api/v9/models")};
            if (!task.isEmpty())
                args << QStringLiteral("--task") << task;
            const CliRun r = runCli(args);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("cannot be a model id"), r.err.constData());
        }
        QCOMPARE(m_server->requests().size(), 0);
    }

    // Finding 3: the endpoint's query stays a query, the model goes into the path.
    void endpointQueryIsKept()
    {
        QVERIFY(m_server->queue({ReplayServer::answer(200, QStringLiteral("application/json"), "[]")}));
        const CliRun r =
            runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                    QStringLiteral("--inputs"), QStringLiteral("hi"), QStringLiteral("--endpoint"),
                    endpoint() + QStringLiteral("?x=1"), QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject request = m_server->requests().at(0).toObject();
        QCOMPARE(request.value(QStringLiteral("path")).toString(), QStringLiteral("/models/o/m"));
        QCOMPARE(request.value(QStringLiteral("query")).toString(), QStringLiteral("x=1"));
    }

    // Finding 4: a server that echoes the Authorization header gets nothing printed.
    void echoedTokenIsMasked()
    {
        const QByteArray echo = "{\"error\": \"bad request; you sent Authorization: Bearer " +
                                kToken.toUtf8() + " and hf_SomeOtherLookingToken01234\"}";
        QVERIFY(m_server->queue({ReplayServer::answer(400, QStringLiteral("application/json"), echo)}));
        CliRun r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                           QStringLiteral("--inputs"), QStringLiteral("hi"), QStringLiteral("--endpoint"),
                           endpoint()});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(ReplayServer::header(m_server->requests().at(0), QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken); // it was sent (--endpoint), and is not printed
        QVERIFY2(!r.err.contains(kToken.toUtf8()) && !r.err.contains("hf_SomeOtherLookingToken"),
                 r.err.constData());
        QVERIFY2(r.err.contains("Bearer [hidden]"), r.err.constData());

        // In an answer printed in each format too (json stays valid JSON).
        for (const QString &format :
             {QStringLiteral("pretty"), QStringLiteral("json"), QStringLiteral("summary")}) {
            QVERIFY(m_server->queue({ReplayServer::answer(200, QStringLiteral("application/json"),
                                                          "[{\"generated_text\": \"Authorization: Bearer " +
                                                              kToken.toUtf8() + "\"}]")}));
            r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                        QStringLiteral("--task"), QStringLiteral("text-generation"),
                        QStringLiteral("--inputs"), QStringLiteral("hi"), QStringLiteral("--endpoint"),
                        endpoint(), QStringLiteral("--format"), format});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY2(!r.out.contains(kToken.toUtf8()) && r.out.contains("[hidden]"), r.out.constData());
            if (format == QLatin1String("json"))
                QVERIFY(QJsonDocument::fromJson(r.out).isArray());
        }
    }

    // Finding 5: clear screen and OSC 52 from a server reach neither stdout nor stderr raw.
    void controlSequencesAreEscaped()
    {
        QVERIFY(m_server->queue(
            {ReplayServer::answer(400, QStringLiteral("text/plain"), "no " + kControl + " way")}));
        CliRun r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                           QStringLiteral("--inputs"), QStringLiteral("hi"), QStringLiteral("--endpoint"),
                           endpoint()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(!r.err.contains('\x1b') && !r.err.contains('\x07'), r.err.constData());
        QVERIFY2(r.err.contains("\\x1b[2J"), r.err.constData());

        // A text answer, and a generated text shown by summary.
        QVERIFY(
            m_server->queue({ReplayServer::answer(200, QStringLiteral("text/plain"), "text " + kControl)}));
        r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                    QStringLiteral("--inputs"), QStringLiteral("hi"), QStringLiteral("--endpoint"),
                    endpoint()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(!r.out.contains('\x1b') && r.out.contains("\\x1b]52;c;"), r.out.constData());
        const QByteArray generated = "[{\"generated_text\": \"x\\u001b[2J\\u001b]52;c;ZXZpbA==\\u0007\"}]";
        QVERIFY(m_server->queue({ReplayServer::answer(200, QStringLiteral("application/json"), generated)}));
        r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                    QStringLiteral("--task"), QStringLiteral("text-generation"), QStringLiteral("--inputs"),
                    QStringLiteral("hi"), QStringLiteral("--endpoint"), endpoint(),
                    QStringLiteral("--format"), QStringLiteral("summary")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(!r.out.contains('\x1b') && r.out.contains("\\x1b[2J"), r.out.constData());

        // --format json is escaped JSON already: unchanged, still the same value.
        QVERIFY(m_server->queue({ReplayServer::answer(200, QStringLiteral("application/json"), generated)}));
        r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                    QStringLiteral("--task"), QStringLiteral("text-generation"), QStringLiteral("--inputs"),
                    QStringLiteral("hi"), QStringLiteral("--endpoint"), endpoint(),
                    QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out), QJsonDocument::fromJson(generated));

        // A binary answer written with --output keeps its bytes exactly.
        const QByteArray binary = "\x89PNG\r\n\x1a\n" + kControl + QByteArray(64, '\0');
        QVERIFY(m_server->queue({ReplayServer::answer(200, QStringLiteral("image/png"), binary)}));
        const QString out = m_home.filePath(QStringLiteral("answer.png"));
        r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                    QStringLiteral("--inputs"), QStringLiteral("hi"), QStringLiteral("--endpoint"),
                    endpoint(), QStringLiteral("--output"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), binary);
    }

    // Finding 5: a preset named with control sequences is listed escaped.
    void presetNamesAreEscaped()
    {
        const QString dir = m_home.filePath(QStringLiteral("data/inference-desk/inference-desk/presets"));
        const QJsonObject preset{
            {QStringLiteral("format"), QStringLiteral("inference-desk-preset")},
            {QStringLiteral("version"), 1},
            {QStringLiteral("name"), QStringLiteral("evil") + QString::fromLatin1(kControl)},
            {QStringLiteral("request"), QJsonObject{{QStringLiteral("model"), QStringLiteral("o/m")},
                                                    {QStringLiteral("inputs"), QStringLiteral("hi")}}}};
        QVERIFY(writeAll(dir + QStringLiteral("/evil.json"), QJsonDocument(preset).toJson()));
        const CliRun r = runCli({QStringLiteral("presets"), QStringLiteral("list")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(!r.out.contains('\x1b') && !r.err.contains('\x1b'), r.out.constData());
        QVERIFY2(r.out.contains("evil\\x1b[2J\\x1b]52;c;"), r.out.constData());
        QFile::remove(dir + QStringLiteral("/evil.json"));
    }

    // Finding 6: a 401 without any token does not say "the token was refused".
    void unauthorizedWithoutTokenSaysNoneIsSet()
    {
        QVERIFY(m_server->queue({ReplayServer::answer(401, QStringLiteral("application/json"),
                                                      "{\"error\": \"Invalid credentials\"}")}));
        const CliRun r = runCli({QStringLiteral("call"), QStringLiteral("--model"), QStringLiteral("o/m"),
                                 QStringLiteral("--inputs"), QStringLiteral("hi"),
                                 QStringLiteral("--endpoint"), endpoint()},
                                QString());
        QCOMPARE(r.exitCode, 1);
        QVERIFY(!hasAuthorization(m_server->requests().at(0)));
        QVERIFY2(!r.err.contains("was refused"), r.err.constData());
        QVERIFY2(r.err.contains("none is set") && r.err.contains("HF_TOKEN"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliOrigins)
#include "TestCliOrigins.moc"
