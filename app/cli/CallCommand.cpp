#include "CallCommand.h"

#include "CliCall.h"
#include "TaskCatalog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>

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

bool readFile(const QString &path, QByteArray *bytes, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read %1: %2.").arg(path, file.errorString());
        return false;
    }
    *bytes = file.readAll();
    return true;
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
            "--inputs-json it joins the JSON as \"image\" (base64)."),
         tr("PATH")},
        {QStringLiteral("parameters"), tr("Parameters as a JSON object."), tr("JSON")},
        {QStringLiteral("param"),
         tr("One parameter, NAME=VALUE (VALUE read as JSON when it is JSON); repeatable."), tr("NAME=VALUE")},
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
            printError(tr("unknown task \"%1\". Known tasks: %2.")
                           .arg(request.task, TaskCatalog::instance().taskIds().join(QLatin1String(", "))));
            return 2;
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
        QByteArray bytes;
        if (!readFile(path, &bytes, &error)) {
            printError(error);
            return 2;
        }
        const QString mime = QMimeDatabase().mimeTypeForFileNameAndData(path, bytes).name();
        const bool textTask =
            spec && (spec->inputKind == InputKind::Text || spec->inputKind == InputKind::TextWithLabels);
        const bool textFile =
            mime.startsWith(QLatin1String("text/")) || mime == QLatin1String("application/json");
        if ((textTask || (!spec && textFile)) && request.inputs.isUndefined()) {
            request.inputs = QString::fromUtf8(bytes);
        } else {
            if (spec && spec->inputKind == InputKind::Image && !mime.startsWith(QLatin1String("image/"))) {
                printError(
                    tr("%1 is not an image (%2), and the %3 task needs one.").arg(path, mime, spec->id));
                return 2;
            }
            if (spec && spec->inputKind == InputKind::Audio && !mime.startsWith(QLatin1String("audio/")) &&
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
    options.token = resolveToken();
    return executeRequest(request, options);
}

} // namespace idesk::cli
