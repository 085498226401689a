#include "JsonNumber.h"
#include "Preset.h"

#include "Duration.h"
#include "JsonScanner.h"
#include "KestraFlow.h"
#include "LocalFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <limits>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMimeDatabase>
#include <QRegularExpression>

namespace idesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Preset", text);
}

QJsonValue durationJson(qint64 ms)
{
    return ms < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(Duration::toIso(ms));
}

// `timeout`: a timeout (connect, read, read idle), refused at zero as the CLI refuses it (zero is not
// "no limit") and beyond what a timer can wait; else a duration that may be zero (the pool's idle time).
bool readDuration(const QJsonObject &o, const QString &key, qint64 *target, QString *error,
                  bool timeout = true)
{
    const QJsonValue v = o.value(key);
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

QString findTokenLike(const QJsonValue &v, const QString &where)
{
    static const QRegularExpression tokenRe(QStringLiteral("hf_[A-Za-z0-9]{30,}"));
    switch (v.type()) {
    case QJsonValue::String:
        return tokenRe.match(v.toString()).hasMatch() ? where : QString();
    case QJsonValue::Array: {
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i) {
            const QString found = findTokenLike(a.at(i), QStringLiteral("%1[%2]").arg(where).arg(i));
            if (!found.isEmpty())
                return found;
        }
        return {};
    }
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString found =
                findTokenLike(it.value(), where.isEmpty() ? it.key() : where + QLatin1Char('.') + it.key());
            if (!found.isEmpty())
                return found;
        }
        return {};
    }
    default:
        return {};
    }
}

// A short text field of the file over its limit: a sentence, "" when fine.
QString fieldTooLong(const QJsonObject &o, const char *key, const QString &where, int limit)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isString() || v.toString().size() <= limit)
        return {};
    return tr("\"%1\" is %2 characters long, over the limit of %3: shorten it")
        .arg(where)
        .arg(v.toString().size())
        .arg(limit);
}

} // namespace

qint64 Preset::fileCap()
{
    return LocalFile::kDefaultDocumentCap + LocalFile::inputCap() / 3 * 4 + 4;
}

QString Preset::nameProblem(const QString &name)
{
    if (name.size() <= maxNameLength)
        return {};
    return tr("A preset name may have at most %1 characters; this one has %2. Choose a shorter name.")
        .arg(maxNameLength)
        .arg(name.size());
}

Preset Preset::fromRequest(const QString &name, const InferenceRequest &request, bool embed)
{
    Preset p;
    p.name = name.trimmed();
    p.request = request;
    p.embedFile = embed;
    p.created = QDateTime::currentDateTimeUtc();
    p.modified = p.created;
    return p;
}

Preset Preset::fromKestraTask(const KestraTask &task, const QString &name)
{
    Preset p = fromRequest(name.isEmpty() ? task.id : name, task.request);
    p.inputsFile = task.inputsFile;
    return p;
}

bool Preset::embedsFile() const
{
    if (request.file.bytes.isEmpty())
        return false;
    return embedFile || request.file.path.isEmpty() || request.file.bytes.size() < embedLimit();
}

QJsonObject Preset::toJson() const
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
    QJsonObject options;
    options.insert(QStringLiteral("connectTimeout"), durationJson(o.connectTimeoutMs));
    options.insert(QStringLiteral("readTimeout"), durationJson(o.readTimeoutMs));
    options.insert(QStringLiteral("readIdleTimeout"), durationJson(o.readIdleTimeoutMs));
    options.insert(QStringLiteral("maxContentLength"), o.maxContentLength);
    options.insert(QStringLiteral("defaultCharset"), o.defaultCharset);
    options.insert(QStringLiteral("connectionPoolIdleTimeout"), durationJson(o.connectionPoolIdleTimeoutMs));
    r.insert(QStringLiteral("options"), options);

    if (!request.file.bytes.isEmpty() || !request.file.path.isEmpty()) {
        QJsonObject file;
        file.insert(QStringLiteral("path"), request.file.path);
        file.insert(QStringLiteral("mimeType"), request.file.mimeType);
        if (!request.file.bytes.isEmpty())
            file.insert(QStringLiteral("size"), request.file.bytes.size());
        if (embedsFile())
            file.insert(QStringLiteral("base64"), QString::fromLatin1(request.file.bytes.toBase64()));
        file.insert(QStringLiteral("embed"), embedFile);
        r.insert(QStringLiteral("file"), file);
    }

    QJsonObject json;
    json.insert(QStringLiteral("format"), formatName());
    json.insert(QStringLiteral("version"), formatVersion());
    json.insert(QStringLiteral("name"), name);
    json.insert(QStringLiteral("created"), created.toUTC().toString(Qt::ISODateWithMs));
    json.insert(QStringLiteral("modified"), modified.toUTC().toString(Qt::ISODateWithMs));
    json.insert(QStringLiteral("request"), r);
    if (!inputsFile.isEmpty())
        json.insert(QStringLiteral("inputsFile"), inputsFile);
    return json;
}

