// Every recorded answer reads into its task's shape (or is an error), and the readers take every
// answer shape the API used across versions.

#include "Recording.h"
#include "RecordingResult.h"
#include "ResultShape.h"
#include "TestConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtTest>

using namespace idesk;
using namespace idesk::test;

namespace {

QString recordingsDir()
{
    return QStringLiteral(IDESK_TEST_DATA_DIR "/recordings");
}

// Provider answers that are not the task's answer yet (job tickets, polling states, image URLs):
// they are shown as JSON.
const QSet<QString> &jsonByDesign()
{
    static const QSet<QString> files = {
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-1.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-2.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-3.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-4.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-5.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_fal-ai-1.json"),
        QStringLiteral("text-to-image/r2504_TIC_text_to_image_default_replicate-1.json"),
        QStringLiteral("text-to-speech/r2504_TIC_text_to_speech_replicate-0.json"),
    };
    return files;
}

InferenceResult jsonResult(const QByteArray &body)
{
    InferenceResult r;
    r.status = 200;
    r.body = body;
    r.contentType = QStringLiteral("application/json");
    return r;
}

InferenceRequest taskRequest(const QString &task, const QJsonValue &inputs = {})
{
    InferenceRequest r;
    r.task = task;
    r.inputs = inputs;
    return r;
}

QByteArray wavHeader(int rate, int channels, int bits, int dataBytes)
{
    QByteArray b("RIFF");
    auto le32 = [&b](quint32 v) {
        for (int i = 0; i < 4; ++i)
            b.append(char((v >> (8 * i)) & 0xff));
    };
    auto le16 = [&b](quint16 v) {
        b.append(char(v & 0xff));
        b.append(char(v >> 8));
    };
    le32(36 + dataBytes);
    b.append("WAVEfmt ");
    le32(16);
    le16(1);
    le16(quint16(channels));
    le32(quint32(rate));
    le32(quint32(rate * channels * bits / 8));
    le16(quint16(channels * bits / 8));
    le16(quint16(bits));
    b.append("data");
    le32(quint32(dataBytes));
    b.append(QByteArray(dataBytes, '\0'));
    return b;
}

} // namespace

class TestResultShape : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyRecording_data();
    void everyRecording();
    void zeroShotBothShapes();
    void textClassificationListOrListOfLists();
    void translationObjectOrList();
    void sentenceSimilarityLabelsFromRequest();
    void entitiesWithoutOffsets();
    void unknownShapeIsJson();
    void taskLessGuess_data();
    void taskLessGuess();
    void vectorsShape();
    void audioHeaders();
    void streamedText();
    void summaryMentionsTheAnswer();
    void tokenUsage();
};

void TestResultShape::everyRecording_data()
{
    QTest::addColumn<QString>("file");
    const QStringList files = inferenceRecordings(recordingsDir());
    QVERIFY2(files.size() > 150, qPrintable(QStringLiteral("only %1 recordings found").arg(files.size())));
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << f;
}

