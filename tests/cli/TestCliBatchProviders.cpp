// batch and compare through Inference Providers (issue 18 with issue 14): each input goes through
// SendController, so `batch --provider fal-ai` and `compare --provider fal-ai` send a provider's form to a
// loopback router (--router) after asking a loopback Hub (HF_ENDPOINT) for each model's mapping; the files a
// provider points at are downloaded without the token.
#include "CliRunner.h"
#include "TestConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using idesk::test::CliOptions;
using idesk::test::CliRun;
using idesk::test::ReplayServer;

namespace {
const QString kToken = QStringLiteral("hf_BatchProvidersTest0123");
const QByteArray kPng = QByteArray::fromHex("89504e470d0a1a0a0000000d4948445200000001");

QJsonObject matching(QJsonObject entry, const QString &path, const QString &body = {})
{
    entry.insert(QStringLiteral("match_path"), path);
    if (!body.isEmpty())
        entry.insert(QStringLiteral("match_body"), body);
    return entry;
}

// The Hub's model info naming fal-ai as the text-to-image provider of `model` (providerId fal-ai/<name>).
QJsonObject mapping(const QString &model)
{
    const QJsonObject fal{{QStringLiteral("status"), QStringLiteral("live")},
                          {QStringLiteral("providerId"), QStringLiteral("fal-ai/") + model.section('/', 1)},
                          {QStringLiteral("task"), QStringLiteral("text-to-image")}};
    const QJsonObject info{
        {QStringLiteral("id"), model},
        {QStringLiteral("inferenceProviderMapping"), QJsonObject{{QStringLiteral("fal-ai"), fal}}}};
    return matching(ReplayServer::answer(200, QStringLiteral("application/json"),
                                         QJsonDocument(info).toJson(QJsonDocument::Compact)),
                    QStringLiteral("/api/models/") + model);
}

// fal-ai's synchronous answer (the file already made) for a prompt, and the file itself.
QJsonArray image(const QString &base, const QString &providerPath, const QString &prompt, const QString &file)
{
    const QJsonObject answer{
        {QStringLiteral("images"),
         QJsonArray{QJsonObject{{QStringLiteral("url"), base + QStringLiteral("/files/") + file}}}}};
    QJsonObject png{{QStringLiteral("status"), 200},
                    {QStringLiteral("headers"),
                     QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("image/png")}}},
                    {QStringLiteral("body_base64"), QString::fromLatin1(kPng.toBase64())}};
    return {matching(ReplayServer::answer(200, QStringLiteral("application/json"),
                                          QJsonDocument(answer).toJson(QJsonDocument::Compact)),
                     providerPath, prompt),
            matching(png, QStringLiteral("/files/") + file)};
}

void append(QJsonArray *queue, const QJsonArray &entries)
{
    for (const QJsonValue &e : entries)
        queue->append(e);
}

QList<QJsonObject> jsonLines(const QByteArray &bytes)
{
    QList<QJsonObject> out;
    for (const QByteArray &line : bytes.split('\n'))
        if (!line.trimmed().isEmpty())
            out << QJsonDocument::fromJson(line).object();
    return out;
}
} // namespace

class TestCliBatchProviders : public QObject
{
    Q_OBJECT
    std::unique_ptr<ReplayServer> m_server;
    QTemporaryDir m_home;

    CliRun run(const QStringList &args)
    {
        const CliOptions o = idesk::test::loopbackHubOptions(*m_server, m_home.path(), kToken);
        return idesk::test::runCli(args + QStringList{QStringLiteral("--router"), m_server->urlString()}, o);
    }

