#include "Duration.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>
#include <cmath>

namespace idesk::Duration {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Duration", text);
}

// Beyond this a duration is not a number of milliseconds a qint64 holds exactly (about 285 years).
constexpr double kLongestMs = 9.0e15;

std::optional<qint64> parseIso(const QString &s)
{
    // P[nD][T[nH][nM][n[.f]S]]
    static const QRegularExpression re(QStringLiteral("^P(?:(\\d+(?:\\.\\d+)?)D)?(?:T(?:(\\d+(?:\\.\\d+)?)H)?"
                                                      "(?:(\\d+(?:\\.\\d+)?)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?$"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(s);
    if (!m.hasMatch() || s.compare(QLatin1String("P"), Qt::CaseInsensitive) == 0 ||
        s.endsWith(QLatin1Char('T'), Qt::CaseInsensitive))
        return std::nullopt;
    const double factors[] = {86400000.0, 3600000.0, 60000.0, 1000.0};
    double ms = 0;
    for (int i = 0; i < 4; ++i)
        if (!m.captured(i + 1).isEmpty())
            ms += m.captured(i + 1).toDouble() * factors[i];
    if (!std::isfinite(ms) || ms > kLongestMs)
        return std::nullopt;
    return qint64(std::llround(ms));
}

std::optional<qint64> parseShort(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?$"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(s);
    if (!m.hasMatch())
        return std::nullopt;
    const double value = m.captured(1).toDouble();
    const QString unit = m.captured(2).toLower();
    double factor = 1000.0; // bare number: seconds
    if (unit == QLatin1String("ms"))
        factor = 1.0;
    else if (unit == QLatin1String("m"))
        factor = 60000.0;
    else if (unit == QLatin1String("h"))
        factor = 3600000.0;
    else if (unit == QLatin1String("d"))
        factor = 86400000.0;
    if (!std::isfinite(value * factor) || value * factor > kLongestMs)
        return std::nullopt;
    return qint64(std::llround(value * factor));
}
} // namespace

std::optional<qint64> parse(const QString &text, QString *error)
{
    const QString s = text.trimmed();
    std::optional<qint64> ms;
    if (s.startsWith(QLatin1Char('P'), Qt::CaseInsensitive))
        ms = parseIso(s);
    else
        ms = parseShort(s);
    if (!ms && error)
        *error = tr("\"%1\" is not a duration: write it as Kestra does (PT10S, PT5M, PT1H30M) or "
                    "short (10s, 5m, 1h, 250ms).")
                     .arg(text);
    return ms;
}

std::optional<qint64> parseTimeout(const QString &text, QString *error)
{
    const auto ms = parse(text, error);
    if (!ms)
        return ms;
    if (*ms < 1) {
        if (error)
            *error = tr("\"%1\" is zero, and a timeout of zero is not \"no limit\": the smallest is 1ms "
                        "(e.g. 500ms, 10s or PT30S). There is no setting without a limit; for a long wait "
                        "give a long one, up to 24d.")
                         .arg(text);
        return std::nullopt;
    }
    if (*ms > kMaxTimeoutMs) {
        if (error)
            *error = tr("\"%1\" is longer than a timeout can be: the largest is 24d (a timer cannot wait "
                        "longer).")
                         .arg(text);
        return std::nullopt;
    }
    return ms;
}

QString toIso(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("PT0S");
    QString out = QStringLiteral("PT");
    const qint64 hours = ms / 3600000;
    const qint64 minutes = (ms % 3600000) / 60000;
    const qint64 millis = ms % 60000;
    if (hours)
        out += QString::number(hours) + QLatin1Char('H');
    if (minutes)
        out += QString::number(minutes) + QLatin1Char('M');
    if (millis) {
        if (millis % 1000 == 0)
            out += QString::number(millis / 1000) + QLatin1Char('S');
        else {
            QString secs = QString::number(millis / 1000.0, 'f', 3);
            while (secs.endsWith(QLatin1Char('0')))
                secs.chop(1);
            out += secs + QLatin1Char('S');
        }
    }
    return out;
}

QString forPeople(qint64 ms)
{
    if (ms < 0)
        return {};
    const QLocale locale;
    if (ms < 1000)
        return tr("%1 ms").arg(locale.toString(ms));
    if (ms < 59950) // below what rounds to 60.0 s
        return tr("%1 s").arg(locale.toString(ms / 1000.0, 'f', 1));
    const qint64 seconds = (ms + 500) / 1000;
    return tr("%1 min %2 s").arg(locale.toString(seconds / 60)).arg(locale.toString(seconds % 60));
}

QString secondsForPeople(const QString &seconds)
{
    bool ok = false;
    const double value = seconds.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0 || value > 1e12)
        return seconds;
    return forPeople(qint64(std::llround(value * 1000)));
}

} // namespace idesk::Duration
