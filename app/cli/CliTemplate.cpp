#include "CliTemplate.h"

#include "ProviderCall.h"
#include "ServiceBases.h"
#include "TaskCatalog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace idesk::cli {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CliTemplate", text);
}
} // namespace

void addTemplateOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("task"),
         tr("Task (text-classification, image-classification, ...); without it the request goes out in "
            "Kestra's generic form."),
         tr("TASK")},
        {QStringLiteral("provider"),
         tr("Who serves each request: auto (the first live Inference Provider of the model for the task), "
            "hf-inference, or a provider (fal-ai, replicate, together, ...), as `call --provider`."),
         tr("NAME|auto")},
        {QStringLiteral("job-timeout"),
         tr("Longest time for one provider job, queue and download included (default PT10M)."), tr("D")},
        {QStringLiteral("parameters"), tr("Parameters as a JSON object."), tr("JSON")},
        {QStringLiteral("param"),
         tr("One parameter, NAME=VALUE (VALUE read as JSON when it is JSON); repeatable."), tr("NAME=VALUE")},
    });
}

bool readTemplate(const QCommandLineParser &parser, InferenceRequest *request, QString *error)
{
    request->task = parser.value(QStringLiteral("task")).trimmed();
    if (!request->task.isEmpty() && !TaskCatalog::instance().task(request->task)) {
        *error = tr("unknown task \"%1\". Known tasks: %2.")
                     .arg(request->task, TaskCatalog::instance().taskIds().join(QLatin1String(", ")));
        return false;
    }
    if (parser.isSet(QStringLiteral("parameters"))) {
        QJsonParseError parseError;
        const QJsonDocument doc =
            QJsonDocument::fromJson(parser.value(QStringLiteral("parameters")).toUtf8(), &parseError);
        if (!doc.isObject()) {
            *error = tr("--parameters must be a JSON object, e.g. '{\"top_k\": 3}'.");
            return false;
        }
        request->parameters = doc.object();
    }
    for (const QString &spec : parser.values(QStringLiteral("param"))) {
        const int eq = int(spec.indexOf(QLatin1Char('=')));
        if (eq <= 0) {
            *error = tr("--param needs NAME=VALUE, got \"%1\".").arg(spec);
            return false;
        }
        // VALUE is JSON when it reads as one JSON value (3, true, ["a"]), else a string.
        const QJsonDocument asJson = QJsonDocument::fromJson("[" + spec.mid(eq + 1).toUtf8() + "]");
        request->parameters.insert(spec.left(eq).trimmed(), asJson.array().size() == 1
                                                                ? asJson.array().at(0)
                                                                : QJsonValue(spec.mid(eq + 1)));
    }
    return true;
}

QStringList templateProblems(const InferenceRequest &request, const CallOptions &options)
{
    if (!options.validate)
        return {};
    const TaskCatalog &catalog = TaskCatalog::instance();
    if (request.task.isEmpty())
        return catalog.validateGeneric(request.parameters);
    return catalog.validate(request.task, request.parameters) +
           catalog.unknownParameters(request.task, request.parameters);
}

QString providerOption(const QCommandLineParser &parser)
{
    return parser.value(QStringLiteral("provider")).trimmed();
}

QString providerLabel(const InferenceRequest &request, const QString &asked)
{
    if (!asked.isEmpty())
        return asked;
    const QUrl url(request.endpoint);
    if (request.endpoint.startsWith(ServiceBases::router() + QStringLiteral("/hf-inference")) ||
        request.endpoint == InferenceRequest::defaultEndpoint())
        return QStringLiteral("hf-inference");
    return url.host();
}

bool parseCommandLine(QCommandLineParser &parser, const QStringList &args, const QString &command,
                      const QString &strayHint)
{
    addTemplateOptions(parser);
    addSendOptions(parser);
    if (!parser.parse(args)) {
        printError(parser.errorText() + QLatin1Char('\n') +
                   tr("See inference-desk-cli %1 --help.").arg(command));
        return false;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0); // exits
    if (!parser.positionalArguments().isEmpty()) {
        printError(tr("unexpected argument \"%1\"; %2").arg(parser.positionalArguments().first(), strayHint));
        return false;
    }
    return true;
}

bool buildTemplate(const QCommandLineParser &parser, InferenceRequest *request, CallOptions *options)
{
    QString error;
    // --provider and --job-timeout as `call` reads them: each input goes through SendController, provider
    // jobs included.
    if (!readTemplate(parser, request, &error) || !applySendOptions(parser, request, options, &error) ||
        !applyProviderOptions(parser, request, options, &error)) {
        printError(error);
        return false;
    }
    const QStringList problems = templateProblems(*request, *options);
    for (const QString &p : problems)
        printError(p);
    if (!problems.isEmpty())
        printError(tr("nothing was sent. Fix the parameters, or pass --no-validate to send them anyway."));
    return problems.isEmpty();
}

bool takeOption(QStringList *args, const QString &name, QString *value, bool *given, QString *error)
{
    const QString flag = QStringLiteral("--") + name;
    *given = false;
    for (int i = 1; i < args->size();) {
        const QString &a = args->at(i);
        if (a == QLatin1String("--"))
            break;
        if (a == flag) {
            if (i + 1 >= args->size()) {
                *error = tr("%1 needs a value.").arg(flag);
                return false;
            }
            *value = args->at(i + 1);
            *given = true;
            args->remove(i, 2);
        } else if (a.startsWith(flag + QLatin1Char('='))) {
            *value = a.mid(flag.size() + 1);
            *given = true;
            args->removeAt(i);
        } else {
            ++i;
        }
    }
    return true;
}

} // namespace idesk::cli
