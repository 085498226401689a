// Replays every recording of tests/data/recordings that the core can run (the hf-inference ones) over a
// real loopback socket, over HTTP and over HTTPS, and checks both directions:
//  - the request InferenceClient sends, against the recorded one (Recording::compareRequest: method,
//    path, JSON body semantically or raw bytes, Content-Type, x-wait-for-model), plus the token and the
//    User-Agent;
//  - what the client makes of the recorded answer: status, body, error sentence, exit code.
// A 503 "currently loading" recording is replayed together with the retry that followed it; the client
// retries by itself with x-wait-for-model: true.
// Files that cannot be run are listed, with the reason, in one summary at the end (no QSKIP), and the
// test fails when fewer than 60 rows ran.

#include "Recording.h"
#include "ReplayServer.h"
#include "TestConfig.h"

#include "InferenceClient.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "RequestEncoder.h"
#include "TaskCatalog.h"
#include "TokenPolicy.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QSignalSpy>
#include <QtTest>

#include <memory>

using idesk::InferenceClient;
using idesk::InferenceRequest;
using idesk::InferenceResult;
using idesk::InputKind;
using idesk::TaskCatalog;
using idesk::test::Recording;
using idesk::test::ReplayServer;

namespace {

constexpr int kMinimumRows = 60;
const QString kToken = QStringLiteral("hf_test_token");

struct ManifestLine
{
    QString file, task, provider, urlPath, urlShape, kind;
};

QList<ManifestLine> readManifest()
{
    QList<ManifestLine> lines;
    QFile file(QStringLiteral(IDESK_TEST_DATA_DIR "/recordings/MANIFEST.tsv"));
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    const QList<QByteArray> rows = file.readAll().split('\n');
    const QStringList header = QString::fromUtf8(rows.value(0)).split(QLatin1Char('\t'));
    const auto col = [&](const char *name) { return header.indexOf(QLatin1String(name)); };
    const int cFile = col("file"), cTask = col("task"), cProvider = col("provider"), cPath = col("url_path"),
              cShape = col("url_shape"), cKind = col("kind");
    for (int i = 1; i < rows.size(); ++i) {
        const QStringList f = QString::fromUtf8(rows.at(i)).split(QLatin1Char('\t'));
        if (f.size() < header.size() - 1)
            continue;
        lines.append({f.value(cFile), f.value(cTask), f.value(cProvider), f.value(cPath), f.value(cShape),
                      f.value(cKind)});
    }
    return lines;
}

// The retry recorded after a 503 "loading" file: same name with the interaction index + 1.
QString retryFileOf(const QString &file)
{
    static const QRegularExpression index(QStringLiteral("-(\\d+)\\.json$"));
    const QRegularExpressionMatch m = index.match(file);
    if (!m.hasMatch())
        return {};
    QString next = file;
    next.replace(m.capturedStart(1), m.capturedLength(1), QString::number(m.captured(1).toInt() + 1));
    return next;
}

bool isLoading503(const Recording &r)
{
    return r.status() == 503 && r.responseJson()
                                    .toObject()
                                    .value(QStringLiteral("error"))
                                    .toString()
                                    .contains(QStringLiteral("currently loading"));
}

// The server's own words in an error answer, found independently of ErrorExplainer: each piece must
// appear in result.errorMessage.
QStringList serverWords(const Recording &r)
{
    QStringList words;
    if (r.responseIsJson()) {
        const QJsonValue error = r.responseJson().toObject().value(QStringLiteral("error"));
        if (error.isString())
            words << error.toString();
        else if (error.isArray())
            for (const QJsonValue &v : error.toArray())
                words << v.toString();
        else if (error.isObject())
            words << error.toObject().value(QStringLiteral("message")).toString();
    } else {
        words << QString::fromUtf8(r.responseBody()).simplified();
    }
    words.removeAll(QString());
    return words;
}

int countSseEvents(const QByteArray &body)
{
    int n = 0;
    for (const QByteArray &line : body.split('\n')) {
        const QByteArray l = line.trimmed();
        if (l.startsWith("data:") && l.mid(5).trimmed() != "[DONE]")
            ++n;
    }
    return n;
}

} // namespace

class TestReplayRecordings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void compareRequestNormalisesAndCatches();
    void replay_data();
    void replay();
    void cleanupTestCase();

