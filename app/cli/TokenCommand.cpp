#include "TokenCommand.h"

#include "KeychainSecretStore.h"
#include "TokenPolicy.h"
#include "TokenResolver.h"
#include "WhoAmI.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QTextStream>

#include <cstdio>
#include <iostream>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace idesk::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("TokenCommand", text);
}

void printOut(const QString &text)
{
    QTextStream(stdout) << text << '\n';
}

void printErr(const QString &text)
{
    QTextStream(stderr) << "inference-desk-cli: " << text << '\n';
}

QString usage()
{
    return tr("Usage: inference-desk-cli token <set|status|delete>\n"
              "\n"
              "  set              store the Hugging Face token in the OS keychain; the token is read from\n"
              "                   stdin (typed without echo, or piped: `printenv MY_TOKEN | ... token set`)\n"
              "  status [--check] where the token in use comes from (HF_TOKEN, then the keychain) and its\n"
              "                   masked form; --check asks the Hub who it belongs to and whether it may\n"
              "                   call Inference Providers\n"
              "  delete           remove the token from the keychain\n"
              "\n"
              "Exit codes: 0 success, 1 no token (status) or token refused (--check), 2 bad usage or\n"
              "input, 3 keychain or network unavailable.\n");
}

int exitCodeFor(SecretStore::Status status)
{
    switch (status) {
    case SecretStore::Status::Ok:
        return 0;
    case SecretStore::Status::NotFound:
        return 1;
    case SecretStore::Status::Unavailable:
    case SecretStore::Status::TimedOut:
    case SecretStore::Status::Failed:
        break;
    }
    return 3;
}

// One line from stdin; on a terminal the typed characters are not echoed.
bool readSecretLine(QString *line)
{
    const bool terminal = isatty(STDIN_FILENO) == 1;
    termios saved{};
    bool echoOff = false;
    if (terminal) {
        QTextStream(stderr) << tr("Hugging Face token (input hidden): ") << Qt::flush;
        if (tcgetattr(STDIN_FILENO, &saved) == 0) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            quiet.c_lflag |= ECHONL;
            echoOff = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
        }
    }
    std::string raw;
    const bool got = static_cast<bool>(std::getline(std::cin, raw)) || !raw.empty();
    if (echoOff)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    *line = QString::fromUtf8(raw.data(), static_cast<qsizetype>(raw.size())).trimmed();
    std::fill(raw.begin(), raw.end(), '\0');
    return got;
}

int tokenSet(const QStringList &rest)
{
    if (!rest.isEmpty()) {
        printErr(tr("`token set` takes no arguments: the token is read from stdin so that it never lands in "
                    "the shell history or the process list. Type it at the prompt, or pipe it: "
                    "`printenv MY_TOKEN | inference-desk-cli token set`."));
        return 2;
    }
    QString token;
    if (!readSecretLine(&token) || token.isEmpty()) {
        printErr(tr("No token was given on stdin. Type it at the prompt, or pipe it: "
                    "`printenv MY_TOKEN | inference-desk-cli token set`."));
        return 2;
    }
    for (const QChar c : token) {
        if (c.isSpace() || !c.isPrint()) {
            printErr(tr("The token contains spaces or control characters; paste only the token "
                        "(it looks like hf_...), on one line."));
            return 2;
        }
    }
    if (!token.startsWith(QLatin1String("hf_")))
        printErr(tr("Warning: this does not look like a Hugging Face token (they start with \"hf_\"); "
                    "storing it anyway."));

    KeychainSecretStore store;
    const TokenResolver::StoreAnswer answer = TokenResolver::writeBlocking(&store, token);
    if (answer.status != SecretStore::Status::Ok) {
        printErr(answer.message);
        return exitCodeFor(answer.status);
    }
    printOut(tr("Stored the Hugging Face token %1 in the keychain.").arg(TokenResolver::mask(token)));
    if (!TokenResolver::environmentToken().isEmpty())
        printOut(tr("Note: HF_TOKEN is set in this environment and is used before the keychain."));
    return 0;
}

