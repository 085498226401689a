// inference-desk-cli run FLOW.yaml and inference-desk-cli presets ..., as separate processes against the
// loopback replay server: the two seed Kestra flows print the recorded answers, validation stops the
// second flow's `function_to_apply: sigmoid,` before anything is sent, secrets and read() resolve, the
// token goes only where it may, presets round-trip and never hold the token.
#include "CliRunner.h"
#include "TestConfig.h"

#include "Preset.h"
#include "PresetStore.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using idesk::Preset;
using idesk::PresetStore;
using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::ReplayServer;

namespace {
const QString kToken = QStringLiteral("hf_test_token");

QString flowsDir()
{
    return QStringLiteral(IDESK_TEST_DATA_DIR "/flows");
}
QString flow(const QString &name)
{
    return flowsDir() + QLatin1Char('/') + name;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QJsonValue recordedAnswer(const QString &file)
{
    const QJsonObject rec =
        QJsonDocument::fromJson(readAll(QStringLiteral(IDESK_TEST_DATA_DIR "/recordings/") + file)).object();
    return rec.value(QStringLiteral("response")).toObject().value(QStringLiteral("body_json"));
}

QJsonValue parseJson(const QByteArray &bytes)
{
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    return doc.isArray() ? QJsonValue(doc.array()) : doc.isObject() ? QJsonValue(doc.object()) : QJsonValue();
}

// What Kestra sends for the seed's image flow: the file's text as inputs, the parameters as written.
QByteArray imageFlowBody(const QByteArray &base64)
{
    return "{\"inputs\":\"" + base64 + "\",\"parameters\":{\"function_to_apply\":\"sigmoid,\",\"top_k\":3}}";
}
} // namespace

class TestCliRun : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_data; // XDG_DATA_HOME of the CLI: its presets live here

    QString endpoint() const { return m_server->urlString() + QStringLiteral("/models"); }

    // Nothing the CLI prints ever holds the token: such a run gets CliRun::kTokenPrinted.
    CliRun runCli(const QStringList &args, const QMap<QString, QString> &extraEnv = {})
    {
        CliOptions o;
        o.token = kToken;
        o.unset << QStringLiteral("HUGGINGFACE_API_KEY") << QStringLiteral("MY_HF_KEY")
                << QStringLiteral("MY_KEY");
        o.set.insert(QStringLiteral("XDG_DATA_HOME"), m_data.path());
        o.set.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1,localhost"));
        o.set.insert(extraEnv); // wins
        o.workDir = m_data.path();
        o.failIfTokenPrinted = true;
        return idesk::test::runCli(args, o);
    }

    QString presetsDir() const
    {
        return m_data.filePath(QStringLiteral("inference-desk/inference-desk/presets"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_data.isValid());
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
    }
    void init() { QVERIFY(m_server->reset()); }

    void seedTextFlowPrintsRecordedAnswer_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("json") << QStringLiteral("json");
        QTest::newRow("pretty") << QStringLiteral("pretty");
        QTest::newRow("summary") << QStringLiteral("summary");
    }