void TestResultShape::everyRecording()
{
    QFETCH(QString, file);
    QString error;
    const auto rec = Recording::load(file, &error);
    QVERIFY2(rec, qPrintable(error));
    const InferenceRequest request = requestFromRecording(*rec);
    const InferenceResult result = resultFromRecording(*rec);
    const ResultShape shape = ResultShape::read(request, result);

    QString expected = ResultShape::kindForTask(rec->task());
    QVERIFY2(!expected.isEmpty(), qPrintable(rec->task()));
    if (rec->status() < 200 || rec->status() >= 300)
        expected = QStringLiteral("error");
    else if (jsonByDesign().contains(file))
        expected = QStringLiteral("json");
    QCOMPARE(shape.kind, expected);

    if (shape.kind == QLatin1String("scores")) {
        QVERIFY(!shape.scoreGroups.isEmpty());
        for (const auto &g : shape.scoreGroups) {
            QVERIFY(!g.items.isEmpty());
            for (int i = 1; i < g.items.size(); ++i)
                QVERIFY(g.items.at(i - 1).score >= g.items.at(i).score);
        }
        if (rec->task() == QLatin1String("fill-mask"))
            QVERIFY(!shape.filledSequence.isEmpty());
    } else if (shape.kind == QLatin1String("entities")) {
        QVERIFY(!shape.entities.isEmpty());
        for (const auto &e : shape.entities) {
            QVERIFY2(e.start >= 0 && e.end <= shape.inputText.size(), qPrintable(e.word));
            QCOMPARE(shape.inputText.mid(e.start, e.end - e.start).trimmed(), e.word.trimmed());
        }
    } else if (shape.kind == QLatin1String("answer")) {
        QVERIFY(!shape.answers.isEmpty());
        QVERIFY(!shape.answers.first().answer.isEmpty());
    } else if (shape.kind == QLatin1String("table-answer")) {
        QVERIFY(!shape.table.answer.isEmpty());
        QVERIFY(!shape.table.rows.isEmpty());
        const auto rc = shape.table.coordinates.value(0);
        QCOMPARE(shape.table.rows.value(rc.first).value(rc.second), shape.table.cells.value(0));
    } else if (shape.kind == QLatin1String("boxes")) {
        QVERIFY(!shape.boxes.isEmpty());
        for (const auto &b : shape.boxes)
            QVERIFY(b.rect.isValid());
    } else if (shape.kind == QLatin1String("masks")) {
        QVERIFY(!shape.masks.isEmpty());
        for (const auto &m : shape.masks)
            QCOMPARE(ResultShape::sniffMime(m.png), QStringLiteral("image/png"));
    } else if (shape.kind == QLatin1String("image")) {
        QVERIFY(!shape.media.isEmpty());
        QVERIFY(shape.media.first().mimeType.startsWith(QLatin1String("image/")));
    } else if (shape.kind == QLatin1String("audio")) {
        QVERIFY(!shape.media.isEmpty());
        for (const auto &m : shape.media) {
            const auto info = ResultShape::audioInfo(m.bytes);
            QCOMPARE(info.format, QStringLiteral("FLAC"));
            QVERIFY(info.sampleRate > 0);
            QVERIFY(info.channels > 0);
        }
    } else if (shape.kind == QLatin1String("chat")) {
        QVERIFY2(!shape.text.isEmpty(), "a chat answer without text");
    } else if (shape.kind == QLatin1String("vectors")) {
        QVERIFY(shape.vectors.count > 0);
        QVERIFY(!shape.vectors.ragged);
        qint64 product = 1;
        for (qint64 n : shape.vectors.shape)
            product *= n;
        QCOMPARE(product, shape.vectors.count);
        QVERIFY(shape.vectors.rowNorms.first() > 0);
    } else if (shape.kind == QLatin1String("json")) {
        QVERIFY(!shape.problem.isEmpty());
    }
}

void TestResultShape::zeroShotBothShapes()
{
    const auto a = ResultShape::read(
        taskRequest(QStringLiteral("zero-shot-classification")),
        jsonResult(R"({"sequence": "I love it", "labels": ["joy", "anger"], "scores": [0.2, 0.8]})"));
    QCOMPARE(a.kind, QStringLiteral("scores"));
    QCOMPARE(a.scoreGroups.first().items.first().label, QStringLiteral("anger")); // sorted by score
    QCOMPARE(a.contextTitle, QStringLiteral("I love it"));
    const auto b = ResultShape::read(
        taskRequest(QStringLiteral("zero-shot-classification")),
        jsonResult(R"([{"label": "joy", "score": 0.9}, {"label": "anger", "score": 0.1}])"));
    QCOMPARE(b.kind, QStringLiteral("scores"));
    QCOMPARE(b.scoreGroups.first().items.size(), 2);
}

void TestResultShape::textClassificationListOrListOfLists()
{
    const auto flat = ResultShape::read(taskRequest(QStringLiteral("text-classification")),
                                        jsonResult(R"([{"label": "POSITIVE", "score": 0.99}])"));
    QCOMPARE(flat.scoreGroups.size(), 1);
    const auto nested = ResultShape::read(
        taskRequest(QStringLiteral("text-classification"),
                    QJsonArray{QStringLiteral("a"), QStringLiteral("b")}),
        jsonResult(R"([[{"label": "POSITIVE", "score": 0.99}], [{"label": "NEGATIVE", "score": 0.7}]])"));
    QCOMPARE(nested.kind, QStringLiteral("scores"));
    QCOMPARE(nested.scoreGroups.size(), 2);
    QCOMPARE(nested.scoreGroups.at(1).title, QStringLiteral("b"));
}

void TestResultShape::translationObjectOrList()
{
    const auto list = ResultShape::read(taskRequest(QStringLiteral("translation")),
                                        jsonResult(R"([{"translation_text": "Hallo Welt"}])"));
    const auto object = ResultShape::read(taskRequest(QStringLiteral("translation")),
                                          jsonResult(R"({"translation_text": "Hallo Welt"})"));
    QCOMPARE(list.kind, QStringLiteral("text"));
    QCOMPARE(object.kind, QStringLiteral("text"));
    QCOMPARE(list.text, QStringLiteral("Hallo Welt"));
    QCOMPARE(object.text, list.text);
    const auto summary = ResultShape::read(taskRequest(QStringLiteral("summarization")),
                                           jsonResult(R"({"summary_text": "Short."})"));
    QCOMPARE(summary.text, QStringLiteral("Short."));
}

