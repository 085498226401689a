#include "ProviderMapping.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "TestConfig.h"

using namespace idesk;

class TestProviderMapping : public QObject
{
    Q_OBJECT
private slots:
    void objectShapeFromRecording();
    void arrayShape();
    void garbageGivesNothing();
};

// A real model info answer (2025) holds the mapping as an object keyed by provider.
void TestProviderMapping::objectShapeFromRecording()
{
    QFile f(QStringLiteral(IDESK_TEST_DATA_DIR
                           "/recordings"
                           "/hub-model-info/r2504_TIC_automatic_speech_recognition_fal-ai-0.json"));
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    const QJsonObject body = QJsonDocument::fromJson(f.readAll())
                                 .object()
                                 .value(QLatin1String("response"))
                                 .toObject()
                                 .value(QLatin1String("body_json"))
                                 .toObject();
    const auto entries = ProviderMapping::parse(body.value(QLatin1String("inferenceProviderMapping")));
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).provider, QStringLiteral("fal-ai"));
    QCOMPARE(entries.at(0).providerId, QStringLiteral("fal-ai/whisper"));
    QCOMPARE(entries.at(0).task, QStringLiteral("automatic-speech-recognition"));
    QVERIFY(entries.at(0).isLive());
    QCOMPARE(entries.at(1).provider, QStringLiteral("hf-inference"));
}

// Today's shape (search results, newer model info): an array of entries, order kept; LoRA fields read.
void TestProviderMapping::arrayShape()
{
    const QJsonValue mapping = QJsonDocument::fromJson(R"([
        {"provider": "replicate", "providerId": "r/x", "status": "staging", "task": "text-to-image"},
        {"provider": "fal-ai", "providerId": "fal-ai/flux-lora", "status": "live", "task": "text-to-image",
         "adapter": "lora", "adapterWeightsPath": "lora.safetensors", "type": "single-model"},
        {"provider": "together", "providerId": "t/x", "status": "live", "task": "feature-extraction"},
        {"providerId": "no-provider-name"}
    ])")
                                   .array();
    const auto entries = ProviderMapping::parse(mapping);
    QCOMPARE(entries.size(), 3);
    QCOMPARE(entries.at(0).provider, QStringLiteral("replicate"));
    QCOMPARE(entries.at(1).adapter, QStringLiteral("lora"));
    QCOMPARE(entries.at(1).adapterWeightsPath, QStringLiteral("lora.safetensors"));
    const auto live = ProviderMapping::serving(entries, QStringLiteral("text-to-image"));
    QCOMPARE(live.size(), 1);
    QCOMPARE(live.at(0).provider, QStringLiteral("fal-ai"));
    QCOMPARE(ProviderMapping::serving(entries, QStringLiteral("text-to-image"), true).size(), 2);
    QCOMPARE(ProviderMapping::serving(entries, QString()).size(), 2);
}

void TestProviderMapping::garbageGivesNothing()
{
    QVERIFY(ProviderMapping::parse(QJsonValue()).isEmpty());
    QVERIFY(ProviderMapping::parse(QJsonValue(QStringLiteral("fal-ai"))).isEmpty());
    const auto entries = ProviderMapping::parse(
        QJsonDocument::fromJson(R"({"fal-ai": "live", "x": {"providerId": 3, "status": null}})").object());
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.at(0).provider, QStringLiteral("x"));
    QVERIFY(entries.at(0).providerId.isEmpty());
    QVERIFY(!entries.at(0).isLive());
}

QTEST_GUILESS_MAIN(TestProviderMapping)
#include "TestProviderMapping.moc"
