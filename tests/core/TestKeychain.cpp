// The token in a real OS keychain: KeychainSecretStore against a private, unlocked gnome-keyring
// (tests/support/session-services.sh), checked from outside with secret-tool; the error paths (no
// D-Bus, a bus that never answers); TokenResolver; the `token` CLI; and no token in any XDG file.
#include "CliRunner.h"
#include "KeychainSecretStore.h"
#include "MemorySecretStore.h"
#include "NullSecretStore.h"
#include "ReplayServer.h"
#include "SessionServices.h"
#include "TestConfig.h"
#include "TokenResolver.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocalServer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>

using idesk::KeychainSecretStore;
using idesk::MemorySecretStore;
using idesk::NullSecretStore;
using idesk::SecretStore;
using idesk::TokenResolver;
using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::runProcess;

namespace {

const char kProbeArg[] = "--probe-keychain-read";
const char kTestService[] = "inference-desk";

QString statusName(SecretStore::Status status)
{
    return QString::fromLatin1(QMetaEnum::fromType<SecretStore::Status>().valueToKey(int(status)));
}

QString freshToken()
{
    return QStringLiteral("hf_") + QUuid::createUuid().toString(QUuid::Id128);
}

struct Answer
{
    bool arrived = false;
    SecretStore::Status status = SecretStore::Status::Failed;
    QString secret;
    QString message;
    qint64 elapsedMs = 0;
};

// Runs one store operation and waits for its done() signal (QSignalSpy::wait, no sleeps).
template <typename Op> Answer runOp(SecretStore *store, Op op, int waitMs = 15000)
{
    QSignalSpy spy(store, &SecretStore::done);
    QElapsedTimer clock;
    clock.start();
    op();
    Answer answer;
    if (spy.isEmpty() && !spy.wait(waitMs))
        return answer;
    answer.arrived = true;
    answer.elapsedMs = clock.elapsed();
    const QList<QVariant> args = spy.takeFirst();
    answer.status = args.at(0).value<SecretStore::Status>();
    answer.secret = args.at(1).toString();
    answer.message = args.at(2).toString();
    return answer;
}

// Files under `dir` that contain `needle`; *visited counts the files read.
QStringList filesContaining(const QString &dir, const QByteArray &needle, int *visited)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly))
            continue;
        ++*visited;
        if (file.readAll().contains(needle))
            hits << path;
    }
    return hits;
}

// Child mode: one KeychainSecretStore read with the given timeout; prints status, elapsed, message.
int probeRead(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    KeychainSecretStore store;
    store.setTimeout(argc > 2 ? std::atoi(argv[2]) : KeychainSecretStore::DefaultTimeoutMs);
    QElapsedTimer clock;
    clock.start();
    QObject::connect(&store, &SecretStore::done, &app,
                     [&](SecretStore::Status status, const QString &, const QString &message) {
                         std::printf("status=%s\nelapsed=%lld\nmessage=%s\n", qPrintable(statusName(status)),
                                     static_cast<long long>(clock.elapsed()), qPrintable(message));
                         std::fflush(stdout);
                         app.quit();
                     });
    if (argc > 3 && std::strcmp(argv[3], "write") == 0)
        store.write(SecretStore::tokenKey(), QStringLiteral("hf_probe_value_never_kept_0000"));
    else
        store.read(SecretStore::tokenKey());
    return app.exec();
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void memoryStore();
    void nullStore();
    void keychainWriteReadDelete();
    void keychainReadMissing();
    void keychainUnavailableWithoutBus_data();
    void keychainUnavailableWithoutBus();
    void keychainTimesOut();
    void keychainWithoutDefaultCollection();
    void maskedForm_data();
    void maskedForm();
    void resolverPrefersEnvironment();
    void resolverAsyncSessionStore();
    void cliSetStatusDelete();
    void cliRefusesTokenInArguments();
    void cliStatusCheckUsesToken();
    void noTokenInXdgFiles();
    void cleanupTestCase();

private:
    QString secretToolSearch(const QString &attribute, const QString &value, int *exitCode = nullptr);
    CliOptions cliOptions() const;
    QString probeRead(CliOptions o, int timeoutMs, qint64 *wallMs);

    QStringList m_usedTokens; // every token this test stored or sent, for noTokenInXdgFiles
};