private:
    // Builds the request a person would make to get the recorded exchange. `notes` collects what was
    // adapted (for the summary).
    InferenceRequest requestFor(const Recording &r, const QString &model, const QString &serverUrl,
                                QString *why) const;

    std::unique_ptr<ReplayServer> m_http;
    std::unique_ptr<ReplayServer> m_https;
    QStringList m_skipped; // "file: reason"
    QStringList m_adapted; // "file: what the test did differently"
    QSet<QString> m_rowsRun;
    int m_requestsCompared = 0;
    int m_rowsPlanned = 0;
};

void TestReplayRecordings::initTestCase()
{
    m_http = std::make_unique<ReplayServer>(ReplayServer::Http);
    QVERIFY2(m_http->isRunning(), qPrintable(m_http->errorString()));
    m_https = std::make_unique<ReplayServer>(ReplayServer::Tls);
    QVERIFY2(m_https->isRunning(), qPrintable(m_https->errorString()));
}

// The comparison itself: the documented normalisations make equal what the server took as equal, and
// a real difference in any part is reported.
void TestReplayRecordings::compareRequestNormalisesAndCatches()
{
    const auto retry = Recording::load(
        QStringLiteral("token-classification/e250123_TIC_token_classification_hf-inference-1.json"));
    QVERIFY(retry);
    QCOMPARE(retry->requestJson().toObject().value(QStringLiteral("parameters")), QJsonValue(QJsonObject{}));
    const QString text = retry->requestJson().toObject().value(QStringLiteral("inputs")).toString();
    auto received = [&](const QByteArray &body, const QString &path, const QString &wait,
                        const QString &type = QStringLiteral("application/json")) {
        return QJsonObject{
            {QStringLiteral("method"), QStringLiteral("POST")},
            {QStringLiteral("path"), path},
            {QStringLiteral("query"), QString()},
            {QStringLiteral("headers"),
             QJsonObject{{QStringLiteral("content-type"), type}, {QStringLiteral("x-wait-for-model"), wait}}},
            {QStringLiteral("body_base64"), QString::fromLatin1(body.toBase64())}};
    };
    const QByteArray ours = QJsonDocument(QJsonObject{{QStringLiteral("inputs"), text}}).toJson();
    // Empty parameters == absent; recorded X-wait-for-model: 1 == our true.
    QCOMPARE(retry->compareRequest(received(ours, retry->path(), QStringLiteral("true"))), QStringList());
    QCOMPARE(retry->compareRequest(received(ours, retry->path(), QStringLiteral("false"))).size(), 1);
    QCOMPARE(
        retry->compareRequest(received(ours, retry->path() + QStringLiteral("x"), QStringLiteral("true")))
            .size(),
        1);
    QCOMPARE(retry
                 ->compareRequest(
                     received(ours, retry->path(), QStringLiteral("true"), QStringLiteral("text/plain")))
                 .size(),
             1);
    const QByteArray other =
        QJsonDocument(QJsonObject{{QStringLiteral("inputs"), text + QLatin1Char('!')}}).toJson();
    QCOMPARE(retry->compareRequest(received(other, retry->path(), QStringLiteral("true"))).size(), 1);
    const QByteArray extra =
        QJsonDocument(QJsonObject{{QStringLiteral("inputs"), text},
                                  {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("top_k"), 2}}}})
            .toJson();
    QCOMPARE(retry->compareRequest(received(extra, retry->path(), QStringLiteral("true"))).size(), 1);
    QCOMPARE(retry->compareRequest(received("{\"inputs\":", retry->path(), QStringLiteral("true"))).size(),
             1);

    // Null-valued parameters (the Python client's unset ones) == absent; "stream": false == absent.
    const Recording::NormalisedBody tgi = Recording::normaliseBody(
        QJsonObject{{QStringLiteral("inputs"), QStringLiteral("test")},
                    {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("seed"), QJsonValue::Null},
                                                               {QStringLiteral("max_new_tokens"), 1}}},
                    {QStringLiteral("stream"), false}});
    QCOMPARE(tgi.body, QJsonValue(QJsonObject{{QStringLiteral("inputs"), QStringLiteral("test")},
                                              {QStringLiteral("parameters"),
                                               QJsonObject{{QStringLiteral("max_new_tokens"), 1}}}}));
    // Legacy top-level inputs and options.
    const Recording::NormalisedBody legacy = Recording::normaliseBody(
        QJsonObject{{QStringLiteral("inputs"), QJsonValue::Null},
                    {QStringLiteral("query"), QStringLiteral("q")},
                    {QStringLiteral("table"), QJsonObject{}},
                    {QStringLiteral("options"), QJsonObject{{QStringLiteral("wait_for_model"), true},
                                                            {QStringLiteral("use_gpu"), false}}}});
    QCOMPARE(legacy.body, QJsonValue(QJsonObject{{QStringLiteral("inputs"),
                                                  QJsonObject{{QStringLiteral("query"), QStringLiteral("q")},
                                                              {QStringLiteral("table"), QJsonObject{}}}}}));
    QCOMPARE(legacy.waitForModel, std::optional<bool>(true));
    QVERIFY(!legacy.useCache);

    // Binary bodies: the bytes, and the file's MIME type when none was recorded.
    const auto image = Recording::load(
        QStringLiteral("image-classification/r2504_TIC_image_classification_hf-inference-1.json"));
    QVERIFY(image);
    QVERIFY(!image->requestIsJson());
    QCOMPARE(image->requestSniffedType(), QStringLiteral("image/png"));
    QCOMPARE(image->compareRequest(received(image->requestBytes(), image->path(), QStringLiteral("false"),
                                            QStringLiteral("image/png"))),
             QStringList());
    QCOMPARE(image
                 ->compareRequest(received(image->requestBytes(), image->path(), QStringLiteral("false"),
                                           QStringLiteral("application/octet-stream")))
                 .size(),
             1);
    QByteArray changed = image->requestBytes();
    changed[changed.size() / 2] = char(changed.at(changed.size() / 2) ^ 1);
    QCOMPARE(image
                 ->compareRequest(
                     received(changed, image->path(), QStringLiteral("false"), QStringLiteral("image/png")))
                 .size(),
             1);
    // Not recorded with x-wait-for-model: sending true is a difference.
    QCOMPARE(image
                 ->compareRequest(received(image->requestBytes(), image->path(), QStringLiteral("true"),
                                           QStringLiteral("image/png")))
                 .size(),
             1);
}

