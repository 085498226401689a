#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace idesk {

// Images in a chat turn, as the OpenAI-compatible clients send them to a vision-language model:
//   "content": [{"type": "text", "text": "..."},
//               {"type": "image_url", "image_url": {"url": "data:image/png;base64,..."}}]
// A local file goes as a data URI of its own bytes and MIME type (never re-encoded); an http(s) URL goes
// as that URL. The text part comes first.
namespace ChatImages {

// Above this many bytes an image gets a warning before it is sent (many providers refuse requests of a
// few MB; the base64 form is a third larger than the file).
constexpr qint64 kLargeImageBytes = 4LL * 1024 * 1024;

// {"type": "text", "text": text}
QJsonObject textPart(const QString &text);
// {"type": "image_url", "image_url": {"url": url}}
QJsonObject imagePart(const QString &url);
// "data:<mime>;base64,<bytes>"
QString dataUri(const QByteArray &bytes, const QString &mime);
// The bytes and MIME type of a base64 data URI; false when `url` is not one.
bool decodeDataUri(const QString &url, QByteArray *bytes, QString *mime = nullptr);
// True for an http or https URL with a host.
bool isWebUrl(const QString &text);

// The MIME type of image bytes, read from their content (QMimeDatabase); "" when they are not an image.
QString imageMimeType(const QByteArray &bytes);
// An image part from image bytes (MIME read from the content); nullopt and *error when not an image.
// `shown` names the image in the sentence.
std::optional<QJsonObject> partFromBytes(const QByteArray &bytes, const QString &shown, QString *error);
// An image part from a file (read with LocalFile, capped) or an http(s) URL (sent as it is).
std::optional<QJsonObject> partFor(const QString &fileOrUrl, QString *error);

// The image parts attached to the last user message: its string content becomes [text part, images...],
// an array content gets the images appended. Empty array and *error when there is no user message.
QJsonArray attachToLastUser(const QJsonArray &messages, const QList<QJsonObject> &imageParts,
                            QString *error = nullptr);

// The text of a message content (a string, or the text parts of an array joined by blank lines).
QString textOf(const QJsonValue &content);
// The image URLs of a message content (data URIs and web URLs), in order.
QStringList imageUrlsOf(const QJsonValue &content);
// A content value from a text and image URLs: the plain string when there is no image, else the parts.
QJsonValue contentFrom(const QString &text, const QStringList &imageUrls);

// The size of the image a URL carries: the decoded bytes of a data URI; 0 for a web URL.
qint64 imageBytes(const QString &url);
// "" when the image is small enough; otherwise a sentence with its size offering to downscale it.
QString largeImageWarning(qint64 bytes, const QString &shown = QString());

// Problems with the content parts of a message (index from 1 for the sentence): each part an object with
// a "type"; a text part has a "text" string; an image_url part an "image_url" object with a "url" string.
// "" when fine.
QString partsProblem(const QJsonArray &parts, int messageNumber);

} // namespace ChatImages
} // namespace idesk
