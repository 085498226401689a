// Copy-as-code: each snippet, run as printed (bash for curl, python3 for Python) against the loopback
// replay server, sends what InferenceClient sends: method, path, body and headers.
#include "TestConfig.h"

#include "CodeSnippets.h"
#include "InferenceClient.h"
#include "KestraFlow.h"
#include "ReplayServer.h"
#include "RequestEncoder.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;
using idesk::test::ReplayServer;

namespace {
const QString kToken =
    QStringLiteral("hf_") +
    QStringLiteral(
        "SnippetTestToken0123456789abcdefghijk") /* fake; split so it never looks like a real token */;
const QByteArray kAnswer = R"([{"label":"POSITIVE","score":0.9876}])";

QByteArray seedImage()
{
    QFile f(QStringLiteral(IDESK_TEST_DATA_DIR "/flows/my-base64-image.txt"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QByteArray::fromBase64(f.readAll());
}

QJsonObject answerEntry()
{
    return QJsonObject{{QStringLiteral("status"), 200},
                       {QStringLiteral("headers"),
                        QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("application/json")}}},
                       {QStringLiteral("body"), QJsonDocument::fromJson(kAnswer).array()}};
}

bool pythonHasRequests()
{
    QProcess p;
    p.start(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral("import requests")});
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runScript(const QString &program, const QString &scriptPath, const QString &workDir)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HF_TOKEN"), kToken);
    env.remove(QStringLiteral("http_proxy"));
    env.remove(QStringLiteral("HTTP_PROXY"));
    env.remove(QStringLiteral("all_proxy"));
    env.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1,localhost"));
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(workDir);
    p.start(program, {scriptPath});
    Run r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}
} // namespace

class TestCodeSnippets : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    InferenceRequest base(const ReplayServer &server)
    {
        InferenceRequest r;
        r.endpoint = server.urlString() + QStringLiteral("/models");
        r.model = QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest");
        r.inputs = QStringLiteral("I want a refund");
        return r;
    }

