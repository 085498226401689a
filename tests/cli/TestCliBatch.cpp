// inference-desk-cli batch and compare, as separate processes against the loopback replay server: one
// result per input in the output (never lost, never twice), at most --concurrency requests at once, a 429
// and a 503 "loading" waited out, exit 1 naming how many failed, a crashed batch resumed with only its
// unfinished inputs sent, and compare printing in the order given while one model is slow and one fails.
#include "CliRunner.h"
#include "KestraFlow.h"
#include "TestConfig.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::ReplayServer;

namespace {

QJsonObject answer(int status, const QByteArray &body, int delayMs, const QString &matchBody = {},
                   const QJsonObject &headers = {})
{
    QJsonObject behaviour{{QStringLiteral("delay_first_byte_ms"), delayMs}};
    if (!matchBody.isEmpty())
        behaviour.insert(QStringLiteral("match_body"), QStringLiteral("\"%1\"").arg(matchBody));
    return ReplayServer::answerWith(status, QStringLiteral("application/json"), body, headers, behaviour);
}

QByteArray labels(const QString &label)
{
    return QStringLiteral("[{\"label\":\"%1\",\"score\":0.75}]").arg(label).toUtf8();
}

QString word(int i)
{
    return QStringLiteral("word-%1").arg(i, 2, 10, QLatin1Char('0'));
}

bool writeLines(const QString &path, int n)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    for (int i = 1; i <= n; ++i)
        f.write(word(i).toUtf8() + "\n");
    return true;
}

QList<QJsonObject> jsonLines(const QByteArray &bytes)
{
    QList<QJsonObject> out;
    for (const QByteArray &line : bytes.split('\n'))
        if (!line.trimmed().isEmpty())
            out << QJsonDocument::fromJson(line).object();
    return out;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString inputOf(const QJsonValue &request)
{
    return QJsonDocument::fromJson(ReplayServer::body(request.toObject()))
        .object()
        .value(QStringLiteral("inputs"))
        .toString();
}

} // namespace

