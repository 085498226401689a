// InferenceClient against servers that misbehave, on real loopback sockets (the replay server, and a
// silent QTcpServer for the connect timeout): slow first byte, stalled stream, answers over
// maxContentLength, truncated JSON, HTML error pages, 503 "loading" then 200, 429 with Retry-After,
// redirects to another origin, cancel, and an untrusted certificate. Short timeouts keep it quick.

#include "ReplayServer.h"

#include "InferenceClient.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "TokenPolicy.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

#include <memory>

using idesk::InferenceClient;
using idesk::InferenceRequest;
using idesk::InferenceResult;
using idesk::test::ReplayServer;
using Outcome = idesk::InferenceResult::Outcome;

namespace {

const QString kToken = QStringLiteral("hf_test_token");

InferenceRequest textRequest(const QString &serverUrl)
{
    InferenceRequest request;
    request.endpoint = serverUrl + QStringLiteral("/hf-inference/models");
    request.model = QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english");
    request.task = QStringLiteral("text-classification");
    request.inputs = QStringLiteral("I like you");
    return request;
}

std::unique_ptr<InferenceClient> makeClient()
{
    auto client = std::make_unique<InferenceClient>();
    client->setToken(kToken);
    idesk::TokenPolicy policy;
    policy.setExplicitEndpointChosen(true);
    client->setTokenPolicy(policy);
    return client;
}

QJsonObject jsonAnswer(int status, const QJsonValue &body, const QJsonObject &extra = {})
{
    QJsonObject entry = extra;
    entry.insert(QStringLiteral("status"), status);
    entry.insert(QStringLiteral("body"), body);
    return entry;
}

} // namespace

class TestClientMisbehaving : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void slowFirstByteHitsReadTimeout();
    void silentTlsPeerHitsConnectTimeout();
    void stalledStreamHitsReadIdleTimeout();
    void advertisedTooLargeIsRefusedEarly();
    void growingTooLargeIsStopped();
    void truncatedJsonIsAnError();
    void htmlErrorPageBecomesASentence();
    void loadingThenSuccessRetriesWithWaitForModel();
    void tooManyRequestsIsReportedNotRetried();
    void redirectToAnotherPortDropsToken();
    void redirectOnSameOriginKeepsToken();
    void cancelMidRequest();
    void untrustedCertificateIsRefused();
    void tricklingServerHitsTheDeadline();
    void endlessLoadingWaitIsCapped();
    void deadlineEndsALoadingWait();

private:
    InferenceResult run(InferenceClient *client, const InferenceRequest &request, int timeoutMs = 10000);
    // The server's log entry for the i-th request, {} until it exists.
    QJsonObject logEntry(int i) { return m_server->requests().at(i).toObject(); }

    std::unique_ptr<ReplayServer> m_server;
};

void TestClientMisbehaving::initTestCase()
{
    m_server = std::make_unique<ReplayServer>(ReplayServer::Http);
    QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
}

void TestClientMisbehaving::init()
{
    QVERIFY(m_server->reset());
}

InferenceResult TestClientMisbehaving::run(InferenceClient *client, const InferenceRequest &request,
                                           int timeoutMs)
{
    QSignalSpy finished(client, &InferenceClient::finished);
    client->start(request);
    if (!finished.wait(timeoutMs) || finished.count() != 1) {
        InferenceResult none;
        none.outcome = Outcome::InvalidRequest;
        none.errorMessage = QStringLiteral("(test) the client did not finish within %1 ms").arg(timeoutMs);
        return none;
    }
    return finished.at(0).at(0).value<InferenceResult>();
}

