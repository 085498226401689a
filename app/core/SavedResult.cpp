#include "JsonNumber.h"
#include "SavedResult.h"

#include "JsonScanner.h"
#include "LocalFile.h"
#include "RequestCodec.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStringDecoder>

namespace idesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SavedResult", text);
}

struct OutcomeName
{
    InferenceResult::Outcome outcome;
    const char *name;
};

constexpr OutcomeName outcomeNames[] = {
    {InferenceResult::Outcome::Success, "success"},
    {InferenceResult::Outcome::HttpError, "http-error"},
    {InferenceResult::Outcome::NetworkError, "network-error"},
    {InferenceResult::Outcome::Timeout, "timeout"},
    {InferenceResult::Outcome::TooLarge, "too-large"},
    {InferenceResult::Outcome::Cancelled, "cancelled"},
    {InferenceResult::Outcome::InvalidRequest, "invalid-request"},
};

QString outcomeName(InferenceResult::Outcome outcome)
{
    for (const auto &o : outcomeNames)
        if (o.outcome == outcome)
            return QLatin1String(o.name);
    return QStringLiteral("success");
}

std::optional<InferenceResult::Outcome> outcomeFromName(const QString &name)
{
    for (const auto &o : outcomeNames)
        if (name == QLatin1String(o.name))
            return o.outcome;
    return std::nullopt;
}

// Text bodies stay readable in the file; anything else (images, audio, invalid UTF-8) is base64.
bool isTextBody(const InferenceResult &result)
{
    if (result.isBinary() || result.body.contains('\0'))
        return false;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(result.body);
    return !decoder.hasError() && text.toUtf8() == result.body;
}

} // namespace

bool SavedResult::isSecretHeader(const QByteArray &name)
{
    const QByteArray n = name.toLower();
    return n == "authorization" || n == "proxy-authorization" || n == "cookie" || n == "set-cookie" ||
           n == "x-api-key";
}

