#include "TestConfig.h"

#include "KestraFlow.h"
#include "RequestEncoder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QVariant>
#include <QtTest>

using namespace idesk;

namespace {
const QString kToken = QStringLiteral("hf_test_token_never_written");

QString flowPath(const QString &name)
{
    return QStringLiteral(IDESK_TEST_DATA_DIR "/flows/") + name;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool isInteger(const QJsonValue &v)
{
    const int id = v.toVariant().typeId();
    return id == QMetaType::LongLong || id == QMetaType::Int;
}
} // namespace

class TestKestraFlow : public QObject
{
    Q_OBJECT

private:
    QStringList m_asked;
    KestraFlow::SecretResolver resolver()
    {
        return [this](const QString &name) -> std::optional<QString> {
            m_asked << name;
            return kToken;
        };
    }

    // Parses `yaml` written by an export back, from the seed folder (for read()).
    std::optional<KestraFlow> reparse(const QString &yaml, QString *error)
    {
        return KestraFlow::parse(yaml.toUtf8(), QStringLiteral(IDESK_TEST_DATA_DIR "/flows"), resolver(),
                                 error);
    }

private Q_SLOTS:
    void init() { m_asked.clear(); }

    void seedTextFlow()
    {
        QString error;
        const auto flow =
            KestraFlow::load(flowPath(QStringLiteral("huggingface_inference_text.yaml")), resolver(), &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->id, QStringLiteral("huggingface_inference_text"));
        QCOMPARE(flow->flowNamespace, QStringLiteral("company.team"));
        QCOMPARE(flow->tasks.size(), 1);
        QVERIFY(flow->skipped.isEmpty());
        const KestraTask &t = flow->tasks.first();
        QCOMPARE(t.id, QStringLiteral("huggingface_inference"));
        QCOMPARE(t.request.model, QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest"));
        QCOMPARE(t.request.inputs, QJsonValue(QStringLiteral("I want a refund")));
        QVERIFY(t.request.task.isEmpty());
        QVERIFY(t.request.parameters.isEmpty());
        QCOMPARE(t.request.endpoint, InferenceRequest::defaultEndpoint());
        QVERIFY(!t.endpointExplicit);
        QVERIFY(t.apiKeyExplicit);
        QCOMPARE(t.apiKeySecretName, QStringLiteral("HUGGINGFACE_API_KEY"));
        QCOMPARE(t.apiKeyExpression, QStringLiteral("{{ secret('HUGGINGFACE_API_KEY') }}"));
        QCOMPARE(t.apiKey, kToken);
        QCOMPARE(m_asked, QStringList{QStringLiteral("HUGGINGFACE_API_KEY")});
        QVERIFY(t.request.useCache);
        QVERIFY(!t.request.waitForModel);
        QCOMPARE(t.request.options, HttpOptions());
        QVERIFY(t.inputsFile.isEmpty());
        // the note explains why the router is used instead of Kestra's retired default
        QVERIFY(t.notes.join(QLatin1Char(' ')).contains(KestraFlow::kestraDefaultEndpoint()));
    }

    void seedImageFlow()
    {
        QString error;
        const auto flow = KestraFlow::load(flowPath(QStringLiteral("huggingface_inference_image.yaml")),
                                           resolver(), &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.size(), 1);
        const KestraTask &t = flow->tasks.first();
        QCOMPARE(t.id, QStringLiteral("huggingface_inference_image"));
        QCOMPARE(t.request.model, QStringLiteral("google/vit-base-patch16-224"));
        const QByteArray base64 = readAll(flowPath(QStringLiteral("my-base64-image.txt")));
        QVERIFY(base64.size() > 1000);
        QCOMPARE(t.request.inputs.toString().toUtf8(), base64); // the file's content, as Kestra sends it
        QVERIFY(!QByteArray::fromBase64(base64).isEmpty());
        QCOMPARE(t.inputsReadPath, QStringLiteral("my-base64-image.txt"));
        QCOMPARE(QFileInfo(t.inputsFile).canonicalFilePath(),
                 QFileInfo(flowPath(QStringLiteral("my-base64-image.txt"))).canonicalFilePath());
        QCOMPARE(t.request.parameters.size(), 2);
        QCOMPARE(t.request.parameters.value(QStringLiteral("function_to_apply")),
                 QJsonValue(QStringLiteral("sigmoid,")));
        QCOMPARE(t.request.parameters.value(QStringLiteral("top_k")), QJsonValue(3));
        QVERIFY(isInteger(t.request.parameters.value(QStringLiteral("top_k"))));
        QVERIFY(t.request.waitForModel);
        QVERIFY(!t.request.useCache);
        QCOMPARE(t.apiKey, kToken);
    }

    void roundTripSeedFlows_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("text") << QStringLiteral("huggingface_inference_text.yaml");
        QTest::newRow("image") << QStringLiteral("huggingface_inference_image.yaml");
        QTest::newRow("mixed") << QStringLiteral("mixed-tasks.yaml");
    }

