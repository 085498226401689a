// Chat completions through the router (ChatCompletion, ChatStreamAssembler, ModelInfoLookup), over a real
// loopback socket with the recorded exchanges of tests/data/recordings/conversational, text-generation
// and hub-model-info.
//
// Request bodies: every conversational recording whose request was captured and went to a chat route is
// rebuilt from its recorded messages and parameters, sent by InferenceClient to the replay server, and
// the body received is compared with the recorded one, semantically. Normalisation (the recordings
// come from the Python client, 2024-2025, on the per-model and per-provider URLs):
//  - "model": the recorded value was sometimes "tgi" (the old client's placeholder) or the provider's
//    own id (llama-3.3-70b for cerebras); we send the id we were given, so "model" is compared to the
//    id we asked for, and left out of the rest of the comparison;
//  - null values: the old client sent every parameter, null meaning "not set"; we leave them out;
//  - "stream": false: we leave "stream" out when not streaming;
//  - URL: the recorded one was {endpoint}/{model}/v1/chat/completions or a provider's; we send
//    {base}/v1/chat/completions, so the path must be /v1/chat/completions;
//  - the two unprocessable-entity recordings sent "messages" as a bare string to provoke the 422; a
//    string is one user message for us, so the recorded string is compared as that message.
// Answers: the assembled text equals the concatenated deltas (computed here independently of the
// assembler), finish reason and usage are read, tool calls assembled, error answers worded with the
// server's words.

#include "Recording.h"
#include "ReplayServer.h"
#include "TestConfig.h"

#include "ChatCompletion.h"
#include "ChatStreamAssembler.h"
#include "InferenceClient.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "ModelInfoLookup.h"
#include "RequestEncoder.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using idesk::ChatCompletion;
using idesk::ChatStreamAssembler;
using idesk::InferenceClient;
using idesk::InferenceRequest;
using idesk::InferenceResult;
using idesk::ModelInfoLookup;
using idesk::test::Recording;
using idesk::test::ReplayServer;

namespace {

QString recordingsDir()
{
    return QStringLiteral(IDESK_TEST_DATA_DIR "/recordings");
}

QStringList filesIn(const QString &folder)
{
    QStringList out;
    for (const QString &name : QDir(recordingsDir() + QLatin1Char('/') + folder)
                                   .entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        out << folder + QLatin1Char('/') + name;
    return out;
}

// Recorded body without what we deliberately send differently (see the file comment).
QJsonObject normalised(QJsonObject body)
{
    for (const QString &key : body.keys())
        if (body.value(key).isNull())
            body.remove(key);
    if (body.value(QStringLiteral("stream")) == QJsonValue(false))
        body.remove(QStringLiteral("stream"));
    body.remove(QStringLiteral("model"));
    // The unprocessable-entity recordings sent "messages" as a bare string on purpose, to get a 422; we
    // send a string as one user message.
    if (body.value(QStringLiteral("messages")).isString())
        body.insert(
            QStringLiteral("messages"),
            QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                   {QStringLiteral("content"), body.value(QStringLiteral("messages"))}}});
    return body;
}

// The model id a recording was about: the body's, unless it is the "tgi" placeholder; then the URL's.
QString modelOf(const Recording &rec)
{
    const QString model = rec.requestJson().toObject().value(QStringLiteral("model")).toString();
    if (!model.isEmpty() && model != QLatin1String("tgi"))
        return model;
    QString path = rec.url().path();
    path = path.section(QLatin1String("/models/"), 1);
    path.chop(QStringLiteral("/v1/chat/completions").size());
    return path;
}

// Independent reading of a recorded stream: text of every `data:` line's choices[0].delta.content
// (or token.text), last finish reason, last usage object.
struct Expected
{
    QString text;
    QString finishReason;
    QJsonObject usage;
    int events = 0;
};

Expected expectedFromStream(const QByteArray &body)
{
    Expected e;
    for (QByteArray line : body.split('\n')) {
        line = line.trimmed();
        if (!line.startsWith("data:"))
            continue;
        const QByteArray data = line.mid(5).trimmed();
        if (data == "[DONE]")
            continue;
        const QJsonObject o = QJsonDocument::fromJson(data).object();
        ++e.events;
        const QJsonObject choice = o.value(QStringLiteral("choices")).toArray().at(0).toObject();
        if (!choice.isEmpty()) {
            e.text +=
                choice.value(QStringLiteral("delta")).toObject().value(QStringLiteral("content")).toString();
            if (choice.value(QStringLiteral("finish_reason")).isString())
                e.finishReason = choice.value(QStringLiteral("finish_reason")).toString();
        } else {
            const QJsonObject token = o.value(QStringLiteral("token")).toObject();
            if (!token.value(QStringLiteral("special")).toBool())
                e.text += token.value(QStringLiteral("text")).toString();
            const QJsonObject details = o.value(QStringLiteral("details")).toObject();
            if (details.value(QStringLiteral("finish_reason")).isString())
                e.finishReason = details.value(QStringLiteral("finish_reason")).toString();
        }
        if (o.value(QStringLiteral("usage")).isObject())
            e.usage = o.value(QStringLiteral("usage")).toObject();
    }
    return e;
}

struct Sent
{
    InferenceResult result;
    ChatStreamAssembler live; // fed by streamEvent as the answer arrived
    int liveEvents = 0;
};

Sent sendAndWait(InferenceClient &client, const InferenceRequest &request, int timeoutMs = 20000)
{
    Sent sent;
    QSignalSpy finished(&client, &InferenceClient::finished);
    const auto c1 = QObject::connect(&client, &InferenceClient::streamEvent, [&](const QByteArray &data) {
        sent.live.addEvent(data);
        ++sent.liveEvents;
    });
    const auto c2 = QObject::connect(&client, &InferenceClient::finished,
                                     [&](const InferenceResult &r) { sent.result = r; });
    client.start(request);
    if (finished.isEmpty())
        finished.wait(timeoutMs);
    QObject::disconnect(c1);
    QObject::disconnect(c2);
    return sent;
}

