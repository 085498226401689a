// Edit > Copy as: the real menu puts curl / Python / Kestra snippets of the current request on the
// clipboard, never the token; the Authorization header only where the app would send the token; and the
// copied curl command, run as is, reaches the loopback replay server with the request the app sends.
#include "CopyAsCodeMenu.h"
#include "HostApproval.h"
#include "ReplayServer.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

using idesk::CodeSnippets;
using idesk::CopyAsCodeMenu;
using idesk::InferenceRequest;
using idesk::TokenPolicy;

namespace {

const char kFakeToken[] = "hf_" "ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210";

} // namespace

class TestCopyAsCodeMenu : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void threeKindsWithoutToken();
    void tokenHeaderFollowsPolicy();
    void copiedCurlRunsAgainstReplayServer();
    void badRequestSaysWhy();

private:
    InferenceRequest m_request;
};

void TestCopyAsCodeMenu::initTestCase()
{
    qputenv("HF_TOKEN", kFakeToken);
    m_request.model = QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english");
    m_request.task = QStringLiteral("text-classification");
    m_request.inputs = QStringLiteral("I like it");
}

void TestCopyAsCodeMenu::cleanupTestCase()
{
    qunsetenv("HF_TOKEN");
}

void TestCopyAsCodeMenu::threeKindsWithoutToken()
{
    CopyAsCodeMenu menu;
    QCOMPARE(menu.actions().size(), 3);
    menu.setRequestProvider([this]() { return m_request; });
    QSignalSpy copied(&menu, &CopyAsCodeMenu::copied);
    QClipboard *clipboard = QGuiApplication::clipboard();

    menu.curlAction()->trigger();
    QCOMPARE(copied.count(), 1);
    QString text = clipboard->text();
    QVERIFY2(text.startsWith(QLatin1String("curl")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("$HF_TOKEN")));
    QVERIFY(text.contains(QStringLiteral("https://router.huggingface.co/hf-inference/models/") +
                          m_request.model));
    QVERIFY(text.contains(QLatin1String("I like it")));
    QVERIFY(!text.contains(QLatin1String(kFakeToken)));

    menu.pythonAction()->trigger();
    text = clipboard->text();
    QVERIFY2(text.contains(QLatin1String("os.environ[\"HF_TOKEN\"]")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("import requests")));
    QVERIFY(!text.contains(QLatin1String(kFakeToken)));

    menu.kestraAction()->trigger();
    text = clipboard->text();
    QVERIFY2(text.contains(QLatin1String("{{ secret('HUGGINGFACE_API_KEY') }}")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("io.kestra.plugin.huggingface.Inference")));
    QVERIFY(!text.contains(QLatin1String(kFakeToken)));
    QCOMPARE(copied.count(), 3);
    QCOMPARE(copied.at(2).at(0).value<CodeSnippets::Kind>(), CodeSnippets::Kind::Kestra);
}

void TestCopyAsCodeMenu::tokenHeaderFollowsPolicy()
{
    InferenceRequest local = m_request;
    local.endpoint = QStringLiteral("http://inference.example.com/models");
    CopyAsCodeMenu menu;
    menu.setRequestProvider([&local]() { return local; });
    TokenPolicy policy;
    menu.setTokenPolicyProvider([&policy]() { return policy; });
    QString curl = menu.snippet(CodeSnippets::Kind::Curl);
    QVERIFY(!curl.isEmpty());
    QVERIFY2(!curl.contains(QLatin1String("HF_TOKEN")), qPrintable(curl)); // the app would not send it
    // Approval is per origin: https on 443 is not this http address.
    QVERIFY(policy.approveOrigin(QStringLiteral("inference.example.com")));
    QVERIFY(!menu.snippet(CodeSnippets::Kind::Curl).contains(QLatin1String("$HF_TOKEN")));
    QVERIFY(policy.approveOrigin(QStringLiteral("http://inference.example.com")));
    curl = menu.snippet(CodeSnippets::Kind::Curl);
    QVERIFY2(curl.contains(QLatin1String("$HF_TOKEN")), qPrintable(curl));
}

void TestCopyAsCodeMenu::copiedCurlRunsAgainstReplayServer()
{
    idesk::test::ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    const QJsonArray answer{
        QJsonObject{{QStringLiteral("label"), QStringLiteral("POSITIVE")}, {QStringLiteral("score"), 0.99}}};
    InferenceRequest local = m_request;
    local.endpoint = server.urlString() + QStringLiteral("/models");
    CopyAsCodeMenu menu;
    menu.setRequestProvider([&local]() { return local; });
    TokenPolicy policy;
    QVERIFY(policy.approveOrigin(server.urlString()));
    menu.setTokenPolicyProvider([&policy]() { return policy; });
    QVERIFY(menu.copy(CodeSnippets::Kind::Curl));
    const QString command = QGuiApplication::clipboard()->text();
    QVERIFY(!command.contains(QLatin1String(kFakeToken)));

    QVERIFY(server.queue(
        QJsonArray{QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), answer}}}));
    QProcess sh;
    sh.setProcessChannelMode(QProcess::MergedChannels);
    sh.start(QStringLiteral("sh"), {QStringLiteral("-c"), command});
    QVERIFY(sh.waitForFinished(30000));
    const QByteArray out = sh.readAll();
    QVERIFY2(sh.exitCode() == 0, out.constData());
    QVERIFY2(out.contains("POSITIVE"), out.constData());

    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), 1);
    const QJsonObject request = received.at(0).toObject();
    QCOMPARE(request.value(QLatin1String("path")).toString(), QStringLiteral("/models/") + m_request.model);
    QCOMPARE(
        request.value(QLatin1String("headers")).toObject().value(QLatin1String("authorization")).toString(),
        QStringLiteral("Bearer ") + QLatin1String(kFakeToken));
    const QByteArray body = idesk::test::ReplayServer::body(request);
    QVERIFY2(body.contains("I like it"), body.constData());
}

void TestCopyAsCodeMenu::badRequestSaysWhy()
{
    InferenceRequest bad = m_request;
    bad.model.clear();
    CopyAsCodeMenu menu;
    menu.setRequestProvider([&bad]() { return bad; });
    QGuiApplication::clipboard()->setText(QStringLiteral("before"));
    QSignalSpy failed(&menu, &CopyAsCodeMenu::failed);
    menu.pythonAction()->trigger();
    QCOMPARE(failed.count(), 1);
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(QLatin1String("cannot be copied")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("model"), Qt::CaseInsensitive), qPrintable(message));
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("before"));

    CopyAsCodeMenu empty;
    QSignalSpy emptyFailed(&empty, &CopyAsCodeMenu::failed);
    QVERIFY(!empty.copy(CodeSnippets::Kind::Curl));
    QCOMPARE(emptyFailed.count(), 1);
}

QTEST_MAIN(TestCopyAsCodeMenu)
#include "TestCopyAsCodeMenu.moc"
