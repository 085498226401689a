// Images in chat turns (ChatImages): content parts as the OpenAI-compatible clients send them, the file's
// own bytes and MIME type in a data URI, http(s) URLs as they are, the text part first, the checks of
// content parts in ChatCompletion::messagesFrom, and the encoded body of a chat with two images.
#include "ChatCompletion.h"
#include "ChatImages.h"
#include "InferenceRequest.h"
#include "LocalFile.h"
#include "TestConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;

namespace {
const QString kDir = QStringLiteral(IDESK_TEST_DATA_DIR "/constructed/chat/");

QByteArray readAll(const QString &path)
{
    return idesk::LocalFile::read(path, 1 << 20, nullptr).value_or(QByteArray());
}

QString urlOf(const QJsonValue &part)
{
    return part.toObject()
        .value(QStringLiteral("image_url"))
        .toObject()
        .value(QStringLiteral("url"))
        .toString();
}
} // namespace

class TestChatImages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fileBecomesDataUriOfItsOwnBytes_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("mime");
        QTest::newRow("png") << QStringLiteral("cats.png") << QStringLiteral("image/png");
        QTest::newRow("jpeg") << QStringLiteral("dog.jpg") << QStringLiteral("image/jpeg");
    }
    void fileBecomesDataUriOfItsOwnBytes()
    {
        QFETCH(QString, file);
        QFETCH(QString, mime);
        const QByteArray bytes = readAll(kDir + file);
        QVERIFY(!bytes.isEmpty());
        QString error;
        const auto part = ChatImages::partFor(kDir + file, &error);
        QVERIFY2(part, qPrintable(error));
        QCOMPARE(part->value(QStringLiteral("type")).toString(), QStringLiteral("image_url"));
        QCOMPARE(urlOf(*part),
                 QStringLiteral("data:%1;base64,").arg(mime) + QString::fromLatin1(bytes.toBase64()));
        QByteArray decoded;
        QString decodedMime;
        QVERIFY(ChatImages::decodeDataUri(urlOf(*part), &decoded, &decodedMime));
        QCOMPARE(decoded, bytes);
        QCOMPARE(decodedMime, mime);
        QCOMPARE(ChatImages::imageBytes(urlOf(*part)), qint64(bytes.size()));
    }

    void mimeComesFromContentNotName()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // A PNG named .jpg is sent as the PNG it is.
        const QString misnamed = dir.filePath(QStringLiteral("photo.jpg"));
        QVERIFY(QFile::copy(kDir + QStringLiteral("cats.png"), misnamed));
        QString error;
        const auto part = ChatImages::partFor(misnamed, &error);
        QVERIFY2(part, qPrintable(error));
        QVERIFY(urlOf(*part).startsWith(QLatin1String("data:image/png;base64,")));
        // Text named .png is refused with a sentence naming the file.
        const QString text = dir.filePath(QStringLiteral("notes.png"));
        QFile file(text);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("just some words, not an image\n");
        file.close();
        QVERIFY(!ChatImages::partFor(text, &error));
        QVERIFY2(error.contains(QLatin1String("notes.png")) && error.contains(QLatin1String("not an image")),
                 qPrintable(error));
    }

    void missingFileIsASentence()
    {
        QString error;
        QVERIFY(!ChatImages::partFor(QStringLiteral("/nonexistent/cat.png"), &error));
        QVERIFY2(error.contains(QLatin1String("/nonexistent/cat.png")), qPrintable(error));
    }

    void webUrlGoesAsItIs()
    {
        QString error;
        const QString url = QStringLiteral("https://example.org/images/cat.png?size=large");
        const auto part = ChatImages::partFor(url, &error);
        QVERIFY2(part, qPrintable(error));
        QCOMPARE(urlOf(*part), url);
        QCOMPARE(ChatImages::imageBytes(url), qint64(0));
        QVERIFY(!ChatImages::isWebUrl(QStringLiteral("ftp://example.org/cat.png")));
    }

    void attachKeepsTextFirstOnLastUser()
    {
        const QJsonArray messages =
            ChatCompletion::messages(QStringLiteral("Be brief."), QStringLiteral("What is in this image?"));
        const QList<QJsonObject> images{ChatImages::imagePart(QStringLiteral("https://example.org/a.png")),
                                        ChatImages::imagePart(QStringLiteral("data:image/png;base64,AAAA"))};
        const QJsonArray out = ChatImages::attachToLastUser(messages, images);
        QCOMPARE(out.size(), 2);
        QCOMPARE(out.at(0), messages.at(0)); // the system message is untouched
        const QJsonArray parts = out.at(1).toObject().value(QStringLiteral("content")).toArray();
        QCOMPARE(parts.size(), 3);
        QCOMPARE(parts.at(0).toObject(), ChatImages::textPart(QStringLiteral("What is in this image?")));
        QCOMPARE(parts.at(1).toObject(), images.at(0));
        QCOMPARE(parts.at(2).toObject(), images.at(1));
        QCOMPARE(ChatImages::textOf(parts), QStringLiteral("What is in this image?"));
        QCOMPARE(ChatImages::imageUrlsOf(parts), (QStringList{QStringLiteral("https://example.org/a.png"),
                                                              QStringLiteral("data:image/png;base64,AAAA")}));
        QCOMPARE(ChatImages::contentFrom(ChatImages::textOf(parts), ChatImages::imageUrlsOf(parts)),
                 QJsonValue(parts));
        QCOMPARE(ChatImages::contentFrom(QStringLiteral("hi"), {}), QJsonValue(QStringLiteral("hi")));

        QString error;
        const QJsonArray onlySystem{messages.at(0)};
        QVERIFY(ChatImages::attachToLastUser(onlySystem, images, &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("no user message")), qPrintable(error));
    }

    void encodedBodyHoldsTwoImages()
    {
        QString error;
        const auto png = ChatImages::partFor(kDir + QStringLiteral("cats.png"), &error);
        const auto jpeg = ChatImages::partFor(kDir + QStringLiteral("dog.jpg"), &error);
        QVERIFY(png && jpeg);
        InferenceRequest request;
        request.task = ChatCompletion::visionTaskId();
        request.model = QStringLiteral("Qwen/Qwen2.5-VL-7B-Instruct");
        request.inputs = ChatImages::attachToLastUser(
            ChatCompletion::messages(QString(), QStringLiteral("Compare them.")), {*png, *jpeg});
        const EncodedRequest encoded = ChatCompletion::encode(request, &error);
        QVERIFY2(!encoded.url.isEmpty(), qPrintable(error));
        QCOMPARE(encoded.url.path(), QStringLiteral("/v1/chat/completions"));
        const QJsonObject body = QJsonDocument::fromJson(encoded.body).object();
        const QJsonArray parts = body.value(QStringLiteral("messages"))
                                     .toArray()
                                     .at(0)
                                     .toObject()
                                     .value(QStringLiteral("content"))
                                     .toArray();
        QCOMPARE(parts.size(), 3);
        QCOMPARE(parts.at(0).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("text"));
        QCOMPARE(urlOf(parts.at(1)),
                 QStringLiteral("data:image/png;base64,") +
                     QString::fromLatin1(readAll(kDir + QStringLiteral("cats.png")).toBase64()));
        QCOMPARE(urlOf(parts.at(2)),
                 QStringLiteral("data:image/jpeg;base64,") +
                     QString::fromLatin1(readAll(kDir + QStringLiteral("dog.jpg")).toBase64()));
    }

    void messagesFromChecksParts_data()
    {
        QTest::addColumn<QByteArray>("messages");
        QTest::addColumn<QString>("problem"); // "" when accepted
        QTest::newRow("text and image")
            << QByteArray(R"([{"role":"user","content":[{"type":"text","text":"Hi"},)"
                          R"({"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}])")
            << QString();
        QTest::newRow("other part types pass as they are")
            << QByteArray(
                   R"([{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA"}}]}])")
            << QString();
        QTest::newRow("empty parts") << QByteArray(R"([{"role":"user","content":[]}])")
                                     << QStringLiteral("empty list of content parts");
        QTest::newRow("no type") << QByteArray(R"([{"role":"user","content":[{"text":"Hi"}]}])")
                                 << QStringLiteral("Part 1 of message 1 has no \"type\"");
        QTest::newRow("image without url")
            << QByteArray(
                   R"([{"role":"user","content":[{"type":"text","text":"Hi"},{"type":"image_url","image_url":"x"}]}])")
            << QStringLiteral("Part 2 of message 1 is an image_url part");
    }
    void messagesFromChecksParts()
    {
        QFETCH(QByteArray, messages);
        QFETCH(QString, problem);
        QString error;
        const QJsonArray out =
            ChatCompletion::messagesFrom(QJsonDocument::fromJson(messages).array(), &error);
        if (problem.isEmpty()) {
            QVERIFY2(!out.isEmpty(), qPrintable(error));
            QCOMPARE(out, QJsonDocument::fromJson(messages).array());
        } else {
            QVERIFY(out.isEmpty());
            QVERIFY2(error.contains(problem), qPrintable(error));
        }
    }

    void largeImageWarningSaysSize()
    {
        QVERIFY(ChatImages::largeImageWarning(ChatImages::kLargeImageBytes).isEmpty());
        const QString warning =
            ChatImages::largeImageWarning(12 * 1000 * 1000, QStringLiteral("holiday.jpg"));
        QVERIFY2(warning.contains(QLatin1String("holiday.jpg")) && warning.contains(QLatin1String("12 MB")) &&
                     warning.contains(QLatin1String("Downscale")),
                 qPrintable(warning));
    }

    void visionTaskIsAChatTask()
    {
        QVERIFY(ChatCompletion::isChatTask(QStringLiteral("image-text-to-text")));
        QVERIFY(ChatCompletion::isChatTask(QStringLiteral("chat-completion")));
        QVERIFY(!ChatCompletion::isChatTask(QStringLiteral("image-to-text")));
    }
};

QTEST_GUILESS_MAIN(TestChatImages)
#include "TestChatImages.moc"
