// Issue 14: a provider request exported to Kestra is a core HTTP Request task posting the provider's own
// body to {router}/{provider}/... (the Inference task reaches only hf-inference), and it imports back.
#include "KestraFlow.h"
#include "ServiceBases.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace idesk;

class TestProviderFlow : public QObject
{
    Q_OBJECT

    static KestraTask roundTrip(const InferenceRequest &request, const ProviderMappingEntry &mapping,
                                QString *yaml)
    {
        KestraExportOptions options;
        options.providerMapping = mapping;
        *yaml = KestraFlow::toFlowYaml(request, options);
        QString error;
        const auto flow = KestraFlow::parse(yaml->toUtf8(), QDir::tempPath(), {}, &error);
        if (!flow || flow->tasks.size() != 1) {
            qWarning("%s\n%s", qPrintable(error), qPrintable(*yaml));
            return {};
        }
        return flow->tasks.first();
    }

    static ProviderMappingEntry entry(const QString &provider, const QString &providerId)
    {
        ProviderMappingEntry e;
        e.provider = provider;
        e.providerId = providerId;
        e.status = QStringLiteral("live");
        return e;
    }

private Q_SLOTS:
    void initTestCase() { ServiceBases::setRouterOverride(QStringLiteral("http://router.test")); }
    void cleanupTestCase() { ServiceBases::setRouterOverride(QString()); }

    void falTextToImageExportsAndImportsBack()
    {
        InferenceRequest r;
        r.provider = QStringLiteral("auto");
        r.model = QStringLiteral("black-forest-labs/FLUX.1-dev");
        r.task = QStringLiteral("text-to-image");
        r.inputs = QStringLiteral("a cat");
        r.parameters = QJsonObject{{QStringLiteral("num_inference_steps"), 4}};
        QString yaml;
        const KestraTask task =
            roundTrip(r, entry(QStringLiteral("fal-ai"), QStringLiteral("fal-ai/flux/dev")), &yaml);
        QVERIFY2(yaml.contains(QLatin1String("type: io.kestra.plugin.core.http.Request")), qPrintable(yaml));
        QVERIFY2(
            yaml.contains(QLatin1String("uri: http://router.test/fal-ai/fal-ai/flux/dev?_subdomain=queue")),
            qPrintable(yaml));
        QVERIFY2(yaml.contains(QLatin1String("\"prompt\": \"a cat\"")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QLatin1String("queue ticket")), qPrintable(yaml));
        QCOMPARE(task.request.provider, QStringLiteral("fal-ai"));
        QCOMPARE(task.request.model, r.model);
        QCOMPARE(task.request.task, r.task);
        QCOMPARE(task.request.inputs, r.inputs);
        QCOMPARE(task.request.parameters, r.parameters);
        QCOMPARE(task.providerMapping.providerId, QStringLiteral("fal-ai/flux/dev"));
        QCOMPARE(task.apiKeySecretName, QStringLiteral("HUGGINGFACE_API_KEY"));
        // Written again from the imported task: the same flow.
        KestraFlow again;
        again.tasks << task;
        again.id = QStringLiteral("inference_desk");
        again.flowNamespace = QStringLiteral("company.team");
        QCOMPARE(again.toYaml().section(QStringLiteral("\ntasks:"), 1),
                 yaml.section(QStringLiteral("\ntasks:"), 1));
    }

    void otherProvidersImportBack_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("providerId");
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("needle");
        QTest::newRow("replicate pinned") << "replicate"
                                          << "bytedance/sdxl-lightning-4step:5599ed30"
                                          << "text-to-image"
                                          << "Prefer: \"wait\"";
        QTest::newRow("together steps") << "together"
                                        << "black-forest-labs/FLUX.1-schnell"
                                        << "text-to-image"
                                        << "\"steps\": 4";
        QTest::newRow("novita video") << "novita"
                                      << "wan-t2v"
                                      << "text-to-video"
                                      << "/novita/v3/async/wan-t2v";
        QTest::newRow("scaleway embeddings") << "scaleway"
                                             << "bge"
                                             << "feature-extraction"
                                             << "\"input\": \"a cat\"";
        QTest::newRow("fal-ai image-to-image") << "fal-ai"
                                               << "fal-ai/flux/dev/image-to-image"
                                               << "image-to-image"
                                               << "image_url";
    }
    void otherProvidersImportBack()
    {
        QFETCH(QString, provider);
        QFETCH(QString, providerId);
        QFETCH(QString, task);
        QFETCH(QString, needle);
        InferenceRequest r;
        r.provider = provider;
        r.model = QStringLiteral("o/m");
        r.task = task;
        if (task == QLatin1String("image-to-image")) {
            r.file =
                InputFile{QString(), QByteArray::fromHex("89504e470d0a1a0a"), QStringLiteral("image/png")};
            r.parameters = QJsonObject{{QStringLiteral("prompt"), QStringLiteral("blue")}};
        } else {
            r.inputs = QStringLiteral("a cat");
            if (task != QLatin1String("feature-extraction"))
                r.parameters = QJsonObject{{QStringLiteral("num_inference_steps"), 4}};
        }
        QString yaml;
        const KestraTask back = roundTrip(r, entry(provider, providerId), &yaml);
        QVERIFY2(yaml.contains(needle), qPrintable(yaml));
        QCOMPARE(back.request.provider, provider);
        QCOMPARE(back.request.task, task);
        QCOMPARE(back.request.inputs, r.inputs);
        QCOMPARE(back.request.parameters, r.parameters);
        QCOMPARE(back.request.file.bytes, r.file.bytes);
        // A pinned replicate model is posted by its version alone: that is what comes back.
        QCOMPARE(back.providerMapping.providerId.section(QLatin1Char(':'),
                                                         providerId.contains(QLatin1Char(':')) ? 1 : 0),
                 providerId.section(QLatin1Char(':'), providerId.contains(QLatin1Char(':')) ? 1 : 0));
    }

    void withoutProviderTheInferenceTaskStays()
    {
        InferenceRequest r;
        r.model = QStringLiteral("o/m");
        r.inputs = QStringLiteral("hi");
        const QString yaml = KestraFlow::toFlowYaml(r, KestraExportOptions());
        QVERIFY2(yaml.contains(QLatin1String("io.kestra.plugin.huggingface.Inference")), qPrintable(yaml));
    }
};

QTEST_GUILESS_MAIN(TestProviderFlow)
#include "TestProviderFlow.moc"