QString TestKeychain::secretToolSearch(const QString &attribute, const QString &value, int *exitCode)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("secret-tool"),
                  {QStringLiteral("search"), QStringLiteral("--all"), attribute, value});
    if (!process.waitForFinished(15000)) {
        process.kill();
        process.waitForFinished(5000);
        return QStringLiteral("<secret-tool did not finish>");
    }
    if (exitCode)
        *exitCode = process.exitCode();
    return QString::fromUtf8(process.readAll());
}

// This process's environment without HF_TOKEN and HF_ENDPOINT; 30 s, then the child is killed.
CliOptions TestKeychain::cliOptions() const
{
    CliOptions o;
    o.token = std::nullopt;
    o.unset = QStringList{QStringLiteral("HF_ENDPOINT")};
    o.timeoutMs = 30000;
    return o;
}

QString TestKeychain::probeRead(CliOptions o, int timeoutMs, qint64 *wallMs)
{
    QElapsedTimer clock;
    clock.start();
    o.timeoutMs = timeoutMs + 20000;
    const CliRun run = runProcess(QCoreApplication::applicationFilePath(),
                                  {QString::fromLatin1(kProbeArg), QString::number(timeoutMs)}, o);
    *wallMs = clock.elapsed();
    return QString::fromUtf8(run.out + run.err);
}

void TestKeychain::initTestCase()
{
    QCOMPARE(qEnvironmentVariable("IDESK_SESSION_SERVICES"), QStringLiteral("1"));
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "no private D-Bus session");
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("secret-tool")).isEmpty(),
             "secret-tool is missing: apt-get install libsecret-tools");
    qunsetenv("HF_TOKEN");
    // A clean keychain: nothing left by an earlier run of this process's session.
    KeychainSecretStore store;
    const Answer cleared = runOp(&store, [&]() { store.remove(SecretStore::tokenKey()); });
    QVERIFY2(cleared.arrived, "the keychain did not answer a delete");
    QCOMPARE(cleared.status, SecretStore::Status::Ok);
}

void TestKeychain::memoryStore()
{
    MemorySecretStore store;
    const QString token = freshToken();
    Answer a = runOp(&store, [&]() { store.read(SecretStore::tokenKey()); });
    QVERIFY(a.arrived);
    QCOMPARE(a.status, SecretStore::Status::NotFound);
    QVERIFY(!a.message.isEmpty());

    a = runOp(&store, [&]() { store.write(SecretStore::tokenKey(), token); });
    QCOMPARE(a.status, SecretStore::Status::Ok);
    QVERIFY(store.contains(SecretStore::tokenKey()));
    a = runOp(&store, [&]() { store.read(SecretStore::tokenKey()); });
    QCOMPARE(a.status, SecretStore::Status::Ok);
    QCOMPARE(a.secret, token);

    a = runOp(&store, [&]() { store.remove(SecretStore::tokenKey()); });
    QCOMPARE(a.status, SecretStore::Status::Ok);
    a = runOp(&store, [&]() { store.read(SecretStore::tokenKey()); });
    QCOMPARE(a.status, SecretStore::Status::NotFound);
}

void TestKeychain::nullStore()
{
    NullSecretStore store;
    for (int op = 0; op < 3; ++op) {
        const Answer a = runOp(&store, [&]() {
            if (op == 0)
                store.read(SecretStore::tokenKey());
            else if (op == 1)
                store.write(SecretStore::tokenKey(), QStringLiteral("hf_never_stored_anywhere"));
            else
                store.remove(SecretStore::tokenKey());
        });
        QVERIFY(a.arrived);
        QCOMPARE(a.status, SecretStore::Status::Unavailable);
        QVERIFY(a.secret.isEmpty());
        // The message says what to do instead.
        QVERIFY2(a.message.contains(QLatin1String("HF_TOKEN")), qPrintable(a.message));
        QVERIFY2(a.message.contains(QLatin1String("session only")), qPrintable(a.message));
    }
    NullSecretStore custom(QStringLiteral("Custom reason."));
    const Answer a = runOp(&custom, [&]() { custom.read(SecretStore::tokenKey()); });
    QCOMPARE(a.message, QStringLiteral("Custom reason."));
}

