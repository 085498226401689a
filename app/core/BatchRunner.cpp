#include "BatchRunner.h"

#include "InferenceClient.h"
#include "ProviderJob.h"
#include "RetryAfter.h"
#include "SendController.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>

#include <algorithm>

namespace idesk {

namespace {
// Worth sending again: the server or the network failed, not the request.
bool isTransient(const InferenceResult &result)
{
    switch (result.outcome) {
    case InferenceResult::Outcome::NetworkError:
    case InferenceResult::Outcome::Timeout:
        return true;
    case InferenceResult::Outcome::HttpError:
        return result.status == 500 || result.status == 502 || result.status == 503 || result.status == 504;
    default:
        return false;
    }
}
} // namespace

BatchRunner::BatchRunner(QObject *parent) : QObject(parent)
{
    m_pauseTimer.setSingleShot(true);
    m_pauseTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_pauseTimer, &QTimer::timeout, this, &BatchRunner::pump);
}

BatchRunner::~BatchRunner()
{
    for (Worker &w : m_workers)
        if (w.send)
            w.send->disconnect(this);
}

void BatchRunner::dropWorkers()
{
    // Later: a worker may be the sender of the signal being handled. Disconnected first, so an answer
    // still on its way never reaches the worker of the same number in the next run.
    for (Worker &w : m_workers) {
        if (!w.send)
            continue;
        w.send->disconnect(this);
        w.send->cancel();
        w.send->deleteLater();
    }
    m_workers.clear();
}

void BatchRunner::note(const QString &text)
{
    if (text.isEmpty() || m_notes.contains(text))
        return;
    m_notes.insert(text);
    Q_EMIT noted(text);
}

bool BatchRunner::start(bool resume, QString *error, bool retryFailed)
{
    if (m_running) {
        *error = tr("The batch is already running.");
        return false;
    }
    if (m_inputs.isEmpty()) {
        *error = tr("The batch has no input.");
        return false;
    }
    m_results = QVector<std::optional<BatchItemResult>>(m_inputs.size());
    m_attempts = QVector<int>(m_inputs.size(), 0);
    if (!m_statePath.isEmpty()) {
        // The header describes the batch (template, inputs): the app resumes from the journal alone.
        if (!m_state.open(m_statePath, BatchState::fingerprint(m_template), resume, error,
                          BatchState::describe(m_template, m_inputs)))
            return false;
    } else if (resume) {
        *error = tr("A batch without a state file cannot be resumed; give it an output file.");
        return false;
    }
    m_queue.clear();
    for (int i = 0; i < m_inputs.size(); ++i) {
        const auto it = m_state.resumed().constFind(m_inputs.at(i).key);
        if (resume && it != m_state.resumed().constEnd() && !(retryFailed && !it->ok))
            m_results[i] = *it;
        else
            m_queue << i;
    }
    // Workers: one SendController each (the one send path). A QNetworkAccessManager opens at most six
    // connections to a host (Qt 6.4 has no QHttp1Configuration to raise it) and runs its HTTP in a thread of
    // its own, which serves its connections one after another: a manager per worker up to 16 (on a loaded
    // machine 1,000 requests at concurrency 8 took ~10% less time than with two managers of four), then 16
    // shared, six workers at most on each.
    dropWorkers();
    for (QNetworkAccessManager *manager : std::as_const(m_managers))
        manager->deleteLater(); // after the workers that use it
    m_managers.clear();
    m_notes.clear();
    m_workers = QVector<Worker>(m_concurrency);
    const int managers = qMin(m_concurrency, qMax(16, (m_concurrency + 5) / 6));
    for (int n = 0; n < managers; ++n) {
        QNetworkProxyFactory::setUseSystemConfiguration(true);
        m_managers << new QNetworkAccessManager(this);
    }
    const TokenPolicy policy = TokenPolicy::fromSettings(); // as the batch starts, for all its inputs
    for (int n = 0; n < m_workers.size(); ++n) {
        auto *send = new SendController(m_managers.at(n % managers), this);
        m_workers[n].send = send;
        send->setTokenPolicy(policy); // the setup may set its own; never the settings read per input
        if (m_setup && !m_setup(*send, error)) {
            dropWorkers();
            m_state.close();
            return false;
        }
        connect(send, &SendController::finished, this,
                [this, n](const InferenceResult &result) { onClientFinished(n, result); });
        for (InferenceClient *client : {send->client(), &send->providerJob()->client()})
            connect(client, &InferenceClient::waitingForModel, this,
                    [this, n](int seconds, const QString &message) {
                        Q_EMIT waitingForModel(m_workers.at(n).index, seconds, message);
                    });
        connect(send, &SendController::tokenWithheld, this, &BatchRunner::note);
        connect(send, &SendController::noted, this, &BatchRunner::note);
    }
    ++m_generation;
    m_backingOff = 0;
    m_rateLimitStreak = 0;
    m_sent = 0;
    m_finishedThisRun = 0;
    m_pauseUntilMs = 0;
    m_clock.start();
    m_running = true;
    // Queued: the caller connects to the signals before the first one comes.
    QMetaObject::invokeMethod(this, &BatchRunner::pump, Qt::QueuedConnection);
    return true;
}

