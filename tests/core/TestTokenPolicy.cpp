// Where the Hugging Face token may go: the host table of TokenPolicy, then real requests through
// InferenceClient and WhoAmI to a loopback server (no Authorization header unless allowed).
#include "InferenceClient.h"
#include "ReplayServer.h"
#include "ServiceBases.h"
#include "TokenPolicy.h"
#include "WhoAmI.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using idesk::InferenceClient;
using idesk::TokenPolicy;
using idesk::WhoAmI;
using idesk::test::ReplayServer;

namespace {

QString freshToken()
{
    return QStringLiteral("hf_") + QUuid::createUuid().toString(QUuid::Id128);
}

QJsonObject okAnswer()
{
    return QJsonObject{{QStringLiteral("status"), 200},
                       {QStringLiteral("headers"),
                        QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("application/json")}}},
                       {QStringLiteral("body"), QStringLiteral("[{\"label\":\"POSITIVE\",\"score\":0.9}]")}};
}

QString authorizationOf(const QJsonValue &request)
{
    return request.toObject()
        .value(QLatin1String("headers"))
        .toObject()
        .value(QLatin1String("authorization"))
        .toString();
}

bool hasAuthorization(const QJsonValue &request)
{
    return request.toObject()
        .value(QLatin1String("headers"))
        .toObject()
        .contains(QLatin1String("authorization"));
}

QByteArray whoamiJson(const QString &role, const QJsonArray &global, const QJsonArray &scopedPermissions)
{
    QJsonObject accessToken{{QStringLiteral("displayName"), QStringLiteral("laptop")},
                            {QStringLiteral("role"), role}};
    if (role == QLatin1String("fineGrained")) {
        accessToken.insert(QStringLiteral("fineGrained"),
                           QJsonObject{{QStringLiteral("canReadGatedRepos"), true},
                                       {QStringLiteral("global"), global},
                                       {QStringLiteral("scoped"),
                                        QJsonArray{QJsonObject{
                                            {QStringLiteral("entity"),
                                             QJsonObject{{QStringLiteral("type"), QStringLiteral("user")},
                                                         {QStringLiteral("name"), QStringLiteral("ada")}}},
                                            {QStringLiteral("permissions"), scopedPermissions}}}}});
    }
    const QJsonObject root{
        {QStringLiteral("type"), QStringLiteral("user")},
        {QStringLiteral("name"), QStringLiteral("ada")},
        {QStringLiteral("fullname"), QStringLiteral("Ada Lovelace")},
        {QStringLiteral("auth"), QJsonObject{{QStringLiteral("type"), QStringLiteral("access_token")},
                                             {QStringLiteral("accessToken"), accessToken}}}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

} // namespace

class TestTokenPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void huggingFaceHosts_data();
    void huggingFaceHosts();
    void mayAttach_data();
    void mayAttach();
    void approveHostNormalizes();
    void serviceBasesNamedByThePersonGetTheToken();
    void unauthorizedWithoutToken();
    void normalizedOrigin_data();
    void normalizedOrigin();
    void clientWithholdsTokenFromUnknownHost();
    void clientSendsTokenToApprovedHost();
    void clientSendsTokenToExplicitEndpoint();
    void whoAmIParse_data();
    void whoAmIParse();
    void whoAmIParseGarbage();
    void whoAmIOverLoopback();
    void whoAmIRefusesUnknownHost();
    void whoAmIUnauthorized();
};

void TestTokenPolicy::huggingFaceHosts_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("hf");
    QTest::newRow("huggingface.co") << "huggingface.co" << true;
    QTest::newRow("upper case, trailing dot") << "HuggingFace.CO." << true;
    QTest::newRow("router") << "router.huggingface.co" << true;
    QTest::newRow("retired api-inference") << "api-inference.huggingface.co" << true;
    QTest::newRow("endpoint") << "x.endpoints.huggingface.cloud" << true;
    QTest::newRow("endpoint region") << "abc123.us-east-1.aws.endpoints.huggingface.cloud" << true;
    QTest::newRow("space") << "foo.hf.space" << true;
    QTest::newRow("bare hf.space") << "hf.space" << false;
    QTest::newRow("bare endpoints") << "endpoints.huggingface.cloud" << false;
    QTest::newRow("look-alike prefix") << "evil-huggingface.co" << false;
    QTest::newRow("look-alike suffix") << "huggingface.co.evil.com" << false;
    QTest::newRow("look-alike space") << "evilhf.space" << false;
    QTest::newRow("other subdomain") << "cdn.huggingface.co" << false;
    QTest::newRow("loopback") << "127.0.0.1" << false;
    QTest::newRow("localhost") << "localhost" << false;
    QTest::newRow("empty") << "" << false;
}

