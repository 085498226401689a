#include "HistoryStore.h"

#include "HistoryText.h"
#include "Scrub.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace idesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("HistoryStore", text);
}

QAtomicInteger<quint64> connectionCounter;

const char *const kEnabledKey = "history/enabled";
const char *const kMaxBytesKey = "history/maxBytes";

// Schema steps: entry i brings user_version i to i + 1.
const char *const migration0[] = {
    "CREATE TABLE entries ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " time_ms INTEGER NOT NULL,"
    " model TEXT NOT NULL DEFAULT '', task TEXT NOT NULL DEFAULT '',"
    " provider TEXT NOT NULL DEFAULT '', endpoint TEXT NOT NULL DEFAULT '',"
    " source TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL DEFAULT '',"
    " status INTEGER NOT NULL DEFAULT 0, ok INTEGER NOT NULL DEFAULT 0,"
    " ms INTEGER NOT NULL DEFAULT 0, first_byte_ms INTEGER NOT NULL DEFAULT -1,"
    " error TEXT NOT NULL DEFAULT '', input_snippet TEXT NOT NULL DEFAULT '',"
    " answer_snippet TEXT NOT NULL DEFAULT '', pinned INTEGER NOT NULL DEFAULT 0,"
    " request BLOB, request_compressed INTEGER NOT NULL DEFAULT 0,"
    " answer BLOB, answer_compressed INTEGER NOT NULL DEFAULT 0,"
    " bytes INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX entries_time ON entries(time_ms, id)",
    "CREATE INDEX entries_task ON entries(task)",
    "CREATE VIRTUAL TABLE entries_fts USING fts5(input, model, task, error, answer, prefix='1 2 3')",
    // The stored size, kept by triggers so the cap is checked without summing every row (and stays right
    // when another process adds or deletes).
    "CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 1), bytes INTEGER NOT NULL)",
    "INSERT INTO totals (id, bytes) VALUES (1, 0)",
    "CREATE TRIGGER entries_added AFTER INSERT ON entries BEGIN"
    " UPDATE totals SET bytes = bytes + NEW.bytes WHERE id = 1; END",
    "CREATE TRIGGER entries_removed AFTER DELETE ON entries BEGIN"
    " UPDATE totals SET bytes = bytes - OLD.bytes WHERE id = 1; END",
};

struct Migration
{
    const char *const *statements;
    int count;
};
const Migration migrations[] = {{migration0, int(std::size(migration0))}};
static_assert(std::size(migrations) == HistoryStore::schemaVersion, "one migration per schema version");

const char *const kEntryColumns =
    "id, time_ms, model, task, provider, endpoint, source, outcome, status, ms, "
    "error, input_snippet, answer_snippet, pinned, bytes";

HistoryEntry entryFrom(const QSqlQuery &q)
{
    HistoryEntry e;
    e.id = q.value(0).toLongLong();
    e.time = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
    e.model = q.value(2).toString();
    e.task = q.value(3).toString();
    e.provider = q.value(4).toString();
    e.endpoint = q.value(5).toString();
    e.source = q.value(6).toString();
    e.outcome = q.value(7).toString();
    e.status = q.value(8).toInt();
    e.ms = q.value(9).toLongLong();
    e.error = q.value(10).toString();
    e.inputSnippet = q.value(11).toString();
    e.answerSnippet = q.value(12).toString();
    e.pinned = q.value(13).toBool();
    e.bytes = q.value(14).toLongLong();
    return e;
}

// A part as stored: compressed when large. The token never gets here (SavedResult drops secret headers;
// Scrub masks anything token-shaped that a server echoed).
QByteArray packed(const QJsonObject &object, bool *compressed)
{
    const QByteArray bytes = Scrub::secrets(QJsonDocument(object).toJson(QJsonDocument::Compact));
    *compressed = bytes.size() > HistoryStore::compressAbove;
    return *compressed ? qCompress(bytes, 6) : bytes;
}

QByteArray unpacked(const QVariant &blob, bool compressed)
{
    const QByteArray bytes = blob.toByteArray();
    return compressed ? qUncompress(bytes) : bytes;
}

