#include "ModelInfoLookup.h"
#include "JsonNumber.h"

#include "HubRequest.h"
#include "ServiceBases.h"

#include "ChatCompletion.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QUrl>

namespace idesk {

namespace {
constexpr qint64 fileCacheSeconds = 7 * 24 * 3600;
constexpr int fileCacheMaxEntries = 500;

QMutex &memoryMutex()
{
    static QMutex mutex;
    return mutex;
}

// A remembered tag; a failure ("" not confirmed by the hub) is kept only until expiresMs.
struct MemoryEntry
{
    QString tag;
    qint64 expiresMs = -1; // -1: for the process
};

QHash<QString, MemoryEntry> &memory()
{
    static QHash<QString, MemoryEntry> cache;
    return cache;
}

qint64 &failureLifetime()
{
    static qint64 ms = ModelInfoLookup::defaultFailureLifetimeMs;
    return ms;
}

// Milliseconds on a monotonic clock (a wall-clock change does not age the entries).
qint64 monotonicMs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed();
}

QString keyOf(const QString &hub, const QString &model)
{
    return hub + QLatin1Char('|') + ChatCompletion::modelIdOf(model.trimmed());
}
} // namespace

ModelInfoLookup::ModelInfoLookup(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent), m_nam(nam), m_hub(defaultHubEndpoint())
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    if (!dir.isEmpty())
        m_cacheFile = dir + QStringLiteral("/model-info.json");
}

ModelInfoLookup::~ModelInfoLookup() = default;

QString ModelInfoLookup::defaultHubEndpoint()
{
    return ServiceBases::hub();
}

void ModelInfoLookup::setHubEndpoint(const QString &url)
{
    m_hub = url.trimmed();
    while (m_hub.endsWith(QLatin1Char('/')))
        m_hub.chop(1);
}

void ModelInfoLookup::setCacheFile(const QString &path)
{
    m_cacheFile = path;
}

void ModelInfoLookup::setFailureLifetimeMs(qint64 ms)
{
    QMutexLocker lock(&memoryMutex());
    failureLifetime() = qMax<qint64>(0, ms);
}

qint64 ModelInfoLookup::failureLifetimeMs()
{
    QMutexLocker lock(&memoryMutex());
    return failureLifetime();
}

void ModelInfoLookup::clearMemoryCache()
{
    QMutexLocker lock(&memoryMutex());
    memory().clear();
}

QUrl ModelInfoLookup::urlFor(const QString &model) const
{
    return QUrl(
        m_hub + QStringLiteral("/api/models/") +
            QString::fromLatin1(QUrl::toPercentEncoding(ChatCompletion::modelIdOf(model.trimmed()), "/")),
        QUrl::StrictMode);
}

std::optional<QString> ModelInfoLookup::cached(const QString &model) const
{
    {
        QMutexLocker lock(&memoryMutex());
        const auto it = memory().find(keyOf(m_hub, model));
        if (it != memory().end()) {
            if (it->expiresMs < 0 || monotonicMs() < it->expiresMs)
                return it->tag;
            memory().erase(it); // a failure kept long enough: ask again
        }
    }
    return fromFile(model);
}

std::optional<QString> ModelInfoLookup::fromFile(const QString &model) const
{
    if (m_cacheFile.isEmpty())
        return std::nullopt;
    QFile file(m_cacheFile);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject entries =
        QJsonDocument::fromJson(file.read(1 << 20)).object().value(QStringLiteral("entries")).toObject();
    const QJsonObject entry = entries.value(keyOf(m_hub, model)).toObject();
    const QJsonValue tag = entry.value(QStringLiteral("pipeline_tag"));
    const qint64 time = JsonNumber::toInt64Or(entry.value(QStringLiteral("time")), 0);
    if (!tag.isString() || QDateTime::currentSecsSinceEpoch() - time > fileCacheSeconds)
        return std::nullopt;
    QMutexLocker lock(&memoryMutex());
    memory().insert(keyOf(m_hub, model), MemoryEntry{tag.toString(), -1});
    return tag.toString();
}