void TestTokenPolicy::huggingFaceHosts()
{
    QFETCH(QString, host);
    QFETCH(bool, hf);
    QCOMPARE(TokenPolicy::isHuggingFaceHost(host), hf);
}

void TestTokenPolicy::mayAttach_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QStringList>("approved");
    QTest::addColumn<bool>("explicitEndpoint");
    QTest::addColumn<bool>("allowed");
    const QStringList none;
    QTest::newRow("hf https") << "https://huggingface.co/api/whoami-v2" << none << false << true;
    QTest::newRow("router https") << "https://router.huggingface.co/hf-inference/models/x" << none << false
                                  << true;
    QTest::newRow("hf plain http") << "http://huggingface.co/api/whoami-v2" << none << false << false;
    QTest::newRow("hf plain http, explicit") << "http://router.huggingface.co/v1" << none << true << false;
    QTest::newRow("endpoint") << "https://x.endpoints.huggingface.cloud/" << none << false << true;
    QTest::newRow("space") << "https://foo.hf.space/run" << none << false << true;
    QTest::newRow("look-alike") << "https://evil-huggingface.co/" << none << false << false;
    QTest::newRow("loopback") << "http://127.0.0.1:8080/models/x" << none << false << false;
    QTest::newRow("loopback explicit") << "http://127.0.0.1:8080/models/x" << none << true << true;
    QTest::newRow("loopback origin approved")
        << "http://127.0.0.1:8080/models/x" << QStringList{"http://127.0.0.1:8080"} << false << true;
    // Issue 19: approving 127.0.0.1:8765 let the token go to :8766 and :8798.
    QTest::newRow("approved origin, other port")
        << "http://127.0.0.1:8766/models/x" << QStringList{"http://127.0.0.1:8765"} << false << false;
    QTest::newRow("approved origin, other scheme")
        << "https://127.0.0.1:8765/models/x" << QStringList{"http://127.0.0.1:8765"} << false << false;
    // A bare host, as older versions saved it: https on 443 only.
    QTest::newRow("bare host, http port")
        << "http://127.0.0.1:8080/models/x" << QStringList{"127.0.0.1"} << false << false;
    QTest::newRow("bare host, https 443")
        << "https://127.0.0.1/models/x" << QStringList{"127.0.0.1"} << false << true;
    QTest::newRow("host:port, either scheme")
        << "http://tgi.example.com:8443/v1" << QStringList{"tgi.example.com:8443"} << false << true;
    QTest::newRow("ipv6 origin") << "http://[::1]:8080/x" << QStringList{"http://[::1]:8080"} << false
                                 << true;
    QTest::newRow("ipv6 origin, other port")
        << "http://[::1]:8081/x" << QStringList{"http://[::1]:8080"} << false << false;
    QTest::newRow("approved host:port")
        << "https://tgi.example.com:8443/v1" << QStringList{"tgi.example.com:8443"} << false << true;
    QTest::newRow("approved host:port, other port")
        << "https://tgi.example.com:9000/v1" << QStringList{"tgi.example.com:8443"} << false << false;
    QTest::newRow("approved, case") << "https://TGI.Example.com/v1" << QStringList{"tgi.example.COM"} << false
                                    << true;
    QTest::newRow("other host, other approved")
        << "https://other.example.com/" << QStringList{"tgi.example.com"} << false << false;
    QTest::newRow("ftp explicit") << "ftp://127.0.0.1/file" << none << true << false;
    QTest::newRow("no host") << "file:///etc/passwd" << none << true << false;
}

