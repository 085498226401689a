#include "CallCommand.h"

#include "BatchInput.h"
#include "CliCall.h"
#include "LocalFile.h"
#include "ProviderCall.h"
#include "TaskCatalog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QStringDecoder>

namespace idesk::cli {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CallCommand", text);
}

// --param NAME=VALUE: VALUE is read as JSON when it is JSON (3, 0.5, true, ["a","b"], "x"), else as a string.
bool parseParam(const QString &spec, QJsonObject *parameters, QString *error)
{
    const int eq = spec.indexOf(QLatin1Char('='));
    if (eq <= 0) {
        *error = tr("--param needs NAME=VALUE, got \"%1\".").arg(spec);
        return false;
    }
    const QString name = spec.left(eq).trimmed();
    const QString value = spec.mid(eq + 1);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + value.toUtf8() + "]", &parseError);
    if (parseError.error == QJsonParseError::NoError && doc.array().size() == 1)
        parameters->insert(name, doc.array().at(0));
    else
        parameters->insert(name, value);
    return true;
}

// A known task within two edits of `typed` ("" when none): a slip, not a new task.
QString nearTask(const QString &typed)
{
    for (const QString &id : TaskCatalog::instance().taskIds()) {
        QVector<int> row(id.size() + 1);
        for (int j = 0; j <= id.size(); ++j)
            row[j] = j;
        for (int i = 1; i <= typed.size(); ++i) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= id.size(); ++j) {
                const int above = row[j];
                row[j] =
                    qMin(qMin(row[j] + 1, row[j - 1] + 1), diagonal + (typed[i - 1] == id[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        if (row[id.size()] <= 2)
            return id;
    }
    return {};
}
} // namespace

int runCallCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Send one inference request to Hugging Face (or any compatible endpoint)."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("model"), tr("Model id, e.g. cardiffnlp/twitter-roberta-base-sentiment-latest."),
         tr("ID")},
        {QStringLiteral("task"),
         tr("Task (text-classification, question-answering, ...); without it the request "
            "goes out in Kestra's generic form."),
         tr("TASK")},
        {QStringLiteral("inputs"), tr("The input text."), tr("TEXT")},
        {QStringLiteral("inputs-json"),
         tr("The inputs as JSON, e.g. '{\"question\": \"...\", \"context\": \"...\"}'."), tr("JSON")},
        {QStringLiteral("inputs-file"),
         tr("An input file: an image or audio file is sent as its bytes; with "
            "--inputs-json it joins the JSON as \"image\" (base64). For a text task the file's UTF-8 "
            "text is the input, for question-answering and other JSON-input tasks its JSON object. "
            "Regular files only, up to 256 MiB (IDESK_MAX_INPUT_FILE raises it)."),
         tr("PATH")},
        {QStringLiteral("parameters"), tr("Parameters as a JSON object."), tr("JSON")},
        {QStringLiteral("param"),
         tr("One parameter, NAME=VALUE (VALUE read as JSON when it is JSON); repeatable."), tr("NAME=VALUE")},
        {QStringLiteral("provider"),
         tr("Who serves the request: auto (the first live Inference Provider of the model for the task, "
            "from the Hub's mapping), hf-inference, or a provider (fal-ai, replicate, together, nscale, "
            "wavespeed, novita, scaleway). Default: auto; with --endpoint and no --provider the request "
            "goes to that endpoint (hf-inference style), as before providers."),
         tr("NAME|auto")},
        {QStringLiteral("job-timeout"),
         tr("Longest time for a provider's job, queue and download included (default PT10M)."), tr("D")},
        {QStringLiteral("route"),
         tr("How --task text-generation is sent. model (default): the text-generation-inference form "
            "{\"inputs\", \"parameters\"} to {endpoint}/{model}, answered by [{\"generated_text\"}] "
            "(TGI servers, dedicated Inference Endpoints). completions: the OpenAI-compatible form "
            "{\"model\", \"prompt\", \"max_tokens\", ...} to {endpoint}/{model}/v1/completions, "
            "answered by choices[0].text (the router). Parameters keep their text-generation names "
            "(max_new_tokens is sent as max_tokens)."),
         tr("model|completions"), QStringLiteral("model")},
    });
    addSendOptions(parser);
    if (!parser.parse(args)) {
        printError(parser.errorText() + QLatin1Char('\n') + tr("See inference-desk-cli call --help."));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        parser.showHelp(0); // exits
    }
    if (!parser.positionalArguments().isEmpty()) {
        printError(tr("unexpected argument \"%1\"; give the input with --inputs.")
                       .arg(parser.positionalArguments().first()));
        return 2;
    }

    InferenceRequest request;
    CallOptions options;
    QString error;
    request.model = parser.value(QStringLiteral("model")).trimmed();
    if (request.model.isEmpty()) {
        printError(tr("--model is required, e.g. --model cardiffnlp/twitter-roberta-base-sentiment-latest."));
        return 2;
    }
    request.task = parser.value(QStringLiteral("task")).trimmed();
    const TaskSpec *spec = nullptr;
    if (!request.task.isEmpty()) {
        spec = TaskCatalog::instance().task(request.task);
        if (!spec) {
            // A slip of a known task's name is refused; any other task goes out in Kestra's generic form.
            const QString near = nearTask(request.task);
            if (!near.isEmpty()) {
                printError(tr("unknown task \"%1\"; did you mean %2? Known tasks: %3.")
                               .arg(request.task, near,
                                    TaskCatalog::instance().taskIds().join(QLatin1String(", "))));
                return 2;
            }
            printNote(
                tr("note: the catalog does not know the task \"%1\"; it is sent in Kestra's generic form "
                   "({\"inputs\", \"parameters\"}) to hf-inference.")
                    .arg(request.task));
            request.task.clear();
        }
    }
    if (parser.isSet(QStringLiteral("route"))) {
        const QString routeId = parser.value(QStringLiteral("route"));
        const auto route = textGenerationRouteFromId(routeId);
        if (!route) {
            printError(tr("--route takes model or completions, got \"%1\".").arg(routeId));
            return 2;
        }
        if (*route == TextGenerationRoute::Completions && !hasTextGenerationRoutes(request.task)) {
            printError(tr("--route completions is for --task text-generation; add --task text-generation "
                          "or leave --route out."));
            return 2;
        }
        request.route = *route;
    }
    const int inputSources =
        int(parser.isSet(QStringLiteral("inputs"))) + int(parser.isSet(QStringLiteral("inputs-json")));
    if (inputSources > 1) {
        printError(tr("give the input once: --inputs TEXT or --inputs-json JSON."));
        return 2;
    }
    // No input yet: Undefined, not the default Null, so that "no input" is seen (and never sent as null).
    request.inputs = QJsonValue(QJsonValue::Undefined);
    if (parser.isSet(QStringLiteral("inputs")))
        request.inputs = parser.value(QStringLiteral("inputs"));
    if (parser.isSet(QStringLiteral("inputs-json"))) {
        QJsonParseError parseError;
        const QByteArray text = parser.value(QStringLiteral("inputs-json")).toUtf8();
        const QJsonDocument doc = QJsonDocument::fromJson("[" + text + "]", &parseError);
        if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
            printError(tr("--inputs-json is not valid JSON: %1.").arg(parseError.errorString()));
            return 2;
        }
        request.inputs = doc.array().at(0);
    }
    if (parser.isSet(QStringLiteral("inputs-file"))) {
        const QString path = parser.value(QStringLiteral("inputs-file"));
        // Regular files only, under the input cap: /dev/zero or a FIFO is refused before a byte is read.
        const std::optional<QByteArray> read = LocalFile::read(path, LocalFile::inputCap(), &error);
        if (!read) {
            printError(error);
            return 2;
        }
        const QByteArray bytes = *read;
        const QString mime = QMimeDatabase().mimeTypeForFileNameAndData(path, bytes).name();
        const InputKind kind = spec ? spec->inputKind : InputKind::Text;
        const bool textTask = spec && (kind == InputKind::Text || kind == InputKind::TextWithLabels);
        const bool jsonTask =
            spec && (kind == InputKind::QuestionContext || kind == InputKind::SentenceSimilarity ||
                     kind == InputKind::TableQuestion || kind == InputKind::Json);
        const bool textFile =
            mime.startsWith(QLatin1String("text/")) || mime == QLatin1String("application/json");
        if (spec && kind == InputKind::Chat) {
            printError(
                tr("the %1 task takes no input file; send the conversation with inference-desk-cli chat.")
                    .arg(spec->id));
            return 2;
        }
        if (textTask || jsonTask) {
            // The file is the input itself: its text, or (for tasks whose input is a JSON object) its JSON.
            if (!request.inputs.isUndefined()) {
                printError(tr("give the input once: --inputs-file PATH or %1.")
                               .arg(parser.isSet(QStringLiteral("inputs"))
                                        ? QStringLiteral("--inputs TEXT")
                                        : QStringLiteral("--inputs-json JSON")));
                return 2;
            }
            if (bytes.isEmpty()) {
                printError(
                    tr("%1 is empty: there is nothing to send. Put the %2 input in it, or give it with %3.")
                        .arg(path, spec->id,
                             textTask ? QStringLiteral("--inputs TEXT")
                                      : QStringLiteral("--inputs-json JSON")));
                return 2;
            }
            if (!BatchInputs::isUtf8Text(bytes)) {
                printError(
                    tr("%1 is not UTF-8 text (it looks like %2), and the %3 task takes text. Save it as "
                       "UTF-8 text, or give the input with %4.")
                        .arg(path, mime, spec->id,
                             textTask ? QStringLiteral("--inputs TEXT")
                                      : QStringLiteral("--inputs-json JSON")));
                return 2;
            }
            if (textTask) {
                request.inputs = QString::fromUtf8(bytes);
            } else {
                QJsonParseError parseError;
                const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
                if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
                    printError(
                        tr("%1 is not a JSON object (%2), and the %3 task takes its input as one; give it "
                           "with --inputs-json JSON or a file holding that JSON.")
                            .arg(
                                path,
                                parseError.error != QJsonParseError::NoError
                                    ? tr("%1 at byte %2").arg(parseError.errorString()).arg(parseError.offset)
                                    : tr("another JSON value"),
                                spec->id));
                    return 2;
                }
                request.inputs = doc.object();
            }
        } else if (!spec && textFile && request.inputs.isUndefined()) {
            request.inputs = QString::fromUtf8(bytes);
        } else {
            if (spec && kind == InputKind::Image && !mime.startsWith(QLatin1String("image/"))) {
                printError(
                    tr("%1 is not an image (%2), and the %3 task needs one.").arg(path, mime, spec->id));
                return 2;
            }
            if (spec && kind == InputKind::Audio && !mime.startsWith(QLatin1String("audio/")) &&
                !mime.startsWith(QLatin1String("video/"))) {
                printError(
                    tr("%1 is not an audio file (%2), and the %3 task needs one.").arg(path, mime, spec->id));
                return 2;
            }
            request.file = InputFile{path, bytes, mime};
            if (!spec && request.inputs.isObject()) {
                // Kestra's generic form with JSON inputs: the file joins them as "image".
                QJsonObject inputs = request.inputs.toObject();
                inputs.insert(QStringLiteral("image"), QString::fromLatin1(bytes.toBase64()));
                request.inputs = inputs;
                request.file = InputFile();
            }
        }
    }
    if (request.inputs.isUndefined() && request.file.isEmpty()) {
        printError(tr("no input: give --inputs TEXT, --inputs-json JSON or --inputs-file PATH."));
        return 2;
    }
    if (parser.isSet(QStringLiteral("parameters"))) {
        QJsonParseError parseError;
        const QJsonDocument doc =
            QJsonDocument::fromJson(parser.value(QStringLiteral("parameters")).toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            printError(tr("--parameters must be a JSON object, e.g. '{\"top_k\": 3}'%1.")
                           .arg(parseError.error != QJsonParseError::NoError
                                    ? QStringLiteral(" (%1 at byte %2)")
                                          .arg(parseError.errorString())
                                          .arg(parseError.offset)
                                    : QString()));
            return 2;
        }
        request.parameters = doc.object();
    }
    for (const QString &spec : parser.values(QStringLiteral("param")))
        if (!parseParam(spec, &request.parameters, &error)) {
            printError(error);
            return 2;
        }
    if (!applySendOptions(parser, &request, &options, &error)) {
        printError(error);
        return 2;
    }
    if (!applyProviderOptions(parser, &request, &options, &error)) {
        printError(error);
        return 2;
    }
    // A name typed here that the task does not know is a slip; a provider takes its own parameters.
    options.knownParametersOnly =
        !request.usesProvider() || request.provider == QLatin1String("hf-inference");
    options.token = resolveToken();
    return executeRequest(request, options);
}

} // namespace idesk::cli
