#include "InferenceResult.h"

#include <QStringDecoder>

namespace idesk {

QByteArray InferenceResult::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

bool InferenceResult::isJson() const
{
    if (contentType == QLatin1String("application/json") || contentType.endsWith(QLatin1String("+json")))
        return true;
    if (isBinary() || isEventStream() || body.isEmpty())
        return false;
    const char first = body.trimmed().isEmpty() ? 0 : body.trimmed().at(0);
    if (first != '{' && first != '[')
        return false;
    QJsonParseError error;
    QJsonDocument::fromJson(body, &error);
    return error.error == QJsonParseError::NoError;
}

QJsonDocument InferenceResult::json(QString *error) const
{
    QJsonParseError parseError;
    QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError && error)
        *error = parseError.errorString() + QStringLiteral(" (offset %1)").arg(parseError.offset);
    return doc;
}

bool InferenceResult::isBinary() const
{
    return contentType.startsWith(QLatin1String("image/")) ||
           contentType.startsWith(QLatin1String("audio/")) ||
           contentType.startsWith(QLatin1String("video/")) ||
           contentType == QLatin1String("application/octet-stream");
}

QString InferenceResult::text() const
{
    const QString name = charset.isEmpty() ? QStringLiteral("UTF-8") : charset;
    QStringDecoder decoder(name.toLatin1().constData());
    if (!decoder.isValid())
        return QString::fromUtf8(body);
    return decoder.decode(body);
}

int InferenceResult::exitCode() const
{
    switch (outcome) {
    case Outcome::Success:
        return 0;
    case Outcome::HttpError:
    case Outcome::TooLarge:
        return 1;
    case Outcome::InvalidRequest:
        return 2;
    case Outcome::NetworkError:
    case Outcome::Timeout:
    case Outcome::Cancelled:
        return 3;
    }
    return 3;
}

} // namespace idesk
