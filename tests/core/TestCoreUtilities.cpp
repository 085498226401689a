// Durations, the SSE decoder, the JSON pretty printer and error sentences.
#include "Duration.h"
#include "ErrorExplainer.h"
#include "InferenceRequest.h"
#include "JsonPrettyPrinter.h"
#include "SseDecoder.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QtTest>

using namespace idesk;

class TestCoreUtilities : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Times for people: ms below a second, one decimal below a minute, minutes and seconds after.
    void durationsForPeople()
    {
        QLocale::setDefault(QLocale::c());
        QCOMPARE(Duration::forPeople(850), QStringLiteral("850 ms"));
        QCOMPARE(Duration::forPeople(0), QStringLiteral("0 ms"));
        QCOMPARE(Duration::forPeople(11876), QStringLiteral("11.9 s"));
        QCOMPARE(Duration::forPeople(1000), QStringLiteral("1.0 s"));
        QCOMPARE(Duration::forPeople(59990), QStringLiteral("1 min 0 s"));
        QCOMPARE(Duration::forPeople(125400), QStringLiteral("2 min 5 s"));
        QCOMPARE(Duration::forPeople(-1), QString());
        QCOMPARE(Duration::secondsForPeople(QStringLiteral("11.876588403")), QStringLiteral("11.9 s"));
        QCOMPARE(Duration::secondsForPeople(QStringLiteral("0.593")), QStringLiteral("593 ms"));
        QCOMPARE(Duration::secondsForPeople(QStringLiteral("soon")), QStringLiteral("soon"));
        QLocale::setDefault(QLocale::system());
    }
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

    // ---- Issue 19: hostile values and answers ----

    void timeoutsRefuseZeroAndOverflow()
    {
        QString error;
        for (const char *zero : {"0s", "PT0S", "0", "0ms", "0.0001s"}) {
            QVERIFY2(!Duration::parseTimeout(QLatin1String(zero), &error), zero);
            QVERIFY2(error.contains(QLatin1String("smallest is 1ms")), qPrintable(error));
        }
        QVERIFY(!Duration::parseTimeout(QStringLiteral("25d"), &error));
        QVERIFY2(error.contains(QLatin1String("largest is 24d")), qPrintable(error));
        QCOMPARE(*Duration::parseTimeout(QStringLiteral("1ms")), 1);
        QCOMPARE(*Duration::parseTimeout(QStringLiteral("24d")), 24LL * 86400000);
        // Past what a qint64 of milliseconds holds: refused, not wrapped round to a negative number.
        QVERIFY(!Duration::parse(QStringLiteral("99999999999999999999d")));
        QVERIFY(!Duration::parse(QStringLiteral("P99999999999999999999D")));
        QCOMPARE(*Duration::parse(QStringLiteral("0s")), 0); // a plain duration may be zero (pool idle PT0S)
    }

    void statusWithoutReasonPhrase()
    {
        InferenceResult r;
        r.status = 599;
        ErrorExplainer::explainHttp(&r);
        QVERIFY2(r.errorMessage.contains(QLatin1String("(599)")), qPrintable(r.errorMessage));
        QCOMPARE(ErrorExplainer::statusText(501, "Not Implemented"), QStringLiteral("501 Not Implemented"));
        QCOMPARE(ErrorExplainer::statusText(599, " "), QStringLiteral("599"));
    }

    void retryAfterDatesAndSeconds()
    {
        const QDateTime now(QDate(2026, 12, 6), QTime(4, 0, 0), Qt::UTC);
        QCOMPARE(ErrorExplainer::retryAfterAdvice("30", now), QStringLiteral("try again in 30 s"));
        const QString soon = ErrorExplainer::retryAfterAdvice("Sun, 06 Dec 2026 04:12:00 GMT", now);
        QVERIFY2(soon.contains(QLatin1String("(in 12 min)")), qPrintable(soon));
        QVERIFY2(soon.contains(now.addSecs(720).toLocalTime().toString(QStringLiteral("HH:mm"))),
                 qPrintable(soon));
        const QString far = ErrorExplainer::retryAfterAdvice("Wed, 21 Oct 2099 07:28:00 GMT", now);
        QVERIFY2(far.startsWith(QLatin1String("try again after 2099-10-2")), qPrintable(far));
        QVERIFY2(far.contains(QLatin1String("days)")), qPrintable(far));
        // The two obsolete forms RFC 9110 still accepts.
        QVERIFY(ErrorExplainer::retryAfterAdvice("Sunday, 06-Dec-26 04:12:00 GMT", now)
                    .contains(QLatin1String("12 min")));
        QVERIFY(ErrorExplainer::retryAfterAdvice("Sun Dec  6 04:12:00 2026", now)
                    .contains(QLatin1String("12 min")));
        QVERIFY(ErrorExplainer::retryAfterAdvice("Sat, 05 Dec 2026 04:00:00 GMT", now)
                    .contains(QLatin1String("now")));
        QVERIFY(ErrorExplainer::retryAfterAdvice("soon", now).isEmpty());
        QVERIFY(ErrorExplainer::retryAfterAdvice("", now).isEmpty());

        InferenceResult r;
        r.status = 429;
        r.headers = {{"Retry-After", "Wed, 21 Oct 2099 07:28:00 GMT"}};
        ErrorExplainer::explainHttp(&r);
        QVERIFY2(!r.errorMessage.contains(QLatin1String("GMT seconds")), qPrintable(r.errorMessage));
        QVERIFY2(r.errorMessage.contains(QLatin1String("try again after 2099")), qPrintable(r.errorMessage));
    }

    void webPagesMeanAWrongEndpoint()
    {
        for (const int status : {404, 405, 501}) {
            InferenceResult r;
            r.status = status;
            r.url = QUrl(QStringLiteral("http://intranet.example/models/o/m"));
            r.contentType = QStringLiteral("text/html");
            r.body = "<html><head><title>Error response</title></head><body>Unsupported method</body></html>";
            ErrorExplainer::explainHttp(&r);
            QVERIFY2(r.errorMessage.contains(QLatin1String("endpoint is likely wrong")),
                     qPrintable(r.errorMessage));
            QVERIFY2(r.errorMessage.contains(QLatin1String("Error response")), qPrintable(r.errorMessage));
            QVERIFY2(!r.errorMessage.contains(QLatin1String("try again later")), qPrintable(r.errorMessage));
        }
        InferenceResult gateway; // a 502 page from a proxy is still "try again later"
        gateway.status = 502;
        gateway.reason = "Bad Gateway";
        gateway.contentType = QStringLiteral("text/html");
        gateway.body = "<html><title>502 Bad Gateway</title></html>";
        ErrorExplainer::explainHttp(&gateway);
        QVERIFY2(gateway.errorMessage.contains(QLatin1String("try again later")),
                 qPrintable(gateway.errorMessage));

        InferenceResult page; // a 200 web page
        page.status = 200;
        page.contentType = QStringLiteral("text/html");
        page.body = "<!doctype html><title>Welcome to nginx!</title>";
        QString why;
        QCOMPARE(ErrorExplainer::judgeAnswer(page, &why), InferenceResult::Outcome::HttpError);
        QVERIFY2(why.contains(QLatin1String("web page")) && why.contains(QLatin1String("Welcome to nginx!")),
                 qPrintable(why));
    }

    void brokenBodiesAreJudged()
    {
        InferenceResult r;
        r.status = 200;
        r.contentType = QStringLiteral("application/json");
        QString why;
        QCOMPARE(ErrorExplainer::judgeAnswer(r, &why), InferenceResult::Outcome::HttpError); // empty
        QVERIFY2(why.contains(QLatin1String("empty body")), qPrintable(why));
        r.headers = {{"Transfer-Encoding", "chunked"}};
        QCOMPARE(ErrorExplainer::judgeAnswer(r, &why), InferenceResult::Outcome::NetworkError);
        r.body = R"([{"label":"positive","score":0.9)";
        QCOMPARE(ErrorExplainer::judgeAnswer(r, &why), InferenceResult::Outcome::NetworkError);
        QVERIFY2(why.contains(QLatin1String("broke off after 32 bytes")), qPrintable(why));
        r.body = R"([{"label":"positive","score":0.9}])";
        QCOMPARE(ErrorExplainer::judgeAnswer(r, &why), InferenceResult::Outcome::Success);
    }

    void redirectsNotFollowedAreExplained()
    {
        InferenceResult r;
        r.status = 307;
        r.reason = "Temporary Redirect";
        r.url = QUrl(QStringLiteral("https://api.example/models/o/m"));
        r.headers = {{"Location", "http://api.example/models/o/m"}};
        ErrorExplainer::explainHttp(&r);
        QVERIFY2(r.errorMessage.contains(QLatin1String("from https to plain http")),
                 qPrintable(r.errorMessage));
        QVERIFY2(r.errorMessage.contains(QLatin1String("not followed")), qPrintable(r.errorMessage));
        QVERIFY2(r.errorMessage.contains(QLatin1String("http://api.example/models/o/m")),
                 qPrintable(r.errorMessage));

        r.headers = {{"Location", "https://other.example/x"}};
        ErrorExplainer::explainHttp(&r);
        QVERIFY2(r.errorMessage.contains(QLatin1String("another origin, https://other.example/x")),
                 qPrintable(r.errorMessage));
        r.headers = {{"Location", "ftp://api.example/x"}};
        ErrorExplainer::explainHttp(&r);
        QVERIFY2(r.errorMessage.contains(QLatin1String("not an http(s) address")),
                 qPrintable(r.errorMessage));
        r.headers = {};
        ErrorExplainer::explainHttp(&r);
        QVERIFY2(r.errorMessage.contains(QLatin1String("nowhere")), qPrintable(r.errorMessage));
        r.headers = {{"Location", "/models/o/m2"}};
        ErrorExplainer::explainHttp(&r);
        QVERIFY2(r.errorMessage.contains(QLatin1String("too many times")), qPrintable(r.errorMessage));
    }

    void badEndpointsSayWhy()
    {
        const QString def = InferenceRequest::defaultEndpoint();
        QString why =
            ErrorExplainer::explainBadEndpoint(QStringLiteral("http://127.0.0.1:99999/models"), def);
        QVERIFY2(why.contains(QLatin1String("port 99999")) && why.contains(QLatin1String("out of range")),
                 qPrintable(why));
        why = ErrorExplainer::explainBadEndpoint(QStringLiteral("http://[::1]:70000/x"), def);
        QVERIFY2(why.contains(QLatin1String("out of range")), qPrintable(why));
        why = ErrorExplainer::explainBadEndpoint(QStringLiteral("http://h:8o8o/x"), def);
        QVERIFY2(why.contains(QLatin1String("where its port should be")), qPrintable(why));
        why = ErrorExplainer::explainBadEndpoint(QStringLiteral("ftp://h/x"), def);
        QVERIFY2(why.contains(QLatin1String("not an http(s) URL")), qPrintable(why));
        why = ErrorExplainer::explainBadEndpoint(QStringLiteral("http:///x"), def);
        QVERIFY2(why.contains(QLatin1String("no host")), qPrintable(why));
        why = ErrorExplainer::explainBadEndpoint(QStringLiteral("router.huggingface.co"), def);
        QVERIFY2(why.contains(QLatin1String("not a URL")), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestCoreUtilities)
#include "TestCoreUtilities.moc"
