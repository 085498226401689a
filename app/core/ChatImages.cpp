#include "ChatImages.h"

#include "LocalFile.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QUrl>

namespace idesk::ChatImages {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ChatImages", text);
}

const QLatin1String kType("type");
const QLatin1String kText("text");
const QLatin1String kImageUrl("image_url");
const QLatin1String kUrl("url");
} // namespace

QJsonObject textPart(const QString &text)
{
    return QJsonObject{{kType, kText}, {kText, text}};
}

QJsonObject imagePart(const QString &url)
{
    return QJsonObject{{kType, kImageUrl}, {kImageUrl, QJsonObject{{kUrl, url}}}};
}

QString dataUri(const QByteArray &bytes, const QString &mime)
{
    return QStringLiteral("data:%1;base64,").arg(mime) + QString::fromLatin1(bytes.toBase64());
}

bool decodeDataUri(const QString &url, QByteArray *bytes, QString *mime)
{
    if (!url.startsWith(QLatin1String("data:"), Qt::CaseInsensitive))
        return false;
    const qsizetype comma = url.indexOf(QLatin1Char(','));
    if (comma < 0)
        return false;
    const QString header = url.mid(5, comma - 5);
    if (!header.endsWith(QLatin1String(";base64"), Qt::CaseInsensitive))
        return false;
    auto decoded = QByteArray::fromBase64Encoding(QStringView(url).mid(comma + 1).toLatin1(),
                                                  QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    if (bytes)
        *bytes = std::move(*decoded);
    if (mime)
        *mime = header.chopped(7);
    return true;
}

bool isWebUrl(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty() &&
           (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"));
}

QString imageMimeType(const QByteArray &bytes)
{
    const QMimeType type = QMimeDatabase().mimeTypeForData(bytes);
    return type.name().startsWith(QLatin1String("image/")) ? type.name() : QString();
}

std::optional<QJsonObject> partFromBytes(const QByteArray &bytes, const QString &shown, QString *error)
{
    const QString mime = imageMimeType(bytes);
    if (mime.isEmpty()) {
        if (error)
            *error = tr("%1 is not an image (its content reads as %2): attach a PNG, JPEG, WebP or GIF file.")
                         .arg(shown, QMimeDatabase().mimeTypeForData(bytes).name());
        return std::nullopt;
    }
    return imagePart(dataUri(bytes, mime));
}

std::optional<QJsonObject> partFor(const QString &fileOrUrl, QString *error)
{
    const QString given = fileOrUrl.trimmed();
    if (isWebUrl(given))
        return imagePart(given);
    if (given.startsWith(QLatin1String("data:"), Qt::CaseInsensitive)) {
        QByteArray bytes;
        if (!decodeDataUri(given, &bytes)) {
            if (error)
                *error =
                    tr("The data URI given as an image is not base64 data: give a file or an http(s) URL.");
            return std::nullopt;
        }
        return partFromBytes(bytes, tr("The data URI"), error);
    }
    QString path = given;
    if (given.startsWith(QLatin1String("file:"), Qt::CaseInsensitive))
        path = QUrl(given).toLocalFile();
    if (path.isEmpty()) {
        if (error)
            *error = tr("No image given: name an image file or an http(s) URL.");
        return std::nullopt;
    }
    const std::optional<QByteArray> bytes = LocalFile::read(path, LocalFile::inputCap(), error);
    if (!bytes)
        return std::nullopt;
    return partFromBytes(*bytes, QFileInfo(path).fileName(), error);
}

QJsonArray attachToLastUser(const QJsonArray &messages, const QList<QJsonObject> &imageParts, QString *error)
{
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        QJsonObject message = messages.at(i).toObject();
        if (message.value(QLatin1String("role")).toString() != QLatin1String("user"))
            continue;
        const QJsonValue content = message.value(QLatin1String("content"));
        QJsonArray parts;
        if (content.isArray())
            parts = content.toArray();
        else if (!content.toString().isEmpty())
            parts.append(textPart(content.toString()));
        for (const QJsonObject &image : imageParts)
            parts.append(image);
        message.insert(QLatin1String("content"), parts);
        QJsonArray out = messages;
        out.replace(i, message);
        return out;
    }
    if (error)
        *error = tr("The conversation has no user message to attach the images to: add one.");
    return {};
}

QString textOf(const QJsonValue &content)
{
    if (!content.isArray())
        return content.toString();
    QStringList texts;
    for (const QJsonValue &part : content.toArray())
        if (part.toObject().value(kType).toString() == kText)
            texts << part.toObject().value(kText).toString();
    return texts.join(QLatin1String("\n\n"));
}

QStringList imageUrlsOf(const QJsonValue &content)
{
    QStringList urls;
    for (const QJsonValue &part : content.toArray())
        if (part.toObject().value(kType).toString() == kImageUrl)
            urls << part.toObject().value(kImageUrl).toObject().value(kUrl).toString();
    return urls;
}

QJsonValue contentFrom(const QString &text, const QStringList &imageUrls)
{
    if (imageUrls.isEmpty())
        return text;
    QJsonArray parts;
    if (!text.isEmpty())
        parts.append(textPart(text));
    for (const QString &url : imageUrls)
        parts.append(imagePart(url));
    return parts;
}

qint64 imageBytes(const QString &url)
{
    if (!url.startsWith(QLatin1String("data:"), Qt::CaseInsensitive))
        return 0;
    const qsizetype comma = url.indexOf(QLatin1Char(','));
    if (comma < 0)
        return 0;
    // Base64: 3 bytes per 4 characters, less the padding.
    const qsizetype chars = url.size() - comma - 1;
    const qsizetype padding = url.endsWith(QLatin1String("==")) ? 2 : url.endsWith(QLatin1Char('=')) ? 1 : 0;
    return qint64(chars) / 4 * 3 - padding;
}

QString largeImageWarning(qint64 bytes, const QString &shown)
{
    if (bytes <= kLargeImageBytes)
        return {};
    return tr("%1 is %2, over the %3 many providers accept in a request; it may be refused. Downscale it "
              "before sending?")
        .arg(shown.isEmpty() ? tr("The image") : shown, LocalFile::humanSize(bytes),
             LocalFile::humanSize(kLargeImageBytes));
}

QString partsProblem(const QJsonArray &parts, int messageNumber)
{
    if (parts.isEmpty())
        return tr("Message %1 has an empty list of content parts: give it a text part or an image.")
            .arg(messageNumber);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QJsonObject part = parts.at(i).toObject();
        const QString type = part.value(kType).toString();
        const QString where = tr("Part %1 of message %2").arg(i + 1).arg(messageNumber);
        if (!parts.at(i).isObject() || type.isEmpty())
            return tr("%1 has no \"type\": write {\"type\": \"text\", \"text\": ...} or {\"type\": "
                      "\"image_url\", \"image_url\": {\"url\": ...}}.")
                .arg(where);
        if (type == kText && !part.value(kText).isString())
            return tr("%1 is a text part without a \"text\" string.").arg(where);
        if (type == kImageUrl && !part.value(kImageUrl).toObject().value(kUrl).isString())
            return tr("%1 is an image_url part without {\"url\": ...}: give a data URI or an http(s) URL.")
                .arg(where);
    }
    return {};
}

} // namespace idesk::ChatImages
