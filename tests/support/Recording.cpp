#include "Recording.h"

#include "TestConfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMimeDatabase>
#include <QRegularExpression>

namespace idesk::test {

namespace {

QList<QPair<QByteArray, QByteArray>> headerList(const QJsonObject &object)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QJsonValue v = it.value();
        const QString text =
            v.isString()   ? v.toString()
            : v.isDouble() ? QString::number(v.toDouble())
                           : QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
        headers.append({it.key().toUtf8(), text.toUtf8()});
    }
    return headers;
}

QByteArray findHeader(const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &name)
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

QString mimeOf(const QByteArray &contentType)
{
    return QString::fromLatin1(contentType.split(';').first().trimmed()).toLower();
}

QString shortJson(const QJsonValue &v)
{
    QString text = v.isUndefined()
                       ? QStringLiteral("(absent)")
                       : QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
    if (text.startsWith(QLatin1Char('[')) && text.endsWith(QLatin1Char(']')) && !v.isUndefined())
        text = text.mid(1, text.size() - 2);
    if (text.size() > 120)
        text = text.left(100) + QStringLiteral("...(%1 chars)").arg(text.size());
    return text;
}

void collectDifferences(const QJsonValue &expected, const QJsonValue &actual, const QString &where,
                        QStringList *out)
{
    if (out->size() >= 8)
        return;
    if (expected.type() != actual.type()) {
        out->append(
            QStringLiteral("%1: recorded %2, sent %3").arg(where, shortJson(expected), shortJson(actual)));
        return;
    }
    if (expected.isObject()) {
        const QJsonObject e = expected.toObject(), a = actual.toObject();
        for (auto it = e.begin(); it != e.end(); ++it)
            collectDifferences(it.value(),
                               a.contains(it.key()) ? a.value(it.key()) : QJsonValue(QJsonValue::Undefined),
                               where + QLatin1Char('.') + it.key(), out);
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!e.contains(it.key()))
                out->append(QStringLiteral("%1.%2: not recorded, sent %3")
                                .arg(where, it.key(), shortJson(it.value())));
        return;
    }
    if (expected.isArray()) {
        const QJsonArray e = expected.toArray(), a = actual.toArray();
        if (e.size() != a.size()) {
            out->append(
                QStringLiteral("%1: recorded %2 elements, sent %3").arg(where).arg(e.size()).arg(a.size()));
            return;
        }
        for (int i = 0; i < e.size(); ++i)
            collectDifferences(e.at(i), a.at(i), QStringLiteral("%1[%2]").arg(where).arg(i), out);
        return;
    }
    if (expected != actual)
        out->append(
            QStringLiteral("%1: recorded %2, sent %3").arg(where, shortJson(expected), shortJson(actual)));
}

} // namespace

