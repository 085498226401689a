#pragma once

#include <QByteArray>
#include <QString>

namespace idesk {

// Makes an image smaller before it goes to a vision model, only when the person asks (a large image gets
// ChatImages::largeImageWarning and a Downscale button). QImage needs Qt Gui, so this lives beside the
// widgets, not in the core.
namespace ImageDownscale {

constexpr int defaultLongestSide = 1568; // what most vision models resize to anyway

struct Result
{
    QByteArray bytes; // empty when the image could not be read or written
    QString mime;     // a PNG with transparency stays image/png, anything else becomes image/jpeg
    int width = 0;
    int height = 0;
};

// The image with its longest side at most `longestSide` pixels (never enlarged), re-encoded: PNG for a PNG with
// transparency, JPEG (quality 85) otherwise. A smaller image is re-encoded too, so the bytes shrink.
Result downscale(const QByteArray &bytes, const QString &mime, int longestSide = defaultLongestSide);

} // namespace ImageDownscale
} // namespace idesk
