// Issue 14: the first request of every (provider, task) pair, against the facts read from the official
// JavaScript client 4.13's provider helpers (docs/providers.md): method, path after the router base,
// headers and JSON body; the provider chosen from a mapping; the answers each helper reads.
#include "Preset.h"
#include "ProviderChoice.h"
#include "ProviderHelper.h"
#include "SavedResult.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace idesk;

namespace {
const QString kRouter = QStringLiteral("http://router.test:8080");
const QString kHub = QStringLiteral("http://hub.test");
const QByteArray kPng = QByteArray::fromHex("89504e470d0a1a0a0000000d49484452");
const QByteArray kMp3 = QByteArray::fromHex("4944330400000000");

QJsonObject obj(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

ProviderCall callFor(const QString &provider, const QString &task, const QString &providerId,
                     const QString &model)
{
    ProviderCall c;
    c.request.model = model;
    c.request.task = task;
    c.request.provider = provider;
    c.mapping.provider = provider;
    c.mapping.providerId = providerId;
    c.mapping.status = QStringLiteral("live");
    c.mapping.task = task;
    c.router = kRouter;
    c.hub = kHub;
    return c;
}

InferenceResult jsonAnswer(const QByteArray &body, const QString &url = QString())
{
    InferenceResult r;
    r.status = 200;
    r.body = body;
    r.contentType = QStringLiteral("application/json");
    r.url = QUrl(url);
    return r;
}
} // namespace

class TestProviderRequests : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void firstRequest_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("providerId");
        QTest::addColumn<QString>("input"); // text, or "png"/"mp3"/"wav"/"ogg" for a file
        QTest::addColumn<QByteArray>("parameters");
        QTest::addColumn<QString>("path"); // after the router base, query included
        QTest::addColumn<QByteArray>("prefer");
        QTest::addColumn<QByteArray>("body"); // expected JSON; "png64"/"mp3" placeholders filled below