    void roundTripSeedFlows()
    {
        QFETCH(QString, file);
        QString error;
        const auto flow = KestraFlow::load(flowPath(file), resolver(), &error);
        QVERIFY2(flow, qPrintable(error));
        const QString yaml = flow->toYaml();
        QVERIFY2(!yaml.contains(kToken), qPrintable(yaml));
        QVERIFY(yaml.contains(QStringLiteral("type: io.kestra.plugin.huggingface.Inference")));
        QVERIFY(yaml.contains(QStringLiteral("endpoint: ")));

        const auto again = reparse(yaml, &error);
        QVERIFY2(again, qPrintable(error + QLatin1Char('\n') + yaml));
        QCOMPARE(again->id, flow->id);
        QCOMPARE(again->flowNamespace, flow->flowNamespace);
        QCOMPARE(again->taskIds(), flow->taskIds());
        for (int i = 0; i < flow->tasks.size(); ++i) {
            const KestraTask &a = flow->tasks.at(i);
            const KestraTask &b = again->tasks.at(i);
            QCOMPARE(b.request.model, a.request.model);
            QCOMPARE(b.request.inputs, a.request.inputs);
            QCOMPARE(b.request.parameters, a.request.parameters);
            for (auto it = a.request.parameters.begin(); it != a.request.parameters.end(); ++it)
                QCOMPARE(b.request.parameters.value(it.key()).toVariant().typeId(),
                         it.value().toVariant().typeId());
            QCOMPARE(b.request.endpoint, a.request.endpoint);
            QVERIFY(b.endpointExplicit); // always written out
            QCOMPARE(b.request.useCache, a.request.useCache);
            QCOMPARE(b.request.waitForModel, a.request.waitForModel);
            QCOMPARE(b.request.options, a.request.options);
            QCOMPARE(b.request, a.request);
            QCOMPARE(b.apiKeySecretName, a.apiKeySecretName);
            QCOMPARE(b.inputsReadPath, a.inputsReadPath);
        }
        // and writing it again gives the same text: nothing drifts
        QCOMPARE(again->toYaml(), yaml);
    }