void TestTokenPolicy::mayAttach()
{
    QFETCH(QString, url);
    QFETCH(QStringList, approved);
    QFETCH(bool, explicitEndpoint);
    QFETCH(bool, allowed);
    TokenPolicy policy;
    policy.setApprovedOrigins(approved);
    policy.setExplicitEndpointChosen(explicitEndpoint);
    QCOMPARE(policy.mayAttach(QUrl(url)), allowed);
    const QString reason = policy.refusalReason(QUrl(url));
    QCOMPARE(reason.isEmpty(), allowed);
    if (!allowed) {
        // A sentence that says why and names the host (when there is one).
        QVERIFY2(reason.endsWith(QLatin1Char('.')), qPrintable(reason));
        const QString host = QUrl(url).host().toLower();
        if (!host.isEmpty())
            QVERIFY2(reason.contains(host), qPrintable(reason));
    }
}

void TestTokenPolicy::approveHostNormalizes()
{
    TokenPolicy policy;
    QVERIFY(!policy.mayAttach(QUrl(QStringLiteral("https://my.server.example/v1"))));
    QVERIFY(policy.approveOrigin(QStringLiteral(" My.Server.Example. ")));
    QVERIFY(policy.approveOrigin(QStringLiteral("https://my.server.example:443/")));
    QCOMPARE(policy.approvedOrigins(), QStringList{QStringLiteral("https://my.server.example:443")});
    QVERIFY(policy.mayAttach(QUrl(QStringLiteral("https://my.server.example/v1"))));
    QVERIFY(!policy.mayAttach(QUrl(QStringLiteral("https://server.example/v1"))));
    const QString reason = policy.refusalReason(QUrl(QStringLiteral("https://server.example/v1")));
    QVERIFY(reason.contains(QLatin1String("approve")));
    QVERIFY(reason.contains(QLatin1String("--endpoint")));
    QVERIFY(reason.contains(QLatin1String("--allow-host https://server.example:443")));
}

void TestTokenPolicy::unauthorizedWithoutToken()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    const QJsonObject unauthorized{
        {QStringLiteral("status"), 401},
        {QStringLiteral("body"),
         QJsonObject{{QStringLiteral("error"), QStringLiteral("Invalid credentials")}}}};
    QVERIFY(server.queue(QJsonArray{unauthorized, unauthorized}));
    idesk::EncodedRequest request;
    request.url = QUrl(server.urlString() + QStringLiteral("/models/some/model"));
    request.setHeader("Content-Type", "application/json");
    request.body = R"({"inputs":"hello"})";

    // No token at all: not "the token was refused", but that none is set and where to set one.
    InferenceClient client;
    QSignalSpy finished(&client, &InferenceClient::finished);
    client.sendEncoded(request, idesk::HttpOptions());
    QVERIFY(finished.wait(15000));
    QString message = finished.takeFirst().at(0).value<idesk::InferenceResult>().errorMessage;
    QVERIFY2(!message.contains(QLatin1String("was refused")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("none is set")) && message.contains(QLatin1String("HF_TOKEN")) &&
                 message.contains(QLatin1String("Settings > Hugging Face token")),
             qPrintable(message));
    QVERIFY(message.contains(QLatin1String("Invalid credentials")));

    // A token kept back from an address nobody approved: says so, and how to approve it.
    client.setToken(freshToken());
    client.sendEncoded(request, idesk::HttpOptions());
    QVERIFY(finished.wait(15000));
    message = finished.takeFirst().at(0).value<idesk::InferenceResult>().errorMessage;
    QVERIFY2(message.contains(QLatin1String("yours was not sent")) &&
                 message.contains(QLatin1String("--allow-host ") + server.urlString()),
             qPrintable(message));
}

void TestTokenPolicy::normalizedOrigin_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("origin"); // "" = refused
    QTest::newRow("url") << "http://127.0.0.1:8765"
                         << "http://127.0.0.1:8765";
    QTest::newRow("url, default port") << "HTTP://Host.Example/"
                                       << "http://host.example:80";
    QTest::newRow("https default") << "https://host.example"
                                   << "https://host.example:443";
    QTest::newRow("bare host") << "host.example"
                               << "https://host.example:443";
    QTest::newRow("host:port") << "127.0.0.1:8765"
                               << "127.0.0.1:8765";
    QTest::newRow("ipv6") << "[::1]:8080"
                          << "[::1]:8080";
    QTest::newRow("path") << "http://host.example/models"
                          << "";
    QTest::newRow("bare path") << "host.example/models"
                               << "";
    QTest::newRow("query") << "http://host.example?x=1"
                           << "";
    QTest::newRow("user") << "http://me@host.example"
                          << "";
    QTest::newRow("ftp") << "ftp://host.example"
                         << "";
    QTest::newRow("port too big") << "host.example:99999"
                                  << "";
    QTest::newRow("spaces") << "not a host"
                            << "";
    QTest::newRow("empty") << ""
                           << "";
}