QJsonObject chunk(const QJsonObject &delta, const QJsonValue &finish = QJsonValue::Null)
{
    return QJsonObject{
        {QStringLiteral("choices"), QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                                           {QStringLiteral("delta"), delta},
                                                           {QStringLiteral("finish_reason"), finish}}}}};
}

QByteArray sse(const QList<QJsonObject> &events, bool done = true)
{
    QByteArray out;
    for (const QJsonObject &e : events)
        out += "data: " + QJsonDocument(e).toJson(QJsonDocument::Compact) + "\n\n";
    if (done)
        out += "data: [DONE]\n\n";
    return out;
}

} // namespace

class TestChatCompletion : public QObject
{
    Q_OBJECT
    ReplayServer *m_server = nullptr;
    QTemporaryDir m_cacheDir;

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { delete m_server; }
    void init()
    {
        QVERIFY(m_server->reset());
        ModelInfoLookup::clearMemoryCache();
    }

    void encodeUrlAndBody();
    void encodeErrors();
    void requestEncoderDelegates();
    void completionsRoute();

    void recordedConversations_data();
    void recordedConversations();
    void recordingsCovered();

    void textGenerationStreams_data();
    void textGenerationStreams();
    void toolCallsStreamedByIndex();
    void errorEvents();
    void byteAtATime();

    void stopMidStream();

    void lookupFollowsRenameAndCaches();
    void lookupFailuresAreUnknown();
    void lookupFailuresAreKeptBriefly();
    void asChatIfLlm();

private:
    QStringList m_ran;
};

void TestChatCompletion::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_cacheDir.isValid());
    m_server = new ReplayServer(ReplayServer::Http);
    QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
}

void TestChatCompletion::encodeUrlAndBody()
{
    InferenceRequest r;
    r.task = ChatCompletion::taskId();
    r.model = QStringLiteral("google/gemma-2-2b-it");
    r.inputs = QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                      {QStringLiteral("content"), QStringLiteral("Hi")}}};
    r.parameters =
        QJsonObject{{QStringLiteral("max_tokens"), 20}, {QStringLiteral("seed"), QJsonValue::Null}};

    // The default (hf-inference) endpoint means the router root.
    QString error;
    auto e = ChatCompletion::encode(r, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(e.url.toString(), QStringLiteral("https://router.huggingface.co/v1/chat/completions"));
    QJsonObject body = QJsonDocument::fromJson(e.body).object();
    QCOMPARE(body.value(QStringLiteral("model")).toString(), r.model);
    QCOMPARE(body.value(QStringLiteral("max_tokens")).toInt(), 20);
    QVERIFY2(!body.contains(QStringLiteral("seed")), "null parameters must be left out");
    QVERIFY2(!body.contains(QStringLiteral("stream")), "stream is absent when not streaming");
    QCOMPARE(body.value(QStringLiteral("messages")).toArray(), r.inputs.toArray());
    QCOMPARE(e.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(e.header("Accept"), QByteArray("*/*"));

    // Provider suffix and policy; streaming.
    r.model = ChatCompletion::modelWithProvider(QStringLiteral("google/gemma-2-2b-it:novita"),
                                                QStringLiteral("fastest"));
    QCOMPARE(r.model, QStringLiteral("google/gemma-2-2b-it:fastest"));
    QCOMPARE(ChatCompletion::modelWithProvider(r.model, QStringLiteral("auto")),
             QStringLiteral("google/gemma-2-2b-it"));
    r.stream = true;
    r.endpoint = QStringLiteral("https://router.huggingface.co/");
    e = ChatCompletion::encode(r, &error);
    body = QJsonDocument::fromJson(e.body).object();
    QCOMPARE(e.url.toString(), QStringLiteral("https://router.huggingface.co/v1/chat/completions"));
    QCOMPARE(body.value(QStringLiteral("model")).toString(), QStringLiteral("google/gemma-2-2b-it:fastest"));
    QCOMPARE(body.value(QStringLiteral("stream")), QJsonValue(true));
    QCOMPARE(e.header("Accept"), QByteArray("text/event-stream"));
    // An OpenAI client's base URL, ending in /v1, names the same route.
    r.endpoint = QStringLiteral("https://router.huggingface.co/v1/");
    QCOMPARE(ChatCompletion::encode(r, &error).url.toString(),
             QStringLiteral("https://router.huggingface.co/v1/chat/completions"));
    r.endpoint = QStringLiteral("https://router.huggingface.co/");

    // An explicit per-model endpoint (the recordings' layout: a path ending in /models, other than the
    // default hf-inference one, which means the router root) keeps the model in the path.
    r.endpoint = QStringLiteral("http://127.0.0.1:8080/models/");
    r.model = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct:together");
    QCOMPARE(
        ChatCompletion::encode(r).url.toString(),
        QStringLiteral("http://127.0.0.1:8080/models/meta-llama/Llama-3.1-8B-Instruct/v1/chat/completions"));
    // A plain string is one user message; a system prompt comes first.
    r.inputs = QStringLiteral("What is deep learning?");
    QCOMPARE(ChatCompletion::chatBody(r).value(QStringLiteral("messages")).toArray(),
             ChatCompletion::messages(QString(), QStringLiteral("What is deep learning?")));
    const QJsonArray withSystem = ChatCompletion::messages(QStringLiteral("Be brief."), QStringLiteral("Hi"));
    QCOMPARE(withSystem.size(), 2);
    QCOMPARE(withSystem.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("system"));
}

void TestChatCompletion::encodeErrors()
{
    InferenceRequest r;
    r.task = ChatCompletion::taskId();
    r.model = QStringLiteral("m/x");
    QString error;

    r.inputs = QJsonArray{};
    QVERIFY(ChatCompletion::encode(r, &error).url.isEmpty());
    QVERIFY2(error.contains(QLatin1String("at least one user message")), qPrintable(error));

    r.inputs = QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("robot")},
                                      {QStringLiteral("content"), QStringLiteral("x")}}};
    QVERIFY(ChatCompletion::encode(r, &error).url.isEmpty());
    QVERIFY2(error.contains(QLatin1String("\"robot\"")) && error.contains(QLatin1String("assistant")),
             qPrintable(error));

    r.inputs = QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}}};
    QVERIFY(ChatCompletion::encode(r, &error).url.isEmpty());
    QVERIFY2(error.contains(QLatin1String("content")), qPrintable(error));

    // An empty user message (raw JSON) is caught like an empty turn in the editor.
    r.inputs = QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                      {QStringLiteral("content"), QStringLiteral("Hi")}},
                          QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                      {QStringLiteral("content"), QStringLiteral("  ")}}};
    QVERIFY(ChatCompletion::encode(r, &error).url.isEmpty());
    QVERIFY2(error.contains(QLatin1String("Message 2 (user) is empty")), qPrintable(error));

    r.inputs = QStringLiteral("hello");
    r.model = QStringLiteral("m/x:");
    QVERIFY(ChatCompletion::encode(r, &error).url.isEmpty());
    QVERIFY2(error.contains(QLatin1String("provider")), qPrintable(error));

    r.model = QStringLiteral("m/x");
    r.endpoint = QStringLiteral("ftp://example.org");
    QVERIFY(ChatCompletion::encode(r, &error).url.isEmpty());
    QVERIFY2(error.contains(QLatin1String("http(s)")), qPrintable(error));

    // An assistant turn with tool calls and no content is fine.
    r.endpoint.clear();
    r.inputs = QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                      {QStringLiteral("content"), QStringLiteral("x")}},
                          QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                      {QStringLiteral("content"), QJsonValue::Null},
                                      {QStringLiteral("tool_calls"), QJsonArray{QJsonObject{}}}},
                          QJsonObject{{QStringLiteral("role"), QStringLiteral("tool")},
                                      {QStringLiteral("content"), QStringLiteral("15 C")}}};
    QVERIFY2(!ChatCompletion::encode(r, &error).url.isEmpty(), qPrintable(error));
}

