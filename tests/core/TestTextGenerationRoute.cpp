// Text generation's two routes (TextGenerationRoute.h): the recorded per-model form and the OpenAI
// completions route, chosen by InferenceRequest::route. The encoder's dispatch, a completions answer
// (whole and streamed) over the loopback replay server read as text, and the route kept by presets,
// saved results and left out of Kestra flows (which keep sending the per-model form).
#include "CompletionChunk.h"
#include "ReplayServer.h"
#include "TestConfig.h"

#include "ChatStreamAssembler.h"
#include "InferenceClient.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "KestraFlow.h"
#include "Preset.h"
#include "PresetStore.h"
#include "RequestEncoder.h"
#include "ResultShape.h"
#include "SavedResult.h"
#include "TextGenerationRoute.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;
using idesk::test::completionChunk;
using idesk::test::ReplayServer;

namespace {

InferenceRequest textGeneration(TextGenerationRoute route, const QString &endpoint = QString())
{
    InferenceRequest r;
    if (!endpoint.isEmpty())
        r.endpoint = endpoint;
    r.task = QStringLiteral("text-generation");
    r.model = QStringLiteral("openai-community/gpt2");
    r.inputs = QStringLiteral("The answer to the universe is");
    r.parameters = QJsonObject{{QStringLiteral("max_new_tokens"), 12}, {QStringLiteral("temperature"), 0.5}};
    r.route = route;
    return r;
}

struct Sent
{
    InferenceResult result;
    ChatStreamAssembler live; // fed by streamEvent as the answer arrived
    QString liveText;
    int liveEvents = 0;
};

Sent sendAndWait(const InferenceRequest &request)
{
    InferenceClient client;
    client.setRetryWhileLoading(false);
    Sent sent;
    QSignalSpy finished(&client, &InferenceClient::finished);
    QObject::connect(&client, &InferenceClient::streamEvent, [&](const QByteArray &data) {
        sent.liveText += sent.live.addEvent(data);
        ++sent.liveEvents;
    });
    QObject::connect(&client, &InferenceClient::finished, [&](const InferenceResult &r) { sent.result = r; });
    client.start(request);
    if (finished.isEmpty())
        finished.wait(20000);
    return sent;
}

} // namespace

class TestTextGenerationRoute : public QObject
{
    Q_OBJECT
    ReplayServer *m_server = nullptr;
    QString endpoint() const { return m_server->urlString() + QStringLiteral("/hf-inference/models"); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_server = new ReplayServer(ReplayServer::Http);
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
    }
    void cleanupTestCase() { delete m_server; }
    void init() { QVERIFY(m_server->reset()); }

    void idsAndDefaults()
    {
        QCOMPARE(textGenerationRouteId(TextGenerationRoute::Model), QStringLiteral("model"));
        QCOMPARE(textGenerationRouteId(TextGenerationRoute::Completions), QStringLiteral("completions"));
        QCOMPARE(textGenerationRouteFromId(QStringLiteral(" Completions ")),
                 TextGenerationRoute::Completions);
        QCOMPARE(textGenerationRouteFromId(QStringLiteral("model")), TextGenerationRoute::Model);
        QVERIFY(!textGenerationRouteFromId(QStringLiteral("chat")));
        QVERIFY(!textGenerationRouteFromId(QString()));

        // The router (the default endpoint) proposes completions; any other server the per-model form.
        QCOMPARE(defaultTextGenerationRoute(InferenceRequest::defaultEndpoint()),
                 TextGenerationRoute::Completions);
        QCOMPARE(defaultTextGenerationRoute(QString()), TextGenerationRoute::Completions);
        QCOMPARE(defaultTextGenerationRoute(QStringLiteral("https://Router.HuggingFace.co/together/models")),
                 TextGenerationRoute::Completions);
        QCOMPARE(defaultTextGenerationRoute(
                     QStringLiteral("https://abc.us-east-1.aws.endpoints.huggingface.cloud")),
                 TextGenerationRoute::Model);
        QCOMPARE(defaultTextGenerationRoute(QStringLiteral("http://127.0.0.1:8080/models")),
                 TextGenerationRoute::Model);

        // The value type: the default is the recorded form, and the route is part of equality.
        InferenceRequest a;
        QCOMPARE(a.route, TextGenerationRoute::Model);
        InferenceRequest b = a;
        b.route = TextGenerationRoute::Completions;
        QVERIFY(a != b);
        QVERIFY(!b.usesCompletionsRoute()); // no task: one route only
        b.task = QStringLiteral("text-generation");
        QVERIFY(b.usesCompletionsRoute());
    }

