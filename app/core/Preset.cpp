#include "Preset.h"

#include "JsonScanner.h"
#include "KestraFlow.h"
#include "LocalFile.h"
#include "RequestCodec.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
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
    QJsonObject r = RequestCodec::toJson(request, {true, embedsFile()});
    if (r.contains(QStringLiteral("file"))) {
        QJsonObject file = r.value(QStringLiteral("file")).toObject();
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
    QString why;
    const auto request = RequestCodec::fromJson(r, &why);
    if (!request)
        return fail(why);
    p.request = *request;
    p.embedFile = r.value(QStringLiteral("file")).toObject().value(QStringLiteral("embed")).toBool(false);
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
