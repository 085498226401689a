// SendController with provider requests (issue 14 through the one send path), headless, against a loopback
// router and Hub (ReplayServer): fal-ai's queued job walks FindingProvider -> Sending -> Queued ->
// Downloading -> Idle with the job's state texts, the download carries no token; a queued job is
// cancelled and stopped at its time limit; hf-inference as a provider and a request without a provider
// still go to the router's hf-inference route; "auto" with an endpoint the person chose goes there.

#include "ProviderAnswers.h"
#include "ReplayServer.h"
#include "TestSettings.h"

#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "ProviderJob.h"
#include "SendController.h"
#include "ServiceBases.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using idesk::InferenceRequest;
using idesk::InferenceResult;
using idesk::ProviderJob;
using idesk::SendController;
using idesk::test::ReplayServer;
using State = idesk::SendController::State;

namespace {

const QString kToken = QStringLiteral("hf_sendproviders_test");
const QString kFlux = QStringLiteral("black-forest-labs/FLUX.1-dev");

QJsonObject jsonEntry(const QJsonValue &body)
{
    return idesk::test::jsonAnswer(body);
}

QJsonObject fluxMapping()
{
    return idesk::test::mappingAnswer(
        kFlux, QStringLiteral("text-to-image"),
        {{QStringLiteral("fal-ai"), QStringLiteral("fal-ai/flux/dev"), QStringLiteral("live")}});
}

QJsonObject queued(const QString &id)
{
    return idesk::test::falQueued(id);
}

InferenceRequest fluxRequest(const QString &provider)
{
    InferenceRequest r;
    r.provider = provider;
    r.model = kFlux;
    r.task = QStringLiteral("text-to-image");
    r.inputs = QStringLiteral("a cat");
    return r;
}

QList<State> states(const QSignalSpy &spy)
{
    QList<State> out;
    for (const QList<QVariant> &args : spy)
        out << args.at(0).value<State>();
    return out;
}

} // namespace

class TestSendControllerProviders : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void queuedJobWalksTheStatesAndDownloadsWithoutTheToken();
    void queuedJobIsCancelled();
    void queuedJobStopsAtItsTimeLimit();
    void hfInferenceAsProviderGoesToTheRouter();
    void noProviderFollowsTheRouter();
    void autoWithAChosenEndpointGoesThere();

private:
    QTemporaryDir m_home;
    std::unique_ptr<ReplayServer> m_server;
};

void TestSendControllerProviders::initTestCase()
{
    QVERIFY(m_home.isValid());
    idesk::test::useTestSettings(QStringLiteral("TestSendControllerProviders"), m_home.path());
    qRegisterMetaType<State>();
    qRegisterMetaType<InferenceResult>();
    m_server = std::make_unique<ReplayServer>();
    QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
    qputenv("HF_ENDPOINT", m_server->urlString().toUtf8());
    idesk::ServiceBases::setRouterOverride(m_server->urlString());
}

void TestSendControllerProviders::init()
{
    QVERIFY(m_server->reset());
    ProviderJob::clearMappingCache();
}

void TestSendControllerProviders::queuedJobWalksTheStatesAndDownloadsWithoutTheToken()
{
    const QByteArray png = QByteArray::fromHex("89504e470d0a1a0a00000000");
    QVERIFY(m_server->queue(QJsonArray{
        fluxMapping(), queued(QStringLiteral("r1")),
        jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("IN_QUEUE")},
                              {QStringLiteral("queue_position"), 2}}),
        jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("COMPLETED")}}),
        jsonEntry(QJsonObject{
            {QStringLiteral("images"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("url"), m_server->urlString() + QStringLiteral("/files/cat.png")}}}}}),
        idesk::test::fileAnswer(QStringLiteral("image/png"), png)}));
    SendController send;
    send.setToken(kToken);
    send.providerJob()->setPollIntervalMs(0);
    QSignalSpy changed(&send, &SendController::stateChanged);
    QSignalSpy jobStates(&send, &SendController::jobStateChanged);
    QSignalSpy notes(&send, &SendController::noted);
    QSignalSpy finished(&send, &SendController::finished);

    QVERIFY(send.send(fluxRequest(QStringLiteral("auto"))));
    QCOMPARE(send.state(), State::FindingProvider);           // nothing but the Hub asked yet
    QVERIFY(!send.send(fluxRequest(QStringLiteral("auto")))); // one at a time
    QVERIFY(finished.wait(20000));
    const auto result = finished.at(0).at(0).value<InferenceResult>();
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(result.body, png);
    QCOMPARE(states(changed), (QList<State>{State::FindingProvider, State::Sending, State::Queued,
                                            State::Downloading, State::Idle}));
    QStringList texts;
    for (const QList<QVariant> &args : jobStates)
        texts << args.at(0).toString();
    QVERIFY2(texts.join('|').contains(QLatin1String("in queue, position 2")), qPrintable(texts.join('|')));
    QVERIFY2(texts.last().startsWith(QLatin1String("downloading")), qPrintable(texts.join('|')));
    QVERIFY(!notes.isEmpty()); // which provider auto picked, and why
    QVERIFY(send.notes().join(' ').contains(QLatin1String("fal-ai")));

    const QJsonArray got = m_server->requests();
    QCOMPARE(got.size(), 6);
    for (int i = 0; i < 5; ++i) // the Hub and the router: the token
        QCOMPARE(ReplayServer::header(got.at(i), QStringLiteral("authorization")),
                 QStringLiteral("Bearer ") + kToken);
    QCOMPARE(got.at(5).toObject().value(QStringLiteral("path")).toString(), QStringLiteral("/files/cat.png"));
    QVERIFY(ReplayServer::header(got.at(5), QStringLiteral("authorization")).isEmpty()); // the download: none
}