void TestResultShape::sentenceSimilarityLabelsFromRequest()
{
    const QJsonObject inputs{
        {QStringLiteral("source_sentence"), QStringLiteral("A")},
        {QStringLiteral("sentences"), QJsonArray{QStringLiteral("B"), QStringLiteral("C")}}};
    const auto s = ResultShape::read(taskRequest(QStringLiteral("sentence-similarity"), inputs),
                                     jsonResult("[0.25, 0.75]"));
    QCOMPARE(s.kind, QStringLiteral("scores"));
    QCOMPARE(s.scoreGroups.first().items.first().label, QStringLiteral("C"));
    QVERIFY(s.contextTitle.contains(QLatin1String("A")));
}

void TestResultShape::entitiesWithoutOffsets()
{
    const auto s = ResultShape::read(
        taskRequest(QStringLiteral("token-classification"), QStringLiteral("Hello Sarah from Paris")),
        jsonResult(
            R"([{"entity": "B-PER", "score": 0.9, "word": "Sarah"}, {"entity": "I-LOC", "score": 0.8, "word": "Paris"}])"));
    QCOMPARE(s.kind, QStringLiteral("entities"));
    QCOMPARE(s.entities.size(), 2);
    QCOMPARE(s.entities.at(0).group, QStringLiteral("PER"));
    QCOMPARE(s.entities.at(0).start, 6);
    QCOMPARE(s.entities.at(1).group, QStringLiteral("LOC"));
    QCOMPARE(s.inputText.mid(s.entities.at(1).start, 5), QStringLiteral("Paris"));
}

void TestResultShape::unknownShapeIsJson()
{
    const auto s = ResultShape::read(taskRequest(QStringLiteral("object-detection")),
                                     jsonResult(R"({"something": "else", "n": [1, "a"]})"));
    QCOMPARE(s.kind, QStringLiteral("json"));
    QCOMPARE(s.expectedKind, QStringLiteral("boxes"));
    QVERIFY(!s.problem.isEmpty());
}

void TestResultShape::taskLessGuess_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("kind");
    QTest::newRow("scores") << QByteArray(R"([[{"label": "a", "score": 1}]])") << "scores";
    QTest::newRow("fill-mask") << QByteArray(R"([{"token_str": "x", "score": 0.5, "sequence": "a x"}])")
                               << "scores";
    QTest::newRow("entities") << QByteArray(
                                     R"([{"entity_group": "PER", "word": "Al", "start": 0, "end": 2}])")
                              << "entities";
    QTest::newRow("boxes")
        << QByteArray(
               R"([{"label": "cat", "score": 1, "box": {"xmin": 1, "ymin": 1, "xmax": 5, "ymax": 5}}])")
        << "boxes";
    QTest::newRow("qa") << QByteArray(R"({"answer": "42", "score": 0.5, "start": 0, "end": 2})") << "answer";
    QTest::newRow("table") << QByteArray(R"({"answer": "x", "coordinates": [[0, 0]], "cells": ["x"]})")
                           << "table-answer";
    QTest::newRow("text") << QByteArray(R"([{"generated_text": "hi"}])") << "text";
    QTest::newRow("chat") << QByteArray(
                                 R"({"choices": [{"message": {"role": "assistant", "content": "hi"}}]})")
                          << "chat";
    QTest::newRow("vectors") << QByteArray("[[0.1, 0.2], [0.3, 0.4]]") << "vectors";
    QTest::newRow("other") << QByteArray(R"({"id": 3})") << "json";
    QTest::newRow("plain text") << QByteArray("not json at all") << "text";
}

void TestResultShape::taskLessGuess()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, kind);
    InferenceResult r = jsonResult(body);
    if (kind == QLatin1String("text") && !body.startsWith('['))
        r.contentType = QStringLiteral("text/plain");
    QCOMPARE(ResultShape::read(InferenceRequest(), r).kind, kind);
}

void TestResultShape::vectorsShape()
{
    const auto s = ResultShape::read(taskRequest(QStringLiteral("feature-extraction")),
                                     jsonResult("[[[3, 4], [0, 0]], [[1, 0], [0, 1]]]"));
    QCOMPARE(s.kind, QStringLiteral("vectors"));
    QCOMPARE(s.vectors.shape, (QList<qint64>{2, 2, 2}));
    QCOMPARE(s.vectors.count, qint64(8));
    QCOMPARE(s.vectors.rowCount, qint64(4));
    QCOMPARE(s.vectors.rowNorms.first(), 5.0);
    QCOMPARE(s.vectors.max, 4.0);
    const auto ragged =
        ResultShape::read(taskRequest(QStringLiteral("feature-extraction")), jsonResult("[[1, 2, 3], [1]]"));
    QVERIFY(ragged.vectors.ragged);
}