    void imageFlowExportKeepsReadAndSecret()
    {
        QString error;
        const auto flow = KestraFlow::load(flowPath(QStringLiteral("huggingface_inference_image.yaml")),
                                           resolver(), &error);
        QVERIFY2(flow, qPrintable(error));
        const QString yaml = flow->toYaml();
        QVERIFY2(yaml.contains(QStringLiteral("apiKey: \"{{ secret('HUGGINGFACE_API_KEY') }}\"")),
                 qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("inputs: \"{{ read('my-base64-image.txt') }}\"")),
                 qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("function_to_apply: sigmoid,")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("top_k: 3\n")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("endpoint: https://router.huggingface.co/hf-inference/models")),
                 qPrintable(yaml));
        QVERIFY(yaml.contains(QStringLiteral("waitForModel: true")));
        QVERIFY(yaml.contains(QStringLiteral("useCache: false")));
        QVERIFY2(!yaml.contains(QStringLiteral("options:")), qPrintable(yaml)); // only non-default options
    }

    void mixedFlow()
    {
        QString error;
        const auto flow = KestraFlow::load(flowPath(QStringLiteral("mixed-tasks.yaml")), resolver(), &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->taskIds(), (QStringList{QStringLiteral("sentiment"), QStringLiteral("fill_mask")}));
        QCOMPARE(flow->skipped.size(), 2);
        QCOMPARE(flow->skipped.at(0).id, QStringLiteral("start"));
        QCOMPARE(flow->skipped.at(0).type, QStringLiteral("io.kestra.plugin.core.log.Log"));
        QCOMPARE(flow->skipped.at(1).id, QStringLiteral("parallel"));
        QCOMPARE(m_asked.first(), QStringLiteral("MY_HF_KEY"));

        const KestraTask &s = flow->tasks.at(0);
        QCOMPARE(s.request.inputs, QJsonValue(QStringLiteral("I am hungry")));
        QCOMPARE(s.apiKeySecretName, QStringLiteral("MY_HF_KEY"));

        const KestraTask &f = flow->tasks.at(1);
        QVERIFY(f.endpointExplicit);
        QCOMPARE(f.request.endpoint, KestraFlow::kestraDefaultEndpoint()); // kept as written...
        QVERIFY(f.request.usesRetiredEndpoint());                          // ...and flagged
        QVERIFY(f.notes.join(QLatin1Char(' ')).contains(InferenceRequest::defaultEndpoint()));
        const QJsonObject p = f.request.parameters;
        QVERIFY(isInteger(p.value(QStringLiteral("top_k"))));
        QCOMPARE(p.value(QStringLiteral("top_k")).toInt(), 5);
        QCOMPARE(p.value(QStringLiteral("temperature")).toDouble(), 0.5);
        // JSON (and QJsonValue) keeps no difference between 1.0 and 1: the body carries the number 1
        QCOMPARE(p.value(QStringLiteral("ratio")).toDouble(), 1.0);
        QCOMPARE(p.value(QStringLiteral("flag")), QJsonValue(true));
        QCOMPARE(p.value(QStringLiteral("quoted_number")), QJsonValue(QStringLiteral("3")));
        QCOMPARE(p.value(QStringLiteral("labels")),
                 QJsonValue(QJsonArray{QStringLiteral("a"), QStringLiteral("b")}));
        QVERIFY(p.value(QStringLiteral("nothing")).isNull());
        QCOMPARE(f.request.options.readTimeoutMs, 30000);
        QCOMPARE(f.request.options.connectTimeoutMs, 5000);
        QCOMPARE(f.request.options.maxContentLength, 2048);
        QCOMPARE(f.request.options.defaultCharset, QStringLiteral("ISO-8859-1"));
        QCOMPARE(f.request.options.readIdleTimeoutMs, HttpOptions().readIdleTimeoutMs);

        const QString yaml = flow->toYaml();
        QVERIFY2(yaml.contains(QStringLiteral("readTimeout: PT30S")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("connectTimeout: PT5S")), qPrintable(yaml));
        QVERIFY2(!yaml.contains(QStringLiteral("readIdleTimeout")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("quoted_number: \"3\"")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("temperature: 0.5")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("secret('MY_HF_KEY')")), qPrintable(yaml));
    }

    void noResolverLeavesTokenEmpty()
    {
        QString error;
        const auto flow =
            KestraFlow::load(flowPath(QStringLiteral("huggingface_inference_text.yaml")), {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QVERIFY(flow->tasks.first().apiKey.isEmpty());
        QCOMPARE(flow->tasks.first().apiKeySecretName, QStringLiteral("HUGGINGFACE_API_KEY"));
    }

    void brokenFlows_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("mustMention");
        QTest::newRow("syntax") << QStringLiteral("syntax-error.yaml")
                                << QStringList{QStringLiteral("not valid YAML"), QStringLiteral("line 8")};
        QTest::newRow("no inference task")
            << QStringLiteral("no-inference-task.yaml")
            << QStringList{QStringLiteral("io.kestra.plugin.huggingface.Inference"), QStringLiteral("hello")};
        QTest::newRow("missing model") << QStringLiteral("missing-model.yaml")
                                       << QStringList{QStringLiteral("no model"), QStringLiteral("model:")};
        QTest::newRow("missing inputs")
            << QStringLiteral("missing-inputs.yaml")
            << QStringList{QStringLiteral("no inputs"), QStringLiteral("inputs:")};
        QTest::newRow("unknown expression")
            << QStringLiteral("unknown-expression.yaml")
            << QStringList{QStringLiteral("{{ outputs.fetch.body }}"), QStringLiteral("inputs")};
        QTest::newRow("missing read file")
            << QStringLiteral("missing-read-file.yaml")
            << QStringList{QStringLiteral("no-such-image.txt"), QStringLiteral("next to the flow")};
    }

    void brokenFlows()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, mustMention);
        QString error;
        const auto flow = KestraFlow::load(flowPath(file), resolver(), &error);
        QVERIFY(!flow);
        for (const QString &s : mustMention)
            QVERIFY2(error.contains(s), qPrintable(error));
        QVERIFY2(error.contains(file), qPrintable(error)); // names the flow
    }

    void unreadableFlowFile()
    {
        QString error;
        QVERIFY(!KestraFlow::load(QStringLiteral("/nonexistent/flow.yaml"), resolver(), &error));
        QVERIFY2(error.contains(QStringLiteral("/nonexistent/flow.yaml")), qPrintable(error));
    }

    void booleansAndBadValues()
    {
        const QByteArray base =
            "id: f\nnamespace: n\ntasks:\n- id: t\n  type: io.kestra.plugin.huggingface.Inference\n"
            "  model: m\n  inputs: hello\n";
        QString error;
        auto flow = KestraFlow::parse(base + "  waitForModel: \"true\"\n  useCache: \"false\"\n", QString(),
                                      {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QVERIFY(flow->tasks.first().request.waitForModel);
        QVERIFY(!flow->tasks.first().request.useCache);
        QVERIFY(!flow->tasks.first().apiKeyExplicit);

        QVERIFY(!KestraFlow::parse(base + "  useCache: maybe\n", QString(), {}, &error));
        QVERIFY2(error.contains(QStringLiteral("useCache")) && error.contains(QStringLiteral("maybe")),
                 qPrintable(error));
        QVERIFY(!KestraFlow::parse(base + "  options:\n    readTimeout: soon\n", QString(), {}, &error));
        QVERIFY2(error.contains(QStringLiteral("options.readTimeout")), qPrintable(error));
        // Issue 19: PT0S is not "no limit": refused with a sentence, as the CLI refuses --read-timeout 0
        QVERIFY(!KestraFlow::parse(base + "  options:\n    readTimeout: PT0S\n", QString(), {}, &error));
        QVERIFY2(error.contains(QStringLiteral("options.readTimeout")) &&
                     error.contains(QStringLiteral("zero")),
                 qPrintable(error));
        QVERIFY(!KestraFlow::parse(base + "  options:\n    connectTimeout: 0s\n", QString(), {}, &error));
        QVERIFY2(error.contains(QStringLiteral("options.connectTimeout")), qPrintable(error));
        flow = KestraFlow::parse(base + "  options:\n    connectionPoolIdleTimeout: PT0S\n", QString(), {},
                                 &error);
        QVERIFY2(flow, qPrintable(error));
        QVERIFY(!KestraFlow::parse(base + "  parameters:\n    top_k: \"{{ inputs.k }}\"\n", QString(), {},
                                   &error));
        QVERIFY2(error.contains(QStringLiteral("{{ inputs.k }}")), qPrintable(error));

        // a literal apiKey is the token: used, but never taken for "the expression"
        flow = KestraFlow::parse(base + "  apiKey: hf_literal\n", QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.first().apiKey, QStringLiteral("hf_literal"));
        QVERIFY(flow->tasks.first().apiKeyExpression.isEmpty());
        QVERIFY(!flow->toYaml().contains(QStringLiteral("hf_literal")));

        // a disabled task is listed as skipped
        flow =
            KestraFlow::parse(base + "- id: off\n  type: io.kestra.plugin.huggingface.Inference\n  model: m\n"
                                     "  inputs: x\n  disabled: true\n",
                              QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.size(), 1);
        QCOMPARE(flow->skipped.size(), 1);
        QCOMPARE(flow->skipped.first().id, QStringLiteral("off"));
    }

    void exportRequest()
    {
        InferenceRequest r;
        r.model = QStringLiteral("facebook/bart-large-mnli");
        r.inputs = QStringLiteral("Line one\nline \"two\" with {braces}");
        r.parameters.insert(QStringLiteral("candidate_labels"),
                            QJsonArray{QStringLiteral("refund"), QStringLiteral("legal")});
        r.parameters.insert(QStringLiteral("multi_label"), true);
        r.parameters.insert(QStringLiteral("threshold"), 0.25);
        r.parameters.insert(QStringLiteral("word"), QStringLiteral("yes"));
        r.useCache = false;
        r.waitForModel = true;
        r.options.readTimeoutMs = 60000;
        r.options.connectionPoolIdleTimeoutMs = 1500;
        const QString yaml = KestraFlow::toFlowYaml(r, QStringLiteral("my_flow"), QStringLiteral("team.ml"),
                                                    QStringLiteral("classify"));
        QVERIFY2(yaml.contains(QStringLiteral("apiKey: \"{{ secret('HUGGINGFACE_API_KEY') }}\"")),
                 qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("endpoint: https://router.huggingface.co/hf-inference/models")),
                 qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("readTimeout: PT1M")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("connectionPoolIdleTimeout: PT1.5S")), qPrintable(yaml));
        QString error;
        const auto flow = KestraFlow::parse(yaml.toUtf8(), QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error + QLatin1Char('\n') + yaml));
        QCOMPARE(flow->id, QStringLiteral("my_flow"));
        QCOMPARE(flow->flowNamespace, QStringLiteral("team.ml"));
        QCOMPARE(flow->tasks.first().id, QStringLiteral("classify"));
        QCOMPARE(flow->tasks.first().request, r);
    }

    void exportSaysWhatKestraCannotExpress()
    {
        InferenceRequest r;
        r.model = QStringLiteral("sentence-transformers/all-MiniLM-L6-v2");
        r.task = QStringLiteral("feature-extraction");
        r.inputs = QStringLiteral("Today is a sunny day");
        const QString yaml = KestraFlow::toFlowYaml(r);
        QVERIFY2(yaml.contains(QStringLiteral("/pipeline/feature-extraction")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("\n\ntasks:\n")), qPrintable(yaml));
        QString error;
        QVERIFY2(KestraFlow::parse(yaml.toUtf8(), QString(), {}, &error),
                 qPrintable(error)); // comments parse
    }

    // A chat preset as the app makes it: a system prompt, tools, a provider suffix, non-default options.
    static InferenceRequest chatRequest()
    {
        InferenceRequest r;
        r.task = QStringLiteral("chat-completion");
        r.endpoint = QStringLiteral("https://router.huggingface.co");
        r.model = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct:cerebras");
        r.inputs = QJsonArray{
            QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                        {QStringLiteral("content"), QStringLiteral("You answer in \"one\" line.")}},
            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                        {QStringLiteral("content"), QStringLiteral("Weather in Paris?")}}};
        const QJsonObject weather{
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"),
             QJsonObject{{QStringLiteral("name"), QStringLiteral("get_weather")},
                         {QStringLiteral("parameters"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                      {QStringLiteral("properties"),
                                       QJsonObject{{QStringLiteral("city"),
                                                    QJsonObject{{QStringLiteral("type"),
                                                                 QStringLiteral("string")}}}}}}}}}};
        r.parameters = QJsonObject{{QStringLiteral("max_tokens"), 200},
                                   {QStringLiteral("temperature"), 0.3},
                                   {QStringLiteral("tools"), QJsonArray{weather}}};
        r.useCache = false;
        r.waitForModel = true;
        r.options.readTimeoutMs = 120000;
        r.options.connectTimeoutMs = 5000;
        return r;
    }

    // The JSON of the body block: from "body: |" to the options (or the end).
    static QJsonObject bodyOf(const QString &yaml)
    {
        const qsizetype start = yaml.indexOf(QLatin1String("body: |"));
        if (start < 0)
            return {};
        const qsizetype open = yaml.indexOf(QLatin1Char('{'), start);
        const qsizetype end = yaml.indexOf(QLatin1String("\n    options:"), start);
        return QJsonDocument::fromJson(yaml.mid(open, (end < 0 ? yaml.size() : end) - open).toUtf8())
            .object();
    }

    void exportChatAsHttpRequest()
    {
        InferenceRequest r = chatRequest();
        r.stream = true; // the app streams chats; the flow reads the whole answer
        KestraExportOptions options;
        options.taskId = QStringLiteral("ask");
        options.secretName = QStringLiteral("MY_HF_KEY");
        const QString yaml = KestraFlow::toFlowYaml(r, options);
        QVERIFY2(yaml.contains(QStringLiteral("type: io.kestra.plugin.core.http.Request")), qPrintable(yaml));
        QVERIFY2(!yaml.contains(QStringLiteral("io.kestra.plugin.huggingface.Inference")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("uri: https://router.huggingface.co/v1/chat/completions\n")),
                 qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("method: POST\n")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("contentType: application/json\n")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("Authorization: \"Bearer {{ secret('MY_HF_KEY') }}\"")),
                 qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("x-use-cache: \"false\"")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("x-wait-for-model: \"true\"")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("readTimeout: PT2M")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("connectTimeout: PT5S")), qPrintable(yaml));
        QVERIFY2(!yaml.contains(QStringLiteral("readIdleTimeout")), qPrintable(yaml)); // default left out
        QVERIFY2(yaml.contains(QStringLiteral("outputs.ask.body")), qPrintable(yaml));
        QVERIFY2(!yaml.contains(QStringLiteral("cannot express")), qPrintable(yaml));
        QVERIFY2(!yaml.contains(QStringLiteral("apiKey:")), qPrintable(yaml));

        // the body is the encoder's, stream aside, pretty-printed in a block
        InferenceRequest sent = r;
        sent.stream = false;
        const QJsonObject expected = QJsonDocument::fromJson(RequestEncoder::encode(sent).body).object();
        QVERIFY(!expected.isEmpty());
        QCOMPARE(bodyOf(yaml), expected);
        QVERIFY(!bodyOf(yaml).contains(QStringLiteral("stream")));
        QCOMPARE(bodyOf(yaml).value(QStringLiteral("model")).toString(),
                 QStringLiteral("meta-llama/Llama-3.1-8B-Instruct:cerebras"));
        QVERIFY2(yaml.contains(QStringLiteral("body: |\n")), qPrintable(yaml));

        // and back: the same request, stream aside
        QString error;
        m_asked.clear();
        const auto flow = KestraFlow::parse(yaml.toUtf8(), QString(), resolver(), &error);
        QVERIFY2(flow, qPrintable(error + QLatin1Char('\n') + yaml));
        QCOMPARE(flow->tasks.size(), 1);
        QVERIFY(flow->skipped.isEmpty());
        const KestraTask &t = flow->tasks.first();
        QCOMPARE(t.id, QStringLiteral("ask"));
        QCOMPARE(t.request, sent);
        QCOMPARE(t.apiKeySecretName, QStringLiteral("MY_HF_KEY"));
        QCOMPARE(t.apiKey, kToken);
        QVERIFY(t.apiKeyExplicit);
        QVERIFY(t.endpointExplicit);
        QCOMPARE(m_asked, QStringList{QStringLiteral("MY_HF_KEY")});
        // written again: nothing drifts
        QCOMPARE(flow->toYaml(), KestraFlow::toFlowYaml(sent, options));
    }

    void exportChatEndpoints_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("importedEndpoint");
        QTest::newRow("router root") << QStringLiteral("https://router.huggingface.co")
                                     << QStringLiteral("https://router.huggingface.co/v1/chat/completions")
                                     << QStringLiteral("https://router.huggingface.co");
        // the default endpoint sends chat to the router root: imported as that root
        QTest::newRow("default endpoint")
            << InferenceRequest::defaultEndpoint()
            << QStringLiteral("https://router.huggingface.co/v1/chat/completions")
            << QStringLiteral("https://router.huggingface.co");
        QTest::newRow("per-model layout")
            << QStringLiteral("http://127.0.0.1:8080/models")
            << QStringLiteral(
                   "http://127.0.0.1:8080/models/meta-llama/Llama-3.1-8B-Instruct/v1/chat/completions")
            << QStringLiteral("http://127.0.0.1:8080/models");
        QTest::newRow("own server") << QStringLiteral("https://tgi.example.com/api")
                                    << QStringLiteral("https://tgi.example.com/api/v1/chat/completions")
                                    << QStringLiteral("https://tgi.example.com/api");
    }

    void exportChatEndpoints()
    {
        QFETCH(QString, endpoint);
        QFETCH(QString, uri);
        QFETCH(QString, importedEndpoint);
        InferenceRequest r = chatRequest();
        r.endpoint = endpoint;
        const QString yaml = KestraFlow::toFlowYaml(r);
        QVERIFY2(yaml.contains(QStringLiteral("uri: ") + uri + QLatin1Char('\n')), qPrintable(yaml));
        QString error;
        const auto flow = KestraFlow::parse(yaml.toUtf8(), QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.first().request.endpoint, importedEndpoint);
        QCOMPARE(RequestEncoder::encode(flow->tasks.first().request).url.toString(), uri);
        r.endpoint = importedEndpoint;
        QCOMPARE(flow->tasks.first().request, r);
    }

    void exportCompletionsRouteAsHttpRequest()
    {
        InferenceRequest r;
        r.task = QStringLiteral("text-generation");
        r.route = TextGenerationRoute::Completions;
        r.endpoint = InferenceRequest::defaultEndpoint();
        r.model = QStringLiteral("openai-community/gpt2");
        r.inputs = QStringLiteral("Once upon a time");
        r.parameters = QJsonObject{{QStringLiteral("max_new_tokens"), 12},
                                   {QStringLiteral("return_full_text"), false},
                                   {QStringLiteral("temperature"), 0.5}};
        const QString yaml = KestraFlow::toFlowYaml(r);
        QVERIFY2(yaml.contains(QStringLiteral("type: io.kestra.plugin.core.http.Request")), qPrintable(yaml));
        QVERIFY2(
            yaml.contains(QStringLiteral(
                "uri: "
                "https://router.huggingface.co/hf-inference/models/openai-community/gpt2/v1/completions\n")),
            qPrintable(yaml));
        const QJsonObject body = bodyOf(yaml);
        QCOMPARE(body.value(QStringLiteral("prompt")).toString(), QStringLiteral("Once upon a time"));
        QCOMPARE(body.value(QStringLiteral("max_tokens")).toInt(), 12);
        QCOMPARE(body.value(QStringLiteral("echo")), QJsonValue(false));
        QVERIFY(!body.contains(QStringLiteral("max_new_tokens")));
        QVERIFY2(!yaml.contains(QStringLiteral("x-use-cache")), qPrintable(yaml)); // defaults left out
        QVERIFY2(!yaml.contains(QStringLiteral("options:")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("completions route")), qPrintable(yaml));

        QString error;
        const auto flow = KestraFlow::parse(yaml.toUtf8(), QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error + QLatin1Char('\n') + yaml));
        QCOMPARE(flow->tasks.first().request, r);
        QVERIFY(flow->tasks.first().request.usesCompletionsRoute());
    }

    void pebbleInBodySurvivesRoundTrip()
    {
        InferenceRequest r = chatRequest();
        r.inputs = QJsonArray{QJsonObject{
            {QStringLiteral("role"), QStringLiteral("user")},
            {QStringLiteral("content"),
             QStringLiteral("Explain {{ outputs.x.body }} and {% if a %}, even {% endraw %} in Pebble.")}}};
        const QString yaml = KestraFlow::toFlowYaml(r);
        QVERIFY2(yaml.contains(QStringLiteral("{% raw %}")), qPrintable(yaml));
        QString error;
        const auto flow = KestraFlow::parse(yaml.toUtf8(), QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error + QLatin1Char('\n') + yaml));
        QCOMPARE(flow->tasks.first().request, r);

        // the Inference task's inputs are protected the same way
        InferenceRequest plain;
        plain.model = QStringLiteral("m/x");
        plain.inputs = QStringLiteral("literal {{ braces }}");
        const QString inferenceYaml = KestraFlow::toFlowYaml(plain);
        QVERIFY2(inferenceYaml.contains(QStringLiteral("{% raw %}literal {{ braces }}{% endraw %}")),
                 qPrintable(inferenceYaml));
        const auto back = KestraFlow::parse(inferenceYaml.toUtf8(), QString(), {}, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->tasks.first().request.inputs, plain.inputs);
    }

    void parameterTextAndSeparatorsSurviveKestra()
    {
        // A parameter's text with template syntax ({{, {%, {#) goes inside a raw block, as inputs do.
        InferenceRequest generation;
        generation.model = QStringLiteral("m/x");
        generation.task = QStringLiteral("text-generation");
        generation.inputs = QStringLiteral("Once");
        generation.parameters = QJsonObject{
            {QStringLiteral("stop"), QJsonArray{QStringLiteral("{{ x }}"), QStringLiteral("C# {# region")}}};
        const QString yaml = KestraFlow::toFlowYaml(generation);
        QVERIFY2(yaml.contains(QStringLiteral("{% raw %}{{ x }}{% endraw %}")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("{% raw %}C# {# region{% endraw %}")), qPrintable(yaml));
        QString error;
        const auto back = KestraFlow::parse(yaml.toUtf8(), QString(), {}, &error);
        QVERIFY2(back, qPrintable(error + QLatin1Char('\n') + yaml));
        QCOMPARE(back->tasks.first().request.parameters, generation.parameters);

        // Line and paragraph separators in a chat body are written as JSON escapes (a YAML 1.1 parser
        // breaks lines there), and come back as the same characters.
        InferenceRequest chat = chatRequest();
        const QString text = QStringLiteral("one") + QChar(0x2028) + QStringLiteral("two") + QChar(0x2029) +
                             QStringLiteral("three") + QChar(0x85);
        chat.inputs = QJsonArray{
            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), text}}};
        const QString chatYaml = KestraFlow::toFlowYaml(chat);
        QVERIFY(!chatYaml.contains(QChar(0x2028)) && !chatYaml.contains(QChar(0x2029)) &&
                !chatYaml.contains(QChar(0x85)));
        QVERIFY2(chatYaml.contains(QStringLiteral("one\\u2028two\\u2029three\\u0085")), qPrintable(chatYaml));
        const auto chatBack = KestraFlow::parse(chatYaml.toUtf8(), QString(), {}, &error);
        QVERIFY2(chatBack, qPrintable(error));
        QCOMPARE(chatBack->tasks.first().request, chat);
    }

    void tokenNeverInHttpTask()
    {
        QString error;
        const QByteArray flowText =
            "id: f\nnamespace: n\ntasks:\n- id: chat\n  type: io.kestra.plugin.core.http.Request\n"
            "  uri: https://router.huggingface.co/v1/chat/completions\n  method: POST\n"
            "  headers:\n    Authorization: \"Bearer {{ secret('HUGGINGFACE_API_KEY') }}\"\n"
            "  body: '{\"model\": \"m/x\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}'\n";
        auto flow = KestraFlow::parse(flowText, QString(), resolver(), &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.first().apiKey, kToken);
        QVERIFY(!flow->toYaml().contains(kToken));
        QVERIFY(!KestraFlow::toFlowYaml(flow->tasks.first().request).contains(kToken));

        // a literal token in the header is used, never written back
        const QByteArray literal =
            QByteArray(flowText).replace("{{ secret('HUGGINGFACE_API_KEY') }}", "hf_"
                                                                                "literalfake");
        flow = KestraFlow::parse(literal, QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.first().apiKey, QStringLiteral("hf_"
                                                            "literalfake"));
        QVERIFY(flow->tasks.first().apiKeyExpression.isEmpty());
        const QString yaml = flow->toYaml();
        QVERIFY2(!yaml.contains(QStringLiteral("literalfake")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("secret('HUGGINGFACE_API_KEY')")), qPrintable(yaml));
    }

    void httpRequestImportRules()
    {
        const QByteArray head =
            "id: f\nnamespace: n\ntasks:\n- id: t\n  type: io.kestra.plugin.core.http.Request\n";
        const QByteArray chatBody =
            "  body: '{\"model\": \"m/x\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}'\n";
        const QByteArray inference =
            "- id: i\n  type: io.kestra.plugin.huggingface.Inference\n  model: m\n  inputs: hello\n";
        QString error;
        // a GET, or a POST elsewhere, stays skipped with a reason
        auto flow =
            KestraFlow::parse(head + "  uri: https://example.com/api\n" + inference, QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->skipped.size(), 1);
        QCOMPARE(flow->skipped.first().type, KestraFlow::httpRequestType());
        QVERIFY(!flow->skipped.first().reason.isEmpty());
        flow = KestraFlow::parse(head + "  uri: https://router.huggingface.co/v1/chat/completions\n" +
                                     chatBody + inference,
                                 QString(), {}, &error); // no method: Kestra's GET
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->taskIds(), QStringList{QStringLiteral("i")});
        QCOMPARE(flow->skipped.size(), 1);

        // an expression in the body: refused, named
        const QByteArray post =
            head + "  uri: https://router.huggingface.co/v1/chat/completions\n  method: POST\n";
        QVERIFY(
            !KestraFlow::parse(post + "  body: '{\"model\": \"m/x\", \"messages\": {{ outputs.a.body }}}'\n",
                               QString(), {}, &error, QStringLiteral("chat.yaml")));
        QVERIFY2(error.contains(QStringLiteral("{{ outputs.a.body }}")) &&
                     error.contains(QStringLiteral("body")) && error.contains(QStringLiteral("chat.yaml")),
                 qPrintable(error));
        // a body that is not JSON: refused
        QVERIFY(!KestraFlow::parse(post + "  body: not json\n", QString(), {}, &error));
        QVERIFY2(error.contains(QStringLiteral("JSON")), qPrintable(error));
        // a chat Request alone makes a flow that runs
        flow = KestraFlow::parse(post + chatBody, QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.first().request.task, QStringLiteral("chat-completion"));
        QVERIFY(!flow->tasks.first().apiKeyExplicit);
    }

    void exportBinaryInput()
    {
        InferenceRequest r;
        r.model = QStringLiteral("google/vit-base-patch16-224");
        r.task = QStringLiteral("image-classification");
        r.file.path = QStringLiteral("/tmp/cat.jpg");
        r.file.bytes = QByteArray::fromBase64(readAll(flowPath(QStringLiteral("my-base64-image.txt"))));
        r.file.mimeType = QStringLiteral("image/jpeg");
        QString yaml = KestraFlow::toFlowYaml(r);
        QString error;
        auto flow = KestraFlow::parse(yaml.toUtf8(), QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.first().request.inputs.toString().toLatin1(), r.file.bytes.toBase64());

        KestraExportOptions options;
        options.binaryAsReadFile = true;
        yaml = KestraFlow::toFlowYaml(r, options);
        QVERIFY2(yaml.contains(QStringLiteral("inputs: \"{{ read('cat.jpg.base64') }}\"")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("base64 -w0 /tmp/cat.jpg > cat.jpg.base64")), qPrintable(yaml));
    }
};

QTEST_GUILESS_MAIN(TestKestraFlow)
#include "TestKestraFlow.moc"
