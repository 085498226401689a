// SendController, headless, against the loopback replay server: the states of a plain send, host approval
// asked before the server sees anything, a declined origin (sent once, without the token), a 503 "loading"
// then success (Retrying with the countdown), cancel before and while sending, and a request that cannot be
// encoded.

#include "ReplayServer.h"
#include "TestSettings.h"

#include "InferenceClient.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "SendController.h"
#include "TokenPolicy.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using idesk::InferenceRequest;
using idesk::InferenceResult;
using idesk::SendController;
using idesk::test::ReplayServer;
using State = idesk::SendController::State;

namespace {

const QString kToken = QStringLiteral("hf_sendcontroller_test");

InferenceRequest textRequest(const ReplayServer &server)
{
    InferenceRequest request;
    request.endpoint = server.urlString() + QStringLiteral("/hf-inference/models");
    request.model = QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english");
    request.task = QStringLiteral("text-classification");
    request.inputs = QStringLiteral("I like you");
    return request;
}

QJsonObject okAnswer()
{
    return ReplayServer::answer(200, QStringLiteral("application/json"),
                                R"([[{"label":"POSITIVE","score":0.99}]])");
}

QList<State> states(const QSignalSpy &spy)
{
    QList<State> out;
    for (const QList<QVariant> &args : spy)
        out << args.at(0).value<State>();
    return out;
}

} // namespace

class TestSendController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void plainSendGoesIdleSendingIdle();
    void approvalIsAskedBeforeAnythingIsSent();
    void declineSendsOnceWithoutTheToken();
    void loadingRetriesThenSucceeds();
    void cancelWhileSending();
    void cancelWhileAwaitingApproval();
    void unencodableRequestFinishesWithoutSending();

private:
    QTemporaryDir m_home;
};

void TestSendController::initTestCase()
{
    QVERIFY(m_home.isValid());
    idesk::test::useTestSettings(QStringLiteral("TestSendController"), m_home.path());
    qRegisterMetaType<State>();
    qRegisterMetaType<InferenceResult>();
}

void TestSendController::plainSendGoesIdleSendingIdle()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{okAnswer()}));
    SendController send;
    send.setToken(kToken);
    idesk::TokenPolicy policy;
    QVERIFY(policy.approveOrigin(server.urlString()));
    send.setTokenPolicy(policy);
    QSignalSpy changed(&send, &SendController::stateChanged);
    QSignalSpy finished(&send, &SendController::finished);

    QCOMPARE(send.state(), State::Idle);
    QVERIFY(send.send(textRequest(server)));
    QVERIFY(send.isBusy());
    QVERIFY(!send.send(textRequest(server))); // one at a time
    QVERIFY(finished.wait(15000));
    QCOMPARE(states(changed), (QList<State>{State::Sending, State::Idle}));
    const auto result = finished.at(0).at(0).value<InferenceResult>();
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(server.requests().size(), 1);
    // The encoding kept is the one sent, and the approved origin had the token.
    QCOMPARE(send.encoded().url, send.client()->lastSent().url);
    QCOMPARE(ReplayServer::header(server.requests().at(0), QStringLiteral("authorization")),
             QStringLiteral("Bearer ") + kToken);
}

void TestSendController::approvalIsAskedBeforeAnythingIsSent()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{okAnswer(), okAnswer()}));
    SendController send;
    send.setToken(kToken);
    send.setTokenPolicy(idesk::TokenPolicy()); // loopback is not approved
    send.setAsksApproval(true);
    QSignalSpy changed(&send, &SendController::stateChanged);
    QSignalSpy asked(&send, &SendController::approvalNeeded);
    QSignalSpy finished(&send, &SendController::finished);

    QVERIFY(send.send(textRequest(server)));
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked.at(0).at(0).toString(), idesk::TokenPolicy::originOf(server.url()));
    QCOMPARE(send.state(), State::AwaitingApproval);
    QCOMPARE(send.pendingOrigin(), idesk::TokenPolicy::originOf(server.url()));
    QVERIFY(!finished.wait(300)); // nothing goes while the question is open
    QCOMPARE(server.requests().size(), 0);

    send.approve();
    QVERIFY(finished.wait(15000));
    QCOMPARE(states(changed), (QList<State>{State::AwaitingApproval, State::Sending, State::Idle}));
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(ReplayServer::header(server.requests().at(0), QStringLiteral("authorization")),
             QStringLiteral("Bearer ") + kToken);
    // approve() is for this send only: the caller keeps the approval; an answer out of turn does nothing.
    send.approve();
    QCOMPARE(send.state(), State::Idle);
}

