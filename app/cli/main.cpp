// inference-desk-cli: the command-line front end on the core. Each subcommand lives in its own file.
#include "BatchCommand.h"
#include "CallCommand.h"
#include "CompareCommand.h"
#include "ChatCommand.h"
#include "CliCall.h"
#include "HistoryCommand.h"
#include "ModelsCommand.h"
#include "PresetsCommand.h"
#include "RunCommand.h"
#include "TokenCommand.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {
QString usage()
{
    return QCoreApplication::translate(
        "main",
        "Usage: inference-desk-cli <command> [options]\n"
        "\n"
        "Commands:\n"
        "  call      send one inference request (inference-desk-cli call --help)\n"
        "  run       run the Hugging Face Inference (and chat Request) tasks of a Kestra flow (run --help)\n"
        "  chat      chat completion through the router (chat --help)\n"
        "  token     keep the Hugging Face token in the OS keychain: set | status | delete\n"
        "  presets   saved requests: list | show | run | import | export\n"
        "  models    find models on the Hub and see who serves them: search | info\n"
        "  batch     one request per input of a folder, text, CSV or JSONL file (batch --help)\n"
        "  compare   one input through several models, side by side (compare --help)\n"
        "  history   past exchanges: list | search | show | rerun | delete | export\n"
        "\n"
        "Options: --help, --version\n"
        "\n"
        "Exit codes: 0 success, 1 the API answered an error, 2 bad usage or input, 3 network failure "
        "or timeout.\n");
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("inference-desk"));
    QCoreApplication::setOrganizationName(QStringLiteral("inference-desk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(IDESK_VERSION));

    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h") ||
        args.at(1) == QLatin1String("help")) {
        QTextStream(stdout) << usage();
        return args.size() < 2 ? 2 : 0;
    }
    if (args.at(1) == QLatin1String("--version") || args.at(1) == QLatin1String("-v")) {
        QTextStream(stdout) << "inference-desk-cli " << QCoreApplication::applicationVersion() << '\n';
        return 0;
    }
    const QString command = args.at(1);
    args.removeAt(1); // the subcommand's parser sees "program [options]"
    if (command == QLatin1String("call"))
        return idesk::cli::runCallCommand(args);
    if (command == QLatin1String("chat"))
        return idesk::cli::runChatCommand(args);
    if (command == QLatin1String("token"))
        return idesk::cli::runTokenCommand(args);
    if (command == QLatin1String("run"))
        return idesk::cli::runFlowCommand(args);
    if (command == QLatin1String("presets"))
        return idesk::cli::runPresetsCommand(args);
    if (command == QLatin1String("models"))
        return idesk::cli::runModelsCommand(args);
    if (command == QLatin1String("batch"))
        return idesk::cli::runBatchCommand(args);
    if (command == QLatin1String("compare"))
        return idesk::cli::runCompareCommand(args);
    if (command == QLatin1String("history"))
        return idesk::cli::runHistoryCommand(args);
    idesk::cli::printError(
        QCoreApplication::translate("main", "unknown command \"%1\".\n%2").arg(command, usage()));
    return 2;
}
