#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <optional>

class QNetworkAccessManager;
class QTimer;

namespace idesk {

// Best-effort hub lookup of a model's task: GET {HF_ENDPOINT or https://huggingface.co}/api/models/{id}
// -> "pipeline_tag". Answers are cached in memory (for the process) and in a small JSON file under
// QStandardPaths::CacheLocation (model-info.json, kept a week). A lookup never takes more than the
// timeout (2 s by default). A model card without a pipeline_tag is an answer ("", cached like a tag);
// any failure (timeout, network, 404, ...) also means "unknown" ("") but is remembered in memory only,
// and only for failureLifetimeMs() (60 s by default): a later lookup asks again. No token is sent: the public
// model card is enough.
class ModelInfoLookup : public QObject
{
    Q_OBJECT
public:
    // `nam` may be injected (tests); by default the process's shared one (NetworkAccess).
    explicit ModelInfoLookup(QNetworkAccessManager *nam = nullptr, QObject *parent = nullptr);
    ~ModelInfoLookup() override;

    // HF_ENDPOINT when set, else https://huggingface.co (no trailing slash).
    static QString defaultHubEndpoint();
    QString hubEndpoint() const { return m_hub; }
    void setHubEndpoint(const QString &url);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    // The cache file (default <CacheLocation>/model-info.json); "" turns the file cache off.
    void setCacheFile(const QString &path);
    QString cacheFile() const { return m_cacheFile; }
    // Forget the in-memory cache of every instance (tests).
    static void clearMemoryCache();
    // How long a failed lookup is remembered (every instance; tests set 0 to expire at once).
    static constexpr qint64 defaultFailureLifetimeMs = 60 * 1000;
    static void setFailureLifetimeMs(qint64 ms);
    static qint64 failureLifetimeMs();

    // The cached tag: a value ("" = unknown after a recent failure or a card without a task) or
    // std::nullopt when never looked up or when a remembered failure has expired.
    std::optional<QString> cached(const QString &model) const;

    // Looks the model up; finished(model, tag) is emitted once (also for cached answers, queued).
    void lookup(const QString &model);
    // Looks up and waits (local event loop, at most the timeout). "" when unknown.
    QString pipelineTag(const QString &model);

    // The URL asked for a model id (a :provider suffix is left out).
    QUrl urlFor(const QString &model) const;

Q_SIGNALS:
    void finished(const QString &model, const QString &pipelineTag);

private:
    void remember(const QString &model, const QString &tag, bool answered); // answered: the hub said so
    std::optional<QString> fromFile(const QString &model) const;

    QNetworkAccessManager *m_nam = nullptr; // nullptr: NetworkAccess::shared()
    QString m_hub;
    QString m_cacheFile;
    int m_timeoutMs = 2000;
};

} // namespace idesk