    // Every request: the router's and the Hub's carry the token, a provider's file never.
    void checkTokens()
    {
        for (const QJsonValue &r : m_server->requests()) {
            const QString path = r.toObject().value(QStringLiteral("path")).toString();
            const QString auth = ReplayServer::header(r, QStringLiteral("authorization"));
            if (path.startsWith(QLatin1String("/files/")))
                QVERIFY2(auth.isEmpty(), qPrintable(path));
            else
                QVERIFY2(auth == QStringLiteral("Bearer ") + kToken, qPrintable(path));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        m_server = idesk::test::startCliReplayServer(&why);
        QVERIFY2(m_server, qPrintable(why));
        QVERIFY(m_home.isValid());
    }
    void init() { QVERIFY(m_server->reset()); }

    void batchThroughFalAi()
    {
        QFile lines(m_home.filePath(QStringLiteral("prompts.txt")));
        QVERIFY(lines.open(QIODevice::WriteOnly));
        lines.write("a cat\na dog\n");
        lines.close();
        QJsonArray queue{mapping(QStringLiteral("org/flux"))};
        append(&queue, image(m_server->urlString(), QStringLiteral("/fal-ai/fal-ai/flux"),
                             QStringLiteral("a cat"), QStringLiteral("cat.png")));
        append(&queue, image(m_server->urlString(), QStringLiteral("/fal-ai/fal-ai/flux"),
                             QStringLiteral("a dog"), QStringLiteral("dog.png")));
        QVERIFY(m_server->queue(queue));
        // One worker: the mapping is asked once, then cached for the second input.
        const CliRun r = run({QStringLiteral("batch"), QStringLiteral("--provider"), QStringLiteral("fal-ai"),
                              QStringLiteral("--model"), QStringLiteral("org/flux"), QStringLiteral("--task"),
                              QStringLiteral("text-to-image"), QStringLiteral("--inputs-lines"),
                              lines.fileName(), QStringLiteral("--concurrency"), QStringLiteral("1")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> results = jsonLines(r.out);
        QCOMPARE(results.size(), 2);
        for (const QJsonObject &o : results)
            QVERIFY2(o.value(QStringLiteral("status")).toString() == QLatin1String("ok"), r.out.constData());
        const QJsonArray got = m_server->requests();
        QStringList paths;
        for (const QJsonValue &g : got)
            paths << g.toObject().value(QStringLiteral("path")).toString();
        QCOMPARE(paths,
                 (QStringList{QStringLiteral("/api/models/org/flux"), QStringLiteral("/fal-ai/fal-ai/flux"),
                              QStringLiteral("/files/cat.png"), QStringLiteral("/fal-ai/fal-ai/flux"),
                              QStringLiteral("/files/dog.png")}));
        checkTokens();
        QVERIFY2(!r.err.contains("not supported"), r.err.constData());
    }

    // Four workers, a model whose providers nobody asked for yet: the Hub is asked once, by the first input,
    // and the others wait for its answer instead of asking it three more times.
    void concurrentBatchAsksTheHubOnce()
    {
        QFile lines(m_home.filePath(QStringLiteral("animals.txt")));
        QVERIFY(lines.open(QIODevice::WriteOnly));
        const QStringList prompts = {QStringLiteral("an owl"), QStringLiteral("a fox"),
                                     QStringLiteral("a hare"), QStringLiteral("a wren")};
        lines.write(prompts.join(QLatin1Char('\n')).toUtf8() + '\n');
        lines.close();
        QJsonArray queue{mapping(QStringLiteral("org/sdxl"))}; // one answer from the Hub, no more
        for (const QString &p : prompts)
            append(&queue, image(m_server->urlString(), QStringLiteral("/fal-ai/fal-ai/sdxl"), p,
                                 p.section(' ', 1) + QStringLiteral(".png")));
        QVERIFY(m_server->queue(queue));
        const CliRun r = run({QStringLiteral("batch"), QStringLiteral("--provider"), QStringLiteral("fal-ai"),
                              QStringLiteral("--model"), QStringLiteral("org/sdxl"), QStringLiteral("--task"),
                              QStringLiteral("text-to-image"), QStringLiteral("--inputs-lines"),
                              lines.fileName(), QStringLiteral("--concurrency"), QStringLiteral("4")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> results = jsonLines(r.out);
        QCOMPARE(results.size(), 4);
        for (const QJsonObject &o : results)
            QVERIFY2(o.value(QStringLiteral("status")).toString() == QLatin1String("ok"), r.out.constData());
        int hub = 0;
        for (const QJsonValue &g : m_server->requests())
            hub += g.toObject()
                       .value(QStringLiteral("path"))
                       .toString()
                       .startsWith(QLatin1String("/api/models/"));
        QCOMPARE(hub, 1);
        checkTokens();
    }

    void compareTwoModelsThroughFalAi()
    {
        QJsonArray queue{mapping(QStringLiteral("org/alpha")), mapping(QStringLiteral("org/beta"))};
        append(&queue, image(m_server->urlString(), QStringLiteral("/fal-ai/fal-ai/alpha"),
                             QStringLiteral("a cat"), QStringLiteral("alpha.png")));
        append(&queue, image(m_server->urlString(), QStringLiteral("/fal-ai/fal-ai/beta"),
                             QStringLiteral("a cat"), QStringLiteral("beta.png")));
        QVERIFY(m_server->queue(queue));
        const CliRun r =
            run({QStringLiteral("compare"), QStringLiteral("--model"), QStringLiteral("org/alpha"),
                 QStringLiteral("--model"), QStringLiteral("org/beta"), QStringLiteral("--provider"),
                 QStringLiteral("fal-ai"), QStringLiteral("--task"), QStringLiteral("text-to-image"),
                 QStringLiteral("--inputs"), QStringLiteral("a cat"), QStringLiteral("--format"),
                 QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray a = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(0).toObject().value(QStringLiteral("model")).toString(), QStringLiteral("org/alpha"));
        QCOMPARE(a.at(1).toObject().value(QStringLiteral("model")).toString(), QStringLiteral("org/beta"));
        for (const QJsonValue &c : a) {
            QCOMPARE(c.toObject().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
            QCOMPARE(c.toObject().value(QStringLiteral("provider")).toString(), QStringLiteral("fal-ai"));
        }
        QCOMPARE(m_server->requests().size(), 6);
        checkTokens();
    }
};

QTEST_GUILESS_MAIN(TestCliBatchProviders)
#include "TestCliBatchProviders.moc"
