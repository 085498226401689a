#include "SendController.h"

#include "ChatCompletion.h"
#include "InferenceClient.h"
#include "ModelInfoLookup.h"
#include "ProviderChoice.h"
#include "ProviderJob.h"
#include "RequestEncoder.h"

#include <QLocale>

namespace idesk {

SendController::SendController(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent), m_client(new InferenceClient(nam, this)), m_lookup(new ModelInfoLookup(nam, this))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Retrying)
            setState(State::Sending);
    });
    connect(m_lookup, &ModelInfoLookup::finished, this, [this](const QString &model, const QString &) {
        if (m_state == State::LookingUp && model == m_lookingUpModel)
            onLookedUp(model);
    });
    connect(m_client, &InferenceClient::progress, this, &SendController::progress);
    connect(m_client, &InferenceClient::streamEvent, this, &SendController::streamEvent);
    connect(m_client, &InferenceClient::tokenWithheld, this, &SendController::tokenWithheld);
    connect(m_client, &InferenceClient::waitingForModel, this, [this](int seconds, const QString &message) {
        m_retrySeconds = seconds;
        m_retryMessage = message;
        m_retryTimer.start(seconds * 1000);
        setState(State::Retrying);
    });
    connect(m_client, &InferenceClient::finished, this, &SendController::onClientFinished);

    // Provider requests: the job's own clients (the router and the Hub with the token; the download without).
    m_job = new ProviderJob(this);
    connect(m_job, &ProviderJob::note, this, [this](const QString &note) {
        m_notes << note;
        Q_EMIT noted(note);
    });
    connect(m_job, &ProviderJob::stateChanged, this, &SendController::onJobState);
    connect(&m_job->client(), &InferenceClient::progress, this, &SendController::progress);
    connect(&m_job->downloadClient(), &InferenceClient::progress, this, &SendController::progress);
    connect(&m_job->client(), &InferenceClient::tokenWithheld, this, &SendController::tokenWithheld);
    connect(&m_job->client(), &InferenceClient::waitingForModel, this,
            [this](int seconds, const QString &message) {
                m_retrySeconds = seconds;
                m_retryMessage = message;
                m_retryTimer.start(seconds * 1000);
                setState(State::Retrying);
            });
    // Queued: a job that fails at once (no provider for the task) ends after send() returns, as the client
    // does.
    connect(
        m_job, &ProviderJob::finished, this,
        [this](const InferenceResult &result) {
            if (m_state != State::Idle && m_request.usesProvider())
                onClientFinished(result);
        },
        Qt::QueuedConnection);
}

void SendController::setJobTimeLimitMs(qint64 ms, const QString &hint)
{
    m_job->setTimeLimitMs(ms);
    if (!hint.isEmpty())
        m_job->setTimeLimitHint(hint);
}

SendController::~SendController()
{
    // The client's reply must not report into a half-destroyed controller.
    m_client->disconnect(this);
}

void SendController::setTokenPolicy(const TokenPolicy &policy)
{
    m_fixedPolicy = policy;
    m_hasFixedPolicy = true;
}

QString SendController::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("Idle");
    case State::LookingUp:
        return QStringLiteral("LookingUp");
    case State::AwaitingApproval:
        return QStringLiteral("AwaitingApproval");
    case State::Sending:
        return QStringLiteral("Sending");
    case State::Retrying:
        return QStringLiteral("Retrying");
    case State::FindingProvider:
        return QStringLiteral("FindingProvider");
    case State::Queued:
        return QStringLiteral("Queued");
    case State::Downloading:
        return QStringLiteral("Downloading");
    }
    return {};
}

void SendController::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    if (state != State::Retrying) {
        m_retrySeconds = -1;
        m_retryMessage.clear();
    }
    Q_EMIT stateChanged(state);
}

bool SendController::send(const InferenceRequest &request)
{
    if (isBusy())
        return false;
    m_asEdited = request;
    m_request = request;
    m_encoded = EncodedRequest();
    m_notes.clear();
    m_origin.clear();
    m_jobState.clear();
    // Token and policy as they are now: a change in Settings applies from the next send.
    m_sendToken = currentToken();
    m_sendPolicy = m_policyProvider   ? m_policyProvider()
                   : m_hasFixedPolicy ? m_fixedPolicy
                                      : TokenPolicy::fromSettings();
    // "auto" with an endpoint the person chose, or without a task: hf-inference at the endpoint, said so.
    const QString toEndpoint = ProviderChoice::autoSendsToEndpoint(request);
    if (!toEndpoint.isEmpty()) {
        m_asEdited.provider.clear();
        m_request.provider.clear();
        m_notes << toEndpoint;
        Q_EMIT noted(toEndpoint);
    }
    if (m_request.usesProvider()) {
        startJob(); // the token goes to the router and the Hub only: their origins are the person's choice
        return true;
    }
    m_asEdited.endpoint = m_request.endpoint = request.effectiveEndpoint(); // the default follows the router
    // Kestra's generic form with a model the Hub calls text-generation or conversational goes out as a
    // one-message chat (the router serves such models only there). The lookup is asynchronous, cached
    // and capped (ModelInfoLookup::timeoutMs); when it fails the request goes out as it is.
    if (m_llmLookup && ChatCompletion::wouldAskHub(request, *m_lookup)) {
        const QString model = request.model.trimmed();
        if (!m_lookup->cached(model)) {
            m_lookingUpModel = model;
            setState(State::LookingUp);
            m_lookup->lookup(model);
            return true;
        }
        onLookedUp(model);
        return true;
    }
    encodeAndCheck(m_request);
    return true;
}

