#include "BatchCommand.h"

#include "BatchExport.h"
#include "BatchRunner.h"
#include "BatchState.h"
#include "CliCall.h"
#include "CliTemplate.h"
#include "KestraBatchFlow.h"
#include "ProviderCall.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>
#include <cstdio>
#include <unistd.h>

namespace idesk::cli {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("BatchCommand", text);
}

QString duration(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("?");
    const qint64 s = (ms + 999) / 1000;
    return s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60) : QStringLiteral("%1 s").arg(s);
}

// Progress on stderr: a bar redrawn in place on a terminal, one plain line per finished input otherwise.
class ProgressLine
{
public:
    explicit ProgressLine(bool terminal) : m_terminal(terminal) {}
    void item(const BatchRunner::Progress &p, const BatchItemResult &r)
    {
        if (m_terminal) {
            bar(p);
            return;
        }
        printNote(tr("[%1/%2] %3: %4 (%5 ms)%6")
                      .arg(p.done + p.failed)
                      .arg(p.total)
                      .arg(r.key, r.ok ? tr("ok") : tr("failed"))
                      .arg(r.ms)
                      .arg(r.ok ? QString() : QStringLiteral(" ") + r.error));
    }
    void note(const QString &message)
    {
        clear();
        printNote(message);
    }
    void bar(const BatchRunner::Progress &p)
    {
        if (!m_terminal)
            return;
        const int width = 30;
        const int filled = p.total ? (p.done + p.failed) * width / p.total : 0;
        const QString text =
            QStringLiteral("\r[%1%2] %3/%4 done, %5 failed, %6 left ")
                .arg(QString(filled, QLatin1Char('#')), QString(width - filled, QLatin1Char('.')))
                .arg(p.done + p.failed)
                .arg(p.total)
                .arg(p.failed)
                .arg(duration(p.msLeft));
        QTextStream(stderr) << text;
        m_drawn = true;
    }
    void clear()
    {
        if (m_drawn)
            QTextStream(stderr) << "\r\033[K";
        m_drawn = false;
    }

private:
    bool m_terminal;
    bool m_drawn = false;
};
} // namespace