void TestKeychain::keychainWriteReadDelete()
{
    KeychainSecretStore store;
    QCOMPARE(store.service(), QString::fromLatin1(kTestService));
    QCOMPARE(store.timeout(), 10000);
    const QString token = freshToken();
    m_usedTokens << token;

    Answer a = runOp(&store, [&]() { store.write(SecretStore::tokenKey(), token); });
    QVERIFY2(a.arrived, "no answer to write");
    QVERIFY2(a.status == SecretStore::Status::Ok,
             qPrintable(statusName(a.status) + QLatin1Char(' ') + a.message));
    QVERIFY(a.elapsedMs < 10000);

    // Really there, seen from outside. QtKeychain's libsecret schema "org.qt.keychain" stores the
    // service as attribute "server" and the key as "user" (there is no "service" attribute).
    int rc = -1;
    const QString found = secretToolSearch(QStringLiteral("server"), QString::fromLatin1(kTestService), &rc);
    QCOMPARE(rc, 0);
    QVERIFY2(found.contains(QLatin1String("attribute.user = huggingface-token")),
             "item not found by secret-tool");
    QVERIFY2(found.contains(QLatin1String("attribute.server = inference-desk")),
             "item has no server attribute");
    QVERIFY2(found.contains(QLatin1String("schema = org.qt.keychain")), "item has another schema");
    QVERIFY2(found.contains(QStringLiteral("secret = ") + token), "secret-tool reads another secret");
    QVERIFY(!secretToolSearch(QStringLiteral("service"), QString::fromLatin1(kTestService))
                 .contains(QLatin1String("huggingface-token")));

    a = runOp(&store, [&]() { store.read(SecretStore::tokenKey()); });
    QCOMPARE(a.status, SecretStore::Status::Ok);
    QCOMPARE(a.secret, token);

    // Overwrite: one item, the new value.
    const QString second = freshToken();
    m_usedTokens << second;
    a = runOp(&store, [&]() { store.write(SecretStore::tokenKey(), second); });
    QCOMPARE(a.status, SecretStore::Status::Ok);
    a = runOp(&store, [&]() { store.read(SecretStore::tokenKey()); });
    QCOMPARE(a.secret, second);
    QCOMPARE(secretToolSearch(QStringLiteral("server"), QString::fromLatin1(kTestService))
                 .count(QLatin1String("attribute.user = huggingface-token")),
             1);

    a = runOp(&store, [&]() { store.remove(SecretStore::tokenKey()); });
    QCOMPARE(a.status, SecretStore::Status::Ok);
    // Really gone.
    const QString after = secretToolSearch(QStringLiteral("server"), QString::fromLatin1(kTestService), &rc);
    QVERIFY2(!after.contains(QLatin1String("huggingface-token")), "the item is still in the keyring");
    QVERIFY(!after.contains(second));
    a = runOp(&store, [&]() { store.read(SecretStore::tokenKey()); });
    QCOMPARE(a.status, SecretStore::Status::NotFound);
}

void TestKeychain::keychainReadMissing()
{
    KeychainSecretStore store;
    const Answer a = runOp(&store, [&]() {
        store.read(QStringLiteral("no-such-key-") + QUuid::createUuid().toString(QUuid::Id128));
    });
    QVERIFY(a.arrived);
    QCOMPARE(a.status, SecretStore::Status::NotFound);
    QVERIFY(a.secret.isEmpty());
    QVERIFY2(a.message.contains(QLatin1String("HF_TOKEN")), qPrintable(a.message));
}