void TestReplayRecordings::replay_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QStringList>("queued"); // the recordings served, in order
    QTest::addColumn<bool>("tls");

    const QList<ManifestLine> manifest = readManifest();
    QVERIFY2(manifest.size() > 300, "tests/data/recordings/MANIFEST.tsv is missing or short");
    m_skipped.clear();
    m_rowsPlanned = 0;
    for (const ManifestLine &line : manifest) {
        if (line.kind == QLatin1String("hub-api")) {
            m_skipped
                << QStringLiteral("%1: Hub API answer (%2), not an inference call").arg(line.file, line.task);
            continue;
        }
        if (line.provider != QLatin1String("hf-inference")) {
            m_skipped << QStringLiteral("%1: third-party provider %2 (another issue)")
                             .arg(line.file, line.provider);
            continue;
        }
        if (line.urlPath.contains(QLatin1String("/v1/chat/completions"))) {
            m_skipped << QStringLiteral("%1: chat-completion URL (another issue)").arg(line.file);
            continue;
        }
        QString error;
        const auto recording = Recording::load(line.file, &error);
        QVERIFY2(recording, qPrintable(error));
        const QString model = recording->modelFromShape(line.urlShape);
        if (model.isEmpty()) {
            m_skipped << QStringLiteral("%1: no model in %2 for the shape %3")
                             .arg(line.file, line.urlPath, line.urlShape);
            continue;
        }
        QStringList queued{line.file};
        if (isLoading503(*recording)) {
            const QString retry = retryFileOf(line.file);
            const auto next = Recording::load(retry);
            if (!next || !Recording::truthy(next->requestHeader("X-wait-for-model"))) {
                m_skipped << QStringLiteral("%1: 503 loading without its recorded retry").arg(line.file);
                continue;
            }
            queued << retry;
        }
        for (const bool tls : {false, true}) {
            QTest::newRow(qPrintable(line.file + (tls ? QStringLiteral(" https") : QStringLiteral(" http"))))
                << line.file << model << queued << tls;
            ++m_rowsPlanned;
        }
    }
}