// Text columns are NOT NULL: a null QString would bind as NULL.
QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}

bool looksLocked(const QSqlError &e)
{
    const QString text = e.text().toLower();
    return text.contains(QLatin1String("locked")) || text.contains(QLatin1String("busy"));
}

} // namespace

QString HistoryStore::defaultPath()
{
    const QString env = qEnvironmentVariable("INFERENCE_DESK_HISTORY");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/history.sqlite");
}

bool HistoryStore::enabledInSettings()
{
    return QSettings().value(QLatin1String(kEnabledKey), true).toBool();
}

void HistoryStore::setEnabledInSettings(bool enabled)
{
    QSettings().setValue(QLatin1String(kEnabledKey), enabled);
}

qint64 HistoryStore::sizeCapInSettings()
{
    bool ok = false;
    const qint64 bytes = QSettings().value(QLatin1String(kMaxBytesKey), defaultSizeCap).toLongLong(&ok);
    return ok && bytes > 0 ? bytes : defaultSizeCap;
}

void HistoryStore::setSizeCapInSettings(qint64 bytes)
{
    QSettings().setValue(QLatin1String(kMaxBytesKey), bytes);
}

HistoryStore::HistoryStore(const QString &path)
    : m_path(path),
      m_connection(QStringLiteral("idesk-history-%1").arg(connectionCounter.fetchAndAddRelaxed(1))),
      m_sizeCap(sizeCapInSettings())
{
}

HistoryStore::~HistoryStore()
{
    closeConnection();
}

void HistoryStore::closeConnection()
{
    if (QSqlDatabase::contains(m_connection)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
    }
    m_open = false;
}

bool HistoryStore::openConnection(QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        *error = tr("The history needs Qt's SQLite driver, which is not installed (Debian: apt-get install "
                    "libqt6sql6-sqlite).");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs));
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    return migrate(error);
}

bool HistoryStore::migrate(QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    // Reading the header first: a file that is not a database fails here.
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
        *error = q.lastError().text();
        return false;
    }
    const int version = q.value(0).toInt();
    q.finish();
    if (version > schemaVersion) {
        *error = tr("%1 was written by a newer Inference Desk (history version %2, this one reads up to %3); "
                    "update Inference Desk, or point INFERENCE_DESK_HISTORY at another file.")
                     .arg(m_path)
                     .arg(version)
                     .arg(schemaVersion);
        return false;
    }
    if (version == 0 && !q.exec(QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"))) {
        *error = q.lastError().text();
        return false;
    }
    if (!q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) ||
        !q.exec(QStringLiteral("PRAGMA synchronous = NORMAL")) ||
        !q.exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(busyTimeoutMs))) {
        *error = q.lastError().text();
        return false;
    }
    for (int v = version; v < schemaVersion; ++v) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        const Migration &m = migrations[v];
        for (int i = 0; i < m.count; ++i) {
            if (!q.exec(QLatin1String(m.statements[i]))) {
                *error = q.lastError().text();
                db.rollback();
                return false;
            }
        }
        if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(v + 1)) || !db.commit()) {
            *error = q.lastError().text();
            db.rollback();
            return false;
        }
    }
    // A file whose header is fine but whose tables are not: seen here rather than on the first write.
    if (!q.exec(QStringLiteral("SELECT count(*) FROM entries")) || !q.next() ||
        !q.exec(QStringLiteral("SELECT count(*) FROM entries_fts")) || !q.next()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

bool HistoryStore::moveAside(const QString &why, QString *error)
{
    closeConnection();
    const QString aside = m_path + QStringLiteral(".unreadable-") +
                          QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    if (!QFile::rename(m_path, aside)) {
        *error =
            tr("The history database %1 cannot be read (%2) and cannot be moved aside; move or delete it "
               "by hand.")
                .arg(m_path, why);
        return false;
    }
    for (const char *suffix : {"-wal", "-shm"})
        if (QFile::exists(m_path + QLatin1String(suffix)))
            QFile::rename(m_path + QLatin1String(suffix), aside + QLatin1String(suffix));
    m_notice = tr("The history database could not be read (%1). It was moved to %2 and a new history was "
                  "started.")
                   .arg(why, aside);
    return true;
}

bool HistoryStore::open(QString *error)
{
    QString why;
    if (m_open)
        return true;
    m_notice.clear();
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath())) {
        why = tr("Cannot create the folder %1 for the history.").arg(info.absolutePath());
        if (error)
            *error = why;
        return false;
    }
    if (openConnection(&why)) {
        m_open = true;
        return true;
    }
    const QSqlError sqlError = QSqlDatabase::database(m_connection, false).lastError();
    const bool recoverable = QFileInfo::exists(m_path) && !looksLocked(sqlError) &&
                             !why.contains(QLatin1String("newer Inference Desk")) &&
                             QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"));
    if (!recoverable) {
        closeConnection();
        if (error)
            *error = tr("The history is off for now: %1").arg(why);
        return false;
    }
    if (!moveAside(why, &why)) {
        if (error)
            *error = why;
        return false;
    }
    QString again;
    if (!openConnection(&again)) {
        closeConnection();
        if (error)
            *error = tr("The history is off for now: %1").arg(again);
        return false;
    }
    m_open = true;
    return true;
}