void TestKeychain::keychainUnavailableWithoutBus_data()
{
    QTest::addColumn<bool>("deadSocket");
    QTest::newRow("dead socket") << true;
    QTest::newRow("no bus address") << false;
}

void TestKeychain::keychainUnavailableWithoutBus()
{
    QFETCH(bool, deadSocket);
    QTemporaryDir runtime;
    QVERIFY(runtime.isValid());
    CliOptions env = cliOptions();
    env.set.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime.path());
    env.unset << QStringLiteral("DISPLAY");
    if (deadSocket)
        env.set.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                       QStringLiteral("unix:path=") + runtime.filePath(QStringLiteral("no-bus-here")));
    else
        env.unset << QStringLiteral("DBUS_SESSION_BUS_ADDRESS");

    qint64 wallMs = 0;
    const QString out = probeRead(env, 10000, &wallMs);
    QVERIFY2(out.contains(QLatin1String("status=Unavailable")), qPrintable(out));
    // Well under the 10 s job timeout (the child also starts a process and an event loop).
    QVERIFY2(wallMs < 5000, qPrintable(QStringLiteral("took %1 ms").arg(wallMs)));
    QVERIFY2(out.contains(QLatin1String("HF_TOKEN")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("session only")), qPrintable(out));
}

void TestKeychain::keychainTimesOut()
{
    // A "session bus" that accepts the connection and then never says a word, like a keyring stuck
    // behind a password prompt: our own timeout must end the job.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QLocalServer silentBus;
    const QString socketPath = dir.filePath(QStringLiteral("silent-bus"));
    QVERIFY2(silentBus.listen(socketPath), qPrintable(silentBus.errorString()));
    CliOptions env = cliOptions();
    env.set.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=") + socketPath);

    qint64 wallMs = 0;
    const QString out = probeRead(env, 1500, &wallMs);
    QVERIFY2(out.contains(QLatin1String("status=TimedOut")), qPrintable(out));
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("elapsed=(\\d+)")).match(out);
    QVERIFY(m.hasMatch());
    const int elapsed = m.captured(1).toInt();
    QVERIFY2(elapsed >= 1400 && elapsed < 6000, qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("locked")), qPrintable(out));
}

void TestKeychain::keychainWithoutDefaultCollection()
{
    // A bus of its own where gnome-keyring is started on demand with no "login" keyring (a headless
    // machine): creating one needs a prompt that cannot be shown, so a write is refused, quickly.
    QTemporaryDir runtime;
    QTemporaryDir data;
    QVERIFY(runtime.isValid() && data.isValid());
    QVERIFY(QFile::setPermissions(runtime.path(),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    CliOptions env = cliOptions();
    env.set.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime.path());
    env.set.insert(QStringLiteral("XDG_DATA_HOME"), data.path());
    env.unset << QStringLiteral("DISPLAY") << QStringLiteral("WAYLAND_DISPLAY")
              << QStringLiteral("DBUS_SESSION_BUS_ADDRESS")
              << QStringLiteral("GNOME_KEYRING_CONTROL"); // not the outer test keyring
    QElapsedTimer clock;
    clock.start();
    const CliRun run =
        runProcess(QStringLiteral("dbus-run-session"),
                   {QStringLiteral("--"), QCoreApplication::applicationFilePath(),
                    QString::fromLatin1(kProbeArg), QStringLiteral("10000"), QStringLiteral("write")},
                   env);
    QVERIFY(run.finished);
    QVERIFY2(run.out.contains("status=Unavailable"), QByteArray(run.out + run.err).constData());
    QVERIFY2(clock.elapsed() < 8000, qPrintable(QStringLiteral("took %1 ms").arg(clock.elapsed())));
    QVERIFY2(run.out.contains("login"), run.out.constData());
    QVERIFY2(run.out.contains("HF_TOKEN"), run.out.constData());
}

void TestKeychain::maskedForm_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("masked");
    const QChar e(0x2026);
    QTest::newRow("hf token") << (QStringLiteral("hf_") +
                                  QStringLiteral("AbCdEfGhIjKlMnOpQrStUvWxYz0123abcd"))
                              << (QStringLiteral("hf_") + e + QStringLiteral("abcd"));
    QTest::newRow("trimmed") << QStringLiteral("  hf_0123456789wxyz\n")
                             << (QStringLiteral("hf_") + e + QStringLiteral("wxyz"));
    QTest::newRow("short") << QStringLiteral("abcdefgh") << (QString(e) + QStringLiteral("gh"));
    QTest::newRow("tiny") << QStringLiteral("abc") << QString(e);
    QTest::newRow("empty") << QString() << QString();
}

