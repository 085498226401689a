#include "RequestCodec.h"

#include "Duration.h"
#include "JsonNumber.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <initializer_list>
#include <limits>

namespace idesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RequestCodec", text);
}

QJsonValue durationJson(qint64 ms)
{
    return ms < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(Duration::toIso(ms));
}

// The first of `keys` present in `o` (older versions spelled some fields differently), and its key.
QJsonValue valueOf(const QJsonObject &o, std::initializer_list<const char *> keys, QString *found = nullptr)
{
    for (const char *key : keys) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isUndefined()) {
            if (found)
                *found = QLatin1String(key);
            return v;
        }
    }
    return QJsonValue(QJsonValue::Undefined);
}

// A duration: ISO 8601 ("PT30S"), a number of milliseconds, or null (unset: -1). `timeout`: refused at
// zero as the CLI refuses it (zero is not "no limit"); else a duration that may be zero.
bool readDuration(const QJsonObject &o, std::initializer_list<const char *> keys, qint64 *target,
                  QString *error, bool timeout = true)
{
    QString key;
    const QJsonValue v = valueOf(o, keys, &key);
    if (v.isUndefined())
        return true;
    if (v.isNull()) {
        *target = -1;
        return true;
    }
    if (v.isDouble()) { // milliseconds
        const double ms = v.toDouble();
        if (ms < (timeout ? 1 : 0) || ms > Duration::kMaxTimeoutMs) {
            *error = tr("options.%1: %2 ms is out of range: give 1 ms to 24 days (e.g. \"PT30S\"); a timeout "
                        "of zero is not \"no limit\", and null leaves it unset.")
                         .arg(key)
                         .arg(ms);
            return false;
        }
        *target = qint64(ms);
        return true;
    }
    QString why;
    const auto ms =
        timeout ? Duration::parseTimeout(v.toString(), &why) : Duration::parse(v.toString(), &why);
    if (!ms) {
        *error = tr("options.%1: %2").arg(key, why);
        return false;
    }
    *target = *ms;
    return true;
}

} // namespace

QJsonObject RequestCodec::toJson(const InferenceRequest &request, FileForm form)
{
    QJsonObject r;
    r.insert(QStringLiteral("endpoint"), request.endpoint);
    r.insert(QStringLiteral("model"), request.model);
    r.insert(QStringLiteral("task"), request.task);
    r.insert(QStringLiteral("inputs"),
             request.inputs.isUndefined() ? QJsonValue(QJsonValue::Null) : request.inputs);
    r.insert(QStringLiteral("parameters"), request.parameters);
    r.insert(QStringLiteral("useCache"), request.useCache);
    r.insert(QStringLiteral("waitForModel"), request.waitForModel);
    r.insert(QStringLiteral("stream"), request.stream);
    if (hasTextGenerationRoutes(request.task)) // other tasks have one route: nothing to say
        r.insert(QStringLiteral("route"), textGenerationRouteId(request.route));
    if (!request.provider.isEmpty()) // left out: hf-inference at the endpoint, as before providers
        r.insert(QStringLiteral("provider"), request.provider);

    const HttpOptions &o = request.options;
    const HttpOptions defaults;
    QJsonObject options;
    options.insert(QStringLiteral("connectTimeout"), durationJson(o.connectTimeoutMs));
    options.insert(QStringLiteral("readTimeout"), durationJson(o.readTimeoutMs));
    options.insert(QStringLiteral("readIdleTimeout"), durationJson(o.readIdleTimeoutMs));
    options.insert(QStringLiteral("maxContentLength"), o.maxContentLength);
    options.insert(QStringLiteral("defaultCharset"), o.defaultCharset);
    options.insert(QStringLiteral("connectionPoolIdleTimeout"), durationJson(o.connectionPoolIdleTimeoutMs));
    // Not Kestra's: kept only when the person changed them, so presets stay as Kestra knows them.
    if (o.deadlineMs != defaults.deadlineMs)
        options.insert(QStringLiteral("deadline"), durationJson(o.deadlineMs));
    if (o.maxLoadingWaitMs != defaults.maxLoadingWaitMs)
        options.insert(QStringLiteral("maxLoadingWait"), durationJson(o.maxLoadingWaitMs));
    r.insert(QStringLiteral("options"), options);

    const InputFile &f = request.file;
    if (!f.bytes.isEmpty() || !f.path.isEmpty()) {
        QJsonObject file;
        file.insert(QStringLiteral("path"), form.fullPath ? f.path : QFileInfo(f.path).fileName());
        file.insert(QStringLiteral("mimeType"), f.mimeType);
        if (!f.bytes.isEmpty())
            file.insert(QStringLiteral("size"), f.bytes.size());
        if (form.bytes && !f.bytes.isEmpty())
            file.insert(QStringLiteral("base64"), QString::fromLatin1(f.bytes.toBase64()));
        r.insert(QStringLiteral("file"), file);
    }
    return r;
}

