#include "HubCache.h"

#include "JsonNumber.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace idesk {

qint64 HubCache::Entry::ageSeconds() const
{
    return qMax<qint64>(0, QDateTime::currentSecsSinceEpoch() - savedAt);
}

HubCache::HubCache(const QString &directory) : m_dir(directory.isEmpty() ? defaultDirectory() : directory) {}

QString HubCache::defaultDirectory()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    return base.isEmpty() ? QString() : base + QStringLiteral("/hub");
}

QString HubCache::keyFor(const QUrl &url, bool withToken)
{
    return url.toString(QUrl::FullyEncoded | QUrl::RemoveUserInfo) +
           (withToken ? QStringLiteral(" +token") : QString());
}

QString HubCache::pathFor(const QString &key) const
{
    if (m_dir.isEmpty())
        return QString();
    return m_dir + QLatin1Char('/') +
           QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex()) +
           QStringLiteral(".json");
}

std::optional<HubCache::Entry> HubCache::find(const QString &key) const
{
    QFile file(pathFor(key));
    if (file.fileName().isEmpty() || !file.open(QIODevice::ReadOnly) || file.size() > maxBodyBytes * 2)
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
    if (o.value(QStringLiteral("key")).toString() != key) // a hash collision or a foreign file
        return std::nullopt;
    Entry entry;
    entry.body = QByteArray::fromBase64(o.value(QStringLiteral("body")).toString().toLatin1());
    entry.etag = o.value(QStringLiteral("etag")).toString().toLatin1();
    entry.nextLink = o.value(QStringLiteral("link")).toString().toLatin1();
    entry.savedAt = JsonNumber::toInt64Or(o.value(QStringLiteral("savedAt")), 0);
    if (entry.savedAt <= 0)
        return std::nullopt;
    return entry;
}

void HubCache::store(const QString &key, const Entry &entry) const
{
    const QString path = pathFor(key);
    if (path.isEmpty() || entry.body.size() > maxBodyBytes)
        return;
    QDir().mkpath(m_dir);
    const QJsonObject o{{QStringLiteral("key"), key},
                        {QStringLiteral("savedAt"), double(entry.savedAt)},
                        {QStringLiteral("etag"), QString::fromLatin1(entry.etag)},
                        {QStringLiteral("link"), QString::fromLatin1(entry.nextLink)},
                        {QStringLiteral("body"), QString::fromLatin1(entry.body.toBase64())}};
    QSaveFile out(path);
    if (out.open(QIODevice::WriteOnly)) {
        out.write(QJsonDocument(o).toJson(QJsonDocument::Compact));
        out.commit(); // best effort
    }
}

void HubCache::touch(const QString &key) const
{
    if (auto entry = find(key)) {
        entry->savedAt = QDateTime::currentSecsSinceEpoch();
        store(key, *entry);
    }
}

} // namespace idesk