std::optional<qint64> HistoryStore::add(const InferenceRequest &request, const InferenceResult &result,
                                        const QString &source, QString *error, const QDateTime &time)
{
    auto fail = [&](const QString &why) -> std::optional<qint64> {
        if (error)
            *error = tr("The exchange was not added to the history: %1").arg(why);
        return std::nullopt;
    };
    if (!m_open && !open(error))
        return std::nullopt;
    SavedResult saved;
    saved.request = request;
    saved.result = result;
    const qint64 omitted = result.body.size() > maxStoredBody ? result.body.size() : 0;
    if (omitted)
        saved.result.body.clear();
    saved.savedAt = time.isValid() ? time.toUTC() : QDateTime::currentDateTimeUtc();
    const QJsonObject root = QJsonDocument::fromJson(saved.toJson()).object();
    QJsonObject response = root.value(QStringLiteral("response")).toObject();
    if (omitted)
        response.insert(QStringLiteral("body_omitted_bytes"), double(omitted));
    bool requestCompressed = false;
    bool answerCompressed = false;
    const QByteArray requestBlob =
        packed(root.value(QStringLiteral("request")).toObject(), &requestCompressed);
    const QByteArray answerBlob =
        packed(QJsonObject{{QStringLiteral("response"), response},
                           {QStringLiteral("timing"), root.value(QStringLiteral("timing"))}},
               &answerCompressed);
    const QString inputText = Scrub::secrets(HistoryText::inputText(request));
    const QString omittedNote = tr("(an answer of %1 bytes, too large to keep in the history)").arg(omitted);
    const QString answerText = omitted ? omittedNote : Scrub::secrets(HistoryText::answerText(result));
    const QString errorText = Scrub::secrets(result.errorMessage);

    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return fail(db.lastError().text());
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO entries (time_ms, model, task, provider, endpoint, source, outcome, status, ok, ms, "
        "first_byte_ms, error, input_snippet, answer_snippet, request, request_compressed, answer, "
        "answer_compressed, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(saved.savedAt.toMSecsSinceEpoch());
    q.addBindValue(text(request.model));
    q.addBindValue(text(request.task));
    q.addBindValue(text(HistoryText::provider(request.endpoint)));
    q.addBindValue(text(request.endpoint));
    q.addBindValue(text(source));
    q.addBindValue(
        text(root.value(QStringLiteral("response")).toObject().value(QStringLiteral("outcome")).toString()));
    q.addBindValue(result.status);
    q.addBindValue(int(result.ok()));
    q.addBindValue(result.elapsedMs);
    q.addBindValue(result.firstByteMs);
    q.addBindValue(text(errorText));
    q.addBindValue(text(HistoryText::oneLine(inputText)));
    q.addBindValue(text(omitted ? omittedNote : Scrub::secrets(HistoryText::answerSnippet(request, result))));
    q.addBindValue(requestBlob);
    q.addBindValue(int(requestCompressed));
    q.addBindValue(answerBlob);
    q.addBindValue(int(answerCompressed));
    q.addBindValue(
        qint64(requestBlob.size() + answerBlob.size() + 2 * (inputText.size() + answerText.size())));
    if (!q.exec()) {
        const QString why = q.lastError().text();
        db.rollback();
        return fail(why);
    }
    const qint64 id = q.lastInsertId().toLongLong();
    QSqlQuery fts(db);
    fts.prepare(QStringLiteral("INSERT INTO entries_fts (rowid, input, model, task, error, answer) "
                               "VALUES (?, ?, ?, ?, ?, ?)"));
    fts.addBindValue(id);
    fts.addBindValue(inputText);
    fts.addBindValue(request.model);
    fts.addBindValue(request.task);
    fts.addBindValue(errorText);
    fts.addBindValue(answerText);
    if (!fts.exec()) {
        const QString why = fts.lastError().text();
        db.rollback();
        return fail(why);
    }
    if (!db.commit()) {
        const QString why = db.lastError().text();
        db.rollback();
        return fail(why);
    }
    prune(m_sizeCap);
    return id;
}

QString HistoryStore::ftsQuery(const QString &typed)
{
    QStringList terms;
    const QStringList words = typed.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    for (QString word : words) {
        word.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        terms.append(QLatin1Char('"') + word + QStringLiteral("\"*"));
    }
    return terms.join(QLatin1Char(' '));
}

QList<HistoryEntry> HistoryStore::list(const HistoryQuery &query, QString *error) const
{
    QList<HistoryEntry> entries;
    if (!m_open) {
        if (error)
            *error = tr("The history is not open.");
        return entries;
    }
    QStringList where;
    QVariantList values;
    const QString match = ftsQuery(query.text);
    if (!match.isEmpty()) {
        where << QStringLiteral("id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)");
        values << match;
    }
    if (!query.task.isEmpty()) {
        where << QStringLiteral("task = ?");
        values << query.task;
    }
    if (query.status != HistoryQuery::Status::Any) {
        where << QStringLiteral("ok = ?");
        values << int(query.status == HistoryQuery::Status::Ok);
    }
    if (query.from.isValid()) {
        where << QStringLiteral("time_ms >= ?");
        values << query.from.toMSecsSinceEpoch();
    }
    if (query.to.isValid()) {
        where << QStringLiteral("time_ms < ?");
        values << query.to.toMSecsSinceEpoch();
    }
    QString sql = QStringLiteral("SELECT %1 FROM entries").arg(QLatin1String(kEntryColumns));
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY time_ms DESC, id DESC LIMIT %1").arg(qMax(1, query.limit));
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec()) {
        if (error)
            *error = tr("The history cannot be searched: %1").arg(q.lastError().text());
        return entries;
    }
    while (q.next())
        entries.append(entryFrom(q));
    return entries;
}

