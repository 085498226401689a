#pragma once

// The one send path of the app and the CLI. The walk of one request from the editors to the wire:
// clang-format off
//
//   app/gui/MainWindow.cpp        MainWindow::send / sendAnyway   Send button, Ctrl+Enter, Request menu
//   app/gui/MainWindow.cpp        MainWindow::trySend             refuses while sendBlockers() names a problem
//   app/gui/MainWindow.cpp        MainWindow::sendBlockers        the editors' problems(), RequestEncoder::encode
//   app/gui/MainWindow.cpp        MainWindow::currentRequest      the editors -> one InferenceRequest value
//   (CLI: app/cli/CliCall.cpp     executeRequest                  flags, flow or preset -> the same value)
//   app/core/SendController.cpp   SendController::send            Idle -> LookingUp / FindingProvider, or on
//   app/core/ModelInfoLookup.cpp  ModelInfoLookup::lookup         Kestra's generic form only (app): the Hub's
//                                                                 pipeline_tag, async, cached, capped at 2 s
//   app/core/SendController.cpp   SendController::onLookedUp      ChatCompletion::asChatIfLlm
//   app/core/providers/ProviderJob.cpp                            a provider request: mapping, choice, route
//   app/core/SendController.cpp   SendController::encodeAndCheck  RequestEncoder::encode, ONCE; then
//                                                                 TokenPolicy::mayAttach(url): if not approved
//                                                                 -> AwaitingApproval, approvalNeeded(origin)
//   app/gui/HostApprovalController.cpp                            approvalNeeded -> HostApproval::ask, then
//                                                                 SendController::approve / decline
//                                                                 (decline: sent without the token, once)
//   app/core/SendController.cpp   SendController::transmit        token + policy onto the client -> Sending
//   app/core/InferenceClient.cpp  InferenceClient::start(request, encoded) -> sendEncoded -> send:
//                                 QNetworkAccessManager::sendCustomRequest (the wire; Authorization added here)
// and back:
//   app/core/InferenceClient.cpp  InferenceClient::onFinished     503 loading -> retryIfLoading -> Retrying
//   app/core/SendController.cpp   SendController::onClientFinished -> Idle, finished(result)
//   app/gui/MainWindow.cpp        MainWindow::onFinished          ResultView::setResult, status line
//
// clang-format on
// Widget-free: the window (or the CLI) only reflects stateChanged() and answers approvalNeeded().

#include "EncodedRequest.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "TokenPolicy.h"

#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <functional>

class QNetworkAccessManager;

namespace idesk {

class InferenceClient;
class ModelInfoLookup;
class ProviderJob;

// Owns the InferenceClient, the Hub task lookup (ModelInfoLookup) and the token policy (TokenPolicy) for
// one request at a time. States:
//   Idle             nothing under way
//   LookingUp        asking the Hub which task a Kestra-form model serves (nothing sent yet)
//   AwaitingApproval the token would go to an origin not approved yet: approvalNeeded() was emitted and
//                    nothing is sent until approve() or decline()
//   Sending          the request is on the wire
//   Retrying         the server said 503 "model is loading": sent again after retrySeconds()
// A request to an Inference Provider (request.usesProvider(), docs/providers.md) runs a ProviderJob here:
//   FindingProvider  asking the Hub for the model's provider mapping ("auto" or a provider name)
//   Sending          the first request to the router ({router}/{provider}/...)
//   Queued           the provider queued the job: polled through the router; jobState() says where it is
//                    ("in queue, position 3 (4 s)", "running (40 s)"), each change a jobStateChanged()
//   Downloading      the answer pointed at a file: downloaded without the token, whatever its host
// cancel() stops the job (finished() with Cancelled); setJobTimeLimitMs() stops it (Timeout).
// Every change of state is one stateChanged(); a request ends with finished() (not after a cancel before
// anything was sent: that goes back to Idle only).
class SendController : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Idle,
        LookingUp,
        AwaitingApproval,
        Sending,
        Retrying,
        FindingProvider,
        Queued,
        Downloading
    };
    Q_ENUM(State)

    using TokenProvider = std::function<QString()>;
    using PolicyProvider = std::function<TokenPolicy()>;

    // `nam` may be injected (tests); by default the client and the lookup make their own.
    explicit SendController(QNetworkAccessManager *nam = nullptr, QObject *parent = nullptr);
    ~SendController() override;

    InferenceClient *client() const { return m_client; }
    ModelInfoLookup *modelInfo() const { return m_lookup; }

    // The token for each send: the provider's answer when one is set, else setToken()'s.
    void setToken(const QString &token) { m_token = token; }
    void setTokenProvider(TokenProvider provider) { m_tokenProvider = std::move(provider); }
    // The token a send would use now (for the Hub calls made beside the sends, e.g. the Hub search).
    QString currentToken() const { return m_tokenProvider ? m_tokenProvider() : m_token; }
    // Where the token may go: the provider's policy (asked at each send) when one is set, else
    // setTokenPolicy()'s; default TokenPolicy::fromSettings() (Hugging Face and the approved origins).
    void setTokenPolicy(const TokenPolicy &policy);
    void setTokenPolicyProvider(PolicyProvider provider) { m_policyProvider = std::move(provider); }
    // Kestra's generic form for a model the Hub calls an LLM goes out as a one-message chat (the app: on,
    // the default; the CLI sends what it was given: off).
    void setLlmLookup(bool on) { m_llmLookup = on; }
    // Whether someone answers approvalNeeded() (the app's window). Off (the default): a token the policy
    // does not allow for the origin is withheld at once, with a note (tokenWithheld).
    void setAsksApproval(bool on) { m_asksApproval = on; }

    State state() const { return m_state; }
    static QString stateName(State state);
    // Under way: any state but Idle.
    bool isBusy() const { return m_state != State::Idle; }
    // The request on the wire: Sending or Retrying, or a provider job under way.
    bool isOnTheWire() const
    {
        return m_state != State::Idle && m_state != State::LookingUp && m_state != State::AwaitingApproval;
    }

    // The job that runs provider requests (its clients may be configured like client(); CA certificates).
    ProviderJob *providerJob() const { return m_job; }
    // The whole provider job's time limit, polls and download included (ProviderJob::defaultTimeLimitMs
    // by default; 0 or less: none); `hint` says how to allow it longer (the CLI: --job-timeout).
    void setJobTimeLimitMs(qint64 ms, const QString &hint = QString());
    // The provider job's last state text ("submitting to fal-ai", "in queue, position 3 (4 s)").
    QString jobState() const { return m_jobState; }

    // The request as it goes out (after the Hub lookup) and its encoding; notes on how it went out (an LLM
    // sent as chat, the Hub silent).
    InferenceRequest request() const { return m_request; }
    EncodedRequest encoded() const { return m_encoded; }
    QStringList notes() const { return m_notes; }
    // The origin waiting for approve()/decline() ("" otherwise).
    QString pendingOrigin() const { return m_state == State::AwaitingApproval ? m_origin : QString(); }
    // While Retrying: the wait announced by the server (capped by the client) and its sentence.
    int retrySeconds() const { return m_retrySeconds; }
    QString retryMessage() const { return m_retryMessage; }

    // Where a send of `request` would stop for approvalNeeded() now (token, policy and this session's
    // declines as send() would take them); an empty URL when it would not. For asking once per origin before
    // many sends of one template (a batch, a comparison), whose controllers then do not ask.
    QUrl approvalUrl(const InferenceRequest &request) const;