InferenceRequest TestReplayRecordings::requestFor(const Recording &r, const QString &model,
                                                  const QString &serverUrl, QString *why) const
{
    InferenceRequest request;
    request.model = model;
    // The endpoint is what comes before /{model} (or /{model}/pipeline/{task}) in the recorded path,
    // on the replay server: the paths then coincide whatever era the recording is from.
    QString path = r.path();
    const QString pipelineSuffix = QStringLiteral("/%1/pipeline/%2").arg(model, r.task());
    if (path.endsWith(pipelineSuffix))
        path.chop(pipelineSuffix.size());
    else if (path.endsWith(QLatin1Char('/') + model))
        path.chop(model.size() + 1);
    request.endpoint = serverUrl + path;

    // The recording's task when the catalog knows it ("conversational" is not a catalog task: those
    // old recordings go out in Kestra's generic form).
    const idesk::TaskSpec *spec = TaskCatalog::instance().task(r.task());
    if (spec)
        request.task = r.task();
    else
        *why = QStringLiteral("task %1 is not in the catalog: sent without a task").arg(r.task());
    const InputKind kind = spec ? spec->inputKind : InputKind::Text;

    QMimeDatabase mimes;
    auto fileFromBase64 = [&](const QString &b64) {
        idesk::InputFile file;
        file.bytes = QByteArray::fromBase64(b64.toLatin1());
        file.mimeType = mimes.mimeTypeForData(file.bytes).name();
        return file;
    };

    if (!r.requestCaptured()) {
        // Only the answer was recorded: send something sensible for the task and check what we read.
        if (kind == InputKind::SentenceSimilarity)
            request.inputs = QJsonObject{{QStringLiteral("source_sentence"), QStringLiteral("replay")},
                                         {QStringLiteral("sentences"), QJsonArray{QStringLiteral("replay")}}};
        else
            request.inputs = QStringLiteral("replay");
        request.stream = r.responseContentType() == QLatin1String("text/event-stream");
        return request;
    }

    if (!r.requestIsJson()) {
        // A raw image/audio body.
        request.file.bytes = r.requestBytes();
        request.file.mimeType = mimes.mimeTypeForData(request.file.bytes).name();
        request.waitForModel = Recording::truthy(r.requestHeader("X-wait-for-model"));
        return request;
    }

    const Recording::NormalisedBody normal = Recording::normaliseBody(r.requestJson());
    const QJsonObject body = normal.body.toObject();
    request.inputs = body.value(QStringLiteral("inputs"));
    request.parameters = body.value(QStringLiteral("parameters")).toObject();
    request.stream = body.value(QStringLiteral("stream")).toBool();
    request.waitForModel = r.hasRequestHeader("X-wait-for-model")
                               ? Recording::truthy(r.requestHeader("X-wait-for-model"))
                               : normal.waitForModel.value_or(false);
    if (normal.useCache)
        request.useCache = *normal.useCache;

    // A base64 image inside the JSON is a file for us: the encoder puts it back where the task wants it.
    if ((kind == InputKind::Image || kind == InputKind::Audio || kind == InputKind::ImageWithLabels) &&
        request.inputs.isString()) {
        request.file = fileFromBase64(request.inputs.toString());
        request.inputs = QJsonValue(QJsonValue::Undefined);
    } else if (kind == InputKind::ImageQuestion && request.inputs.isObject()) {
        QJsonObject inputs = request.inputs.toObject();
        request.file = fileFromBase64(inputs.take(QStringLiteral("image")).toString());
        request.inputs = inputs;
    }
    return request;
}