void TestChatCompletion::requestEncoderDelegates()
{
    InferenceRequest r;
    r.task = ChatCompletion::taskId();
    r.model = QStringLiteral("google/gemma-2-2b-it:cheapest");
    r.inputs = QStringLiteral("Hello");
    r.parameters = QJsonObject{{QStringLiteral("temperature"), 0.5}};
    r.stream = true;
    const auto viaEncoder = idesk::RequestEncoder::encode(r);
    const auto direct = ChatCompletion::encode(r);
    QCOMPARE(viaEncoder.url, direct.url);
    QCOMPARE(viaEncoder.body, direct.body);
    QCOMPARE(viaEncoder.url.toString(), QStringLiteral("https://router.huggingface.co/v1/chat/completions"));
}

void TestChatCompletion::completionsRoute()
{
    InferenceRequest r;
    r.task = QStringLiteral("text-generation");
    r.model = QStringLiteral("openai-community/gpt2");
    r.inputs = QStringLiteral("The answer to the universe is");
    r.parameters = QJsonObject{{QStringLiteral("max_new_tokens"), 12},
                               {QStringLiteral("temperature"), 0.7},
                               {QStringLiteral("details"), true},
                               {QStringLiteral("return_full_text"), false}};
    QString error;
    const auto e = ChatCompletion::encodeCompletion(r, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(e.url.toString(),
             QStringLiteral(
                 "https://router.huggingface.co/hf-inference/models/openai-community/gpt2/v1/completions"));
    const QJsonObject body = QJsonDocument::fromJson(e.body).object();
    const QJsonObject expected{{QStringLiteral("model"), r.model},
                               {QStringLiteral("prompt"), r.inputs},
                               {QStringLiteral("max_tokens"), 12},
                               {QStringLiteral("temperature"), 0.7},
                               {QStringLiteral("echo"), false}};
    QCOMPARE(body, expected);

    // Answered over the loopback socket: choices[0].text.
    const QJsonObject answer{
        {QStringLiteral("object"), QStringLiteral("text_completion")},
        {QStringLiteral("choices"),
         QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                {QStringLiteral("text"), QStringLiteral(" 42.")},
                                {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}}};
    QVERIFY(m_server->queue(
        QJsonArray{QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), answer}}}));
    r.endpoint = m_server->urlString() + QStringLiteral("/hf-inference/models");
    InferenceClient client;
    QSignalSpy finished(&client, &InferenceClient::finished);
    InferenceResult result;
    connect(&client, &InferenceClient::finished, this, [&](const InferenceResult &x) { result = x; });
    client.sendEncoded(ChatCompletion::encodeCompletion(r), r.options);
    QVERIFY(finished.wait(15000));
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(ChatCompletion::completionText(result.json().object()), QStringLiteral(" 42."));
    const QJsonObject received = m_server->requests().at(0).toObject();
    QCOMPARE(received.value(QStringLiteral("path")).toString(),
             QStringLiteral("/hf-inference/models/openai-community/gpt2/v1/completions"));
    ChatStreamAssembler read;
    QVERIFY(read.readAnswer(result.json().object()));
    QCOMPARE(read.dialect(), ChatStreamAssembler::Dialect::Completion);
    QCOMPARE(read.content(), QStringLiteral(" 42."));
    QCOMPARE(read.finishReason(), QStringLiteral("stop"));
}

