// Kestra flows as an attacker writes them (issue 19): self-referencing aliases, "billion laughs", flows with
// 100,000 tasks or lists nested past the depth limit, secret() of any environment variable, read() of
// /proc/self/environ, ../ paths, symlinks, /dev/zero, FIFOs, a 2 GiB file and 2,000 reads of a 1 MiB file.
// Each is refused with a sentence naming the limit (and the variable that raises it) or the rule.
#include "TestConfig.h"

#include "KestraFlow.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>
#include <sys/stat.h>

using namespace idesk;

namespace {
const QString kToken = QStringLiteral("hf_hostile_token_never_sent");

QByteArray inferenceFlow(const QByteArray &inputsLine, const QByteArray &extra = {})
{
    return "id: f\nnamespace: t\ntasks:\n- id: a\n  type: io.kestra.plugin.huggingface.Inference\n"
           "  model: m/x\n  apiKey: \"{{ secret('HUGGINGFACE_API_KEY') }}\"\n  inputs: " +
           inputsLine + "\n" + extra;
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

qint64 maxRssKb()
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

// Sets an environment variable for the scope of a test.
struct ScopedEnv
{
    QByteArray name;
    ScopedEnv(const char *n, const QByteArray &value) : name(n) { qputenv(n, value); }
    ~ScopedEnv() { qunsetenv(name.constData()); }
};
} // namespace

class TestKestraFlowHostile : public QObject
{
    Q_OBJECT

    KestraFlow::SecretResolver resolver()
    {
        return [](const QString &) -> std::optional<QString> { return kToken; };
    }

    std::optional<KestraFlow> parseIn(const QString &dir, const QByteArray &yaml, QString *error)
    {
        error->clear();
        return KestraFlow::parse(yaml, dir, resolver(), error);
    }

private Q_SLOTS:
    // ---- YAML ----

    void selfReferencingAliasIsRefused_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::newRow("inputs list") << inferenceFlow("&a [*a]");
        QTest::newRow("parameters map") << inferenceFlow("hi", "  parameters: &p {x: *p}\n");
        QTest::newRow("nested") << inferenceFlow("hi", "  parameters: &p {x: [1, {y: *p}]}\n");
        QTest::newRow("tasks list") << QByteArray("id: f\nnamespace: t\ntasks: &t\n- id: s\n  type: "
                                                  "io.kestra.plugin.core.flow.Sequential\n  tasks: *t\n");
    }
    void selfReferencingAliasIsRefused()
    {
        QFETCH(QByteArray, yaml);
        QString error;
        const auto flow = KestraFlow::parse(yaml, QDir::tempPath(), resolver(), &error);
        QVERIFY(!flow);
        QVERIFY2(error.contains(QLatin1String("refers to itself")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("line ")), qPrintable(error));
    }

    void billionLaughsIsRefusedFast()
    {
        // 9 levels of 10 aliases: about 1 KB of YAML that expands to 10^9 values.
        QByteArray yaml = "id: f\nnamespace: t\nx0: &l0 [lol]\n";
        for (int i = 1; i <= 9; ++i) {
            yaml += "x" + QByteArray::number(i) + ": &l" + QByteArray::number(i) + " [";
            for (int j = 0; j < 10; ++j)
                yaml += (j ? ", *l" : "*l") + QByteArray::number(i - 1);
            yaml += "]\n";
        }
        yaml += inferenceFlow("hi").mid(QByteArray("id: f\nnamespace: t\n").size());
        yaml.replace("inputs: hi", "inputs: *l9");
        QVERIFY(yaml.size() < 1500);
        const qint64 before = maxRssKb();
        QString error;
        QVERIFY(!KestraFlow::parse(yaml, QDir::tempPath(), resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("IDESK_FLOW_MAX_NODES")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("100000")), qPrintable(error));
        QVERIFY2(maxRssKb() - before < 100 * 1024, "the refusal must not build the expansion");
    }

    void nodeLimitCanBeRaisedAndLowered()
    {
        // the seed flow passes with the defaults, is refused under a budget of 10 nodes
        const QString seed = QStringLiteral(IDESK_TEST_DATA_DIR "/flows/huggingface_inference_text.yaml");
        QString error;
        QVERIFY2(KestraFlow::load(seed, resolver(), &error), qPrintable(error));
        ScopedEnv env("IDESK_FLOW_MAX_NODES", "10");
        QVERIFY(!KestraFlow::load(seed, resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("IDESK_FLOW_MAX_NODES (now 10)")), qPrintable(error));
    }

