// inference-desk-cli chat with images (--image FILE|URL, repeatable) against a loopback router given with
// --router or INFERENCE_DESK_ROUTER: the exact body (text part first, then each file as a data URI of its
// own bytes with the MIME type read from its content), web URLs sent as they are, content parts in
// --messages-json passed as they are, and the sentences for a file that is not an image.
#include "CliRunner.h"
#include "LocalFile.h"
#include "TestConfig.h"

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
const QString kToken = QStringLiteral("hf_vision_test_token_12");
const QString kDir = QStringLiteral(IDESK_TEST_DATA_DIR "/constructed/chat/");
const QString kModel = QStringLiteral("Qwen/Qwen2.5-VL-7B-Instruct");

QByteArray readAll(const QString &path)
{
    return idesk::LocalFile::read(path, 1 << 20, nullptr).value_or(QByteArray());
}

QJsonObject text(const QString &t)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), t}};
}

QJsonObject image(const QString &url)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("image_url")},
                       {QStringLiteral("image_url"), QJsonObject{{QStringLiteral("url"), url}}}};
}

QString dataUri(const QString &file, const char *mime)
{
    return QStringLiteral("data:%1;base64,").arg(QLatin1String(mime)) +
           QString::fromLatin1(readAll(kDir + file).toBase64());
}

// The content of the first message of a chat body.
QJsonArray firstContent(const QJsonObject &body)
{
    return body.value(QStringLiteral("messages"))
        .toArray()
        .at(0)
        .toObject()
        .value(QStringLiteral("content"))
        .toArray();
}

const QByteArray kAnswer =
    R"({"id":"c1","object":"chat.completion","model":"Qwen/Qwen2.5-VL-7B-Instruct","choices":[{"index":0,)"
    R"("message":{"role":"assistant","content":"Two cats on a sofa."},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":90,"completion_tokens":6,"total_tokens":96}})";
} // namespace