void TestChatCompletion::recordedConversations_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &f : filesIn(QStringLiteral("conversational")))
        QTest::newRow(qPrintable(f.section(QLatin1Char('/'), 1))) << f;
}

void TestChatCompletion::recordedConversations()
{
    QFETCH(QString, file);
    QString loadError;
    const auto rec = Recording::load(file, &loadError);
    QVERIFY2(rec, qPrintable(loadError));
    const bool chatRoute = rec->path().endsWith(QLatin1String("/chat/completions")); // novita: /v3/openai/...
    if (!chatRoute) {
        // The 2024 fallback of the Python client for non-TGI models: {"inputs": {...}} on the model URL,
        // the legacy conversational task, not a chat request. Its answer is still read below.
        QVERIFY(rec->requestJson().toObject().contains(QStringLiteral("inputs")) || !rec->requestCaptured());
    }

    InferenceRequest request;
    request.task = ChatCompletion::taskId();
    request.endpoint = m_server->urlString();
    const QJsonObject recorded = rec->requestJson().toObject();
    const bool compareBody = rec->requestCaptured() && chatRoute && !recorded.isEmpty();
    if (compareBody) {
        request.model = modelOf(*rec);
        request.inputs = recorded.value(QStringLiteral("messages"));
        QJsonObject parameters = recorded;
        for (const char *key : {"model", "messages", "stream"})
            parameters.remove(QLatin1String(key));
        request.parameters = parameters;
        request.stream = recorded.value(QStringLiteral("stream")).toBool();
    } else {
        request.model = QStringLiteral("some/model");
        request.inputs = QStringLiteral("Hello");
        request.stream = rec->responseContentType() == QLatin1String("text/event-stream");
    }

    QVERIFY(m_server->queueFile(file));
    InferenceClient client;
    client.setRetryWhileLoading(false);
    const Sent sent = sendAndWait(client, request);
    QVERIFY2(sent.result.status == rec->status(), qPrintable(QStringLiteral("status %1, recorded %2: %3")
                                                                 .arg(sent.result.status)
                                                                 .arg(rec->status())
                                                                 .arg(sent.result.errorMessage)));

    const QJsonArray received = m_server->requests();
    QCOMPARE(received.size(), 1);
    const QJsonObject req = received.at(0).toObject();
    QCOMPARE(req.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
    QCOMPARE(req.value(QStringLiteral("path")).toString(), QStringLiteral("/v1/chat/completions"));
    const QJsonObject ours = QJsonDocument::fromJson(ReplayServer::body(req)).object();
    if (compareBody) {
        QCOMPARE(ours.value(QStringLiteral("model")).toString(), request.model);
        const QString diff = Recording::jsonDifference(normalised(recorded), normalised(ours));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        m_ran << file;
    }

    // The answer.
    if (rec->status() >= 400) {
        QVERIFY(!sent.result.ok());
        QCOMPARE(sent.result.exitCode(), 1);
        // The server's own words are in the sentence (first 40 characters, as quoted).
        const QJsonObject body = rec->responseJson().toObject();
        QString words = body.value(QStringLiteral("error")).toString();
        if (words.isEmpty())
            words = QString::fromUtf8(rec->responseBody()).trimmed();
        QVERIFY2(sent.result.errorMessage.contains(words.left(40)),
                 qPrintable(sent.result.errorMessage + QStringLiteral(" / expected: ") + words));
        return;
    }
    QVERIFY2(sent.result.ok(), qPrintable(sent.result.errorMessage));
    if (sent.result.isEventStream()) {
        const Expected expected = expectedFromStream(rec->responseBody());
        QVERIFY(expected.events > 0);
        QCOMPARE(sent.liveEvents, expected.events);
        QCOMPARE(sent.live.content(), expected.text);
        QVERIFY2(!sent.live.content().isEmpty(), "a recorded stream with no text");
        QCOMPARE(sent.live.finishReason(), expected.finishReason);
        QCOMPARE(sent.live.usage().present, !expected.usage.isEmpty());
        if (!expected.usage.isEmpty())
            QCOMPARE(sent.live.usage().totalTokens,
                     expected.usage.value(QStringLiteral("total_tokens")).toInteger());
        // The assembled answer reads back like a non-streamed one.
        ChatStreamAssembler again;
        QVERIFY(again.readAnswer(sent.live.toChatCompletion()));
        QCOMPARE(again.content(), expected.text);
        QCOMPARE(again.finishReason(), expected.finishReason);
        return;
    }
    const QJsonValue answer = rec->responseJson();
    ChatStreamAssembler read;
    QVERIFY2(read.readAnswer(answer), qPrintable(QString::fromUtf8(rec->responseBody().left(200))));
    if (!answer.isObject() || !answer.toObject().contains(QStringLiteral("choices")))
        return; // the legacy conversational fallback ([{"generated_text"}])
    const QJsonObject choice = answer.toObject().value(QStringLiteral("choices")).toArray().at(0).toObject();
    const QJsonObject message = choice.value(QStringLiteral("message")).toObject();
    QCOMPARE(read.content(), message.value(QStringLiteral("content")).toString());
    QCOMPARE(read.finishReason(), choice.value(QStringLiteral("finish_reason")).toString());
    const QJsonObject usage = answer.toObject().value(QStringLiteral("usage")).toObject();
    if (!usage.isEmpty()) {
        QVERIFY(read.usage().present);
        QCOMPARE(read.usage().promptTokens, usage.value(QStringLiteral("prompt_tokens")).toInteger());
        QCOMPARE(read.usage().completionTokens, usage.value(QStringLiteral("completion_tokens")).toInteger());
    }
    const QJsonArray calls = message.value(QStringLiteral("tool_calls")).toArray();
    QCOMPARE(read.toolCalls().size(), calls.size());
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QJsonObject function = calls.at(i).toObject().value(QStringLiteral("function")).toObject();
        QCOMPARE(read.toolCalls().at(i).name, function.value(QStringLiteral("name")).toString());
        // Arguments were a JSON object (old TGI) or a JSON text: either way the same JSON once parsed.
        const QJsonValue args = function.value(QStringLiteral("arguments"));
        const QJsonObject expectedArgs =
            args.isObject() ? args.toObject() : QJsonDocument::fromJson(args.toString().toUtf8()).object();
        QCOMPARE(QJsonDocument::fromJson(read.toolCalls().at(i).arguments.toUtf8()).object(), expectedArgs);
        QVERIFY(read.toolCalls().at(i).prettyArguments().contains(QLatin1Char('\n')));
    }
    if (file.contains(QLatin1String("with_tool")))
        QVERIFY2(!calls.isEmpty(), "the tool recording must carry tool calls");
}

