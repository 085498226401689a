#pragma once

// Header-only: a recorded exchange (Recording) as the InferenceRequest the app would have built and the
// InferenceResult the client would have produced, for the result-view and result-shape tests.

#include "ErrorExplainer.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "Recording.h"
#include "ResultShape.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace idesk::test {

inline QByteArray decodedImage(const QJsonValue &v)
{
    if (!v.isString() || v.toString().size() < 64)
        return {};
    const auto r =
        QByteArray::fromBase64Encoding(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!r || !ResultShape::sniffMime(r.decoded).startsWith(QLatin1String("image/")))
        return {};
    return r.decoded;
}

// The request: task, inputs (the body's "inputs", or the legacy top-level fields), parameters, file.
inline InferenceRequest requestFromRecording(const Recording &rec)
{
    InferenceRequest request;
    request.task = rec.task();
    request.model = rec.url().path().section(QLatin1String("/models/"), 1);
    if (!rec.requestBytes().isEmpty()) {
        request.file.bytes = rec.requestBytes();
        request.file.mimeType = rec.requestSniffedType();
    }
    const QJsonObject body = rec.requestJson().toObject();
    QJsonValue inputs = body.value(QLatin1String("inputs"));
    if (inputs.isUndefined() || inputs.isNull()) {
        QJsonObject legacy = body;
        for (const char *key : {"inputs", "parameters", "options", "model", "stream"})
            legacy.remove(QLatin1String(key));
        if (!legacy.isEmpty())
            inputs = legacy;
    }
    // Images sent as base64 in JSON: the file the person chose.
    QByteArray image = decodedImage(inputs);
    if (!image.isEmpty())
        inputs = QJsonValue();
    if (image.isEmpty() && inputs.isObject()) {
        QJsonObject o = inputs.toObject();
        image = decodedImage(o.value(QLatin1String("image")));
        if (!image.isEmpty()) {
            o.remove(QLatin1String("image"));
            inputs = o;
        }
    }
    if (!image.isEmpty() && request.file.isEmpty()) {
        request.file.bytes = image;
        request.file.mimeType = ResultShape::sniffMime(image);
    }
    request.inputs = inputs;
    request.parameters = body.value(QLatin1String("parameters")).toObject();
    return request;
}

// The result as InferenceClient delivers it: status, headers, body bytes, content type, error text.
inline InferenceResult resultFromRecording(const Recording &rec)
{
    InferenceResult result;
    result.status = rec.status();
    result.headers = rec.responseHeaders();
    result.body = rec.responseBody();
    result.contentType = rec.responseContentType();
    result.charset = QStringLiteral("UTF-8");
    result.url = rec.url();
    result.elapsedMs = 321;
    result.firstByteMs = 120;
    if (rec.status() < 200 || rec.status() >= 300) {
        result.outcome = InferenceResult::Outcome::HttpError;
        ErrorExplainer::explainHttp(&result);
    }
    return result;
}

// Every inference recording (hub-api answers left out), relative to IDESK_TEST_DATA_DIR/recordings.
inline QStringList inferenceRecordings(const QString &root)
{
    QStringList out;
    QDirIterator it(root, {QStringLiteral("*.json")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString rel = QDir(root).relativeFilePath(it.next());
        if (rel.contains(QLatin1Char('/')) && !rel.startsWith(QLatin1String("hub-")))
            out.append(rel);
    }
    out.sort();
    return out;
}

} // namespace idesk::test