std::optional<InferenceRequest> RequestCodec::fromJson(const QJsonObject &r, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<InferenceRequest> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    InferenceRequest q;
    q.endpoint = r.value(QStringLiteral("endpoint")).toString(InferenceRequest::defaultEndpoint());
    q.model = r.value(QStringLiteral("model")).toString();
    q.task = r.value(QStringLiteral("task")).toString();
    q.inputs = r.value(QStringLiteral("inputs")); // null as written for none (a default request's own)
    const QJsonValue params = r.value(QStringLiteral("parameters"));
    if (!params.isUndefined() && !params.isNull() && !params.isObject())
        return fail(tr("\"request.parameters\" must be an object"));
    q.parameters = params.toObject();
    q.useCache = valueOf(r, {"useCache", "use_cache"}).toBool(true);
    q.waitForModel = valueOf(r, {"waitForModel", "wait_for_model"}).toBool(false);
    q.stream = r.value(QStringLiteral("stream")).toBool(false);
    q.provider = r.value(QStringLiteral("provider")).toString().trimmed(); // absent: as before providers
    // Written before the two text-generation routes: no "route", the per-model form it was sent with.
    // Older versions wrote "route" for every task; other tasks have one route and ignore it.
    const QJsonValue route = r.value(QStringLiteral("route"));
    if (hasTextGenerationRoutes(q.task) && !route.isUndefined() && !route.isNull()) {
        const auto parsed = textGenerationRouteFromId(route.toString());
        if (!parsed)
            return fail(tr("\"request.route\" is \"%1\"; it must be \"model\" or \"completions\"")
                            .arg(route.toVariant().toString()));
        q.route = *parsed;
    }

    const QJsonObject o = r.value(QStringLiteral("options")).toObject();
    HttpOptions &h = q.options;
    QString why;
    if (!readDuration(o, {"connectTimeout", "connect_timeout_ms", "connectTimeoutMs"}, &h.connectTimeoutMs,
                      &why) ||
        !readDuration(o, {"readTimeout", "read_timeout_ms", "readTimeoutMs"}, &h.readTimeoutMs, &why) ||
        !readDuration(o, {"readIdleTimeout", "read_idle_timeout_ms", "readIdleTimeoutMs"},
                      &h.readIdleTimeoutMs, &why) ||
        !readDuration(o, {"connectionPoolIdleTimeout", "connectionPoolIdleTimeoutMs"},
                      &h.connectionPoolIdleTimeoutMs, &why, false) ||
        !readDuration(o, {"deadline"}, &h.deadlineMs, &why) ||
        !readDuration(o, {"maxLoadingWait"}, &h.maxLoadingWaitMs, &why, false))
        return fail(why);
    const QJsonValue max = valueOf(o, {"maxContentLength", "max_content_length"});
    if (!max.isUndefined()) {
        const auto bytes = JsonNumber::toInt64(max);
        if (!bytes || *bytes < 0)
            return fail(tr("options.maxContentLength must be a whole number of bytes from 0 to %1.")
                            .arg(std::numeric_limits<qint64>::max()));
        h.maxContentLength = *bytes;
    }
    const QJsonValue charset = valueOf(o, {"defaultCharset", "default_charset"});
    if (!charset.isUndefined())
        h.defaultCharset = charset.toString(h.defaultCharset);

    const QJsonValue fileValue = r.value(QStringLiteral("file"));
    if (fileValue.isString()) // the remembered request of older versions: the path alone
        q.file.path = fileValue.toString();
    const QJsonObject file = fileValue.toObject();
    if (!file.isEmpty()) {
        q.file.path = valueOf(file, {"path", "name"}).toString();
        q.file.mimeType = valueOf(file, {"mimeType", "mime_type"}).toString();
        const QJsonValue b64 = file.value(QStringLiteral("base64"));
        if (b64.isString()) {
            const auto decoded = QByteArray::fromBase64Encoding(b64.toString().toLatin1(),
                                                                QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return fail(tr("\"request.file.base64\" is not valid base64"));
            q.file.bytes = *decoded;
        }
    }
    return q;
}

} // namespace idesk
