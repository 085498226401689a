// HistoryStore on a real SQLite file in a QTemporaryDir: recording and reading back, full-text search with
// filters, the size cap keeping pinned entries, an unreadable file moved aside, the token never written,
// and HistoryRecorder writing on its own thread.
#include "HistoryRecorder.h"
#include "HistoryStore.h"
#include "Scrub.h"

#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;

namespace {

InferenceRequest textRequest(const QString &input,
                             const QString &task = QStringLiteral("text-classification"))
{
    InferenceRequest r;
    r.model = QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest");
    r.task = task;
    r.inputs = input;
    return r;
}

InferenceResult jsonAnswer(const QByteArray &body)
{
    InferenceResult r;
    r.status = 200;
    r.reason = "OK";
    r.contentType = QStringLiteral("application/json");
    r.charset = QStringLiteral("UTF-8");
    r.body = body;
    r.elapsedMs = 42;
    r.firstByteMs = 40;
    r.headers = {{"Content-Type", "application/json"}, {"x-compute-time", "0.033"}};
    return r;
}

InferenceResult errorAnswer()
{
    InferenceResult r;
    r.outcome = InferenceResult::Outcome::HttpError;
    r.status = 503;
    r.reason = "Service Unavailable";
    r.contentType = QStringLiteral("application/json");
    r.body = R"({"error": "Model is currently loading"})";
    r.errorMessage = QStringLiteral("The model is still loading; try again in a minute.");
    return r;
}

const QByteArray kScores = R"([[{"label":"negative","score":0.9},{"label":"neutral","score":0.07}]])";

QList<qint64> ids(const QList<HistoryEntry> &entries)
{
    QList<qint64> out;
    for (const HistoryEntry &e : entries)
        out << e.id;
    return out;
}

} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString &name = QStringLiteral("history.sqlite")) const
    {
        return m_dir.filePath(name);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void addsAndReadsBack()
    {
        HistoryStore store(path(QStringLiteral("roundtrip.sqlite")));
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QVERIFY(store.notice().isEmpty());
        const InferenceRequest request = textRequest(QStringLiteral("I want a refund"));
        const auto id = store.add(request, jsonAnswer(kScores), QStringLiteral("cli"), &error);
        QVERIFY2(id, qPrintable(error));
        const auto entry = store.entry(*id);
        QVERIFY(entry);
        QCOMPARE(entry->model, request.model);
        QCOMPARE(entry->task, request.task);
        QCOMPARE(entry->source, QStringLiteral("cli"));
        QCOMPARE(entry->provider, QStringLiteral("hf-inference"));
        QCOMPARE(entry->status, 200);
        QCOMPARE(entry->ms, 42);
        QVERIFY(entry->ok());
        QCOMPARE(entry->inputSnippet, QStringLiteral("I want a refund"));
        QVERIFY2(entry->answerSnippet.contains(QLatin1String("negative")), qPrintable(entry->answerSnippet));
        const auto saved = store.load(*id, &error);
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->request.inputs, request.inputs);
        QCOMPARE(saved->request.model, request.model);
        QCOMPARE(saved->result.body, kScores);
        QCOMPARE(saved->result.header("x-compute-time"), QByteArray("0.033"));
        QCOMPARE(saved->result.elapsedMs, 42);
        QCOMPARE(store.count(), 1);
        // The schema's version is the file's user_version.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        db.setDatabaseName(store.path());
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
            QCOMPARE(q.value(0).toInt(), HistoryStore::schemaVersion);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    }

    void keepsBinaryAndLargeAnswers()
    {
        HistoryStore store(path(QStringLiteral("binary.sqlite")));
        QVERIFY(store.open());
        QByteArray png("\x89PNG\r\n\x1a\n", 8);
        for (int i = 0; i < 50000; ++i)
            png.append(char(i * 7));
        InferenceResult image = jsonAnswer(png);
        image.contentType = QStringLiteral("image/png");
        InferenceRequest request = textRequest(QStringLiteral("a cat"), QStringLiteral("text-to-image"));
        request.file =
            InputFile{QStringLiteral("/somewhere/private/cat.png"), png, QStringLiteral("image/png")};
        const auto id = store.add(request, image, QStringLiteral("app"));
        QVERIFY(id);
        const auto saved = store.load(*id);
        QVERIFY(saved);
        QCOMPARE(saved->result.body, png);
        QCOMPARE(saved->request.file.bytes, png);
        // A large part is stored compressed: the entry's size is well under the two copies of the bytes.
        QVERIFY2(store.entry(*id)->bytes < 2 * png.size(), QByteArray::number(store.entry(*id)->bytes));
    }

    void hugeAnswerKeptWithoutItsBody()
    {
        HistoryStore store(path(QStringLiteral("huge.sqlite")));
        QVERIFY(store.open());
        const QByteArray huge(HistoryStore::maxStoredBody + 1, 'x');
        const auto id =
            store.add(textRequest(QStringLiteral("big one")), jsonAnswer(huge), QStringLiteral("cli"));
        QVERIFY(id);
        QVERIFY(store.entry(*id)->bytes < 1024 * 1024);
        QVERIFY2(store.entry(*id)->answerSnippet.contains(QString::number(huge.size())),
                 qPrintable(store.entry(*id)->answerSnippet));
        const auto saved = store.load(*id);
        QVERIFY(saved);
        QVERIFY(saved->result.body.isEmpty());
        QCOMPARE(saved->result.status, 200);
        QCOMPARE(saved->request.inputs.toString(), QStringLiteral("big one"));
    }

    void searchesInputAndAnswerWithFilters()
    {
        HistoryStore store(path(QStringLiteral("search.sqlite")));
        QVERIFY(store.open());
        const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-10);
        const auto refund = store.add(textRequest(QStringLiteral("I want a refund now")), jsonAnswer(kScores),
                                      QStringLiteral("cli"));
        const auto hungry = store.add(textRequest(QStringLiteral("I am hungry")),
                                      jsonAnswer(R"([[{"label":"positive","score":0.8}]])"),
                                      QStringLiteral("app"), nullptr, old);
        const auto failed =
            store.add(textRequest(QStringLiteral("a refund please"), QStringLiteral("summarization")),
                      errorAnswer(), QStringLiteral("app"));
        QVERIFY(refund && hungry && failed);

        HistoryQuery q;
        q.text = QStringLiteral("refund");
        QCOMPARE(ids(store.list(q)), (QList<qint64>{*failed, *refund}));
        q.text = QStringLiteral("refu"); // as typed: a prefix matches
        QCOMPARE(ids(store.list(q)).size(), 2);
        q.text = QStringLiteral("positive"); // a label of the answer
        QCOMPARE(ids(store.list(q)), QList<qint64>{*hungry});
        q.text = QStringLiteral("loading"); // the error text
        QCOMPARE(ids(store.list(q)), QList<qint64>{*failed});
        q.text = QStringLiteral("twitter-roberta"); // the model
        QCOMPARE(ids(store.list(q)).size(), 3);
        q.text = QStringLiteral("refund");
        q.status = HistoryQuery::Status::Ok;
        QCOMPARE(ids(store.list(q)), QList<qint64>{*refund});
        q.status = HistoryQuery::Status::Error;
        QCOMPARE(ids(store.list(q)), QList<qint64>{*failed});
        q = HistoryQuery();
        q.task = QStringLiteral("summarization");
        QCOMPARE(ids(store.list(q)), QList<qint64>{*failed});
        q = HistoryQuery();
        q.from = QDateTime::currentDateTimeUtc().addDays(-1);
        QCOMPARE(ids(store.list(q)).size(), 2);
        q = HistoryQuery();
        q.to = QDateTime::currentDateTimeUtc().addDays(-1);
        QCOMPARE(ids(store.list(q)), QList<qint64>{*hungry});
        // Whatever is typed is a search, never an FTS5 syntax error.
        for (const QString &typed :
             {QStringLiteral("\"refund"), QStringLiteral("a AND (b"), QStringLiteral("*"),
              QStringLiteral("NEAR(x y)"), QStringLiteral("col:refund")}) {
            q = HistoryQuery();
            q.text = typed;
            QString error;
            store.list(q, &error);
            QVERIFY2(error.isEmpty(), qPrintable(typed + QStringLiteral(": ") + error));
        }
        q = HistoryQuery();
        q.limit = 1;
        QCOMPARE(ids(store.list(q)), QList<qint64>{*failed}); // newest first
    }

    void pinDeleteClear()
    {
        HistoryStore store(path(QStringLiteral("pins.sqlite")));
        QVERIFY(store.open());
        const auto a =
            store.add(textRequest(QStringLiteral("alpha")), jsonAnswer(kScores), QStringLiteral("cli"));
        const auto b =
            store.add(textRequest(QStringLiteral("beta")), jsonAnswer(kScores), QStringLiteral("cli"));
        const auto c =
            store.add(textRequest(QStringLiteral("gamma")), jsonAnswer(kScores), QStringLiteral("cli"));
        QVERIFY(store.setPinned(*a, true));
        QVERIFY(store.entry(*a)->pinned);
        QVERIFY(store.remove(*b));
        QVERIFY(!store.entry(*b));
        QString error;
        QVERIFY(!store.remove(*b, &error));
        QVERIFY(error.contains(QLatin1String("no history entry")));
        HistoryQuery q;
        q.text = QStringLiteral("beta");
        QVERIFY(store.list(q).isEmpty()); // gone from the index too
        QVERIFY(store.clear(true));
        QCOMPARE(ids(store.list(HistoryQuery())), QList<qint64>{*a});
        Q_UNUSED(c);
        QVERIFY(store.clear(false));
        QCOMPARE(store.count(), 0);
    }

    void pruningKeepsPinned()
    {
        HistoryStore store(path(QStringLiteral("prune.sqlite")));
        QVERIFY(store.open());
        QList<qint64> added;
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-100);
        for (int i = 0; i < 10; ++i) {
            QByteArray body = "[[{\"label\":\"x" + QByteArray::number(i) + "\",\"score\":0.5}]]";
            const auto id = store.add(textRequest(QStringLiteral("entry %1").arg(i)), jsonAnswer(body),
                                      QStringLiteral("cli"), nullptr, start.addSecs(i));
            QVERIFY(id);
            added << *id;
        }
        QVERIFY(store.setPinned(added.at(0), true));
        QVERIFY(store.setPinned(added.at(1), true));
        const qint64 one = store.entry(added.at(5))->bytes;
        QVERIFY(one > 0);
        // Room for about four entries: the oldest unpinned go, both pinned stay.
        const int removed = store.prune(one * 4);
        QVERIFY2(removed >= 6, QByteArray::number(removed));
        const QList<qint64> left = ids(store.list(HistoryQuery()));
        QVERIFY(left.contains(added.at(0)));
        QVERIFY(left.contains(added.at(1)));
        QVERIFY(left.contains(added.at(9)));
        QVERIFY(!left.contains(added.at(2)));
        QVERIFY(store.storedBytes() <= one * 4 + one);
        // add() prunes to the cap by itself.
        store.setSizeCap(1);
        QVERIFY(store.add(textRequest(QStringLiteral("last")), jsonAnswer(kScores), QStringLiteral("cli")));
        QCOMPARE(ids(store.list(HistoryQuery())), (QList<qint64>{added.at(1), added.at(0)}));
    }

    void unreadableFileMovedAside()
    {
        const QString file = path(QStringLiteral("corrupt.sqlite"));
        QByteArray garbage = "this is not a database, but it is long enough to have a header";
        garbage = garbage.repeated(200);
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(garbage);
        }
        HistoryStore store(file);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QVERIFY2(store.notice().contains(QLatin1String("moved")), qPrintable(store.notice()));
        QVERIFY(store.add(textRequest(QStringLiteral("fresh start")), jsonAnswer(kScores),
                          QStringLiteral("cli")));
        QCOMPARE(store.count(), 1);
        QStringList aside;
        QDirIterator it(m_dir.path(), {QStringLiteral("corrupt.sqlite.unreadable-*")}, QDir::Files);
        while (it.hasNext())
            aside << it.next();
        QCOMPARE(aside.size(), 1);
        QFile moved(aside.first());
        QVERIFY(moved.open(QIODevice::ReadOnly));
        QCOMPARE(moved.readAll(), garbage); // the person's old file is kept as it was
    }

    void newerFileIsLeftAlone()
    {
        const QString file = path(QStringLiteral("newer.sqlite"));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("newer"));
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version = 99"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("newer"));
        HistoryStore store(file);
        QString error;
        QVERIFY(!store.open(&error));
        QVERIFY2(error.contains(QLatin1String("newer")), qPrintable(error));
        QVERIFY(QFile::exists(file));
        QVERIFY(!QFile::exists(file + QStringLiteral(".unreadable")));
    }

    void tokenNeverWritten()
    {
        const QString token = QStringLiteral("hf_historyTokenAbcdefgh12345");
        Scrub::remember(token);
        const QString file = path(QStringLiteral("token.sqlite"));
        HistoryStore store(file);
        QVERIFY(store.open());
        InferenceResult echo =
            jsonAnswer(QStringLiteral("{\"echo\": \"Bearer %1\", \"label\": \"ok %1\"}").arg(token).toUtf8());
        echo.headers.append({"Authorization", "Bearer " + token.toUtf8()});
        echo.headers.append({"Set-Cookie", "session=" + token.toUtf8()});
        echo.errorMessage = QStringLiteral("the server said %1").arg(token);
        InferenceRequest request = textRequest(QStringLiteral("hello"));
        request.parameters.insert(QStringLiteral("note"), QStringLiteral("x"));
        QVERIFY(store.add(request, echo, QStringLiteral("app")));
        // The store stays open: the WAL holds the write now.
        QByteArray all;
        for (const QString &name : {file, file + QStringLiteral("-wal")}) {
            QFile f(name);
            if (f.open(QIODevice::ReadOnly))
                all += f.readAll();
        }
        QVERIFY(all.size() > 4096);
        QVERIFY(!all.contains(token.toUtf8()));
        QVERIFY(!all.contains(qCompress(token.toUtf8()).mid(4)));
        const auto saved = store.load(store.list(HistoryQuery()).first().id);
        QVERIFY(saved);
        QVERIFY(saved->result.header("Authorization").isEmpty());
        QVERIFY(!saved->result.body.contains(token.toUtf8()));
    }

    void recorderWritesOnItsThread()
    {
        const QString file = path(QStringLiteral("recorder.sqlite"));
        {
            HistoryRecorder recorder(file);
            recorder.setEnabled(true);
            QSignalSpy recorded(&recorder, &HistoryRecorder::recorded);
            recorder.record(textRequest(QStringLiteral("from the app")), jsonAnswer(kScores),
                            QStringLiteral("app"));
            QVERIFY(recorded.wait(10000));
            recorder.setEnabled(false);
            recorder.record(textRequest(QStringLiteral("not kept")), jsonAnswer(kScores),
                            QStringLiteral("app"));
        }
        HistoryStore store(file);
        QVERIFY(store.open());
        const QList<HistoryEntry> entries = store.list(HistoryQuery());
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().source, QStringLiteral("app"));
    }

    void recorderReportsAFileItCannotWrite()
    {
        QFile blocker(path(QStringLiteral("a-file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        HistoryRecorder recorder(blocker.fileName() +
                                 QStringLiteral("/history.sqlite")); // a folder that is a file
        recorder.setEnabled(true);
        QSignalSpy message(&recorder, &HistoryRecorder::message);
        QSignalSpy recorded(&recorder, &HistoryRecorder::recorded);
        recorder.record(textRequest(QStringLiteral("x")), jsonAnswer(kScores), QStringLiteral("app"));
        QVERIFY(message.wait(10000));
        QVERIFY(!message.first().first().toString().isEmpty());
        QCOMPARE(recorded.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "TestHistoryStore.moc"
