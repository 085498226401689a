#pragma once

#include "InferenceResult.h"

#include <QDateTime>

namespace idesk {

// How long a rate-limited answer (429, or a 503 that says so) asks the client to wait, counted from when the
// answer arrived: Retry-After (delay-seconds, or an HTTP-date compared with `arrived`), else the RateLimit
// header of the IETF httpapi drafts (`RateLimit: "default";r=0;t=5`, or `RateLimit: limit=10, remaining=0,
// reset=5`), else RateLimit-Reset. -1 when the answer names no wait.
namespace RetryAfter {

qint64 waitMs(const InferenceResult &result, const QDateTime &arrived);

// The wait in one header value (exposed for tests): Retry-After's forms.
qint64 retryAfterMs(const QByteArray &value, const QDateTime &arrived);
// An HTTP-date (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT") in UTC; invalid when the value is none.
QDateTime httpDate(const QByteArray &value);
// The reset of a RateLimit header value in both draft forms, in milliseconds; -1 when none.
qint64 rateLimitResetMs(const QByteArray &value);

} // namespace RetryAfter
} // namespace idesk