bool BatchRunner::rerunFailed(QString *error)
{
    if (m_running) {
        *error = tr("Wait for the batch to end before sending the failed inputs again.");
        return false;
    }
    bool any = false;
    for (const auto &r : std::as_const(m_results))
        any = any || (r && !r->ok);
    if (!any) {
        *error = tr("No input failed.");
        return false;
    }
    // The state holds every result of this batch; resuming with retryFailed sends just the failed ones.
    if (!m_statePath.isEmpty()) {
        m_state.close();
        return start(true, error, true);
    }
    // Without a state: the same, from memory.
    const auto kept = m_results;
    const bool started = start(false, error);
    if (!started)
        return false;
    m_queue.clear();
    for (int i = 0; i < kept.size(); ++i) {
        if (kept.at(i) && kept.at(i)->ok)
            m_results[i] = kept.at(i);
        else
            m_queue << i;
    }
    return true;
}

void BatchRunner::cancel()
{
    if (!m_running)
        return;
    halt();
    Q_EMIT progressChanged();
    Q_EMIT finished(QString());
}

void BatchRunner::halt()
{
    m_running = false;
    ++m_generation;
    m_queue.clear();
    m_backingOff = 0;
    m_pauseTimer.stop();
    for (Worker &w : m_workers) {
        w.index = -1; // its answer, if one still comes, belongs to no input
        if (w.send)
            w.send->cancel();
    }
    m_state.close();
}

bool BatchRunner::pausedNow()
{
    const qint64 now = m_clock.elapsed();
    if (now >= m_pauseUntilMs)
        return false;
    // Never early: the timer is re-armed for what is left until the clock says the pause is over.
    m_pauseTimer.start(int(qMin<qint64>(m_pauseUntilMs - now, INT_MAX)));
    return true;
}

void BatchRunner::pump()
{
    if (!m_running || pausedNow())
        return;
    // A provider's batch whose model's mapping is not known yet: the first input asks the Hub, and the others
    // wait for its answer (remembered for the process) instead of asking the Hub once each. Should the Hub
    // fail, the next input asks again, still one at a time.
    const bool oneAtFirst = ProviderJob::asksHubFirst(m_template);
    for (int n = 0; n < m_workers.size() && !m_queue.isEmpty(); ++n) {
        Worker &w = m_workers[n];
        if (w.index >= 0)
            continue;
        if (oneAtFirst && std::any_of(m_workers.cbegin(), m_workers.cend(),
                                      [](const Worker &other) { return other.index >= 0; }))
            break;
        const int index = m_queue.takeFirst();
        QString error;
        if (!BatchInputs::apply(m_template, m_inputs.at(index), &w.request, &error)) {
            record(index, BatchItemResult::notSent(m_inputs.at(index), error));
            --n; // this worker is still free
            if (!m_running)
                return;
            continue;
        }
        w.index = index;
        ++m_attempts[index];
        ++m_sent;
        Q_EMIT itemStarted(index);
        if (!w.send->send(w.request)) { // busy: a cancelled send not yet ended (cannot happen in a run)
            w.index = -1;
            --m_attempts[index];
            --m_sent;
            m_queue.prepend(index);
            break;
        }
        w.request.file.bytes.clear(); // the controller holds the encoded body
    }
    Q_EMIT progressChanged();
    finishIfDone();
}