    void encoderDispatchesOnTheRoute()
    {
        // The recorded form by default.
        QString error;
        const EncodedRequest tgi = RequestEncoder::encode(textGeneration(TextGenerationRoute::Model), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(tgi.url.toString(),
                 QStringLiteral("https://router.huggingface.co/hf-inference/models/openai-community/gpt2"));
        QCOMPARE(
            QJsonDocument::fromJson(tgi.body).object(),
            (QJsonObject{{QStringLiteral("inputs"), QStringLiteral("The answer to the universe is")},
                         {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("max_new_tokens"), 12},
                                                                    {QStringLiteral("temperature"), 0.5}}}}));

        // The completions route: {endpoint}/{model}/v1/completions, {"model", "prompt", "max_tokens"...}.
        const EncodedRequest completions =
            RequestEncoder::encode(textGeneration(TextGenerationRoute::Completions), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(
            completions.url.toString(),
            QStringLiteral(
                "https://router.huggingface.co/hf-inference/models/openai-community/gpt2/v1/completions"));
        QCOMPARE(QJsonDocument::fromJson(completions.body).object(),
                 (QJsonObject{{QStringLiteral("model"), QStringLiteral("openai-community/gpt2")},
                              {QStringLiteral("prompt"), QStringLiteral("The answer to the universe is")},
                              {QStringLiteral("max_tokens"), 12},
                              {QStringLiteral("temperature"), 0.5}}));
        QCOMPARE(completions.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(completions.header("Accept"), QByteArray("*/*"));
        QVERIFY(completions.header("User-Agent").startsWith("inference-desk/"));

        // Streamed: "stream": true in the body, an event stream accepted.
        InferenceRequest streamed = textGeneration(TextGenerationRoute::Completions);
        streamed.stream = true;
        const EncodedRequest s = RequestEncoder::encode(streamed);
        QCOMPARE(QJsonDocument::fromJson(s.body).object().value(QStringLiteral("stream")), QJsonValue(true));
        QCOMPARE(s.header("Accept"), QByteArray("text/event-stream"));
        streamed.route = TextGenerationRoute::Model;
        const QJsonObject tgiStream = QJsonDocument::fromJson(RequestEncoder::encode(streamed).body).object();
        QCOMPARE(tgiStream.value(QStringLiteral("stream")), QJsonValue(true));
        QVERIFY(tgiStream.contains(QStringLiteral("inputs")));

        // Another task ignores the route.
        InferenceRequest other = textGeneration(TextGenerationRoute::Completions);
        other.task = QStringLiteral("summarization");
        other.parameters = {};
        const EncodedRequest summarization = RequestEncoder::encode(other);
        QCOMPARE(summarization.url.toString(),
                 QStringLiteral("https://router.huggingface.co/hf-inference/models/openai-community/gpt2"));
        QVERIFY(QJsonDocument::fromJson(summarization.body).object().contains(QStringLiteral("inputs")));

        // A prompt is needed, and the message says so.
        InferenceRequest empty = textGeneration(TextGenerationRoute::Completions);
        empty.inputs = QString();
        QVERIFY(!RequestEncoder::encode(empty, &error).url.isValid());
        QVERIFY2(error.contains(QLatin1String("prompt")), qPrintable(error));
    }

    void targetUrlFollowsTheRoute()
    {
        for (const auto route : {TextGenerationRoute::Model, TextGenerationRoute::Completions}) {
            const InferenceRequest r =
                textGeneration(route, QStringLiteral("https://tgi.example.com/models/"));
            QCOMPARE(RequestEncoder::targetUrl(r), RequestEncoder::encode(r).url);
        }
        QCOMPARE(RequestEncoder::targetUrl(textGeneration(TextGenerationRoute::Completions)).path(),
                 QStringLiteral("/hf-inference/models/openai-community/gpt2/v1/completions"));
        InferenceRequest noModel = textGeneration(TextGenerationRoute::Completions);
        noModel.model.clear();
        QVERIFY(!RequestEncoder::targetUrl(noModel).isValid());
    }

    void completionsAnswerReadAsText()
    {
        const QJsonObject answer =
            completionChunk(QStringLiteral(" 42, as everyone knows."), QStringLiteral("length"));
        QVERIFY(m_server->queue(
            QJsonArray{QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), answer}}}));
        const InferenceRequest request = textGeneration(TextGenerationRoute::Completions, endpoint());
        const Sent sent = sendAndWait(request);
        QVERIFY2(sent.result.ok(), qPrintable(sent.result.errorMessage));

        const QJsonObject received = m_server->requests().at(0).toObject();
        QCOMPARE(received.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/hf-inference/models/openai-community/gpt2/v1/completions"));
        const QJsonObject body = QJsonDocument::fromJson(ReplayServer::body(received)).object();
        QCOMPARE(body.value(QStringLiteral("prompt")).toString(),
                 QStringLiteral("The answer to the universe is"));
        QCOMPARE(body.value(QStringLiteral("max_tokens")).toInt(), 12);
        QVERIFY(!body.contains(QStringLiteral("inputs")));

        const ResultShape shape = ResultShape::read(request, sent.result);
        QCOMPARE(shape.kind, QStringLiteral("text"));
        QVERIFY(shape.problem.isEmpty());
        QCOMPARE(shape.text, QStringLiteral(" 42, as everyone knows."));
        QCOMPARE(shape.finishReason, QStringLiteral("length"));
        QCOMPARE(shape.summary(), QStringLiteral(" 42, as everyone knows."));

        // Without a task (a saved answer opened later) it is text too; a chat answer stays a chat.
        QCOMPARE(ResultShape::guessKind(answer), QStringLiteral("text"));
        const QJsonObject chat{
            {QStringLiteral("choices"),
             QJsonArray{QJsonObject{{QStringLiteral("message"),
                                     QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                                 {QStringLiteral("content"), QStringLiteral("Hi")}}}}}}};
        QCOMPARE(ResultShape::guessKind(chat), QStringLiteral("chat"));
        InferenceRequest noTask = request;
        noTask.task.clear();
        const ResultShape guessed = ResultShape::read(noTask, sent.result);
        QCOMPARE(guessed.kind, QStringLiteral("text"));
        QCOMPARE(guessed.text, QStringLiteral(" 42, as everyone knows."));
    }

    void completionsStreamReadAsText()
    {
        QByteArray stream;
        for (const QJsonObject &e :
             {completionChunk(QStringLiteral(" forty")), completionChunk(QStringLiteral("-two")),
              completionChunk(QStringLiteral("."), QStringLiteral("stop"))})
            stream += "data: " + QJsonDocument(e).toJson(QJsonDocument::Compact) + "\n\n";
        stream += "data: [DONE]\n\n";
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(stream, 40, 5)}));
        InferenceRequest request = textGeneration(TextGenerationRoute::Completions, endpoint());
        request.stream = true;
        const Sent sent = sendAndWait(request);
        QVERIFY2(sent.result.ok(), qPrintable(sent.result.errorMessage));

        const QJsonObject received = m_server->requests().at(0).toObject();
        QCOMPARE(received.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/hf-inference/models/openai-community/gpt2/v1/completions"));
        QCOMPARE(
            QJsonDocument::fromJson(ReplayServer::body(received)).object().value(QStringLiteral("stream")),
            QJsonValue(true));
        QCOMPARE(
            received.value(QStringLiteral("headers")).toObject().value(QStringLiteral("accept")).toString(),
            QStringLiteral("text/event-stream"));

        // Live, token by token, and as a whole once finished.
        QVERIFY(sent.liveEvents >= 3);
        QCOMPARE(sent.liveText, QStringLiteral(" forty-two."));
        QCOMPARE(sent.live.dialect(), ChatStreamAssembler::Dialect::Completion);
        QCOMPARE(sent.live.finishReason(), QStringLiteral("stop"));
        const ResultShape shape = ResultShape::read(request, sent.result);
        QCOMPARE(shape.kind, QStringLiteral("text"));
        QCOMPARE(shape.text, QStringLiteral(" forty-two."));
        QCOMPARE(shape.finishReason, QStringLiteral("stop"));
    }

    void recordedFormStillReadAsBefore()
    {
        // The per-model route on the same server: path {endpoint}/{model}, [{"generated_text"}] read.
        QVERIFY(m_server->queue(QJsonArray{QJsonObject{
            {QStringLiteral("status"), 200},
            {QStringLiteral("body"),
             QJsonArray{QJsonObject{{QStringLiteral("generated_text"), QStringLiteral(" 42.")}}}}}}));
        const InferenceRequest request = textGeneration(TextGenerationRoute::Model, endpoint());
        const Sent sent = sendAndWait(request);
        QVERIFY2(sent.result.ok(), qPrintable(sent.result.errorMessage));
        QCOMPARE(m_server->requests().at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/hf-inference/models/openai-community/gpt2"));
        const ResultShape shape = ResultShape::read(request, sent.result);
        QCOMPARE(shape.kind, QStringLiteral("text"));
        QCOMPARE(shape.text, QStringLiteral(" 42."));
    }

    void presetKeepsTheRoute()
    {
        const InferenceRequest request = textGeneration(TextGenerationRoute::Completions);
        const Preset preset = Preset::fromRequest(QStringLiteral("Router story"), request);
        const QByteArray bytes = preset.toJsonBytes();
        QCOMPARE(QJsonDocument::fromJson(bytes)
                     .object()
                     .value(QStringLiteral("request"))
                     .toObject()
                     .value(QStringLiteral("route"))
                     .toString(),
                 QStringLiteral("completions"));
        QString error;
        const auto back = Preset::fromJsonBytes(bytes, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->request.route, TextGenerationRoute::Completions);
        QCOMPARE(back->request, request);

        // Through the store, on disk.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            PresetStore store(dir.path());
            QVERIFY2(store.save(preset, PresetStore::SaveMode::CreateOnly, &error), qPrintable(error));
        }
        PresetStore reopened(dir.path());
        const auto stored = reopened.preset(QStringLiteral("router story"));
        QVERIFY(stored);
        QCOMPARE(stored->request.route, TextGenerationRoute::Completions);
        QVERIFY(stored->sameContent(preset));

        // A preset written before the routes existed loads as before: the per-model form.
        QJsonObject old = QJsonDocument::fromJson(bytes).object();
        QJsonObject oldRequest = old.value(QStringLiteral("request")).toObject();
        oldRequest.remove(QStringLiteral("route"));
        old.insert(QStringLiteral("request"), oldRequest);
        const auto legacy = Preset::fromJson(old, &error);
        QVERIFY2(legacy, qPrintable(error));
        QCOMPARE(legacy->request.route, TextGenerationRoute::Model);
        QCOMPARE(RequestEncoder::encode(legacy->request).url.path(),
                 QStringLiteral("/hf-inference/models/openai-community/gpt2"));

        // A route nobody knows is refused with a sentence naming the field and the choices.
        oldRequest.insert(QStringLiteral("route"), QStringLiteral("chat"));
        old.insert(QStringLiteral("request"), oldRequest);
        QVERIFY(!Preset::fromJson(old, &error));
        QVERIFY2(error.contains(QLatin1String("request.route")) &&
                     error.contains(QLatin1String("completions")),
                 qPrintable(error));
    }

    void savedResultKeepsTheRoute()
    {
        SavedResult saved;
        saved.request = textGeneration(TextGenerationRoute::Completions);
        saved.result.status = 200;
        saved.result.contentType = QStringLiteral("application/json");
        saved.result.body = QJsonDocument(completionChunk(QStringLiteral(" 42."))).toJson();
        QString error;
        const auto back = SavedResult::fromJson(saved.toJson(), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->request.route, TextGenerationRoute::Completions);
    }

    // "route" is written only where it means something (text generation); older files that wrote it for
    // every task still load.
    void routeWrittenOnlyForTextGeneration()
    {
        InferenceRequest classifier;
        classifier.task = QStringLiteral("text-classification");
        classifier.model = QStringLiteral("o/m");
        classifier.inputs = QStringLiteral("x");
        InferenceRequest kestra = classifier;
        kestra.task.clear(); // Kestra's generic form: one route too
        const auto requestOf = [](const QByteArray &bytes) {
            return QJsonDocument::fromJson(bytes).object().value(QStringLiteral("request")).toObject();
        };
        for (const InferenceRequest &request : {classifier, kestra}) {
            SavedResult saved;
            saved.request = request;
            saved.result.status = 200;
            saved.result.contentType = QStringLiteral("application/json");
            saved.result.body = "[]";
            const QJsonObject savedRequest = requestOf(saved.toJson());
            QVERIFY2(!savedRequest.contains(QStringLiteral("route")),
                     QJsonDocument(savedRequest).toJson(QJsonDocument::Compact).constData());
            const QByteArray presetBytes = Preset::fromRequest(QStringLiteral("p"), request).toJsonBytes();
            const QJsonObject presetRequest = requestOf(presetBytes);
            QVERIFY2(!presetRequest.contains(QStringLiteral("route")),
                     QJsonDocument(presetRequest).toJson(QJsonDocument::Compact).constData());
            QString error;
            const auto preset = Preset::fromJsonBytes(presetBytes, &error);
            QVERIFY2(preset, qPrintable(error));
            QCOMPARE(preset->request, request);

            // Files written before: "route" for every task, even a value only text generation knows.
            for (const QString &route : {QStringLiteral("model"), QStringLiteral("completions")}) {
                QJsonObject old = QJsonDocument::fromJson(presetBytes).object();
                QJsonObject oldRequest = presetRequest;
                oldRequest.insert(QStringLiteral("route"), route);
                old.insert(QStringLiteral("request"), oldRequest);
                const auto legacy = Preset::fromJson(old, &error);
                QVERIFY2(legacy, qPrintable(error));
                QCOMPARE(legacy->request, request);

                QJsonObject oldSaved = QJsonDocument::fromJson(saved.toJson()).object();
                oldSaved.insert(QStringLiteral("request"), oldRequest);
                const auto legacyResult = SavedResult::fromJson(QJsonDocument(oldSaved).toJson(), &error);
                QVERIFY2(legacyResult, qPrintable(error));
                QCOMPARE(legacyResult->request, request);
            }
        }
        // Text generation keeps it, both routes.
        for (const auto route : {TextGenerationRoute::Model, TextGenerationRoute::Completions}) {
            SavedResult saved;
            saved.request = textGeneration(route);
            saved.result.status = 200;
            QCOMPARE(requestOf(saved.toJson()).value(QStringLiteral("route")).toString(),
                     textGenerationRouteId(route));
            QCOMPARE(requestOf(Preset::fromRequest(QStringLiteral("p"), saved.request).toJsonBytes())
                         .value(QStringLiteral("route"))
                         .toString(),
                     textGenerationRouteId(route));
        }
    }

    void kestraExportSendsTheCompletionsRoute()
    {
        // The Inference task can only post {"inputs", "parameters"} to {endpoint}/{model}: the completions
        // route goes out as a core HTTP Request task to the same URL, with the same body, and comes back.
        const InferenceRequest request = textGeneration(TextGenerationRoute::Completions);
        const QString yaml = KestraFlow::toFlowYaml(request);
        QVERIFY2(yaml.contains(QLatin1String("type: io.kestra.plugin.core.http.Request")), qPrintable(yaml));
        QVERIFY2(!yaml.contains(QLatin1String("io.kestra.plugin.huggingface.Inference")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QLatin1String("uri: ") + RequestEncoder::encode(request).url.toString() +
                               QLatin1Char('\n')),
                 qPrintable(yaml));
        const QStringList comments =
            yaml.split(QLatin1Char('\n')).filter(QRegularExpression(QStringLiteral("^#")));
        QVERIFY2(comments.join(QLatin1Char('\n')).contains(QLatin1String("completions route")),
                 qPrintable(yaml));
        // Nothing in the flow itself names the route: Kestra has no such property.
        for (const QString &line : yaml.split(QLatin1Char('\n')))
            QVERIFY2(!line.contains(QRegularExpression(QStringLiteral("^\\s*route\\s*:"))), qPrintable(line));
        QString error;
        const auto flow = KestraFlow::parse(yaml.toUtf8(), QDir::tempPath(), {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.size(), 1);
        const InferenceRequest imported = flow->tasks.at(0).request;
        QCOMPARE(imported.route, TextGenerationRoute::Completions);
        QCOMPARE(imported.endpoint, request.endpoint);
        QCOMPARE(imported.parameters.value(QStringLiteral("max_new_tokens")).toInt(), 12);
        QCOMPARE(RequestEncoder::encode(imported).url, RequestEncoder::encode(request).url);
        QCOMPARE(RequestEncoder::encode(imported).body, RequestEncoder::encode(request).body);

        // The per-model route stays an Inference task.
        const QString plain = KestraFlow::toFlowYaml(textGeneration(TextGenerationRoute::Model));
        QVERIFY(plain.contains(QLatin1String("type: io.kestra.plugin.huggingface.Inference")));
        QVERIFY(!plain.contains(QLatin1String("completions route")));
    }
};

QTEST_GUILESS_MAIN(TestTextGenerationRoute)
#include "TestTextGenerationRoute.moc"