void TestClientMisbehaving::slowFirstByteHitsReadTimeout()
{
    QVERIFY(m_server->queue(QJsonArray{jsonAnswer(200, QJsonArray{}, {{"delay_first_byte_ms", 5000}})}));
    auto client = makeClient();
    InferenceRequest request = textRequest(m_server->urlString());
    request.options.connectTimeoutMs = 2000;
    request.options.readTimeoutMs = 300;
    QElapsedTimer clock;
    clock.start();
    const InferenceResult result = run(client.get(), request);
    QCOMPARE(result.outcome, Outcome::Timeout);
    QVERIFY2(clock.elapsed() < 3000, "the timeout must cut the wait short");
    QVERIFY2(result.errorMessage.contains(QStringLiteral("readTimeout")), qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.contains(QStringLiteral("PT0.3S")), qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.contains(QStringLiteral("--read-timeout")), qPrintable(result.errorMessage));
    QCOMPARE(result.exitCode(), 3);
    // The server saw the request and the client leave.
    QTRY_VERIFY(logEntry(0).value("client_gone").toBool());
}

void TestClientMisbehaving::silentTlsPeerHitsConnectTimeout()
{
    // A peer that accepts TCP but never answers the TLS handshake: the connection is never made.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    auto client = makeClient();
    InferenceRequest request = textRequest(QStringLiteral("https://127.0.0.1:%1").arg(silent.serverPort()));
    request.options.connectTimeoutMs = 300;
    request.options.readTimeoutMs = 5000;
    QElapsedTimer clock;
    clock.start();
    const InferenceResult result = run(client.get(), request);
    QCOMPARE(result.outcome, Outcome::Timeout);
    QVERIFY2(clock.elapsed() < 4000, "connectTimeout, not readTimeout, must end it");
    QVERIFY2(result.errorMessage.contains(QStringLiteral("connectTimeout")), qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.contains(QStringLiteral("raise"), Qt::CaseInsensitive),
             qPrintable(result.errorMessage));
}

void TestClientMisbehaving::stalledStreamHitsReadIdleTimeout()
{
    const QByteArray stream = "data:{\"token\":{\"text\":\"a\"}}\n\n"
                              "data:{\"token\":{\"text\":\"b\"}}\n\n"
                              "data:{\"token\":{\"text\":\"c\"}}\n\n";
    const QJsonObject stalled{{"status", 200},
                              {"headers", QJsonObject{{"Content-Type", "text/event-stream"}}},
                              {"body", QString::fromLatin1(stream)},
                              {"stall_after_bytes", int(stream.indexOf("data:{\"token\":{\"text\":\"b\""))}};
    QVERIFY(m_server->queue(QJsonArray{stalled}));
    auto client = makeClient();
    InferenceRequest request = textRequest(m_server->urlString());
    request.task = QStringLiteral("text-generation");
    request.stream = true;
    request.options.readTimeoutMs = 5000;
    request.options.readIdleTimeoutMs = 400;
    QSignalSpy events(client.get(), &InferenceClient::streamEvent);
    QElapsedTimer clock;
    clock.start();
    const InferenceResult result = run(client.get(), request);
    QCOMPARE(result.outcome, Outcome::Timeout);
    QVERIFY2(clock.elapsed() < 4000, "readIdleTimeout must end a stalled stream");
    QVERIFY2(result.errorMessage.contains(QStringLiteral("readIdleTimeout")),
             qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.contains(QStringLiteral("--read-idle-timeout")),
             qPrintable(result.errorMessage));
    QCOMPARE(events.count(), 1); // the event before the stall arrived
    QCOMPARE(events.at(0).at(0).toByteArray(), QByteArray("{\"token\":{\"text\":\"a\"}}"));
    QCOMPARE(events.at(0).at(1).toByteArray(), QByteArray()); // no `event:` name
    QTRY_VERIFY(logEntry(0).value("client_gone").toBool());
}