public Q_SLOTS:
    // Starts `request`; false (nothing done) while another is under way.
    bool send(const idesk::InferenceRequest &request);
    // The answer to approvalNeeded(): the token may go to that origin (for this send; the caller keeps the
    // approval), or not (the request goes without it). Ignored in any other state.
    void approve();
    void decline();
    // Stops whatever is under way: before sending, back to Idle (no finished()); on the wire, the client
    // cancels and finished() brings a Cancelled result.
    void cancel();

Q_SIGNALS:
    void stateChanged(idesk::SendController::State state);
    // The token would go to `origin` (url: where the request goes), which may not have it yet.
    void approvalNeeded(const QString &origin, const QUrl &url);
    void progress(qint64 bytesSent, qint64 bytesReceived);
    void streamEvent(const QByteArray &data, const QByteArray &eventName);
    void tokenWithheld(const QString &reason);
    // A provider job's state text changed (Queued: each poll with news), and its notes (the provider
    // picked and why), each also kept in notes().
    void jobStateChanged(const QString &text);
    void noted(const QString &note);
    void finished(const idesk::InferenceResult &result);

private:
    void setState(State state);
    void onLookedUp(const QString &model);
    void encodeAndCheck(const InferenceRequest &request);
    void transmit();
    void onClientFinished(const InferenceResult &result);
    void failBeforeSending(const QString &message);
    void startJob();
    void onJobState(const QString &text);
    TokenPolicy policyNow() const;
    bool wouldAsk(const QUrl &url, const QString &token, const TokenPolicy &policy) const;

    InferenceClient *m_client = nullptr;
    ModelInfoLookup *m_lookup = nullptr;
    ProviderJob *m_job = nullptr;
    QString m_jobState;
    QString m_token;
    TokenProvider m_tokenProvider;
    TokenPolicy m_fixedPolicy;
    bool m_hasFixedPolicy = false;
    PolicyProvider m_policyProvider;
    bool m_llmLookup = true;
    bool m_asksApproval = false;

    State m_state = State::Idle;
    InferenceRequest m_asEdited;
    InferenceRequest m_request;
    EncodedRequest m_encoded;
    QStringList m_notes;
    QString m_lookingUpModel;
    QString m_sendToken;
    TokenPolicy m_sendPolicy;
    QString m_origin;
    QSet<QString> m_declined; // origins declined in this session: not asked again
    int m_retrySeconds = -1;
    QString m_retryMessage;
    QTimer m_retryTimer; // back to Sending when the client's wait is over
};

} // namespace idesk
