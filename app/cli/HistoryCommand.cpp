#include "HistoryCommand.h"

#include "CliCall.h"
#include "HistoryStore.h"
#include "HistoryText.h"
#include "Scrub.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace idesk::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("HistoryCommand", text);
}

QString usage()
{
    return tr("inference-desk-cli history list [--limit N] [--task TASK] [--status ok|error] "
              "[--format pretty|json]\n"
              "inference-desk-cli history search TEXT [--limit N] [--task TASK] [--status ok|error] "
              "[--format pretty|json]\n"
              "inference-desk-cli history show ID [--format pretty|json]\n"
              "inference-desk-cli history rerun ID [--endpoint URL] [--format pretty|json|summary] ...\n"
              "inference-desk-cli history delete ID\n"
              "inference-desk-cli history export ID FILE   (a saved result the app opens)\n"
              "inference-desk-cli history pin ID | unpin ID\n"
              "inference-desk-cli history clear [--keep-pinned]\n"
              "The history lives in %1 (INFERENCE_DESK_HISTORY names another file); --no-history on call, "
              "chat, run and presets run leaves an exchange out.")
        .arg(QDir::toNativeSeparators(HistoryStore::defaultPath()));
}

// Entries hold what servers and files said: scrubbed for the terminal (Scrub::forDisplay).
void out(const QString &text)
{
    QTextStream(stdout) << Scrub::forDisplay(text);
}

void outJson(const QJsonValue &value)
{
    const QJsonDocument doc =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    printOut(doc.toJson(QJsonDocument::Indented), false);
}

// The saved result's request and answer parts; an embedded input file is shown by its size.
QJsonObject parts(const SavedResult &saved, bool withFileBytes)
{
    QJsonObject root = QJsonDocument::fromJson(saved.toJson()).object();
    QJsonObject request = root.value(QStringLiteral("request")).toObject();
    QJsonObject file = request.value(QStringLiteral("file")).toObject();
    if (!withFileBytes && file.contains(QStringLiteral("base64"))) {
        file.insert(QStringLiteral("base64"), tr("(%1 bytes)").arg(saved.request.file.bytes.size()));
        request.insert(QStringLiteral("file"), file);
    }
    QJsonObject answer = root.value(QStringLiteral("response")).toObject();
    answer.insert(QStringLiteral("timing"), root.value(QStringLiteral("timing")));
    return QJsonObject{{QStringLiteral("request"), request}, {QStringLiteral("answer"), answer}};
}

QJsonObject entryJson(const HistoryEntry &e)
{
    return QJsonObject{{QStringLiteral("id"), double(e.id)},
                       {QStringLiteral("time"), e.time.toString(Qt::ISODateWithMs)},
                       {QStringLiteral("model"), e.model},
                       {QStringLiteral("task"), e.task},
                       {QStringLiteral("provider"), e.provider},
                       {QStringLiteral("endpoint"), e.endpoint},
                       {QStringLiteral("source"), e.source},
                       {QStringLiteral("outcome"), e.outcome},
                       {QStringLiteral("status"), e.status},
                       {QStringLiteral("ok"), e.ok()},
                       {QStringLiteral("ms"), double(e.ms)},
                       {QStringLiteral("error"), e.error},
                       {QStringLiteral("input"), e.inputSnippet},
                       {QStringLiteral("answer_summary"), e.answerSnippet},
                       {QStringLiteral("pinned"), e.pinned}};
}

QString statusText(const HistoryEntry &e)
{
    if (e.status > 0)
        return QString::number(e.status);
    return e.outcome;
}