int tokenStatus(const QStringList &rest)
{
    bool check = false;
    for (const QString &arg : rest) {
        if (arg == QLatin1String("--check")) {
            check = true;
        } else {
            printErr(tr("unknown option \"%1\" for `token status`.\n%2").arg(arg, usage()));
            return 2;
        }
    }
    const TokenResolver::Result result = TokenResolver::resolveNow();
    printOut(tr("Source: %1").arg(TokenResolver::sourceName(result.source)));
    if (!result.hasToken()) {
        printErr(result.message);
        return result.storeStatus == SecretStore::Status::Ok ||
                       result.storeStatus == SecretStore::Status::NotFound
                   ? 1
                   : 3;
    }
    printOut(tr("Token: %1").arg(result.masked));
    if (!check)
        return 0;

    WhoAmI whoAmI;
    TokenPolicy policy = TokenPolicy::fromSettings();
    // HF_ENDPOINT is the person's own choice of Hub (a mirror or a local one): the token may go there.
    policy.approveOrigin(qEnvironmentVariable("HF_ENDPOINT")); // its origin only
    whoAmI.setTokenPolicy(policy);
    QEventLoop loop;
    WhoAmI::Info info;
    QObject::connect(&whoAmI, &WhoAmI::finished, &loop, [&](const WhoAmI::Info &answer) {
        info = answer;
        loop.quit();
    });
    whoAmI.check(result.token);
    loop.exec();
    if (info.ok) {
        printOut(tr("Account: %1").arg(info.name));
        printOut(tr("Inference Providers: %1").arg(info.mayCallInferenceProviders ? tr("yes") : tr("no")));
        printOut(info.message);
        return info.mayCallInferenceProviders ? 0 : 1;
    }
    printErr(info.message);
    return info.httpStatus == 0 ? 3 : 1;
}

int tokenDelete(const QStringList &rest)
{
    if (!rest.isEmpty()) {
        printErr(tr("`token delete` takes no arguments.\n%1").arg(usage()));
        return 2;
    }
    KeychainSecretStore store;
    const TokenResolver::StoreAnswer existing = TokenResolver::readBlocking(&store);
    if (existing.status == SecretStore::Status::NotFound) {
        printOut(tr("No Hugging Face token is stored in the keychain; nothing to delete."));
        return 0;
    }
    if (existing.status != SecretStore::Status::Ok) {
        printErr(existing.message);
        return exitCodeFor(existing.status);
    }
    const TokenResolver::StoreAnswer answer = TokenResolver::removeBlocking(&store);
    if (answer.status != SecretStore::Status::Ok) {
        printErr(answer.message);
        return exitCodeFor(answer.status);
    }
    printOut(tr("Deleted the Hugging Face token from the keychain."));
    if (!TokenResolver::environmentToken().isEmpty())
        printOut(tr("Note: HF_TOKEN is still set in this environment and will be used."));
    return 0;
}

} // namespace

int runTokenCommand(const QStringList &args)
{
    const QStringList rest = args.mid(2);
    const QString sub = args.value(1);
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h") ||
        sub == QLatin1String("help")) {
        QTextStream(sub.isEmpty() ? stderr : stdout) << usage();
        return sub.isEmpty() ? 2 : 0;
    }
    if (rest.contains(QLatin1String("--help")) || rest.contains(QLatin1String("-h"))) {
        QTextStream(stdout) << usage();
        return 0;
    }
    if (sub == QLatin1String("set"))
        return tokenSet(rest);
    if (sub == QLatin1String("status"))
        return tokenStatus(rest);
    if (sub == QLatin1String("delete") || sub == QLatin1String("remove"))
        return tokenDelete(rest);
    printErr(tr("unknown `token` command \"%1\".\n%2").arg(sub, usage()));
    return 2;
}

} // namespace idesk::cli