void TestChatCompletion::recordingsCovered()
{
    // Every captured chat request was compared (the data rows above ran in this process).
    int captured = 0;
    for (const QString &f : filesIn(QStringLiteral("conversational"))) {
        const auto rec = Recording::load(f);
        QVERIFY(rec);
        if (rec->requestCaptured() && rec->path().endsWith(QLatin1String("/chat/completions")))
            ++captured;
    }
    QVERIFY(captured >= 30);
    QCOMPARE(int(m_ran.size()), captured);
    QVERIFY(m_ran.contains(QStringLiteral("conversational/a2501_ICV_chat_completion_with_tool-0.json")));
    QVERIFY(m_ran.contains(
        QStringLiteral("conversational/a2501_ICV_chat_completion_with_response_format-0.json")));
}

void TestChatCompletion::textGenerationStreams_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &f : filesIn(QStringLiteral("text-generation"))) {
        const auto rec = Recording::load(f);
        if (rec && rec->responseContentType() == QLatin1String("text/event-stream"))
            QTest::newRow(qPrintable(f.section(QLatin1Char('/'), 1))) << f;
    }
}

void TestChatCompletion::textGenerationStreams()
{
    QFETCH(QString, file);
    const auto rec = Recording::load(file);
    QVERIFY(rec);
    const Expected expected = expectedFromStream(rec->responseBody());
    ChatStreamAssembler a;
    a.feedBytes(rec->responseBody());
    a.finishBytes();
    QCOMPARE(a.dialect(), ChatStreamAssembler::Dialect::TextGeneration);
    QCOMPARE(a.content(), expected.text);
    QVERIFY(!a.content().isEmpty());
    QCOMPARE(a.finishReason(), expected.finishReason);
    QCOMPARE(
        a.toTextGeneration().at(0).toObject().value(QStringLiteral("generated_text")).toString().isEmpty(),
        false);

    // Over the socket, as `call --task text-generation --stream` sends it: the live assembly is the same.
    InferenceRequest request;
    request.task = QStringLiteral("text-generation");
    request.model = QStringLiteral("google/flan-t5-xxl");
    request.endpoint = m_server->urlString() + QStringLiteral("/hf-inference/models");
    request.inputs =
        rec->requestJson().toObject().value(QStringLiteral("inputs")).toString(QStringLiteral("test"));
    request.stream = true;
    QVERIFY(m_server->queueFile(file));
    InferenceClient client;
    const Sent sent = sendAndWait(client, request);
    QVERIFY2(sent.result.ok(), qPrintable(sent.result.errorMessage));
    QCOMPARE(sent.live.content(), expected.text);
    QCOMPARE(sent.live.finishReason(), expected.finishReason);
    QCOMPARE(sent.liveEvents, expected.events);
}

void TestChatCompletion::toolCallsStreamedByIndex()
{
    QJsonObject first = chunk(QJsonObject{
        {QStringLiteral("role"), QStringLiteral("assistant")},
        {QStringLiteral("tool_calls"),
         QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                {QStringLiteral("id"), QStringLiteral("call_1")},
                                {QStringLiteral("type"), QStringLiteral("function")},
                                {QStringLiteral("function"),
                                 QJsonObject{{QStringLiteral("name"), QStringLiteral("get_weather")},
                                             {QStringLiteral("arguments"), QStringLiteral("{\"loc")}}}}}}});
    const auto part = [](int index, const QString &args, const QString &name = QString()) {
        QJsonObject function{{QStringLiteral("arguments"), args}};
        if (!name.isEmpty())
            function.insert(QStringLiteral("name"), name);
        return chunk(QJsonObject{
            {QStringLiteral("tool_calls"), QJsonArray{QJsonObject{{QStringLiteral("index"), index},
                                                                  {QStringLiteral("function"), function}}}}});
    };
    QJsonObject last = chunk(QJsonObject{}, QStringLiteral("tool_calls"));
    last.insert(QStringLiteral("usage"), QJsonObject{{QStringLiteral("prompt_tokens"), 80},
                                                     {QStringLiteral("completion_tokens"), 30}});
    const QByteArray stream =
        sse({first, part(1, QStringLiteral("{\"days\":"), QStringLiteral("forecast")),
             part(0, QStringLiteral("ation\": \"Paris\"}")), part(1, QStringLiteral(" 3}")), last});
    ChatStreamAssembler a;
    a.feedBytes(stream);
    a.finishBytes();
    QCOMPARE(a.toolCalls().size(), 2);
    QCOMPARE(a.toolCalls().at(0).id, QStringLiteral("call_1"));
    QCOMPARE(a.toolCalls().at(0).name, QStringLiteral("get_weather"));
    QCOMPARE(a.toolCalls().at(0).arguments, QStringLiteral("{\"location\": \"Paris\"}"));
    QCOMPARE(a.toolCalls().at(1).name, QStringLiteral("forecast"));
    QCOMPARE(a.toolCalls().at(1).arguments, QStringLiteral("{\"days\": 3}"));
    QCOMPARE(a.toolCalls().at(1).prettyArguments(), QStringLiteral("{\n    \"days\": 3\n}"));
    QCOMPARE(a.finishReason(), QStringLiteral("tool_calls"));
    QCOMPARE(a.usage().totalTokens, 110);
    QVERIFY(a.content().isEmpty());
    const QJsonObject message = a.toChatCompletion()
                                    .value(QStringLiteral("choices"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("message"))
                                    .toObject();
    QVERIFY(message.value(QStringLiteral("content")).isNull());
    QCOMPARE(message.value(QStringLiteral("tool_calls")).toArray().size(), 2);
    QVERIFY(a.summaryLine().contains(QLatin1String("tool_calls")));
    QVERIFY(a.summaryLine().contains(QLatin1String("110")));
}

