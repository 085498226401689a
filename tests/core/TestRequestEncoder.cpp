// RequestEncoder: URL, headers and body per task and endpoint kind.
#include "RequestEncoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace idesk;

namespace {
QJsonObject bodyJson(const EncodedRequest &e)
{
    return QJsonDocument::fromJson(e.body).object();
}
InputFile png()
{
    return InputFile{QStringLiteral("/tmp/x.png"), QByteArray("\x89PNG\r\n\x1a\nfake", 12),
                     QStringLiteral("image/png")};
}
} // namespace

class TestRequestEncoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void kestraGenericForm()
    {
        InferenceRequest r;
        r.model = QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest");
        r.inputs = QStringLiteral("I want a refund");
        QString error;
        const EncodedRequest e = RequestEncoder::encode(r, &error);
        QVERIFY2(e.url.isValid(), qPrintable(error));
        QCOMPARE(e.url.toString(), QStringLiteral("https://router.huggingface.co/hf-inference/models/"
                                                  "cardiffnlp/twitter-roberta-base-sentiment-latest"));
        QCOMPARE(e.method, QByteArray("POST"));
        QCOMPARE(e.body, QByteArray(R"({"inputs":"I want a refund"})"));
        QCOMPARE(e.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(e.header("x-use-cache"), QByteArray("true"));
        QCOMPARE(e.header("x-wait-for-model"), QByteArray("false"));
        QVERIFY(e.header("User-Agent").startsWith("inference-desk/"));
        QVERIFY(e.header("Authorization").isEmpty()); // the client adds it, never the encoder
    }

    void parametersAndToggles()
    {
        InferenceRequest r;
        r.model = QStringLiteral("google/vit-base-patch16-224");
        r.inputs = QStringLiteral("aGVsbG8=");
        r.parameters = QJsonObject{{QStringLiteral("top_k"), 3},
                                   {QStringLiteral("function_to_apply"), QStringLiteral("sigmoid,")}};
        r.useCache = false;
        r.waitForModel = true;
        const EncodedRequest e = RequestEncoder::encode(r);
        QCOMPARE(
            bodyJson(e).value(QStringLiteral("parameters")).toObject().value(QStringLiteral("top_k")).toInt(),
            3);
        QCOMPARE(e.header("x-use-cache"), QByteArray("false"));
        QCOMPARE(e.header("x-wait-for-model"), QByteArray("true"));
    }

    void pipelineRouteOnRouterOnly_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("url");
        QTest::newRow("router feature-extraction")
            << InferenceRequest::defaultEndpoint() << "feature-extraction"
            << "https://router.huggingface.co/hf-inference/models/o/m/pipeline/feature-extraction";
        QTest::newRow("router text-classification")
            << InferenceRequest::defaultEndpoint() << "text-classification"
            << "https://router.huggingface.co/hf-inference/models/o/m";
        QTest::newRow("dedicated endpoint") << "https://x.endpoints.huggingface.cloud"
                                            << "feature-extraction"
                                            << "https://x.endpoints.huggingface.cloud/o/m";
        QTest::newRow("trailing slash")
            << "http://127.0.0.1:8080/hf-inference/models/"
            << "sentence-similarity"
            << "http://127.0.0.1:8080/hf-inference/models/o/m/pipeline/sentence-similarity";
    }
    void pipelineRouteOnRouterOnly()
    {
        QFETCH(QString, endpoint);
        QFETCH(QString, task);
        QFETCH(QString, url);
        InferenceRequest r;
        r.endpoint = endpoint;
        r.model = QStringLiteral("o/m");
        r.task = task;
        r.inputs =
            task == QLatin1String("sentence-similarity")
                ? QJsonValue(QJsonObject{{QStringLiteral("source_sentence"), QStringLiteral("a")},
                                         {QStringLiteral("sentences"), QJsonArray{QStringLiteral("b")}}})
                : QJsonValue(QStringLiteral("x"));
        QString error;
        QCOMPARE(RequestEncoder::encode(r, &error).url.toString(), url);
    }

    void imageWithoutParametersIsRawBytes()
    {
        InferenceRequest r;
        r.model = QStringLiteral("google/vit-base-patch16-224");
        r.task = QStringLiteral("image-classification");
        r.file = png();
        const EncodedRequest e = RequestEncoder::encode(r);
        QCOMPARE(e.body, png().bytes);
        QCOMPARE(e.header("Content-Type"), QByteArray("image/png"));
    }

    void imageWithParametersIsBase64Json()
    {
        InferenceRequest r;
        r.model = QStringLiteral("google/vit-base-patch16-224");
        r.task = QStringLiteral("image-classification");
        r.file = png();
        r.parameters = QJsonObject{{QStringLiteral("top_k"), 2}};
        const EncodedRequest e = RequestEncoder::encode(r);
        QCOMPARE(e.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(bodyJson(e).value(QStringLiteral("inputs")).toString(),
                 QString::fromLatin1(png().bytes.toBase64()));
    }

    void visualQuestionAnswering()
    {
        InferenceRequest r;
        r.model = QStringLiteral("dandelin/vilt-b32-finetuned-vqa");
        r.task = QStringLiteral("visual-question-answering");
        r.file = png();
        r.inputs = QJsonObject{{QStringLiteral("question"), QStringLiteral("Who is there?")}};
        const QJsonObject inputs =
            bodyJson(RequestEncoder::encode(r)).value(QStringLiteral("inputs")).toObject();
        QCOMPARE(inputs.value(QStringLiteral("question")).toString(), QStringLiteral("Who is there?"));
        QCOMPARE(inputs.value(QStringLiteral("image")).toString(),
                 QString::fromLatin1(png().bytes.toBase64()));
    }

    void structuredInputs_data()
    {
        QTest::addColumn<QString>("task");
        QTest::addColumn<QJsonValue>("inputs");
        QTest::addColumn<bool>("valid");
        QTest::newRow("qa") << "question-answering"
                            << QJsonValue(QJsonObject{{"question", "q"}, {"context", "c"}}) << true;
        QTest::newRow("qa missing context")
            << "question-answering" << QJsonValue(QJsonObject{{"question", "q"}}) << false;
        QTest::newRow("qa as string") << "question-answering" << QJsonValue(QStringLiteral("q")) << false;
        QTest::newRow("table") << "table-question-answering"
                               << QJsonValue(QJsonObject{{"query", "q"},
                                                         {"table", QJsonObject{{"a", QJsonArray{"1"}}}}})
                               << true;
        QTest::newRow("similarity") << "sentence-similarity"
                                    << QJsonValue(QJsonObject{{"source_sentence", "a"},
                                                              {"sentences", QJsonArray{"b"}}})
                                    << true;
    }
    void structuredInputs()
    {
        QFETCH(QString, task);
        QFETCH(QJsonValue, inputs);
        QFETCH(bool, valid);
        InferenceRequest r;
        r.model = QStringLiteral("o/m");
        r.task = task;
        r.inputs = inputs;
        QString error;
        const EncodedRequest e = RequestEncoder::encode(r, &error);
        QCOMPARE(e.url.isValid(), valid);
        if (valid)
            QCOMPARE(bodyJson(e).value(QStringLiteral("inputs")), inputs);
        else
            QVERIFY(error.contains(task));
    }

    void badRequests_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("needle");
        QTest::newRow("empty model") << ""
                                     << ""
                                     << ""
                                     << "No model";
        QTest::newRow("spaces") << "my model"
                                << ""
                                << ""
                                << "cannot be a model id";
        QTest::newRow("ftp endpoint") << "o/m"
                                      << "ftp://x/y"
                                      << ""
                                      << "not an http(s) URL";
        QTest::newRow("unknown task") << "o/m"
                                      << ""
                                      << "no-such-task"
                                      << "Unknown task";
        QTest::newRow("image task without image") << "o/m"
                                                  << ""
                                                  << "image-classification"
                                                  << "needs an image";
    }
    void badRequests()
    {
        QFETCH(QString, model);
        QFETCH(QString, endpoint);
        QFETCH(QString, task);
        QFETCH(QString, needle);
        InferenceRequest r;
        r.model = model;
        if (!endpoint.isEmpty())
            r.endpoint = endpoint;
        r.task = task;
        QString error;
        QVERIFY(!RequestEncoder::encode(r, &error).url.isValid());
        QVERIFY2(error.contains(needle), qPrintable(error));
    }

    void streamFlag()
    {
        InferenceRequest r;
        r.model = QStringLiteral("gpt2");
        r.task = QStringLiteral("text-generation");
        r.inputs = QStringLiteral("Once");
        r.stream = true;
        const EncodedRequest e = RequestEncoder::encode(r);
        QCOMPARE(bodyJson(e).value(QStringLiteral("stream")).toBool(), true);
        QCOMPARE(e.header("Accept"), QByteArray("text/event-stream"));
    }

    void retiredEndpointMigration()
    {
        InferenceRequest r;
        r.endpoint = QStringLiteral("https://api-inference.huggingface.co/models");
        QVERIFY(r.usesRetiredEndpoint());
        QCOMPARE(InferenceRequest::migratedEndpoint(r.endpoint), InferenceRequest::defaultEndpoint());
        r.endpoint = InferenceRequest::defaultEndpoint();
        QVERIFY(!r.usesRetiredEndpoint());
    }
};

QTEST_GUILESS_MAIN(TestRequestEncoder)
#include "TestRequestEncoder.moc"