    void tooManyTasksAreRefused()
    {
        QByteArray yaml = "id: f\nnamespace: t\ntasks:\n";
        yaml.reserve(8 * 1024 * 1024);
        for (int i = 0; i < 100000; ++i)
            yaml +=
                "- id: t" + QByteArray::number(i) + "\n  type: io.kestra.plugin.core.log.Log\n  message: x\n";
        const qint64 before = maxRssKb();
        QString error;
        QVERIFY(!KestraFlow::parse(yaml, QDir::tempPath(), resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("more than 1000 tasks")) &&
                     error.contains(QLatin1String("IDESK_FLOW_MAX_TASKS")),
                 qPrintable(error));
        QVERIFY2(maxRssKb() - before < 100 * 1024, "no YAML tree of 100,000 tasks is built");

        // the same through one alias used 2,000 times
        QByteArray aliases =
            "id: f\nnamespace: t\nt: &t {id: x, type: io.kestra.plugin.core.log.Log}\ntasks: [";
        for (int i = 0; i < 2000; ++i)
            aliases += (i ? ", *t" : "*t");
        aliases += "]\n";
        QVERIFY(!KestraFlow::parse(aliases, QDir::tempPath(), resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("IDESK_FLOW_MAX_TASKS")), qPrintable(error));
    }

    void deepNestingIsRefused()
    {
        const QByteArray deep = QByteArray(100, '[') + QByteArray(100, ']');
        QString error;
        QVERIFY(!KestraFlow::parse(inferenceFlow("hi", "  parameters: {x: " + deep + "}\n"), QDir::tempPath(),
                                   resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("nest more than 64 deep")) &&
                     error.contains(QLatin1String("IDESK_FLOW_MAX_DEPTH")),
                 qPrintable(error));
        // 50 deep is within the limit
        const QByteArray fine = QByteArray(50, '[') + QByteArray(50, ']');
        QVERIFY2(KestraFlow::parse(inferenceFlow("hi", "  parameters: {x: " + fine + "}\n"), QDir::tempPath(),
                                   resolver(), &error),
                 qPrintable(error));
    }

    void hugeListIsRefused()
    {
        QByteArray list = "[0";
        for (int i = 1; i < 20000; ++i)
            list += ",0";
        list += "]";
        QString error;
        QVERIFY(!KestraFlow::parse(inferenceFlow("hi", "  parameters: {x: " + list + "}\n"), QDir::tempPath(),
                                   resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("more than 10000 entries")) &&
                     error.contains(QLatin1String("IDESK_FLOW_MAX_ELEMENTS")),
                 qPrintable(error));
    }

    void aliasedTextIsBounded()
    {
        // a 1 MiB string used 100 times: 100 MiB of text from 1 MiB of YAML
        QByteArray yaml = "id: f\nnamespace: t\ns: &s \"" + QByteArray(1024 * 1024, 'a') + "\"\n";
        QByteArray uses = "[";
        for (int i = 0; i < 100; ++i)
            uses += (i ? ", *s" : "*s");
        uses += "]";
        yaml += inferenceFlow("hi", "  parameters: {x: " + uses + "}\n")
                    .mid(QByteArray("id: f\nnamespace: t\n").size());
        QString error;
        QVERIFY(!KestraFlow::parse(yaml, QDir::tempPath(), resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("IDESK_FLOW_MAX_TEXT")), qPrintable(error));
    }