void TestClientMisbehaving::advertisedTooLargeIsRefusedEarly()
{
    // 50 MB announced by Content-Length, 100 kB allowed. The server sends 64 kB every 5 ms (13 MB/s):
    // on loopback an unthrottled server would write the whole answer into socket and QNAM buffers
    // before the client's thread looks, and "stopped early" could not be told from "read it all".
    QVERIFY(
        m_server->queue(QJsonArray{QJsonObject{{"status", 200},
                                               {"headers", QJsonObject{{"Content-Type", "application/json"}}},
                                               {"body", "[0.123456789, "},
                                               {"body_repeat", 50 * 1024 * 1024 / 14},
                                               {"chunk_size", 65536},
                                               {"chunk_delay_ms", 5}}}));
    auto client = makeClient();
    InferenceRequest request = textRequest(m_server->urlString());
    request.options.maxContentLength = 100000;
    const InferenceResult result = run(client.get(), request);
    QCOMPARE(result.outcome, Outcome::TooLarge);
    QVERIFY2(result.errorMessage.contains(QStringLiteral("maxContentLength")),
             qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.contains(QStringLiteral("--max-content-length")),
             qPrintable(result.errorMessage));
    QVERIFY(result.body.isEmpty()); // never half an answer
    QCOMPARE(result.exitCode(), 1);
    // The download was abandoned: the server could not write the whole answer.
    QTRY_VERIFY_WITH_TIMEOUT(logEntry(0).value("response_done").toBool(), 10000);
    const QJsonObject log = logEntry(0);
    QVERIFY(!log.value("response_complete").toBool());
    QVERIFY2(log.value("response_bytes_sent").toDouble() < log.value("response_body_size").toDouble() / 2,
             qPrintable(QStringLiteral("%1 of %2 bytes sent")
                            .arg(log.value("response_bytes_sent").toDouble())
                            .arg(log.value("response_body_size").toDouble())));
}