void TestChatCompletion::errorEvents()
{
    // TGI: an error object as the data of an event, mid-stream.
    ChatStreamAssembler tgi;
    tgi.feedBytes("data:{\"token\":{\"text\":\"Hel\",\"special\":false}}\n\n"
                  "data:{\"error\":\"Request failed during generation: Server error: CUDA out of memory\","
                  "\"error_type\":\"generation\"}\n\n");
    QCOMPARE(tgi.content(), QStringLiteral("Hel"));
    QVERIFY(tgi.hasError());
    QVERIFY(tgi.errorMessage().contains(QLatin1String("CUDA out of memory")));

    // OpenAI dialect: {"error": {"message"}} after a [DONE]-style stream, CRLF line ends.
    ChatStreamAssembler openai;
    openai.feedBytes(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\r\n\r\n"
        "data: {\"error\":{\"message\":\"Rate limit reached for model\",\"type\":\"rate_limit\"}}\r\n\r\n");
    QVERIFY(openai.hasError());
    QCOMPARE(openai.errorMessage(), QStringLiteral("Rate limit reached for model"));
    QCOMPARE(openai.content(), QStringLiteral("Hi"));

    // An `event: error` event with plain text data.
    ChatStreamAssembler named;
    named.feedBytes("event: error\ndata: upstream provider timed out\n\n");
    QVERIFY(named.hasError());
    QCOMPARE(named.errorMessage(), QStringLiteral("upstream provider timed out"));

    // Over the socket: the client passes error events on, and the assembler catches them.
    QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(
        sse({chunk(QJsonObject{{QStringLiteral("content"), QStringLiteral("Par")}}),
             QJsonObject{{QStringLiteral("error"), QStringLiteral("Model overloaded")}}},
            false))}));
    InferenceRequest r;
    r.task = ChatCompletion::taskId();
    r.model = QStringLiteral("x/y");
    r.endpoint = m_server->urlString();
    r.inputs = QStringLiteral("Capital of France?");
    r.stream = true;
    InferenceClient client;
    const Sent sent = sendAndWait(client, r);
    QVERIFY(sent.result.ok());
    QVERIFY(sent.live.hasError());
    QCOMPARE(sent.live.errorMessage(), QStringLiteral("Model overloaded"));
    QCOMPARE(sent.live.content(), QStringLiteral("Par"));
}

void TestChatCompletion::byteAtATime()
{
    const auto rec = Recording::load(
        QStringLiteral("conversational/r2504_TIC_chat_completion_with_stream_together-1.json"));
    QVERIFY(rec);
    ChatStreamAssembler whole, bytes;
    whole.feedBytes(rec->responseBody());
    whole.finishBytes();
    QString streamed;
    const QByteArray body = rec->responseBody();
    for (qsizetype i = 0; i < body.size(); ++i)
        streamed += bytes.feedBytes(body.mid(i, 1));
    streamed += bytes.finishBytes();
    QCOMPARE(bytes.content(), whole.content());
    QCOMPARE(streamed, whole.content());
    QCOMPARE(bytes.usage().totalTokens, whole.usage().totalTokens);
    QCOMPARE(whole.content(), expectedFromStream(body).text);
}

void TestChatCompletion::stopMidStream()
{
    const QString file = QStringLiteral("conversational/r2504_OAI_with_stream_true-1.json");
    const auto rec = Recording::load(file);
    QVERIFY(rec);
    const QString full = expectedFromStream(rec->responseBody()).text;
    QVERIFY(m_server->queueFile(
        file, QJsonObject{{QStringLiteral("chunk_delay_ms"), 60}, {QStringLiteral("chunk_size"), 300}}));
    InferenceRequest r;
    r.task = ChatCompletion::taskId();
    r.model = QStringLiteral("meta-llama/Meta-Llama-3-8B-Instruct");
    r.endpoint = m_server->urlString();
    r.inputs = QStringLiteral("What is deep learning?");
    r.stream = true;

    InferenceClient client;
    ChatStreamAssembler live;
    int events = 0;
    connect(&client, &InferenceClient::streamEvent, this, [&](const QByteArray &data) {
        live.addEvent(data);
        ++events;
    });
    InferenceResult result;
    QSignalSpy finished(&client, &InferenceClient::finished);
    connect(&client, &InferenceClient::finished, this, [&](const InferenceResult &x) { result = x; });
    client.start(r);
    QTRY_VERIFY_WITH_TIMEOUT(events >= 3, 15000);
    client.cancel();
    if (finished.isEmpty())
        QVERIFY(finished.wait(5000));
    QCOMPARE(result.outcome, InferenceResult::Outcome::Cancelled);
    QVERIFY(!live.content().isEmpty());
    QVERIFY2(live.content().size() < full.size(), "the whole answer arrived before Stop");
    QVERIFY(full.startsWith(live.content()));
    // The partial answer is kept in the result too.
    ChatStreamAssembler fromBody;
    fromBody.feedBytes(result.body);
    QVERIFY(full.startsWith(fromBody.content()));
    QVERIFY(fromBody.content().size() >= live.content().size());
    // The server saw the client go away before the end of the answer.
    QTRY_VERIFY_WITH_TIMEOUT(
        m_server->requests().at(0).toObject().value(QStringLiteral("client_gone")).toBool(), 10000);
    QVERIFY(!m_server->requests().at(0).toObject().value(QStringLiteral("response_complete")).toBool());
}

