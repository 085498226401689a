#pragma once

#include "HistoryEntry.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "SavedResult.h"

#include <QList>
#include <QString>
#include <optional>

namespace idesk {

// Every exchange of the app and the CLI, kept in one SQLite file (Qt SQL, QSQLITE) in the app's data
// folder: the request (never the token: SavedResult's request form, secret headers dropped, anything
// token-shaped masked), the answer (status, headers, body; binary kept as base64; parts over
// compressAbove compressed with qCompress), timings, model, task, provider, endpoint, error text and where
// it came from. An FTS5 index covers input text, model, task, error text and answer text (HistoryText).
//
// WAL with a busy timeout: the CLI writes while the app reads. The schema's version is PRAGMA
// user_version; migrate() brings older files up. A file that cannot be read as a database is moved aside
// (renamed with a timestamp, notice() says so) and a new one is started. One HistoryStore is one
// connection: use it on the thread that opened it (HistoryRecorder writes on a worker thread of its own).
class HistoryStore
{
public:
    static constexpr int schemaVersion = 1;
    static constexpr qint64 compressAbove = 8 * 1024;
    // Answers larger than this are recorded without their body (everything else is kept, and the entry
    // says how large the answer was): a 200 MB answer does not belong in a history capped at 1 GB.
    static constexpr qint64 maxStoredBody = 16 * 1024 * 1024;
    static constexpr qint64 defaultSizeCap = qint64(1024) * 1024 * 1024; // 1 GiB
    static constexpr int busyTimeoutMs = 5000;

    // INFERENCE_DESK_HISTORY when set, else history.sqlite in QStandardPaths::AppDataLocation.
    static QString defaultPath();
    // The setting "history/enabled" (default true): the app's and the CLI's switch.
    static bool enabledInSettings();
    static void setEnabledInSettings(bool enabled);
    // The setting "history/maxBytes" (default defaultSizeCap).
    static qint64 sizeCapInSettings();
    static void setSizeCapInSettings(qint64 bytes);

    explicit HistoryStore(const QString &path = defaultPath());
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    // Opens (creating the folder, the file and the schema as needed). False with *error when no database
    // could be had at all (a folder that cannot be written, a file from a newer version).
    bool open(QString *error = nullptr);
    bool isOpen() const { return m_open; }
    QString path() const { return m_path; }
    // A sentence for the person after open(): the old file was unreadable and was moved aside ("" if not).
    QString notice() const { return m_notice; }

    // Records one exchange; the new entry's id, or nullopt with *error (a full disk, a locked file...).
    // Prunes to sizeCap() afterwards.
    std::optional<qint64> add(const InferenceRequest &request, const InferenceResult &result,
                              const QString &source, QString *error = nullptr,
                              const QDateTime &time = QDateTime());

    QList<HistoryEntry> list(const HistoryQuery &query, QString *error = nullptr) const;
    std::optional<HistoryEntry> entry(qint64 id) const;
    // The request and the answer of entry `id`, as a saved result (saved_at = the entry's time).
    std::optional<SavedResult> load(qint64 id, QString *error = nullptr) const;

    bool remove(qint64 id, QString *error = nullptr);
    bool setPinned(qint64 id, bool pinned, QString *error = nullptr);
    // Removes every entry (with keepPinned, every unpinned one).
    bool clear(bool keepPinned, QString *error = nullptr);
    // Removes the oldest unpinned entries until the stored size is at most `capBytes`; how many went.
    int prune(qint64 capBytes, QString *error = nullptr);
    qint64 storedBytes() const;
    int count() const;

    qint64 sizeCap() const { return m_sizeCap; }
    void setSizeCap(qint64 bytes) { m_sizeCap = bytes; }

    // The FTS5 query for what a person typed: each word quoted and matched as a prefix.
    static QString ftsQuery(const QString &typed);

private:
    bool openConnection(QString *error);
    bool migrate(QString *error);
    void closeConnection();
    bool moveAside(const QString &why, QString *error);

    QString m_path;
    QString m_connection;
    QString m_notice;
    qint64 m_sizeCap = defaultSizeCap;
    bool m_open = false;
};

} // namespace idesk
