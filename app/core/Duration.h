#pragma once

#include <QString>
#include <optional>

namespace idesk {

// Durations as Kestra writes them (ISO-8601: PT10S, PT5M, PT1H30M, PT0.5S, P1D) and the short forms
// people type (10s, 5m, 1h, 250ms, or a bare number of seconds).
namespace Duration {

// Milliseconds, or nullopt with *error set to a sentence naming the value and the accepted forms.
std::optional<qint64> parse(const QString &text, QString *error = nullptr);

// The longest timeout a timer can wait: 2^31-1 ms, a little under 25 days.
constexpr qint64 kMaxTimeoutMs = 2147483647;

// A timeout a person gave (--read-timeout 10s): a duration from 1 ms to kMaxTimeoutMs. Zero is refused
// rather than read as "no limit" (there is none to ask for), as is anything longer than a timer can wait.
std::optional<qint64> parseTimeout(const QString &text, QString *error = nullptr);

// ISO-8601 as Kestra writes it: PT10S, PT5M, PT1H30M, PT0.25S, PT0S.
QString toIso(qint64 ms);

// A time for people to read, in the locale's digits: "850 ms" below a second, "11.9 s" below a minute,
// "2 min 5 s" from there on ("" for a negative time).
QString forPeople(qint64 ms);
// The same for a number of seconds as a server writes it ("11.876588403", x-compute-time); the text as it
// is when it is not a number.
QString secondsForPeople(const QString &seconds);

} // namespace Duration
} // namespace idesk