class TestCliBatch : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_dir;

    QStringList base() const
    {
        return {QStringLiteral("--model"),    QStringLiteral("org/model"),
                QStringLiteral("--task"),     QStringLiteral("text-classification"),
                QStringLiteral("--endpoint"), m_server->urlString() + QStringLiteral("/models")};
    }
    CliOptions opts() const
    {
        CliOptions o;
        o.set.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
        o.set.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        o.failIfTokenPrinted = true;
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
        QVERIFY(m_dir.isValid());
    }
    void init() { QVERIFY(m_server->reset()); }

    void batchWritesOneResultPerInput()
    {
        const int n = 8;
        const QString lines = m_dir.filePath(QStringLiteral("words.txt"));
        QVERIFY(writeLines(lines, n));
        QJsonArray queue;
        for (int i = 1; i <= n; ++i) {
            if (i == 3)
                queue << answer(429, R"({"error":"slow down"})", 50, word(i),
                                QJsonObject{{QStringLiteral("Retry-After"), QStringLiteral("1")}});
            if (i == 6)
                queue << answer(503, R"({"error":"Model org/model is currently loading","estimated_time":1})",
                                50, word(i));
            queue << answer(200, labels(word(i)), 200, word(i));
        }
        QVERIFY(m_server->queue(queue));
        const QString out = m_dir.filePath(QStringLiteral("out.jsonl"));
        const CliRun r = idesk::test::runCli(
            QStringList{QStringLiteral("batch")} + base() +
                QStringList{QStringLiteral("--inputs-lines"), lines, QStringLiteral("--concurrency"),
                            QStringLiteral("2"), QStringLiteral("--output"), out},
            opts());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> results = jsonLines(readAll(out));
        QCOMPARE(results.size(), n);
        for (int i = 0; i < n; ++i) {
            const QJsonObject &o = results.at(i);
            QCOMPARE(o.value("input").toString(), word(i + 1)); // input order, each once
            QCOMPARE(o.value("status").toString(), QStringLiteral("ok"));
            QVERIFY(o.value("ms").toInt() >= 200);
            QCOMPARE(o.value("answer").toArray().at(0).toObject().value("label").toString(), word(i + 1));
        }
        QVERIFY(!QFile::exists(out + QStringLiteral(".batch-state.jsonl"))); // complete
        // Progress on stderr: plain lines (not a terminal), the 429 and the loading wait said.
        QVERIFY2(r.err.contains("[8/8]"), r.err.constData());
        QVERIFY2(r.err.contains("429"), r.err.constData());
        QVERIFY2(r.err.contains("loading"), r.err.constData());
        QVERIFY(r.out.isEmpty());

        const QJsonArray log = m_server->requests();
        QCOMPARE(log.size(), n + 2);
        int most = 0;
        double answered429 = 0;
        for (const auto &req : log) {
            most = qMax(most, req.toObject().value("in_flight").toInt());
            if (req.toObject().value("response_status").toInt() == 429)
                answered429 = req.toObject().value("finished_at").toDouble();
        }
        QVERIFY2(most <= 2, qPrintable(QString::number(most)));
        for (const auto &req : log)
            if (inputOf(req) == word(3) && req.toObject().value("response_status").toInt() == 200)
                QVERIFY(req.toObject().value("received_at").toDouble() - answered429 >= 1.0);
    }

    void batchToStdoutSaysHowManyFailed()
    {
        const QString lines = m_dir.filePath(QStringLiteral("three.txt"));
        QVERIFY(writeLines(lines, 3));
        QVERIFY(m_server->queue({answer(200, labels(word(1)), 0, word(1)),
                                 answer(400, R"({"error":"bad input"})", 0, word(2)),
                                 answer(200, labels(word(3)), 0, word(3))}));
        const CliRun r =
            idesk::test::runCli(QStringList{QStringLiteral("batch")} + base() +
                                    QStringList{QStringLiteral("--inputs-lines"), lines,
                                                QStringLiteral("--format"), QStringLiteral("csv")},
                                opts());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("1 of 3 inputs failed"), r.err.constData());
        const QList<QByteArray> rows = r.out.trimmed().split('\n');
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows.at(0).trimmed(), QByteArray("input,label,score,status,http_status,ms,error"));
        QVERIFY(r.out.contains("word-02,,,failed,400"));
        QVERIFY(r.out.contains("word-03,word-03,0.75,ok,200"));
    }

    void badUsageIsSaid()
    {
        CliRun r = idesk::test::runCli(QStringList{QStringLiteral("batch")} + base(), opts());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--inputs-dir"), r.err.constData());
        r = idesk::test::runCli(QStringList{QStringLiteral("batch")} + base() +
                                    QStringList{QStringLiteral("--inputs-csv"), QStringLiteral("x.csv")},
                                opts());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--column"), r.err.constData());
        r = idesk::test::runCli(QStringList{QStringLiteral("batch")} + base() +
                                    QStringList{QStringLiteral("--inputs-lines"), QStringLiteral("x"),
                                                QStringLiteral("--format"), QStringLiteral("xml")},
                                opts());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("jsonl or csv"), r.err.constData());
        QCOMPARE(m_server->requests().size(), 0);
    }

    void exportsAKestraFlow()
    {
        const QString lines = m_dir.filePath(QStringLiteral("k.txt"));
        QVERIFY(writeLines(lines, 3));
        const QString flowPath = m_dir.filePath(QStringLiteral("batch.yaml"));
        const CliRun r = idesk::test::runCli(QStringList{QStringLiteral("batch")} + base() +
                                                 QStringList{QStringLiteral("--inputs-lines"), lines,
                                                             QStringLiteral("--export-kestra"), flowPath},
                                             opts());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_server->requests().size(), 0); // nothing sent
        QString error;
        const auto flow = idesk::KestraFlow::load(flowPath, {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.size(), 3);
        QCOMPARE(flow->tasks.at(2).request.inputs.toString(), word(3));
        QCOMPARE(flow->tasks.at(2).request.endpoint, m_server->urlString() + QStringLiteral("/models"));
    }

    void crashedBatchResumesWithTheUnfinished()
    {
        const int n = 6;
        const QString lines = m_dir.filePath(QStringLiteral("six.txt"));
        QVERIFY(writeLines(lines, n));
        QJsonArray queue;
        for (int i = 1; i <= n; ++i)
            queue << answer(200, labels(word(i)), i <= 2 ? 50 : 20000, word(i));
        QVERIFY(m_server->queue(queue));
        const QString out = m_dir.filePath(QStringLiteral("resume.jsonl"));
        const QString state = out + QStringLiteral(".batch-state.jsonl");
        const QStringList args = QStringList{QStringLiteral("batch")} + base() +
                                 QStringList{QStringLiteral("--inputs-lines"), lines,
                                             QStringLiteral("--concurrency"),  QStringLiteral("2"),
                                             QStringLiteral("--output"),       out};
        {
            QProcess p;
            p.setProcessEnvironment(idesk::test::environmentFor(opts()));
            p.start(QStringLiteral(IDESK_CLI_PATH), args);
            QVERIFY(p.waitForStarted(10000));
            // Two inputs answered, two in flight for 20 s: then the process dies (SIGKILL, a crash).
            QTRY_VERIFY_WITH_TIMEOUT(readAll(state).count('\n') >= 3, 15000);
            p.kill();
            QVERIFY(p.waitForFinished(10000));
        }
        QVERIFY(!QFile::exists(out));
        // Running it again without --resume would start over: refused, saying so.
        CliRun r = idesk::test::runCli(args, opts());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--resume"), r.err.constData());

        QVERIFY(m_server->reset());
        QJsonArray more;
        for (int i = 3; i <= n; ++i)
            more << answer(200, labels(word(i)), 0, word(i));
        QVERIFY(m_server->queue(more));
        r = idesk::test::runCli(args + QStringList{QStringLiteral("--resume")}, opts());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QStringList sent;
        for (const auto &req : m_server->requests())
            sent << inputOf(req);
        sent.sort();
        QCOMPARE(sent, QStringList({word(3), word(4), word(5), word(6)}));
        const QList<QJsonObject> results = jsonLines(readAll(out));
        QCOMPARE(results.size(), n);
        for (int i = 0; i < n; ++i)
            QCOMPARE(results.at(i).value("input").toString(), word(i + 1));
    }

    void compareKeepsTheOrderGiven()
    {
        auto forModel = [](const QString &model, int status, const QByteArray &body, int delayMs) {
            QJsonObject a = answer(status, body, delayMs);
            a.insert(QStringLiteral("match_path"), QStringLiteral("/models/") + model);
            return a;
        };
        QVERIFY(m_server->queue({forModel("org/slow", 200, labels("from-slow"), 800),
                                 forModel("org/fast", 200, labels("from-fast"), 0),
                                 forModel("org/broken", 500, R"({"error":"it broke"})", 0)}));
        const CliRun r = idesk::test::runCli(
            {QStringLiteral("compare"), QStringLiteral("--model"), QStringLiteral("org/slow"),
             QStringLiteral("--model"), QStringLiteral("org/broken"), QStringLiteral("--model"),
             QStringLiteral("org/fast"), QStringLiteral("--task"), QStringLiteral("text-classification"),
             QStringLiteral("--inputs"), QStringLiteral("hello"), QStringLiteral("--endpoint"),
             m_server->urlString() + QStringLiteral("/models"), QStringLiteral("--format"),
             QStringLiteral("json")},
            opts());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("1 of 3 models failed"), r.err.constData());
        const QJsonArray a = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(a.size(), 3);
        QCOMPARE(a.at(0).toObject().value("model").toString(), QStringLiteral("org/slow"));
        QCOMPARE(a.at(0).toObject().value("status").toString(), QStringLiteral("ok"));
        QVERIFY(a.at(0).toObject().value("ms").toInt() >= 800);
        QCOMPARE(a.at(0).toObject().value("answer").toArray().at(0).toObject().value("label").toString(),
                 QStringLiteral("from-slow"));
        QCOMPARE(a.at(1).toObject().value("model").toString(), QStringLiteral("org/broken"));
        QCOMPARE(a.at(1).toObject().value("status").toString(), QStringLiteral("failed"));
        QVERIFY(a.at(1).toObject().value("error").toString().contains(QLatin1String("it broke")));
        QCOMPARE(a.at(2).toObject().value("model").toString(), QStringLiteral("org/fast"));
        QVERIFY(!a.at(2).toObject().value("provider").toString().isEmpty());
        // All three went out at once: the fast and broken answers did not wait for the slow one.
        QCOMPARE(m_server->requests().size(), 3);

        // Pretty: the same order.
        QVERIFY(m_server->queue({forModel("org/slow", 200, labels("from-slow"), 300),
                                 forModel("org/fast", 200, labels("from-fast"), 0)}));
        const CliRun p = idesk::test::runCli(
            {QStringLiteral("compare"), QStringLiteral("--model"), QStringLiteral("org/slow"),
             QStringLiteral("--model"), QStringLiteral("org/fast"), QStringLiteral("--task"),
             QStringLiteral("text-classification"), QStringLiteral("--inputs"), QStringLiteral("hello"),
             QStringLiteral("--endpoint"), m_server->urlString() + QStringLiteral("/models")},
            opts());
        QCOMPARE(p.exitCode, 0);
        QVERIFY2(p.out.indexOf("org/slow") < p.out.indexOf("org/fast"), p.out.constData());
        QVERIFY2(p.out.contains("from-fast"), p.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliBatch)
#include "TestCliBatch.moc"
