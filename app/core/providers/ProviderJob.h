#pragma once

#include "InferenceClient.h"
#include "ProviderChoice.h"
#include "ProviderHelper.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace idesk {

// One request to an Inference Provider from start to file: the provider chosen from the model's mapping
// (GET {hub}/api/models/{id}?expand[]=inferenceProviderMapping, cached for the process with
// ProviderMappingLookup's) when the request
// says "auto" or names one, the first request, the follow-ups the provider's helper asks for (queue
// status, result), and the download of the file the answer points at, which never carries the token.
// finished() gives one InferenceResult like InferenceClient's: the answer in the task's own shape (JSON)
// or the file's bytes; rawAnswer() keeps what the provider itself sent.
class ProviderJob : public QObject
{
    Q_OBJECT
public:
    explicit ProviderJob(QObject *parent = nullptr);

    // The client that talks to the Hub and the router (token and TokenPolicy set by the caller), and the
    // one that downloads files (never given a token; CA certificates may be added to it).
    InferenceClient &client() { return m_client; }
    InferenceClient &downloadClient() { return m_download; }

    static constexpr qint64 defaultTimeLimitMs = 10 * 60 * 1000;
    // The whole job, polls and download included (0 or less: no limit besides each request's own).
    void setTimeLimitMs(qint64 ms) { m_timeLimitMs = ms; }
    qint64 timeLimitMs() const { return m_timeLimitMs; }
    // The sentence after "did not finish within N s, so it was stopped." (how to allow it longer).
    void setTimeLimitHint(const QString &hint) { m_timeLimitHint = hint; }
    // Wait between polls instead of the helper's (tests); negative: the helper's.
    void setPollIntervalMs(int ms) { m_pollOverrideMs = ms; }
    // Forget every cached mapping (tests). The cache is ProviderMappingLookup's, shared with the app's box.
    static void clearMappingCache();

    // Whether start() asks the Hub for the model's provider mapping before anything is sent: a provider
    // other than hf-inference (or auto) for a task, and no mapping of the model cached in this process yet.
    static bool asksHubFirst(const InferenceRequest &request);

    void start(const InferenceRequest &request);
    void cancel();
    bool isRunning() const { return m_running; }
    // Where the job is: "mapping" (asking the Hub for the providers), "submit" (the first request), a
    // follow-up of the provider's helper (queue status, result), or "download" once isDownloading().
    QString stage() const { return m_stage; }
    bool isDownloading() const { return m_running && m_downloading; }

    ProviderChoice choice() const { return m_choice; }
    QByteArray rawAnswer() const { return m_raw; }
    QString rawContentType() const { return m_rawType; }
    // Every request sent, in order (token never included).
    QList<EncodedRequest> sent() const { return m_sent; }

Q_SIGNALS:
    void note(const QString &message);       // the provider picked and why; warnings
    void stateChanged(const QString &state); // "submitted", "in queue, position 3 (4 s)", "running (40 s)"
    void finished(const idesk::InferenceResult &result);

private:
    void onAnswer(const InferenceResult &result);
    void onDownloaded(const InferenceResult &result);
    void chooseAndSend(const QList<ProviderMappingEntry> &mapping);
    void sendStep(const EncodedRequest &request, const QString &stage);
    void follow(const ProviderStep &step, const InferenceResult &answer);
    void onTimeLimit();
    void fail(InferenceResult::Outcome outcome, const QString &message, const InferenceResult &base = {});
    void done(InferenceResult result);

    InferenceClient m_client;
    InferenceClient m_download;
    ProviderCall m_call;
    const ProviderHelper *m_helper = nullptr;
    ProviderChoice m_choice;
    QString m_stage; // "mapping", "submit", helper stages, "download"
    bool m_running = false;
    qint64 m_timeLimitMs = defaultTimeLimitMs;
    QString m_timeLimitHint = tr("Allow it longer with --job-timeout.");
    bool m_downloading = false;
    int m_pollOverrideMs = -1;
    QTimer m_limit;
    QTimer m_pollTimer;
    EncodedRequest m_nextPoll;
    QElapsedTimer m_clock;
    QByteArray m_raw;
    QString m_rawType;
    QList<EncodedRequest> m_sent;
};

} // namespace idesk
