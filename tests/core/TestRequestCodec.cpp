// RequestCodec, the one JSON reader/writer of the request value: every field of InferenceRequest and
// HttpOptions set to a value that is not its default survives the codec, a preset and a saved result
// (compared with operator==, so a field added to the value and to operator== without codec support fails
// here); the spellings older versions wrote are still read; bad fields are refused with a sentence.

#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "Preset.h"
#include "RequestCodec.h"
#include "SavedResult.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using idesk::HttpOptions;
using idesk::InferenceRequest;
using idesk::RequestCodec;

namespace {

// Every field away from its default (a file kept by its name alone, so that a saved result, which keeps
// no directory, gives it back the same).
InferenceRequest everyFieldSet()
{
    InferenceRequest r;
    r.endpoint = QStringLiteral("https://example.test/custom/models");
    r.model = QStringLiteral("org/some-model");
    r.task = QStringLiteral("text-generation"); // the task with two routes
    r.inputs = QStringLiteral("Once upon a time");
    r.file.path = QStringLiteral("input.png");
    r.file.bytes = QByteArray("\x89PNG\r\n\x1a\n-not-really-an-image", 27);
    r.file.mimeType = QStringLiteral("image/png");
    r.parameters = QJsonObject{{QStringLiteral("max_new_tokens"), 12},
                               {QStringLiteral("stop"), QJsonArray{QStringLiteral("\n")}}};
    r.useCache = false;
    r.waitForModel = true;
    r.stream = true;
    r.route = idesk::TextGenerationRoute::Completions;
    r.provider = QStringLiteral("fal-ai");
    HttpOptions &o = r.options;
    o.connectTimeoutMs = 5000;
    o.readTimeoutMs = 42000;
    o.readIdleTimeoutMs = 61000;
    o.maxContentLength = 1234567;
    o.defaultCharset = QStringLiteral("ISO-8859-1");
    o.connectionPoolIdleTimeoutMs = 30000;
    o.deadlineMs = 900000;
    o.maxLoadingWaitMs = 45000;
    return r;
}

} // namespace

class TestRequestCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyFieldDiffersFromTheDefault();
    void roundTripsEveryField();
    void presetKeepsEveryField();
    void savedResultKeepsEveryField();
    void fileKeptByPathHasNoBytes();
    void readsOlderSpellings();
    void refusesBadFields_data();
    void refusesBadFields();
};

void TestRequestCodec::everyFieldDiffersFromTheDefault()
{
    // Each field alone put back to its default makes the value differ: operator== looks at every field the
    // round trips below depend on.
    const InferenceRequest full = everyFieldSet();
    const InferenceRequest d;
    const HttpOptions h;
    QList<std::function<void(InferenceRequest &)>> resets{
        [&](InferenceRequest &r) { r.endpoint = d.endpoint; },
        [&](InferenceRequest &r) { r.model = d.model; },
        [&](InferenceRequest &r) { r.task = d.task; },
        [&](InferenceRequest &r) { r.inputs = d.inputs; },
        [&](InferenceRequest &r) { r.file.path = d.file.path; },
        [&](InferenceRequest &r) { r.file.bytes = d.file.bytes; },
        [&](InferenceRequest &r) { r.file.mimeType = d.file.mimeType; },
        [&](InferenceRequest &r) { r.parameters = d.parameters; },
        [&](InferenceRequest &r) { r.useCache = d.useCache; },
        [&](InferenceRequest &r) { r.waitForModel = d.waitForModel; },
        [&](InferenceRequest &r) { r.stream = d.stream; },
        [&](InferenceRequest &r) { r.route = d.route; },
        [&](InferenceRequest &r) { r.provider = d.provider; },
        [&](InferenceRequest &r) { r.options.connectTimeoutMs = h.connectTimeoutMs; },
        [&](InferenceRequest &r) { r.options.readTimeoutMs = h.readTimeoutMs; },
        [&](InferenceRequest &r) { r.options.readIdleTimeoutMs = h.readIdleTimeoutMs; },
        [&](InferenceRequest &r) { r.options.maxContentLength = h.maxContentLength; },
        [&](InferenceRequest &r) { r.options.defaultCharset = h.defaultCharset; },
        [&](InferenceRequest &r) { r.options.connectionPoolIdleTimeoutMs = h.connectionPoolIdleTimeoutMs; },
        [&](InferenceRequest &r) { r.options.deadlineMs = h.deadlineMs; },
        [&](InferenceRequest &r) { r.options.maxLoadingWaitMs = h.maxLoadingWaitMs; },
    };
    for (int i = 0; i < resets.size(); ++i) {
        InferenceRequest r = full;
        resets[i](r);
        QVERIFY2(r != full, qPrintable(QStringLiteral("field #%1 is not compared").arg(i)));
    }
}