void TestClientMisbehaving::growingTooLargeIsStopped()
{
    // No Content-Length: the limit must be enforced while the answer streams in.
    QVERIFY(
        m_server->queue(QJsonArray{QJsonObject{{"status", 200},
                                               {"headers", QJsonObject{{"Content-Type", "application/json"}}},
                                               {"body", "[0.123456789, "},
                                               {"body_repeat", 50 * 1024 * 1024 / 14},
                                               {"chunk_size", 65536},
                                               {"chunk_delay_ms", 5},
                                               {"omit_content_length", true}}}));
    auto client = makeClient();
    InferenceRequest request = textRequest(m_server->urlString());
    request.options.maxContentLength = 100000;
    qint64 mostReceived = 0;
    connect(client.get(), &InferenceClient::progress, this,
            [&](qint64, qint64 received) { mostReceived = qMax(mostReceived, received); });
    const InferenceResult result = run(client.get(), request);
    QCOMPARE(result.outcome, Outcome::TooLarge);
    QVERIFY2(result.errorMessage.contains(QStringLiteral("maxContentLength")),
             qPrintable(result.errorMessage));
    QVERIFY(result.body.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(logEntry(0).value("response_done").toBool(), 10000);
    const QJsonObject log = logEntry(0);
    QVERIFY(!log.value("response_complete").toBool());
    QVERIFY(log.value("client_gone").toBool());
    // The client read past the limit (that is how it knew) and stopped soon after.
    QVERIFY2(mostReceived > 100000 && mostReceived < 10 * 1024 * 1024,
             qPrintable(QString::number(mostReceived)));
    QVERIFY(log.value("response_bytes_sent").toDouble() < log.value("response_body_size").toDouble() / 2);
}

void TestClientMisbehaving::truncatedJsonIsAnError()
{
    QVERIFY(m_server->queue(
        QJsonArray{jsonAnswer(200,
                              QJsonArray{QJsonObject{{"label", "POSITIVE"}, {"score", 0.9998}},
                                         QJsonObject{{"label", "NEGATIVE"}, {"score", 0.0002}}},
                              {{"truncate_after_bytes", 30}})}));
    auto client = makeClient();
    const InferenceResult result = run(client.get(), textRequest(m_server->urlString()));
    QVERIFY2(!result.ok(), "a half answer must never pass for a success");
    QVERIFY(result.outcome != Outcome::Success);
    QVERIFY(!result.errorMessage.isEmpty());
    QVERIFY(result.exitCode() != 0);
}

void TestClientMisbehaving::htmlErrorPageBecomesASentence()
{
    const QString html =
        QStringLiteral("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                       "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n");
    QVERIFY(m_server->queue(QJsonArray{QJsonObject{
        {"status", 502}, {"headers", QJsonObject{{"Content-Type", "text/html"}}}, {"body", html}}}));
    auto client = makeClient();
    const InferenceResult result = run(client.get(), textRequest(m_server->urlString()));
    QCOMPARE(result.outcome, Outcome::HttpError);
    QCOMPARE(result.status, 502);
    QCOMPARE(result.exitCode(), 1);
    QVERIFY2(result.errorMessage.contains(QStringLiteral("Bad Gateway")), qPrintable(result.errorMessage));
    QVERIFY2(!result.errorMessage.contains(QLatin1Char('<')), qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.size() < 400, qPrintable(result.errorMessage));
}

void TestClientMisbehaving::loadingThenSuccessRetriesWithWaitForModel()
{
    // The recorded pair: 503 "currently loading" (estimated_time 20) and the answer to the retry.
    QVERIFY(m_server->queue(QJsonArray{
        QJsonObject{{"file", "text-classification/e250123_TIC_text_classification_hf-inference-0.json"}},
        QJsonObject{{"file", "text-classification/e250123_TIC_text_classification_hf-inference-1.json"}}}));
    auto client = makeClient();
    client->setMaxLoadingWait(1); // estimated_time 20 s, capped to 1 s
    QSignalSpy waiting(client.get(), &InferenceClient::waitingForModel);
    QSignalSpy finished(client.get(), &InferenceClient::finished);
    connect(client.get(), &InferenceClient::finished, this, [&] { QCOMPARE(waiting.count(), 1); });
    client->start(textRequest(m_server->urlString()));
    QVERIFY(waiting.wait(5000));
    QCOMPARE(waiting.at(0).at(0).toInt(), 1);
    QVERIFY2(waiting.at(0).at(1).toString().contains(QStringLiteral("loading")),
             qPrintable(waiting.at(0).at(1).toString()));
    QCOMPARE(finished.count(), 0);
    QVERIFY(client->isRunning());
    QVERIFY(finished.wait(10000));
    const InferenceResult result = finished.at(0).at(0).value<InferenceResult>();
    QCOMPARE(result.outcome, Outcome::Success);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.attempts, 2);
    QVERIFY(result.json().isArray());
    const QJsonArray sent = m_server->requests();
    QCOMPARE(sent.size(), 2);
    QCOMPARE(sent.at(0).toObject().value("headers").toObject().value("x-wait-for-model").toString(),
             QStringLiteral("false"));
    QCOMPARE(sent.at(1).toObject().value("headers").toObject().value("x-wait-for-model").toString(),
             QStringLiteral("true"));
    QCOMPARE(ReplayServer::body(sent.at(1).toObject()), ReplayServer::body(sent.at(0).toObject()));
}

void TestClientMisbehaving::tooManyRequestsIsReportedNotRetried()
{
    QVERIFY(m_server->queue(QJsonArray{jsonAnswer(
        429, QJsonObject{{"error", "Rate limit reached. Please log in or use a HF access token"}},
        {{"headers", QJsonObject{{"Retry-After", "37"}, {"Content-Type", "application/json"}}}})}));
    QVERIFY(m_server->queue(QJsonArray{jsonAnswer(200, QJsonArray{})})); // must stay unused
    auto client = makeClient();
    const InferenceResult result = run(client.get(), textRequest(m_server->urlString()));
    QCOMPARE(result.outcome, Outcome::HttpError);
    QCOMPARE(result.status, 429);
    QCOMPARE(result.exitCode(), 1);
    QVERIFY2(result.errorMessage.contains(QStringLiteral("37")), qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.contains(QStringLiteral("wait"), Qt::CaseInsensitive),
             qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.contains(QStringLiteral("Rate limit reached")),
             qPrintable(result.errorMessage));
    QVERIFY(!client->isRunning()); // nothing scheduled
    QCOMPARE(m_server->requests().size(), 1);
}

void TestClientMisbehaving::redirectToAnotherPortDropsToken()
{
    ReplayServer other(ReplayServer::Http, 120);
    QVERIFY2(other.isRunning(), qPrintable(other.errorString()));
    QVERIFY(m_server->queue(QJsonArray{
        QJsonObject{{"status", 307},
                    {"redirect", other.urlString() + QStringLiteral("/hf-inference/models/elsewhere")}}}));
    QVERIFY(other.queueFile(
        QStringLiteral("text-classification/r2504_TIC_text_classification_hf-inference-1.json")));
    auto client = makeClient();
    QSignalSpy withheld(client.get(), &InferenceClient::tokenWithheld);
    const InferenceResult result = run(client.get(), textRequest(m_server->urlString()));
    QCOMPARE(result.outcome, Outcome::Success);
    QCOMPARE(result.url.port(), other.port());
    const QJsonArray first = m_server->requests();
    QCOMPARE(first.size(), 1);
    QCOMPARE(first.at(0).toObject().value("headers").toObject().value("authorization").toString(),
             QStringLiteral("Bearer ") + kToken);
    const QJsonArray second = other.requests();
    QCOMPARE(second.size(), 1);
    QVERIFY2(!second.at(0).toObject().value("headers").toObject().contains(QStringLiteral("authorization")),
             "the token followed the redirect to another origin");
    QCOMPARE(second.at(0).toObject().value("path").toString(),
             QStringLiteral("/hf-inference/models/elsewhere"));
    QCOMPARE(withheld.count(), 1);
    QVERIFY(!client->tokenAttached());
}

void TestClientMisbehaving::redirectOnSameOriginKeepsToken()
{
    QVERIFY(m_server->queue(QJsonArray{
        QJsonObject{{"status", 308},
                    {"redirect", m_server->urlString() + QStringLiteral("/hf-inference/models/renamed")}},
        jsonAnswer(200, QJsonArray{})}));
    auto client = makeClient();
    const InferenceResult result = run(client.get(), textRequest(m_server->urlString()));
    QCOMPARE(result.outcome, Outcome::Success);
    const QJsonArray sent = m_server->requests();
    QCOMPARE(sent.size(), 2);
    QCOMPARE(sent.at(1).toObject().value("path").toString(), QStringLiteral("/hf-inference/models/renamed"));
    QCOMPARE(sent.at(1).toObject().value("headers").toObject().value("authorization").toString(),
             QStringLiteral("Bearer ") + kToken);
    QCOMPARE(ReplayServer::body(sent.at(1).toObject()), ReplayServer::body(sent.at(0).toObject()));
}

void TestClientMisbehaving::cancelMidRequest()
{
    QVERIFY(m_server->queue(QJsonArray{jsonAnswer(200, QJsonArray{}, {{"delay_first_byte_ms", 20000}})}));
    auto client = makeClient();
    QSignalSpy finished(client.get(), &InferenceClient::finished);
    client->start(textRequest(m_server->urlString()));
    QTRY_COMPARE(m_server->requests().size(), 1); // the request is at the server
    QVERIFY(client->isRunning());
    QElapsedTimer clock;
    clock.start();
    client->cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 2000);
    QVERIFY(clock.elapsed() < 1000);
    const InferenceResult result = finished.at(0).at(0).value<InferenceResult>();
    QCOMPARE(result.outcome, Outcome::Cancelled);
    QCOMPARE(result.exitCode(), 3);
    QVERIFY(!client->isRunning());
    QTRY_VERIFY(logEntry(0).value("client_gone").toBool());
}

