#include "ModelsCommand.h"

#include "CliCall.h"
#include "HubSearch.h"
#include "ModelDetails.h"
#include "ModelsTable.h"
#include "ServiceBases.h"
#include "TokenPolicy.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>

namespace idesk::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ModelsCommand", text);
}

QString usage()
{
    return tr(
        "Usage:\n"
        "  inference-desk-cli models search [QUERY] [--task TASK] [--provider NAME] [--include-unserved]\n"
        "                                   [--sort trending|downloads|likes|updated] [--limit N]\n"
        "                                   [--format pretty|json]\n"
        "  inference-desk-cli models info MODEL_ID [--format pretty|json] [--router URL]\n"
        "\n"
        "search lists models of the Hub (HF_ENDPOINT, else https://huggingface.co). Without --provider,\n"
        "only models some Inference Provider serves; --provider NAME: those NAME serves;\n"
        "--include-unserved: every model. --limit N prints N models (default 20).\n"
        "info shows a model's task, library, licence, gated state, providers, card summary, example\n"
        "inputs and, for chat models, the router's prices.\n"
        "Answers are cached for a few minutes; offline, cached answers are shown with a note.\n"
        "\n"
        "Exit codes: 0 success, 1 the Hub answered an error, 2 bad usage, 3 the Hub could not be\n"
        "reached.\n");
}

int badUsage(const QString &message)
{
    printError(message + QLatin1Char('\n') + usage());
    return 2;
}

// Parses `args` with --help added: -1 to go on, else the exit code (0 after the help, 2 on bad usage).
int parseArguments(QCommandLineParser &parser, const QStringList &args)
{
    parser.addHelpOption();
    if (!parser.parse(args))
        return badUsage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(usage().toUtf8(), true);
        return 0;
    }
    return -1;
}

bool readFormat(const QCommandLineParser &parser, QString *format)
{
    *format = parser.value(QStringLiteral("format"));
    if (*format == QLatin1String("pretty") || *format == QLatin1String("json"))
        return true;
    printError(tr("--format takes pretty or json, got \"%1\".").arg(*format));
    return false;
}

bool printJson(const QJsonValue &value)
{
    const QJsonDocument doc =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return printOut(doc.toJson(QJsonDocument::Indented), false);
}

void offlineNote(qint64 ageSeconds)
{
    printNote(tr("Offline: the Hub could not be reached; this is the answer cached %1 ago.")
                  .arg(ModelsTable::age(ageSeconds)));
}

// Waits (a local event loop) until a Hub call ends: done() with 0, failed() printing the message with exit
// code 1 (the Hub answered an error) or 3 (unreachable).
struct Waiter
{
    QEventLoop loop;
    int exitCode = -1;
    void done(int code)
    {
        exitCode = code;
        loop.quit();
    }
    void failed(const QString &message, bool unreachable)
    {
        printError(message);
        done(unreachable ? 3 : 1);
    }
    int wait()
    {
        if (exitCode < 0)
            loop.exec();
        return exitCode;
    }
};

int searchCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("query"), tr("Text to search for in model ids."));
    parser.addOptions({
        {QStringLiteral("task"), tr("Only models of this task (pipeline tag)."), QStringLiteral("TASK")},
        {QStringLiteral("provider"), tr("Only models this provider serves."), QStringLiteral("NAME")},
        {QStringLiteral("include-unserved"), tr("Also models no provider serves.")},
        {QStringLiteral("sort"), tr("trending (default), downloads, likes or updated."),
         QStringLiteral("SORT"), QStringLiteral("trending")},
        {QStringLiteral("limit"), tr("How many models to print (default 20)."), QStringLiteral("N"),
         QStringLiteral("20")},
        {QStringLiteral("format"), tr("pretty (default) or json."), QStringLiteral("FORMAT"),
         QStringLiteral("pretty")},
    });
    if (const int code = parseArguments(parser, args); code >= 0)
        return code;
    const QStringList words = parser.positionalArguments();
    if (words.size() > 1)
        return badUsage(tr("`models search` takes one QUERY; put several words in quotes: \"%1\".")
                            .arg(words.join(QLatin1Char(' '))));
    HubSearchQuery query;
    query.text = words.value(0);
    query.task = parser.value(QStringLiteral("task")).trimmed();
    query.provider = parser.value(QStringLiteral("provider")).trimmed();
    query.includeUnserved = parser.isSet(QStringLiteral("include-unserved"));
    if (query.includeUnserved && !query.provider.isEmpty())
        return badUsage(tr("--provider and --include-unserved exclude each other: --provider lists only the "
                           "models that provider serves."));
    query.sort = parser.value(QStringLiteral("sort"));
    if (HubSearchQuery::hubSort(query.sort).isEmpty())
        return badUsage(
            tr("--sort takes trending, downloads, likes or updated, got \"%1\".").arg(query.sort));
    bool numeric = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&numeric);
    if (!numeric || limit < 1 || limit > 10000)
        return badUsage(tr("--limit takes a number from 1 to 10000, got \"%1\".")
                            .arg(parser.value(QStringLiteral("limit"))));
    query.limit = qMin(limit, 1000);
    QString format;
    if (!readFormat(parser, &format))
        return 2;

    HubSearch search;
    search.setAutoRetry(false);
    search.setToken(resolveToken(), TokenPolicy::fromSettings());
    QList<HubModel> models;
    bool offline = false;
    qint64 age = -1;
    Waiter waiter;
    QObject::connect(&search, &HubSearch::pageReady, &waiter.loop, [&](const HubSearchPage &page) {
        models += page.models;
        if (page.offline) {
            offline = true;
            age = qMax(age, page.cacheAgeSeconds);
        }
        // Exactly `limit`: no next page once they are in hand.
        if (models.size() >= limit || !page.more || !search.fetchMore())
            waiter.done(0);
    });
    QObject::connect(&search, &HubSearch::rateLimited, &waiter.loop,
                     [&](int, const QString &message) { waiter.failed(message, false); });
    QObject::connect(&search, &HubSearch::failed, &waiter.loop,
                     [&](const QString &message, bool unreachable) { waiter.failed(message, unreachable); });
    search.search(query);
    if (const int code = waiter.wait())
        return code;
    models = models.mid(0, limit);
    if (offline)
        offlineNote(age);
    if (format == QLatin1String("json")) {
        QJsonArray out;
        for (const HubModel &m : models)
            out.append(m.toJson(false));
        return printJson(out) ? 0 : 3;
    }
    if (models.isEmpty()) {
        printNote(query.includeUnserved
                      ? tr("No model matches.")
                      : tr("No served model matches; --include-unserved lists every model."));
        return 0;
    }
    return printOut(ModelsTable::searchTable(models).toUtf8(), true) ? 0 : 3;
}

int infoCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("model"), tr("The model id, owner/name."));
    parser.addOptions({
        {QStringLiteral("format"), tr("pretty (default) or json."), QStringLiteral("FORMAT"),
         QStringLiteral("pretty")},
        {QStringLiteral("router"),
         tr("Base URL of the Hugging Face router, for chat prices (default %1).")
             .arg(ServiceBases::defaultRouter()),
         QStringLiteral("URL")},
    });
    if (const int code = parseArguments(parser, args); code >= 0)
        return code;
    const QStringList words = parser.positionalArguments();
    if (words.size() != 1 || words.at(0).trimmed().isEmpty())
        return badUsage(tr("`models info` takes one MODEL_ID (owner/name)."));
    const QString id = words.at(0).trimmed();
    if (id.contains(QLatin1Char(' ')) || id.startsWith(QLatin1Char('/')) || id.contains(QLatin1String("..")))
        return badUsage(
            tr("\"%1\" is not a model id: it looks like owner/name, as on the model's Hub page.").arg(id));
    QString format;
    if (!readFormat(parser, &format))
        return 2;
    QString routerError;
    if (!applyRouterOption(parser, &routerError))
        return badUsage(routerError);

    ModelDetails details;
    details.setToken(resolveToken(), TokenPolicy::fromSettings());
    HubModel model;
    bool offline = false;
    Waiter waiter;
    QObject::connect(&details, &ModelDetails::ready, &waiter.loop, [&](const HubModel &m, bool wasOffline) {
        model = m;
        offline = wasOffline;
        waiter.done(0);
    });
    QObject::connect(&details, &ModelDetails::failed, &waiter.loop,
                     [&](const QString &message, bool unreachable) { waiter.failed(message, unreachable); });
    details.fetch(id);
    if (const int code = waiter.wait())
        return code;
    if (offline)
        printNote(tr("Offline: the Hub could not be reached; this is a cached answer."));
    if (format == QLatin1String("json"))
        return printJson(model.toJson(true)) ? 0 : 3;
    return printOut(ModelsTable::details(model).toUtf8(), true) ? 0 : 3;
}

} // namespace

int runModelsCommand(const QStringList &args)
{
    // args: program, "search"|"info", options...
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")) {
        printOut(usage().toUtf8(), true);
        return args.size() < 2 ? 2 : 0;
    }
    QStringList rest = args;
    const QString sub = rest.takeAt(1);
    if (sub == QLatin1String("search"))
        return searchCommand(rest);
    if (sub == QLatin1String("info"))
        return infoCommand(rest);
    return badUsage(tr("unknown `models` command \"%1\": use search or info.").arg(sub));
}

} // namespace idesk::cli