void TestReplayRecordings::replay()
{
    QFETCH(QString, file);
    QFETCH(QString, model);
    QFETCH(QStringList, queued);
    QFETCH(bool, tls);

    ReplayServer &server = tls ? *m_https : *m_http;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QList<Recording> recordings;
    for (const QString &f : queued) {
        QString error;
        const auto r = Recording::load(f, &error);
        QVERIFY2(r, qPrintable(error));
        recordings << *r;
    }
    const Recording &first = recordings.first();
    const Recording &last = recordings.last();

    QString why;
    InferenceRequest request = requestFor(first, model, server.urlString(), &why);
    QString encodeError;
    if (!idesk::RequestEncoder::encode(request, &encodeError).url.isValid()) {
        // The recorded request is one the catalog's task refuses (e.g. a question without its context,
        // which the Python test sent on purpose): we must refuse it too, with a sentence, and send it in
        // Kestra's generic form to replay the exchange.
        QVERIFY2(!request.task.isEmpty(),
                 qPrintable(file + QStringLiteral(": cannot encode: ") + encodeError));
        QVERIFY2(encodeError.size() > 20, qPrintable(encodeError));
        why = QStringLiteral("the %1 task refuses this input (\"%2\"): sent without a task")
                  .arg(request.task, encodeError);
        request.task.clear();
    }
    if (!why.isEmpty() && !tls)
        m_adapted << file + QStringLiteral(": ") + why;

    QVERIFY(server.reset());
    QVERIFY2(server.queue([&] {
        QJsonArray entries;
        for (const QString &f : queued)
            entries.append(QJsonObject{{QStringLiteral("file"), f}});
        return entries;
    }()),
             qPrintable(server.errorString()));

    InferenceClient client;
    client.setToken(kToken);
    idesk::TokenPolicy policy;
    policy.setExplicitEndpointChosen(true);
    client.setTokenPolicy(policy);
    client.setMaxLoadingWait(0); // retry a 503 "loading" at once: the replay has the answer ready
    if (tls) {
        QString error;
        QVERIFY2(client.addCaCertificates(server.caCertificatePath(), &error), qPrintable(error));
    }
    QSignalSpy finished(&client, &InferenceClient::finished);
    QSignalSpy waiting(&client, &InferenceClient::waitingForModel);
    QSignalSpy events(&client, &InferenceClient::streamEvent);
    client.start(request);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.count(), 1);
    const InferenceResult result = finished.at(0).at(0).value<InferenceResult>();

    // --- what we sent ---
    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), recordings.size());
    for (int i = 0; i < recordings.size(); ++i) {
        const QJsonObject got = received.at(i).toObject();
        const QJsonObject headers = got.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("authorization")).toString(),
                 QStringLiteral("Bearer ") + kToken);
        QVERIFY2(headers.value(QStringLiteral("user-agent"))
                     .toString()
                     .startsWith(QStringLiteral("inference-desk/")),
                 qPrintable(headers.value(QStringLiteral("user-agent")).toString()));
        if (recordings.at(i).requestCaptured()) {
            const QStringList diffs = recordings.at(i).compareRequest(got);
            ++m_requestsCompared;
            QVERIFY2(diffs.isEmpty(), qPrintable(QStringLiteral("%1 (request %2): %3")
                                                     .arg(queued.at(i))
                                                     .arg(i + 1)
                                                     .arg(diffs.join(QStringLiteral("\n    ")))));
        }
    }
    if (recordings.size() > 1) {
        QCOMPARE(result.attempts, 2);
        QCOMPARE(waiting.count(), 1);
    }

    // --- what we read ---
    QCOMPARE(result.status, last.status());
    if (last.responseIsJson()) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(result.body, &parseError);
        QVERIFY2(!doc.isNull(), qPrintable(parseError.errorString()));
        const QJsonValue got = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
        const QString d = Recording::jsonDifference(last.responseJson(), got, QStringLiteral("answer"));
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QVERIFY(result.isJson());
    } else {
        QCOMPARE(result.body.size(), last.responseBody().size());
        QVERIFY(result.body == last.responseBody());
    }
    QCOMPARE(result.contentType, last.responseContentType());
    if (last.responseContentType() == QLatin1String("text/event-stream") && result.ok())
        QCOMPARE(events.count(), countSseEvents(last.responseBody()));

    if (last.status() >= 200 && last.status() < 300) {
        QCOMPARE(result.outcome, InferenceResult::Outcome::Success);
        QVERIFY(result.errorMessage.isEmpty());
        QCOMPARE(result.exitCode(), 0);
    } else {
        QCOMPARE(result.outcome, InferenceResult::Outcome::HttpError);
        QCOMPARE(result.exitCode(), 1);
        QVERIFY(!result.errorMessage.isEmpty());
        const QStringList words = serverWords(last);
        QVERIFY(!words.isEmpty());
        for (const QString &w : words)
            QVERIFY2(result.errorMessage.contains(w),
                     qPrintable(QStringLiteral("the message \"%1\" does not quote the server's \"%2\"")
                                    .arg(result.errorMessage, w)));
        QVERIFY2(!result.errorMessage.contains(kToken), "the token leaked into the message");
    }
    m_rowsRun.insert(QString::fromLatin1(QTest::currentDataTag()));
}

void TestReplayRecordings::cleanupTestCase()
{
    QStringList lines;
    lines << QStringLiteral("Replayed %1 of %2 rows (every runnable recording over HTTP and over HTTPS).")
                 .arg(m_rowsRun.size())
                 .arg(m_rowsPlanned);
    lines << QStringLiteral("Requests compared with the recorded ones: %1.").arg(m_requestsCompared);
    lines << QStringLiteral("Adapted (%1):").arg(m_adapted.size());
    for (const QString &a : std::as_const(m_adapted))
        lines << QStringLiteral("  ") + a;
    lines << QStringLiteral("Not replayed (%1 files):").arg(m_skipped.size());
    for (const QString &s : std::as_const(m_skipped))
        lines << QStringLiteral("  ") + s;
    qInfo().noquote() << lines.join(QLatin1Char('\n'));
    QVERIFY2(m_rowsRun.size() >= kMinimumRows,
             qPrintable(QStringLiteral("only %1 recording rows ran, at least %2 must")
                            .arg(m_rowsRun.size())
                            .arg(kMinimumRows)));
}

QTEST_GUILESS_MAIN(TestReplayRecordings)
#include "TestReplayRecordings.moc"