void TestClientMisbehaving::untrustedCertificateIsRefused()
{
    ReplayServer tls(ReplayServer::Tls, 120);
    QVERIFY2(tls.isRunning(), qPrintable(tls.errorString()));
    QVERIFY(tls.queue(QJsonArray{jsonAnswer(200, QJsonArray{})}));
    auto client = makeClient(); // no addCaCertificates(): the test CA is unknown
    const InferenceResult result = run(client.get(), textRequest(tls.urlString()));
    QCOMPARE(result.outcome, Outcome::NetworkError);
    QCOMPARE(result.exitCode(), 3);
    QVERIFY2(result.errorMessage.contains(QStringLiteral("certificate"), Qt::CaseInsensitive),
             qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.contains(QStringLiteral("--ca-bundle")), qPrintable(result.errorMessage));
    QCOMPARE(tls.requests().size(), 0); // nothing, and no token, went through

    // The same server with its CA trusted: the certificate error was the only obstacle.
    auto trusting = makeClient();
    QString error;
    QVERIFY2(trusting->addCaCertificates(tls.caCertificatePath(), &error), qPrintable(error));
    const InferenceResult ok = run(trusting.get(), textRequest(tls.urlString()));
    QCOMPARE(ok.outcome, Outcome::Success);
    QCOMPARE(tls.requests().size(), 1);
}