void TestSendController::declineSendsOnceWithoutTheToken()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{okAnswer(), okAnswer()}));
    SendController send;
    send.setToken(kToken);
    send.setTokenPolicy(idesk::TokenPolicy());
    send.setAsksApproval(true);
    QSignalSpy asked(&send, &SendController::approvalNeeded);
    QSignalSpy withheld(&send, &SendController::tokenWithheld);
    QSignalSpy finished(&send, &SendController::finished);

    QVERIFY(send.send(textRequest(server)));
    QCOMPARE(asked.count(), 1);
    send.decline();
    QVERIFY(finished.wait(15000));
    QVERIFY(!finished.wait(300)); // never followed by a silent resend
    QCOMPARE(finished.count(), 1);
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(ReplayServer::header(server.requests().at(0), QStringLiteral("authorization")), QString());
    QCOMPARE(withheld.count(), 1);
    QVERIFY(withheld.at(0).at(0).toString().contains(QStringLiteral("127.0.0.1")));
    QVERIFY(!withheld.at(0).at(0).toString().contains(kToken));

    // Declined for the session: the next send is not asked about again, and goes without the token.
    QVERIFY(send.send(textRequest(server)));
    QCOMPARE(asked.count(), 1);
    QVERIFY(finished.wait(15000));
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(ReplayServer::header(server.requests().at(1), QStringLiteral("authorization")), QString());
}

void TestSendController::loadingRetriesThenSucceeds()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    const QJsonObject loading =
        ReplayServer::answer(503, QStringLiteral("application/json"),
                             R"({"error":"Model distilbert is currently loading","estimated_time":1.0})");
    QVERIFY(server.queue(QJsonArray{loading, okAnswer()}));
    SendController send;
    QSignalSpy changed(&send, &SendController::stateChanged);
    QSignalSpy finished(&send, &SendController::finished);
    int retrySeconds = -1;
    QString retryMessage;
    connect(&send, &SendController::stateChanged, this, [&](State state) {
        if (state == State::Retrying) {
            retrySeconds = send.retrySeconds();
            retryMessage = send.retryMessage();
        }
    });

    QVERIFY(send.send(textRequest(server)));
    QVERIFY(finished.wait(15000));
    QCOMPARE(states(changed), (QList<State>{State::Sending, State::Retrying, State::Sending, State::Idle}));
    QCOMPARE(retrySeconds, 1);
    QVERIFY2(retryMessage.contains(QStringLiteral("loading")), qPrintable(retryMessage));
    QCOMPARE(send.retrySeconds(), -1); // only while Retrying
    const auto result = finished.at(0).at(0).value<InferenceResult>();
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(result.attempts, 2);
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(ReplayServer::header(server.requests().at(1), QStringLiteral("x-wait-for-model")),
             QStringLiteral("true"));
}

void TestSendController::cancelWhileSending()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QJsonObject slow = okAnswer();
    slow.insert(QStringLiteral("delay_first_byte_ms"), 10000);
    QVERIFY(server.queue(QJsonArray{slow}));
    SendController send;
    QSignalSpy changed(&send, &SendController::stateChanged);
    QSignalSpy finished(&send, &SendController::finished);

    QVERIFY(send.send(textRequest(server)));
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), 1, 5000);
    send.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(finished.at(0).at(0).value<InferenceResult>().outcome, InferenceResult::Outcome::Cancelled);
    QCOMPARE(states(changed), (QList<State>{State::Sending, State::Idle}));
    QVERIFY(!send.isBusy());
}

void TestSendController::cancelWhileAwaitingApproval()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{okAnswer()}));
    SendController send;
    send.setToken(kToken);
    send.setTokenPolicy(idesk::TokenPolicy());
    send.setAsksApproval(true);
    QSignalSpy changed(&send, &SendController::stateChanged);
    QSignalSpy finished(&send, &SendController::finished);

    QVERIFY(send.send(textRequest(server)));
    QCOMPARE(send.state(), State::AwaitingApproval);
    send.cancel();
    QCOMPARE(send.state(), State::Idle);
    send.approve(); // a late answer sends nothing
    QVERIFY(!finished.wait(300));
    QCOMPARE(server.requests().size(), 0);
    QCOMPARE(states(changed), (QList<State>{State::AwaitingApproval, State::Idle}));
}

void TestSendController::unencodableRequestFinishesWithoutSending()
{
    ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    SendController send;
    QSignalSpy finished(&send, &SendController::finished);
    InferenceRequest request = textRequest(server);
    request.model.clear();
    QVERIFY(send.send(request));
    QVERIFY(finished.wait(5000)); // after send() returned
    const auto result = finished.at(0).at(0).value<InferenceResult>();
    QCOMPARE(result.outcome, InferenceResult::Outcome::InvalidRequest);
    QVERIFY(!result.errorMessage.isEmpty());
    QCOMPARE(send.state(), State::Idle);
    QCOMPARE(server.requests().size(), 0);
}

QTEST_GUILESS_MAIN(TestSendController)
#include "TestSendController.moc"
