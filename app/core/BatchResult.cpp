#include "BatchResult.h"

#include "ErrorExplainer.h"
#include "ResultShape.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace idesk {

namespace {
QJsonValue number(double value)
{
    return std::isnan(value) ? QJsonValue() : QJsonValue(value);
}

QString firstLine(const QString &text)
{
    return text.section(QLatin1Char('\n'), 0, 0).trimmed();
}
} // namespace

BatchItemResult BatchItemResult::from(const BatchInput &input, const InferenceRequest &request,
                                      const InferenceResult &result, int attempts)
{
    BatchItemResult item;
    item.key = input.key;
    item.label = input.label();
    item.filePath = input.filePath;
    item.httpStatus = result.status;
    item.ms = result.elapsedMs;
    item.attempts = attempts;
    item.contentType = result.contentType;
    item.ok = result.ok();
    if (item.ok) {
        QString why;
        if (ErrorExplainer::judgeAnswer(result, &why) != InferenceResult::Outcome::Success) {
            item.ok = false;
            item.error = why;
        }
    } else {
        item.error = result.errorMessage;
    }
    if (!item.ok)
        return item;
    if (result.isJson()) {
        const QJsonDocument doc = result.json();
        item.answer = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    } else if (result.isBinary()) {
        item.answer = QJsonObject{{QStringLiteral("content_type"), result.contentType},
                                  {QStringLiteral("base64"), QString::fromLatin1(result.body.toBase64())}};
    } else {
        item.answer = result.text();
    }
    item.summary = BatchSummary::values(request, result);
    return item;
}

BatchItemResult BatchItemResult::notSent(const BatchInput &input, const QString &error)
{
    BatchItemResult item;
    item.key = input.key;
    item.label = input.label();
    item.filePath = input.filePath;
    item.error = error;
    return item;
}

QJsonObject BatchItemResult::toJson() const
{
    QJsonObject o{{QStringLiteral("input"), label},
                  {QStringLiteral("key"), key},
                  {QStringLiteral("status"), ok ? QStringLiteral("ok") : QStringLiteral("failed")},
                  {QStringLiteral("http_status"), httpStatus},
                  {QStringLiteral("ms"), ms},
                  {QStringLiteral("attempts"), attempts}};
    if (!filePath.isEmpty())
        o.insert(QStringLiteral("file"), filePath);
    if (ok) {
        o.insert(QStringLiteral("answer"), answer);
        if (!contentType.isEmpty())
            o.insert(QStringLiteral("content_type"), contentType);
        o.insert(QStringLiteral("summary"), summary);
    } else {
        o.insert(QStringLiteral("error"), error);
    }
    return o;
}

std::optional<BatchItemResult> BatchItemResult::fromJson(const QJsonObject &o)
{
    const QString status = o.value(QStringLiteral("status")).toString();
    if (!o.value(QStringLiteral("key")).isString() ||
        (status != QLatin1String("ok") && status != QLatin1String("failed")))
        return std::nullopt;
    BatchItemResult item;
    item.key = o.value(QStringLiteral("key")).toString();
    item.label = o.value(QStringLiteral("input")).toString();
    item.filePath = o.value(QStringLiteral("file")).toString();
    item.ok = status == QLatin1String("ok");
    item.httpStatus = o.value(QStringLiteral("http_status")).toInt();
    item.ms = qint64(o.value(QStringLiteral("ms")).toDouble());
    item.attempts = o.value(QStringLiteral("attempts")).toInt();
    item.answer = o.value(QStringLiteral("answer"));
    item.contentType = o.value(QStringLiteral("content_type")).toString();
    item.error = o.value(QStringLiteral("error")).toString();
    item.summary = o.value(QStringLiteral("summary")).toObject();
    return item;
}

namespace BatchSummary {

QStringList columns(const QString &task)
{
    const QString kind = ResultShape::kindForTask(task);
    if (kind == QLatin1String("scores") || kind == QLatin1String("answer"))
        return {QStringLiteral("label"), QStringLiteral("score")};
    if (kind == QLatin1String("entities"))
        return {QStringLiteral("entities"), QStringLiteral("first")};
    if (kind == QLatin1String("boxes") || kind == QLatin1String("masks"))
        return {QStringLiteral("objects"), QStringLiteral("label")};
    if (kind == QLatin1String("table-answer") || kind == QLatin1String("text") ||
        kind == QLatin1String("chat"))
        return {QStringLiteral("text")};
    if (kind == QLatin1String("image") || kind == QLatin1String("audio"))
        return {QStringLiteral("content_type"), QStringLiteral("bytes")};
    if (kind == QLatin1String("vectors"))
        return {QStringLiteral("shape")};
    return {QStringLiteral("summary")};
}

QJsonObject values(const InferenceRequest &request, const InferenceResult &result)
{
    const ResultShape shape = ResultShape::read(request, result);
    const QStringList wanted = columns(request.task);
    QJsonObject v;
    if (wanted.first() == QLatin1String("summary")) {
        v.insert(QStringLiteral("summary"), firstLine(shape.summary()));
        return v;
    }
    if (shape.kind == QLatin1String("scores")) {
        for (const auto &group : shape.scoreGroups)
            if (!group.items.isEmpty()) {
                v.insert(QStringLiteral("label"), group.items.first().label);
                v.insert(QStringLiteral("score"), number(group.items.first().score));
                break;
            }
    } else if (shape.kind == QLatin1String("answer") && !shape.answers.isEmpty()) {
        v.insert(QStringLiteral("label"), shape.answers.first().answer);
        v.insert(QStringLiteral("score"), number(shape.answers.first().score));
    } else if (shape.kind == QLatin1String("entities")) {
        v.insert(QStringLiteral("entities"), int(shape.entities.size()));
        if (!shape.entities.isEmpty())
            v.insert(QStringLiteral("first"),
                     shape.entities.first().group + QLatin1Char(' ') + shape.entities.first().word);
    } else if (shape.kind == QLatin1String("boxes")) {
        v.insert(QStringLiteral("objects"), int(shape.boxes.size()));
        if (!shape.boxes.isEmpty())
            v.insert(QStringLiteral("label"), shape.boxes.first().label);
    } else if (shape.kind == QLatin1String("masks")) {
        v.insert(QStringLiteral("objects"), int(shape.masks.size()));
        if (!shape.masks.isEmpty())
            v.insert(QStringLiteral("label"), shape.masks.first().label);
    } else if (shape.kind == QLatin1String("table-answer")) {
        v.insert(QStringLiteral("text"), shape.table.answer);
    } else if (shape.kind == QLatin1String("text") || shape.kind == QLatin1String("chat")) {
        v.insert(QStringLiteral("text"), shape.text);
    } else if ((shape.kind == QLatin1String("image") || shape.kind == QLatin1String("audio")) &&
               !shape.media.isEmpty()) {
        v.insert(QStringLiteral("content_type"), shape.media.first().mimeType);
        v.insert(QStringLiteral("bytes"), qint64(shape.media.first().bytes.size()));
    } else if (shape.kind == QLatin1String("vectors")) {
        QStringList dims;
        for (qint64 d : shape.vectors.shape)
            dims << QString::number(d);
        v.insert(QStringLiteral("shape"), dims.join(QLatin1Char('x')));
    }
    if (v.isEmpty()) // the answer did not have the task's shape: its first summary line in the first column
        v.insert(wanted.first(), firstLine(shape.summary()));
    return v;
}

} // namespace BatchSummary
} // namespace idesk