int runBatchCommand(const QStringList &arguments)
{
    QStringList args = arguments;
    QString formatName = QStringLiteral("jsonl");
    QString error;
    bool formatGiven = false;
    // --format here is jsonl|csv, not the shared pretty|json|summary: taken out before the shared parser.
    if (!takeOption(&args, QStringLiteral("format"), &formatName, &formatGiven, &error)) {
        printError(error);
        return 2;
    }
    BatchExport::Format format = BatchExport::Format::Jsonl;
    if (!BatchExport::formatFromName(formatName, &format)) {
        printError(tr("--format takes jsonl or csv for a batch, got \"%1\".").arg(formatName));
        return 2;
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Send one request per input: each file of a folder, each line of a text file, each cell of a CSV "
           "column or each line of a JSONL file. Results (one per input: input, status, ms, answer or "
           "error) go to standard output as they come, or to --output in input order; --format jsonl "
           "(default) or csv (the task's summary columns). With --output the batch's state is kept next to "
           "it (FILE.batch-state.jsonl), so --resume after a cancel or crash sends only the inputs without a "
           "result."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("model"), tr("Model id."), tr("ID")},
        {QStringLiteral("inputs-dir"), tr("A folder: each regular file in it is one input."), tr("DIR")},
        {QStringLiteral("inputs-lines"), tr("A UTF-8 text file: each non-empty line is one input."),
         tr("FILE")},
        {QStringLiteral("inputs-csv"), tr("A CSV file: each cell of --column is one input."), tr("FILE")},
        {QStringLiteral("column"), tr("The CSV column holding the inputs (its header name)."), tr("NAME")},
        {QStringLiteral("inputs-jsonl"),
         tr("A JSONL file: each line one input, a JSON value or {\"inputs\": ...}."), tr("FILE")},
        {QStringLiteral("concurrency"), tr("Requests in flight at most (default 4)."), tr("N"),
         QStringLiteral("4")},
        {QStringLiteral("max-attempts"),
         tr("Sends of one input at most, after 429s, network failures and 5xx answers (default 4)."), tr("N"),
         QStringLiteral("4")},
        {QStringLiteral("resume"),
         tr("Continue the batch of --output: send only the inputs without a result.")},
        {QStringLiteral("retry-failed"), tr("With --resume: send the inputs that failed again too.")},
        {QStringLiteral("export-kestra"),
         tr("Write a Kestra flow running the same requests over the same inputs to FILE instead of sending."),
         tr("FILE")},
    });
    if (!parseCommandLine(
            parser, args, QStringLiteral("batch"),
            tr("name the inputs with --inputs-dir, --inputs-lines, --inputs-csv or --inputs-jsonl.")))
        return 2;

    InferenceRequest templ;
    CallOptions options;
    templ.model = parser.value(QStringLiteral("model")).trimmed();
    if (templ.model.isEmpty()) {
        printError(tr("--model is required, e.g. --model google/vit-base-patch16-224."));
        return 2;
    }
    if (!buildTemplate(parser, &templ, &options))
        return 2;
    if (options.stream) {
        printError(tr("--stream is for one request; a batch keeps whole answers. Leave it out."));
        return 2;
    }
    bool ok = false;
    const int concurrency = parser.value(QStringLiteral("concurrency")).toInt(&ok);
    if (!ok || concurrency < 1 || concurrency > 64) {
        printError(tr("--concurrency takes a number from 1 to 64, got \"%1\".")
                       .arg(parser.value(QStringLiteral("concurrency"))));
        return 2;
    }
    const int maxAttempts = parser.value(QStringLiteral("max-attempts")).toInt(&ok);
    if (!ok || maxAttempts < 1 || maxAttempts > 20) {
        printError(tr("--max-attempts takes a number from 1 to 20, got \"%1\".")
                       .arg(parser.value(QStringLiteral("max-attempts"))));
        return 2;
    }

    // The inputs: exactly one source.
    const QStringList sources{QStringLiteral("inputs-dir"), QStringLiteral("inputs-lines"),
                              QStringLiteral("inputs-csv"), QStringLiteral("inputs-jsonl")};
    QStringList given;
    for (const QString &s : sources)
        if (parser.isSet(s))
            given << QStringLiteral("--") + s;
    if (given.size() != 1) {
        printError(given.isEmpty()
                       ? tr("no inputs: give --inputs-dir DIR, --inputs-lines FILE, --inputs-csv "
                            "FILE --column NAME or --inputs-jsonl FILE.")
                       : tr("give one source of inputs, not %1.").arg(given.join(QLatin1String(", "))));
        return 2;
    }
    if (parser.isSet(QStringLiteral("inputs-csv")) != parser.isSet(QStringLiteral("column"))) {
        printError(tr("--inputs-csv and --column go together: --inputs-csv FILE --column NAME."));
        return 2;
    }
    std::optional<QList<BatchInput>> inputs;
    if (parser.isSet(QStringLiteral("inputs-dir")))
        inputs = BatchInputs::fromDirectory(parser.value(QStringLiteral("inputs-dir")), &error);
    else if (parser.isSet(QStringLiteral("inputs-lines")))
        inputs = BatchInputs::fromLines(parser.value(QStringLiteral("inputs-lines")), &error);
    else if (parser.isSet(QStringLiteral("inputs-csv")))
        inputs = BatchInputs::fromCsv(parser.value(QStringLiteral("inputs-csv")),
                                      parser.value(QStringLiteral("column")), &error);
    else
        inputs = BatchInputs::fromJsonl(parser.value(QStringLiteral("inputs-jsonl")), &error);
    if (!inputs) {
        printError(error);
        return 2;
    }

    if (parser.isSet(QStringLiteral("export-kestra"))) {
        // The same requests over the same inputs, as a flow for Kestra's executors: nothing is sent here.
        KestraExportOptions flowOptions;
        flowOptions.flowId = QStringLiteral("inference_desk_batch");
        const QString yaml = KestraBatchFlow::toYaml(templ, *inputs, concurrency, flowOptions, &error);
        const QString path = parser.value(QStringLiteral("export-kestra"));
        QSaveFile file(path);
        const QByteArray bytes = yaml.toUtf8();
        if (yaml.isEmpty() || !file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() ||
            !file.commit()) {
            printError(yaml.isEmpty() ? error : tr("Cannot write %1: %2.").arg(path, file.errorString()));
            return 2;
        }
        printNote(tr("Wrote %1: a Kestra flow sending the %2 inputs, %3 at once (nothing was sent).")
                      .arg(path)
                      .arg(inputs->size())
                      .arg(concurrency));
        return 0;
    }

    const QString output = options.outputFile;
    const bool resume = parser.isSet(QStringLiteral("resume"));
    if ((resume || parser.isSet(QStringLiteral("retry-failed"))) && output.isEmpty()) {
        printError(tr("--resume continues the batch written to --output FILE; name that file."));
        return 2;
    }
    if (parser.isSet(QStringLiteral("retry-failed")) && !resume) {
        printError(tr("--retry-failed goes with --resume."));
        return 2;
    }
    if (!output.isEmpty() && !resume && QFileInfo::exists(BatchState::pathFor(output))) {
        printError(tr("%1 holds an unfinished batch for %2. Continue it with --resume, or delete it to start "
                      "again.")
                       .arg(BatchState::pathFor(output), output));
        return 2;
    }

    options.token = resolveToken();
    BatchRunner runner;
    runner.setTemplate(templ);
    runner.setInputs(*inputs);
    runner.setConcurrency(concurrency);
    runner.setMaxAttempts(maxAttempts);
    if (!output.isEmpty())
        runner.setStatePath(BatchState::pathFor(output));
    // Each input through SendController (encoding, token policy, provider jobs), set up as a single call.
    runner.setSendSetup(
        [&options](SendController &send, QString *why) { return configureQuietSend(send, options, why); });

    ProgressLine progress(isatty(fileno(stderr)) == 1);
    bool headerWritten = false;
    QObject::connect(&runner, &BatchRunner::itemFinished, [&](int, const BatchItemResult &r) {
        if (output.isEmpty()) {
            // Standard output: each result as it comes (a pipe sees them at once).
            QByteArray bytes;
            if (format == BatchExport::Format::Csv && !headerWritten) {
                bytes += BatchExport::csvHeader(templ.task);
                headerWritten = true;
            }
            bytes += format == BatchExport::Format::Csv ? BatchExport::csvRow(r, templ.task)
                                                        : BatchExport::jsonlLine(r);
            progress.clear();
            printOut(bytes, false);
            fflush(stdout);
        }
        progress.item(runner.progress(), r);
    });
    QObject::connect(&runner, &BatchRunner::rateLimited,
                     [&](qint64, const QString &message) { progress.note(message); });
    QObject::connect(&runner, &BatchRunner::waitingForModel, [&](int index, int, const QString &message) {
        progress.note(QStringLiteral("%1: %2").arg(inputs->value(index).key, message));
    });
    QObject::connect(&runner, &BatchRunner::noted,
                     [&](const QString &message) { progress.note(tr("note: %1").arg(message)); });
    QObject::connect(&runner, &BatchRunner::itemStarted, [&](int) { progress.bar(runner.progress()); });

    QEventLoop loop;
    QString stopped;
    QObject::connect(&runner, &BatchRunner::finished, &loop, [&](const QString &why) {
        stopped = why;
        loop.quit();
    });
    if (!runner.start(resume, &error, parser.isSet(QStringLiteral("retry-failed")))) {
        printError(error);
        return 2;
    }
    loop.exec();
    progress.clear();
    if (!stopped.isEmpty()) {
        printError(stopped);
        return 2;
    }
    const QList<BatchItemResult> results = runner.results();
    if (!output.isEmpty() && !BatchExport::write(results, templ.task, format, output, &error)) {
        printError(error);
        return 2;
    }
    int failed = 0;
    for (const BatchItemResult &r : results)
        failed += r.ok ? 0 : 1;
    if (failed > 0) {
        printError(
            output.isEmpty()
                ? tr("%1 of %2 inputs failed; each one's error is in its result.")
                      .arg(failed)
                      .arg(results.size())
                : tr("%1 of %2 inputs failed; each one's error is in %3. Send them again with --resume "
                     "--retry-failed.")
                      .arg(failed)
                      .arg(results.size())
                      .arg(output));
        return 1;
    }
    printNote(tr("%1 inputs done (%2 sent in this run).").arg(results.size()).arg(runner.sentCount()));
    return 0;
}

} // namespace idesk::cli