void TestSendControllerProviders::queuedJobIsCancelled()
{
    QJsonArray entries{fluxMapping(), queued(QStringLiteral("r2"))};
    for (int i = 0; i < 50; ++i)
        entries << jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("IN_QUEUE")},
                                         {QStringLiteral("queue_position"), 9}});
    QVERIFY(m_server->queue(entries));
    SendController send;
    send.setToken(kToken);
    send.providerJob()->setPollIntervalMs(20);
    QSignalSpy finished(&send, &SendController::finished);
    connect(&send, &SendController::jobStateChanged, &send, [&](const QString &text) {
        if (text.startsWith(QLatin1String("in queue, position 9"))) {
            QCOMPARE(send.state(), State::Queued);
            QVERIFY(send.isOnTheWire());
            send.cancel();
        }
    });
    QVERIFY(send.send(fluxRequest(QStringLiteral("fal-ai"))));
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.at(0).at(0).value<InferenceResult>().outcome, InferenceResult::Outcome::Cancelled);
    QCOMPARE(send.state(), State::Idle);
    QVERIFY(!send.providerJob()->isRunning());
    QVERIFY(m_server->requests().size() < 10); // it stopped polling
}

void TestSendControllerProviders::queuedJobStopsAtItsTimeLimit()
{
    QJsonArray entries{fluxMapping(), queued(QStringLiteral("r3"))};
    for (int i = 0; i < 400; ++i)
        entries << jsonEntry(QJsonObject{{QStringLiteral("status"), QStringLiteral("IN_PROGRESS")}});
    QVERIFY(m_server->queue(entries));
    SendController send;
    send.setToken(kToken);
    send.providerJob()->setPollIntervalMs(10);
    send.setJobTimeLimitMs(300, QStringLiteral("Allow it longer in the options."));
    QSignalSpy finished(&send, &SendController::finished);
    QVERIFY(send.send(fluxRequest(QStringLiteral("fal-ai"))));
    QVERIFY(finished.wait(20000));
    const auto result = finished.at(0).at(0).value<InferenceResult>();
    QCOMPARE(result.outcome, InferenceResult::Outcome::Timeout);
    QVERIFY2(result.errorMessage.contains(QLatin1String("Allow it longer in the options.")),
             qPrintable(result.errorMessage));
    QCOMPARE(send.state(), State::Idle);
}

void TestSendControllerProviders::hfInferenceAsProviderGoesToTheRouter()
{
    QVERIFY(m_server->queue(QJsonArray{jsonEntry(QJsonArray{QJsonObject{
        {QStringLiteral("label"), QStringLiteral("POSITIVE")}, {QStringLiteral("score"), 0.99}}})}));
    SendController send;
    send.setToken(kToken);
    QSignalSpy changed(&send, &SendController::stateChanged);
    QSignalSpy finished(&send, &SendController::finished);
    InferenceRequest r;
    r.provider = QStringLiteral("hf-inference");
    r.model = QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english");
    r.task = QStringLiteral("text-classification");
    r.inputs = QStringLiteral("I like you");
    QVERIFY(send.send(r));
    QVERIFY(finished.wait(20000));
    const auto result = finished.at(0).at(0).value<InferenceResult>();
    QVERIFY2(result.ok(), qPrintable(result.errorMessage));
    QCOMPARE(states(changed), (QList<State>{State::Sending, State::Idle})); // no mapping asked
    QCOMPARE(m_server->requests().size(), 1);
    QCOMPARE(m_server->requests().at(0).toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/hf-inference/models/") + r.model);
}

void TestSendControllerProviders::noProviderFollowsTheRouter()
{
    // The built-in endpoint follows the router base (INFERENCE_DESK_ROUTER, --router) in the app too.
    QVERIFY(m_server->queue(QJsonArray{jsonEntry(QJsonArray{})}));
    SendController send;
    QSignalSpy finished(&send, &SendController::finished);
    InferenceRequest r;
    r.model = QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english");
    r.task = QStringLiteral("text-classification");
    r.inputs = QStringLiteral("I like you");
    QCOMPARE(r.endpoint, InferenceRequest::defaultEndpoint());
    QVERIFY(send.send(r));
    QVERIFY(finished.wait(20000));
    QCOMPARE(m_server->requests().size(), 1);
    QCOMPARE(m_server->requests().at(0).toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/hf-inference/models/") + r.model);
}

void TestSendControllerProviders::autoWithAChosenEndpointGoesThere()
{
    // "auto" with an endpoint the person chose: hf-inference at that endpoint (no Hub request), said so.
    QVERIFY(m_server->queue(QJsonArray{jsonEntry(QJsonArray{})}));
    SendController send;
    QSignalSpy finished(&send, &SendController::finished);
    QSignalSpy notes(&send, &SendController::noted);
    InferenceRequest r = fluxRequest(QStringLiteral("auto"));
    r.endpoint = m_server->urlString() + QStringLiteral("/mine");
    QVERIFY(send.send(r));
    QVERIFY(finished.wait(20000));
    QCOMPARE(m_server->requests().size(), 1);
    QCOMPARE(m_server->requests().at(0).toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/mine/") + kFlux);
    QCOMPARE(send.request().provider, QString()); // as it went out
    QCOMPARE(notes.size(), 1);
    QVERIFY2(notes.at(0).at(0).toString().contains(QLatin1String("hf-inference at the endpoint you chose")),
             qPrintable(notes.at(0).at(0).toString()));
}

QTEST_GUILESS_MAIN(TestSendControllerProviders)
#include "TestSendControllerProviders.moc"