void TestResultShape::audioHeaders()
{
    const auto wav = ResultShape::audioInfo(wavHeader(16000, 1, 16, 32000));
    QCOMPARE(wav.format, QStringLiteral("WAV"));
    QCOMPARE(wav.sampleRate, 16000);
    QCOMPARE(wav.channels, 1);
    QCOMPARE(wav.bitsPerSample, 16);
    QCOMPARE(wav.durationSeconds, 1.0);
    QCOMPARE(ResultShape::audioInfo("not audio").format, QString());

    InferenceResult r;
    r.status = 200;
    r.body = wavHeader(8000, 2, 16, 64000);
    r.contentType = QStringLiteral("audio/wav");
    const auto s = ResultShape::read(taskRequest(QStringLiteral("text-to-speech")), r);
    QCOMPARE(s.kind, QStringLiteral("audio"));
    QCOMPARE(ResultShape::audioInfo(s.media.first().bytes).durationSeconds, 2.0);
}

void TestResultShape::streamedText()
{
    InferenceResult r;
    r.status = 200;
    r.contentType = QStringLiteral("text/event-stream");
    r.body = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n"
             "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
             "data: [DONE]\n\n";
    const auto s = ResultShape::read(taskRequest(QStringLiteral("chat-completion")), r);
    QCOMPARE(s.kind, QStringLiteral("chat"));
    QCOMPARE(s.text, QStringLiteral("Hello"));
    QCOMPARE(s.finishReason, QStringLiteral("stop"));
}

void TestResultShape::summaryMentionsTheAnswer()
{
    const auto s = ResultShape::read(taskRequest(QStringLiteral("text-classification")),
                                     jsonResult(R"([[{"label": "POSITIVE", "score": 0.75}]])"));
    QVERIFY2(s.summary().contains(QLatin1String("POSITIVE")), qPrintable(s.summary()));
    QVERIFY2(s.summary().contains(QLatin1String("75")), qPrintable(s.summary()));
}

void TestResultShape::tokenUsage()
{
    // Completions (the router's text generation): usage with prompt and completion tokens.
    const auto completions = ResultShape::read(
        taskRequest(QStringLiteral("text-generation")),
        jsonResult(R"({"object": "text_completion", "choices": [{"index": 0, "text": " blue",
                                         "finish_reason": "length"}],
                                         "usage": {"prompt_tokens": 4, "completion_tokens": 1}})"));
    QCOMPARE(completions.kind, QStringLiteral("text"));
    QVERIFY(completions.usage.present);
    QCOMPARE(completions.usage.promptTokens, 4);
    QCOMPARE(completions.usage.totalTokens, 5);
    QCOMPARE(idesk::ChatStreamAssembler::usageText(completions.usage),
             QStringLiteral("4 prompt + 1 completion = 5 tokens"));
    // TGI: details.generated_tokens.
    const auto tgi = ResultShape::read(
        taskRequest(QStringLiteral("text-generation")),
        jsonResult(
            R"([{"generated_text": "x", "details": {"finish_reason": "length", "generated_tokens": 9}}])"));
    QCOMPARE(tgi.usage.completionTokens, 9);
    QCOMPARE(idesk::ChatStreamAssembler::usageText(tgi.usage), QStringLiteral("9 tokens generated"));
    // A stream: the usage chunk at the end.
    InferenceResult r;
    r.status = 200;
    r.contentType = QStringLiteral("text/event-stream");
    r.body = "data: {\"choices\":[{\"index\":0,\"text\":\" blue\",\"finish_reason\":\"length\"}]}\n\n"
             "data: "
             "{\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1,\"total_tokens\":5}}\n\n"
             "data: [DONE]\n\n";
    const auto streamed = ResultShape::read(taskRequest(QStringLiteral("text-generation")), r);
    QCOMPARE(streamed.kind, QStringLiteral("text"));
    QCOMPARE(streamed.text, QStringLiteral(" blue"));
    QCOMPARE(streamed.finishReason, QStringLiteral("length"));
    QCOMPARE(streamed.usage.totalTokens, 5);
    // No usage in the answer: none shown.
    const auto plain = ResultShape::read(taskRequest(QStringLiteral("text-generation")),
                                         jsonResult(R"([{"generated_text": "x"}])"));
    QVERIFY(!plain.usage.present);
    QCOMPARE(idesk::ChatStreamAssembler::usageText(plain.usage), QString());
}

QTEST_GUILESS_MAIN(TestResultShape)
#include "TestResultShape.moc"