void TestKeychain::maskedForm()
{
    QFETCH(QString, token);
    QFETCH(QString, masked);
    const QString m = TokenResolver::mask(token);
    QCOMPARE(m, masked);
    if (token.trimmed().size() > 4)
        QVERIFY(!m.contains(
            token.trimmed().mid(3, token.trimmed().size() - 7 > 0 ? token.trimmed().size() - 7 : 1)));
}

void TestKeychain::resolverPrefersEnvironment()
{
    KeychainSecretStore store;
    const QString stored = freshToken();
    const QString fromEnv = freshToken();
    m_usedTokens << stored << fromEnv;
    QCOMPARE(runOp(&store, [&]() { store.write(SecretStore::tokenKey(), stored); }).status,
             SecretStore::Status::Ok);

    qputenv("HF_TOKEN", fromEnv.toUtf8() + "\n");
    TokenResolver::Result r = TokenResolver::resolveNow(&store);
    QCOMPARE(r.source, TokenResolver::Source::Environment);
    QCOMPARE(r.token, fromEnv);
    QCOMPARE(r.masked, TokenResolver::mask(fromEnv));
    QVERIFY(r.message.isEmpty());

    qunsetenv("HF_TOKEN");
    r = TokenResolver::resolveNow(&store);
    QCOMPARE(r.source, TokenResolver::Source::Keychain);
    QCOMPARE(r.token, stored);
    QCOMPARE(TokenResolver::sourceName(r.source), QStringLiteral("keychain"));

    // Without a store argument the keychain is used.
    r = TokenResolver::resolveNow();
    QCOMPARE(r.source, TokenResolver::Source::Keychain);
    QCOMPARE(r.token, stored);

    QCOMPARE(runOp(&store, [&]() { store.remove(SecretStore::tokenKey()); }).status, SecretStore::Status::Ok);
    r = TokenResolver::resolveNow(&store);
    QCOMPARE(r.source, TokenResolver::Source::None);
    QVERIFY(!r.hasToken());
    QCOMPARE(r.storeStatus, SecretStore::Status::NotFound);
    QVERIFY2(r.message.contains(QLatin1String("HF_TOKEN")), qPrintable(r.message));

    // No keychain: the store's explanation is passed on.
    NullSecretStore none;
    r = TokenResolver::resolveNow(&none);
    QCOMPARE(r.storeStatus, SecretStore::Status::Unavailable);
    QCOMPARE(r.message, none.message());
}

void TestKeychain::resolverAsyncSessionStore()
{
    MemorySecretStore session;
    const QString token = freshToken();
    QCOMPARE(TokenResolver::writeBlocking(&session, token).status, SecretStore::Status::Ok);
    TokenResolver resolver(&session);
    QSignalSpy spy(&resolver, &TokenResolver::resolved);
    resolver.resolve();
    QVERIFY(spy.wait(5000));
    auto r = spy.takeFirst().at(0).value<TokenResolver::Result>();
    QCOMPARE(r.source, TokenResolver::Source::Session);
    QCOMPARE(r.token, token);

    // Two resolve() calls while the store is being asked: one answer.
    resolver.resolve();
    QVERIFY(resolver.isResolving());
    resolver.resolve();
    QVERIFY(spy.wait(5000));
    QCoreApplication::processEvents();
    QCOMPARE(spy.count(), 1);
    QVERIFY(!resolver.isResolving());
    spy.clear();

    qputenv("HF_TOKEN", "hf_environment_token_wins_0000");
    resolver.resolve();
    QVERIFY(spy.wait(5000));
    r = spy.takeFirst().at(0).value<TokenResolver::Result>();
    qunsetenv("HF_TOKEN");
    QCOMPARE(r.source, TokenResolver::Source::Environment);
    QCOMPARE(spy.count(), 0);
}

