// inference-desk-cli against inputs that used to take unbounded time or memory (issue 19, finding 4), run as
// separate processes with their address space capped at 2 GiB, so that a regression fails here instead of
// eating the machine: a server trickling one byte at a time (--deadline), a model "loading" for 1e9 s
// (--max-wait), a presets folder holding a link to /dev/zero, and 4,000 arrays nested 1,000 deep printed
// pretty.
#include "CliRunner.h"
#include "TestConfig.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::ReplayServer;

namespace {
QJsonObject loading()
{
    return QJsonObject{
        {"status", 503},
        {"body", QJsonObject{{"error", "Model m/x is currently loading"}, {"estimated_time", 1e9}}}};
}
} // namespace

class TestCliLimits : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_data; // XDG_DATA_HOME of the CLI: its presets live here

    QString endpoint() const { return m_server->urlString() + QStringLiteral("/hf-inference/models"); }
    QString presetsDir() const
    {
        return m_data.filePath(QStringLiteral("inference-desk/inference-desk/presets"));
    }

    // Address space capped at 2 GiB, killed after 60 s.
    CliRun runCli(const QStringList &args)
    {
        CliOptions o;
        o.set.insert(QStringLiteral("XDG_DATA_HOME"), m_data.path());
        o.addressSpaceCap = 2ULL << 30;
        return idesk::test::runCli(args, o);
    }

    QStringList call(const QStringList &more) const
    {
        return QStringList{QStringLiteral("call"),
                           QStringLiteral("--model"),
                           QStringLiteral("m/x"),
                           QStringLiteral("--task"),
                           QStringLiteral("text-classification"),
                           QStringLiteral("--inputs"),
                           QStringLiteral("hello"),
                           QStringLiteral("--endpoint"),
                           endpoint()} +
               more;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_data.isValid());
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
    }
    void init() { QVERIFY(m_server->reset()); }

    void deadlineOfZeroIsRefused()
    {
        const CliRun r = runCli(call({QStringLiteral("--deadline"), QStringLiteral("0")}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--deadline: \"0\" is zero") && r.err.contains("the smallest is 1ms"),
                 r.err.constData());
        QCOMPARE(m_server->requests().size(), 0);
    }

    void tricklingServerEndsAtTheDeadline()
    {
        const QString body = QStringLiteral("[") + QString(5000, QLatin1Char('1')) + QStringLiteral("]");
        QVERIFY(m_server->queue(
            QJsonArray{QJsonObject{{"status", 200},
                                   {"headers", QJsonObject{{"Content-Type", "application/json"}}},
                                   {"body", body},
                                   {"chunk_size", 1},
                                   {"chunk_delay_ms", 100}}}));
        const CliRun r = runCli(call({QStringLiteral("--deadline"), QStringLiteral("1s")}));
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("deadline of PT1S") && r.err.contains("--deadline"), r.err.constData());
    }

    void chatLoadingWaitIsCapped()
    {
        QVERIFY(m_server->queue(QJsonArray{loading(), loading(), loading()}));
        const CliRun r =
            runCli({QStringLiteral("chat"), QStringLiteral("--model"), QStringLiteral("m/x"),
                    QStringLiteral("--endpoint"), m_server->urlString(), QStringLiteral("--prompt"),
                    QStringLiteral("hi"), QStringLiteral("--max-wait"), QStringLiteral("1s")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--max-wait"), r.err.constData());
        QCOMPARE(m_server->requests().size(), 2);
    }

    void presetsFolderWithLinkToDevZero()
    {
        QVERIFY(QDir().mkpath(presetsDir()));
        const QString link = QDir(presetsDir()).filePath(QStringLiteral("x.json"));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), link));
        const CliRun r = runCli({QStringLiteral("presets"), QStringLiteral("list")});
        QFile::remove(link);
        QCOMPARE(r.exitCode, 0);
        const QByteArray all = r.out + r.err;
        QVERIFY2(all.contains("x.json") && all.contains("not a regular file"), all.constData());
    }

    void deeplyNestedAnswerPrintsBounded()
    {
        // 4,000 arrays nested 1,000 deep (8 MB) used to become 8 GB of indentation.
        const QByteArray one = QByteArray(1000, '[') + QByteArray(1000, ']');
        QByteArray body = "[";
        for (int i = 0; i < 4000; ++i)
            body += (i ? "," : "") + one;
        body += ']';
        QVERIFY(m_server->queue(
            QJsonArray{QJsonObject{{"status", 200},
                                   {"headers", QJsonObject{{"Content-Type", "application/json"}}},
                                   {"body", QString::fromLatin1(body)}}}));
        const CliRun r = runCli(call({QStringLiteral("--format"), QStringLiteral("pretty")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.size() < 3 * body.size(), QByteArray::number(r.out.size()).constData());
        QVERIFY(r.out.startsWith("[\n  [\n    ["));
    }
};

QTEST_GUILESS_MAIN(TestCliLimits)
#include "TestCliLimits.moc"
