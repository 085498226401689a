// Issue 14, as a person runs it: `call` (auto by default) and `call --provider ...` against a loopback router
// (--router) and Hub (HF_ENDPOINT) standing in for both: fal-ai's queue to a file with a token-free download,
// the answer in the task's shape (--format json) or as the provider sent it (--format raw), a task the
// catalog does not know, and audio fal-ai refuses.
#include "CliRunner.h"
#include "TestConfig.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::ReplayServer;

namespace {
const QString kToken = QStringLiteral("hf_CliProvidersTest01234");

QJsonObject jsonEntry(const QJsonObject &body)
{
    return QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), body}};
}

// A text-classification answer.
QJsonObject classified()
{
    return QJsonObject{{QStringLiteral("status"), 200},
                       {QStringLiteral("body"),
                        QJsonDocument::fromJson(R"([[{"label": "POSITIVE", "score": 0.9}]])").array()}};
}
} // namespace

class TestCliProviders : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_home;

    CliRun call(const QStringList &args) { return run(QStringList{QStringLiteral("call")} + args); }
    CliRun run(const QStringList &args)
    {
        const CliOptions o = idesk::test::loopbackHubOptions(*m_server, m_home.path(), kToken);
        return idesk::test::runCli(args + QStringList{QStringLiteral("--router"), m_server->urlString()}, o);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
        QVERIFY(m_home.isValid());
    }
    void init() { QVERIFY(m_server->reset()); }

    void issueExampleFalQueueToFile()
    {
        const QByteArray png = QByteArray::fromHex("89504e470d0a1a0a0000000d4948445200000001");
        QVERIFY(m_server->queue(QJsonArray{
            QJsonObject{{QStringLiteral("file"),
                         QStringLiteral("hub-model-info/r2504_TIC_text_to_image_default_fal-ai-0.json")}},
            jsonEntry({{QStringLiteral("request_id"), QStringLiteral("q1")},
                       {QStringLiteral("status"), QStringLiteral("IN_QUEUE")},
                       {QStringLiteral("response_url"),
                        QStringLiteral("https://queue.fal.run/fal-ai/flux/requests/q1")}}),
            jsonEntry({{QStringLiteral("status"), QStringLiteral("COMPLETED")}}),
            jsonEntry(
                {{QStringLiteral("images"),
                  QJsonArray{QJsonObject{
                      {QStringLiteral("url"), m_server->urlString() + QStringLiteral("/files/cat.png")}}}}}),
            QJsonObject{{QStringLiteral("status"), 200},
                        {QStringLiteral("headers"),
                         QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("image/png")}}},
                        {QStringLiteral("body_base64"), QString::fromLatin1(png.toBase64())}}}));
        const CliRun r =
            call({QStringLiteral("--provider"), QStringLiteral("fal-ai"), QStringLiteral("--model"),
                  QStringLiteral("black-forest-labs/FLUX.1-dev"), QStringLiteral("--task"),
                  QStringLiteral("text-to-image"), QStringLiteral("--inputs"), QStringLiteral("a cat"),
                  QStringLiteral("--output"), QStringLiteral("cat.png")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile out(m_home.filePath(QStringLiteral("cat.png")));
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll(), png);
        const QJsonArray got = m_server->requests();
        QCOMPARE(got.size(), 5);
        QCOMPARE(got.at(1).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/fal-ai/fal-ai/flux/dev"));
        for (int i = 1; i < 4; ++i)
            QCOMPARE(ReplayServer::header(got.at(i), QStringLiteral("authorization")),
                     QStringLiteral("Bearer ") + kToken);
        QCOMPARE(got.at(4).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/files/cat.png"));
        QVERIFY(ReplayServer::header(got.at(4), QStringLiteral("authorization")).isEmpty());
        QVERIFY2(r.err.contains("job: in queue"), r.err.constData());
    }

    void speechAnswerInTheTasksShapeOrRaw()
    {
        const QString audio = m_home.filePath(QStringLiteral("speech.mp3"));
        QFile f(audio);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromHex("494433040000000000") + QByteArray(64, '\0'));
        f.close();
        const QJsonObject fal{{QStringLiteral("text"), QStringLiteral("hello")},
                              {QStringLiteral("chunks"),
                               QJsonArray{QJsonObject{{QStringLiteral("text"), QStringLiteral("hello")},
                                                      {QStringLiteral("timestamp"), QJsonArray{0, 1}},
                                                      {QStringLiteral("speaker"), QJsonValue()}}}},
                              {QStringLiteral("inferred_languages"), QJsonArray{QStringLiteral("en")}}};
        const QJsonObject mapping{
            {QStringLiteral("file"),
             QStringLiteral("hub-model-info/r2504_TIC_automatic_speech_recognition_fal-ai-0.json")}};
        const QStringList args{
            QStringLiteral("--provider"),    QStringLiteral("fal-ai"),
            QStringLiteral("--model"),       QStringLiteral("openai/whisper-large-v3"),
            QStringLiteral("--task"),        QStringLiteral("automatic-speech-recognition"),
            QStringLiteral("--inputs-file"), audio};
        QVERIFY(m_server->queue(QJsonArray{mapping, jsonEntry(fal)}));
        const CliRun shaped = call(args + QStringList{QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(shaped.exitCode == 0, shaped.err.constData());
        const QJsonObject printed = QJsonDocument::fromJson(shaped.out).object();
        QCOMPARE(printed.keys(), QStringList({QStringLiteral("chunks"), QStringLiteral("text")}));
        const QJsonObject sent =
            QJsonDocument::fromJson(ReplayServer::body(m_server->requests().at(1).toObject())).object();
        QVERIFY(sent.value(QStringLiteral("audio_url"))
                    .toString()
                    .startsWith(QLatin1String("data:audio/mpeg;base64,")));

        QVERIFY(m_server->reset()); // each run is a new process: the mapping is asked again
        QVERIFY(m_server->queue(QJsonArray{mapping, jsonEntry(fal)}));
        const CliRun raw = call(args + QStringList{QStringLiteral("--format"), QStringLiteral("raw")});
        QVERIFY2(raw.exitCode == 0, raw.err.constData());
        QVERIFY2(raw.out.contains("inferred_languages"), raw.out.constData());
    }

    void falRefusesAudioItCannotDecode()
    {
        const QString audio = m_home.filePath(QStringLiteral("speech.ogg"));
        QFile f(audio);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("OggS") + QByteArray(60, '\0'));
        f.close();
        QVERIFY(m_server->queue(QJsonArray{QJsonObject{
            {QStringLiteral("file"),
             QStringLiteral("hub-model-info/r2504_TIC_automatic_speech_recognition_fal-ai-0.json")}}}));
        const CliRun r =
            call({QStringLiteral("--provider"), QStringLiteral("fal-ai"), QStringLiteral("--model"),
                  QStringLiteral("openai/whisper-large-v3"), QStringLiteral("--task"),
                  QStringLiteral("automatic-speech-recognition"), QStringLiteral("--inputs-file"), audio});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("fal-ai does not take audio/ogg"), r.err.constData());
        QCOMPARE(m_server->requests().size(), 1); // the mapping only: nothing went to fal-ai
    }

    // No --provider: auto. The Hub's mapping (HF_ENDPOINT) is read and its first live provider for the task
    // serves the request; stderr says which and why (the entries skipped).
    void autoIsTheDefault()
    {
        const QByteArray png = QByteArray::fromHex("89504e470d0a1a0a0000000d4948445200000001");
        const QJsonArray mapping{
            QJsonObject{{QStringLiteral("provider"), QStringLiteral("fal-ai")},
                        {QStringLiteral("providerId"), QStringLiteral("fal-ai/o-flux-embed")},
                        {QStringLiteral("status"), QStringLiteral("live")},
                        {QStringLiteral("task"), QStringLiteral("feature-extraction")}},
            QJsonObject{{QStringLiteral("provider"), QStringLiteral("replicate")},
                        {QStringLiteral("providerId"), QStringLiteral("o/flux-r")},
                        {QStringLiteral("status"), QStringLiteral("staging")},
                        {QStringLiteral("task"), QStringLiteral("text-to-image")}},
            QJsonObject{{QStringLiteral("provider"), QStringLiteral("together")},
                        {QStringLiteral("providerId"), QStringLiteral("o/flux-t")},
                        {QStringLiteral("status"), QStringLiteral("live")},
                        {QStringLiteral("task"), QStringLiteral("text-to-image")}}};
        QVERIFY(m_server->queue(
            QJsonArray{jsonEntry({{QStringLiteral("id"), QStringLiteral("o/flux")},
                                  {QStringLiteral("inferenceProviderMapping"), mapping}}),
                       jsonEntry({{QStringLiteral("data"),
                                   QJsonArray{QJsonObject{{QStringLiteral("b64_json"),
                                                           QString::fromLatin1(png.toBase64())}}}}})}));
        const CliRun r =
            call({QStringLiteral("--model"), QStringLiteral("o/flux"), QStringLiteral("--task"),
                  QStringLiteral("text-to-image"), QStringLiteral("--inputs"), QStringLiteral("a cat"),
                  QStringLiteral("--output"), QStringLiteral("auto.png")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("note: provider together (auto: the first live provider of o/flux for "
                                "text-to-image; skipped: fal-ai serves feature-extraction; replicate is "
                                "staging)."),
                 r.err.constData());
        QFile out(m_home.filePath(QStringLiteral("auto.png")));
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll(), png);
        const QJsonArray got = m_server->requests();
        QCOMPARE(got.size(), 2);
        QCOMPARE(got.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/api/models/o/flux"));
        QCOMPARE(got.at(1).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/together/v1/images/generations"));
        QCOMPARE(QJsonDocument::fromJson(ReplayServer::body(got.at(1).toObject()))
                     .object()
                     .value(QStringLiteral("model"))
                     .toString(),
                 QStringLiteral("o/flux-t"));
    }

    // An explicit --endpoint without --provider means "send there": no Hub request, no auto.
    void anEndpointMeansSendThere()
    {
        QVERIFY(m_server->queue(QJsonArray{classified()}));
        const CliRun r =
            call({QStringLiteral("--model"), QStringLiteral("o/m"), QStringLiteral("--task"),
                  QStringLiteral("text-classification"), QStringLiteral("--inputs"), QStringLiteral("hi"),
                  QStringLiteral("--endpoint"), m_server->urlString() + QStringLiteral("/models")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(!r.err.contains("auto"), r.err.constData());
        const QJsonArray got = m_server->requests();
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/models/o/m"));
    }

    // The Hub cannot say who serves the model: a sentence saying what to do, and nothing sent elsewhere.
    void autoWithoutAnAnswerFromTheHubSaysWhatToDo()
    {
        QVERIFY(m_server->queue(QJsonArray{
            QJsonObject{{QStringLiteral("status"), 404},
                        {QStringLiteral("body"),
                         QJsonObject{{QStringLiteral("error"), QStringLiteral("Repository not found")}}}}}));
        const CliRun r =
            call({QStringLiteral("--model"), QStringLiteral("o/nobody"), QStringLiteral("--task"),
                  QStringLiteral("text-to-image"), QStringLiteral("--inputs"), QStringLiteral("x")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("could not read the providers of o/nobody from the Hub") &&
                     r.err.contains("Choose a provider, or hf-inference"),
                 r.err.constData());
        QCOMPARE(m_server->requests().size(), 1); // the Hub only
    }

    // A parameter name the task does not know: with auto it is sent and said (the provider auto picks may
    // take it); with hf-inference it is refused before anything is sent.
    void unknownParameterNameSaidWithAutoRefusedWithHfInference()
    {
        const QStringList args{QStringLiteral("--model"),  QStringLiteral("o/nobody"),
                               QStringLiteral("--task"),   QStringLiteral("text-to-image"),
                               QStringLiteral("--inputs"), QStringLiteral("x"),
                               QStringLiteral("--param"),  QStringLiteral("gudance_scale=3")};
        QVERIFY(m_server->queue(QJsonArray{QJsonObject{{QStringLiteral("status"), 404}}}));
        const CliRun a = call(args);
        QVERIFY2(a.err.contains("Parameter \"gudance_scale\" is unknown") &&
                     a.err.contains("It is sent as given, since auto may choose a provider that takes it"),
                 a.err.constData());
        QCOMPARE(m_server->requests().size(), 1); // it went on to ask the Hub
        QVERIFY(m_server->clearRequests());

        const CliRun h =
            call(args + QStringList{QStringLiteral("--provider"), QStringLiteral("hf-inference")});
        QCOMPARE(h.exitCode, 2);
        QVERIFY2(h.err.contains("Parameter \"gudance_scale\" is unknown") &&
                     h.err.contains("nothing was sent"),
                 h.err.constData());
        QCOMPARE(m_server->requests().size(), 0);
    }

    // A preset saved before providers (no "provider" field) still goes to hf-inference, with no Hub request.
    void presetFromBeforeProvidersGoesToHfInference()
    {
        const QString dir = m_home.filePath(QStringLiteral("data/inference-desk/inference-desk/presets"));
        QVERIFY(QDir().mkpath(dir));
        const QJsonObject preset{{QStringLiteral("format"), QStringLiteral("inference-desk-preset")},
                                 {QStringLiteral("version"), 1},
                                 {QStringLiteral("name"), QStringLiteral("old")},
                                 {QStringLiteral("request"),
                                  QJsonObject{{QStringLiteral("model"), QStringLiteral("o/m")},
                                              {QStringLiteral("task"), QStringLiteral("text-classification")},
                                              {QStringLiteral("inputs"), QStringLiteral("hi")}}}};
        QFile file(dir + QStringLiteral("/old.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(preset).toJson());
        file.close();
        QVERIFY(m_server->queue(QJsonArray{classified()}));
        const CliRun r = run({QStringLiteral("presets"), QStringLiteral("run"), QStringLiteral("old")});
        QFile::remove(file.fileName());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray got = m_server->requests();
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/hf-inference/models/o/m"));
    }

    void unknownTaskGoesOutInKestrasGenericForm()
    {
        QVERIFY(m_server->queue(QJsonArray{
            QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), QJsonArray{1}}}}));
        const CliRun r = call({QStringLiteral("--model"), QStringLiteral("o/tabular"),
                               QStringLiteral("--task"), QStringLiteral("tabular-classification"),
                               QStringLiteral("--inputs-json"), QStringLiteral("{\"data\": {\"a\": [1]}}")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("Kestra's generic form"), r.err.constData());
        const QJsonArray got = m_server->requests();
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/hf-inference/models/o/tabular"));
        QCOMPARE(QJsonDocument::fromJson(ReplayServer::body(got.at(0).toObject())).object(),
                 QJsonDocument::fromJson("{\"inputs\": {\"data\": {\"a\": [1]}}}").object());

        // --format raw of such a request (auto went to hf-inference): what the server sent.
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queue(QJsonArray{
            QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), QJsonArray{1}}}}));
        const CliRun raw =
            call({QStringLiteral("--model"), QStringLiteral("o/tabular"), QStringLiteral("--inputs"),
                  QStringLiteral("x"), QStringLiteral("--format"), QStringLiteral("raw")});
        QVERIFY2(raw.exitCode == 0, raw.err.constData());
        QCOMPARE(raw.out.trimmed(), QByteArray("[1]"));
        QVERIFY2(raw.err.contains("auto: hf-inference"), raw.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliProviders)
#include "TestCliProviders.moc"