QString entryLine(const HistoryEntry &e)
{
    return QStringLiteral("%1  %2  %3  %4 ms  %5%6  %7\n    %8\n    -> %9\n")
        .arg(e.id, 5)
        .arg(e.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")))
        .arg(statusText(e), -5)
        .arg(e.ms, 6)
        .arg(e.model, e.task.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(e.task),
             e.pinned ? tr("[pinned]") : QString(), e.inputSnippet,
             e.ok() ? e.answerSnippet : HistoryText::oneLine(e.error));
}

bool parseId(const QString &text, qint64 *id)
{
    bool ok = false;
    *id = text.toLongLong(&ok);
    if (!ok || *id <= 0) {
        printError(tr("\"%1\" is not a history id; `inference-desk-cli history list` shows them.").arg(text));
        return false;
    }
    return true;
}

int list(const HistoryStore &store, const QCommandLineParser &parser, const QString &text,
         const QString &format)
{
    HistoryQuery query;
    query.text = text;
    query.task = parser.value(QStringLiteral("task")).trimmed();
    bool ok = true;
    query.limit =
        parser.isSet(QStringLiteral("limit")) ? parser.value(QStringLiteral("limit")).toInt(&ok) : 20;
    if (!ok || query.limit <= 0) {
        printError(
            tr("--limit takes a positive number, got \"%1\".").arg(parser.value(QStringLiteral("limit"))));
        return 2;
    }
    const QString status = parser.value(QStringLiteral("status"));
    if (status == QLatin1String("ok"))
        query.status = HistoryQuery::Status::Ok;
    else if (status == QLatin1String("error"))
        query.status = HistoryQuery::Status::Error;
    else if (!status.isEmpty()) {
        printError(tr("--status takes ok or error, got \"%1\".").arg(status));
        return 2;
    }
    QString error;
    const QList<HistoryEntry> entries = store.list(query, &error);
    if (!error.isEmpty()) {
        printError(error);
        return 1;
    }
    if (format == QLatin1String("json")) {
        QJsonArray array;
        for (const HistoryEntry &e : entries) {
            QJsonObject object = entryJson(e);
            if (const auto saved = store.load(e.id))
                object.insert(QStringLiteral("request"),
                              parts(*saved, false).value(QStringLiteral("request")));
            array.append(object);
        }
        outJson(array);
        return 0;
    }
    if (entries.isEmpty()) {
        out(text.isEmpty() ? tr("The history is empty (%1).\n").arg(QDir::toNativeSeparators(store.path()))
                           : tr("Nothing in the history matches \"%1\".\n").arg(text));
        return 0;
    }
    for (const HistoryEntry &e : entries)
        out(entryLine(e));
    return 0;
}

int show(const HistoryStore &store, qint64 id, const QString &format)
{
    const auto e = store.entry(id);
    QString error;
    const auto saved = e ? store.load(id, &error) : std::nullopt;
    if (!saved) {
        printError(
            e ? error
              : tr("there is no history entry %1; `inference-desk-cli history list` shows the ids.").arg(id));
        return 2;
    }
    QJsonObject object = entryJson(*e);
    const QJsonObject both = parts(*saved, format == QLatin1String("json"));
    object.insert(QStringLiteral("request"), both.value(QStringLiteral("request")));
    object.insert(QStringLiteral("answer"), both.value(QStringLiteral("answer")));
    if (format == QLatin1String("json")) {
        outJson(object);
        return 0;
    }
    out(entryLine(*e));
    out(tr("source: %1   provider: %2   endpoint: %3\n").arg(e->source, e->provider, e->endpoint));
    out(tr("request:\n%1")
            .arg(QString::fromUtf8(QJsonDocument(both.value(QStringLiteral("request")).toObject())
                                       .toJson(QJsonDocument::Indented))));
    QJsonObject answer = both.value(QStringLiteral("answer")).toObject();
    if (answer.contains(QStringLiteral("body_base64")))
        answer.insert(QStringLiteral("body_base64"), tr("(%1 bytes)").arg(saved->result.body.size()));
    out(tr("answer:\n%1").arg(QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Indented))));
    return 0;
}

int rerun(const HistoryStore &store, const QCommandLineParser &parser, qint64 id)
{
    QString error;
    const auto saved = store.load(id, &error);
    if (!saved) {
        printError(error);
        return 2;
    }
    InferenceRequest request = saved->request;
    CallOptions options;
    if (!applySendOptions(parser, &request, &options, &error)) {
        printError(error);
        return 2;
    }
    options.token = resolveToken();
    options.historySource = QStringLiteral("rerun:%1").arg(id);
    return executeRequest(request, options);
}

} // namespace

int runHistoryCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("The exchanges kept by the app and the CLI.\n\n") + usage());
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"),
                                 tr("list, search, show, rerun, delete, export, pin, unpin or clear."));
    parser.addPositionalArgument(QStringLiteral("TEXT|ID"), tr("What to search for, or the entry's id."));
    parser.addOptions({
        {QStringLiteral("limit"), tr("list, search: at most N entries, newest first (default 20)."), tr("N")},
        {QStringLiteral("task"), tr("list, search: only this task."), tr("TASK")},
        {QStringLiteral("status"), tr("list, search: only answers (ok) or only errors (error)."),
         tr("ok|error")},
        {QStringLiteral("keep-pinned"), tr("clear: keep the pinned entries.")},
    });
    addSendOptions(parser); // rerun's options; --format also serves list, search and show
    QStringList positional;
    if (!parseActionCommand(parser, args, usage(), &positional))
        return 2;
    const QString action = positional.first();
    static const QStringList actions{
        QStringLiteral("list"),  QStringLiteral("search"), QStringLiteral("show"),
        QStringLiteral("rerun"), QStringLiteral("delete"), QStringLiteral("export"),
        QStringLiteral("pin"),   QStringLiteral("unpin"),  QStringLiteral("clear")};
    if (!actions.contains(action)) {
        printError(tr("unknown history action \"%1\".\n%2").arg(action, usage()));
        return 2;
    }
    const int wanted = action == QLatin1String("list") || action == QLatin1String("clear") ? 1
                       : action == QLatin1String("export")                                 ? 3
                                                                                           : 2;
    if (positional.size() != wanted) {
        printError(tr("history %1 takes %2.\n%3")
                       .arg(action,
                            wanted == 1                         ? tr("no argument")
                            : wanted == 3                       ? tr("an id and a file")
                            : action == QLatin1String("search") ? tr("one text (quote words with spaces)")
                                                                : tr("one id"),
                            usage()));
        return 2;
    }
    const QString format = parser.value(QStringLiteral("format"));
    if (action != QLatin1String("rerun") && format != QLatin1String("pretty") &&
        format != QLatin1String("json")) {
        printError(tr("--format takes pretty or json here, got \"%1\".").arg(format));
        return 2;
    }
    qint64 id = 0;
    if (wanted >= 2 && action != QLatin1String("search") && !parseId(positional.at(1), &id))
        return 2;

    HistoryStore store;
    QString error;
    if (!store.open(&error)) {
        printError(error);
        return 1;
    }
    if (!store.notice().isEmpty())
        printNote(store.notice());
    if (action == QLatin1String("list"))
        return list(store, parser, QString(), format);
    if (action == QLatin1String("search"))
        return list(store, parser, positional.at(1), format);
    if (action == QLatin1String("show"))
        return show(store, id, format);
    if (action == QLatin1String("rerun"))
        return rerun(store, parser, id);
    if (action == QLatin1String("clear")) {
        if (!store.clear(parser.isSet(QStringLiteral("keep-pinned")), &error)) {
            printError(error);
            return 1;
        }
        return 0;
    }
    if (action == QLatin1String("export")) {
        const auto saved = store.load(id, &error);
        if (!saved || !saved->save(positional.at(2), &error)) {
            printError(error);
            return saved ? 1 : 2;
        }
        out(tr("Entry %1 saved to %2\n").arg(id).arg(QDir::toNativeSeparators(positional.at(2))));
        return 0;
    }
    const bool done = action == QLatin1String("delete")
                          ? store.remove(id, &error)
                          : store.setPinned(id, action == QLatin1String("pin"), &error);
    if (!done) {
        printError(error);
        return 2;
    }
    return 0;
}

} // namespace idesk::cli
