// BatchRunner against the loopback replay server: every input gets exactly one result, the server never
// sees more requests at once than the concurrency limit, a 429 pauses every worker for its Retry-After
// counted from when the answer arrived, a 503 "loading" waits as single requests do, retries are bounded,
// and a resumed batch sends only the inputs that have no result. Also the CSV reader, the Retry-After and
// RateLimit readers, and the exports.

#include "BatchExport.h"
#include "BatchInput.h"
#include "BatchRunner.h"
#include "BatchState.h"
#include "BatchTableModel.h"
#include "CsvTable.h"
#include "InferenceClient.h"
#include "KestraBatchFlow.h"
#include "KestraFlow.h"
#include "ReplayServer.h"
#include "RetryAfter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;
using idesk::test::ReplayServer;

namespace {

QJsonObject answerFor(const QString &input, int status, const QByteArray &body, int delayMs,
                      const QJsonObject &headers = {})
{
    QJsonObject behaviour{{QStringLiteral("delay_first_byte_ms"), delayMs}};
    if (!input.isEmpty())
        behaviour.insert(QStringLiteral("match_body"), QStringLiteral("\"%1\"").arg(input));
    return ReplayServer::answerWith(status, QStringLiteral("application/json"), body, headers, behaviour);
}

QByteArray labels(const QString &label)
{
    return QStringLiteral("[{\"label\":\"%1\",\"score\":0.9},{\"label\":\"other\",\"score\":0.1}]")
        .arg(label)
        .toUtf8();
}

QString inputOf(const QJsonValue &request)
{
    return QJsonDocument::fromJson(ReplayServer::body(request.toObject()))
        .object()
        .value(QStringLiteral("inputs"))
        .toString();
}

QList<BatchInput> textInputs(int n)
{
    QList<BatchInput> inputs;
    for (int i = 1; i <= n; ++i)
        inputs << BatchInput{QStringLiteral("line %1").arg(i), QString(),
                             QStringLiteral("input-%1").arg(i, 2, 10, QLatin1Char('0'))};
    return inputs;
}

} // namespace