class TestCliVisionChat : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_cache;

    CliRun run(const QStringList &args, const QMap<QString, QString> &env = {}) const
    {
        CliOptions o;
        o.token = kToken;
        o.unset << QStringLiteral("HF_ENDPOINT") << QStringLiteral("INFERENCE_DESK_ROUTER");
        o.set.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache.path());
        for (auto it = env.begin(); it != env.end(); ++it)
            o.set.insert(it.key(), it.value());
        o.failIfTokenPrinted = true;
        return idesk::test::runCli(args, o);
    }

    bool queueAnswer()
    {
        return m_server->queue(
            QJsonArray{ReplayServer::answer(200, QStringLiteral("application/json"), kAnswer)});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_cache.isValid());
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
        QVERIFY(!readAll(kDir + QStringLiteral("cats.png")).isEmpty());
        QVERIFY(!readAll(kDir + QStringLiteral("dog.jpg")).isEmpty());
    }
    void init() { QVERIFY(m_server->reset()); }

    void twoImagesExactBody()
    {
        QVERIFY(queueAnswer());
        const CliRun r = run({QStringLiteral("chat"), QStringLiteral("--router"), m_server->urlString(),
                              QStringLiteral("--model"), kModel, QStringLiteral("--system"),
                              QStringLiteral("Answer in one sentence."), QStringLiteral("--prompt"),
                              QStringLiteral("What differs between these two?"), QStringLiteral("--image"),
                              kDir + QStringLiteral("cats.png"), QStringLiteral("--image"),
                              kDir + QStringLiteral("dog.jpg"), QStringLiteral("--param"),
                              QStringLiteral("max_tokens=100")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/v1/chat/completions"));
        QCOMPARE(ReplayServer::header(received.at(0), QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);
        const QJsonObject expected{
            {QStringLiteral("model"), kModel},
            {QStringLiteral("max_tokens"), 100},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                    {QStringLiteral("content"), QStringLiteral("Answer in one sentence.")}},
                        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("content"),
                                     QJsonArray{text(QStringLiteral("What differs between these two?")),
                                                image(dataUri(QStringLiteral("cats.png"), "image/png")),
                                                image(dataUri(QStringLiteral("dog.jpg"), "image/jpeg"))}}}}}};
        QCOMPARE(m_server->onlyRequestJson(), expected);
        QVERIFY2(r.out.contains("Two cats on a sofa."), r.out.constData());
    }

    void issueCommandPrintsTheAnswerAsJson()
    {
        // The command of issue 16, with the router given by the environment.
        QVERIFY(queueAnswer());
        const CliRun r =
            run({QStringLiteral("chat"), QStringLiteral("--model"), kModel, QStringLiteral("--prompt"),
                 QStringLiteral("What is in this image?"), QStringLiteral("--image"),
                 kDir + QStringLiteral("cats.png"), QStringLiteral("--format"), QStringLiteral("json")},
                {{QStringLiteral("INFERENCE_DESK_ROUTER"), m_server->urlString()}});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object(), QJsonDocument::fromJson(kAnswer).object());
        const QJsonArray received = m_server->requests();
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.at(0).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("/v1/chat/completions"));
        const QJsonArray content = firstContent(m_server->onlyRequestJson());
        QCOMPARE(content, (QJsonArray{text(QStringLiteral("What is in this image?")),
                                      image(dataUri(QStringLiteral("cats.png"), "image/png"))}));
    }

    void streamedAnswerIsAssembled()
    {
        const QByteArray stream =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Two \"}}]}\n\n"
            "data: "
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"cats.\"},\"finish_reason\":\"stop\"}]}\n\n"
            "data: [DONE]\n\n";
        QVERIFY(m_server->queue(QJsonArray{ReplayServer::eventStream(stream)}));
        const CliRun r = run({QStringLiteral("chat"), QStringLiteral("--router"), m_server->urlString(),
                              QStringLiteral("--model"), kModel, QStringLiteral("--prompt"),
                              QStringLiteral("What is in this image?"), QStringLiteral("--image"),
                              kDir + QStringLiteral("cats.png"), QStringLiteral("--stream"),
                              QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject answer = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(answer.value(QStringLiteral("choices"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("Two cats."));
        QCOMPARE(m_server->onlyRequestJson().value(QStringLiteral("stream")), QJsonValue(true));
    }

    void webUrlAndPartsInMessagesJsonGoAsTheyAre()
    {
        QVERIFY(queueAnswer());
        const QJsonArray given{QJsonObject{
            {QStringLiteral("role"), QStringLiteral("user")},
            {QStringLiteral("content"), QJsonArray{text(QStringLiteral("Describe both.")),
                                                   image(QStringLiteral("data:image/gif;base64,R0lGOD"))}}}};
        const QString url = QStringLiteral("https://example.org/pictures/cat.jpg");
        const CliRun r = run({QStringLiteral("chat"), QStringLiteral("--router"), m_server->urlString(),
                              QStringLiteral("--model"), kModel, QStringLiteral("--messages-json"),
                              QString::fromUtf8(QJsonDocument(given).toJson(QJsonDocument::Compact)),
                              QStringLiteral("--image"), url});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray content = firstContent(m_server->onlyRequestJson());
        QCOMPARE(content, (QJsonArray{text(QStringLiteral("Describe both.")),
                                      image(QStringLiteral("data:image/gif;base64,R0lGOD")), image(url)}));
    }

    void badImagesSendNothing_data()
    {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QByteArray>("sentence");
        QTest::newRow("missing file")
            << QStringLiteral("/nonexistent/cat.png") << QByteArray("/nonexistent/cat.png");
        QTest::newRow("not an image")
            << (kDir + QStringLiteral("README.md")) << QByteArray("is not an image");
    }
    void badImagesSendNothing()
    {
        QFETCH(QString, image);
        QFETCH(QByteArray, sentence);
        const CliRun r = run({QStringLiteral("chat"), QStringLiteral("--router"), m_server->urlString(),
                              QStringLiteral("--model"), kModel, QStringLiteral("--prompt"),
                              QStringLiteral("hi"), QStringLiteral("--image"), image});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--image: ") && r.err.contains(sentence), r.err.constData());
        QCOMPARE(m_server->requests().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliVisionChat)
#include "TestCliVisionChat.moc"