std::optional<HistoryEntry> HistoryStore::entry(qint64 id) const
{
    if (!m_open)
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT %1 FROM entries WHERE id = ?").arg(QLatin1String(kEntryColumns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return entryFrom(q);
}

std::optional<SavedResult> HistoryStore::load(qint64 id, QString *error) const
{
    auto fail = [error](const QString &why) -> std::optional<SavedResult> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!m_open)
        return fail(tr("The history is not open."));
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral(
        "SELECT time_ms, request, request_compressed, answer, answer_compressed FROM entries WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return fail(tr("The history cannot be read: %1").arg(q.lastError().text()));
    if (!q.next())
        return fail(
            tr("There is no history entry %1; `inference-desk-cli history list` shows the ids.").arg(id));
    const QJsonObject request = QJsonDocument::fromJson(unpacked(q.value(1), q.value(2).toBool())).object();
    const QJsonObject answer = QJsonDocument::fromJson(unpacked(q.value(3), q.value(4).toBool())).object();
    QJsonObject root{
        {QStringLiteral("format"), SavedResult::formatName()},
        {QStringLiteral("version"), SavedResult::formatVersion},
        {QStringLiteral("app_version"), QStringLiteral(IDESK_VERSION)},
        {QStringLiteral("saved_at"),
         QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong(), Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("request"), request},
        {QStringLiteral("response"), answer.value(QStringLiteral("response"))},
        {QStringLiteral("timing"), answer.value(QStringLiteral("timing"))},
    };
    QString why;
    std::optional<SavedResult> saved =
        SavedResult::fromJson(QJsonDocument(root).toJson(QJsonDocument::Compact), &why);
    if (!saved)
        return fail(tr("History entry %1 cannot be read: %2").arg(id).arg(why));
    return saved;
}