private Q_SLOTS:
    void quoting()
    {
        QCOMPARE(CodeSnippets::shellQuote(QStringLiteral("it's")), QStringLiteral("'it'\\''s'"));
        QCOMPARE(CodeSnippets::pythonString(QStringLiteral("a\"b\\c\nd")),
                 QStringLiteral("\"a\\\"b\\\\c\\nd\""));
        QCOMPARE(CodeSnippets::kindFromName(QStringLiteral("Python")), CodeSnippets::Kind::Python);
        QVERIFY(!CodeSnippets::kindFromName(QStringLiteral("perl")));
    }

    void snippetsSendWhatTheAppSends_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("kestra generic text") << QStringLiteral("text");
        QTest::newRow("awkward characters and parameters") << QStringLiteral("awkward");
        QTest::newRow("question answering json") << QStringLiteral("qa");
        QTest::newRow("raw image file") << QStringLiteral("image");
        QTest::newRow("image with parameters") << QStringLiteral("image-params");
        QTest::newRow("large body") << QStringLiteral("large");
    }

    void snippetsSendWhatTheAppSends()
    {
        QFETCH(QString, kind);
        QVERIFY(m_dir.isValid());
        ReplayServer server;
        QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
        const bool withPython = pythonHasRequests();

        InferenceRequest r = base(server);
        if (kind == QLatin1String("awkward")) {
            r.inputs =
                QStringLiteral("It's \"quoted\" — ünïcödé\nnew line $HOME `date` \\ back %s {{x}} '\t'");
            r.parameters.insert(QStringLiteral("top_k"), 2);
            r.parameters.insert(QStringLiteral("function_to_apply"), QStringLiteral("sigmoid"));
            r.useCache = false;
            r.waitForModel = true;
        } else if (kind == QLatin1String("qa")) {
            r.model = QStringLiteral("deepset/roberta-base-squad2");
            r.task = QStringLiteral("question-answering");
            r.inputs = QJsonObject{
                {QStringLiteral("question"), QStringLiteral("Where do I live?")},
                {QStringLiteral("context"), QStringLiteral("My name is Wolfgang and I live in Berlin")}};
        } else if (kind.startsWith(QLatin1String("image"))) {
            const QString path = m_dir.filePath(QStringLiteral("my cat's photo.jpg"));
            QVERIFY(writeFile(path, seedImage()));
            r.model = QStringLiteral("google/vit-base-patch16-224");
            r.task = QStringLiteral("image-classification");
            r.inputs = QJsonValue();
            r.file = {path, seedImage(), QStringLiteral("image/jpeg")};
            if (kind == QLatin1String("image-params"))
                r.parameters.insert(QStringLiteral("top_k"), 3);
        } else if (kind == QLatin1String("large")) {
            QString text;
            for (int i = 0; i < 6000; ++i)
                text += QStringLiteral("line %1: it's long; ").arg(i);
            r.inputs = text;
        }

        QString error;
        const EncodedRequest encoded = RequestEncoder::encode(r, &error);
        QVERIFY2(encoded.url.isValid(), qPrintable(error));

        QJsonArray answers{answerEntry(), answerEntry()};
        if (withPython)
            answers.append(answerEntry());
        QVERIFY(server.queue(answers));

        // 1. the app
        InferenceClient client;
        client.setToken(kToken);
        TokenPolicy policy;
        policy.setExplicitEndpointChosen(true);
        client.setTokenPolicy(policy);
        QSignalSpy finished(&client, &InferenceClient::finished);
        client.start(r);
        QVERIFY(finished.wait(20000));
        const auto result = finished.first().first().value<InferenceResult>();
        QVERIFY2(result.ok(), qPrintable(result.errorMessage));

        // 2. curl, run as printed
        const QString curl = CodeSnippets::curl(r, &error);
        QVERIFY2(!curl.isEmpty(), qPrintable(error));
        QVERIFY(!curl.contains(kToken));
        QVERIFY(curl.contains(QStringLiteral("$HF_TOKEN")));
        if (kind == QLatin1String("image"))
            QVERIFY2(curl.contains(QStringLiteral("--data-binary '@")), qPrintable(curl));
        const QString curlPath = m_dir.filePath(QStringLiteral("snippet.sh"));
        QVERIFY(writeFile(curlPath, curl.toUtf8()));
        const Run curlRun = runScript(QStringLiteral("bash"), curlPath, m_dir.path());
        QVERIFY2(curlRun.exitCode == 0, curlRun.err.constData());
        QCOMPARE(curlRun.out.trimmed(), kAnswer);

        // 3. Python, run as printed
        const QString python = CodeSnippets::python(r, &error);
        QVERIFY2(!python.isEmpty(), qPrintable(error));
        QVERIFY(!python.contains(kToken));
        QVERIFY(python.contains(QStringLiteral("os.environ[\"HF_TOKEN\"]")));
        if (withPython) {
            const QString pyPath = m_dir.filePath(QStringLiteral("snippet.py"));
            QVERIFY(writeFile(pyPath, python.toUtf8()));
            const Run pyRun = runScript(QStringLiteral("python3"), pyPath, m_dir.path());
            QVERIFY2(pyRun.exitCode == 0, pyRun.err.constData());
            QCOMPARE(pyRun.out.trimmed(), kAnswer);
        } else {
            qWarning("python3 has no `requests` module (install python3-requests): the Python snippet was "
                     "not run");
        }

        const QJsonArray received = server.requests();
        QCOMPARE(received.size(), withPython ? 3 : 2);
        const QJsonObject app = received.at(0).toObject();
        QCOMPARE(app.value(QStringLiteral("path")).toString(), encoded.url.path(QUrl::FullyEncoded));
        QCOMPARE(ReplayServer::body(app), encoded.body);
        const QJsonObject appHeaders = app.value(QStringLiteral("headers")).toObject();
        QCOMPARE(appHeaders.value(QStringLiteral("authorization")).toString(),
                 QStringLiteral("Bearer ") + kToken);
        for (int i = 1; i < received.size(); ++i) {
            const QJsonObject other = received.at(i).toObject();
            const QString who = i == 1 ? QStringLiteral("curl") : QStringLiteral("python");
            QCOMPARE(other.value(QStringLiteral("method")).toString(),
                     app.value(QStringLiteral("method")).toString());
            QCOMPARE(other.value(QStringLiteral("path")).toString(),
                     app.value(QStringLiteral("path")).toString());
            QCOMPARE(other.value(QStringLiteral("query")).toString(),
                     app.value(QStringLiteral("query")).toString());
            QVERIFY2(ReplayServer::body(other) == ReplayServer::body(app),
                     qPrintable(who + QStringLiteral(": body differs")));
            const QJsonObject headers = other.value(QStringLiteral("headers")).toObject();
            QStringList names{QStringLiteral("authorization")};
            for (const auto &h : encoded.headers)
                names << QString::fromLatin1(h.first).toLower();
            for (const QString &name : names)
                QVERIFY2(headers.value(name) == appHeaders.value(name),
                         qPrintable(QStringLiteral("%1: header %2 is '%3', the app sent '%4'")
                                        .arg(who, name, headers.value(name).toString(),
                                             name == QLatin1String("authorization")
                                                 ? QStringLiteral("(the token)")
                                                 : appHeaders.value(name).toString())));
        }
    }

    void kestraSnippet()
    {
        InferenceRequest r;
        r.model = QStringLiteral("cardiffnlp/twitter-roberta-base-sentiment-latest");
        r.inputs = QStringLiteral("I want a refund");
        r.parameters.insert(QStringLiteral("top_k"), 2);
        r.waitForModel = true;
        QString error;
        const QString flow = CodeSnippets::kestraFlow(r, &error);
        QVERIFY2(!flow.isEmpty(), qPrintable(error));
        QVERIFY(flow.contains(QStringLiteral("apiKey: \"{{ secret('HUGGINGFACE_API_KEY') }}\"")));
        const auto parsed = KestraFlow::parse(flow.toUtf8(), QString(), {}, &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(parsed->tasks.first().request, r);

        // binary input: a file reference, never the token
        r.task = QStringLiteral("image-classification");
        r.inputs = QJsonValue();
        r.parameters = {};
        r.file = {QStringLiteral("/data/cat.jpg"), seedImage(), QStringLiteral("image/jpeg")};
        const QString imageFlow = CodeSnippets::kestraFlow(r, &error);
        QVERIFY2(imageFlow.contains(QStringLiteral("{{ read('cat.jpg.base64') }}")), qPrintable(imageFlow));
        QVERIFY(!imageFlow.contains(QString::fromLatin1(seedImage().toBase64().left(40))));
        for (const auto kind :
             {CodeSnippets::Kind::Curl, CodeSnippets::Kind::Python, CodeSnippets::Kind::Kestra}) {
            const QString s = CodeSnippets::snippet(kind, r, &error);
            QVERIFY2(!s.isEmpty(), qPrintable(error));
            QVERIFY(!s.contains(QStringLiteral("hf_")));
        }
    }

    void unencodableRequest()
    {
        InferenceRequest r; // no model
        QString error;
        QVERIFY(CodeSnippets::curl(r, &error).isEmpty());
        QVERIFY(!error.isEmpty());
        QVERIFY(CodeSnippets::kestraFlow(r, &error).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCodeSnippets)
#include "TestCodeSnippets.moc"
