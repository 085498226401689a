#include "ProviderJob.h"

#include "ProviderMappingLookup.h"
#include "RequestEncoder.h"
#include "ServiceBases.h"

#include <QCoreApplication>

namespace idesk {

namespace {
EncodedRequest get(const QUrl &url)
{
    EncodedRequest e;
    e.method = "GET";
    e.url = url;
    e.setHeader("User-Agent", RequestEncoder::userAgent());
    return e;
}
} // namespace

ProviderJob::ProviderJob(QObject *parent) : QObject(parent)
{
    m_limit.setSingleShot(true);
    m_pollTimer.setSingleShot(true);
    connect(&m_client, &InferenceClient::finished, this, &ProviderJob::onAnswer);
    connect(&m_download, &InferenceClient::finished, this, &ProviderJob::onDownloaded);
    connect(&m_limit, &QTimer::timeout, this, &ProviderJob::onTimeLimit);
    connect(&m_pollTimer, &QTimer::timeout, this, [this] { sendStep(m_nextPoll, m_stage); });
}

void ProviderJob::clearMappingCache()
{
    ProviderMappingLookup::clearCache();
}

bool ProviderJob::asksHubFirst(const InferenceRequest &request)
{
    // hf-inference and requests without a task need no mapping: the model id is the route. "auto" with an
    // endpoint the person chose is hf-inference at that endpoint.
    if (!request.usesProvider() || request.task.isEmpty() ||
        request.provider == QLatin1String("hf-inference") ||
        !ProviderChoice::autoSendsToEndpoint(request).isEmpty())
        return false;
    return !ProviderMappingLookup::find(request.model).has_value();
}

void ProviderJob::start(const InferenceRequest &request)
{
    cancel();
    m_running = true;
    m_call = ProviderCall{request, {}, ServiceBases::router(), ServiceBases::hub()};
    m_choice = ProviderChoice();
    m_helper = nullptr;
    m_raw.clear();
    m_rawType.clear();
    m_sent.clear();
    m_downloading = false;
    m_clock.start();
    if (m_timeLimitMs > 0)
        m_limit.start(int(qMin<qint64>(m_timeLimitMs, INT_MAX)));
    QString provider = request.provider.isEmpty() ? QStringLiteral("hf-inference") : request.provider;
    const QString toEndpoint = ProviderChoice::autoSendsToEndpoint(request);
    if (!toEndpoint.isEmpty() && !request.task.isEmpty()) { // no task: ProviderChoice says it
        // An endpoint the person chose is an hf-inference-style server, as the official clients take it.
        provider = QStringLiteral("hf-inference");
        Q_EMIT note(toEndpoint);
    }
    m_call.request.provider = provider;
    if (!asksHubFirst(m_call.request)) {
        chooseAndSend(ProviderMappingLookup::find(request.model).value_or(QList<ProviderMappingEntry>()));
        return;
    }
    m_stage = QStringLiteral("mapping");
    QUrl url(m_call.hub + QStringLiteral("/api/models/") + request.model);
    url.setQuery(QStringLiteral("expand[]=inferenceProviderMapping"));
    sendStep(get(url), m_stage);
}

void ProviderJob::cancel()
{
    if (!m_running)
        return;
    fail(InferenceResult::Outcome::Cancelled, tr("Cancelled."));
}

void ProviderJob::chooseAndSend(const QList<ProviderMappingEntry> &mapping)
{
    const InferenceRequest &r = m_call.request;
    m_choice = ProviderChoice::choose(mapping, r.provider, r.task, r.model);
    if (!m_choice.ok()) {
        fail(InferenceResult::Outcome::InvalidRequest, m_choice.error);
        return;
    }
    if (!m_choice.note.isEmpty())
        Q_EMIT note(m_choice.note);
    m_call.mapping = m_choice.entry;
    m_helper = ProviderHelper::find(m_choice.entry.provider);
    if (m_choice.entry.provider == QLatin1String("hf-inference")) {
        // The request form every task had, with the client's 503 "loading" retries.
        const InferenceRequest sent = ProviderHelper::hfInferenceRequest(m_call);
        m_stage = QStringLiteral("submit");
        m_sent << RequestEncoder::encode(sent);
        m_client.start(sent);
        return;
    }
    QString error;
    const EncodedRequest first = m_helper->encode(m_call, &error);
    if (!first.url.isValid()) {
        fail(InferenceResult::Outcome::InvalidRequest, error);
        return;
    }
    m_stage = QStringLiteral("submit");
    Q_EMIT stateChanged(tr("submitting to %1").arg(m_choice.entry.provider));
    sendStep(first, QStringLiteral("submit"));
}

void ProviderJob::sendStep(const EncodedRequest &request, const QString &stage)
{
    m_stage = stage;
    m_sent << request;
    HttpOptions options = m_call.request.options;
    m_client.sendEncoded(request, options);
}

void ProviderJob::onAnswer(const InferenceResult &result)
{
    if (!m_running)
        return;
    if (m_stage == QLatin1String("mapping")) {
        if (!result.ok()) {
            InferenceResult failed = result;
            failed.errorMessage =
                tr("could not read the providers of %1 from the Hub: %2 %3")
                    .arg(m_call.request.model, result.errorMessage, ProviderChoice::hubSilentAdvice());
            done(failed);
            return;
        }
        const QList<ProviderMappingEntry> mapping = ProviderMapping::fromModelInfo(result.body);
        ProviderMappingLookup::remember(m_call.request.model, mapping);
        chooseAndSend(mapping);
        return;
    }
    if (!result.ok()) {
        m_raw = result.body;
        m_rawType = result.contentType;
        done(result);
        return;
    }
    m_raw = result.body;
    m_rawType = result.contentType;
    if (m_choice.entry.provider == QLatin1String("hf-inference")) {
        done(result);
        return;
    }
    follow(m_helper->next(m_call, m_stage, result), result);
}

void ProviderJob::follow(const ProviderStep &step, const InferenceResult &answer)
{
    switch (step.kind) {
    case ProviderStep::Kind::Done: {
        InferenceResult result = answer;
        result.body = step.answer;
        result.contentType = step.contentType;
        done(result);
        return;
    }
    case ProviderStep::Kind::Fail:
        fail(InferenceResult::Outcome::HttpError, step.error, answer);
        return;
    case ProviderStep::Kind::Poll:
        m_stage = step.stage;
        if (!step.state.isEmpty())
            Q_EMIT stateChanged(tr("%1 (%2 s)").arg(step.state).arg(m_clock.elapsed() / 1000));
        m_nextPoll = get(step.url);
        m_pollTimer.start(m_pollOverrideMs >= 0 ? m_pollOverrideMs : step.delayMs);
        return;
    case ProviderStep::Kind::Download: {
        m_stage = step.stage;
        m_downloading = true;
        Q_EMIT stateChanged(tr("downloading %1").arg(step.url.host()));
        const EncodedRequest request = get(step.url);
        m_sent << request;
        m_download.setToken(QString()); // a file a provider points at never gets the token
        m_download.sendEncoded(request, m_call.request.options);
        return;
    }
    }
}

void ProviderJob::onDownloaded(const InferenceResult &result)
{
    if (!m_running)
        return;
    if (!result.ok()) {
        InferenceResult failed = result;
        failed.errorMessage = tr("the provider's file could not be downloaded from %1: %2")
                                  .arg(result.url.host(), result.errorMessage);
        done(failed);
        return;
    }
    done(result);
}

void ProviderJob::onTimeLimit()
{
    fail(InferenceResult::Outcome::Timeout,
         tr("the %1 job did not finish within %2 s, so it was stopped. %3")
             .arg(m_choice.entry.provider.isEmpty() ? m_call.request.provider : m_choice.entry.provider)
             .arg(m_timeLimitMs / 1000.0)
             .arg(m_timeLimitHint));
}

void ProviderJob::fail(InferenceResult::Outcome outcome, const QString &message, const InferenceResult &base)
{
    InferenceResult result = base;
    result.outcome = outcome;
    result.errorMessage = message;
    done(result);
}

void ProviderJob::done(InferenceResult result)
{
    if (!m_running)
        return;
    m_running = false; // before aborting: the aborted replies' finished() are ignored
    m_limit.stop();
    m_pollTimer.stop();
    m_client.cancel();
    m_download.cancel();
    result.elapsedMs = m_clock.elapsed();
    Q_EMIT finished(result);
}

} // namespace idesk