void TestRequestCodec::roundTripsEveryField()
{
    const InferenceRequest full = everyFieldSet();
    const QJsonObject json = RequestCodec::toJson(full);
    // Through bytes too, as every caller keeps it.
    const QJsonObject reread = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
    QString error;
    const auto back = RequestCodec::fromJson(reread, &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(*back == full);
    // A default request too (unset connect timeout, default limits left out).
    const auto plain = RequestCodec::fromJson(RequestCodec::toJson(InferenceRequest()), &error);
    QVERIFY2(plain, qPrintable(error));
    QVERIFY(*plain == InferenceRequest());
    QVERIFY(!RequestCodec::toJson(InferenceRequest())
                 .value(QStringLiteral("options"))
                 .toObject()
                 .contains(QStringLiteral("deadline")));
    // No provider: the key is left out (hf-inference at the endpoint, as before providers) and read as "".
    QVERIFY(!RequestCodec::toJson(InferenceRequest()).contains(QStringLiteral("provider")));
    QCOMPARE(json.value(QStringLiteral("provider")).toString(), QStringLiteral("fal-ai"));
    QCOMPARE(plain->provider, QString());
}

void TestRequestCodec::presetKeepsEveryField()
{
    const InferenceRequest full = everyFieldSet();
    const idesk::Preset preset = idesk::Preset::fromRequest(QStringLiteral("all fields"), full, true);
    QString error;
    const auto back = idesk::Preset::fromJsonBytes(preset.toJsonBytes(), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(back->request == full);
    QVERIFY(back->embedFile);
}

void TestRequestCodec::savedResultKeepsEveryField()
{
    // Saved results used to drop the pool idle timeout (and the limits of our own).
    idesk::SavedResult saved;
    saved.request = everyFieldSet();
    saved.result.outcome = idesk::InferenceResult::Outcome::Success;
    saved.result.status = 200;
    saved.result.contentType = QStringLiteral("application/json");
    saved.result.body = R"([{"generated_text":"x"}])";
    QString error;
    const auto back = idesk::SavedResult::fromJson(saved.toJson(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->request.options.connectionPoolIdleTimeoutMs, qint64(30000));
    QVERIFY(back->request == saved.request);

    // The sender's directories stay on the sender's disk: only the file's name is written.
    idesk::SavedResult withPath = saved;
    withPath.request.file.path = QStringLiteral("/home/someone/private/input.png");
    const auto named = idesk::SavedResult::fromJson(withPath.toJson(), &error);
    QVERIFY2(named, qPrintable(error));
    QCOMPARE(named->request.file.path, QStringLiteral("input.png"));
    QVERIFY(!withPath.toJson().contains("/home/someone"));
}

void TestRequestCodec::fileKeptByPathHasNoBytes()
{
    InferenceRequest r = everyFieldSet();
    const QJsonObject json = RequestCodec::toJson(r, {true, false});
    QVERIFY(!json.value(QStringLiteral("file")).toObject().contains(QStringLiteral("base64")));
    const auto back = RequestCodec::fromJson(json);
    QVERIFY(back);
    QCOMPARE(back->file.path, r.file.path);
    QVERIFY(back->file.bytes.isEmpty());
    r.file.bytes.clear();
    QVERIFY(*back == r);
}

void TestRequestCodec::readsOlderSpellings()
{
    // A saved result's request as versions before the codec wrote it.
    const QJsonObject saved{
        {"endpoint", "https://example.test/models"},
        {"model", "m/x"},
        {"task", "text-classification"},
        {"inputs", "hi"},
        {"use_cache", false},
        {"wait_for_model", true},
        {"file", QJsonObject{{"name", "a.png"}, {"mime_type", "image/png"}, {"base64", "aGk="}}},
        {"options", QJsonObject{{"connect_timeout_ms", QJsonValue::Null},
                                {"read_timeout_ms", 2000},
                                {"read_idle_timeout_ms", 3000},
                                {"max_content_length", 4000},
                                {"default_charset", "UTF-16"}}}};
    QString error;
    const auto a = RequestCodec::fromJson(saved, &error);
    QVERIFY2(a, qPrintable(error));
    QVERIFY(!a->useCache);
    QVERIFY(a->waitForModel);
    QCOMPARE(a->options.connectTimeoutMs, qint64(-1));
    QCOMPARE(a->options.readTimeoutMs, qint64(2000));
    QCOMPARE(a->options.readIdleTimeoutMs, qint64(3000));
    QCOMPARE(a->options.maxContentLength, qint64(4000));
    QCOMPARE(a->options.defaultCharset, QStringLiteral("UTF-16"));
    QCOMPARE(a->file.path, QStringLiteral("a.png"));
    QCOMPARE(a->file.mimeType, QStringLiteral("image/png"));
    QCOMPARE(a->file.bytes, QByteArray("hi"));

    // The app's remembered request as versions before the codec kept it.
    const QJsonObject remembered{
        {"version", 1},
        {"model", "m/y"},
        {"file", "/tmp/some.wav"},
        {"useCache", true},
        {"options", QJsonObject{{"readTimeoutMs", 7000}, {"connectionPoolIdleTimeoutMs", 9000}}}};
    const auto b = RequestCodec::fromJson(remembered, &error);
    QVERIFY2(b, qPrintable(error));
    QCOMPARE(b->file.path, QStringLiteral("/tmp/some.wav"));
    QCOMPARE(b->options.readTimeoutMs, qint64(7000));
    QCOMPARE(b->options.connectionPoolIdleTimeoutMs, qint64(9000));
}

void TestRequestCodec::refusesBadFields_data()
{
    QTest::addColumn<QJsonObject>("json");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("parameters not an object") << QJsonObject{{"parameters", 3}} << "parameters";
    QTest::newRow("unknown route") << QJsonObject{{"task", "text-generation"}, {"route", "sideways"}}
                                   << "route";
    QTest::newRow("zero timeout") << QJsonObject{{"options", QJsonObject{{"readTimeout", "PT0S"}}}}
                                  << "readTimeout";
    QTest::newRow("negative size") << QJsonObject{{"options", QJsonObject{{"maxContentLength", -5}}}}
                                   << "maxContentLength";
    QTest::newRow("bad base64") << QJsonObject{{"file", QJsonObject{{"path", "a"}, {"base64", "%%%"}}}}
                                << "base64";
}

void TestRequestCodec::refusesBadFields()
{
    QFETCH(QJsonObject, json);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!RequestCodec::fromJson(json, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestRequestCodec)
#include "TestRequestCodec.moc"