    void seedTextFlowPrintsRecordedAnswer()
    {
        QFETCH(QString, format);
        const QString recording = QStringLiteral("kestra/text-classification-0.json");
        QVERIFY(m_server->queueFile(recording));
        const CliRun r =
            runCli({QStringLiteral("run"), flow(QStringLiteral("huggingface_inference_text.yaml")),
                    QStringLiteral("--endpoint"), endpoint(), QStringLiteral("--format"), format});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        if (format == QLatin1String("summary")) {
            QVERIFY2(r.out.contains("neutral") && r.out.contains("positive") && r.out.contains("negative"),
                     r.out.constData());
        } else {
            QCOMPARE(parseJson(r.out), recordedAnswer(recording));
        }

        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        const QJsonObject request = received.first().toObject();
        QCOMPARE(request.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
        QCOMPARE(request.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/models/cardiffnlp/twitter-roberta-base-sentiment-latest"));
        QCOMPARE(ReplayServer::body(request), QByteArray("{\"inputs\":\"I want a refund\"}"));
        QCOMPARE(ReplayServer::header(request, QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);
        QCOMPARE(ReplayServer::header(request, QStringLiteral("content-type")),
                 QStringLiteral("application/json"));
        QCOMPARE(ReplayServer::header(request, QStringLiteral("x-use-cache")), QStringLiteral("true"));
        QCOMPARE(ReplayServer::header(request, QStringLiteral("x-wait-for-model")), QStringLiteral("false"));
    }

    void seedImageFlowIsCaughtByValidation()
    {
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        const CliRun r =
            runCli({QStringLiteral("run"), flow(QStringLiteral("huggingface_inference_image.yaml")),
                    QStringLiteral("--endpoint"), endpoint()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("function_to_apply"), r.err.constData());
        QVERIFY2(r.err.contains("sigmoid"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        QCOMPARE(m_server->requests().size(), 0); // nothing was sent
    }

    void seedImageFlowWithoutValidationSendsItAsWritten()
    {
        const QString recording =
            QStringLiteral("image-classification/r2504_TIC_image_classification_hf-inference-1.json");
        QVERIFY(m_server->queueFile(recording));
        const CliRun r =
            runCli({QStringLiteral("run"), flow(QStringLiteral("huggingface_inference_image.yaml")),
                    QStringLiteral("--endpoint"), endpoint(), QStringLiteral("--no-validate"),
                    QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(parseJson(r.out), recordedAnswer(recording));

        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        const QJsonObject request = received.first().toObject();
        QCOMPARE(request.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/models/google/vit-base-patch16-224"));
        const QByteArray base64 = readAll(flow(QStringLiteral("my-base64-image.txt")));
        QVERIFY(base64.size() > 1000);
        // Kestra's body: the file's text as the inputs string, the parameters exactly as written
        QCOMPARE(ReplayServer::body(request), imageFlowBody(base64));
        QCOMPARE(ReplayServer::header(request, QStringLiteral("x-wait-for-model")), QStringLiteral("true"));
        QCOMPARE(ReplayServer::header(request, QStringLiteral("x-use-cache")), QStringLiteral("false"));
        QCOMPARE(ReplayServer::header(request, QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);
    }

    void secretNamesAndTokenPolicy()
    {
        QTemporaryDir dir;
        // 1. secret('MY_KEY') comes from SECRET_MY_KEY (base64, as Kestra reads it) before HF_TOKEN
        const QByteArray flowText =
            "id: f\nnamespace: t\ntasks:\n- id: a\n  type: io.kestra.plugin.huggingface.Inference\n"
            "  model: m/x\n  inputs: hi\n  apiKey: \"{{ secret('MY_KEY') }}\"\n";
        QVERIFY(writeAll(dir.filePath(QStringLiteral("secret.yaml")), flowText));
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        CliRun r = runCli({QStringLiteral("run"), dir.filePath(QStringLiteral("secret.yaml")),
                           QStringLiteral("--endpoint"), endpoint()},
                          {{QStringLiteral("SECRET_MY_KEY"),
                            QString::fromLatin1(QByteArray("hf_from_my_key").toBase64())}});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!r.out.contains("hf_from_my_key") && !r.err.contains("hf_from_my_key"));
        QCOMPARE(ReplayServer::header(m_server->requests().last(), QStringLiteral("authorization")),
                 QStringLiteral("Bearer hf_from_my_key"));

        // 2. an endpoint next to an apiKey in the flow (what our export writes) is not the person's choice
        //    (issue 19): no token there until --allow-host (or --endpoint, or the app) approves its origin
        QVERIFY(m_server->reset());
        const QByteArray withEndpoint = flowText + "  endpoint: " + endpoint().toUtf8() + "\n";
        QVERIFY(writeAll(dir.filePath(QStringLiteral("endpoint.yaml")), withEndpoint));
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        r = runCli({QStringLiteral("run"), dir.filePath(QStringLiteral("endpoint.yaml"))},
                   {{QStringLiteral("MY_KEY"), kToken}});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!m_server->requests()
                     .last()
                     .toObject()
                     .value(QStringLiteral("headers"))
                     .toObject()
                     .contains(QStringLiteral("authorization")));
        QVERIFY2(r.err.contains("--allow-host"), r.err.constData());
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        r = runCli({QStringLiteral("run"), dir.filePath(QStringLiteral("endpoint.yaml")),
                    QStringLiteral("--allow-host"), m_server->urlString()},
                   {{QStringLiteral("MY_KEY"), kToken}});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(ReplayServer::header(m_server->requests().last(), QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);

        // 3. an endpoint without an apiKey: the stored token is not sent to a host that is not Hugging Face's
        QVERIFY(m_server->reset());
        const QByteArray noKey =
            "id: f\nnamespace: t\ntasks:\n- id: a\n  type: io.kestra.plugin.huggingface.Inference\n"
            "  model: m/x\n  inputs: hi\n  endpoint: " +
            endpoint().toUtf8() + "\n";
        QVERIFY(writeAll(dir.filePath(QStringLiteral("nokey.yaml")), noKey));
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        r = runCli({QStringLiteral("run"), dir.filePath(QStringLiteral("nokey.yaml"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_server->requests().size(), 1);
        QVERIFY(!m_server->requests()
                     .first()
                     .toObject()
                     .value(QStringLiteral("headers"))
                     .toObject()
                     .contains(QStringLiteral("authorization")));
    }

    void severalTasksRunInOrder()
    {
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/fill-mask-0.json")));
        CliRun r = runCli({QStringLiteral("run"), flow(QStringLiteral("mixed-tasks.yaml")),
                           QStringLiteral("--endpoint"), endpoint(), QStringLiteral("--no-validate"),
                           QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("start") && r.err.contains("io.kestra.plugin.core.log.Log"),
                 r.err.constData());
        QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 2);
        QCOMPARE(received.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/models/cardiffnlp/twitter-roberta-base-sentiment-latest"));
        QCOMPARE(received.at(1).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/models/google-bert/bert-base-uncased"));
        QVERIFY(r.out.contains("neutral") && r.out.contains("i love to eat it."));

        QVERIFY(m_server->reset());
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/fill-mask-0.json")));
        r = runCli({QStringLiteral("run"), flow(QStringLiteral("mixed-tasks.yaml")),
                    QStringLiteral("--task-id"), QStringLiteral("fill_mask"), QStringLiteral("--endpoint"),
                    endpoint(), QStringLiteral("--no-validate"), QStringLiteral("--format"),
                    QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        received = m_server->requests();
        QCOMPARE(received.size(), 1);
        const QJsonObject body =
            QJsonDocument::fromJson(ReplayServer::body(received.first().toObject())).object();
        QCOMPARE(body.value(QStringLiteral("parameters")).toObject().value(QStringLiteral("quoted_number")),
                 QJsonValue(QStringLiteral("3")));
        QCOMPARE(parseJson(r.out), recordedAnswer(QStringLiteral("kestra/fill-mask-0.json")));

        r = runCli({QStringLiteral("run"), flow(QStringLiteral("mixed-tasks.yaml")),
                    QStringLiteral("--task-id"), QStringLiteral("nope"), QStringLiteral("--endpoint"),
                    endpoint()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("sentiment, fill_mask"), r.err.constData());
    }

    // A chat completion as a core HTTP Request task (what the export writes): run like an Inference task.
    void chatRequestFlowRuns()
    {
        const QString recording = QStringLiteral("conversational/a2501_ICV_chat_completion_no_stream-0.json");
        QVERIFY(m_server->queueFile(recording));
        CliRun r = runCli({QStringLiteral("run"), flow(QStringLiteral("chat-request.yaml")),
                           QStringLiteral("--endpoint"), endpoint()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("Deep learning is a subfield of machine learning"), r.out.constData());
        QVERIFY2(r.err.contains("log_answer") && r.err.contains("io.kestra.plugin.core.log.Log"),
                 r.err.constData());

        QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        QJsonObject request = received.first().toObject();
        QCOMPARE(request.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
        QCOMPARE(request.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/models/HuggingFaceH4/zephyr-7b-beta/v1/chat/completions"));
        const QJsonObject expected{
            {QStringLiteral("model"), QStringLiteral("HuggingFaceH4/zephyr-7b-beta")},
            {QStringLiteral("max_tokens"), 20},
            {QStringLiteral("messages"),
             QJsonArray{
                 QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                             {QStringLiteral("content"),
                              QStringLiteral("You are a helpful assistant. Never answer {{ like this }}.")}},
                 QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                             {QStringLiteral("content"), QStringLiteral("What is deep learning?")}}}}};
        QCOMPARE(QJsonDocument::fromJson(ReplayServer::body(request)).object(), expected);
        QCOMPARE(ReplayServer::header(request, QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);
        QCOMPARE(ReplayServer::header(request, QStringLiteral("content-type")),
                 QStringLiteral("application/json"));
        QCOMPARE(ReplayServer::header(request, QStringLiteral("x-wait-for-model")), QStringLiteral("true"));
        QCOMPARE(ReplayServer::header(request, QStringLiteral("x-use-cache")), QStringLiteral("true"));

        // the uri of the flow itself pointed at the server: the token goes once --allow-host approves its
        // origin (issue 19: a flow's own hosts are approved like any other; TestCliOrigins has the refusal)
        QTemporaryDir dir;
        QByteArray text = readAll(flow(QStringLiteral("chat-request.yaml")));
        text.replace("https://router.huggingface.co/v1/chat/completions",
                     (m_server->urlString() + QStringLiteral("/v1/chat/completions")).toUtf8());
        const QString local = dir.filePath(QStringLiteral("chat-local.yaml"));
        QVERIFY(writeAll(local, text));
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queueFile(recording));
        r = runCli({QStringLiteral("run"), local, QStringLiteral("--format"), QStringLiteral("json"),
                    QStringLiteral("--allow-host"), m_server->urlString()},
                   {{QStringLiteral("SECRET_HUGGINGFACE_API_KEY"), QStringLiteral("hf_"
                                                                                  "from_secret_env")}});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(parseJson(r.out), recordedAnswer(recording));
        request = m_server->requests().last().toObject();
        QCOMPARE(request.value(QStringLiteral("path")).toString(), QStringLiteral("/v1/chat/completions"));
        QCOMPARE(QJsonDocument::fromJson(ReplayServer::body(request)).object(), expected);
        QCOMPARE(ReplayServer::header(request, QStringLiteral("authorization")),
                 QStringLiteral("Bearer hf_"
                                "from_secret_env"));

        // imported as a preset and exported again: the same Request task, which runs the same way
        r = runCli({QStringLiteral("presets"), QStringLiteral("import"),
                    flow(QStringLiteral("chat-request.yaml")), QStringLiteral("--name"),
                    QStringLiteral("Deep chat"), QStringLiteral("--replace")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString exported = dir.filePath(QStringLiteral("exported.yaml"));
        r = runCli({QStringLiteral("presets"), QStringLiteral("export"), QStringLiteral("Deep chat"),
                    QStringLiteral("--format"), QStringLiteral("kestra"), QStringLiteral("--output"),
                    exported});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray yaml = readAll(exported);
        QVERIFY2(yaml.contains("type: io.kestra.plugin.core.http.Request"), yaml.constData());
        QVERIFY2(!yaml.contains("io.kestra.plugin.huggingface.Inference"), yaml.constData());
        QVERIFY2(yaml.contains("uri: https://router.huggingface.co/v1/chat/completions\n"), yaml.constData());
        QVERIFY2(yaml.contains("Authorization: \"Bearer {{ secret('HUGGINGFACE_API_KEY') }}\""),
                 yaml.constData());
        QVERIFY2(yaml.contains("{% raw %}"), yaml.constData());
        QVERIFY2(yaml.contains("readTimeout: PT1M"), yaml.constData());
        QVERIFY(!yaml.contains(kToken.toUtf8()));
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queueFile(recording));
        r = runCli({QStringLiteral("run"), exported, QStringLiteral("--endpoint"), endpoint()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        request = m_server->requests().last().toObject();
        QCOMPARE(request.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/models/HuggingFaceH4/zephyr-7b-beta/v1/chat/completions"));
        QCOMPARE(QJsonDocument::fromJson(ReplayServer::body(request)).object(), expected);
    }

    void brokenFlows_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("mustMention");
        QTest::newRow("syntax") << QStringLiteral("syntax-error.yaml") << QByteArray("line 8");
        QTest::newRow("no inference task") << QStringLiteral("no-inference-task.yaml")
                                           << QByteArray("io.kestra.plugin.huggingface.Inference");
        QTest::newRow("missing model") << QStringLiteral("missing-model.yaml") << QByteArray("no model");
        QTest::newRow("unknown expression")
            << QStringLiteral("unknown-expression.yaml") << QByteArray("{{ outputs.fetch.body }}");
        QTest::newRow("missing read file")
            << QStringLiteral("missing-read-file.yaml") << QByteArray("no-such-image.txt");
        QTest::newRow("no such flow")
            << QStringLiteral("does-not-exist.yaml") << QByteArray("does-not-exist.yaml");
    }

    void brokenFlows()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, mustMention);
        const CliRun r =
            runCli({QStringLiteral("run"), flow(file), QStringLiteral("--endpoint"), endpoint()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mustMention), r.err.constData());
        QCOMPARE(m_server->requests().size(), 0);
    }

    // Issue 19: flows written to crash or drain the CLI, or to put a file or a variable in the body. `run`
    // and `presets import` refuse each with exit 2 and a sentence; nothing is sent, nothing crashes.
    void hostileFlowsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QByteArray>("mustMention");
        const QByteArray head =
            "id: f\nnamespace: t\ntasks:\n- id: a\n  type: io.kestra.plugin.huggingface.Inference\n"
            "  model: m/x\n  inputs: ";
        QTest::newRow("self-referencing alias") << head + "&a [*a]\n" << QByteArray("refers to itself");
        QByteArray laughs = "id: f\nnamespace: t\nx0: &l0 [lol]\n";
        for (int i = 1; i <= 9; ++i) {
            laughs += "x" + QByteArray::number(i) + ": &l" + QByteArray::number(i) + " [*l" +
                      QByteArray::number(i - 1);
            for (int j = 1; j < 10; ++j)
                laughs += ", *l" + QByteArray::number(i - 1);
            laughs += "]\n";
        }
        QTest::newRow("billion laughs") << laughs + head.mid(head.indexOf("tasks:")) + "*l9\n"
                                        << QByteArray("IDESK_FLOW_MAX_NODES");
        QByteArray tasks = "id: f\nnamespace: t\ntasks:\n";
        for (int i = 0; i < 100000; ++i)
            tasks +=
                "- id: t" + QByteArray::number(i) + "\n  type: io.kestra.plugin.core.log.Log\n  message: x\n";
        QTest::newRow("100,000 tasks") << tasks << QByteArray("IDESK_FLOW_MAX_TASKS");
        QTest::newRow("read /proc/self/environ") << head + "\"{{ read('/proc/self/environ') }}\"\n"
                                                 << QByteArray("does not exist");
        QTest::newRow("read ../../x") << head + "\"{{ read('../../etc/passwd') }}\"\n"
                                      << QByteArray("outside the flow's folder");
        QTest::newRow("secret of any variable") << head + "\"{{ secret('IDESK_ANY_VAR') }}\"\n"
                                                << QByteArray("SECRET_IDESK_ANY_VAR");
    }
    void hostileFlowsAreRefused()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QByteArray, mustMention);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("hostile.yaml"));
        QVERIFY(writeAll(file, yaml));
        const QMap<QString, QString> env{
            {QStringLiteral("IDESK_ANY_VAR"), QStringLiteral("any-variable-value")}};
        const int presetsBefore = QDir(presetsDir()).entryList(QDir::Files).size();
        for (const QStringList &args :
             {QStringList{QStringLiteral("run"), file, QStringLiteral("--endpoint"), endpoint()},
              QStringList{QStringLiteral("presets"), QStringLiteral("import"), file}}) {
            const CliRun r = runCli(args, env);
            if (args.first() == QLatin1String("presets") && mustMention.startsWith("SECRET_")) {
                // an import reads no secret: the expression is kept as written, never the variable's value
                QVERIFY2(r.exitCode == 0, r.err.constData());
                QVERIFY2(r.err.contains("kept as written"), r.err.constData());
                continue;
            }
            QVERIFY2(r.exitCode == 2,
                     qPrintable(args.first() + QLatin1Char(' ') + QString::number(r.exitCode) +
                                QLatin1Char(' ') + QString::fromUtf8(r.err)));
            QVERIFY2(r.err.contains(mustMention), r.err.constData());
            QVERIFY(!r.out.contains("any-variable-value") && !r.err.contains("any-variable-value"));
        }
        if (!mustMention.startsWith("SECRET_"))
            QCOMPARE(QDir(presetsDir()).entryList(QDir::Files).size(), presetsBefore); // nothing imported
        for (const QString &name : QDir(presetsDir()).entryList(QDir::Files))
            QVERIFY(!readAll(QDir(presetsDir()).filePath(name)).contains("any-variable-value"));
        QCOMPARE(m_server->requests().size(), 0);
    }

    void presetsImportRunExport()
    {
        QDir(presetsDir()).removeRecursively();
        CliRun r = runCli({QStringLiteral("presets"), QStringLiteral("import"),
                           flow(QStringLiteral("huggingface_inference_image.yaml"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("huggingface_inference_image"));
        // importing again does not silently share the name
        r = runCli({QStringLiteral("presets"), QStringLiteral("import"),
                    flow(QStringLiteral("huggingface_inference_image.yaml"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--name"), r.err.constData());

        r = runCli({QStringLiteral("presets"), QStringLiteral("list")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("huggingface_inference_image\t(generic)\tgoogle/vit-base-patch16-224"));

        r = runCli({QStringLiteral("presets"), QStringLiteral("show"),
                    QStringLiteral("huggingface_inference_image")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("sigmoid,"));

        // run: the same request as the flow
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        r = runCli({QStringLiteral("presets"), QStringLiteral("run"),
                    QStringLiteral("huggingface_inference_image"), QStringLiteral("--endpoint"), endpoint(),
                    QStringLiteral("--no-validate")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray base64 = readAll(flow(QStringLiteral("my-base64-image.txt")));
        QCOMPARE(ReplayServer::body(m_server->requests().last().toObject()), imageFlowBody(base64));
        r = runCli({QStringLiteral("presets"), QStringLiteral("run"),
                    QStringLiteral("huggingface_inference_image"), QStringLiteral("--endpoint"), endpoint()});
        QCOMPARE(r.exitCode, 2); // validation applies to presets too
        QCOMPARE(m_server->requests().size(), 1);

        // export in every format: never the token
        for (const QString &format : {QStringLiteral("kestra"), QStringLiteral("json"),
                                      QStringLiteral("curl"), QStringLiteral("python")}) {
            const QString out = m_data.filePath(QStringLiteral("export.") + format);
            r = runCli({QStringLiteral("presets"), QStringLiteral("export"),
                        QStringLiteral("huggingface_inference_image"), QStringLiteral("--format"), format,
                        QStringLiteral("--output"), out});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QByteArray text = readAll(out);
            QVERIFY2(!text.isEmpty(), qPrintable(format));
            QVERIFY2(!text.contains(kToken.toUtf8()), qPrintable(format));
            QVERIFY2(text.contains("google/vit-base-patch16-224"), qPrintable(format));
        }
        QVERIFY(readAll(m_data.filePath(QStringLiteral("export.kestra")))
                    .contains("apiKey: \"{{ secret('HUGGINGFACE_API_KEY') }}\""));
        QVERIFY(readAll(m_data.filePath(QStringLiteral("export.curl"))).contains("$HF_TOKEN"));
        // the exported Kestra flow runs as the original does
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        r = runCli({QStringLiteral("run"), m_data.filePath(QStringLiteral("export.kestra")),
                    QStringLiteral("--endpoint"), endpoint(), QStringLiteral("--no-validate")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(ReplayServer::body(m_server->requests().last().toObject()), imageFlowBody(base64));

        for (const QByteArray &content : [this] {
                 QList<QByteArray> all;
                 for (const QFileInfo &fi : QDir(presetsDir()).entryInfoList(QDir::Files))
                     all << readAll(fi.absoluteFilePath());
                 return all;
             }())
            QVERIFY(!content.contains(kToken.toUtf8()));

        r = runCli({QStringLiteral("presets"), QStringLiteral("export"),
                    QStringLiteral("huggingface_inference_image"), QStringLiteral("--format"),
                    QStringLiteral("perl")});
        QCOMPARE(r.exitCode, 2);
        r = runCli({QStringLiteral("presets"), QStringLiteral("show"), QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("huggingface_inference_image"), r.err.constData());
    }

    void presetWithEmbeddedImageSendsSameBytes()
    {
        QTemporaryDir dir;
        const QByteArray image = QByteArray::fromBase64(readAll(flow(QStringLiteral("my-base64-image.txt"))));
        const QString imagePath = dir.filePath(QStringLiteral("cat.jpg"));
        QVERIFY(writeAll(imagePath, image));
        idesk::InferenceRequest request;
        request.endpoint = endpoint();
        request.model = QStringLiteral("google/vit-base-patch16-224");
        request.task = QStringLiteral("image-classification");
        request.file = {imagePath, image, QStringLiteral("image/jpeg")};
        const QString presetFile = dir.filePath(QStringLiteral("cat-preset.json"));
        QString error;
        QVERIFY2(PresetStore::exportFile(Preset::fromRequest(QStringLiteral("Cat photo"), request),
                                         presetFile, &error),
                 qPrintable(error));
        QVERIFY(QFile::remove(imagePath)); // a colleague without the image file

        CliRun r = runCli({QStringLiteral("presets"), QStringLiteral("import"), presetFile});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(m_server->queueFile(
            QStringLiteral("image-classification/r2504_TIC_image_classification_hf-inference-1.json")));
        r = runCli({QStringLiteral("presets"), QStringLiteral("run"), QStringLiteral("Cat photo"),
                    QStringLiteral("--endpoint"), endpoint()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject sent = m_server->requests().last().toObject();
        QCOMPARE(ReplayServer::body(sent), image);
        QCOMPARE(ReplayServer::header(sent, QStringLiteral("content-type")), QStringLiteral("image/jpeg"));
        QCOMPARE(sent.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/models/google/vit-base-patch16-224"));
    }

    void exportMovesRetiredEndpointToRouter()
    {
        CliRun r = runCli({QStringLiteral("presets"), QStringLiteral("import"),
                           flow(QStringLiteral("mixed-tasks.yaml")), QStringLiteral("--replace")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("Skipped task 'start'"), r.err.constData());
        for (const QString &format :
             {QStringLiteral("curl"), QStringLiteral("python"), QStringLiteral("kestra")}) {
            r = runCli({QStringLiteral("presets"), QStringLiteral("export"), QStringLiteral("fill_mask"),
                        QStringLiteral("--format"), format});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY2(r.out.contains("https://router.huggingface.co/hf-inference/models"), r.out.constData());
            QVERIFY2(!r.out.contains("api-inference.huggingface.co"), r.out.constData());
            QVERIFY2(r.err.contains("retired"), r.err.constData());
        }
    }

    void corruptPresetIsListedAndKept()
    {
        QVERIFY(QDir().mkpath(presetsDir()));
        const QString broken = QDir(presetsDir()).absoluteFilePath(QStringLiteral("broken.json"));
        const QByteArray garbage = "{ this is not json";
        QVERIFY(writeAll(broken, garbage));
        CliRun r = runCli({QStringLiteral("presets"), QStringLiteral("list")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("BROKEN") && r.out.contains(broken.toUtf8()), r.out.constData());
        r = runCli({QStringLiteral("presets"), QStringLiteral("import"),
                    flow(QStringLiteral("huggingface_inference_text.yaml")), QStringLiteral("--name"),
                    QStringLiteral("broken")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(readAll(broken), garbage);
        r = runCli({QStringLiteral("presets"), QStringLiteral("list")});
        QVERIFY(r.out.contains("broken\t(generic)\tcardiffnlp/twitter-roberta-base-sentiment-latest"));
        QVERIFY(r.out.contains("BROKEN"));
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "TestCliRun.moc"