void TestTokenPolicy::normalizedOrigin()
{
    QFETCH(QString, typed);
    QFETCH(QString, origin);
    QString error;
    QCOMPARE(TokenPolicy::normalizedOrigin(typed, &error), origin);
    QCOMPARE(error.isEmpty(), !origin.isEmpty());
    if (origin.isEmpty())
        QVERIFY2(error.contains(QLatin1String("scheme://host:port")), qPrintable(error));
}

void TestTokenPolicy::clientWithholdsTokenFromUnknownHost()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{okAnswer()}));

    const QString token = freshToken();
    InferenceClient client;
    client.setToken(token);
    client.setTokenPolicy(TokenPolicy());
    QSignalSpy withheld(&client, &InferenceClient::tokenWithheld);
    QSignalSpy finished(&client, &InferenceClient::finished);

    idesk::EncodedRequest request;
    request.url = QUrl(server.urlString() + QStringLiteral("/models/some/model"));
    request.setHeader("Content-Type", "application/json");
    request.body = R"({"inputs":"hello"})";
    client.sendEncoded(request, idesk::HttpOptions());
    QVERIFY(finished.wait(15000));

    QCOMPARE(withheld.count(), 1);
    const QString reason = withheld.at(0).at(0).toString();
    QVERIFY2(reason.contains(QLatin1String("127.0.0.1")), qPrintable(reason));
    QVERIFY(!reason.contains(token));
    QVERIFY(!client.tokenAttached());
    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), 1);
    QVERIFY2(!hasAuthorization(received.at(0)), "the unknown host received an Authorization header");
}

void TestTokenPolicy::clientSendsTokenToApprovedHost()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{okAnswer(), okAnswer()}));

    const QString token = freshToken();
    InferenceClient client;
    client.setToken(token);
    QSignalSpy withheld(&client, &InferenceClient::tokenWithheld);
    QSignalSpy finished(&client, &InferenceClient::finished);
    idesk::EncodedRequest request;
    request.url = QUrl(server.urlString() + QStringLiteral("/models/some/model"));
    request.setHeader("Content-Type", "application/json");
    request.body = R"({"inputs":"hello"})";

    // Before approval: no header. After the person approves the host: the header.
    client.sendEncoded(request, idesk::HttpOptions());
    QVERIFY(finished.wait(15000));
    TokenPolicy policy;
    QVERIFY(policy.approveOrigin(server.urlString()));
    client.setTokenPolicy(policy);
    client.sendEncoded(request, idesk::HttpOptions());
    QVERIFY(finished.wait(15000));

    QCOMPARE(withheld.count(), 1);
    QVERIFY(client.tokenAttached());
    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), 2);
    QVERIFY(!hasAuthorization(received.at(0)));
    QCOMPARE(authorizationOf(received.at(1)), QStringLiteral("Bearer ") + token);
}

void TestTokenPolicy::clientSendsTokenToExplicitEndpoint()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{okAnswer()}));
    const QString token = freshToken();
    InferenceClient client;
    client.setToken(token);
    TokenPolicy policy;
    policy.setExplicitEndpointChosen(true);
    client.setTokenPolicy(policy);
    QSignalSpy withheld(&client, &InferenceClient::tokenWithheld);
    QSignalSpy finished(&client, &InferenceClient::finished);
    idesk::EncodedRequest request;
    request.url = QUrl(server.urlString() + QStringLiteral("/v1/chat/completions"));
    request.setHeader("Content-Type", "application/json");
    request.body = R"({"messages":[]})";
    client.sendEncoded(request, idesk::HttpOptions());
    QVERIFY(finished.wait(15000));
    QCOMPARE(withheld.count(), 0);
    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), 1);
    QCOMPARE(authorizationOf(received.at(0)), QStringLiteral("Bearer ") + token);
}