        const QString t2i = QStringLiteral("text-to-image"), i2i = QStringLiteral("image-to-image"),
                      asr = QStringLiteral("automatic-speech-recognition"),
                      tts = QStringLiteral("text-to-speech"), fe = QStringLiteral("feature-extraction"),
                      t2v = QStringLiteral("text-to-video");
        QTest::newRow("fal-ai text-to-image")
            << "fal-ai" << t2i << "fal-ai/flux/dev"
            << "a cat" << QByteArray("{\"num_inference_steps\": 4}")
            << "/fal-ai/fal-ai/flux/dev?_subdomain=queue" << QByteArray()
            << QByteArray("{\"prompt\": \"a cat\", \"num_inference_steps\": 4}");
        QTest::newRow("fal-ai image-to-image")
            << "fal-ai" << i2i << "fal-ai/flux/dev/image-to-image"
            << "png" << QByteArray("{\"prompt\": \"blue\"}")
            << "/fal-ai/fal-ai/flux/dev/image-to-image?_subdomain=queue" << QByteArray()
            << QByteArray("{\"prompt\": \"blue\", \"image_url\": \"PNGURL\", \"image_urls\": [\"PNGURL\"]}");
        QTest::newRow("fal-ai text-to-video")
            << "fal-ai" << t2v << "fal-ai/mochi-v1"
            << "a wave" << QByteArray("{}") << "/fal-ai/fal-ai/mochi-v1?_subdomain=queue" << QByteArray()
            << QByteArray("{\"prompt\": \"a wave\"}");
        QTest::newRow("fal-ai ASR (mp3)") << "fal-ai" << asr << "fal-ai/whisper"
                                          << "mp3" << QByteArray("{}") << "/fal-ai/fal-ai/whisper"
                                          << QByteArray() << QByteArray("{\"audio_url\": \"MP3URL\"}");
        QTest::newRow("fal-ai ASR (wav relabelled)")
            << "fal-ai" << asr << "fal-ai/whisper"
            << "wav" << QByteArray("{}") << "/fal-ai/fal-ai/whisper" << QByteArray()
            << QByteArray("{\"audio_url\": \"XWAVURL\"}");
        QTest::newRow("fal-ai text-to-speech")
            << "fal-ai" << tts << "fal-ai/kokoro"
            << "hello" << QByteArray("{\"voice\": \"af\"}") << "/fal-ai/fal-ai/kokoro" << QByteArray()
            << QByteArray("{\"text\": \"hello\", \"voice\": \"af\"}");
        QTest::newRow("replicate text-to-image unpinned")
            << "replicate" << t2i << "black-forest-labs/flux-dev"
            << "a cat" << QByteArray("{\"num_inference_steps\": 4}")
            << "/replicate/v1/models/black-forest-labs/flux-dev/predictions" << QByteArray("wait")
            << QByteArray("{\"input\": {\"prompt\": \"a cat\", \"num_inference_steps\": 4}}");
        QTest::newRow("replicate text-to-image pinned")
            << "replicate" << t2i << "bytedance/sdxl-lightning-4step:5599ed30"
            << "a cat" << QByteArray("{}") << "/replicate/v1/predictions" << QByteArray("wait")
            << QByteArray("{\"input\": {\"prompt\": \"a cat\"}, \"version\": \"5599ed30\"}");
        QTest::newRow("replicate image-to-image")
            << "replicate" << i2i << "o/edit"
            << "png" << QByteArray("{\"prompt\": \"blue\"}") << "/replicate/v1/models/o/edit/predictions"
            << QByteArray("wait")
            << QByteArray("{\"input\": {\"prompt\": \"blue\", \"image\": \"PNGURL\", \"images\": "
                          "[\"PNGURL\"], \"input_image\": \"PNGURL\", \"input_images\": [\"PNGURL\"]}}");
        QTest::newRow("replicate ASR")
            << "replicate" << asr << "openai/whisper:abc"
            << "mp3" << QByteArray("{}") << "/replicate/v1/predictions" << QByteArray("wait")
            << QByteArray("{\"input\": {\"audio\": \"MP3URL\"}, \"version\": \"abc\"}");
        QTest::newRow("replicate text-to-speech")
            << "replicate" << tts << "o/tts"
            << "hello" << QByteArray("{}") << "/replicate/v1/models/o/tts/predictions" << QByteArray("wait")
            << QByteArray("{\"input\": {\"text\": \"hello\"}}");
        QTest::newRow("replicate text-to-video")
            << "replicate" << t2v << "o/video"
            << "a wave" << QByteArray("{}") << "/replicate/v1/models/o/video/predictions"
            << QByteArray("wait") << QByteArray("{\"input\": {\"prompt\": \"a wave\"}}");
        QTest::newRow("together text-to-image")
            << "together" << t2i << "black-forest-labs/FLUX.1-schnell"
            << "a cat" << QByteArray("{\"num_inference_steps\": 4, \"width\": 512}")
            << "/together/v1/images/generations" << QByteArray()
            << QByteArray("{\"prompt\": \"a cat\", \"steps\": 4, \"width\": 512, \"response_format\": "
                          "\"base64\", \"model\": \"black-forest-labs/FLUX.1-schnell\"}");
        QTest::newRow("together feature-extraction")
            << "together" << fe << "BAAI/bge-base-en-v1.5"
            << "hello" << QByteArray("{}") << "/together/v1/embeddings" << QByteArray()
            << QByteArray("{\"input\": \"hello\", \"model\": \"BAAI/bge-base-en-v1.5\"}");
        QTest::newRow("nscale text-to-image")
            << "nscale" << t2i << "stabilityai/sdxl"
            << "a cat" << QByteArray("{\"num_inference_steps\": 4}") << "/nscale/v1/images/generations"
            << QByteArray()
            << QByteArray("{\"prompt\": \"a cat\", \"num_inference_steps\": 4, \"response_format\": "
                          "\"b64_json\", \"model\": \"stabilityai/sdxl\"}");
        QTest::newRow("wavespeed text-to-image")
            << "wavespeed" << t2i << "wavespeed-ai/flux-dev"
            << "a cat" << QByteArray("{\"seed\": 1}") << "/wavespeed/api/v3/wavespeed-ai/flux-dev"
            << QByteArray() << QByteArray("{\"prompt\": \"a cat\", \"seed\": 1}");
        QTest::newRow("wavespeed image-to-image")
            << "wavespeed" << i2i << "wavespeed-ai/edit"
            << "png" << QByteArray("{\"prompt\": \"blue\"}") << "/wavespeed/api/v3/wavespeed-ai/edit"
            << QByteArray()
            << QByteArray("{\"prompt\": \"blue\", \"image\": \"PNG64\", \"images\": [\"PNG64\"]}");
        QTest::newRow("novita text-to-video")
            << "novita" << t2v << "wan-t2v"
            << "a wave" << QByteArray("{\"num_inference_steps\": 20}") << "/novita/v3/async/wan-t2v"
            << QByteArray() << QByteArray("{\"prompt\": \"a wave\", \"steps\": 20}");
        QTest::newRow("scaleway feature-extraction")
            << "scaleway" << fe << "bge-multilingual-gemma2"
            << "hello" << QByteArray("{\"normalize\": true}") << "/scaleway/v1/embeddings" << QByteArray()
            << QByteArray("{\"input\": \"hello\", \"model\": \"bge-multilingual-gemma2\"}");
        QTest::newRow("hf-inference text-to-image")
            << "hf-inference" << t2i << "o/sd"
            << "a cat" << QByteArray("{\"num_inference_steps\": 4}") << "/hf-inference/models/o/sd"
            << QByteArray()
            << QByteArray("{\"inputs\": \"a cat\", \"parameters\": {\"num_inference_steps\": 4}}");
        QTest::newRow("hf-inference feature-extraction")
            << "hf-inference" << fe << "o/st"
            << "hello" << QByteArray("{}") << "/hf-inference/models/o/st/pipeline/feature-extraction"
            << QByteArray() << QByteArray("{\"inputs\": \"hello\"}");
    }
    void firstRequest()
    {
        QFETCH(QString, provider);
        QFETCH(QString, task);
        QFETCH(QString, providerId);
        QFETCH(QString, input);
        QFETCH(QByteArray, parameters);
        QFETCH(QString, path);
        QFETCH(QByteArray, prefer);
        QFETCH(QByteArray, body);

        ProviderCall call = callFor(provider, task, providerId, QStringLiteral("hub-owner/model"));
        if (provider == QLatin1String("hf-inference"))
            call.request.model = providerId;
        call.request.parameters = QJsonDocument::fromJson(parameters).object();
        if (input == QLatin1String("png"))
            call.request.file = InputFile{QStringLiteral("in.png"), kPng, QStringLiteral("image/png")};
        else if (input == QLatin1String("mp3"))
            call.request.file = InputFile{QStringLiteral("in.mp3"), kMp3, QStringLiteral("audio/mpeg")};
        else if (input == QLatin1String("wav"))
            call.request.file = InputFile{QStringLiteral("in.wav"), kMp3, QStringLiteral("audio/wav")};
        else
            call.request.inputs = input;

        const ProviderHelper *helper = ProviderHelper::find(provider);
        QVERIFY(helper);
        QVERIFY(helper->supports(task));
        QString error;
        const EncodedRequest e = helper->encode(call, &error);
        QVERIFY2(e.url.isValid(), qPrintable(error));
        QCOMPARE(e.method, QByteArray("POST"));
        QVERIFY2(e.url.toString().startsWith(kRouter), qPrintable(e.url.toString()));
        QCOMPARE(e.url.toString().mid(kRouter.size()), path);
        QCOMPARE(e.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(e.header("Prefer"), prefer);
        QVERIFY(e.header("Authorization").isEmpty()); // InferenceClient adds it where TokenPolicy allows

        const QString png = QString::fromLatin1(kPng.toBase64()), mp3 = QString::fromLatin1(kMp3.toBase64());
        QString expected = QString::fromUtf8(body);
        expected.replace(QLatin1String("PNGURL"), QStringLiteral("data:image/png;base64,") + png)
            .replace(QLatin1String("PNG64"), png)
            .replace(QLatin1String("XWAVURL"), QStringLiteral("data:audio/x-wav;base64,") + mp3)
            .replace(QLatin1String("MP3URL"), QStringLiteral("data:audio/mpeg;base64,") + mp3);
        QCOMPARE(QJsonDocument::fromJson(e.body).object(),
                 QJsonDocument::fromJson(expected.toUtf8()).object());
    }

    void falRefusesAudioItCannotRead()
    {
        ProviderCall call =
            callFor(QStringLiteral("fal-ai"), QStringLiteral("automatic-speech-recognition"),
                    QStringLiteral("fal-ai/whisper"), QStringLiteral("openai/whisper-large-v3"));
        call.request.file = InputFile{QStringLiteral("a.ogg"), kMp3, QStringLiteral("audio/ogg")};
        QString error;
        QVERIFY(!ProviderHelper::find(QStringLiteral("fal-ai"))->encode(call, &error).url.isValid());
        QVERIFY2(error.contains(QLatin1String("audio/ogg")) && error.contains(QLatin1String("audio/mpeg")),
                 qPrintable(error));
    }

    void loraRunsOnTheBasePipeline()
    {
        ProviderCall call = callFor(QStringLiteral("fal-ai"), QStringLiteral("text-to-image"),
                                    QStringLiteral("fal-ai/flux-lora"), QStringLiteral("someone/cat-style"));
        call.mapping.adapter = QStringLiteral("lora");
        call.mapping.adapterWeightsPath = QStringLiteral("lora.safetensors");
        call.request.inputs = QStringLiteral("a cat");
        QString error;
        const EncodedRequest e = ProviderHelper::find(QStringLiteral("fal-ai"))->encode(call, &error);
        QCOMPARE(e.url.toString(), kRouter + QStringLiteral("/fal-ai/fal-ai/flux-lora?_subdomain=queue"));
        QCOMPARE(QJsonDocument::fromJson(e.body).object(),
                 obj("{\"prompt\": \"a cat\", \"loras\": [{\"path\": "
                     "\"http://hub.test/someone/cat-style/resolve/main/lora.safetensors\", \"scale\": 1}]}"));
        // fal-ai/lora also names the SDXL base.
        call.mapping.providerId = QStringLiteral("fal-ai/lora");
        const QJsonObject sdxl =
            QJsonDocument::fromJson(ProviderHelper::find(QStringLiteral("fal-ai"))->encode(call, &error).body)
                .object();
        QCOMPARE(sdxl.value(QStringLiteral("model_name")).toString(),
                 QStringLiteral("stabilityai/stable-diffusion-xl-base-1.0"));
        // replicate: lora_weights names the repository.
        call.mapping.provider = QStringLiteral("replicate");
        call.mapping.providerId = QStringLiteral("o/flux-lora");
        const QJsonObject rep =
            QJsonDocument::fromJson(
                ProviderHelper::find(QStringLiteral("replicate"))->encode(call, &error).body)
                .object();
        QCOMPARE(
            rep.value(QStringLiteral("input")).toObject().value(QStringLiteral("lora_weights")).toString(),
            QStringLiteral("https://huggingface.co/someone/cat-style"));
    }

    void falQueueIsFollowedThroughTheRouter()
    {
        const ProviderHelper *fal = ProviderHelper::find(QStringLiteral("fal-ai"));
        ProviderCall call =
            callFor(QStringLiteral("fal-ai"), QStringLiteral("text-to-image"),
                    QStringLiteral("fal-ai/flux/dev"), QStringLiteral("black-forest-labs/FLUX.1-dev"));
        const ProviderStep submitted =
            fal->next(call, QStringLiteral("submit"),
                      jsonAnswer("{\"request_id\": \"r1\", \"status\": \"IN_QUEUE\", \"queue_position\": 3, "
                                 "\"response_url\": \"https://queue.fal.run/fal-ai/flux/requests/r1\"}"));
        QCOMPARE(submitted.kind, ProviderStep::Kind::Poll);
        QCOMPARE(submitted.url.toString(),
                 kRouter + QStringLiteral("/fal-ai/fal-ai/flux/requests/r1/status?_subdomain=queue"));
        QCOMPARE(submitted.state, QStringLiteral("in queue, position 3"));
        const ProviderStep completed =
            fal->next(call, QStringLiteral("status"),
                      jsonAnswer("{\"status\": \"COMPLETED\"}", submitted.url.toString()));
        QCOMPARE(completed.kind, ProviderStep::Kind::Poll);
        QCOMPARE(completed.url.toString(),
                 kRouter + QStringLiteral("/fal-ai/fal-ai/flux/requests/r1?_subdomain=queue"));
        const ProviderStep result =
            fal->next(call, QStringLiteral("result"),
                      jsonAnswer("{\"images\": [{\"url\": \"https://v3.fal.media/x.png\"}]}"));
        QCOMPARE(result.kind, ProviderStep::Kind::Download);
        QCOMPARE(result.url.toString(), QStringLiteral("https://v3.fal.media/x.png"));
    }

    void followUpsOfOtherProviders()
    {
        ProviderCall ws = callFor(QStringLiteral("wavespeed"), QStringLiteral("text-to-image"),
                                  QStringLiteral("w/m"), QStringLiteral("o/m"));
        const ProviderHelper *wavespeed = ProviderHelper::find(QStringLiteral("wavespeed"));
        const ProviderStep wsPoll =
            wavespeed->next(ws, QStringLiteral("submit"),
                            jsonAnswer("{\"code\": 200, \"data\": {\"id\": \"t1\", \"urls\": {\"get\": "
                                       "\"https://api.wavespeed.ai/api/v3/predictions/t1/result\"}}}"));
        QCOMPARE(wsPoll.url.toString(), kRouter + QStringLiteral("/wavespeed/api/v3/predictions/t1/result"));
        const ProviderStep wsDone = wavespeed->next(
            ws, QStringLiteral("result"),
            jsonAnswer("{\"data\": {\"status\": \"completed\", \"outputs\": [\"https://cdn.test/o.png\"]}}"));
        QCOMPARE(wsDone.kind, ProviderStep::Kind::Download);

        ProviderCall nv = callFor(QStringLiteral("novita"), QStringLiteral("text-to-video"),
                                  QStringLiteral("wan"), QStringLiteral("o/m"));
        const ProviderHelper *novita = ProviderHelper::find(QStringLiteral("novita"));
        const ProviderStep nvPoll =
            novita->next(nv, QStringLiteral("submit"), jsonAnswer("{\"task_id\": \"k 1\"}"));
        QCOMPARE(QString::fromLatin1(nvPoll.url.toEncoded()),
                 kRouter + QStringLiteral("/novita/v3/async/task-result?task_id=k%201"));
        const ProviderStep nvDone =
            novita->next(nv, QStringLiteral("result"),
                         jsonAnswer("{\"task\": {\"status\": \"TASK_STATUS_SUCCEED\"}, \"videos\": "
                                    "[{\"video_url\": \"https://cdn.test/v.mp4\"}]}"));
        QCOMPARE(nvDone.url.toString(), QStringLiteral("https://cdn.test/v.mp4"));

        ProviderCall tg = callFor(QStringLiteral("together"), QStringLiteral("feature-extraction"),
                                  QStringLiteral("b"), QStringLiteral("o/m"));
        const ProviderStep vectors =
            ProviderHelper::find(QStringLiteral("together"))
                ->next(tg, QStringLiteral("submit"),
                       jsonAnswer("{\"data\": [{\"embedding\": [0.5, 1]}, {\"embedding\": [2]}]}"));
        QCOMPARE(vectors.kind, ProviderStep::Kind::Done);
        QCOMPARE(QJsonDocument::fromJson(vectors.answer).array(),
                 QJsonDocument::fromJson("[[0.5, 1], [2]]").array());

        ProviderCall rp = callFor(QStringLiteral("replicate"), QStringLiteral("automatic-speech-recognition"),
                                  QStringLiteral("o/w"), QStringLiteral("o/m"));
        const ProviderStep text =
            ProviderHelper::find(QStringLiteral("replicate"))
                ->next(rp, QStringLiteral("submit"), jsonAnswer("{\"output\": {\"transcription\": \"hi\"}}"));
        QCOMPARE(QJsonDocument::fromJson(text.answer).object(), obj("{\"text\": \"hi\"}"));
    }

    void autoPicksTheFirstLiveProviderForTheTask()
    {
        const QList<ProviderMappingEntry> mapping = ProviderMapping::parse(
            QJsonDocument::fromJson(
                "[ {\"provider\": \"together\", \"providerId\": \"t\", \"status\": \"live\", \"task\": "
                "\"conversational\"}, {\"provider\": \"replicate\", \"providerId\": \"r\", \"status\": "
                "\"staging\", \"task\": \"text-to-image\"}, {\"provider\": \"fal-ai\", \"providerId\": "
                "\"f\", \"status\": \"live\", \"task\": \"text-to-image\"}, {\"provider\": \"nscale\", "
                "\"providerId\": \"n\", \"status\": \"live\", \"task\": \"text-to-image\"}]")
                .array());
        const ProviderChoice c = ProviderChoice::choose(
            mapping, QStringLiteral("auto"), QStringLiteral("text-to-image"), QStringLiteral("o/m"));
        QCOMPARE(c.entry.provider, QStringLiteral("fal-ai"));
        QVERIFY2(c.note.contains(QLatin1String("together serves conversational")) &&
                     c.note.contains(QLatin1String("replicate is staging")),
                 qPrintable(c.note));

        const ProviderChoice none = ProviderChoice::choose(
            mapping, QStringLiteral("auto"), QStringLiteral("text-to-video"), QStringLiteral("o/m"));
        QVERIFY(!none.ok());
        QVERIFY2(none.error.contains(QLatin1String("text-to-video")) &&
                     none.error.contains(QLatin1String("together (conversational)")) &&
                     none.error.contains(QLatin1String("fal-ai (text-to-image)")),
                 qPrintable(none.error));

        const ProviderChoice wrongTask = ProviderChoice::choose(
            mapping, QStringLiteral("fal-ai"), QStringLiteral("text-to-video"), QStringLiteral("o/m"));
        QVERIFY2(wrongTask.error.contains(QLatin1String("text-to-image")), qPrintable(wrongTask.error));
        const ProviderChoice named = ProviderChoice::choose(
            mapping, QStringLiteral("nscale"), QStringLiteral("text-to-image"), QStringLiteral("o/m"));
        QCOMPARE(named.entry.providerId, QStringLiteral("n"));
        const ProviderChoice generic =
            ProviderChoice::choose(mapping, QStringLiteral("auto"), QString(), QStringLiteral("o/m"));
        QCOMPARE(generic.entry.provider, QStringLiteral("hf-inference"));
    }

    void providerIsKeptInPresetsAndResults()
    {
        InferenceRequest r;
        r.model = QStringLiteral("black-forest-labs/FLUX.1-dev");
        r.task = QStringLiteral("text-to-image");
        r.inputs = QStringLiteral("a cat");
        r.provider = QStringLiteral("fal-ai");
        const Preset preset = Preset::fromRequest(QStringLiteral("cat"), r);
        QCOMPARE(preset.toJson().value(QStringLiteral("request")).toObject().value(QStringLiteral("provider")).toString(),
                 QStringLiteral("fal-ai"));
        QCOMPARE(Preset::fromJson(preset.toJson())->request.provider, QStringLiteral("fal-ai"));
        SavedResult saved;
        saved.request = r;
        QCOMPARE(SavedResult::fromJson(saved.toJson())->request.provider, QStringLiteral("fal-ai"));
        // Written before providers: no field, the request goes to hf-inference at its endpoint as it did.
        r.provider.clear();
        const QJsonObject old = Preset::fromRequest(QStringLiteral("old"), r).toJson();
        QVERIFY(!old.value(QStringLiteral("request")).toObject().contains(QStringLiteral("provider")));
        QVERIFY(!Preset::fromJson(old)->request.usesProvider());
    }

    void objectShapeKeepsTheHubsOrder()
    {
        // Older answers key the mapping by provider; the text's order is the Hub's, not the alphabet's.
        const QList<ProviderMappingEntry> entries = ProviderMapping::fromModelInfo(
            "{\"id\": \"o/m\", \"inferenceProviderMapping\": {\"replicate\": {\"status\": \"live\", "
            "\"providerId\": \"r\", \"task\": \"text-to-image\"}, \"fal-ai\": {\"status\": \"live\", "
            "\"providerId\": \"f\", \"task\": \"text-to-image\"}}}");
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.first().provider, QStringLiteral("replicate"));
    }
};

QTEST_GUILESS_MAIN(TestProviderRequests)
#include "TestProviderRequests.moc"
