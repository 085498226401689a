#pragma once
// Runs inference-desk-cli (or another program) as a child process for a test and collects what it did.
//
//   CliOptions o;                        // HF_TOKEN=hf_test_token, SSL_CERT_FILE removed, 60 s
//   o.set.insert("XDG_DATA_HOME", m_data.path());
//   const CliRun r = runCli({"call", "--model", "o/m", ...}, o);
//   QCOMPARE(r.exitCode, 0);
#include "ReplayServer.h"

#include <QByteArray>
#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace idesk::test {

struct CliRun
{
    static constexpr int kNotStarted = -1;
    static constexpr int kCrashed = -2;      // ended by a signal (a crash, or the memory cap)
    static constexpr int kTokenPrinted = -3; // CliOptions::failIfTokenPrinted and the token was in out/err
    static constexpr int kTimedOut = -4;     // still running after CliOptions::timeoutMs: killed

    int exitCode = kNotStarted; // the exit code, or one of the values above
    bool finished = false;      // ended by itself within the timeout
    QByteArray out;
    QByteArray err;
};

struct CliOptions
{
    // HF_TOKEN of the child; std::nullopt removes it from the environment.
    std::optional<QString> token = QStringLiteral("hf_test_token");
    // Removed from this process's environment, then `set` is inserted (so `set` wins).
    QStringList unset{QStringLiteral("SSL_CERT_FILE")};
    QMap<QString, QString> set;
    QString workDir;                 // empty: this process's
    QByteArray stdinBytes;           // written to stdin, which is then closed
    quint64 addressSpaceCap = 0;     // RLIMIT_AS of the child in bytes; 0: none
    int timeoutMs = 60000;           // then the child is killed
    bool failIfTokenPrinted = false; // exitCode becomes kTokenPrinted when out or err holds the token
};

// The environment `o` describes (for tests that drive a QProcess themselves).
QProcessEnvironment environmentFor(const CliOptions &o);

CliRun runProcess(const QString &program, const QStringList &args, const CliOptions &o = {});
// runProcess(IDESK_CLI_PATH, ...)
CliRun runCli(const QStringList &args, const CliOptions &o = {});

// initTestCase of a CLI test: checks that the CLI was built and starts a plain-HTTP replay server.
// nullptr, and *why says what is missing, when either fails.
std::unique_ptr<ReplayServer> startCliReplayServer(QString *why);

// A CLI run against `server` standing in for the Hub (HF_ENDPOINT; pass --router for the router), with its
// settings, data and cache under `home` and working there, `token` as HF_TOKEN and never printed.
CliOptions loopbackHubOptions(const ReplayServer &server, const QString &home, const QString &token);

} // namespace idesk::test