void TestTokenPolicy::whoAmIParse_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("mayCall");
    QTest::addColumn<QString>("role");
    const QJsonArray none;
    const QJsonArray infer{QStringLiteral("inference.serverless.write")};
    const QJsonArray repo{QStringLiteral("repo.content.read")};
    QTest::newRow("fine-grained, scoped permission")
        << whoamiJson("fineGrained", none, infer) << true << "fineGrained";
    QTest::newRow("fine-grained, global permission")
        << whoamiJson("fineGrained", infer, repo) << true << "fineGrained";
    QTest::newRow("fine-grained without it")
        << whoamiJson("fineGrained", repo, repo) << false << "fineGrained";
    QTest::newRow("write token") << whoamiJson("write", none, none) << true << "write";
    QTest::newRow("read token") << whoamiJson("read", none, none) << true << "read";
}

void TestTokenPolicy::whoAmIParse()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, mayCall);
    QFETCH(QString, role);
    const WhoAmI::Info info = WhoAmI::parse(json);
    QVERIFY(info.ok);
    QCOMPARE(info.name, QStringLiteral("ada"));
    QCOMPARE(info.fullName, QStringLiteral("Ada Lovelace"));
    QCOMPARE(info.tokenName, QStringLiteral("laptop"));
    QCOMPARE(info.role, role);
    QCOMPARE(info.mayCallInferenceProviders, mayCall);
    QVERIFY(info.message.contains(QLatin1String("ada")));
    if (mayCall) {
        QVERIFY2(info.message.contains(QLatin1String("may call Inference Providers")),
                 qPrintable(info.message));
    } else {
        QVERIFY2(info.message.contains(QLatin1String("Make calls to Inference Providers")),
                 qPrintable(info.message));
        QVERIFY2(info.message.contains(WhoAmI::newTokenUrl()), qPrintable(info.message));
    }
}

void TestTokenPolicy::whoAmIParseGarbage()
{
    for (const QByteArray &body :
         {QByteArray("<html>nope</html>"), QByteArray("[]"), QByteArray("{\"x\":1}")}) {
        const WhoAmI::Info info = WhoAmI::parse(body);
        QVERIFY(!info.ok);
        QVERIFY(!info.mayCallInferenceProviders);
        QVERIFY(!info.message.isEmpty());
    }
    QCOMPARE(WhoAmI::newTokenUrl(),
             QStringLiteral("https://huggingface.co/settings/tokens/new?tokenType=fineGrained"));
}

void TestTokenPolicy::whoAmIOverLoopback()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{
        QJsonObject{{QStringLiteral("status"), 200},
                    {QStringLiteral("body"),
                     QJsonDocument::fromJson(whoamiJson("fineGrained", QJsonArray{},
                                                        QJsonArray{QStringLiteral("repo.content.read")}))
                         .object()}}}));
    const QString token = freshToken();
    WhoAmI whoAmI;
    whoAmI.setEndpoint(server.url());
    TokenPolicy policy;
    policy.setExplicitEndpointChosen(true);
    whoAmI.setTokenPolicy(policy);
    QSignalSpy spy(&whoAmI, &WhoAmI::finished);
    whoAmI.check(token);
    QVERIFY(spy.wait(15000));
    const auto info = spy.at(0).at(0).value<WhoAmI::Info>();
    QVERIFY2(info.ok, qPrintable(info.message));
    QCOMPARE(info.httpStatus, 200);
    QVERIFY(!info.mayCallInferenceProviders);
    QVERIFY(!info.message.contains(token));

    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.at(0).toObject().value(QLatin1String("method")).toString(), QStringLiteral("GET"));
    QCOMPARE(received.at(0).toObject().value(QLatin1String("path")).toString(),
             QStringLiteral("/api/whoami-v2"));
    QCOMPARE(authorizationOf(received.at(0)), QStringLiteral("Bearer ") + token);
}