std::optional<Recording> Recording::load(const QString &path, QString *error)
{
    const QString root = QStringLiteral(IDESK_TEST_DATA_DIR "/recordings");
    const QString full = QFileInfo(path).isAbsolute() ? path : root + QLatin1Char('/') + path;
    QFile file(full);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read recording %1: %2").arg(full, file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        if (error)
            *error =
                QStringLiteral("recording %1 is not a JSON object: %2").arg(full, parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    Recording r;
    r.m_relativePath = QDir(root).relativeFilePath(QFileInfo(full).absoluteFilePath());
    r.m_task = o.value(QStringLiteral("task")).toString();
    r.m_provider = o.value(QStringLiteral("provider")).toString();
    r.m_kind = o.value(QStringLiteral("kind")).toString();
    const QJsonValue notes = o.value(QStringLiteral("recording_notes"));
    if (notes.isArray()) {
        for (const QJsonValue &n : notes.toArray())
            r.m_notes.append(n.toString());
    } else if (notes.isString() && !notes.toString().isEmpty()) {
        r.m_notes.append(notes.toString());
    }

    const QJsonObject req = o.value(QStringLiteral("request")).toObject();
    r.m_method = req.value(QStringLiteral("method")).toString().toLatin1();
    r.m_url = QUrl(req.value(QStringLiteral("url")).toString());
    r.m_requestHeaders = headerList(req.value(QStringLiteral("headers")).toObject());
    r.m_requestContentType = req.value(QStringLiteral("body_content_type")).toString();
    r.m_requestSniffedType = req.value(QStringLiteral("body_sniffed_type")).toString();
    const QJsonValue bodyJson = req.value(QStringLiteral("body_json"));
    if (!bodyJson.isNull() && !bodyJson.isUndefined()) {
        r.m_requestIsJson = true;
        r.m_requestJson = bodyJson;
    } else if (req.value(QStringLiteral("body_base64")).isString()) {
        r.m_requestBytes =
            QByteArray::fromBase64(req.value(QStringLiteral("body_base64")).toString().toLatin1());
    }

    const QJsonObject resp = o.value(QStringLiteral("response")).toObject();
    r.m_status = resp.value(QStringLiteral("status")).toInt();
    r.m_responseHeaders = headerList(resp.value(QStringLiteral("headers")).toObject());
    if (resp.value(QStringLiteral("body_base64")).isString()) {
        r.m_responseBody =
            QByteArray::fromBase64(resp.value(QStringLiteral("body_base64")).toString().toLatin1());
    } else if (resp.value(QStringLiteral("body_text")).isString()) {
        r.m_responseIsText = true;
        r.m_responseBody = resp.value(QStringLiteral("body_text")).toString().toUtf8();
    } else if (resp.contains(QStringLiteral("body_json")) &&
               !resp.value(QStringLiteral("body_json")).isNull()) {
        r.m_responseIsJson = true;
        r.m_responseJson = resp.value(QStringLiteral("body_json"));
        const QJsonValue v = r.m_responseJson;
        r.m_responseBody = v.isObject()  ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
                           : v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                         : shortJson(v).toUtf8();
    }
    return r;
}

bool Recording::hasNote(const QString &name) const
{
    for (const QString &n : m_notes)
        if (n == name || n.startsWith(name + QLatin1Char(':')))
            return true;
    return false;
}

QByteArray Recording::requestHeader(const QByteArray &name) const
{
    return findHeader(m_requestHeaders, name);
}

bool Recording::hasRequestHeader(const QByteArray &name) const
{
    for (const auto &h : m_requestHeaders)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

QString Recording::modelFromShape(const QString &urlShape) const
{
    // "https://router.huggingface.co/hf-inference/models/{model}/pipeline/feature-extraction": the model
    // is what {model} matches in the recorded path (a model id has one slash at most).
    const QUrl shape(urlShape);
    QString pattern = QRegularExpression::escape(shape.path());
    pattern.replace(QRegularExpression::escape(QStringLiteral("{model}")),
                    QStringLiteral("([^/]+(?:/[^/]+)?)"));
    const QRegularExpressionMatch m =
        QRegularExpression(QLatin1Char('^') + pattern + QLatin1Char('$')).match(m_url.path());
    return m.hasMatch() ? m.captured(1) : QString();
}

QByteArray Recording::responseHeader(const QByteArray &name) const
{
    return findHeader(m_responseHeaders, name);
}

QString Recording::responseContentType() const
{
    return mimeOf(responseHeader("Content-Type"));
}

bool Recording::truthy(const QByteArray &value)
{
    const QByteArray v = value.trimmed().toLower();
    return v == "1" || v == "true" || v == "yes";
}

QString Recording::jsonDifference(const QJsonValue &expected, const QJsonValue &actual, const QString &where)
{
    QStringList out;
    collectDifferences(expected, actual, where, &out);
    return out.join(QStringLiteral("; "));
}

// The recordings come from several generations of the official Python client; the server accepted all
// of these spellings of the same request. Both the recorded body and ours go through this function, so
// that a difference left after it is a real difference:
//  1. `parameters`: keys whose value is null are dropped (the Python client sent every optional
//     parameter, unset ones as null), and an empty `parameters` object equals an absent one.
//  2. `"stream": false` equals an absent `stream` (the default, written out by the Python client).
//  3. A legacy `options` object (InferenceApi, {"wait_for_model": true, "use_gpu": false}) is taken
//     out of the body: wait_for_model and use_cache are what the x-wait-for-model / x-use-cache headers
//     say today and are compared with our headers instead; use_gpu has no successor and is dropped.
//  4. Input fields at the top level of the body (older clients: {"question", "context"},
//     {"query", "table"}, {"source_sentence", "sentences"}, {"question", "image"}) are the task's
//     `inputs` object, which is how the task specifications spell them. The April 2025 client sent
//     them next to a meaningless `"inputs": null` (or next to a copy of the image): that `inputs` is
//     replaced. A lone top-level `image` (zero-shot image classification, January 2025) is the
//     base64 image itself, i.e. `inputs`.
Recording::NormalisedBody Recording::normaliseBody(const QJsonValue &body)
{
    NormalisedBody result;
    if (!body.isObject()) {
        result.body = body;
        return result;
    }
    QJsonObject o = body.toObject();

    // 1. parameters
    if (o.contains(QStringLiteral("parameters")) && o.value(QStringLiteral("parameters")).isObject()) {
        QJsonObject params = o.value(QStringLiteral("parameters")).toObject();
        for (const QString &key : params.keys())
            if (params.value(key).isNull())
                params.remove(key);
        if (params.isEmpty())
            o.remove(QStringLiteral("parameters"));
        else
            o.insert(QStringLiteral("parameters"), params);
    } else if (o.value(QStringLiteral("parameters")).isNull()) {
        o.remove(QStringLiteral("parameters"));
    }

    // 2. stream: false
    if (o.value(QStringLiteral("stream")) == QJsonValue(false))
        o.remove(QStringLiteral("stream"));

    // 3. legacy options
    if (o.value(QStringLiteral("options")).isObject()) {
        const QJsonObject options = o.value(QStringLiteral("options")).toObject();
        if (options.value(QStringLiteral("wait_for_model")).isBool())
            result.waitForModel = options.value(QStringLiteral("wait_for_model")).toBool();
        if (options.value(QStringLiteral("use_cache")).isBool())
            result.useCache = options.value(QStringLiteral("use_cache")).toBool();
        o.remove(QStringLiteral("options"));
    }

    // 4. top-level input fields
    static const QStringList envelope{QStringLiteral("inputs"), QStringLiteral("parameters"),
                                      QStringLiteral("options"), QStringLiteral("stream")};
    QJsonObject topLevelInputs;
    for (const QString &key : o.keys())
        if (!envelope.contains(key))
            topLevelInputs.insert(key, o.value(key));
    if (!topLevelInputs.isEmpty() && !o.value(QStringLiteral("inputs")).isObject()) {
        for (const QString &key : topLevelInputs.keys())
            o.remove(key);
        if (topLevelInputs.size() == 1 && topLevelInputs.contains(QStringLiteral("image")))
            o.insert(QStringLiteral("inputs"), topLevelInputs.value(QStringLiteral("image")));
        else
            o.insert(QStringLiteral("inputs"), topLevelInputs);
    }
    result.body = o;
    return result;
}

QStringList Recording::compareRequest(const QJsonObject &received) const
{
    QStringList diffs;
    const QByteArray method = received.value(QStringLiteral("method")).toString().toLatin1();
    if (method != m_method)
        diffs << QStringLiteral("method: recorded %1, sent %2")
                     .arg(QString::fromLatin1(m_method), QString::fromLatin1(method));

    // The path: the test picks its endpoint so that the part after it coincides with the recording.
    const QString path =
        QUrl::fromPercentEncoding(received.value(QStringLiteral("path")).toString().toUtf8());
    if (path != m_url.path())
        diffs << QStringLiteral("path: recorded %1, sent %2").arg(m_url.path(), path);
    const QString query = received.value(QStringLiteral("query")).toString();
    if (query != m_url.query())
        diffs << QStringLiteral("query: recorded '%1', sent '%2'").arg(m_url.query(), query);

    const QJsonObject headers = received.value(QStringLiteral("headers")).toObject();
    auto sentHeader = [&](const char *name) {
        return headers.value(QLatin1String(name)).toString().toUtf8();
    };
    const QByteArray body =
        QByteArray::fromBase64(received.value(QStringLiteral("body_base64")).toString().toLatin1());
    const QString sentType = mimeOf(sentHeader("content-type"));

    std::optional<bool> legacyWait, legacyCache;
    if (m_requestIsJson) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
        if (doc.isNull()) {
            diffs << QStringLiteral("body: recorded JSON, sent %1 bytes that are not JSON (%2)")
                         .arg(body.size())
                         .arg(parseError.errorString());
        } else {
            const NormalisedBody expected = normaliseBody(m_requestJson);
            const NormalisedBody actual =
                normaliseBody(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()));
            legacyWait = expected.waitForModel;
            legacyCache = expected.useCache;
            const QString d = jsonDifference(expected.body, actual.body);
            if (!d.isEmpty())
                diffs << d;
            if (actual.waitForModel || actual.useCache)
                diffs << QStringLiteral("body: sent a legacy \"options\" object; the headers carry it now");
        }
        const QString recordedType = mimeOf(m_requestContentType.toLatin1());
        if (!recordedType.isEmpty() && sentType != recordedType)
            diffs << QStringLiteral("Content-Type: recorded %1, sent %2").arg(recordedType, sentType);
    } else if (!m_requestBytes.isEmpty()) {
        if (body != m_requestBytes)
            diffs << QStringLiteral("body: recorded %1 raw bytes, sent %2 bytes that differ%3")
                         .arg(m_requestBytes.size())
                         .arg(body.size())
                         .arg(body.startsWith('{') ? QStringLiteral(" (sent JSON)") : QString());
        // Binary bodies were recorded without a Content-Type: ours must then be the file's own type.
        const QString expectedType = m_requestContentType.isEmpty() ? m_requestSniffedType.toLower()
                                                                    : mimeOf(m_requestContentType.toLatin1());
        // The MIME database resolves aliases (audio/flac and audio/x-flac are one type).
        QMimeDatabase mimes;
        if (!expectedType.isEmpty() && sentType != expectedType &&
            mimes.mimeTypeForName(sentType) != mimes.mimeTypeForName(expectedType))
            diffs << QStringLiteral("Content-Type: the file is %1, sent %2").arg(expectedType, sentType);
    }

    // x-wait-for-model: recorded on the retry after a 503 as "1"; we send true/false. Compare truthiness.
    // The legacy body options.wait_for_model / use_cache map onto the headers too.
    std::optional<bool> expectWait;
    if (hasRequestHeader("X-wait-for-model"))
        expectWait = truthy(requestHeader("X-wait-for-model"));
    else if (legacyWait)
        expectWait = legacyWait;
    const bool sentWait = truthy(sentHeader("x-wait-for-model"));
    if (expectWait && *expectWait != sentWait)
        diffs << QStringLiteral("x-wait-for-model: recorded %1, sent '%2'")
                     .arg(*expectWait ? QStringLiteral("true") : QStringLiteral("false"),
                          QString::fromUtf8(sentHeader("x-wait-for-model")));
    if (!expectWait && sentWait)
        diffs << QStringLiteral("x-wait-for-model: not recorded, sent true");
    std::optional<bool> expectCache;
    if (hasRequestHeader("X-use-cache"))
        expectCache = truthy(requestHeader("X-use-cache"));
    else if (legacyCache)
        expectCache = legacyCache;
    if (expectCache && headers.contains(QStringLiteral("x-use-cache")) &&
        *expectCache != truthy(sentHeader("x-use-cache")))
        diffs << QStringLiteral("x-use-cache: recorded %1, sent '%2'")
                     .arg(*expectCache ? QStringLiteral("true") : QStringLiteral("false"),
                          QString::fromUtf8(sentHeader("x-use-cache")));
    return diffs;
}

} // namespace idesk::test