void TestChatCompletion::lookupFollowsRenameAndCaches()
{
    const QString cacheFile = m_cacheDir.filePath(QStringLiteral("rename/model-info.json"));
    ModelInfoLookup lookup;
    lookup.setHubEndpoint(m_server->urlString());
    lookup.setCacheFile(cacheFile);
    // 307 (renamed repo, relative Location) then the model card.
    QVERIFY(m_server->queueFile(
        QStringLiteral("hub-model-info/r2504_fn_openai_compatibility_without_base_url-0.json")));
    QVERIFY(m_server->queueFile(
        QStringLiteral("hub-model-info/r2504_fn_openai_compatibility_without_base_url-1.json")));
    QElapsedTimer clock;
    clock.start();
    const QString tag = lookup.pipelineTag(QStringLiteral("meta-llama/Meta-Llama-3.1-8B-Instruct:fastest"));
    QVERIFY2(!tag.isEmpty(), QJsonDocument(m_server->requests()).toJson(QJsonDocument::Compact).constData());
    QCOMPARE(tag, QStringLiteral("text-generation"));
    QVERIFY(clock.elapsed() < 2000);
    const QJsonArray received = m_server->requests();
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.at(0).toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/api/models/meta-llama/Meta-Llama-3.1-8B-Instruct"));
    QCOMPARE(received.at(1).toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/api/models/meta-llama/Llama-3.1-8B-Instruct"));
    QVERIFY2(!received.at(0)
                  .toObject()
                  .value(QStringLiteral("headers"))
                  .toObject()
                  .contains(QStringLiteral("authorization")),
             "the hub lookup must not carry a token");

    // Cached in memory: no new request.
    QCOMPARE(lookup.pipelineTag(QStringLiteral("meta-llama/Meta-Llama-3.1-8B-Instruct")),
             QStringLiteral("text-generation"));
    QCOMPARE(m_server->requests().size(), 2);
    // Cached on disk: a fresh process (memory cleared) reads the file.
    QVERIFY(QFile::exists(cacheFile));
    ModelInfoLookup::clearMemoryCache();
    ModelInfoLookup again;
    again.setHubEndpoint(m_server->urlString());
    again.setCacheFile(cacheFile);
    QCOMPARE(again.cached(QStringLiteral("meta-llama/Meta-Llama-3.1-8B-Instruct")),
             std::optional<QString>(QStringLiteral("text-generation")));
    QCOMPARE(m_server->requests().size(), 2);
    // The asynchronous form.
    QSignalSpy done(&again, &ModelInfoLookup::finished);
    again.lookup(QStringLiteral("meta-llama/Meta-Llama-3.1-8B-Instruct"));
    QVERIFY(done.wait(3000));
    QCOMPARE(done.at(0).at(1).toString(), QStringLiteral("text-generation"));
}

void TestChatCompletion::lookupFailuresAreUnknown()
{
    ModelInfoLookup lookup;
    lookup.setHubEndpoint(m_server->urlString());
    lookup.setCacheFile(m_cacheDir.filePath(QStringLiteral("fail.json")));
    lookup.setTimeoutMs(400);
    // A hub that does not answer in time.
    QVERIFY(m_server->queue(QJsonArray{
        QJsonObject{{QStringLiteral("status"), 200},
                    {QStringLiteral("body"),
                     QJsonObject{{QStringLiteral("pipeline_tag"), QStringLiteral("text-generation")}}},
                    {QStringLiteral("delay_first_byte_ms"), 5000}}}));
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(lookup.pipelineTag(QStringLiteral("slow/model")), QString());
    QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed())));
    // 404 and a server error: unknown, and not written to the file.
    QVERIFY(m_server->queue(QJsonArray{
        QJsonObject{{QStringLiteral("status"), 404},
                    {QStringLiteral("body"),
                     QJsonObject{{QStringLiteral("error"), QStringLiteral("Repository not found")}}}},
        QJsonObject{{QStringLiteral("status"), 500}, {QStringLiteral("body"), QStringLiteral("oops")}}}));
    QCOMPARE(lookup.pipelineTag(QStringLiteral("missing/model")), QString());
    QCOMPARE(lookup.pipelineTag(QStringLiteral("broken/model")), QString());
    QVERIFY(!QFile::exists(m_cacheDir.filePath(QStringLiteral("fail.json"))));
    // Nothing listens: unknown.
    ModelInfoLookup nowhere;
    nowhere.setHubEndpoint(QStringLiteral("http://127.0.0.1:1"));
    nowhere.setCacheFile(QString());
    QCOMPARE(nowhere.pipelineTag(QStringLiteral("any/model")), QString());
}