void TestKeychain::cliSetStatusDelete()
{
    const QString cli = QStringLiteral(IDESK_CLI_PATH);
    QVERIFY2(QFileInfo(cli).isExecutable(), "build inference-desk-cli first");
    const QString token = freshToken();
    m_usedTokens << token;
    const QString masked = TokenResolver::mask(token);
    const CliOptions env = cliOptions();
    CliOptions typed = env;
    typed.stdinBytes = token.toUtf8() + "\n";

    CliRun run = runProcess(cli, {QStringLiteral("token"), QStringLiteral("set")}, typed);
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(run.out.contains(masked.toUtf8()));
    QVERIFY(!run.out.contains(token.toUtf8()) && !run.err.contains(token.toUtf8()));
    QVERIFY(secretToolSearch(QStringLiteral("server"), QString::fromLatin1(kTestService))
                .contains(QStringLiteral("secret = ") + token));

    run = runProcess(cli, {QStringLiteral("token"), QStringLiteral("status")}, env);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("Source: keychain"), run.out.constData());
    QVERIFY2(run.out.contains((QStringLiteral("Token: ") + masked).toUtf8()), run.out.constData());
    QVERIFY(!run.out.contains(token.toUtf8()) && !run.err.contains(token.toUtf8()));

    CliOptions withEnv = env;
    const QString envToken = freshToken();
    withEnv.token = envToken;
    run = runProcess(cli, {QStringLiteral("token"), QStringLiteral("status")}, withEnv);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("Source: environment (HF_TOKEN)"), run.out.constData());
    QVERIFY(run.out.contains(TokenResolver::mask(envToken).toUtf8()));
    QVERIFY(!run.out.contains(envToken.toUtf8()) && !run.out.contains(token.toUtf8()));

    run = runProcess(cli, {QStringLiteral("token"), QStringLiteral("delete")}, env);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(!secretToolSearch(QStringLiteral("server"), QString::fromLatin1(kTestService)).contains(token));

    run = runProcess(cli, {QStringLiteral("token"), QStringLiteral("status")}, env);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.contains("Source: none"), run.out.constData());
    QVERIFY(run.err.contains("token set"));

    // Deleting again is not an error, and says there was nothing.
    run = runProcess(cli, {QStringLiteral("token"), QStringLiteral("delete")}, env);
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains("nothing to delete"));

    // Empty stdin: a clear message, nothing stored.
    run = runProcess(cli, {QStringLiteral("token"), QStringLiteral("set")}, env); // stdin closed at once
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.contains("stdin"));
}

void TestKeychain::cliRefusesTokenInArguments()
{
    const QString token = freshToken();
    const CliRun run =
        runProcess(QStringLiteral(IDESK_CLI_PATH), {QStringLiteral("token"), QStringLiteral("set"), token},
                   cliOptions()); // stdin closed at once
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("stdin"), run.err.constData());
    QVERIFY(!run.err.contains(token.toUtf8()) && !run.out.contains(token.toUtf8()));
    QVERIFY(!secretToolSearch(QStringLiteral("server"), QString::fromLatin1(kTestService)).contains(token));
}