void TestTokenPolicy::whoAmIRefusesUnknownHost()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    WhoAmI whoAmI;
    whoAmI.setEndpoint(server.url()); // 127.0.0.1, not approved
    QSignalSpy spy(&whoAmI, &WhoAmI::finished);
    whoAmI.check(freshToken());
    QVERIFY(spy.wait(5000));
    const auto info = spy.at(0).at(0).value<WhoAmI::Info>();
    QVERIFY(!info.ok);
    QCOMPARE(info.httpStatus, 0);
    QVERIFY2(info.message.contains(QLatin1String("not a Hugging Face host")), qPrintable(info.message));
    QCOMPARE(server.requests().size(), 0);

    // Default endpoint: HF_ENDPOINT or the Hub.
    qputenv("HF_ENDPOINT", server.urlString().toUtf8());
    QCOMPARE(WhoAmI::defaultEndpoint(), server.url());
    qunsetenv("HF_ENDPOINT");
    QCOMPARE(WhoAmI::defaultEndpoint(), QUrl(QStringLiteral("https://huggingface.co")));
}

void TestTokenPolicy::whoAmIUnauthorized()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{
        QJsonObject{{QStringLiteral("status"), 401},
                    {QStringLiteral("body"),
                     QJsonObject{{QStringLiteral("error"),
                                  QStringLiteral("Invalid credentials in Authorization header")}}}}}));
    const QString token = freshToken();
    WhoAmI whoAmI;
    whoAmI.setEndpoint(server.url());
    TokenPolicy policy;
    QVERIFY(policy.approveOrigin(server.urlString()));
    whoAmI.setTokenPolicy(policy);
    QSignalSpy spy(&whoAmI, &WhoAmI::finished);
    whoAmI.check(token);
    QVERIFY(spy.wait(15000));
    const auto info = spy.at(0).at(0).value<WhoAmI::Info>();
    QVERIFY(!info.ok);
    QCOMPARE(info.httpStatus, 401);
    QVERIFY2(info.message.contains(QLatin1String("401")), qPrintable(info.message));
    QVERIFY(info.message.contains(WhoAmI::newTokenUrl()));
    QVERIFY(!info.message.contains(token));
}

// HF_ENDPOINT, INFERENCE_DESK_ROUTER and --router name the Hub and the router: their origins may have the
// token (chosen by the person, as --endpoint), a neighbouring port may not; bad values fall back.
void TestTokenPolicy::serviceBasesNamedByThePersonGetTheToken()
{
    const TokenPolicy policy;
    QCOMPARE(idesk::ServiceBases::hub(), idesk::ServiceBases::defaultHub());
    QVERIFY(!policy.mayAttach(QUrl(QStringLiteral("http://127.0.0.1:8801/api/models/x"))));

    qputenv("HF_ENDPOINT", "http://127.0.0.1:8801/");
    qputenv("INFERENCE_DESK_ROUTER", "http://127.0.0.1:8802");
    QCOMPARE(idesk::ServiceBases::hub(), QStringLiteral("http://127.0.0.1:8801"));
    QCOMPARE(idesk::ServiceBases::router(), QStringLiteral("http://127.0.0.1:8802"));
    QVERIFY(policy.mayAttach(QUrl(QStringLiteral("http://127.0.0.1:8801/api/models/x"))));
    QVERIFY(policy.mayAttach(QUrl(QStringLiteral("http://127.0.0.1:8802/v1/chat/completions"))));
    QVERIFY(!policy.mayAttach(QUrl(QStringLiteral("http://127.0.0.1:8803/v1/chat/completions"))));

    idesk::ServiceBases::setRouterOverride(QStringLiteral("http://127.0.0.1:8803/"));
    QCOMPARE(idesk::ServiceBases::router(), QStringLiteral("http://127.0.0.1:8803"));
    QVERIFY(policy.mayAttach(QUrl(QStringLiteral("http://127.0.0.1:8803/v1/chat/completions"))));
    QVERIFY(!policy.mayAttach(QUrl(QStringLiteral("http://127.0.0.1:8802/v1/chat/completions"))));

    idesk::ServiceBases::setRouterOverride(QString());
    qputenv("INFERENCE_DESK_ROUTER", "ftp://nowhere");
    QCOMPARE(idesk::ServiceBases::router(), idesk::ServiceBases::defaultRouter());
    qunsetenv("HF_ENDPOINT");
    qunsetenv("INFERENCE_DESK_ROUTER");
    QVERIFY(idesk::ServiceBases::chosenOrigins().isEmpty());
}

QTEST_GUILESS_MAIN(TestTokenPolicy)
#include "TestTokenPolicy.moc"