void ModelInfoLookup::remember(const QString &model, const QString &tag, bool answered)
{
    {
        // A hub answer is kept for the process; a failure (timeout, network error, 404, ...) only
        // briefly, so that one slow answer does not decide the model's form for the whole session.
        QMutexLocker lock(&memoryMutex());
        memory().insert(keyOf(m_hub, model),
                        MemoryEntry{tag, answered ? -1 : monotonicMs() + failureLifetime()});
    }
    if (!answered || m_cacheFile.isEmpty())
        return;
    QJsonObject root;
    {
        QFile file(m_cacheFile);
        if (file.open(QIODevice::ReadOnly))
            root = QJsonDocument::fromJson(file.read(1 << 20)).object();
    }
    QJsonObject entries = root.value(QStringLiteral("entries")).toObject();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    // Drop stale entries; keep the file small.
    for (auto it = entries.begin(); it != entries.end();) {
        if (now - JsonNumber::toInt64Or(it.value().toObject().value(QStringLiteral("time")), 0) >
            fileCacheSeconds)
            it = entries.erase(it);
        else
            ++it;
    }
    while (entries.size() >= fileCacheMaxEntries)
        entries.erase(entries.begin());
    entries.insert(keyOf(m_hub, model),
                   QJsonObject{{QStringLiteral("pipeline_tag"), tag}, {QStringLiteral("time"), double(now)}});
    root.insert(QStringLiteral("version"), 1);
    root.insert(QStringLiteral("entries"), entries);
    QDir().mkpath(QFileInfo(m_cacheFile).absolutePath());
    QSaveFile out(m_cacheFile);
    if (out.open(QIODevice::WriteOnly)) {
        out.write(QJsonDocument(root).toJson(QJsonDocument::Compact));
        out.commit(); // best effort: a cache that cannot be written is only slower
    }
}

void ModelInfoLookup::lookup(const QString &modelIn)
{
    const QString model = modelIn.trimmed();
    if (const auto tag = cached(model)) {
        QMetaObject::invokeMethod(
            this, [this, model, t = *tag] { Q_EMIT finished(model, t); }, Qt::QueuedConnection);
        return;
    }
    const QUrl url = urlFor(model);
    if (model.isEmpty() || !url.isValid() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        remember(model, QString(), false);
        QMetaObject::invokeMethod(
            this, [this, model] { Q_EMIT finished(model, QString()); }, Qt::QueuedConnection);
        return;
    }
    // HubRequest: the timeout, and renamed repos (307 with a relative Location) followed within the origin.
    auto *request = new HubRequest(this);
    request->setNetworkAccess(m_nam);
    request->setTimeoutMs(m_timeoutMs);
    connect(request, &HubRequest::finished, this, [this, request, model](const HubAnswer &answer) {
        request->deleteLater();
        QString tag;
        bool persist = false;
        if (answer.ok() && answer.status == 200) {
            const QJsonObject o = QJsonDocument::fromJson(answer.body.left(4 << 20)).object();
            // A model card without a pipeline_tag is a real answer ("no task"): cache it too.
            persist = o.contains(QStringLiteral("id")) || o.contains(QStringLiteral("modelId")) ||
                      o.contains(QStringLiteral("pipeline_tag"));
            tag = o.value(QStringLiteral("pipeline_tag")).toString();
        }
        remember(model, tag, persist);
        Q_EMIT finished(model, tag);
    });
    request->get(url);
}

QString ModelInfoLookup::pipelineTag(const QString &modelIn)
{
    const QString model = modelIn.trimmed();
    if (const auto tag = cached(model))
        return *tag;
    QEventLoop loop;
    QString result;
    bool done = false;
    const auto connection =
        connect(this, &ModelInfoLookup::finished, &loop, [&](const QString &m, const QString &tag) {
            if (m != model)
                return;
            result = tag;
            done = true;
            loop.quit();
        });
    lookup(model);
    if (!done) {
        // The reply aborts itself at the timeout; this guard only covers a stuck event source.
        QTimer::singleShot(m_timeoutMs + 500, &loop, &QEventLoop::quit);
        loop.exec();
    }
    disconnect(connection);
    return result;
}

} // namespace idesk