QByteArray Preset::toJsonBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
}

std::optional<Preset> Preset::fromJson(const QJsonObject &json, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<Preset> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (json.value(QStringLiteral("format")).toString() != formatName())
        return fail(tr("not an Inference Desk preset (\"format\" is not \"%1\")").arg(formatName()));
    const int version = json.value(QStringLiteral("version")).toInt(-1);
    if (version < 1)
        return fail(tr("\"version\" is missing or not a number"));
    if (version > formatVersion())
        return fail(
            tr("written by a newer Inference Desk (preset format %1, this one reads up to %2): update "
               "Inference Desk to open it")
                .arg(version)
                .arg(formatVersion()));
    // Short texts stay short: a name of 5 million characters made every listing crawl.
    const QJsonObject rq = json.value(QStringLiteral("request")).toObject();
    const QJsonObject fileObject = rq.value(QStringLiteral("file")).toObject();
    for (const QString &problem :
         {fieldTooLong(json, "name", QStringLiteral("name"), maxNameLength),
          fieldTooLong(json, "inputsFile", QStringLiteral("inputsFile"), maxFieldLength),
          fieldTooLong(rq, "endpoint", QStringLiteral("request.endpoint"), maxFieldLength),
          fieldTooLong(rq, "model", QStringLiteral("request.model"), maxFieldLength),
          fieldTooLong(rq, "task", QStringLiteral("request.task"), maxNameLength),
          fieldTooLong(fileObject, "path", QStringLiteral("request.file.path"), maxFieldLength),
          fieldTooLong(fileObject, "mimeType", QStringLiteral("request.file.mimeType"), maxNameLength)})
        if (!problem.isEmpty())
            return fail(problem);
    Preset p;
    p.name = json.value(QStringLiteral("name")).toString().trimmed();
    if (p.name.isEmpty())
        return fail(tr("\"name\" is missing or empty"));
    p.created = QDateTime::fromString(json.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs);
    p.modified = QDateTime::fromString(json.value(QStringLiteral("modified")).toString(), Qt::ISODateWithMs);
    p.inputsFile = json.value(QStringLiteral("inputsFile")).toString();

    const QJsonValue rv = json.value(QStringLiteral("request"));
    if (!rv.isObject())
        return fail(tr("\"request\" is missing or not an object"));
    const QJsonObject r = rv.toObject();
    InferenceRequest &q = p.request;
    q.endpoint = r.value(QStringLiteral("endpoint")).toString(InferenceRequest::defaultEndpoint());
    q.model = r.value(QStringLiteral("model")).toString();
    q.task = r.value(QStringLiteral("task")).toString();
    q.inputs = r.value(QStringLiteral("inputs"));
    if (q.inputs.isNull())
        q.inputs = QJsonValue();
    const QJsonValue params = r.value(QStringLiteral("parameters"));
    if (!params.isUndefined() && !params.isNull() && !params.isObject())
        return fail(tr("\"request.parameters\" must be an object"));
    q.parameters = params.toObject();
    q.useCache = r.value(QStringLiteral("useCache")).toBool(true);
    q.waitForModel = r.value(QStringLiteral("waitForModel")).toBool(false);
    q.stream = r.value(QStringLiteral("stream")).toBool(false);
    q.provider = r.value(QStringLiteral("provider")).toString().trimmed(); // absent: as before providers
    // Presets written before the two text-generation routes have no "route": the per-model form they
    // were sent with. Older presets wrote "route" for every task; other tasks have one route and
    // ignore it.
    const QJsonValue route = r.value(QStringLiteral("route"));
    if (hasTextGenerationRoutes(q.task) && !route.isUndefined() && !route.isNull()) {
        const auto parsed = textGenerationRouteFromId(route.toString());
        if (!parsed)
            return fail(tr("\"request.route\" is \"%1\"; it must be \"model\" or \"completions\"")
                            .arg(route.toVariant().toString()));
        q.route = *parsed;
    }

    const QJsonObject o = r.value(QStringLiteral("options")).toObject();
    QString why;
    if (!readDuration(o, QStringLiteral("connectTimeout"), &q.options.connectTimeoutMs, &why) ||
        !readDuration(o, QStringLiteral("readTimeout"), &q.options.readTimeoutMs, &why) ||
        !readDuration(o, QStringLiteral("readIdleTimeout"), &q.options.readIdleTimeoutMs, &why) ||
        !readDuration(o, QStringLiteral("connectionPoolIdleTimeout"), &q.options.connectionPoolIdleTimeoutMs,
                      &why, false))
        return fail(why);
    if (o.contains(QStringLiteral("maxContentLength"))) {
        const auto max = JsonNumber::toInt64(o.value(QStringLiteral("maxContentLength")));
        if (!max || *max < 0)
            return fail(tr("options.maxContentLength must be a whole number of bytes from 0 to %1. Fix the value "
                           "in the preset.")
                            .arg(std::numeric_limits<qint64>::max()));
        q.options.maxContentLength = *max;
    }
    if (o.contains(QStringLiteral("defaultCharset")))
        q.options.defaultCharset = o.value(QStringLiteral("defaultCharset")).toString();

    const QJsonObject file = r.value(QStringLiteral("file")).toObject();
    if (!file.isEmpty()) {
        q.file.path = file.value(QStringLiteral("path")).toString();
        q.file.mimeType = file.value(QStringLiteral("mimeType")).toString();
        p.embedFile = file.value(QStringLiteral("embed")).toBool(false);
        const QJsonValue b64 = file.value(QStringLiteral("base64"));
        if (b64.isString()) {
            const auto decoded = QByteArray::fromBase64Encoding(b64.toString().toLatin1(),
                                                                QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return fail(tr("\"request.file.base64\" is not valid base64"));
            q.file.bytes = *decoded;
        }
    }
    return p;
}

std::optional<Preset> Preset::fromJsonBytes(const QByteArray &bytes, QString *error)
{
    // Nesting and the number of values are checked before a document is built from them.
    const JsonScanner::Report scan = JsonScanner::scan(bytes, {maxDepth, maxValues, -1});
    if (scan.problem == JsonScanner::Problem::TooDeep ||
        scan.problem == JsonScanner::Problem::TooManyElements) {
        if (error)
            *error = tr("%1 at byte %2, over the limits for a preset (%3 levels of nesting, %4 values); "
                        "Inference Desk does not write such presets, so the file is damaged or comes from "
                        "elsewhere")
                         .arg(scan.what)
                         .arg(scan.offset)
                         .arg(maxDepth)
                         .arg(maxValues);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // a line number helps more than an offset
        const int line = bytes.left(parseError.offset).count('\n') + 1;
        if (error)
            *error = tr("JSON error at line %1 (offset %2): %3")
                         .arg(line)
                         .arg(parseError.offset)
                         .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        if (error)
            *error = tr("not a JSON object");
        return std::nullopt;
    }
    return fromJson(doc.object(), error);
}

std::optional<Preset> Preset::load(const QString &path, QString *error, QString *reason)
{
    // Regular files only, under a cap: a preset that is a link to /dev/zero must not fill the memory.
    QString readError;
    const auto bytes = LocalFile::read(path, fileCap(), &readError);
    if (!bytes) {
        if (error)
            *error = readError;
        if (reason)
            *reason = readError;
        return std::nullopt;
    }
    QString why;
    auto p = fromJsonBytes(*bytes, &why);
    if (!p) {
        if (error)
            *error = tr("%1 is not a usable preset: %2.").arg(QDir::toNativeSeparators(path), why);
        if (reason)
            *reason = why;
        return std::nullopt;
    }
    p->filePath = QFileInfo(path).absoluteFilePath();
    return p;
}

std::optional<InferenceRequest> Preset::resolvedRequest(QString *error) const
{
    InferenceRequest r = request;
    if (r.file.bytes.isEmpty() && !r.file.path.isEmpty()) {
        // A regular file under the input cap: a preset whose file is /dev/zero must not fill the memory.
        QString why;
        auto bytes = LocalFile::read(r.file.path, LocalFile::inputCap(), &why);
        if (!bytes) {
            if (error)
                *error =
                    tr("Preset '%1' uses a file that cannot be sent: %2 Put the right file there, or open "
                       "the preset and choose the file again (and save it embedded to keep it in the "
                       "preset).")
                        .arg(name, why);
            return std::nullopt;
        }
        r.file.bytes = *bytes;
        if (r.file.mimeType.isEmpty())
            r.file.mimeType = QMimeDatabase().mimeTypeForFileNameAndData(r.file.path, r.file.bytes).name();
    }
    return r;
}

QString Preset::tokenLikeValue() const
{
    const QJsonObject json = toJson();
    QJsonObject r = json.value(QStringLiteral("request")).toObject();
    QJsonObject file = r.value(QStringLiteral("file")).toObject();
    file.remove(QStringLiteral("base64")); // file bytes are data, not text someone typed
    r.insert(QStringLiteral("file"), file);
    QJsonObject scan = json;
    scan.insert(QStringLiteral("request"), r);
    return findTokenLike(scan, QString());
}

bool Preset::sameContent(const Preset &other) const
{
    // A file kept by path has no bytes until resolvedRequest(): compare bytes only when both have them.
    InferenceRequest a = request;
    InferenceRequest b = other.request;
    if (a.file.bytes.isEmpty() || b.file.bytes.isEmpty()) {
        a.file.bytes.clear();
        b.file.bytes.clear();
    }
    return name == other.name && a == b && embedFile == other.embedFile && inputsFile == other.inputsFile;
}

} // namespace idesk