void TestClientMisbehaving::tricklingServerHitsTheDeadline()
{
    // One byte every 100 ms never trips readIdleTimeout: only the deadline for the whole request ends it.
    const QString body = QStringLiteral("[") + QString(2000, QLatin1Char('1')) + QStringLiteral("]");
    QVERIFY(
        m_server->queue(QJsonArray{QJsonObject{{"status", 200},
                                               {"headers", QJsonObject{{"Content-Type", "application/json"}}},
                                               {"body", body},
                                               {"chunk_size", 1},
                                               {"chunk_delay_ms", 100}}}));
    auto client = makeClient();
    InferenceRequest request = textRequest(m_server->urlString());
    request.options.readIdleTimeoutMs = 5000;
    request.options.deadlineMs = 800;
    const InferenceResult result = run(client.get(), request, 20000);
    QCOMPARE(result.outcome, Outcome::Timeout);
    QCOMPARE(result.exitCode(), 3);
    QVERIFY2(result.errorMessage.contains(QStringLiteral("deadline of PT0.8S")),
             qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.contains(QStringLiteral("--deadline")), qPrintable(result.errorMessage));
    QTRY_VERIFY(logEntry(0).value("client_gone").toBool());
}

void TestClientMisbehaving::endlessLoadingWaitIsCapped()
{
    // estimated_time 1e9 used to mean 2 waits of 120 s; the waits together stay within maxLoadingWaitMs.
    const QJsonObject loading =
        jsonAnswer(503, QJsonObject{{"error", "Model m/x is currently loading"}, {"estimated_time", 1e9}});
    QVERIFY(m_server->queue(QJsonArray{loading, loading, loading}));
    auto client = makeClient();
    InferenceRequest request = textRequest(m_server->urlString());
    request.options.maxLoadingWaitMs = 1000;
    QSignalSpy waiting(client.get(), &InferenceClient::waitingForModel);
    const InferenceResult result = run(client.get(), request, 20000);
    QCOMPARE(waiting.count(), 1);
    QCOMPARE(waiting.at(0).at(0).toInt(), 1);
    QCOMPARE(result.outcome, Outcome::HttpError);
    QCOMPARE(result.status, 503);
    QCOMPARE(result.attempts, 2);
    QVERIFY2(result.errorMessage.contains(QStringLiteral("Stopped waiting for the model to load after 1 s")),
             qPrintable(result.errorMessage));
    QVERIFY2(result.errorMessage.contains(QStringLiteral("--max-wait")), qPrintable(result.errorMessage));
    QCOMPARE(m_server->requests().size(), 2);
}

void TestClientMisbehaving::deadlineEndsALoadingWait()
{
    const QJsonObject loading =
        jsonAnswer(503, QJsonObject{{"error", "Model m/x is currently loading"}, {"estimated_time", 1e9}});
    QVERIFY(m_server->queue(QJsonArray{loading}));
    auto client = makeClient();
    InferenceRequest request = textRequest(m_server->urlString());
    request.options.deadlineMs = 600; // the loading wait would be 120 s
    QSignalSpy waiting(client.get(), &InferenceClient::waitingForModel);
    const InferenceResult result = run(client.get(), request, 20000);
    QCOMPARE(waiting.count(), 1);
    QCOMPARE(result.outcome, Outcome::Timeout);
    QVERIFY2(result.errorMessage.contains(QStringLiteral("--deadline")), qPrintable(result.errorMessage));
    QVERIFY(!client->isRunning());
    QCOMPARE(m_server->requests().size(), 1);
}

QTEST_GUILESS_MAIN(TestClientMisbehaving)
#include "TestClientMisbehaving.moc"
