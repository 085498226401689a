#pragma once

#include "BatchInput.h"
#include "BatchResult.h"
#include "BatchState.h"
#include "InferenceRequest.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QVector>
#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace idesk {

class SendController;

// Runs one request template over many inputs: each input one request, at most concurrency() in flight.
//  - A 429 pauses every worker of the batch (the limit is the account's) for as long as its Retry-After or
//    RateLimit header says, counted from when the answer arrived (RetryAfter); the timer never fires early.
//    Without a header the pause doubles from 1 s. The input goes first in the queue again.
//  - A 503 "model is loading" waits inside InferenceClient, as a single request does.
//  - Network failures, timeouts and 5xx answers are retried after a back-off of their own.
//  - Every input is sent at most maxAttempts() times and ends with exactly one result.
//  - With a state path, every result is journalled (BatchState), so start(resume) sends only the inputs
//    that have none.
class BatchRunner : public QObject
{
    Q_OBJECT
public:
    struct Progress
    {
        int total = 0;
        int done = 0;       // finished well
        int failed = 0;     // finished with an error
        int running = 0;    // in flight
        qint64 msLeft = -1; // estimated; -1 until something finished
    };

    explicit BatchRunner(QObject *parent = nullptr);
    ~BatchRunner() override;

    void setTemplate(const InferenceRequest &templ) { m_template = templ; }
    InferenceRequest templateRequest() const { return m_template; }
    void setInputs(const QList<BatchInput> &inputs) { m_inputs = inputs; }
    const QList<BatchInput> &inputs() const { return m_inputs; }
    void setConcurrency(int n) { m_concurrency = qMax(1, n); }
    int concurrency() const { return m_concurrency; }
    void setMaxAttempts(int n) { m_maxAttempts = qMax(1, n); }
    int maxAttempts() const { return m_maxAttempts; }
    // First back-off after a network failure or a 5xx (doubling after each), and the pause after a 429
    // that names no wait.
    void setRetryBackoffMs(qint64 ms) { m_backoffMs = qMax<qint64>(0, ms); }
    // Called on each worker's SendController once, before anything is sent (token, token policy, CA bundle,
    // the Hub lookup; its client() and providerJob() for their own settings). A false return stops start()
    // with *error. Each input goes through the worker's SendController::send: encoding, token policy and
    // provider jobs as a single request has them; approvalNeeded() is not asked per input (ask once per
    // origin before start() and put the answer in the policy).
    void setSendSetup(std::function<bool(SendController &, QString *)> setup) { m_setup = std::move(setup); }
    // Where the state is kept ("" = nowhere; resume is then impossible).
    void setStatePath(const QString &path) { m_statePath = path; }
    QString statePath() const { return m_statePath; }

    // Starts the batch (returns at once). With `resume`, the inputs with a result in the state are not sent
    // again, and with `retryFailed` as well the failed ones are. False with *error when nothing can start.
    bool start(bool resume, QString *error, bool retryFailed = false);
    // Stops sending: requests in flight are cancelled and their inputs stay unfinished (resume sends them).
    void cancel();
    // Sends the inputs that failed again (after finished()).
    bool rerunFailed(QString *error);
    bool isRunning() const { return m_running; }

    Progress progress() const;
    // The result of each input that has one, in input order (resumed ones included).
    QList<BatchItemResult> results() const;
    std::optional<BatchItemResult> result(int index) const { return m_results.value(index); }
    // Inputs sent in this run (not those resumed), for tests and the summary line.
    int sentCount() const { return m_sent; }

Q_SIGNALS:
    void itemStarted(int index);
    // Exactly once per input and run (a retried input emits once, at its end).
    void itemFinished(int index, const idesk::BatchItemResult &result);
    // Every worker pauses for `ms` after a 429.
    void rateLimited(qint64 ms, const QString &message);
    void waitingForModel(int index, int seconds, const QString &message);
    // A note from the send path (a token withheld, the provider chosen), each distinct one once per run.
    void noted(const QString &note);
    void progressChanged();
    // The batch ended: every input has a result, or it was cancelled, or the state could not be written
    // (`error` says why; "" otherwise).
    void finished(const QString &error);

private:
    struct Worker
    {
        SendController *send = nullptr;
        int index = -1; // the input in flight, -1 when idle
        InferenceRequest request;
    };

    void pump();
    void onClientFinished(int worker, const InferenceResult &result);
    void record(int index, const BatchItemResult &item);
    void retryLater(int index, qint64 ms);
    bool pausedNow();
    void finishIfDone();
    void stopWith(const QString &error);
    void halt(); // stops sending and cancels what is in flight, without a signal
    void dropWorkers();
    void note(const QString &text);

    InferenceRequest m_template;
    QList<BatchInput> m_inputs;
    int m_concurrency = 4;
    int m_maxAttempts = 4;
    qint64 m_backoffMs = 1000;
    std::function<bool(SendController &, QString *)> m_setup;
    QString m_statePath;
    BatchState m_state;

    QVector<Worker> m_workers;
    QList<QNetworkAccessManager *> m_managers; // shared by the workers, six at most on one
    QList<int> m_queue;                        // inputs waiting to be sent, first first
    QVector<std::optional<BatchItemResult>> m_results;
    QVector<int> m_attempts;
    QSet<QString> m_notes;     // said in this run
    int m_backingOff = 0;      // inputs waiting for their own back-off
    int m_generation = 0;      // back-off timers of an earlier run are ignored
    int m_rateLimitStreak = 0; // 429s without a wait named, in a row
    bool m_running = false;
    int m_sent = 0;
    int m_finishedThisRun = 0;
    QElapsedTimer m_clock;     // monotonic: pauses and estimates
    qint64 m_pauseUntilMs = 0; // on m_clock
    QTimer m_pauseTimer;
};

} // namespace idesk
