#include "CliRunner.h"

#include "TestConfig.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <sys/resource.h>

namespace idesk::test {

QProcessEnvironment environmentFor(const CliOptions &o)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (o.token)
        env.insert(QStringLiteral("HF_TOKEN"), *o.token);
    else
        env.remove(QStringLiteral("HF_TOKEN"));
    for (const QString &name : o.unset)
        env.remove(name);
    for (auto it = o.set.begin(); it != o.set.end(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

CliRun runProcess(const QString &program, const QStringList &args, const CliOptions &o)
{
    QProcess p;
    p.setProcessEnvironment(environmentFor(o));
    if (!o.workDir.isEmpty())
        p.setWorkingDirectory(o.workDir);
    // AddressSanitizer reserves terabytes of address space for its shadow memory, so an address-space cap
    // would stop an instrumented CLI before main(); the sanitizer build checks memory its own way.
#if defined(__SANITIZE_ADDRESS__)
    constexpr bool underAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    constexpr bool underAddressSanitizer = true;
#else
    constexpr bool underAddressSanitizer = false;
#endif
#else
    constexpr bool underAddressSanitizer = false;
#endif
    if (o.addressSpaceCap > 0 && !underAddressSanitizer) {
        const rlim_t cap = o.addressSpaceCap;
        p.setChildProcessModifier([cap] {
            const rlimit limit{cap, cap};
            ::setrlimit(RLIMIT_AS, &limit);
        });
    }
    p.start(program, args);
    CliRun r;
    if (!p.waitForStarted(10000))
        return r;
    if (!o.stdinBytes.isEmpty())
        p.write(o.stdinBytes);
    p.closeWriteChannel();
    r.finished = p.waitForFinished(o.timeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(5000);
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    if (!r.finished)
        r.exitCode = CliRun::kTimedOut;
    else
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : CliRun::kCrashed;
    if (o.failIfTokenPrinted && o.token && !o.token->isEmpty()) {
        const QByteArray token = o.token->toUtf8();
        if (r.out.contains(token) || r.err.contains(token))
            r.exitCode = CliRun::kTokenPrinted;
    }
    return r;
}

CliRun runCli(const QStringList &args, const CliOptions &o)
{
    return runProcess(QStringLiteral(IDESK_CLI_PATH), args, o);
}

CliOptions loopbackHubOptions(const ReplayServer &server, const QString &home, const QString &token)
{
    CliOptions o;
    o.token = token;
    o.failIfTokenPrinted = true;
    o.unset << QStringLiteral("INFERENCE_DESK_ROUTER");
    o.set.insert(QStringLiteral("HF_ENDPOINT"), server.urlString());
    for (const char *name : {"config", "data", "cache"})
        o.set.insert(QStringLiteral("XDG_%1_HOME").arg(QString::fromLatin1(name).toUpper()),
                     QDir(home).filePath(QString::fromLatin1(name)));
    o.set.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1,localhost"));
    o.workDir = home;
    return o;
}

std::unique_ptr<ReplayServer> startCliReplayServer(QString *why)
{
    if (!QFile::exists(QStringLiteral(IDESK_CLI_PATH))) {
        *why = QStringLiteral("not built: " IDESK_CLI_PATH);
        return nullptr;
    }
    auto server = std::make_unique<ReplayServer>(ReplayServer::Http);
    if (!server->isRunning()) {
        *why = server->errorString();
        return nullptr;
    }
    return server;
}

} // namespace idesk::test
