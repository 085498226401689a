#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace idesk {

// Answers of the Hub and the router kept on disk (one small JSON file per URL under
// <QStandardPaths::CacheLocation>/hub), so that a repeated search or model page costs no request and an
// offline app still has something to show. No token is ever written: the key says only whether one was
// sent. Files are written with QSaveFile; a cache that cannot be written or read is only slower.
class HubCache
{
public:
    struct Entry
    {
        QByteArray body;
        QByteArray etag;     // the server's ETag, for If-None-Match ("" when it gave none)
        QByteArray nextLink; // the Link header (pagination), as received
        qint64 savedAt = 0;  // seconds since the epoch: when the server last confirmed it
        qint64 ageSeconds() const;
    };

    // "" -> defaultDirectory().
    explicit HubCache(const QString &directory = QString());
    static QString defaultDirectory();
    QString directory() const { return m_dir; }

    // The key of an answer: the URL, and whether a token went along (private models differ).
    static QString keyFor(const QUrl &url, bool withToken);

    std::optional<Entry> find(const QString &key) const;
    void store(const QString &key, const Entry &entry) const;
    // Marks an entry as confirmed now (a 304 to a revalidation).
    void touch(const QString &key) const;
    // Largest answer kept (bytes).
    static constexpr qint64 maxBodyBytes = 16 << 20;

private:
    QString pathFor(const QString &key) const;
    QString m_dir;
};

} // namespace idesk
