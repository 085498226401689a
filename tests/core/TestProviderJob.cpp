// Issue 14: provider jobs over a loopback router and Hub (ReplayServer): the recorded exchanges of
// providers the router still routes replay (the request the job builds equals the recorded one, the
// answer is read the same), fal-ai's queue is followed through the router, files are downloaded without
// the token, and a queued job is cancelled and stopped at its time limit.
#include "ProviderJob.h"
#include "ReplayServer.h"
#include "ServiceBases.h"
#include "TestConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

using namespace idesk;
using idesk::test::ReplayServer;

namespace {
const QString kToken = QStringLiteral("hf_ProviderJobTest0123");

QJsonObject recording(const QString &file)
{
    QFile f(QStringLiteral(IDESK_TEST_DATA_DIR "/recordings/") + file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QJsonObject jsonEntry(const QJsonValue &body)
{
    return QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), body}};
}

QString path(const QJsonValue &request)
{
    const QJsonObject r = request.toObject();
    const QString query = r.value(QStringLiteral("query")).toString();
    return r.value(QStringLiteral("path")).toString() +
           (query.isEmpty() ? QString() : QLatin1Char('?') + query);
}

bool hasAuthorization(const QJsonValue &request)
{
    return request.toObject()
        .value(QStringLiteral("headers"))
        .toObject()
        .contains(QStringLiteral("authorization"));
}
} // namespace

