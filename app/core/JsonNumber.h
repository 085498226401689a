#pragma once

#include <QJsonValue>
#include <QtGlobal>
#include <cmath>
#include <optional>

namespace idesk {

// Whole numbers read from JSON that someone else wrote (presets, saved results, caches). A JSON number is a
// double; converting one outside qint64's range (1e300, NaN) to qint64 is undefined behaviour, so every such
// conversion goes through here.
namespace JsonNumber {

// The value as a qint64 when it is a finite number within qint64's range (fractions are cut), else nullopt.
inline std::optional<qint64> toInt64(double d)
{
    // 2^63 is exactly representable; every double below it converts without overflow.
    constexpr double kLimit = 9223372036854775808.0;
    if (!std::isfinite(d) || d >= kLimit || d < -kLimit)
        return std::nullopt;
    return qint64(d);
}

inline std::optional<qint64> toInt64(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    return toInt64(v.toDouble());
}

// The value when it is a number that fits, else fallback.
inline qint64 toInt64Or(const QJsonValue &v, qint64 fallback)
{
    return toInt64(v).value_or(fallback);
}

} // namespace JsonNumber
} // namespace idesk
