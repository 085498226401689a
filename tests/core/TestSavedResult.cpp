// Saved results: what goes in comes back out (text and binary answers, input files, timing), no
// credential reaches the file, and every broken file gets a sentence that says what is wrong.

#include "SavedResult.h"
#include "TestConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;

namespace {

SavedResult jsonAnswer()
{
    SavedResult s;
    s.request.model = QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest");
    s.request.task = QStringLiteral("text-classification");
    s.request.inputs = QStringLiteral("I am hungry");
    s.request.parameters = QJsonObject{{QStringLiteral("top_k"), 2}};
    s.request.waitForModel = true;
    s.request.options.readTimeoutMs = 30000;
    s.result.status = 200;
    s.result.reason = "OK";
    s.result.headers = {{"Content-Type", "application/json"}, {"x-compute-time", "0.012"}};
    // Numbers exactly as the server wrote them: the file keeps the bytes, not a re-serialisation.
    s.result.body =
        R"([[{"label":"neutral","score":0.5659675002098083},{"label":"positive","score":2.8881E-1}]])";
    s.result.contentType = QStringLiteral("application/json");
    s.result.charset = QStringLiteral("utf-8");
    s.result.url = QUrl(QStringLiteral("https://router.huggingface.co/hf-inference/models/x"));
    s.result.elapsedMs = 812;
    s.result.firstByteMs = 640;
    s.result.attempts = 2;
    return s;
}

QByteArray pngBytes()
{
    QByteArray b("\x89PNG\r\n\x1a\n", 8);
    for (int i = 0; i < 300; ++i)
        b.append(char(i % 256)); // every byte value, NUL included
    return b;
}

} // namespace

class TestSavedResult : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripJson();
    void roundTripBinary();
    void roundTripError();
    void noCredentialsInTheFile();
    void brokenFiles_data();
    void brokenFiles();
    void missingFile();
    void unwritablePath();
};

void TestSavedResult::roundTripJson()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("answer.json"));
    const SavedResult s = jsonAnswer();
    QString error;
    QVERIFY2(s.save(path, &error), qPrintable(error));
    const auto loaded = SavedResult::load(path, &error);
    QVERIFY2(loaded, qPrintable(error));
    QVERIFY(loaded->request == s.request);
    QCOMPARE(loaded->result.body, s.result.body);
    QCOMPARE(loaded->result.status, 200);
    QCOMPARE(loaded->result.reason, QByteArray("OK"));
    QCOMPARE(loaded->result.headers, s.result.headers);
    QCOMPARE(loaded->result.contentType, s.result.contentType);
    QCOMPARE(loaded->result.charset, s.result.charset);
    QCOMPARE(loaded->result.url, s.result.url);
    QCOMPARE(loaded->result.elapsedMs, qint64(812));
    QCOMPARE(loaded->result.firstByteMs, qint64(640));
    QCOMPARE(loaded->result.attempts, 2);
    QCOMPARE(loaded->appVersion, QStringLiteral(IDESK_VERSION));
    QVERIFY(loaded->savedAt.isValid());

    // A JSON answer stays readable in the file.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    QVERIFY(root.value(QLatin1String("response")).toObject().value(QLatin1String("body_text")).isString());
    QCOMPARE(root.value(QLatin1String("version")).toInt(), SavedResult::formatVersion);
}

void TestSavedResult::roundTripBinary()
{
    SavedResult s;
    s.request.task = QStringLiteral("image-segmentation");
    s.request.file.path = QStringLiteral("/home/someone/private/cat.png");
    s.request.file.bytes = pngBytes();
    s.request.file.mimeType = QStringLiteral("image/png");
    s.result.status = 200;
    s.result.body = pngBytes() + QByteArray(1 << 16, '\xff');
    s.result.contentType = QStringLiteral("image/png");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("image.json"));
    QString error;
    QVERIFY2(s.save(path, &error), qPrintable(error));
    const auto loaded = SavedResult::load(path, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->result.body, s.result.body);
    QCOMPARE(loaded->request.file.bytes, s.request.file.bytes);
    QCOMPARE(loaded->request.file.mimeType, QStringLiteral("image/png"));
    QCOMPARE(loaded->request.file.path, QStringLiteral("cat.png")); // the name, not the sender's folders
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(!text.contains("/home/someone"));
    QVERIFY(QJsonDocument::fromJson(text)
                .object()
                .value(QLatin1String("response"))
                .toObject()
                .contains(QLatin1String("body_base64")));
}