class TestProviderJob : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;

    // A recorded answer whose file URL is moved to the loopback server (the file host of 2025 is not here).
    QJsonObject movedAnswer(const QString &file, const QString &from)
    {
        const QJsonObject rec = recording(file);
        QByteArray body = QJsonDocument(rec.value(QStringLiteral("response"))
                                            .toObject()
                                            .value(QStringLiteral("body_json"))
                                            .toObject())
                              .toJson(QJsonDocument::Compact);
        body.replace(from.toUtf8(), (m_server->urlString() + QStringLiteral("/files")).toUtf8());
        return QJsonObject{{QStringLiteral("status"),
                            rec.value(QStringLiteral("response")).toObject().value(QStringLiteral("status"))},
                           {QStringLiteral("body"), QString::fromUtf8(body)},
                           {QStringLiteral("headers"), QJsonObject{{QStringLiteral("Content-Type"),
                                                                    QStringLiteral("application/json")}}}};
    }

    QJsonObject mappingEntry(const QString &hubRecording)
    {
        return QJsonObject{{QStringLiteral("file"), QStringLiteral("hub-model-info/") + hubRecording}};
    }

    // Runs one job to its end.
    InferenceResult run(ProviderJob &job, const InferenceRequest &request)
    {
        job.client().setToken(kToken);
        job.setPollIntervalMs(0);
        QSignalSpy done(&job, &ProviderJob::finished);
        job.start(request);
        if (done.isEmpty())
            done.wait(20000);
        return done.isEmpty() ? InferenceResult() : done.first().first().value<InferenceResult>();
    }

    InferenceRequest textRequest(const QString &provider, const QString &model, const QString &task,
                                 const QString &text)
    {
        InferenceRequest r;
        r.provider = provider;
        r.model = model;
        r.task = task;
        r.inputs = text;
        return r;
    }

    // The recorded request's body equals the one sent.
    static QJsonObject recordedBody(const QString &file)
    {
        return recording(file)
            .value(QStringLiteral("request"))
            .toObject()
            .value(QStringLiteral("body_json"))
            .toObject();
    }
    static QJsonObject sentBody(const QJsonValue &request)
    {
        return QJsonDocument::fromJson(ReplayServer::body(request.toObject())).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<InferenceResult>();
        m_server = std::make_unique<ReplayServer>();
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
        qputenv("HF_ENDPOINT", m_server->urlString().toUtf8());
        ServiceBases::setRouterOverride(m_server->urlString());
    }
    void init()
    {
        QVERIFY(m_server->reset());
        ProviderJob::clearMappingCache();
    }

    void falQueueThroughTheRouterAndTokenFreeDownload()
    {
        const QByteArray png = QByteArray::fromHex("89504e470d0a1a0a00000000");
        const QString responseUrl = QStringLiteral("https://queue.fal.run/fal-ai/flux/requests/r1");
        QVERIFY(m_server->queue(QJsonArray{
            jsonEntry(QJsonObject{
                {QStringLiteral("id"), QStringLiteral("black-forest-labs/FLUX.1-dev")},
                {QStringLiteral("inferenceProviderMapping"),
                 QJsonArray{QJsonObject{{QStringLiteral("provider"), QStringLiteral("fal-ai")},
                                        {QStringLiteral("providerId"), QStringLiteral("fal-ai/flux/dev")},
                                        {QStringLiteral("status"), QStringLiteral("live")},
                                        {QStringLiteral("task"), QStringLiteral("text-to-image")}}}}}),
            jsonEntry(QJsonObject{{QStringLiteral("request_id"), QStringLiteral("r1")},
                                  {QStringLiteral("status"), QStringLiteral("IN_QUEUE")},
                                  {QStringLiteral("response_url"), responseUrl}}),
            jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("IN_QUEUE")},
                                  {QStringLiteral("queue_position"), 2}}),
            jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("IN_PROGRESS")}}),
            jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("COMPLETED")}}),
            jsonEntry(QJsonObject{
                {QStringLiteral("images"),
                 QJsonArray{QJsonObject{
                     {QStringLiteral("url"), m_server->urlString() + QStringLiteral("/files/cat.png")}}}}}),
            QJsonObject{{QStringLiteral("status"), 200},
                        {QStringLiteral("headers"),
                         QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("image/png")}}},
                        {QStringLiteral("body_base64"), QString::fromLatin1(png.toBase64())}}}));
        ProviderJob job;
        QStringList states;
        connect(&job, &ProviderJob::stateChanged, this, [&](const QString &s) { states << s; });
        const InferenceResult result =
            run(job, textRequest(QStringLiteral("auto"), QStringLiteral("black-forest-labs/FLUX.1-dev"),
                                 QStringLiteral("text-to-image"), QStringLiteral("a cat")));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));
        QCOMPARE(result.body, png);
        QCOMPARE(job.choice().entry.provider, QStringLiteral("fal-ai"));
        QVERIFY2(states.join(QLatin1Char('|')).contains(QLatin1String("in queue, position 2")),
                 qPrintable(states.join('|')));

        const QJsonArray got = m_server->requests();
        QCOMPARE(got.size(), 7);
        const QStringList expected{
            QStringLiteral("GET /api/models/black-forest-labs/FLUX.1-dev?expand[]=inferenceProviderMapping"),
            QStringLiteral("POST /fal-ai/fal-ai/flux/dev?_subdomain=queue"),
            QStringLiteral("GET /fal-ai/fal-ai/flux/requests/r1/status?_subdomain=queue"),
            QStringLiteral("GET /fal-ai/fal-ai/flux/requests/r1/status?_subdomain=queue"),
            QStringLiteral("GET /fal-ai/fal-ai/flux/requests/r1/status?_subdomain=queue"),
            QStringLiteral("GET /fal-ai/fal-ai/flux/requests/r1?_subdomain=queue"),
            QStringLiteral("GET /files/cat.png")};
        for (int i = 0; i < got.size(); ++i) {
            const QString line = got.at(i).toObject().value(QStringLiteral("method")).toString() +
                                 QLatin1Char(' ') + QUrl::fromPercentEncoding(path(got.at(i)).toUtf8());
            QCOMPARE(line, expected.at(i));
        }
        QCOMPARE(sentBody(got.at(1)), QJsonObject({{QStringLiteral("prompt"), QStringLiteral("a cat")}}));
        for (int i = 1; i < 6; ++i)
            QVERIFY2(ReplayServer::header(got.at(i), QStringLiteral("authorization")) ==
                         QStringLiteral("Bearer ") + kToken,
                     qPrintable(path(got.at(i))));
        // The download goes to the router's own host, and still carries no token.
        QVERIFY(!hasAuthorization(got.at(6)));
    }

    void recordingsReplay_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("hub");      // hub-model-info recording ("" = no mapping asked)
        QTest::addColumn<QString>("answer");   // the provider's recorded answer
        QTest::addColumn<QString>("fileHost"); // its file URL's base, moved to loopback ("" = none)
        QTest::addColumn<QString>("download"); // the recorded download ("" = none)
        QTest::addColumn<QString>("sentPath"); // what the job posts, after the router base
        QTest::newRow("fal-ai text-to-image (2025 synchronous answer)")
            << "fal-ai"
            << "r2504_TIC_text_to_image_default_fal-ai-0.json"
            << "text-to-image/r2504_TIC_text_to_image_default_fal-ai-1.json"
            << "https://v3.fal.media/files"
            << "text-to-image/r2504_TIC_text_to_image_default_fal-ai-2.json"
            << "/fal-ai/fal-ai/flux/dev?_subdomain=queue";
        QTest::newRow("replicate text-to-image (pinned)")
            << "replicate"
            << "r2504_TIC_text_to_image_default_replicate-0.json"
            << "text-to-image/r2504_TIC_text_to_image_default_replicate-1.json"
            << "https://replicate.delivery"
            << "text-to-image/r2504_TIC_text_to_image_default_replicate-2.json"
            << "/replicate/v1/predictions";
        QTest::newRow("together text-to-image")
            << "together"
            << "r2504_TIC_text_to_image_default_together-0.json"
            << "text-to-image/r2504_TIC_text_to_image_default_together-1.json"
            << ""
            << ""
            << "/together/v1/images/generations";
        QTest::newRow("hf-inference text-to-image")
            << "hf-inference"
            << ""
            << "text-to-image/r2504_TIC_text_to_image_default_hf-inference-1.json"
            << ""
            << ""
            << "/hf-inference/models/CompVis/stable-diffusion-v1-4";
    }
    void recordingsReplay()
    {
        QFETCH(QString, provider);
        QFETCH(QString, hub);
        QFETCH(QString, answer);
        QFETCH(QString, fileHost);
        QFETCH(QString, download);
        QFETCH(QString, sentPath);
        QJsonArray entries;
        if (!hub.isEmpty())
            entries << mappingEntry(hub);
        entries << (fileHost.isEmpty() ? QJsonObject{{QStringLiteral("file"), answer}}
                                       : movedAnswer(answer, fileHost));
        if (!download.isEmpty())
            entries << QJsonObject{{QStringLiteral("file"), download}};
        QVERIFY(m_server->queue(entries));

        const QJsonObject rec = recording(answer);
        const QString url =
            rec.value(QStringLiteral("request")).toObject().value(QStringLiteral("url")).toString();
        const QString model = hub.isEmpty() ? url.section(QStringLiteral("/models/"), 1)
                                            : recording(QStringLiteral("hub-model-info/") + hub)
                                                  .value(QStringLiteral("response"))
                                                  .toObject()
                                                  .value(QStringLiteral("body_json"))
                                                  .toObject()
                                                  .value(QStringLiteral("id"))
                                                  .toString();
        const QJsonObject body = recordedBody(answer);
        const QString prompt =
            body.contains(QStringLiteral("input"))
                ? body.value(QStringLiteral("input")).toObject().value(QStringLiteral("prompt")).toString()
                : body.value(body.contains(QStringLiteral("prompt")) ? QStringLiteral("prompt")
                                                                     : QStringLiteral("inputs"))
                      .toString();
        ProviderJob job;
        const InferenceResult result =
            run(job, textRequest(provider, model, QStringLiteral("text-to-image"), prompt));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));

        const QJsonArray got = m_server->requests();
        QCOMPARE(got.size(), entries.size());
        const QJsonValue post = got.at(hub.isEmpty() ? 0 : 1);
        QCOMPARE(path(post), sentPath);
        QJsonObject expectedBody = body;
        if (expectedBody.value(QStringLiteral("parameters")).toObject().isEmpty())
            expectedBody.remove(QStringLiteral("parameters")); // hf-inference: empty parameters are left out
        QCOMPARE(sentBody(post), expectedBody);
        // The file: downloaded without the token, or decoded from the answer; the recorded bytes either way.
        const QJsonObject fileAnswer =
            recording(download.isEmpty() ? answer : download).value(QStringLiteral("response")).toObject();
        QByteArray expected =
            QByteArray::fromBase64(fileAnswer.value(QStringLiteral("body_base64")).toString().toLatin1());
        if (expected.isEmpty())
            expected = QByteArray::fromBase64(fileAnswer.value(QStringLiteral("body_json"))
                                                  .toObject()
                                                  .value(QStringLiteral("data"))
                                                  .toArray()
                                                  .first()
                                                  .toObject()
                                                  .value(QStringLiteral("b64_json"))
                                                  .toString()
                                                  .toLatin1());
        QVERIFY(!expected.isEmpty());
        QCOMPARE(result.body, expected);
        if (!download.isEmpty())
            QVERIFY(!hasAuthorization(got.last()));
        if (provider == QLatin1String("replicate"))
            QCOMPARE(ReplayServer::header(post, QStringLiteral("prefer")), QStringLiteral("wait"));
    }

    void falSpeechRecognitionReplays()
    {
        const QString answer = QStringLiteral(
            "automatic-speech-recognition/r2504_TIC_automatic_speech_recognition_fal-ai-1.json");
        QVERIFY(m_server->queue(
            QJsonArray{mappingEntry(QStringLiteral("r2504_TIC_automatic_speech_recognition_fal-ai-0.json")),
                       QJsonObject{{QStringLiteral("file"), answer}}}));
        const QString dataUrl = recordedBody(answer).value(QStringLiteral("audio_url")).toString();
        InferenceRequest r;
        r.provider = QStringLiteral("auto");
        r.model = QStringLiteral("openai/whisper-large-v3");
        r.task = QStringLiteral("automatic-speech-recognition");
        r.file = InputFile{QStringLiteral("sample.mp3"),
                           QByteArray::fromBase64(dataUrl.section(QLatin1Char(','), 1).toLatin1()),
                           QStringLiteral("audio/mpeg")};
        ProviderJob job;
        const InferenceResult result = run(job, r);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));
        QCOMPARE(job.choice().entry.provider, QStringLiteral("fal-ai"));
        const QJsonArray got = m_server->requests();
        QCOMPARE(path(got.at(1)), QStringLiteral("/fal-ai/fal-ai/whisper"));
        QCOMPARE(sentBody(got.at(1)), recordedBody(answer));
        const QJsonObject shaped = QJsonDocument::fromJson(result.body).object();
        QCOMPARE(shaped.keys(), QStringList({QStringLiteral("chunks"), QStringLiteral("text")}));
        QCOMPARE(shaped.value(QStringLiteral("text")).toString(),
                 QStringLiteral(" A man said to the universe, Sir, I exist."));
        QVERIFY(job.rawAnswer().contains("inferred_languages")); // --format raw: what fal sent
    }

    void queuedJobIsCancelled()
    {
        QJsonArray entries{
            mappingEntry(QStringLiteral("r2504_TIC_text_to_image_default_fal-ai-0.json")),
            jsonEntry(QJsonObject{{QStringLiteral("request_id"), QStringLiteral("r2")},
                                  {QStringLiteral("status"), QStringLiteral("IN_QUEUE")},
                                  {QStringLiteral("response_url"),
                                   QStringLiteral("https://queue.fal.run/fal-ai/flux/requests/r2")}})};
        for (int i = 0; i < 50; ++i)
            entries << jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("IN_QUEUE")},
                                             {QStringLiteral("queue_position"), 9}});
        QVERIFY(m_server->queue(entries));
        ProviderJob job;
        job.client().setToken(kToken);
        job.setPollIntervalMs(20);
        QSignalSpy done(&job, &ProviderJob::finished);
        connect(&job, &ProviderJob::stateChanged, &job, [&](const QString &s) {
            if (s.startsWith(QLatin1String("in queue, position 9")))
                job.cancel();
        });
        job.start(textRequest(QStringLiteral("fal-ai"), QStringLiteral("black-forest-labs/FLUX.1-dev"),
                              QStringLiteral("text-to-image"), QStringLiteral("a cat")));
        QVERIFY(done.wait(20000));
        const InferenceResult result = done.first().first().value<InferenceResult>();
        QCOMPARE(result.outcome, InferenceResult::Outcome::Cancelled);
        QVERIFY(!job.isRunning());
        QVERIFY(m_server->requests().size() < 10); // it stopped polling
    }

    void queuedJobStopsAtItsTimeLimit()
    {
        QJsonArray entries{
            mappingEntry(QStringLiteral("r2504_TIC_text_to_image_default_fal-ai-0.json")),
            jsonEntry(QJsonObject{{QStringLiteral("request_id"), QStringLiteral("r3")},
                                  {QStringLiteral("status"), QStringLiteral("IN_QUEUE")},
                                  {QStringLiteral("response_url"),
                                   QStringLiteral("https://queue.fal.run/fal-ai/flux/requests/r3")}})};
        for (int i = 0; i < 400; ++i)
            entries << jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("IN_PROGRESS")}});
        QVERIFY(m_server->queue(entries));
        ProviderJob job;
        job.client().setToken(kToken);
        job.setPollIntervalMs(10);
        job.setTimeLimitMs(300);
        QSignalSpy done(&job, &ProviderJob::finished);
        job.start(textRequest(QStringLiteral("fal-ai"), QStringLiteral("black-forest-labs/FLUX.1-dev"),
                              QStringLiteral("text-to-image"), QStringLiteral("a cat")));
        QVERIFY(done.wait(20000));
        const InferenceResult result = done.first().first().value<InferenceResult>();
        QCOMPARE(result.outcome, InferenceResult::Outcome::Timeout);
        QVERIFY2(result.errorMessage.contains(QLatin1String("--job-timeout")),
                 qPrintable(result.errorMessage));
        QCOMPARE(result.exitCode(), 3);
    }

    void constructedJobs_data()
    {
        QTest::addColumn<QJsonObject>("scenario");
        QFile f(QStringLiteral(IDESK_TEST_DATA_DIR "/constructed/providers/jobs.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject all = QJsonDocument::fromJson(f.readAll()).object();
        QVERIFY(!all.isEmpty());
        for (auto it = all.begin(); it != all.end(); ++it)
            QTest::newRow(qPrintable(it.key())) << it.value().toObject();
    }
    void constructedJobs()
    {
        QFETCH(QJsonObject, scenario);
        const QByteArray file = "FILE " + scenario.value(QStringLiteral("provider")).toString().toUtf8();
        QJsonArray entries{jsonEntry(QJsonObject{
            {QStringLiteral("id"), scenario.value(QStringLiteral("model"))},
            {QStringLiteral("inferenceProviderMapping"), scenario.value(QStringLiteral("mapping"))}})};
        for (const QJsonValue &a : scenario.value(QStringLiteral("answers")).toArray()) {
            QByteArray text = QJsonDocument(a.toObject()).toJson(QJsonDocument::Compact);
            text.replace("{{server}}", m_server->urlString().toUtf8());
            entries << jsonEntry(QJsonDocument::fromJson(text).object());
        }
        if (scenario.contains(QStringLiteral("file")))
            entries << QJsonObject{
                {QStringLiteral("status"), 200},
                {QStringLiteral("headers"),
                 QJsonObject{{QStringLiteral("Content-Type"), scenario.value(QStringLiteral("file"))}}},
                {QStringLiteral("body_base64"), QString::fromLatin1(file.toBase64())}};
        QVERIFY(m_server->queue(entries));
        InferenceRequest r = textRequest(scenario.value(QStringLiteral("provider")).toString(),
                                         scenario.value(QStringLiteral("model")).toString(),
                                         scenario.value(QStringLiteral("task")).toString(),
                                         scenario.value(QStringLiteral("inputs")).toString());
        r.parameters = scenario.value(QStringLiteral("parameters")).toObject();
        ProviderJob job;
        const InferenceResult result = run(job, r);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));
        if (scenario.contains(QStringLiteral("file")))
            QCOMPARE(result.body, file);
        else if (scenario.contains(QStringLiteral("result")))
            QCOMPARE(result.body,
                     QByteArray::fromBase64(scenario.value(QStringLiteral("result")).toString().toLatin1()));
        else
            QCOMPARE(QJsonDocument::fromJson(result.body).array(),
                     scenario.value(QStringLiteral("json")).toArray());

        const QJsonArray got = m_server->requests();
        const QJsonArray expect = scenario.value(QStringLiteral("expect")).toArray();
        QCOMPARE(got.size(), expect.size() + 1); // the mapping first
        for (int i = 0; i < expect.size(); ++i) {
            const QJsonValue request = got.at(i + 1);
            QCOMPARE(request.toObject().value(QStringLiteral("method")).toString() + QLatin1Char(' ') +
                         path(request),
                     expect.at(i).toString());
            const bool download = scenario.contains(QStringLiteral("file")) && i == expect.size() - 1;
            QCOMPARE(hasAuthorization(request), !download);
        }
    }

    void modelNotServedForTheTask()
    {
        QVERIFY(m_server->queue(QJsonArray{
            mappingEntry(QStringLiteral("r2504_TIC_automatic_speech_recognition_fal-ai-0.json"))}));
        ProviderJob job;
        const InferenceResult result =
            run(job, textRequest(QStringLiteral("auto"), QStringLiteral("openai/whisper-large-v3"),
                                 QStringLiteral("text-to-image"), QStringLiteral("a cat")));
        QCOMPARE(result.outcome, InferenceResult::Outcome::InvalidRequest);
        QVERIFY2(result.errorMessage.contains(QLatin1String("text-to-image")) &&
                     result.errorMessage.contains(QLatin1String("fal-ai (automatic-speech-recognition)")),
                 qPrintable(result.errorMessage));
        QCOMPARE(m_server->requests().size(), 1); // only the mapping was asked
    }
};

QTEST_GUILESS_MAIN(TestProviderJob)
#include "TestProviderJob.moc"