    void flowFileIsReadUnderItsCap()
    {
        QString error;
        QVERIFY(!KestraFlow::load(QStringLiteral("/dev/zero"), resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("not a regular file")), qPrintable(error));

        QTemporaryDir dir;
        const QString big = dir.filePath(QStringLiteral("big.yaml"));
        QVERIFY(writeAll(big, inferenceFlow("hi") + "# " + QByteArray(4096, 'x') + "\n"));
        QVERIFY2(KestraFlow::load(big, resolver(), &error), qPrintable(error));
        ScopedEnv env("IDESK_FLOW_MAX_BYTES", "1K");
        QVERIFY(!KestraFlow::load(big, resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("IDESK_FLOW_MAX_BYTES")), qPrintable(error));
        // a link to /dev/zero named like a flow
        const QString link = dir.filePath(QStringLiteral("zero.yaml"));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), link));
        QVERIFY(!KestraFlow::load(link, resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("not a regular file")), qPrintable(error));
    }

    // ---- secret() ----

    void secretReadsOnlySecretVariables()
    {
        ScopedEnv any("IDESK_TEST_ANY_VAR", "value-of-any-variable");
        QString error;
        // in inputs: ANY_VAR itself is never read; the message names SECRET_<NAME>
        auto flow = KestraFlow::parse(inferenceFlow("\"{{ secret('IDESK_TEST_ANY_VAR') }}\""),
                                      QDir::tempPath(), resolver(), &error);
        QVERIFY(!flow);
        QVERIFY2(error.contains(QLatin1String("SECRET_IDESK_TEST_ANY_VAR")), qPrintable(error));
        QVERIFY(!error.contains(QLatin1String("value-of-any-variable")));

        // SECRET_<NAME> holds it base64-encoded, as Kestra reads it
        {
            ScopedEnv secret("SECRET_IDESK_TEST_ANY_VAR", QByteArray("a secret value").toBase64());
            flow = KestraFlow::parse(inferenceFlow("\"x {{ secret('IDESK_TEST_ANY_VAR') }} y\""),
                                     QDir::tempPath(), resolver(), &error);
            QVERIFY2(flow, qPrintable(error));
            QCOMPARE(flow->tasks.first().request.inputs.toString(), QStringLiteral("x a secret value y"));
        }
        // not base64: taken as written
        {
            ScopedEnv secret("SECRET_IDESK_TEST_ANY_VAR", "plain_text!");
            flow = KestraFlow::parse(inferenceFlow("\"{{ secret('IDESK_TEST_ANY_VAR') }}\""),
                                     QDir::tempPath(), resolver(), &error);
            QVERIFY2(flow, qPrintable(error));
            QCOMPARE(flow->tasks.first().request.inputs.toString(), QStringLiteral("plain_text!"));
        }
        QCOMPARE(KestraFlow::environmentSecret(QStringLiteral("IDESK_TEST_ANY_VAR")), std::nullopt);

        // importing (no resolver): nothing is looked up, the expression is kept as written, not lost
        flow = KestraFlow::parse(inferenceFlow("\"{{ secret('IDESK_TEST_ANY_VAR') }}\""), QDir::tempPath(),
                                 {}, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.first().request.inputs.toString(),
                 QStringLiteral("{{ secret('IDESK_TEST_ANY_VAR') }}"));
        QVERIFY(flow->tasks.first().notes.join(QLatin1Char(' ')).contains(QLatin1String("kept as written")));
    }

    void tokenNeverReachesTheBodyThroughSecret()
    {
        // the token's resolver answers for apiKey only: secret('HUGGINGFACE_API_KEY') in inputs or parameters
        // reads SECRET_HUGGINGFACE_API_KEY and nothing else
        qunsetenv("SECRET_HUGGINGFACE_API_KEY");
        QString error;
        QVERIFY(!KestraFlow::parse(inferenceFlow("\"{{ secret('HUGGINGFACE_API_KEY') }}\""), QDir::tempPath(),
                                   resolver(), &error));
        QVERIFY2(error.contains(QLatin1String("SECRET_HUGGINGFACE_API_KEY")), qPrintable(error));
        QVERIFY(!error.contains(kToken));
        QVERIFY(!KestraFlow::parse(
            inferenceFlow("hi", "  parameters: {p: \"{{ secret('HUGGINGFACE_API_KEY') }}\"}\n"),
            QDir::tempPath(), resolver(), &error));
        // apiKey still gets the token from the resolver
        const auto flow = KestraFlow::parse(inferenceFlow("hi"), QDir::tempPath(), resolver(), &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.first().apiKey, kToken);
    }

    // ---- read() ----

    void readStaysInsideTheFlowFolder_data()
    {
        QTest::addColumn<QString>("written");
        QTest::addColumn<QString>("expected");
        QTest::newRow("/proc/self/environ")
            << QStringLiteral("/proc/self/environ") << QStringLiteral("does not exist");
        QTest::newRow("/etc/passwd") << QStringLiteral("/etc/passwd") << QStringLiteral("does not exist");
        QTest::newRow("/dev/zero") << QStringLiteral("/dev/zero") << QStringLiteral("does not exist");
        QTest::newRow("../outside.txt")
            << QStringLiteral("../outside.txt") << QStringLiteral("outside the flow's folder");
        QTest::newRow("../../x") << QStringLiteral("../../x") << QStringLiteral("outside the flow's folder");
        QTest::newRow("sub/../../outside.txt")
            << QStringLiteral("sub/../../outside.txt") << QStringLiteral("outside the flow's folder");
        QTest::newRow("link to a file outside")
            << QStringLiteral("link-out.txt") << QStringLiteral("it leads to");
        QTest::newRow("link to /proc/self/environ")
            << QStringLiteral("environ.txt") << QStringLiteral("outside the flow's folder");
        QTest::newRow("link to /dev/zero")
            << QStringLiteral("zero.txt") << QStringLiteral("outside the flow's folder");
        QTest::newRow("fifo") << QStringLiteral("fifo") << QStringLiteral("not a regular file");
        QTest::newRow("folder") << QStringLiteral("sub") << QStringLiteral("is a folder");
    }
    void readStaysInsideTheFlowFolder()
    {
        QFETCH(QString, written);
        QFETCH(QString, expected);
        QTemporaryDir root;
        QVERIFY(QDir(root.path()).mkpath(QStringLiteral("flow/sub")));
        const QString dir = root.filePath(QStringLiteral("flow"));
        QVERIFY(writeAll(root.filePath(QStringLiteral("outside.txt")), "OUTSIDE SECRET"));
        QVERIFY(
            QFile::link(root.filePath(QStringLiteral("outside.txt")), dir + QStringLiteral("/link-out.txt")));
        QVERIFY(QFile::link(QStringLiteral("/proc/self/environ"), dir + QStringLiteral("/environ.txt")));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), dir + QStringLiteral("/zero.txt")));
        QCOMPARE(::mkfifo(QFile::encodeName(dir + QStringLiteral("/fifo")).constData(), 0600), 0);
        qputenv("IDESK_TEST_LEAK", kToken.toUtf8());
        QString error;
        const auto flow = parseIn(dir, inferenceFlow("\"{{ read('" + written.toUtf8() + "') }}\""), &error);
        qunsetenv("IDESK_TEST_LEAK");
        QVERIFY(!flow);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY(!error.contains(QLatin1String("OUTSIDE SECRET")) && !error.contains(kToken));
    }

    void readInsideTheFolderWorks()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("sub")));
        QVERIFY(writeAll(dir.filePath(QStringLiteral("sub/in.txt")), "inside"));
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("sub/in.txt")),
                            dir.filePath(QStringLiteral("link.txt"))));
        QString error;
        for (const char *written : {"sub/in.txt", "/sub/in.txt", "./sub/../sub/in.txt", "link.txt"}) {
            const auto flow =
                parseIn(dir.path(), inferenceFlow("\"{{ read('" + QByteArray(written) + "') }}\""), &error);
            QVERIFY2(flow, qPrintable(error));
            QCOMPARE(flow->tasks.first().request.inputs.toString(), QStringLiteral("inside"));
            QCOMPARE(flow->tasks.first().inputsReadPath, QString::fromLatin1(written));
        }
    }

    void readOfAHugeFileIsRefused()
    {
        QTemporaryDir dir;
        QFile big(dir.filePath(QStringLiteral("big.txt")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(2LL * 1024 * 1024 * 1024)); // sparse: 2 GiB on no disk
        big.close();
        const qint64 before = maxRssKb();
        QString error;
        QVERIFY(!parseIn(dir.path(), inferenceFlow("\"{{ read('big.txt') }}\""), &error));
        QVERIFY2(error.contains(QLatin1String("IDESK_FLOW_MAX_READ_FILE")), qPrintable(error));
        QVERIFY(maxRssKb() - before < 100 * 1024);
    }

    void renderedStringIsBounded()
    {
        QTemporaryDir dir;
        QVERIFY(writeAll(dir.filePath(QStringLiteral("a.txt")), QByteArray(100, 'a')));
        ScopedEnv cap("IDESK_FLOW_MAX_STRING", "150");
        QString error;
        QVERIFY2(parseIn(dir.path(), inferenceFlow("\"{{ read('a.txt') }}\""), &error), qPrintable(error));
        QVERIFY(!parseIn(dir.path(), inferenceFlow("\"{{ read('a.txt') }} {{ read('a.txt') }}\""), &error));
        QVERIFY2(error.contains(QLatin1String("IDESK_FLOW_MAX_STRING (now 150)")), qPrintable(error));
    }

    void manyReadsAreRefusedByTheTotalCap()
    {
        QTemporaryDir dir;
        QVERIFY(writeAll(dir.filePath(QStringLiteral("one.txt")), QByteArray(1024 * 1024, 'z')));
        QByteArray inputs = "\"";
        for (int i = 0; i < 2000; ++i)
            inputs += "{{ read('one.txt') }}";
        inputs += "\"";
        QString error;
        QVERIFY(!parseIn(dir.path(), inferenceFlow(inputs), &error));
        QVERIFY2(error.contains(QLatin1String("IDESK_FLOW_MAX_READ_TOTAL")) &&
                     error.contains(QLatin1String("in total")),
                 qPrintable(error));
        // under a raised cap the same flow reads
        ScopedEnv total("IDESK_FLOW_MAX_READ_TOTAL", "2M");
        QVERIFY2(parseIn(dir.path(), inferenceFlow("\"{{ read('one.txt') }}{{ read('one.txt') }}\""), &error),
                 qPrintable(error));
        QVERIFY(!parseIn(dir.path(),
                         inferenceFlow("\"{{ read('one.txt') }}{{ read('one.txt') }}{{ read('one.txt') }}\""),
                         &error));
        QVERIFY2(error.contains(QLatin1String("IDESK_FLOW_MAX_READ_TOTAL (now 2097152)")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestKestraFlowHostile)
#include "TestKestraFlowHostile.moc"
