#pragma once

#include <QString>
#include <optional>

namespace idesk {

// Durations as Kestra writes them (ISO-8601: PT10S, PT5M, PT1H30M, PT0.5S, P1D) and the short forms
// people type (10s, 5m, 1h, 250ms, or a bare number of seconds).
namespace Duration {

// Milliseconds, or nullopt with *error set to a sentence naming the value and the accepted forms.
std::optional<qint64> parse(const QString &text, QString *error = nullptr);

// ISO-8601 as Kestra writes it: PT10S, PT5M, PT1H30M, PT0.25S, PT0S.
QString toIso(qint64 ms);

} // namespace Duration
} // namespace idesk