void TestKeychain::cliStatusCheckUsesToken()
{
    // "Using" the token: `token status --check` sends it to the Hub (here a loopback one named by
    // HF_ENDPOINT) and reports who it belongs to.
    idesk::test::ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    const QJsonObject whoami{
        {QStringLiteral("type"), QStringLiteral("user")},
        {QStringLiteral("name"), QStringLiteral("test-user")},
        {QStringLiteral("auth"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("access_token")},
                     {QStringLiteral("accessToken"),
                      QJsonObject{{QStringLiteral("displayName"), QStringLiteral("ci")},
                                  {QStringLiteral("role"), QStringLiteral("fineGrained")},
                                  {QStringLiteral("fineGrained"),
                                   QJsonObject{{QStringLiteral("global"),
                                                QJsonArray{QStringLiteral("inference.serverless.write")}},
                                               {QStringLiteral("scoped"), QJsonArray{}}}}}}}}};
    QVERIFY(server.queue(
        QJsonArray{QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), whoami}}}));

    const QString token = freshToken();
    m_usedTokens << token;
    CliOptions env = cliOptions();
    env.token = token;
    env.set.insert(QStringLiteral("HF_ENDPOINT"), server.urlString());
    const CliRun run =
        runProcess(QStringLiteral(IDESK_CLI_PATH),
                   {QStringLiteral("token"), QStringLiteral("status"), QStringLiteral("--check")}, env);
    QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
    QVERIFY(run.out.contains("Account: test-user"));
    QVERIFY(run.out.contains("Inference Providers: yes"));
    QVERIFY(!run.out.contains(token.toUtf8()) && !run.err.contains(token.toUtf8()));

    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), 1);
    const QJsonObject request = received.at(0).toObject();
    QCOMPARE(request.value(QLatin1String("path")).toString(), QStringLiteral("/api/whoami-v2"));
    QCOMPARE(
        request.value(QLatin1String("headers")).toObject().value(QLatin1String("authorization")).toString(),
        QStringLiteral("Bearer ") + token);
}

void TestKeychain::noTokenInXdgFiles()
{
    // After storing, reading, deleting and sending tokens above: no file under the (private) XDG
    // directories holds any of them. The keyring file itself is encrypted.
    QVERIFY(m_usedTokens.size() >= 5);
    int visited = 0;
    for (const char *var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"}) {
        const QString dir = qEnvironmentVariable(var);
        QVERIFY2(!dir.isEmpty() && QFileInfo(dir).isDir(), var);
        for (const QString &token : qAsConst(m_usedTokens)) {
            const QStringList hits = filesContaining(dir, token.toUtf8(), &visited);
            QVERIFY2(hits.isEmpty(),
                     qPrintable(QStringLiteral("a token is in ") + hits.join(QLatin1String(", "))));
        }
    }
    // The scan did read the keyring (so it looked where the secret lives).
    QVERIFY2(
        QFileInfo::exists(qEnvironmentVariable("XDG_DATA_HOME") + QStringLiteral("/keyrings/login.keyring")),
        "no login keyring under XDG_DATA_HOME");
    QVERIFY(visited > 0);

    // And the scan would have found one: a planted copy is detected.
    QTemporaryDir planted;
    QFile file(planted.filePath(QStringLiteral("sub/leak.txt")));
    QVERIFY(QDir().mkpath(planted.filePath(QStringLiteral("sub"))));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("prefix " + m_usedTokens.first().toUtf8() + " suffix");
    file.close();
    int plantedVisited = 0;
    QCOMPARE(filesContaining(planted.path(), m_usedTokens.first().toUtf8(), &plantedVisited).size(), 1);
}

void TestKeychain::cleanupTestCase()
{
    KeychainSecretStore store;
    runOp(&store, [&]() { store.remove(SecretStore::tokenKey()); });
}

int main(int argc, char **argv)
{
    if (argc >= 2 && std::strcmp(argv[1], kProbeArg) == 0)
        return probeRead(argc, argv);

    // Only a private bus and keyring may be written to: re-run inside tests/support/session-services.sh.
    if (const int code = idesk::test::ensureSessionServices(argc, argv, "TestKeychain"); code >= 0)
        return code;

    QCoreApplication app(argc, argv);
    TestKeychain test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "TestKeychain.moc"