bool HistoryStore::remove(qint64 id, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    if (!m_open || !db.transaction()) {
        if (error)
            *error = tr("The history is not open.");
        return false;
    }
    q.prepare(QStringLiteral("DELETE FROM entries WHERE id = ?"));
    q.addBindValue(id);
    bool ok = q.exec();
    const bool found = ok && q.numRowsAffected() > 0;
    if (ok) {
        q.prepare(QStringLiteral("DELETE FROM entries_fts WHERE rowid = ?"));
        q.addBindValue(id);
        ok = q.exec();
    }
    if (!ok || !db.commit()) {
        if (error)
            *error = tr("Entry %1 could not be deleted: %2").arg(id).arg(q.lastError().text());
        db.rollback();
        return false;
    }
    if (!found && error)
        *error = tr("There is no history entry %1; `inference-desk-cli history list` shows the ids.").arg(id);
    return found;
}

bool HistoryStore::setPinned(qint64 id, bool pinned, QString *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("UPDATE entries SET pinned = ? WHERE id = ?"));
    q.addBindValue(int(pinned));
    q.addBindValue(id);
    if (!m_open || !q.exec() || q.numRowsAffected() == 0) {
        if (error)
            *error = tr("Entry %1 could not be changed: %2").arg(id).arg(q.lastError().text());
        return false;
    }
    return true;
}

bool HistoryStore::clear(bool keepPinned, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    const QString filter = keepPinned ? QStringLiteral(" WHERE pinned = 0") : QString();
    const bool ok = m_open && db.transaction() &&
                    q.exec(QStringLiteral("DELETE FROM entries_fts WHERE rowid IN (SELECT id FROM entries%1)")
                               .arg(filter)) &&
                    q.exec(QStringLiteral("DELETE FROM entries%1").arg(filter)) && db.commit();
    if (!ok) {
        if (error)
            *error = tr("The history could not be cleared: %1").arg(q.lastError().text());
        db.rollback();
        return false;
    }
    q.exec(QStringLiteral("PRAGMA incremental_vacuum"));
    return true;
}

qint64 HistoryStore::storedBytes() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!m_open || !q.exec(QStringLiteral("SELECT bytes FROM totals WHERE id = 1")) || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

int HistoryStore::count() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!m_open || !q.exec(QStringLiteral("SELECT count(*) FROM entries")) || !q.next())
        return 0;
    return q.value(0).toInt();
}

int HistoryStore::prune(qint64 capBytes, QString *error)
{
    qint64 total = storedBytes();
    if (total <= capBytes)
        return 0;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    QList<qint64> doomed;
    if (!q.exec(QStringLiteral("SELECT id, bytes FROM entries WHERE pinned = 0 ORDER BY time_ms, id")))
        return 0;
    while (total > capBytes && q.next()) {
        doomed.append(q.value(0).toLongLong());
        total -= q.value(1).toLongLong();
    }
    q.finish();
    if (doomed.isEmpty() || !db.transaction())
        return 0;
    QSqlQuery del(db);
    for (const qint64 id : doomed) {
        for (const char *sql :
             {"DELETE FROM entries WHERE id = ?", "DELETE FROM entries_fts WHERE rowid = ?"}) {
            del.prepare(QLatin1String(sql));
            del.addBindValue(id);
            if (!del.exec()) {
                if (error)
                    *error = del.lastError().text();
                db.rollback();
                return 0;
            }
        }
    }
    if (!db.commit()) {
        db.rollback();
        return 0;
    }
    del.exec(QStringLiteral("PRAGMA incremental_vacuum"));
    return int(doomed.size());
}

} // namespace idesk
