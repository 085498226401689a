#include "TestConfig.h"

#include "KestraFlow.h"
#include "PresetStore.h"
#include "RequestEncoder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;

namespace {
const QString kToken =
    QStringLiteral("hf_") +
    QStringLiteral(
        "TestTokenNeverWritten0123456789abcdefXY") /* fake; split so it never looks like a real token */;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray seedImage()
{
    return QByteArray::fromBase64(readAll(QStringLiteral(IDESK_TEST_DATA_DIR "/flows/my-base64-image.txt")));
}

InferenceRequest fullRequest()
{
    InferenceRequest r;
    r.endpoint = QStringLiteral("https://router.huggingface.co/hf-inference/models");
    r.model = QStringLiteral("facebook/bart-large-mnli");
    r.task = QStringLiteral("zero-shot-classification");
    r.inputs = QStringLiteral("I want a refund");
    r.parameters.insert(QStringLiteral("candidate_labels"),
                        QJsonArray{QStringLiteral("refund"), QStringLiteral("legal")});
    r.parameters.insert(QStringLiteral("multi_label"), true);
    r.useCache = false;
    r.waitForModel = true;
    r.options.connectTimeoutMs = 5000;
    r.options.readTimeoutMs = 30000;
    r.options.readIdleTimeoutMs = 1500;
    r.options.maxContentLength = 2048;
    r.options.defaultCharset = QStringLiteral("ISO-8859-1");
    r.options.connectionPoolIdleTimeoutMs = 60000;
    return r;
}

// Every file of `dir` and its bytes: what is really on disk.
QMap<QString, QByteArray> snapshot(const QString &dir)
{
    QMap<QString, QByteArray> files;
    for (const QFileInfo &fi : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden))
        files.insert(fi.fileName(), readAll(fi.absoluteFilePath()));
    return files;
}
} // namespace

class TestPresetStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonRoundTrip()
    {
        const Preset p = Preset::fromRequest(QStringLiteral("Refund triage"), fullRequest());
        const QJsonObject json = p.toJson();
        QCOMPARE(json.value(QStringLiteral("format")).toString(), Preset::formatName());
        QCOMPARE(json.value(QStringLiteral("version")).toInt(), 1);
        QString error;
        const auto back = Preset::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->name, p.name);
        QCOMPARE(back->request, p.request);
        QCOMPARE(back->created, p.created);

        QJsonObject newer = json;
        newer.insert(QStringLiteral("version"), 99);
        QVERIFY(!Preset::fromJson(newer, &error));
        QVERIFY2(error.contains(QStringLiteral("newer")), qPrintable(error));
        QVERIFY(!Preset::fromJsonBytes("{\"format\": \"inference-desk-preset\",\n \"version\": 1,", &error));
        QVERIFY2(error.contains(QStringLiteral("line 2")), qPrintable(error));
    }

    // Issue 19: a readTimeout of PT0S is not "no limit"; it is refused with a sentence, as the CLI does.
    void zeroTimeoutRefused()
    {
        const QJsonObject json = Preset::fromRequest(QStringLiteral("Zero"), fullRequest()).toJson();
        const auto withOption = [&json](const QString &key, const QJsonValue &value) {
            QJsonObject request = json.value(QStringLiteral("request")).toObject();
            QJsonObject options = request.value(QStringLiteral("options")).toObject();
            options.insert(key, value);
            request.insert(QStringLiteral("options"), options);
            QJsonObject out = json;
            out.insert(QStringLiteral("request"), request);
            return out;
        };
        QString error;
        QVERIFY(!Preset::fromJson(withOption(QStringLiteral("readTimeout"), QStringLiteral("PT0S")), &error));
        QVERIFY2(error.contains(QStringLiteral("options.readTimeout")) &&
                     error.contains(QStringLiteral("zero")),
                 qPrintable(error));
        QVERIFY(!Preset::fromJson(withOption(QStringLiteral("connectTimeout"), 0), &error));
        QVERIFY2(error.contains(QStringLiteral("options.connectTimeout")), qPrintable(error));
        QVERIFY(
            !Preset::fromJson(withOption(QStringLiteral("readIdleTimeout"), QStringLiteral("30d")), &error));
        QVERIFY2(error.contains(QStringLiteral("24d")), qPrintable(error));
        // The pool's idle time may be zero (no pooling), and null leaves a timeout unset.
        auto ok = Preset::fromJson(
            withOption(QStringLiteral("connectionPoolIdleTimeout"), QStringLiteral("PT0S")), &error);
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(ok->request.options.connectionPoolIdleTimeoutMs, 0);
        ok = Preset::fromJson(withOption(QStringLiteral("readTimeout"), QJsonValue::Null), &error);
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(ok->request.options.readTimeoutMs, -1);
    }

    void embeddedImageReproducesRequestBytes()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString imagePath = dir.filePath(QStringLiteral("cat.jpg"));
        QVERIFY(writeAll(imagePath, seedImage()));

        InferenceRequest r;
        r.model = QStringLiteral("google/vit-base-patch16-224");
        r.task = QStringLiteral("image-classification");
        r.file.path = imagePath;
        r.file.bytes = seedImage();
        r.file.mimeType = QStringLiteral("image/jpeg");
        QString error;
        const EncodedRequest before = RequestEncoder::encode(r, &error);
        QVERIFY2(before.url.isValid(), qPrintable(error));

        // with parameters too: the JSON form with the base64 image
        InferenceRequest withParams = r;
        withParams.parameters.insert(QStringLiteral("top_k"), 2);
        const EncodedRequest beforeJson = RequestEncoder::encode(withParams, &error);
        QVERIFY2(beforeJson.url.isValid(), qPrintable(error));

        const QString presets = dir.filePath(QStringLiteral("presets"));
        {
            PresetStore store(presets);
            QVERIFY2(store.save(Preset::fromRequest(QStringLiteral("Cat"), r),
                                PresetStore::SaveMode::CreateOnly, &error),
                     qPrintable(error));
            QVERIFY2(store.save(Preset::fromRequest(QStringLiteral("Cat top 2"), withParams),
                                PresetStore::SaveMode::CreateOnly, &error),
                     qPrintable(error));
        }
        QVERIFY(QFile::remove(imagePath)); // the preset must not need the original file

        PresetStore store(presets);
        QVERIFY(store.brokenFiles().isEmpty());
        const auto cat = store.preset(QStringLiteral("cat")); // names match case-insensitively
        QVERIFY(cat);
        QVERIFY(cat->embedsFile());
        const auto again = cat->resolvedRequest(&error);
        QVERIFY2(again, qPrintable(error));
        const EncodedRequest after = RequestEncoder::encode(*again, &error);
        QCOMPARE(after.method, before.method);
        QCOMPARE(after.url, before.url);
        QCOMPARE(after.headers, before.headers);
        QCOMPARE(after.body, before.body);
        QCOMPARE(after.body, seedImage());

        const auto top2 = store.preset(QStringLiteral("Cat top 2"));
        QVERIFY(top2);
        const EncodedRequest afterJson = RequestEncoder::encode(*top2->resolvedRequest(&error), &error);
        QCOMPARE(afterJson.headers, beforeJson.headers);
        QCOMPARE(afterJson.body, beforeJson.body);
    }

    void bigFileKeptByPathUnlessAsked()
    {
        QTemporaryDir dir;
        const QString bigPath = dir.filePath(QStringLiteral("big.wav"));
        const QByteArray big(int(Preset::embedLimit()) + 10, 'x');
        QVERIFY(writeAll(bigPath, big));
        InferenceRequest r;
        r.model = QStringLiteral("openai/whisper-large-v3");
        r.task = QStringLiteral("automatic-speech-recognition");
        r.file = {bigPath, big, QStringLiteral("audio/wav")};

        PresetStore store(dir.filePath(QStringLiteral("presets")));
        QString error;
        Preset saved;
        QVERIFY(store.save(Preset::fromRequest(QStringLiteral("Big"), r), PresetStore::SaveMode::CreateOnly,
                           &error, &saved));
        QVERIFY(readAll(saved.filePath).size() < 10000); // by path only
        QVERIFY(store.save(Preset::fromRequest(QStringLiteral("Big embedded"), r, true),
                           PresetStore::SaveMode::CreateOnly, &error, &saved));
        QVERIFY(readAll(saved.filePath).size() > Preset::embedLimit());

        PresetStore reread(store.directory());
        const auto byPath = reread.preset(QStringLiteral("Big"));
        QVERIFY(byPath && byPath->request.file.bytes.isEmpty());
        QCOMPARE(byPath->resolvedRequest(&error)->file.bytes, big);
        // "changed since saved": the preset kept by path equals the editor's request that holds the file
        Preset editing = *byPath;
        editing.request = *byPath->resolvedRequest(&error);
        QVERIFY(editing.sameContent(*byPath));
        editing.request.parameters.insert(QStringLiteral("return_timestamps"), true);
        QVERIFY(!editing.sameContent(*byPath));
        QVERIFY(QFile::remove(bigPath));
        QVERIFY(!byPath->resolvedRequest(&error));
        QVERIFY2(error.contains(bigPath), qPrintable(error));
        QCOMPARE(reread.preset(QStringLiteral("Big embedded"))->resolvedRequest(&error)->file.bytes, big);
    }

    void corruptFileSurvivesListingAndSaving()
    {
        QTemporaryDir dir;
        const QString presets = dir.filePath(QStringLiteral("presets"));
        QVERIFY(QDir().mkpath(presets));
        const QByteArray garbage =
            "{\"format\": \"inference-desk-preset\", \"version\": 1, \"name\": \"Mine\"";
        const QString brokenPath = QDir(presets).absoluteFilePath(QStringLiteral("mine.json"));
        QVERIFY(writeAll(brokenPath, garbage));
        const QString otherPath = QDir(presets).absoluteFilePath(QStringLiteral("other.json"));
        QVERIFY(writeAll(otherPath, "[1, 2]"));

        PresetStore store(presets);
        QCOMPARE(store.presets().size(), 0);
        QCOMPARE(store.brokenFiles().size(), 2);
        QCOMPARE(store.brokenFiles().at(0).path, brokenPath);
        QVERIFY2(store.brokenFiles().at(0).error.contains(QStringLiteral("JSON")),
                 qPrintable(store.brokenFiles().at(0).error));
        QVERIFY(!store.brokenFiles().at(1).error.isEmpty());

        // saving a preset whose file name would be the broken file's goes elsewhere
        QString error;
        Preset saved;
        QVERIFY2(store.save(Preset::fromRequest(QStringLiteral("Mine"), fullRequest()),
                            PresetStore::SaveMode::CreateOnly, &error, &saved),
                 qPrintable(error));
        QVERIFY(saved.filePath != brokenPath);
        QCOMPARE(readAll(brokenPath), garbage);
        QVERIFY(store.save(Preset::fromRequest(QStringLiteral("Other"), fullRequest()),
                           PresetStore::SaveMode::CreateOnly, &error));
        QCOMPARE(readAll(otherPath), QByteArray("[1, 2]"));

        store.reload();
        QCOMPARE(store.names(), (QStringList{QStringLiteral("Mine"), QStringLiteral("Other")}));
        QCOMPARE(store.brokenFiles().size(), 2);
        QCOMPARE(readAll(brokenPath), garbage);

        // only an explicit call deletes a broken file
        QVERIFY(store.removeBrokenFile(brokenPath, &error));
        QVERIFY(!QFile::exists(brokenPath));
        QCOMPARE(store.brokenFiles().size(), 1);
    }

    void interruptedSaveKeepsPreviousVersion()
    {
        QTemporaryDir dir;
        PresetStore store(dir.filePath(QStringLiteral("presets")));
        QString error;
        Preset v1;
        QVERIFY(store.save(Preset::fromRequest(QStringLiteral("Sentiment"), fullRequest()),
                           PresetStore::SaveMode::CreateOnly, &error, &v1));
        const auto before = snapshot(store.directory());
        QCOMPARE(before.size(), 1);

        InferenceRequest changed = fullRequest();
        changed.model = QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english");
        store.setFailBeforeCommitForTesting(true);
        QVERIFY(!store.save(Preset::fromRequest(QStringLiteral("Sentiment"), changed),
                            PresetStore::SaveMode::Replace, &error));
        QVERIFY2(error.contains(QStringLiteral("unchanged")), qPrintable(error));
        QVERIFY(!store.rename(QStringLiteral("Sentiment"), QStringLiteral("Renamed"), &error));
        QCOMPARE(snapshot(store.directory()), before); // same bytes, no temporary file left behind
        QCOMPARE(store.preset(QStringLiteral("Sentiment"))->request.model, fullRequest().model);

        store.setFailBeforeCommitForTesting(false);
        QVERIFY(store.save(Preset::fromRequest(QStringLiteral("Sentiment"), changed),
                           PresetStore::SaveMode::Replace, &error));
        PresetStore reread(store.directory());
        QCOMPARE(reread.presets().size(), 1);
        QCOMPARE(reread.preset(QStringLiteral("Sentiment"))->request.model, changed.model);
        QCOMPARE(reread.preset(QStringLiteral("Sentiment"))->created, v1.created);
    }

    void namesAreUnique()
    {
        QTemporaryDir dir;
        PresetStore store(dir.filePath(QStringLiteral("presets")));
        QString error;
        QVERIFY(store.save(Preset::fromRequest(QStringLiteral("Refund"), fullRequest()),
                           PresetStore::SaveMode::CreateOnly, &error));
        QVERIFY(!store.save(Preset::fromRequest(QStringLiteral("refund "), fullRequest()),
                            PresetStore::SaveMode::CreateOnly, &error));
        QVERIFY2(error.contains(QStringLiteral("(2)")), qPrintable(error));
        QCOMPARE(store.uniqueName(QStringLiteral("REFUND")), QStringLiteral("REFUND (2)"));
        QVERIFY(!store.save(Preset::fromRequest(QStringLiteral("  "), fullRequest()),
                            PresetStore::SaveMode::CreateOnly, &error));

        // a file copied in by hand with a name already used is listed, not silently merged
        Preset twin = Preset::fromRequest(QStringLiteral("Refund"), fullRequest());
        QVERIFY(writeAll(QDir(store.directory()).absoluteFilePath(QStringLiteral("zz-copy.json")),
                         twin.toJsonBytes()));
        store.reload();
        QCOMPARE(store.presets().size(), 1);
        QCOMPARE(store.brokenFiles().size(), 1);
        QVERIFY2(store.brokenFiles().first().error.contains(QStringLiteral("Refund")),
                 qPrintable(store.brokenFiles().first().error));
    }

    void renameDuplicateRemoveUndo()
    {
        QTemporaryDir dir;
        PresetStore store(dir.filePath(QStringLiteral("presets")));
        QSignalSpy changed(&store, &PresetStore::changed);
        QString error;
        QVERIFY(store.save(Preset::fromRequest(QStringLiteral("A"), fullRequest()),
                           PresetStore::SaveMode::CreateOnly, &error));
        QVERIFY(store.save(Preset::fromRequest(QStringLiteral("B"), fullRequest()),
                           PresetStore::SaveMode::CreateOnly, &error));
        QCOMPARE(changed.count(), 2);

        QVERIFY(!store.rename(QStringLiteral("A"), QStringLiteral("b"), &error));
        QVERIFY(store.rename(QStringLiteral("A"), QStringLiteral("Alpha"), &error));
        QCOMPARE(store.names(), (QStringList{QStringLiteral("Alpha"), QStringLiteral("B")}));

        const auto copy = store.duplicate(QStringLiteral("Alpha"), QString(), &error);
        QVERIFY2(copy, qPrintable(error));
        QCOMPARE(copy->name, QStringLiteral("Alpha copy"));
        QCOMPARE(copy->request, fullRequest());
        QVERIFY(store.duplicate(QStringLiteral("Alpha"), QString(), &error));
        QVERIFY(store.contains(QStringLiteral("Alpha copy (2)")));

        const auto onDisk = snapshot(store.directory());
        QVERIFY(store.remove(QStringLiteral("B"), &error));
        QVERIFY(!store.contains(QStringLiteral("B")));
        QCOMPARE(snapshot(store.directory()).size(), onDisk.size() - 1);
        QVERIFY(store.canUndoRemove());
        QCOMPARE(store.undoRemoveName(), QStringLiteral("B"));
        QVERIFY(store.undoRemove(&error));
        QVERIFY(store.contains(QStringLiteral("B")));
        QCOMPARE(snapshot(store.directory()), onDisk);
        QVERIFY(!store.canUndoRemove());

        PresetStore reread(store.directory());
        QCOMPARE(reread.names(), store.names());
        QCOMPARE(reread.search(QStringLiteral("alpha")).size(), 3);
        QCOMPARE(reread.search(QStringLiteral("bart-large")).size(), 4);
    }

    void externalChangesAreNoticed()
    {
        QTemporaryDir dir;
        PresetStore store(dir.filePath(QStringLiteral("presets")));
        QString error;
        QVERIFY(store.save(Preset::fromRequest(QStringLiteral("A"), fullRequest()),
                           PresetStore::SaveMode::CreateOnly, &error));
        PresetStore other(store.directory());
        QVERIFY(other.save(Preset::fromRequest(QStringLiteral("From elsewhere"), fullRequest()),
                           PresetStore::SaveMode::CreateOnly, &error));
        QTRY_VERIFY(store.contains(QStringLiteral("From elsewhere")));
    }

    void neverTheToken()
    {
        QTemporaryDir dir;
        PresetStore store(dir.filePath(QStringLiteral("presets")));
        QString error;
        // a flow whose secret resolves to the token: the token stays in the KestraTask, not in the preset
        const auto flow = KestraFlow::load(
            QStringLiteral(IDESK_TEST_DATA_DIR "/flows/huggingface_inference_image.yaml"),
            [](const QString &) { return std::optional<QString>(kToken); }, &error);
        QVERIFY2(flow, qPrintable(error));
        QCOMPARE(flow->tasks.first().apiKey, kToken);
        Preset saved;
        QVERIFY2(store.save(Preset::fromKestraTask(flow->tasks.first()), PresetStore::SaveMode::CreateOnly,
                            &error, &saved),
                 qPrintable(error));
        QCOMPARE(saved.name, QStringLiteral("huggingface_inference_image"));
        QVERIFY(!saved.inputsFile.isEmpty());
        const QByteArray bytes = readAll(saved.filePath);
        QVERIFY(bytes.contains("sigmoid,"));
        QVERIFY(!bytes.contains(kToken.toUtf8()));

        // something that looks like a token is refused, on save and on export
        InferenceRequest r = fullRequest();
        r.parameters.insert(QStringLiteral("api_key"), kToken);
        const Preset leaky = Preset::fromRequest(QStringLiteral("Leaky"), r);
        QVERIFY(!store.save(leaky, PresetStore::SaveMode::CreateOnly, &error));
        QVERIFY2(error.contains(QStringLiteral("parameters.api_key")), qPrintable(error));
        QVERIFY2(!error.contains(kToken), qPrintable(error));
        QVERIFY(!PresetStore::exportFile(leaky, dir.filePath(QStringLiteral("leaky.json")), &error));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("leaky.json"))));
        for (const QByteArray &content : snapshot(store.directory()))
            QVERIFY(!content.contains(kToken.toUtf8()));
    }

    void importAndExport()
    {
        QTemporaryDir dir;
        QStringList notes;
        QString error;
        const auto fromFlow = PresetStore::readImport(
            QStringLiteral(IDESK_TEST_DATA_DIR "/flows/mixed-tasks.yaml"), &notes, &error);
        QVERIFY2(fromFlow, qPrintable(error));
        QCOMPARE(fromFlow->size(), 2);
        QCOMPARE(fromFlow->at(1).name, QStringLiteral("fill_mask"));
        QVERIFY2(notes.join(QLatin1Char('\n')).contains(QStringLiteral("start")),
                 qPrintable(notes.join('\n')));

        const QString exported = dir.filePath(QStringLiteral("exported.json"));
        QVERIFY2(PresetStore::exportFile(fromFlow->at(1), exported, &error), qPrintable(error));
        const auto back = PresetStore::readImport(exported, nullptr, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->size(), 1);
        QCOMPARE(back->first().request, fromFlow->at(1).request);
        QVERIFY(back->first().filePath.isEmpty());

        QVERIFY(!PresetStore::readImport(QStringLiteral(IDESK_TEST_DATA_DIR "/flows/missing-model.yaml"),
                                         nullptr, &error));
        QVERIFY2(error.contains(QStringLiteral("no model")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestPresetStore)
#include "TestPresetStore.moc"
