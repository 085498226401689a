#include "RunCommand.h"

#include "CliCall.h"
#include "KestraFlow.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>
#include <optional>

namespace idesk::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RunCommand", text);
}

void note(const QString &message)
{
    printNote(message); // names from the file: control characters escaped
}

// out.json -> out-<task>.json when several tasks write answers.
QString perTaskOutput(const QString &output, const QString &taskId)
{
    const QFileInfo info(output);
    const QString suffix = info.completeSuffix();
    const QString base = suffix.isEmpty() ? output : output.left(output.size() - suffix.size() - 1);
    return suffix.isEmpty() ? base + QLatin1Char('-') + taskId
                            : base + QLatin1Char('-') + taskId + QLatin1Char('.') + suffix;
}

} // namespace

int runFlowCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "Run the Hugging Face Inference tasks (io.kestra.plugin.huggingface.Inference) of a Kestra flow, in "
        "order,\nand its core HTTP Request tasks (io.kestra.plugin.core.http.Request) that post a chat or "
        "completions\nrequest (as `presets export --format kestra` writes them).\n{{ secret('NAME') }} is "
        "read as Kestra reads it, from the environment variable SECRET_NAME (base64-encoded);\nin apiKey or "
        "the Authorization header, HF_TOKEN or the keychain next. No other variable is read.\n"
        "{{ read('file') }} reads a file inside the flow's folder. Other tasks are listed and skipped."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FLOW.yaml"), tr("The Kestra flow file."));
    parser.addOption({QStringLiteral("task-id"),
                      tr("Run only the Inference (or chat Request) task with this id."), tr("ID")});
    addSendOptions(parser);
    if (!parser.parse(args)) {
        printError(parser.errorText() + QLatin1Char('\n') + tr("See inference-desk-cli run --help."));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0); // exits
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        printError(positional.isEmpty() ? tr("give the flow file: inference-desk-cli run FLOW.yaml.")
                                        : tr("give one flow file, got %1 arguments.").arg(positional.size()));
        return 2;
    }

    // The key of apiKey / Authorization: SECRET_<NAME> as Kestra reads it, then HF_TOKEN, then the keychain
    // (resolved once).
    std::optional<QString> fallbackToken;
    auto fallback = [&fallbackToken]() {
        if (!fallbackToken)
            fallbackToken = resolveToken();
        return *fallbackToken;
    };
    const KestraFlow::SecretResolver resolver = [&fallback](const QString &name) -> std::optional<QString> {
        if (const auto secret = KestraFlow::environmentSecret(name); secret && !secret->trimmed().isEmpty())
            return secret->trimmed();
        const QString token = fallback();
        if (!token.isEmpty())
            return token;
        return std::nullopt;
    };

    QString error;
    const auto flow = KestraFlow::load(positional.first(), resolver, &error);
    if (!flow) {
        printError(error);
        return 2;
    }

    QList<KestraTask> tasks = flow->tasks;
    const QString only = parser.value(QStringLiteral("task-id"));
    if (!only.isEmpty()) {
        const KestraTask *task = flow->task(only);
        if (!task) {
            printError(tr("the flow has no task to run with id \"%1\"; the tasks it runs are: %2.")
                           .arg(only, flow->taskIds().join(QLatin1String(", "))));
            return 2;
        }
        tasks = {*task};
    }
    for (const KestraSkippedTask &s : flow->skipped)
        note(tr("skipped task %1 (%2): %3.").arg(s.id, s.type, s.reason));

    for (int i = 0; i < tasks.size(); ++i) {
        const KestraTask &task = tasks.at(i);
        for (const QString &n : task.notes)
            note(tr("note: %1").arg(n));
        InferenceRequest request = task.request;
        CallOptions options;
        if (!applySendOptions(parser, &request, &options, &error)) {
            printError(error);
            return 2;
        }
        // A flow is a file someone may have sent: the hosts it names get the token only when the person
        // approved them (--endpoint, --allow-host, or in the app), as for every other request; otherwise
        // the request goes without it, with a note saying how to allow it (CliCall's configureClient).
        options.token = task.apiKeyExplicit ? task.apiKey : fallback();
        options.historySource =
            QStringLiteral("flow:%1/%2").arg(QFileInfo(positional.first()).fileName(), task.id);
        if (tasks.size() > 1) {
            note(tr("== task %1 (%2 of %3) ==").arg(task.id).arg(i + 1).arg(tasks.size()));
            if (!options.outputFile.isEmpty())
                options.outputFile = perTaskOutput(options.outputFile, task.id);
            if (!options.saveResultFile.isEmpty())
                options.saveResultFile = perTaskOutput(options.saveResultFile, task.id);
        }
        const int code = executeRequest(request, options);
        if (code != 0) {
            if (i + 1 < tasks.size())
                note(tr("task %1 failed; the remaining %2 task(s) were not run, as Kestra stops a flow at a "
                        "failed "
                        "task.")
                         .arg(task.id)
                         .arg(tasks.size() - i - 1));
            return code;
        }
    }
    return 0;
}

} // namespace idesk::cli
