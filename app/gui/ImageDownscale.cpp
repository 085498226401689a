#include "ImageDownscale.h"

#include <QBuffer>
#include <QImage>

namespace idesk::ImageDownscale {

Result downscale(const QByteArray &bytes, const QString &mime, int longestSide)
{
    Result out;
    QImage image = QImage::fromData(bytes);
    if (image.isNull() || longestSide <= 0)
        return out;
    if (qMax(image.width(), image.height()) > longestSide)
        image = image.scaled(longestSide, longestSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    // A PNG with transparency stays PNG; everything else (photos) becomes a JPEG, far smaller.
    const bool png = mime == QLatin1String("image/png") && image.hasAlphaChannel();
    QBuffer buffer(&out.bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, png ? "PNG" : "JPEG", png ? -1 : 85)) {
        out.bytes.clear();
        return out;
    }
    out.mime = png ? QStringLiteral("image/png") : QStringLiteral("image/jpeg");
    out.width = image.width();
    out.height = image.height();
    return out;
}

} // namespace idesk::ImageDownscale
