// A vision chat (images in a user turn as content parts) kept whole by every place a request goes: a
// preset, a saved result, and a Kestra flow export, whose HTTP Request body holds the images as data URIs
// and reads back into the same request.
#include "ChatCompletion.h"
#include "ChatImages.h"
#include "KestraFlow.h"
#include "LocalFile.h"
#include "Preset.h"
#include "RequestEncoder.h"
#include "SavedResult.h"
#include "TestConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace idesk;

namespace {
const QString kDir = QStringLiteral(IDESK_TEST_DATA_DIR "/constructed/chat/");

QByteArray readAll(const QString &path)
{
    return idesk::LocalFile::read(path, 1 << 20, nullptr).value_or(QByteArray());
}

InferenceRequest visionChat()
{
    QString error;
    const auto png = ChatImages::partFor(kDir + QStringLiteral("cats.png"), &error);
    const auto web = ChatImages::partFor(QStringLiteral("https://example.org/dog.jpg"), &error);
    InferenceRequest r;
    r.task = ChatCompletion::taskId();
    r.endpoint = ChatCompletion::defaultBaseUrl();
    r.model = QStringLiteral("Qwen/Qwen2.5-VL-7B-Instruct");
    r.inputs = ChatImages::attachToLastUser(
        ChatCompletion::messages(QStringLiteral("Be brief."), QStringLiteral("What is in these images?")),
        {*png, *web});
    r.parameters = QJsonObject{{QStringLiteral("max_tokens"), 200}};
    return r;
}

// The data URI of the first image of the last message of a request's inputs.
QString firstImageUrl(const QJsonValue &messages)
{
    const QJsonArray list = messages.toArray();
    return ChatImages::imageUrlsOf(list.last().toObject().value(QStringLiteral("content"))).value(0);
}

const QString kPngUri = QStringLiteral("data:image/png;base64,");
} // namespace

class TestChatImagesKept : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!readAll(kDir + QStringLiteral("cats.png")).isEmpty());
        QCOMPARE(firstImageUrl(visionChat().inputs),
                 kPngUri + QString::fromLatin1(readAll(kDir + QStringLiteral("cats.png")).toBase64()));
    }

    void presetEmbedsTheImages()
    {
        const InferenceRequest request = visionChat();
        const Preset preset = Preset::fromRequest(QStringLiteral("Cats"), request);
        QString error;
        const auto back = Preset::fromJsonBytes(preset.toJsonBytes(), &error);
        QVERIFY2(back, qPrintable(error));
        const auto resolved = back->resolvedRequest(&error);
        QVERIFY2(resolved, qPrintable(error));
        QCOMPARE(resolved->inputs, request.inputs);
    }

    void savedResultEmbedsTheImages()
    {
        SavedResult saved;
        saved.request = visionChat();
        saved.result.status = 200;
        saved.result.contentType = QStringLiteral("application/json");
        saved.result.body = R"({"choices":[{"message":{"role":"assistant","content":"Cats."}}]})";
        QString error;
        const auto back = SavedResult::fromJson(saved.toJson(), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->request.inputs, saved.request.inputs);
    }

    void kestraExportWritesDataUris()
    {
        const InferenceRequest request = visionChat();
        const QString yaml = KestraFlow::toFlowYaml(request);
        const QString cats = QString::fromLatin1(readAll(kDir + QStringLiteral("cats.png")).toBase64());
        QVERIFY2(yaml.contains(kPngUri + cats), qPrintable(yaml.left(2000)));
        QVERIFY2(yaml.contains(QStringLiteral("https://example.org/dog.jpg")), qPrintable(yaml.left(2000)));
        QString error;
        const auto flow = KestraFlow::parse(yaml.toUtf8(), QString(), {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.size(), 1);
        QCOMPARE(flow->tasks.first().request.inputs, request.inputs);
    }
};

QTEST_GUILESS_MAIN(TestChatImagesKept)
#include "TestChatImagesKept.moc"