QByteArray SavedResult::toJson() const
{
    // The file's name only: where it lived on the sender's disk is nobody's business.
    const QJsonObject req = RequestCodec::toJson(request, {false, true});

    QJsonObject resp;
    resp.insert(QStringLiteral("outcome"), outcomeName(result.outcome));
    resp.insert(QStringLiteral("status"), result.status);
    resp.insert(QStringLiteral("reason"), QString::fromUtf8(result.reason));
    resp.insert(QStringLiteral("url"), result.url.toString());
    QJsonArray headers;
    for (const auto &h : result.headers)
        if (!isSecretHeader(h.first))
            headers.append(QJsonArray{QString::fromLatin1(h.first), QString::fromUtf8(h.second)});
    resp.insert(QStringLiteral("headers"), headers);
    resp.insert(QStringLiteral("content_type"), result.contentType);
    resp.insert(QStringLiteral("charset"), result.charset);
    if (isTextBody(result))
        resp.insert(QStringLiteral("body_text"), QString::fromUtf8(result.body));
    else
        resp.insert(QStringLiteral("body_base64"), QString::fromLatin1(result.body.toBase64()));
    resp.insert(QStringLiteral("error_message"), result.errorMessage);
    resp.insert(QStringLiteral("server_message"), result.serverMessage);

    QJsonObject root;
    root.insert(QStringLiteral("format"), formatName());
    root.insert(QStringLiteral("version"), formatVersion);
    root.insert(QStringLiteral("app_version"), appVersion);
    root.insert(QStringLiteral("saved_at"),
                (savedAt.isValid() ? savedAt : QDateTime::currentDateTimeUtc()).toString(Qt::ISODateWithMs));
    root.insert(QStringLiteral("request"), req);
    root.insert(QStringLiteral("response"), resp);
    root.insert(QStringLiteral("timing"),
                QJsonObject{{QStringLiteral("elapsed_ms"), double(result.elapsedMs)},
                            {QStringLiteral("first_byte_ms"), double(result.firstByteMs)},
                            {QStringLiteral("attempts"), result.attempts}});
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<SavedResult> SavedResult::fromJson(const QByteArray &json, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<SavedResult> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    // Nesting and the number of values are checked before a document is built from them.
    const JsonScanner::Report scan = JsonScanner::scan(json, {maxDepth, maxValues, -1});
    if (scan.problem == JsonScanner::Problem::TooDeep ||
        scan.problem == JsonScanner::Problem::TooManyElements)
        return fail(tr("It holds %1 (at byte %2), over the limits for a saved result (%3 levels of nesting, "
                       "%4 values). Inference Desk does not write such files: it is damaged or comes from "
                       "elsewhere.")
                        .arg(scan.what)
                        .arg(scan.offset)
                        .arg(maxDepth)
                        .arg(maxValues));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(tr("It is not valid JSON (%1 at byte %2): the file is damaged, or was not written by "
                       "Inference Desk.")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
    const QJsonObject root = doc.object();
    if (!doc.isObject() || root.value(QLatin1String("format")).toString() != formatName())
        return fail(tr("This JSON file is not an Inference Desk saved result (its \"format\" is not \"%1\"). "
                       "Open a file written by Save result or by inference-desk-cli --save-result.")
                        .arg(formatName()));
    const int version = root.value(QLatin1String("version")).toInt(0);
    if (version < 1)
        return fail(tr("The saved result has no valid \"version\"; the file is damaged."));
    if (version > formatVersion)
        return fail(
            tr("The saved result was written by a newer Inference Desk (file version %1, this one reads "
               "up to %2). Update Inference Desk to open it.")
                .arg(version)
                .arg(formatVersion));
    const QJsonValue reqValue = root.value(QLatin1String("request"));
    const QJsonValue respValue = root.value(QLatin1String("response"));
    if (!reqValue.isObject() || !respValue.isObject())
        return fail(
            tr("The saved result has no \"request\" or no \"response\" object; the file is damaged."));
    const QJsonObject req = reqValue.toObject();
    const QJsonObject resp = respValue.toObject();

    // Short texts stay short (the answer and the files are checked by the file's cap).
    const QJsonValue shortTexts[] = {
        root.value(QLatin1String("app_version")),  root.value(QLatin1String("saved_at")),
        req.value(QLatin1String("endpoint")),      req.value(QLatin1String("model")),
        req.value(QLatin1String("task")),          resp.value(QLatin1String("url")),
        resp.value(QLatin1String("content_type")), resp.value(QLatin1String("charset")),
        resp.value(QLatin1String("reason")),       resp.value(QLatin1String("outcome"))};
    for (const QJsonValue &text : shortTexts)
        if (text.isString() && text.toString().size() > maxFieldLength)
            return fail(tr("It holds a text of %1 characters where at most %2 are expected (a model, URL, "
                           "task or content type); the file is damaged or comes from elsewhere.")
                            .arg(text.toString().size())
                            .arg(maxFieldLength));
    SavedResult saved;
    saved.appVersion = root.value(QLatin1String("app_version")).toString();
    saved.savedAt =
        QDateTime::fromString(root.value(QLatin1String("saved_at")).toString(), Qt::ISODateWithMs);

    QString why;
    const auto request = RequestCodec::fromJson(req, &why);
    if (!request)
        return fail(tr("The request in the saved result is damaged: %1.").arg(why));
    saved.request = *request;

    InferenceResult &res = saved.result;
    const auto outcome = outcomeFromName(resp.value(QLatin1String("outcome")).toString());
    if (!outcome)
        return fail(tr("The saved result's outcome \"%1\" is unknown; the file is damaged.")
                        .arg(resp.value(QLatin1String("outcome")).toString()));
    res.outcome = *outcome;
    res.status = resp.value(QLatin1String("status")).toInt();
    res.reason = resp.value(QLatin1String("reason")).toString().toUtf8();
    res.url = QUrl(resp.value(QLatin1String("url")).toString());
    for (const QJsonValue &h : resp.value(QLatin1String("headers")).toArray()) {
        const QJsonArray pair = h.toArray();
        if (pair.size() != 2 || !pair.at(0).isString())
            return fail(tr(
                "A response header in the saved result is not a [name, value] pair; the file is damaged."));
        if (!isSecretHeader(pair.at(0).toString().toLatin1()))
            res.headers.append({pair.at(0).toString().toLatin1(), pair.at(1).toString().toUtf8()});
    }
    res.contentType = resp.value(QLatin1String("content_type")).toString();
    res.charset = resp.value(QLatin1String("charset")).toString();
    if (resp.value(QLatin1String("body_text")).isString()) {
        res.body = resp.value(QLatin1String("body_text")).toString().toUtf8();
    } else if (resp.value(QLatin1String("body_base64")).isString()) {
        const auto bytes =
            QByteArray::fromBase64Encoding(resp.value(QLatin1String("body_base64")).toString().toLatin1(),
                                           QByteArray::AbortOnBase64DecodingErrors);
        if (!bytes)
            return fail(tr("The answer in the saved result is not valid base64; the file is damaged."));
        res.body = bytes.decoded;
    }
    res.errorMessage = resp.value(QLatin1String("error_message")).toString();
    res.serverMessage = resp.value(QLatin1String("server_message")).toString();
    const QJsonObject timing = root.value(QLatin1String("timing")).toObject();
    res.elapsedMs = JsonNumber::toInt64Or(timing.value(QLatin1String("elapsed_ms")), 0);
    res.firstByteMs = JsonNumber::toInt64Or(timing.value(QLatin1String("first_byte_ms")), -1);
    res.attempts = timing.value(QLatin1String("attempts")).toInt(1);
    return saved;
}

bool SavedResult::save(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error =
                tr("Cannot write %1: %2. Choose a folder you can write to.").arg(path, file.errorString());
        return false;
    }
    file.write(toJson());
    if (!file.commit()) {
        if (error)
            *error = tr("Cannot save %1: %2. Check the free space and the folder's permissions.")
                         .arg(path, file.errorString());
        return false;
    }
    return true;
}

qint64 SavedResult::fileCap()
{
    // The answer (text or base64) and the input file (base64): room for an input under the input cap
    // twice over; IDESK_MAX_INPUT_FILE raises it.
    return LocalFile::kDefaultDocumentCap + LocalFile::inputCap() / 3 * 8;
}

std::optional<SavedResult> SavedResult::load(const QString &path, QString *error)
{
    // Regular files only, under a cap: /dev/zero or a FIFO named result.json must not fill the memory.
    QString readError;
    const auto bytes = LocalFile::read(path, fileCap(), &readError);
    if (!bytes) {
        if (error)
            *error = readError;
        return std::nullopt;
    }
    QString why;
    auto saved = fromJson(*bytes, &why);
    if (!saved && error)
        *error = tr("Cannot open %1: %2").arg(QFileInfo(path).fileName(), why);
    return saved;
}

} // namespace idesk
