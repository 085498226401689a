#include "CompareCommand.h"

#include "BatchInput.h"
#include "BatchResult.h"
#include "CliCall.h"
#include "CliTemplate.h"
#include "ProviderCall.h"
#include "ProviderJob.h"
#include "ResultShape.h"
#include "SendController.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <memory>
#include <vector>

namespace idesk::cli {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CompareCommand", text);
}

struct Column
{
    QString model;
    InferenceRequest request;
    std::unique_ptr<SendController> send;
    std::optional<InferenceResult> result;
};

// The one input of the comparison, as a batch input (a value, or a file read when it is sent).
bool readInput(const QCommandLineParser &parser, BatchInput *input, QString *error)
{
    const int given = int(parser.isSet(QStringLiteral("inputs"))) +
                      int(parser.isSet(QStringLiteral("inputs-json"))) +
                      int(parser.isSet(QStringLiteral("inputs-file")));
    if (given != 1) {
        *error = given == 0
                     ? tr("no input: give --inputs TEXT, --inputs-json JSON or --inputs-file PATH.")
                     : tr("give the input once: --inputs TEXT, --inputs-json JSON or --inputs-file PATH.");
        return false;
    }
    input->key = QStringLiteral("input");
    if (parser.isSet(QStringLiteral("inputs"))) {
        input->value = parser.value(QStringLiteral("inputs"));
    } else if (parser.isSet(QStringLiteral("inputs-json"))) {
        const QJsonDocument doc =
            QJsonDocument::fromJson("[" + parser.value(QStringLiteral("inputs-json")).toUtf8() + "]");
        if (doc.array().size() != 1) {
            *error = tr("--inputs-json is not one valid JSON value.");
            return false;
        }
        input->value = doc.array().at(0);
    } else {
        input->filePath = parser.value(QStringLiteral("inputs-file"));
    }
    return true;
}

QString statusText(const InferenceResult &r)
{
    if (r.status)
        return QStringLiteral("%1 %2").arg(r.status).arg(QString::fromLatin1(r.reason)).trimmed();
    return r.ok() ? tr("ok") : tr("failed");
}
} // namespace

int runCompareCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Send the same input to two to four models at once and print their answers side by side, in the "
           "order the models were given (--format pretty, or json: an array of {model, provider, status, "
           "http_status, ms, answer | error})."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("model"), tr("A model id; give two to four."), tr("ID")},
        {QStringLiteral("inputs"), tr("The input text."), tr("TEXT")},
        {QStringLiteral("inputs-json"), tr("The inputs as JSON."), tr("JSON")},
        {QStringLiteral("inputs-file"), tr("An input file (an image, audio, or the text of a text task)."),
         tr("PATH")},
    });
    if (!parseCommandLine(parser, args, QStringLiteral("compare"), tr("give the input with --inputs.")))
        return 2;
    const QStringList models = parser.values(QStringLiteral("model"));
    if (models.size() < 2 || models.size() > 4) {
        printError(tr("compare takes two to four --model options, got %1.").arg(models.size()));
        return 2;
    }
    InferenceRequest templ;
    CallOptions options;
    QString error;
    if (!buildTemplate(parser, &templ, &options))
        return 2;
    if (options.format == QLatin1String("summary"))
        options.format = QStringLiteral("pretty"); // pretty is the summary of each answer
    if (options.stream || !options.outputFile.isEmpty() || !options.saveResultFile.isEmpty()) {
        printError(
            tr("compare prints its answers together: leave out --stream, --output and --save-result."));
        return 2;
    }
    BatchInput input;
    if (!readInput(parser, &input, &error)) {
        printError(error);
        return 2;
    }
    options.token = resolveToken();
    const QString provider = providerOption(parser);

    std::vector<Column> columns(models.size());
    int pending = 0;
    QEventLoop loop;
    for (int i = 0; i < models.size(); ++i) {
        Column &c = columns[i];
        c.model = models.at(i).trimmed();
        templ.model = c.model;
        if (!BatchInputs::apply(templ, input, &c.request, &error)) {
            printError(error);
            return 2;
        }
        // Through SendController, as `call` sends: encoding, token policy, provider jobs.
        c.send = std::make_unique<SendController>();
        if (!configureQuietSend(*c.send, options, &error)) {
            printError(error);
            return 2;
        }
        const QString model = c.model;
        QObject::connect(c.send.get(), &SendController::noted,
                         [model](const QString &m) { printNote(tr("note: %1: %2").arg(model, m)); });
        QObject::connect(c.send.get(), &SendController::tokenWithheld,
                         [model](const QString &m) { printNote(tr("note: %1: %2").arg(model, m)); });
        QObject::connect(c.send.get(), &SendController::finished, &loop, [&, i](const InferenceResult &r) {
            columns[i].result = r;
            if (--pending == 0)
                loop.quit();
        });
    }
    for (Column &c : columns) {
        ++pending;
        c.send->send(c.request);
    }
    loop.exec();

    int failed = 0;
    QJsonArray json;
    QString pretty;
    for (const Column &c : columns) {
        const BatchItemResult item = BatchItemResult::from(input, c.request, *c.result, 1);
        failed += item.ok ? 0 : 1;
        // The provider that answered (auto: the one chosen from the model's mapping), else the one asked.
        const QString chosen = c.send->providerJob()->choice().entry.provider;
        const QString shownProvider =
            c.request.usesProvider() && !chosen.isEmpty() ? chosen : providerLabel(c.request, provider);
        QJsonObject o{{QStringLiteral("model"), c.model},
                      {QStringLiteral("provider"), shownProvider},
                      {QStringLiteral("status"), item.ok ? QStringLiteral("ok") : QStringLiteral("failed")},
                      {QStringLiteral("http_status"), item.httpStatus},
                      {QStringLiteral("ms"), item.ms}};
        if (item.ok)
            o.insert(QStringLiteral("answer"), item.answer);
        else
            o.insert(QStringLiteral("error"), item.error);
        json.append(o);
        pretty += QStringLiteral("== %1 (%2) · %3 · %4 ms\n")
                      .arg(c.model, shownProvider, statusText(*c.result))
                      .arg(item.ms);
        const QString body = item.ok ? ResultShape::read(c.request, *c.result).summary() : item.error;
        for (const QString &line : body.split(QLatin1Char('\n')))
            pretty += QStringLiteral("   ") + line + QLatin1Char('\n');
        pretty += QLatin1Char('\n');
    }
    if (options.format == QLatin1String("json"))
        printOut(QJsonDocument(json).toJson(QJsonDocument::Indented), false);
    else
        printOut(pretty.toUtf8(), true);
    if (failed > 0) {
        printError(tr("%1 of %2 models failed.").arg(failed).arg(columns.size()));
        return 1;
    }
    return 0;
}

} // namespace idesk::cli
