// inference-desk-cli and the history: call records into INFERENCE_DESK_HISTORY, `history list | search |
// show | export | delete | rerun` read it back, --no-history writes nothing, the app's recorder and the CLI
// share one file, and the file never holds the token.
#include "CliRunner.h"
#include "HistoryRecorder.h"
#include "HistoryStore.h"
#include "SavedResult.h"
#include "TestConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::ReplayServer;
using idesk::test::runCli;

class TestCliHistory : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_dir;
    int m_fileNumber = 0;
    QString m_history;

    QString endpoint() const { return m_server->urlString() + QStringLiteral("/hf-inference/models"); }
    CliOptions options() const
    {
        CliOptions o;
        o.token = QStringLiteral("hf_cliHistoryToken0123456789abc");
        o.set.insert(QStringLiteral("INFERENCE_DESK_HISTORY"), m_history);
        o.failIfTokenPrinted = true;
        return o;
    }
    CliRun call(const QString &input, const QStringList &extra = {})
    {
        if (!m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")))
            return {};
        return runCli(QStringList{QStringLiteral("call"), QStringLiteral("--model"),
                                  QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest"),
                                  QStringLiteral("--task"), QStringLiteral("text-classification"),
                                  QStringLiteral("--inputs"), input, QStringLiteral("--endpoint"),
                                  endpoint()} +
                          extra,
                      options());
    }
    QJsonArray listJson(const QStringList &args)
    {
        const CliRun r = runCli(QStringList{QStringLiteral("history")} + args +
                                    QStringList{QStringLiteral("--format"), QStringLiteral("json")},
                                options());
        if (r.exitCode != 0)
            qWarning() << r.err;
        return QJsonDocument::fromJson(r.out).array();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
    }
    void init()
    {
        QVERIFY(m_server->reset());
        m_history = m_dir.filePath(QStringLiteral("history-%1.sqlite").arg(++m_fileNumber));
    }

    void callIsRecordedAndListed()
    {
        const CliRun r = call(QStringLiteral("I want a refund"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray entries = listJson({QStringLiteral("list")});
        QCOMPARE(entries.size(), 1);
        const QJsonObject e = entries.first().toObject();
        QVERIFY(e.value(QStringLiteral("id")).toInteger() > 0);
        QCOMPARE(e.value(QStringLiteral("model")).toString(),
                 QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest"));
        QCOMPARE(e.value(QStringLiteral("task")).toString(), QStringLiteral("text-classification"));
        QCOMPARE(e.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(e.value(QStringLiteral("source")).toString(), QStringLiteral("cli"));
        QVERIFY(e.value(QStringLiteral("ms")).isDouble());
        QVERIFY(
            QDateTime::fromString(e.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs).isValid());
        QCOMPARE(e.value(QStringLiteral("request")).toObject().value(QStringLiteral("inputs")).toString(),
                 QStringLiteral("I want a refund"));
    }

    void searchShowExportDelete()
    {
        QVERIFY(call(QStringLiteral("I want a refund")).exitCode == 0);
        QVERIFY(call(QStringLiteral("the weather is fine")).exitCode == 0);
        QCOMPARE(listJson({QStringLiteral("list")}).size(), 2);
        const QJsonArray found = listJson({QStringLiteral("search"), QStringLiteral("refund")});
        QCOMPARE(found.size(), 1);
        const QString id = QString::number(found.first().toObject().value(QStringLiteral("id")).toInteger());
        // A label of the recorded answer finds both (the same recording answered both).
        const QByteArray answer =
            QJsonDocument::fromJson(runCli({QStringLiteral("history"), QStringLiteral("show"), id,
                                            QStringLiteral("--format"), QStringLiteral("json")},
                                           options())
                                        .out)
                .object()
                .value(QStringLiteral("answer"))
                .toObject()
                .value(QStringLiteral("body_text"))
                .toString()
                .toUtf8();
        const QJsonValue first = QJsonDocument::fromJson(answer).array().first();
        const QJsonObject top = first.isArray() ? first.toArray().first().toObject() : first.toObject();
        const QString label = top.value(QStringLiteral("label")).toString();
        QVERIFY2(!label.isEmpty(), answer.constData());
        QCOMPARE(listJson({QStringLiteral("search"), label}).size(), 2);

        const CliRun pretty = runCli({QStringLiteral("history"), QStringLiteral("show"), id}, options());
        QCOMPARE(pretty.exitCode, 0);
        QVERIFY(pretty.out.contains("I want a refund"));

        const QString file = m_dir.filePath(QStringLiteral("exported-%1.json").arg(m_fileNumber));
        const CliRun exported =
            runCli({QStringLiteral("history"), QStringLiteral("export"), id, file}, options());
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QString error;
        const auto saved = idesk::SavedResult::load(file, &error);
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->request.inputs.toString(), QStringLiteral("I want a refund"));
        QCOMPARE(saved->result.status, 200);

        QCOMPARE(runCli({QStringLiteral("history"), QStringLiteral("delete"), id}, options()).exitCode, 0);
        QCOMPARE(listJson({QStringLiteral("list")}).size(), 1);
        const CliRun again = runCli({QStringLiteral("history"), QStringLiteral("show"), id}, options());
        QCOMPARE(again.exitCode, 2);
        QVERIFY(again.err.contains("no history entry"));
        const CliRun bad =
            runCli({QStringLiteral("history"), QStringLiteral("show"), QStringLiteral("x")}, options());
        QCOMPARE(bad.exitCode, 2);
    }

    void rerunSendsTheSameRequest()
    {
        QVERIFY(call(QStringLiteral("say it again")).exitCode == 0);
        const QString id = QString::number(
            listJson({QStringLiteral("list")}).first().toObject().value(QStringLiteral("id")).toInteger());
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queueFile(QStringLiteral("kestra/text-classification-0.json")));
        const CliRun r = runCli({QStringLiteral("history"), QStringLiteral("rerun"), id}, options());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_server->onlyRequestJson().value(QStringLiteral("inputs")).toString(),
                 QStringLiteral("say it again"));
        const QJsonArray entries = listJson({QStringLiteral("list")});
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.first().toObject().value(QStringLiteral("source")).toString(),
                 QStringLiteral("rerun:") + id);
    }

    void noHistoryWritesNothing()
    {
        QVERIFY(call(QStringLiteral("keep this one")).exitCode == 0);
        QVERIFY(QFile::exists(m_history));
        const CliRun r = call(QStringLiteral("secret thoughts"), {QStringLiteral("--no-history")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(listJson({QStringLiteral("list")}).size(), 1);
        QVERIFY(listJson({QStringLiteral("search"), QStringLiteral("thoughts")}).isEmpty());
        // And with no history file yet, none is created.
        m_history = m_dir.filePath(QStringLiteral("never-%1.sqlite").arg(m_fileNumber));
        QVERIFY(call(QStringLiteral("secret thoughts"), {QStringLiteral("--no-history")}).exitCode == 0);
        QVERIFY(!QFile::exists(m_history));
    }

    void appAndCliShareOneFile()
    {
        QVERIFY(call(QStringLiteral("from the terminal")).exitCode == 0);
        {
            idesk::HistoryRecorder app(m_history); // what the app's window records through
            app.setEnabled(true);
            QSignalSpy recorded(&app, &idesk::HistoryRecorder::recorded);
            idesk::InferenceRequest request;
            request.model = QStringLiteral("dslim/bert-base-NER");
            request.task = QStringLiteral("token-classification");
            request.inputs = QStringLiteral("from the window");
            idesk::InferenceResult result;
            result.status = 200;
            result.contentType = QStringLiteral("application/json");
            result.body = R"([{"entity_group":"LOC","word":"Berlin","score":0.99,"start":0,"end":6}])";
            app.record(request, result, QStringLiteral("app"));
            QVERIFY(recorded.wait(10000));
        }
        const QJsonArray entries = listJson({QStringLiteral("list")});
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(0).toObject().value(QStringLiteral("source")).toString(), QStringLiteral("app"));
        QCOMPARE(entries.at(1).toObject().value(QStringLiteral("source")).toString(), QStringLiteral("cli"));
        QCOMPARE(listJson({QStringLiteral("search"), QStringLiteral("Berlin")}).size(), 1);
        QCOMPARE(listJson({QStringLiteral("list"), QStringLiteral("--task"),
                           QStringLiteral("token-classification")})
                     .size(),
                 1);
    }

    void fileNeverHoldsTheToken()
    {
        QVERIFY(call(QStringLiteral("token check")).exitCode == 0);
        const QJsonArray received = m_server->requests();
        QCOMPARE(ReplayServer::header(received.first(), QStringLiteral("authorization")),
                 QStringLiteral("Bearer hf_cliHistoryToken0123456789abc")); // it was sent...
        QByteArray bytes;
        for (const QString &name : {m_history, m_history + QStringLiteral("-wal")}) {
            QFile f(name);
            if (f.open(QIODevice::ReadOnly))
                bytes += f.readAll();
        }
        QVERIFY(bytes.contains("token check"));
        QVERIFY(!bytes.contains("hf_cliHistoryToken0123456789abc")); // ...and never kept
    }

    void unreadableFileIsANoteNotAFailure()
    {
        QFile f(m_history);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("garbage, not SQLite ").repeated(300));
        f.close();
        const CliRun r = call(QStringLiteral("after the crash"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("moved to"), r.err.constData());
        QCOMPARE(listJson({QStringLiteral("list")}).size(), 1);
    }

    void badUsage()
    {
        for (const QStringList &args :
             {QStringList{QStringLiteral("history")},
              QStringList{QStringLiteral("history"), QStringLiteral("frob")},
              QStringList{QStringLiteral("history"), QStringLiteral("export"), QStringLiteral("1")},
              QStringList{QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--limit"),
                          QStringLiteral("-3")}}) {
            const CliRun r = runCli(args, options());
            QVERIFY2(r.exitCode == 2, qPrintable(args.join(QLatin1Char(' '))));
            QVERIFY(!r.err.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestCliHistory)
#include "TestCliHistory.moc"