void TestChatCompletion::lookupFailuresAreKeptBriefly()
{
    struct RestoreLifetime
    {
        ~RestoreLifetime()
        {
            ModelInfoLookup::setFailureLifetimeMs(ModelInfoLookup::defaultFailureLifetimeMs);
        }
    } restore;
    QCOMPARE(ModelInfoLookup::failureLifetimeMs(), qint64(60 * 1000));
    ModelInfoLookup lookup;
    lookup.setHubEndpoint(m_server->urlString());
    lookup.setCacheFile(QString());
    const QString model = QStringLiteral("flaky/llm");
    const QJsonObject card{{QStringLiteral("id"), model},
                           {QStringLiteral("pipeline_tag"), QStringLiteral("text-generation")}};
    const QJsonObject badGateway{{QStringLiteral("status"), 502},
                                 {QStringLiteral("body"), QStringLiteral("bad gateway")}};

    // Within the lifetime, a failure is remembered: "" and no second request.
    QVERIFY(m_server->queue(QJsonArray{badGateway}));
    QCOMPARE(lookup.pipelineTag(model), QString());
    QCOMPARE(lookup.cached(model), std::optional<QString>(QString()));
    QCOMPARE(lookup.pipelineTag(model), QString());
    QCOMPARE(m_server->requests().size(), 1);

    // Once the failure has expired, cached() says "never looked up" and a lookup asks the hub again.
    ModelInfoLookup::clearMemoryCache();
    ModelInfoLookup::setFailureLifetimeMs(0);
    QVERIFY(m_server->queue(QJsonArray{badGateway}));
    QCOMPARE(lookup.pipelineTag(model), QString());
    QCOMPARE(m_server->requests().size(), 2);
    QCOMPARE(lookup.cached(model), std::optional<QString>());
    QVERIFY(m_server->queue(
        QJsonArray{QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), card}}}));
    QSignalSpy done(&lookup, &ModelInfoLookup::finished);
    lookup.lookup(model);
    QVERIFY(done.wait(3000));
    QCOMPARE(done.at(0).at(1).toString(), QStringLiteral("text-generation"));
    QCOMPARE(m_server->requests().size(), 3);
    // A real answer is kept for the process, whatever the failure lifetime.
    QCOMPARE(lookup.cached(model), std::optional<QString>(QStringLiteral("text-generation")));
    QCOMPARE(lookup.pipelineTag(model), QStringLiteral("text-generation"));
    QCOMPARE(m_server->requests().size(), 3);
}

void TestChatCompletion::asChatIfLlm()
{
    ModelInfoLookup lookup;
    lookup.setHubEndpoint(m_server->urlString());
    lookup.setCacheFile(QString());

    InferenceRequest kestra; // Kestra's generic form
    kestra.endpoint = m_server->urlString() + QStringLiteral("/hf-inference/models");
    kestra.model = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct");
    kestra.inputs = QStringLiteral("What is deep learning?");
    kestra.parameters =
        QJsonObject{{QStringLiteral("max_new_tokens"), 20}, {QStringLiteral("do_sample"), false}};

    QVERIFY(m_server->queueFile(
        QStringLiteral("hub-model-info/r2504_TIC_chat_completion_no_stream_hf-inference-0.json")));
    QStringList notes;
    const auto chat = ChatCompletion::asChatIfLlm(kestra, lookup, &notes);
    QVERIFY(chat.has_value());
    QCOMPARE(chat->task, ChatCompletion::taskId());
    QCOMPARE(chat->endpoint, m_server->urlString());
    QCOMPARE(chat->inputs.toArray(),
             ChatCompletion::messages(QString(), QStringLiteral("What is deep learning?")));
    QCOMPARE(chat->parameters, (QJsonObject{{QStringLiteral("max_tokens"), 20}}));
    QVERIFY2(notes.join(QLatin1Char('\n')).contains(QLatin1String("do_sample")),
             qPrintable(notes.join(QLatin1Char('\n'))));
    QVERIFY(notes.first().contains(QLatin1String("one-message chat")));
    QCOMPARE(ChatCompletion::encode(*chat).url.toString(),
             m_server->urlString() + QStringLiteral("/v1/chat/completions"));

    // Not an LLM: unchanged (std::nullopt).
    QVERIFY(m_server->queueFile(
        QStringLiteral("hub-model-info/r2504_TIC_text_classification_hf-inference-0.json")));
    InferenceRequest classifier = kestra;
    classifier.model = QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english");
    QVERIFY(!ChatCompletion::asChatIfLlm(classifier, lookup).has_value());

    // A task given, JSON inputs, or an endpoint that is neither the router nor the hub's origin: no lookup.
    m_server->clearRequests();
    InferenceRequest withTask = kestra;
    withTask.task = QStringLiteral("text-generation");
    QVERIFY(!ChatCompletion::asChatIfLlm(withTask, lookup).has_value());
    InferenceRequest jsonInputs = kestra;
    jsonInputs.inputs = QJsonObject{{QStringLiteral("question"), QStringLiteral("?")}};
    QVERIFY(!ChatCompletion::asChatIfLlm(jsonInputs, lookup).has_value());
    InferenceRequest privateServer = kestra;
    privateServer.model = QStringLiteral("other/llm");
    privateServer.endpoint = QStringLiteral("http://127.0.0.2:9/models");
    QVERIFY(!ChatCompletion::asChatIfLlm(privateServer, lookup).has_value());
    QCOMPARE(m_server->requests().size(), 0);

    // Hub down: unknown, Kestra's form unchanged.
    ModelInfoLookup down;
    down.setHubEndpoint(m_server->urlString());
    down.setCacheFile(QString());
    QVERIFY(m_server->queue(QJsonArray{QJsonObject{
        {QStringLiteral("status"), 502}, {QStringLiteral("body"), QStringLiteral("bad gateway")}}}));
    InferenceRequest unknown = kestra;
    unknown.model = QStringLiteral("unknown/llm");
    QVERIFY(!ChatCompletion::asChatIfLlm(unknown, down).has_value());
}

QTEST_GUILESS_MAIN(TestChatCompletion)
#include "TestChatCompletion.moc"
