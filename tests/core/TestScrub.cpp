// Issue 19: the core scrubber (tokens, Bearer values and hf_ tokens masked; terminal control characters
// escaped) and model ids as URL path segments (dot segments refused, the endpoint's query kept).
#include "ModelPath.h"
#include "RequestEncoder.h"
#include "Scrub.h"

#include <QJsonDocument>
#include <QTest>

using namespace idesk;

class TestScrub : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secrets_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("echoed header") << "you sent Authorization: Bearer abcdefgh12345678 here"
                                       << "you sent Authorization: Bearer [hidden] here";
        QTest::newRow("bearer, any case") << "bearer    tok_ABCDEFGH.xyz;"
                                          << "bearer    [hidden];";
        QTest::newRow("hf token") << "key=hf_abcdefghijABCDEFGHIJ0123 end"
                                  << "key=hf_[hidden] end";
        QTest::newRow("short hf_ word kept") << "the hf_inference route"
                                             << "the hf_inference route";
        QTest::newRow("variable kept") << "-H \"Authorization: Bearer $HF_TOKEN\""
                                       << "-H \"Authorization: Bearer $HF_TOKEN\"";
        QTest::newRow("expression kept") << "Bearer {{ secret('HF') }}"
                                         << "Bearer {{ secret('HF') }}";
        QTest::newRow("json stays json") << R"({"e":"Bearer abcdefgh12345678","f":1})"
                                         << R"({"e":"Bearer [hidden]","f":1})";
        QTest::newRow("nothing") << "plain text"
                                 << "plain text";
    }
    void secrets()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(Scrub::secrets(text), expected);
        QCOMPARE(Scrub::secrets(text.toUtf8()), expected.toUtf8());
    }

    void rememberedTokenMasked()
    {
        const QString token = QStringLiteral("custom-token-ZYX987");
        QVERIFY(Scrub::secrets(QStringLiteral("echo custom-token-ZYX987")).contains(token));
        Scrub::remember(token);
        Scrub::remember(QStringLiteral("short")); // too short to mask
        QCOMPARE(Scrub::secrets(QStringLiteral("echo custom-token-ZYX987!")),
                 QStringLiteral("echo [hidden]!"));
        QCOMPARE(Scrub::secrets(QByteArray("a custom-token-ZYX987")), QByteArray("a [hidden]"));
        QCOMPARE(Scrub::secrets(QStringLiteral("short words")), QStringLiteral("short words"));
    }

    void terminal()
    {
        const QString hostile = QStringLiteral("a\x1b[2Jb\x1b]52;c;ZXZpbA==\x07"
                                               "c\r\n\td") +
                                QChar(0x9b) + QStringLiteral("e\x7f");
        const QString shown = Scrub::terminal(hostile);
        for (const QChar c : shown)
            QVERIFY2(c == QLatin1Char('\n') || c == QLatin1Char('\t') ||
                         (c.unicode() >= 0x20 && c.unicode() != 0x7f &&
                          (c.unicode() < 0x80 || c.unicode() > 0x9f)),
                     qPrintable(shown));
        QCOMPARE(shown, QStringLiteral("a\\x1b[2Jb\\x1b]52;c;ZXZpbA==\\x07c\\x0d\n\td\\u009be\\x7f"));
        const QString clean = QStringLiteral("unchanged: é ü \n\t 漢字");
        QCOMPARE(Scrub::terminal(clean), clean);
    }

    void modelPathProblems_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("ok");
        QTest::newRow("owner/name") << "owner/name" << true;
        QTest::newRow("dots inside") << "org/model.v1..2" << true;
        QTest::newRow("provider") << "meta-llama/Llama-3.1-8B-Instruct:novita" << true;
        QTest::newRow("../../admin") << "../../admin" << false;
        QTest::newRow("etc/passwd") << "x/../../../../etc/passwd" << false;
        QTest::newRow(".") << "a/./b" << false;
        QTest::newRow("trailing ..") << "a/.." << false;
        QTest::newRow("empty segment") << "a//b" << false;
        QTest::newRow("backslash") << "a\\b" << false;
        QTest::newRow("%2e%2e") << "a/%2e%2E/b" << false;
        QTest::newRow("%2f") << "a%2Fb" << false;
        QTest::newRow("control") << "a/b\x1b" << false;
    }
    void modelPathProblems()
    {
        QFETCH(QString, model);
        QFETCH(bool, ok);
        QCOMPARE(ModelPath::problem(model).isEmpty(), ok);
        InferenceRequest request;
        request.model = model;
        request.inputs = QStringLiteral("hi");
        request.endpoint = QStringLiteral("http://h.example/api/v9/models");
        QString error;
        const EncodedRequest encoded = RequestEncoder::encode(request, &error);
        QCOMPARE(encoded.url.isValid(), ok);
        if (!ok)
            QVERIFY2(error.contains(QLatin1String("cannot be a model id")), qPrintable(error));
        else
            QVERIFY(encoded.url.path().startsWith(QLatin1String("/api/v9/models/")));
        // Every route refuses it: chat and completions too.
        request.task = QStringLiteral("chat-completion");
        request.inputs = QJsonValue();
        request.parameters = {};
        if (!ok) {
            QVERIFY(!RequestEncoder::encode(request, &error).url.isValid());
            QVERIFY2(error.contains(QLatin1String("cannot be a model id")), qPrintable(error));
        }
    }

    void endpointQueryKept()
    {
        InferenceRequest request;
        request.model = QStringLiteral("o/m");
        request.inputs = QStringLiteral("hi");
        request.endpoint = QStringLiteral("http://h.example/models?x=1");
        QString error;
        const QUrl url = RequestEncoder::encode(request, &error).url;
        QVERIFY2(url.isValid(), qPrintable(error));
        QCOMPARE(url.path(), QStringLiteral("/models/o/m"));
        QCOMPARE(url.query(), QStringLiteral("x=1"));
        QVERIFY(!url.hasFragment());
        QCOMPARE(RequestEncoder::targetUrl(request), url);

        request.route = TextGenerationRoute::Completions;
        request.task = QStringLiteral("text-generation");
        const QUrl completions = RequestEncoder::encode(request, &error).url;
        QVERIFY2(completions.isValid(), qPrintable(error));
        QCOMPARE(completions.path(), QStringLiteral("/models/o/m/v1/completions"));
        QCOMPARE(completions.query(), QStringLiteral("x=1"));

        QCOMPARE(ModelPath::append(QUrl(QStringLiteral("https://h/a/?k=v#f")), QStringLiteral("b c/d:e"))
                     .toString(QUrl::FullyEncoded),
                 QStringLiteral("https://h/a/b%20c/d:e?k=v"));
    }
};

QTEST_GUILESS_MAIN(TestScrub)
#include "TestScrub.moc"