class TestBatchRunner : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ReplayServer> m_server;

    InferenceRequest templ() const
    {
        InferenceRequest r;
        r.endpoint = m_server->urlString() + QStringLiteral("/models");
        r.model = QStringLiteral("org/model");
        r.task = QStringLiteral("text-classification");
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ReplayServer>();
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
    }
    void init() { QVERIFY(m_server->reset()); }

    void csvReadsQuotedFields()
    {
        CsvTable::Table t;
        QString error;
        QVERIFY2(CsvTable::parse(
                     "\xEF\xBB\xBFid,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\nsecond line\"\n\n3,plain\n",
                     &t, &error),
                 qPrintable(error));
        QCOMPARE(t.header, QStringList({"id", "text"}));
        QCOMPARE(t.rows.size(), 3);
        QCOMPARE(t.rows.at(0).at(1), QStringLiteral("a, b"));
        QCOMPARE(t.rows.at(1).at(1), QStringLiteral("say \"hi\"\nsecond line"));
        QCOMPARE(t.rows.at(2), QStringList({"3", "plain"}));
        QCOMPARE(t.lines, QList<int>({2, 3, 6}));
        QVERIFY(!CsvTable::parse("a,b\n1,\"open\n", &t, &error));
        QVERIFY2(error.contains(QLatin1String("line 2")), qPrintable(error));
        QVERIFY(!CsvTable::parse("a\nx\"y\n", &t, &error));
        // Written back, a field reads as it was.
        const QString tricky = QStringLiteral(" lead, \"q\"\nline ");
        QVERIFY(CsvTable::parse(CsvTable::record({"h"}) + CsvTable::record({tricky}), &t, &error));
        QCOMPARE(t.rows.at(0).at(0), tricky);
    }

    void inputsFromFiles()
    {
        QTemporaryDir dir;
        QFile csv(dir.filePath("in.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("id,text\n1,\"hello, world\"\n2,\n3,bye\n");
        csv.close();
        QString error;
        auto inputs = BatchInputs::fromCsv(csv.fileName(), QStringLiteral("text"), &error);
        QVERIFY2(inputs, qPrintable(error));
        QCOMPARE(inputs->size(), 2);
        QCOMPARE(inputs->at(0).value.toString(), QStringLiteral("hello, world"));
        QCOMPARE(inputs->at(1).key, QStringLiteral("row 3"));
        QVERIFY(!BatchInputs::fromCsv(csv.fileName(), QStringLiteral("nope"), &error));
        QVERIFY2(error.contains(QLatin1String("id, text")), qPrintable(error));

        QFile jsonl(dir.filePath("in.jsonl"));
        QVERIFY(jsonl.open(QIODevice::WriteOnly));
        jsonl.write("{\"inputs\": \"a\"}\n\n\"b\"\n{\"question\": \"q\", \"context\": \"c\"}\n");
        jsonl.close();
        inputs = BatchInputs::fromJsonl(jsonl.fileName(), &error);
        QVERIFY2(inputs, qPrintable(error));
        QCOMPARE(inputs->size(), 3);
        QCOMPARE(inputs->at(0).value.toString(), QStringLiteral("a"));
        QCOMPARE(inputs->at(1).key, QStringLiteral("line 3"));
        QVERIFY(inputs->at(2).value.isObject());

        QVERIFY(QDir(dir.path()).mkdir("imgs"));
        for (const char *name : {"b.png", "a.png", ".hidden"}) {
            QFile f(dir.filePath(QStringLiteral("imgs/") + QLatin1String(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("\x89PNG\r\n\x1a\n");
        }
        inputs = BatchInputs::fromDirectory(dir.filePath("imgs"), &error);
        QVERIFY2(inputs, qPrintable(error));
        QCOMPARE(inputs->size(), 2);
        QCOMPARE(inputs->at(0).key, QStringLiteral("a.png"));
        InferenceRequest req;
        InferenceRequest image = templ();
        image.task = QStringLiteral("image-classification");
        QVERIFY2(BatchInputs::apply(image, inputs->at(0), &req, &error), qPrintable(error));
        QCOMPARE(req.file.mimeType, QStringLiteral("image/png"));
        // A text file is not an image.
        QVERIFY(!BatchInputs::apply(image, BatchInput{"x", csv.fileName(), {}}, &req, &error));
        QVERIFY2(error.contains(QLatin1String("not an image")), qPrintable(error));
    }

    void retryAfterForms()
    {
        const QDateTime arrived = RetryAfter::httpDate("Sun, 06 Dec 2026 07:00:00 GMT");
        QVERIFY(arrived.isValid());
        QCOMPARE(arrived, QDateTime(QDate(2026, 12, 6), QTime(7, 0), Qt::UTC));
        QCOMPARE(RetryAfter::retryAfterMs("1", arrived), 1000);
        QCOMPARE(RetryAfter::retryAfterMs("Sun, 06 Dec 2026 07:00:07 GMT", arrived), 7000);
        QCOMPARE(RetryAfter::retryAfterMs("Sun, 06 Dec 2026 06:59:00 GMT", arrived), 0);
        QCOMPARE(RetryAfter::retryAfterMs("soon", arrived), -1);
        QCOMPARE(RetryAfter::rateLimitResetMs("\"default\";r=0;t=5"), 5000);
        QCOMPARE(RetryAfter::rateLimitResetMs("limit=10, remaining=0, reset=3"), 3000);
        QCOMPARE(RetryAfter::rateLimitResetMs("\"a\";r=0;t=2, \"b\";r=0;t=9"), 9000);
        QCOMPARE(RetryAfter::rateLimitResetMs("limit=10"), -1);
        InferenceResult r;
        r.headers = {{"RateLimit", "\"default\";r=0;t=4"}};
        QCOMPARE(RetryAfter::waitMs(r, arrived), 4000);
        r.headers << qMakePair(QByteArray("Retry-After"), QByteArray("2"));
        QCOMPARE(RetryAfter::waitMs(r, arrived), 2000); // Retry-After wins
    }

    void everyInputOnceWithinTheLimit()
    {
        const int n = 12, limit = 3;
        QJsonArray queue;
        const QJsonObject retry1{{QStringLiteral("Retry-After"), QStringLiteral("1")}};
        for (int i = 1; i <= n; ++i) {
            const QString input = QStringLiteral("input-%1").arg(i, 2, 10, QLatin1Char('0'));
            if (i == 4 || i == 7)
                queue << answerFor(input, 429, R"({"error":"rate limited"})", 100, retry1);
            if (i == 9)
                queue << answerFor(
                    input, 503, R"({"error":"Model org/model is currently loading","estimated_time":1})", 50);
            queue << answerFor(input, 200, labels(input), 150);
        }
        QVERIFY(m_server->queue(queue));

        BatchRunner runner;
        runner.setTemplate(templ());
        runner.setInputs(textInputs(n));
        runner.setConcurrency(limit);
        QSignalSpy finished(&runner, &BatchRunner::finished);
        QSignalSpy items(&runner, &BatchRunner::itemFinished);
        QSignalSpy rateLimited(&runner, &BatchRunner::rateLimited);
        QSignalSpy loading(&runner, &BatchRunner::waitingForModel);
        QString error;
        QVERIFY2(runner.start(false, &error), qPrintable(error));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toString(), QString());

        // Exactly one result per input, each well.
        QCOMPARE(items.size(), n);
        QSet<int> seen;
        for (const auto &args : items)
            seen.insert(args.at(0).toInt());
        QCOMPARE(seen.size(), n);
        const QList<BatchItemResult> results = runner.results();
        QCOMPARE(results.size(), n);
        for (int i = 0; i < n; ++i) {
            QVERIFY2(results.at(i).ok, qPrintable(results.at(i).error));
            QCOMPARE(results.at(i).summary.value("label").toString(),
                     QStringLiteral("input-%1").arg(i + 1, 2, 10, QLatin1Char('0')));
        }
        QCOMPARE(results.at(3).attempts, 2);
        // The table the app shows: one row per input, the summary columns, status and latency.
        BatchTableModel model(&runner);
        model.setRunner(&runner);
        QCOMPARE(model.rowCount(), n);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("Label"));
        QCOMPARE(model.index(3, 1).data().toString(), QStringLiteral("input-04"));
        QCOMPARE(model.index(3, 2).data().toString(), QStringLiteral("90.0%"));
        QCOMPARE(model.index(3, model.statusColumn()).data().toString(), QStringLiteral("ok"));
        QVERIFY(model.index(3, model.latencyColumn()).data().toString().endsWith(QLatin1String(" ms")));
        QCOMPARE(runner.progress().done, n);
        QCOMPARE(rateLimited.size(), 2);
        QCOMPARE(loading.size(), 1);

        const QJsonArray log = m_server->requests();
        QCOMPARE(log.size(), n + 3); // two 429s and one 503 sent again
        int most = 0;
        for (const auto &r : log)
            most = qMax(most, r.toObject().value("in_flight").toInt());
        QVERIFY2(most <= limit, qPrintable(QStringLiteral("%1 requests at once").arg(most)));
        QVERIFY2(most >= 2, "the batch ran one request at a time");

        // Each 429: nothing of the batch went out for the second it asked (the model-loading wait of a
        // single request runs in its own client), and the input went again after it.
        int checked = 0;
        for (const auto &r : log) {
            const QJsonObject o = r.toObject();
            if (o.value("response_status").toInt() != 429)
                continue;
            const double answered = o.value("finished_at").toDouble();
            bool retried = false;
            for (const auto &later : log) {
                const QJsonObject l = later.toObject();
                const double at = l.value("received_at").toDouble();
                if (at <= answered)
                    continue;
                if (ReplayServer::header(l, "x-wait-for-model") != QLatin1String("true"))
                    QVERIFY2(at - answered >= 1.0,
                             qPrintable(QStringLiteral("%1 sent %2 s after a 429 asking for 1 s")
                                            .arg(inputOf(l))
                                            .arg(at - answered)));
                retried = retried || inputOf(l) == inputOf(o);
            }
            QVERIFY(retried);
            ++checked;
        }
        QCOMPARE(checked, 2);

        // Exports: the JSONL has every input once, the CSV the summary columns.
        const QByteArray jsonl =
            BatchExport::render(results, "text-classification", BatchExport::Format::Jsonl);
        QCOMPARE(jsonl.count('\n'), n);
        const QJsonObject first = QJsonDocument::fromJson(jsonl.split('\n').first()).object();
        QCOMPARE(first.value("input").toString(), QStringLiteral("input-01"));
        QCOMPARE(first.value("status").toString(), QStringLiteral("ok"));
        QVERIFY(first.value("answer").isArray());
        QVERIFY(first.value("ms").toInt() >= 150);
        CsvTable::Table table;
        QVERIFY(CsvTable::parse(BatchExport::render(results, "text-classification", BatchExport::Format::Csv),
                                &table, &error));
        QCOMPARE(table.header,
                 QStringList({"input", "label", "score", "status", "http_status", "ms", "error"}));
        QCOMPARE(table.rows.size(), n);
        QCOMPARE(table.rows.at(3).at(1), QStringLiteral("input-04"));
        QCOMPARE(table.rows.at(3).at(2), QStringLiteral("0.9"));
    }

    void moreThanSixAtOnce()
    {
        // One QNetworkAccessManager opens six connections to a host at most: a limit of 8 still means 8.
        QJsonArray queue;
        for (int i = 1; i <= 16; ++i)
            queue << answerFor(QStringLiteral("input-%1").arg(i, 2, 10, QLatin1Char('0')), 200,
                               labels(QStringLiteral("x")), 1500); // long enough that all 8 overlap, even
                                                                   // on a loaded machine
        QVERIFY(m_server->queue(queue));
        BatchRunner runner;
        runner.setTemplate(templ());
        runner.setInputs(textInputs(16));
        runner.setConcurrency(8);
        QSignalSpy finished(&runner, &BatchRunner::finished);
        QString error;
        QVERIFY(runner.start(false, &error));
        QVERIFY(finished.wait(20000));
        QCOMPARE(runner.progress().done, 16);
        int most = 0;
        for (const auto &r : m_server->requests())
            most = qMax(most, r.toObject().value("in_flight").toInt());
        QVERIFY2(most >= 7 && most <= 8, qPrintable(QString::number(most)));
    }

    void retriesAreBounded()
    {
        QJsonArray queue;
        for (int i = 0; i < 3; ++i)
            queue << answerFor("input-01", 502, R"({"error":"bad gateway"})", 0);
        queue << answerFor("input-02", 400, R"({"error":"bad input"})", 0);
        QVERIFY(m_server->queue(queue));
        BatchRunner runner;
        runner.setTemplate(templ());
        runner.setInputs(textInputs(2));
        runner.setMaxAttempts(3);
        runner.setRetryBackoffMs(20);
        QSignalSpy finished(&runner, &BatchRunner::finished);
        QSignalSpy items(&runner, &BatchRunner::itemFinished);
        QString error;
        QVERIFY(runner.start(false, &error));
        QVERIFY(finished.wait(20000));
        QCOMPARE(items.size(), 2);
        const auto results = runner.results();
        QCOMPARE(results.at(0).attempts, 3);
        QCOMPARE(results.at(0).httpStatus, 502);
        QVERIFY(!results.at(0).ok);
        QCOMPARE(results.at(1).attempts, 1); // a 400 is the request's fault: not sent again
        QVERIFY(!results.at(1).error.isEmpty());
        QCOMPARE(m_server->requests().size(), 4);
        QCOMPARE(runner.progress().failed, 2);

        // The failed inputs again, on their own: one request each, the results replaced.
        QVERIFY(m_server->reset());
        QVERIFY(m_server->queue({answerFor("input-01", 200, labels("input-01"), 0),
                                 answerFor("input-02", 200, labels("input-02"), 0)}));
        items.clear();
        QVERIFY2(runner.rerunFailed(&error), qPrintable(error));
        QVERIFY(finished.wait(20000));
        QCOMPARE(items.size(), 2);
        QCOMPARE(m_server->requests().size(), 2);
        QCOMPARE(runner.progress().done, 2);
        QCOMPARE(runner.progress().failed, 0);
        QVERIFY(!runner.rerunFailed(&error)); // nothing failed any more
        QVERIFY2(error.contains(QLatin1String("No input failed")), qPrintable(error));
    }

    void resumeSendsOnlyUnfinished()
    {
        QTemporaryDir dir;
        const QString state = BatchState::pathFor(dir.filePath("out.jsonl"));
        const int n = 6;
        QJsonArray queue;
        for (int i = 1; i <= n; ++i) {
            const QString input = QStringLiteral("input-%1").arg(i, 2, 10, QLatin1Char('0'));
            queue << answerFor(input, 200, labels(input), i <= 2 ? 50 : 3000);
        }
        QVERIFY(m_server->queue(queue));
        QStringList firstRun;
        {
            BatchRunner runner;
            runner.setTemplate(templ());
            runner.setInputs(textInputs(n));
            runner.setConcurrency(2);
            runner.setStatePath(state);
            QSignalSpy items(&runner, &BatchRunner::itemFinished);
            QString error;
            QVERIFY2(runner.start(false, &error), qPrintable(error));
            QTRY_COMPARE_WITH_TIMEOUT(items.size(), 2, 10000);
            runner.cancel(); // inputs 3 and 4 in flight, 5 and 6 waiting
            QVERIFY(!runner.isRunning());
            for (const auto &r : runner.results())
                firstRun << r.label;
        }
        QCOMPARE(firstRun, QStringList({"input-01", "input-02"}));
        QVERIFY(QFile::exists(state));
        // A crash in the middle of a line leaves it torn: it reads as nothing.
        {
            QFile f(state);
            QVERIFY(f.open(QIODevice::Append));
            f.write("{\"key\":\"line 5\",\"status\":\"o");
        }
        QVERIFY(m_server->reset());
        QJsonArray more;
        for (int i = 3; i <= n; ++i) {
            const QString input = QStringLiteral("input-%1").arg(i, 2, 10, QLatin1Char('0'));
            more << answerFor(input, 200, labels(input), 50);
        }
        QVERIFY(m_server->queue(more));

        BatchRunner resumed;
        resumed.setTemplate(templ());
        resumed.setInputs(textInputs(n));
        resumed.setStatePath(state);
        QSignalSpy finished(&resumed, &BatchRunner::finished);
        QString error;
        QVERIFY2(resumed.start(true, &error), qPrintable(error));
        QVERIFY(finished.wait(20000));
        QStringList sent;
        for (const auto &r : m_server->requests())
            sent << inputOf(r);
        sent.sort();
        QCOMPARE(sent, QStringList({"input-03", "input-04", "input-05", "input-06"}));
        QCOMPARE(resumed.results().size(), n);
        QCOMPARE(resumed.sentCount(), 4);
        QVERIFY(!QFile::exists(state)); // complete: nothing left to resume

        // Another model's state is not resumed.
        BatchRunner other;
        InferenceRequest t = templ();
        t.model = QStringLiteral("org/other");
        other.setTemplate(t);
        other.setInputs(textInputs(1));
        other.setStatePath(state);
        QVERIFY(!other.start(true, &error));
        QVERIFY2(error.contains(QLatin1String("does not exist")), qPrintable(error));
    }

    void kestraFlowParsesBack()
    {
        InferenceRequest t = templ();
        t.parameters = QJsonObject{{QStringLiteral("top_k"), 2}};
        const QList<BatchInput> inputs{
            BatchInput{"line 1", {}, QStringLiteral("plain text")},
            BatchInput{"line 2", {}, QStringLiteral("with {{ braces }} and \"quotes\"")},
            BatchInput{"line 3", {}, QStringLiteral("third")}};
        QString error;
        const QString yaml = KestraBatchFlow::toYaml(t, inputs, 3, KestraExportOptions(), &error);
        QVERIFY2(!yaml.isEmpty(), qPrintable(error));
        QVERIFY2(yaml.contains(QLatin1String("io.kestra.plugin.core.flow.ForEach")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QLatin1String("concurrencyLimit: 3")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QLatin1String("{{ taskrun.value }}")), qPrintable(yaml));
        QVERIFY(!yaml.contains(QLatin1String("hf_")));
        QTemporaryDir dir;
        const auto flow = KestraFlow::parse(yaml.toUtf8(), dir.path(), {}, &error);
        QVERIFY2(flow, qPrintable(error + QLatin1Char('\n') + yaml));
        QCOMPARE(flow->tasks.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const KestraTask &task = flow->tasks.at(i);
            QCOMPARE(task.id, QStringLiteral("huggingface_inference_%1").arg(i + 1));
            QCOMPARE(task.request.inputs.toString(), inputs.at(i).value.toString());
            QCOMPARE(task.request.model, t.model);
            QCOMPARE(task.request.endpoint, t.endpoint);
            QCOMPARE(task.request.parameters, t.parameters);
            QCOMPARE(task.apiKeySecretName, QStringLiteral("HUGGINGFACE_API_KEY"));
        }
        // Images go base64-encoded, as Kestra sends them.
        QFile png(dir.filePath("a.png"));
        QVERIFY(png.open(QIODevice::WriteOnly));
        png.write("\x89PNG\r\n\x1a\nrest");
        png.close();
        InferenceRequest image = templ();
        image.task = QStringLiteral("image-classification");
        const QString imageYaml = KestraBatchFlow::toYaml(image, BatchInputs::fromFiles({png.fileName()}), 1,
                                                          KestraExportOptions(), &error);
        const auto imageFlow = KestraFlow::parse(imageYaml.toUtf8(), dir.path(), {}, &error);
        QVERIFY2(imageFlow, qPrintable(error));
        QCOMPARE(imageFlow->tasks.at(0).request.inputs.toString(),
                 QString::fromLatin1(QByteArray("\x89PNG\r\n\x1a\nrest").toBase64()));
        // Chat goes in an HTTP Request's JSON body: refused with a sentence.
        InferenceRequest chat = templ();
        chat.task = QStringLiteral("chat-completion");
        QVERIFY(KestraBatchFlow::toYaml(chat, inputs, 2, KestraExportOptions(), &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("cannot be exported")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestBatchRunner)
#include "TestBatchRunner.moc"