void BatchRunner::onClientFinished(int worker, const InferenceResult &result)
{
    Worker &w = m_workers[worker];
    const int index = w.index;
    if (index < 0 || !m_running)
        return; // cancelled
    w.index = -1;
    const int attempts = m_attempts.at(index);
    const bool attemptsLeft = attempts < m_maxAttempts;
    if (result.status == 429 && attemptsLeft) {
        qint64 wait = RetryAfter::waitMs(result, QDateTime::currentDateTimeUtc());
        if (wait < 0)
            wait = m_backoffMs << qMin(m_rateLimitStreak++, 6);
        else
            m_rateLimitStreak = 0;
        // From now, the moment the answer arrived; a later pause never shortens an earlier one.
        m_pauseUntilMs = qMax(m_pauseUntilMs, m_clock.elapsed() + wait);
        m_queue.prepend(index);
        Q_EMIT rateLimited(wait, tr("Rate limited (429): every request of the batch waits %1 s.")
                                     .arg(QString::number(wait / 1000.0, 'f', wait % 1000 ? 1 : 0)));
        pump();
        return;
    }
    if (isTransient(result) && attemptsLeft) {
        qint64 wait = RetryAfter::waitMs(result, QDateTime::currentDateTimeUtc());
        if (wait < 0)
            wait = m_backoffMs << qMin(attempts - 1, 6);
        retryLater(index, wait);
        pump();
        return;
    }
    record(index, BatchItemResult::from(m_inputs.at(index), w.request, result, attempts));
    pump();
}

void BatchRunner::retryLater(int index, qint64 ms)
{
    ++m_backingOff;
    const int generation = m_generation;
    QTimer::singleShot(int(qMin<qint64>(ms, INT_MAX)), Qt::PreciseTimer, this, [this, index, generation] {
        if (generation != m_generation)
            return;
        --m_backingOff;
        m_queue.prepend(index);
        pump();
    });
}

void BatchRunner::record(int index, const BatchItemResult &item)
{
    m_results[index] = item;
    ++m_finishedThisRun;
    QString error;
    const bool written = m_state.append(item, &error);
    Q_EMIT itemFinished(index, item);
    if (!written)
        stopWith(error);
}

void BatchRunner::stopWith(const QString &error)
{
    halt();
    Q_EMIT progressChanged();
    Q_EMIT finished(error);
}

void BatchRunner::finishIfDone()
{
    if (!m_running || !m_queue.isEmpty() || m_backingOff > 0)
        return;
    for (const Worker &w : std::as_const(m_workers))
        if (w.index >= 0)
            return;
    m_running = false;
    m_pauseTimer.stop();
    bool allOk = true;
    for (const auto &r : std::as_const(m_results))
        allOk = allOk && r && r->ok;
    if (allOk)
        m_state.remove(); // nothing left to resume
    else
        m_state.close();
    Q_EMIT progressChanged();
    Q_EMIT finished(QString());
}

BatchRunner::Progress BatchRunner::progress() const
{
    Progress p;
    p.total = m_inputs.size();
    for (const auto &r : m_results)
        if (r)
            ++(r->ok ? p.done : p.failed);
    for (const Worker &w : m_workers)
        p.running += w.index >= 0 ? 1 : 0;
    const int left = p.total - p.done - p.failed;
    if (m_finishedThisRun > 0 && m_clock.isValid())
        p.msLeft = left == 0 ? 0 : m_clock.elapsed() * left / m_finishedThisRun;
    return p;
}

QList<BatchItemResult> BatchRunner::results() const
{
    QList<BatchItemResult> out;
    for (const auto &r : m_results)
        if (r)
            out << *r;
    return out;
}

} // namespace idesk