void SendController::startJob()
{
    m_job->client().setTokenPolicy(m_sendPolicy);
    m_job->client().setToken(m_sendToken);
    m_job->start(m_request);
    if (m_job->isRunning() && m_state == State::Idle) // nothing said yet: asking the Hub, or sent at once
        setState(m_job->stage() == QLatin1String("mapping") ? State::FindingProvider : State::Sending);
    else if (!m_job->isRunning())
        setState(State::Sending); // failed before sending: finished() follows (queued)
}

void SendController::onJobState(const QString &text)
{
    if (m_state == State::Idle && !m_job->isRunning())
        return;
    m_jobState = text;
    const QString stage = m_job->stage();
    setState(m_job->isDownloading()              ? State::Downloading
             : stage == QLatin1String("mapping") ? State::FindingProvider
             : stage == QLatin1String("submit")  ? State::Sending
                                                 : State::Queued);
    Q_EMIT jobStateChanged(text);
}

void SendController::onLookedUp(const QString &model)
{
    m_lookingUpModel.clear();
    QStringList notes;
    // Answered from the cache now (the lookup just finished, or had finished before).
    std::optional<InferenceRequest> chat = ChatCompletion::asChatIfLlm(m_asEdited, *m_lookup, &notes);
    if (!chat && m_lookup->cached(model).value_or(QString()).isEmpty())
        notes = QStringList{
            tr("The Hub did not say which task %1 serves (no answer within %2 s, or a model it does not "
               "know): "
               "sent in Kestra's generic form. If it is a chat model, choose the Chat completion task.")
                .arg(model, QLocale().toString(m_lookup->timeoutMs() / 1000.0, 'g', 3))};
    if (chat)
        m_notes = notes; // a chat through the router: "auto: hf-inference" said before no longer holds
    else
        m_notes += notes;
    encodeAndCheck(chat ? *chat : m_asEdited);
}

void SendController::encodeAndCheck(const InferenceRequest &request)
{
    m_request = request;
    QString error;
    m_encoded = RequestEncoder::encode(request, &error); // the one encoding of this send
    if (!m_encoded.url.isValid()) {
        failBeforeSending(error);
        return;
    }
    const QUrl &url = m_encoded.url;
    m_origin = TokenPolicy::originOf(url);
    // Asked only when a token would be withheld from an origin the person could still approve: not a
    // Hugging Face host (over http it is withheld, with a note), not one declined in this session.
    if (m_asksApproval && wouldAsk(url, m_sendToken, m_sendPolicy)) {
        setState(State::AwaitingApproval);
        Q_EMIT approvalNeeded(m_origin, url);
        return;
    }
    transmit();
}

TokenPolicy SendController::policyNow() const
{
    return m_policyProvider   ? m_policyProvider()
           : m_hasFixedPolicy ? m_fixedPolicy
                              : TokenPolicy::fromSettings();
}

bool SendController::wouldAsk(const QUrl &url, const QString &token, const TokenPolicy &policy) const
{
    const QString origin = TokenPolicy::originOf(url);
    return !token.isEmpty() && !origin.isEmpty() && !TokenPolicy::isHuggingFaceHost(url.host()) &&
           !policy.mayAttach(url) && !m_declined.contains(origin);
}

QUrl SendController::approvalUrl(const InferenceRequest &request) const
{
    if (request.usesProvider())
        return {}; // the router and the Hub: origins the person chose
    InferenceRequest sent = request;
    sent.endpoint = request.effectiveEndpoint();
    QString error;
    const QUrl url = RequestEncoder::encode(sent, &error).url;
    return url.isValid() && wouldAsk(url, currentToken(), policyNow()) ? url : QUrl();
}

void SendController::approve()
{
    if (m_state != State::AwaitingApproval)
        return;
    m_sendPolicy.approveOrigin(m_origin);
    transmit();
}

void SendController::decline()
{
    if (m_state != State::AwaitingApproval)
        return;
    m_declined.insert(m_origin);
    transmit(); // without the token: the client withholds it and says so (tokenWithheld)
}

void SendController::transmit()
{
    m_client->setTokenPolicy(m_sendPolicy);
    m_client->setToken(m_sendToken);
    setState(State::Sending);
    m_client->start(m_request, m_encoded);
}

void SendController::failBeforeSending(const QString &message)
{
    InferenceResult result;
    result.outcome = InferenceResult::Outcome::InvalidRequest;
    result.errorMessage = message;
    setState(State::Sending);
    // After returning, as the client does: callers connect and wait the same way for every outcome.
    QMetaObject::invokeMethod(
        this,
        [this, result] {
            if (m_state != State::Sending || m_client->isRunning())
                return; // cancelled meanwhile
            onClientFinished(result);
        },
        Qt::QueuedConnection);
}

void SendController::cancel()
{
    switch (m_state) {
    case State::Idle:
        return;
    case State::LookingUp:
    case State::AwaitingApproval:
        m_lookingUpModel.clear();
        setState(State::Idle); // nothing was sent
        return;
    case State::FindingProvider:
    case State::Queued:
    case State::Downloading:
    case State::Sending:
    case State::Retrying:
        if (m_request.usesProvider() && m_job->isRunning()) {
            m_job->cancel(); // finished() follows with a Cancelled result
        } else if (m_client->isRunning()) {
            m_client->cancel(); // finished() follows with a Cancelled result
        } else {
            InferenceResult result;
            result.outcome = InferenceResult::Outcome::Cancelled;
            result.errorMessage = tr("Cancelled.");
            onClientFinished(result);
        }
        return;
    }
}

void SendController::onClientFinished(const InferenceResult &result)
{
    m_retryTimer.stop();
    m_jobState.clear();
    setState(State::Idle);
    Q_EMIT finished(result);
}

} // namespace idesk
