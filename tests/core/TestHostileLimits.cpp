// Issue 19, finding 4: inputs that used to take unbounded memory or time, fed as the issue names them.
// Presets and saved results that are /dev/zero or link to it, a preset name of 5 million characters,
// presets and results nested or packed past their limits, a chat answer with 500,000 tool-call deltas,
// and 4,000 arrays nested 1,000 deep pretty-printed. Each must end quickly with a sentence, not eat the
// memory: a regression shows as a test that runs into ctest's timeout (or the machine's memory).

#include "ChatStreamAssembler.h"
#include "InferenceClient.h"
#include "JsonPrettyPrinter.h"
#include "JsonScanner.h"
#include "LocalFile.h"
#include "PresetStore.h"
#include "SavedResult.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace idesk;

namespace {

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray presetJson(const QString &name, const QJsonValue &inputs = QStringLiteral("hello"),
                      const QJsonObject &file = {})
{
    QJsonObject request{{QStringLiteral("model"), QStringLiteral("m/x")},
                        {QStringLiteral("task"), QStringLiteral("text-classification")},
                        {QStringLiteral("inputs"), inputs}};
    if (!file.isEmpty())
        request.insert(QStringLiteral("file"), file);
    return QJsonDocument(QJsonObject{{QStringLiteral("format"), Preset::formatName()},
                                     {QStringLiteral("version"), 1},
                                     {QStringLiteral("name"), name},
                                     {QStringLiteral("request"), request}})
        .toJson();
}

// `count` arrays, each nested `depth` deep, in one array.
QByteArray nestedArrays(int count, int depth)
{
    const QByteArray one = QByteArray(depth, '[') + QByteArray(depth, ']');
    QByteArray all = "[";
    for (int i = 0; i < count; ++i) {
        if (i)
            all += ',';
        all += one;
    }
    return all + ']';
}

// Records the size of every write: the printer must stream in bounded pieces.
class RecordingDevice : public QIODevice
{
public:
    qint64 total = 0;
    qint64 largestWrite = 0;
    int writes = 0;
    QByteArray head; // the first bytes, to look at

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 len) override
    {
        total += len;
        largestWrite = qMax(largestWrite, len);
        ++writes;
        if (head.size() < 4096)
            head.append(data, qMin<qint64>(len, 4096 - head.size()));
        return len;
    }
};

} // namespace

class TestHostileLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void presetFileThatIsDevZeroIsRefused()
    {
        QString error;
        QVERIFY(!Preset::load(QStringLiteral("/dev/zero"), &error));
        QVERIFY2(error.contains(QLatin1String("not a regular file")), qPrintable(error));
    }

    void presetsFolderWithLinkToDevZeroKeepsGoodPresets()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeAll(dir.filePath(QStringLiteral("good.json")), presetJson(QStringLiteral("Good"))));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), dir.filePath(QStringLiteral("x.json"))));
        QVERIFY(::mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("fifo.json"))).constData(), 0600) ==
                0);
        PresetStore store(dir.path());
        QCOMPARE(store.names(), QStringList{QStringLiteral("Good")});
        QStringList brokenPaths;
        for (const PresetStore::BrokenFile &b : store.brokenFiles()) {
            brokenPaths << QFileInfo(b.path).fileName();
            QVERIFY2(b.error.contains(QLatin1String("not a regular file")), qPrintable(b.error));
        }
        brokenPaths.sort();
        QCOMPARE(brokenPaths, (QStringList{QStringLiteral("fifo.json"), QStringLiteral("x.json")}));
    }

    void presetWhoseFileIsDevZeroIsNotSent()
    {
        const auto preset = Preset::fromJsonBytes(
            presetJson(QStringLiteral("Zero"), QJsonValue(),
                       QJsonObject{{QStringLiteral("path"), QStringLiteral("/dev/zero")},
                                   {QStringLiteral("mimeType"), QStringLiteral("image/png")}}));
        QVERIFY(preset);
        QString error;
        QVERIFY(!preset->resolvedRequest(&error));
        QVERIFY2(error.contains(QLatin1String("/dev/zero")) &&
                     error.contains(QLatin1String("not a regular file")),
                 qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("Zero")), qPrintable(error));
    }

    // A preset naming /proc/self/environ as its file would have sent the environment, HF_TOKEN included.
    void presetWhoseFileIsProcEnvironIsNotSent()
    {
        const auto preset = Preset::fromJsonBytes(
            presetJson(QStringLiteral("Environ"), QJsonValue(),
                       QJsonObject{{QStringLiteral("path"), QStringLiteral("/proc/self/environ")},
                                   {QStringLiteral("mimeType"), QStringLiteral("text/plain")}}));
        QVERIFY(preset);
        QString error;
        QVERIFY(!preset->resolvedRequest(&error));
        QVERIFY2(error.contains(QLatin1String("/proc/self/environ")) && error.contains(QLatin1String("kernel")),
                 qPrintable(error));
        QVERIFY(!LocalFile::read(QStringLiteral("/proc/self/status"), 1 << 20, &error));
        QVERIFY2(error.contains(QLatin1String("kernel")), qPrintable(error));
    }

    void presetNameOfFiveMillionCharacters()
    {
        const QString huge(5 * 1000 * 1000, QLatin1Char('a'));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // In a file: set aside as broken, with the limit named.
        QVERIFY(writeAll(dir.filePath(QStringLiteral("huge.json")), presetJson(huge)));
        PresetStore store(dir.path());
        QVERIFY(store.names().isEmpty());
        QCOMPARE(store.brokenFiles().size(), 1);
        QVERIFY2(store.brokenFiles().at(0).error.contains(QLatin1String("over the limit of 256")),
                 qPrintable(store.brokenFiles().at(0).error));
        // Saved: refused before anything slow (the file name is made from a normalised name).
        QString error;
        QVERIFY(!store.save(Preset::fromRequest(huge, InferenceRequest()), PresetStore::SaveMode::CreateOnly,
                            &error));
        QVERIFY2(error.contains(QLatin1String("at most 256")), qPrintable(error));
        QVERIFY(!store.rename(QStringLiteral("x"), huge, &error));
        // A long but allowed name still gets a short file name.
        const QString longName = QString(256, QChar(0x00E9));
        Preset saved;
        QVERIFY2(store.save(Preset::fromRequest(longName, InferenceRequest()),
                            PresetStore::SaveMode::CreateOnly, &error, &saved),
                 qPrintable(error));
        QVERIFY(QFileInfo(saved.filePath).fileName().size() <= 85);
    }

    void presetNestedOrPackedPastTheLimits()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QByteArray deep = presetJson(QStringLiteral("Deep"), QStringLiteral("@@"));
        deep.replace("\"@@\"", QByteArray(Preset::maxDepth, '[') + QByteArray(Preset::maxDepth, ']'));
        QVERIFY(writeAll(dir.filePath(QStringLiteral("deep.json")), deep));
        QByteArray packed = presetJson(QStringLiteral("Packed"), QStringLiteral("@@"));
        packed.replace("\"@@\"", nestedArrays(int(Preset::maxValues), 1));
        QVERIFY(writeAll(dir.filePath(QStringLiteral("packed.json")), packed));
        QVERIFY(
            writeAll(dir.filePath(QStringLiteral("fine.json")),
                     presetJson(QStringLiteral("Fine"), QJsonArray{QJsonArray{1, 2}, QStringLiteral("x")})));
        PresetStore store(dir.path());
        QCOMPARE(store.names(), QStringList{QStringLiteral("Fine")});
        QCOMPARE(store.brokenFiles().size(), 2);
        for (const PresetStore::BrokenFile &b : store.brokenFiles())
            QVERIFY2(b.error.contains(QLatin1String("over the limits for a preset")), qPrintable(b.error));
    }

    void caBundleThatIsDevZeroIsRefused()
    {
        InferenceClient client;
        QString error;
        QVERIFY(!client.addCaCertificates(QStringLiteral("/dev/zero"), &error));
        QVERIFY2(error.contains(QLatin1String("not a regular file")), qPrintable(error));
    }

    void savedResultThatIsDevZeroIsRefused()
    {
        QString error;
        QVERIFY(!SavedResult::load(QStringLiteral("/dev/zero"), &error));
        QVERIFY2(error.contains(QLatin1String("not a regular file")), qPrintable(error));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString link = dir.filePath(QStringLiteral("result.json"));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), link));
        QVERIFY(!SavedResult::load(link, &error));
        QVERIFY2(error.contains(QLatin1String("not a regular file")), qPrintable(error));
    }

    void savedResultPastTheLimits()
    {
        SavedResult saved;
        saved.request.model = QStringLiteral("m/x");
        saved.request.inputs = QStringLiteral("@@");
        saved.result.status = 200;
        saved.result.contentType = QStringLiteral("application/json");
        saved.result.body = "[1]";
        const QByteArray good = saved.toJson();
        QString error;
        QVERIFY2(SavedResult::fromJson(good, &error), qPrintable(error));

        QByteArray deep = good;
        deep.replace("\"@@\"",
                     QByteArray(SavedResult::maxDepth, '[') + QByteArray(SavedResult::maxDepth, ']'));
        QVERIFY(!SavedResult::fromJson(deep, &error));
        QVERIFY2(error.contains(QLatin1String("nesting deeper than 64")), qPrintable(error));

        QByteArray packed = good;
        packed.replace("\"@@\"", nestedArrays(int(SavedResult::maxValues), 1));
        QVERIFY(!SavedResult::fromJson(packed, &error));
        QVERIFY2(error.contains(QLatin1String("more than 500000 values")), qPrintable(error));

        QByteArray longModel = good;
        longModel.replace("\"m/x\"", '"' + QByteArray(100000, 'm') + '"');
        QVERIFY(!SavedResult::fromJson(longModel, &error));
        QVERIFY2(error.contains(QLatin1String("100000 characters")), qPrintable(error));
    }

    // Found by fuzz_preset and fuzz_saved_result: a JSON number outside qint64's range (2.1e201) was converted
    // to qint64, which is undefined behaviour. A preset refuses it; a saved result's timings fall back.
    void numbersOutOfRangeAreNotConverted()
    {
        QString error;
        const QByteArray preset = "{\"format\": \"inference-desk-preset\", \"version\": 1, \"name\": \"p\", "
                                  "\"request\": {\"options\": {\"readTimeout\": 21E+200}}}";
        QVERIFY(!Preset::fromJsonBytes(preset, &error));
        QVERIFY2(error.contains(QLatin1String("options.readTimeout")), qPrintable(error));
        QByteArray maxLength = preset;
        maxLength.replace("\"readTimeout\": 21E+200", "\"maxContentLength\": -1e300");
        QVERIFY(!Preset::fromJsonBytes(maxLength, &error));
        QVERIFY2(error.contains(QLatin1String("maxContentLength")), qPrintable(error));

        SavedResult saved;
        saved.request.model = QStringLiteral("m/x");
        saved.request.inputs = QStringLiteral("hi");
        saved.result.status = 200;
        saved.result.contentType = QStringLiteral("application/json");
        saved.result.body = "[1]";
        saved.result.elapsedMs = 1234;
        QByteArray bytes = saved.toJson();
        QVERIFY2(bytes.contains("1234"), bytes.constData());
        bytes.replace("1234", "1.1e221");
        const auto loaded = SavedResult::fromJson(bytes, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->result.elapsedMs, qint64(0));
    }

    void halfAMillionToolCallDeltas()
    {
        // 500,000 deltas, each opening a call of its own index then adding to it: a linear search per delta
        // took over 300 s. Constant time per delta keeps this to seconds.
        const int calls = 250000;
        ChatStreamAssembler answer;
        for (int i = 0; i < calls; ++i) {
            answer.addEvent(QByteArray(R"({"choices":[{"delta":{"tool_calls":[{"index":)") +
                            QByteArray::number(i) + R"(,"id":"c)" + QByteArray::number(i) +
                            R"(","function":{"name":"f","arguments":"{"}}]}}]})");
            answer.addEvent(QByteArray(R"({"choices":[{"delta":{"tool_calls":[{"index":)") +
                            QByteArray::number(i) + R"(,"function":{"arguments":"}"}}]}}]})");
        }
        const QList<ChatStreamAssembler::ToolCall> list = answer.toolCalls();
        QCOMPARE(list.size(), calls);
        QCOMPARE(list.at(0).arguments, QStringLiteral("{}"));
        QCOMPARE(list.at(calls - 1).id, QStringLiteral("c%1").arg(calls - 1));
        QCOMPARE(list.at(calls - 1).arguments, QStringLiteral("{}"));
        // calls + ids + names + arguments
        qint64 size = 0;
        for (const auto &c : list)
            size += 1 + c.id.size() + c.name.size() + c.arguments.size();
        QCOMPARE(answer.toolCallsSize(), size);
    }

    void deepNestingPrettyPrintsCompactBelowTheLimit()
    {
        // 4,000 arrays nested 1,000 deep (8 MB) used to become 8 GB of indentation.
        const QByteArray json = nestedArrays(4000, 1000);
        RecordingDevice out;
        QVERIFY(out.open(QIODevice::WriteOnly));
        QString error;
        QVERIFY2(JsonPrettyPrinter::write(json, &out, 2, &error), qPrintable(error));
        QVERIFY2(out.total < 3 * json.size(), qPrintable(QString::number(out.total)));
        QVERIFY(out.largestWrite <= 1 << 20); // streamed in pieces, never the whole at once
        QVERIFY(out.writes > 1);
        // Indented down to the limit, compact below it.
        const QByteArray limitLine =
            '\n' + QByteArray(JsonPrettyPrinter::compactDepth() * 2, ' ') + QByteArray(10, '[');
        QVERIFY(out.head.contains(limitLine));
        QVERIFY(!out.head.contains('\n' + QByteArray(JsonPrettyPrinter::compactDepth() * 2 + 2, ' ')));
        // The text is the same JSON (Qt reads up to 1,024 levels).
        const QByteArray small = nestedArrays(3, 100);
        QCOMPARE(QJsonDocument::fromJson(JsonPrettyPrinter::format(small)), QJsonDocument::fromJson(small));
    }

    void compactOutputKeepsTheAnswerAsReceived()
    {
        const QByteArray in = "{ \"b\" : [1.50, 2e-3 ,{ }],\n \"a\":\"x, \\\"y\\\": [z]\" }";
        QCOMPARE(JsonPrettyPrinter::format(in, 0),
                 QByteArray("{\"b\":[1.50,2e-3,{}],\"a\":\"x, \\\"y\\\": [z]\"}\n"));
    }

    void invalidJsonWritesNothing_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("truncated") << QByteArray("[1,2");
        QTest::newRow("trailing text") << QByteArray("[1] x");
        QTest::newRow("leading zero") << QByteArray("[01]");
        QTest::newRow("bad unicode escape") << QByteArray("[\"\\u12G4\"]");
        QTest::newRow("bad utf-8") << QByteArray("[\"\xC0\xAF\"]");
        QTest::newRow("surrogate utf-8") << QByteArray("[\"\xED\xA0\x80\"]");
        QTest::newRow("unclosed object") << QByteArray("{\"a\":1");
        QTest::newRow("mismatched") << QByteArray("[1}");
        QTest::newRow("key not string") << QByteArray("{a:1}");
        QTest::newRow("empty") << QByteArray("  ");
    }
    void invalidJsonWritesNothing()
    {
        QFETCH(QByteArray, json);
        QCOMPARE(JsonScanner::scan(json).problem, JsonScanner::Problem::Syntax);
        RecordingDevice out;
        QVERIFY(out.open(QIODevice::WriteOnly));
        QString error;
        QVERIFY(!JsonPrettyPrinter::write(json, &out, 2, &error));
        QVERIFY2(error.contains(QLatin1String("not valid JSON")), qPrintable(error));
        QCOMPARE(out.total, qint64(0));
        // Qt agrees that it is not JSON.
        QJsonParseError qtError;
        QJsonDocument::fromJson(json, &qtError);
        QVERIFY(qtError.error != QJsonParseError::NoError);
    }

    void laxLikeQt()
    {
        // Some servers put raw newlines or tabs in strings; Qt reads them, and so does the printer.
        const QByteArray json = "{\"a\":\"line\nnext\ttab \\q\"}";
        QJsonParseError qtError;
        QJsonDocument::fromJson(json, &qtError);
        QCOMPARE(qtError.error, QJsonParseError::NoError);
        QVERIFY(JsonScanner::scan(json).ok());
        QCOMPARE(JsonPrettyPrinter::format(json), QByteArray("{\n  \"a\": \"line\nnext\ttab \\q\"\n}\n"));
    }

    void scannerCountsAndLimits()
    {
        const QByteArray json = R"({"a":[1,"xyz",{"b":null}],"c":true})";
        JsonScanner::Report r = JsonScanner::scan(json);
        QVERIFY2(r.ok(), qPrintable(r.what));
        QCOMPARE(r.depth, 3);
        QCOMPARE(r.elements, qint64(10)); // {} "a" [] 1 "xyz" {} "b" null "c" true
        r = JsonScanner::scan(json, {2, -1, -1});
        QCOMPARE(r.problem, JsonScanner::Problem::TooDeep);
        r = JsonScanner::scan(json, {-1, 5, -1});
        QCOMPARE(r.problem, JsonScanner::Problem::TooManyElements);
        r = JsonScanner::scan(json, {-1, -1, 2});
        QCOMPARE(r.problem, JsonScanner::Problem::StringTooLong);
        QVERIFY(JsonScanner::scan(json, {3, 10, 3}).ok());
    }
};

QTEST_GUILESS_MAIN(TestHostileLimits)
#include "TestHostileLimits.moc"
