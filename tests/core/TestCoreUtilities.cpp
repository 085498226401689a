// Durations, the SSE decoder, the JSON pretty printer and error sentences.
#include "Duration.h"
#include "ErrorExplainer.h"
#include "InferenceRequest.h"
#include "JsonPrettyPrinter.h"
#include "SseDecoder.h"

#include <QJsonDocument>
#include <QtTest>

using namespace idesk;

class TestCoreUtilities : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("PT10S") << "PT10S" << qint64(10000);
        QTest::newRow("PT5M") << "PT5M" << qint64(300000);
        QTest::newRow("PT1H30M") << "PT1H30M" << qint64(5400000);
        QTest::newRow("PT0.5S") << "PT0.5S" << qint64(500);
        QTest::newRow("PT0S") << "PT0S" << qint64(0);
        QTest::newRow("P1D") << "P1D" << qint64(86400000);
        QTest::newRow("10s") << "10s" << qint64(10000);
        QTest::newRow("5m") << "5m" << qint64(300000);
        QTest::newRow("250ms") << "250ms" << qint64(250);
        QTest::newRow("bare") << "3" << qint64(3000);
    }
    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const auto parsed = Duration::parse(text);
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, ms);
        QCOMPARE(*Duration::parse(Duration::toIso(ms)), ms); // round trip through Kestra's form
    }
    void badDurations()
    {
        const QStringList bad{QString(),           QStringLiteral("ten seconds"), QStringLiteral("PT"),
                              QStringLiteral("P"), QStringLiteral("10x"),         QStringLiteral("-5s")};
        for (const QString &text : bad) {
            QString error;
            QVERIFY2(!Duration::parse(text, &error).has_value(), qPrintable(text));
            QVERIFY(error.contains(QLatin1String("PT10S")));
        }
        QCOMPARE(Duration::toIso(10000), QStringLiteral("PT10S"));
        QCOMPARE(Duration::toIso(5400000), QStringLiteral("PT1H30M"));
        QCOMPARE(Duration::toIso(250), QStringLiteral("PT0.25S"));
    }

    void sseBothDialects()
    {
        SseDecoder tgi;
        auto events = tgi.feed("data:{\"token\":{\"text\":\"a\"}}\n\ndata:{\"tok");
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QByteArray("{\"token\":{\"text\":\"a\"}}"));
        events = tgi.feed("en\":{\"text\":\"b\"}}\n\n");
        QCOMPARE(events.size(), 1);
        QVERIFY(events[0].data.endsWith("\"b\"}}"));
        QVERIFY(!tgi.sawDone());

        SseDecoder openai;
        events = openai.feed("data: {\"x\":1}\r\n\r\ndata: {\"x\":2}\r\n\r\ndata: [DONE]\r\n\r\n");
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[1].data, QByteArray("{\"x\":2}"));
        QVERIFY(openai.sawDone());

        SseDecoder errors;
        events = errors.feed("event: error\ndata: {\"error\":\"boom\"}\n");
        QCOMPARE(events.size(), 0);
        events = errors.finish(); // no trailing blank line
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].event, QByteArray("error"));
        QCOMPARE(events[0].data, QByteArray("{\"error\":\"boom\"}"));
    }

    void prettyPrinterKeepsNumbersAndOrder()
    {
        const QByteArray in = "{\"b\":[1.50,2e-3,{}],\"a\":\"x, \\\"y\\\": [z]\",\"c\":[]}";
        QString error;
        const QByteArray out = JsonPrettyPrinter::format(in, 2, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(out, QByteArray("{\n  \"b\": [\n    1.50,\n    2e-3,\n    {}\n  ],\n"
                                 "  \"a\": \"x, \\\"y\\\": [z]\",\n  \"c\": []\n}\n"));
        QCOMPARE(QJsonDocument::fromJson(out), QJsonDocument::fromJson(in));
    }
    void prettyPrinterRejectsTruncatedJson()
    {
        QString error;
        QVERIFY(JsonPrettyPrinter::format(R"([{"label":"a","score":0.)", 2, &error).isEmpty());
        QVERIFY(error.contains(QLatin1String("not valid JSON")));
    }

    void serverMessages_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("message");
        QTest::newRow("string") << QByteArray(
                                       R"({"error":"Model x is currently loading","estimated_time":20})")
                                << "application/json"
                                << "Model x is currently loading";
        QTest::newRow("list") << QByteArray(R"({"error":["a","b"]})") << "application/json"
                              << "a; b";
        QTest::newRow("object") << QByteArray(R"({"error":{"message":"bad key"}})") << "application/json"
                                << "bad key";
        QTest::newRow("plain") << QByteArray("Input validation error") << "text/plain"
                               << "Input validation error";
        QTest::newRow("html")
            << QByteArray("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>")
            << "text/html"
            << "502 Bad Gateway";
    }
    void serverMessages()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, type);
        QFETCH(QString, message);
        QCOMPARE(ErrorExplainer::serverMessage(body, type), message);
    }
    void sentencesSayWhatToDo()
    {
        InferenceResult r;
        r.status = 401;
        r.body = R"({"error":"Invalid credentials in Authorization header"})";
        r.contentType = QStringLiteral("application/json");
        ErrorExplainer::explainHttp(&r);
        QVERIFY(r.errorMessage.contains(QLatin1String("Make calls to Inference Providers")));
        QVERIFY(r.errorMessage.contains(QLatin1String("Invalid credentials")));

        InferenceResult gone;
        gone.status = 410;
        gone.url = QUrl(QStringLiteral("https://api-inference.huggingface.co/models/x"));
        gone.body =
            R"({"error":"https://api-inference.huggingface.co is no longer supported. Please use https://router.huggingface.co/hf-inference instead."})";
        ErrorExplainer::explainHttp(&gone);
        QVERIFY(gone.errorMessage.contains(QLatin1String("router")));

        const QString dns = ErrorExplainer::explainNetwork(
            QNetworkReply::HostNotFoundError, QStringLiteral("Host not found"),
            QUrl(QStringLiteral("https://api-inference.huggingface.co/models/x")));
        QVERIFY(dns.contains(QLatin1String("retired")));
        QVERIFY(dns.contains(InferenceRequest::defaultEndpoint()));
    }
    void notFoundOnTheRouterPointsToTheChatRoute()
    {
        const auto explain404 = [](const InferenceRequest *asked, const QString &url) {
            InferenceResult r;
            r.status = 404;
            r.url = QUrl(url);
            r.contentType = QStringLiteral("application/json");
            r.body = R"({"error":"Model o/llm does not exist"})";
            ErrorExplainer::explainHttp(&r, asked);
            return r.errorMessage;
        };
        const QString router = QStringLiteral("https://router.huggingface.co/hf-inference/models/o/llm");
        InferenceRequest kestra; // no task: Kestra's generic form
        kestra.model = QStringLiteral("o/llm");
        const QString forKestra = explain404(&kestra, router);
        QVERIFY2(forKestra.contains(QLatin1String("Chat completion")), qPrintable(forKestra));
        QVERIFY(forKestra.contains(QLatin1String("inference-desk-cli chat --model o/llm")));
        QVERIFY(forKestra.contains(QLatin1String("--route completions")));
        QVERIFY(forKestra.contains(QLatin1String("does not exist"))); // the server's words stay
        InferenceRequest textGeneration = kestra;
        textGeneration.task = QStringLiteral("text-generation");
        QVERIFY(explain404(&textGeneration, router).contains(QLatin1String("--route completions")));
        // Already on the completions route: only the chat route is left to try.
        textGeneration.route = idesk::TextGenerationRoute::Completions;
        const QString completions404 =
            explain404(&textGeneration, router + QStringLiteral("/v1/completions"));
        QVERIFY2(completions404.contains(QLatin1String("chat --model o/llm")), qPrintable(completions404));
        QVERIFY(!completions404.contains(QLatin1String("--route completions")));
        // Not said for other tasks, for other servers, nor when the request is not known.
        InferenceRequest classifier = kestra;
        classifier.task = QStringLiteral("text-classification");
        QVERIFY(!explain404(&classifier, router).contains(QLatin1String("Chat completion")));
        QVERIFY(!explain404(&kestra, QStringLiteral("https://tgi.example.com/o/llm"))
                     .contains(QLatin1String("Chat completion")));
        QVERIFY(!explain404(nullptr, router).contains(QLatin1String("Chat completion")));
        QVERIFY(explain404(nullptr, router).contains(QLatin1String("Not found (404)")));
    }
};

QTEST_GUILESS_MAIN(TestCoreUtilities)
#include "TestCoreUtilities.moc"
