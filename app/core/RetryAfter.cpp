#include "RetryAfter.h"

#include <QLocale>
#include <QRegularExpression>

namespace idesk::RetryAfter {

namespace {
// Waits longer than a day are read as a day: a broken header must not park a batch forever.
constexpr qint64 kMaxWaitMs = 24LL * 3600 * 1000;

qint64 secondsToMs(double seconds)
{
    if (!(seconds >= 0))
        return -1;
    return qMin<qint64>(kMaxWaitMs, qint64(seconds * 1000.0 + 0.5));
}
} // namespace

QDateTime httpDate(const QByteArray &value)
{
    // IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", always in GMT (RFC 9110 5.6.7); the C locale reads the
    // English day and month names whatever the person's locale.
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(value.trimmed()),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid()) // RFC 2822 forms with a numeric zone
        return QDateTime::fromString(QString::fromLatin1(value.trimmed()), Qt::RFC2822Date);
    when.setTimeSpec(Qt::UTC);
    return when;
}

qint64 retryAfterMs(const QByteArray &value, const QDateTime &arrived)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return -1;
    bool ok = false;
    const double seconds = v.toDouble(&ok);
    if (ok)
        return secondsToMs(seconds);
    const QDateTime when = httpDate(v);
    if (!when.isValid())
        return -1;
    return qBound<qint64>(0, arrived.msecsTo(when), kMaxWaitMs);
}

qint64 rateLimitResetMs(const QByteArray &value)
{
    // `t=5` (structured-field form, per policy item) or `reset=5` (the earlier dictionary form). With several
    // policies the longest wait wins.
    static const QRegularExpression re(
        QStringLiteral("(?:^|[;,\\s])(?:t|reset)\\s*=\\s*([0-9]+(?:\\.[0-9]+)?)"));
    qint64 longest = -1;
    auto it = re.globalMatch(QString::fromLatin1(value));
    while (it.hasNext())
        longest = qMax(longest, secondsToMs(it.next().captured(1).toDouble()));
    return longest;
}

qint64 waitMs(const InferenceResult &result, const QDateTime &arrived)
{
    const QByteArray retryAfter = result.header("Retry-After");
    if (!retryAfter.isEmpty()) {
        const qint64 ms = retryAfterMs(retryAfter, arrived);
        if (ms >= 0)
            return ms;
    }
    const qint64 fromRateLimit = rateLimitResetMs(result.header("RateLimit"));
    if (fromRateLimit >= 0)
        return fromRateLimit;
    bool ok = false;
    const double reset = result.header("RateLimit-Reset").trimmed().toDouble(&ok);
    return ok ? secondsToMs(reset) : -1;
}

} // namespace idesk::RetryAfter