void TestSavedResult::roundTripError()
{
    SavedResult s;
    s.result.outcome = InferenceResult::Outcome::HttpError;
    s.result.status = 503;
    s.result.body = R"({"error": "Model x is currently loading", "estimated_time": 20.0})";
    s.result.contentType = QStringLiteral("application/json");
    s.result.errorMessage = QStringLiteral("The model is loading; try again in 20 seconds.");
    s.result.serverMessage = QStringLiteral("Model x is currently loading");
    QString error;
    const auto loaded = SavedResult::fromJson(s.toJson(), &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->result.outcome, InferenceResult::Outcome::HttpError);
    QCOMPARE(loaded->result.errorMessage, s.result.errorMessage);
    QCOMPARE(loaded->result.serverMessage, s.result.serverMessage);
    QVERIFY(!loaded->result.ok());
}

void TestSavedResult::noCredentialsInTheFile()
{
    SavedResult s = jsonAnswer();
    const QByteArray token = "hf_" "TestTokenThatMustNeverBeWritten";
    s.result.headers.append({"Authorization", "Bearer " + token});
    s.result.headers.append({"Set-Cookie", "session=" + token});
    const QByteArray text = s.toJson();
    QVERIFY(!text.contains(token));
    QVERIFY(!text.toLower().contains("authorization"));
    const auto loaded = SavedResult::fromJson(text);
    QVERIFY(loaded);
    QCOMPARE(loaded->result.header("Authorization"), QByteArray());
    QCOMPARE(loaded->result.header("x-compute-time"), QByteArray("0.012"));
}

void TestSavedResult::brokenFiles_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("says");
    QTest::newRow("not json") << QByteArray("{nope") << "not valid JSON";
    QTest::newRow("other json") << QByteArray(R"({"inputs": "hello"})")
                                << "not an Inference Desk saved result";
    QTest::newRow("newer")
        << QByteArray(R"({"format": "inference-desk-result", "version": 99, "request": {}, "response": {}})")
        << "newer Inference Desk";
    QTest::newRow("no response") << QByteArray(
                                        R"({"format": "inference-desk-result", "version": 1, "request": {}})")
                                 << "no \"request\" or no \"response\"";
    QTest::newRow("bad base64")
        << QByteArray(
               R"({"format": "inference-desk-result", "version": 1, "request": {}, "response": {"outcome": "success", "body_base64": "!!!"}})")
        << "not valid base64";
    QTest::newRow("bad outcome")
        << QByteArray(
               R"({"format": "inference-desk-result", "version": 1, "request": {}, "response": {"outcome": "maybe"}})")
        << "outcome \"maybe\" is unknown";
}

void TestSavedResult::brokenFiles()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, says);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
    f.close();
    QString error;
    QVERIFY(!SavedResult::load(path, &error));
    QVERIFY2(error.contains(says), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("broken.json")), qPrintable(error));
}

void TestSavedResult::missingFile()
{
    QString error;
    QVERIFY(!SavedResult::load(QStringLiteral("/nonexistent/answer.json"), &error));
    QVERIFY2(error.contains(QLatin1String("does not exist")), qPrintable(error));
}

void TestSavedResult::unwritablePath()
{
    QString error;
    QVERIFY(!jsonAnswer().save(QStringLiteral("/nonexistent-dir/answer.json"), &error));
    QVERIFY2(error.contains(QLatin1String("/nonexistent-dir/answer.json")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSavedResult)
#include "TestSavedResult.moc"
