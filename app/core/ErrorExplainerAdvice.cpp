// ErrorExplainer, part two: advice for answers that are not what they claim to be (redirects that were
// not followed, web pages, empty or broken bodies, Retry-After) and for endpoints that are not URLs.
#include "ErrorExplainer.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QRegularExpression>
#include <cmath>

namespace idesk::ErrorExplainer {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ErrorExplainer", text);
}

QString serverName(const QUrl &url)
{
    return url.host().isEmpty() ? tr("The server") : url.host();
}

int monthNumber(const QString &name)
{
    static const QStringList months{QStringLiteral("jan"), QStringLiteral("feb"), QStringLiteral("mar"),
                                    QStringLiteral("apr"), QStringLiteral("may"), QStringLiteral("jun"),
                                    QStringLiteral("jul"), QStringLiteral("aug"), QStringLiteral("sep"),
                                    QStringLiteral("oct"), QStringLiteral("nov"), QStringLiteral("dec")};
    return int(months.indexOf(name.left(3).toLower())) + 1; // 0 when unknown
}

// An HTTP date in any of the three forms RFC 9110 accepts: IMF-fixdate (Sun, 06 Nov 1994 08:49:37 GMT),
// RFC 850 (Sunday, 06-Nov-94 08:49:37 GMT) and asctime (Sun Nov  6 08:49:37 1994). Invalid when none.
QDateTime parseHttpDate(const QString &text)
{
    static const QRegularExpression imf(QStringLiteral(
        "^(?:[A-Za-z]{3},\\s*)?(\\d{1,2})\\s+([A-Za-z]{3})\\s+(\\d{4})\\s+(\\d{1,2}):(\\d{2}):(\\d{2})\\s*"
        "(?:GMT|UTC|Z|\\+0000)?$"));
    static const QRegularExpression rfc850(QStringLiteral(
        "^[A-Za-z]+,\\s*(\\d{1,2})-([A-Za-z]{3})-(\\d{2,4})\\s+(\\d{1,2}):(\\d{2}):(\\d{2})\\s*(?:GMT)?$"));
    static const QRegularExpression asctime(QStringLiteral(
        "^[A-Za-z]{3}\\s+([A-Za-z]{3})\\s+(\\d{1,2})\\s+(\\d{1,2}):(\\d{2}):(\\d{2})\\s+(\\d{4})$"));
    int day = 0, month = 0, year = 0, hour = 0, minute = 0, second = 0;
    QRegularExpressionMatch m = imf.match(text);
    if (!m.hasMatch())
        m = rfc850.match(text);
    if (m.hasMatch()) {
        day = m.captured(1).toInt();
        month = monthNumber(m.captured(2));
        year = m.captured(3).toInt();
        if (m.captured(3).size() == 2)
            year += year < 70 ? 2000 : 1900;
        hour = m.captured(4).toInt();
        minute = m.captured(5).toInt();
        second = m.captured(6).toInt();
    } else if ((m = asctime.match(text)).hasMatch()) {
        month = monthNumber(m.captured(1));
        day = m.captured(2).toInt();
        hour = m.captured(3).toInt();
        minute = m.captured(4).toInt();
        second = m.captured(5).toInt();
        year = m.captured(6).toInt();
    } else {
        return {};
    }
    const QDate date(year, month, day);
    const QTime time(hour, minute, second);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

// The JSON body ends before its document does: what a transfer cut in the middle leaves.
bool endsEarly(const QByteArray &body)
{
    QJsonParseError error;
    QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError)
        return false;
    return error.error == QJsonParseError::UnterminatedObject ||
           error.error == QJsonParseError::UnterminatedArray ||
           error.error == QJsonParseError::UnterminatedString || error.offset >= body.trimmed().size() - 1;
}
} // namespace

bool looksLikeHtml(const QByteArray &body, const QString &contentType)
{
    if (contentType.contains(QLatin1String("html")))
        return true;
    const QByteArray head = body.left(256).trimmed().toLower();
    return head.startsWith("<!doctype html") || head.startsWith("<html");
}

QString statusText(int status, const QByteArray &reason)
{
    const QString phrase = QString::fromLatin1(reason).simplified();
    return phrase.isEmpty() ? QString::number(status) : QStringLiteral("%1 %2").arg(status).arg(phrase);
}

QString explainRedirect(const InferenceResult &result)
{
    const QString status = statusText(result.status, result.reason);
    const QByteArray location = result.header("Location").trimmed();
    if (location.isEmpty())
        return tr("%1 answered %2, a redirect that says nowhere to go: check the endpoint.")
            .arg(serverName(result.url), status);
    const QUrl next = result.url.resolved(QUrl::fromEncoded(location));
    const QString where =
        next.isValid() ? next.toDisplayString(QUrl::RemoveUserInfo) : QString::fromLatin1(location).left(300);
    const QString from = result.url.scheme();
    const QString to = next.scheme();
    const int fromPort = result.url.port(from == QLatin1String("https") ? 443 : 80);
    const int toPort = next.port(to == QLatin1String("https") ? 443 : 80);
    if (!next.isValid() || (to != QLatin1String("http") && to != QLatin1String("https")))
        return tr("%1 redirected (%2) to %3, which is not an http(s) address; the redirect was not followed. "
                  "Check the endpoint.")
            .arg(serverName(result.url), status, where);
    if (from == QLatin1String("https") && to == QLatin1String("http"))
        return tr("%1 redirected (%2) from https to plain http, to %3; the redirect was not followed, for "
                  "safety: the request (and the token) would travel unencrypted. If you trust that address, "
                  "give it as the endpoint yourself.")
            .arg(serverName(result.url), status, where);
    if (next.host().compare(result.url.host(), Qt::CaseInsensitive) != 0 || fromPort != toPort || from != to)
        return tr("%1 redirected (%2) to another origin, %3; the redirect was not followed, for safety. If "
                  "you trust that address, give it as the endpoint yourself.")
            .arg(serverName(result.url), status, where);
    const int s = result.status;
    if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308)
        return tr("%1 answered %2, pointing to %3; that kind of redirect is not followed. Check the "
                  "endpoint.")
            .arg(serverName(result.url), status, where);
    return tr("%1 redirected (%2) too many times, last to %3; the redirects may go round in a loop. Check "
              "the endpoint.")
        .arg(serverName(result.url), status, where);
}

QString explainWebPage(const InferenceResult &result)
{
    const int s = result.status;
    const bool success = s >= 200 && s < 300;
    if (!(success || s == 404 || s == 405 || s == 501) || result.isEventStream() ||
        !looksLikeHtml(result.body, result.contentType) || result.body.trimmed().isEmpty())
        return {};
    const QString title = serverMessage(result.body, QStringLiteral("text/html"));
    const QString page = title.isEmpty() ? tr("a web page") : tr("a web page (\"%1\")").arg(title.left(120));
    if (success)
        return tr("%1 answered with %2, not an inference API answer: the endpoint is likely wrong. Check "
                  "it (the default is %3) and the model id.")
            .arg(serverName(result.url), page, InferenceRequest::defaultEndpoint());
    return tr("%1 answered %2 with %3: it is not an inference API, so the endpoint is likely wrong. Check "
              "it (the default is %4) and the model id.")
        .arg(serverName(result.url), statusText(s, result.reason), page, InferenceRequest::defaultEndpoint());
}

QString retryAfterAdvice(const QByteArray &retryAfter, const QDateTime &now)
{
    const QString text = QString::fromLatin1(retryAfter).trimmed();
    if (text.isEmpty())
        return {};
    qint64 seconds = 0;
    static const QRegularExpression digits(QStringLiteral("^\\d{1,12}$"));
    if (digits.match(text).hasMatch()) {
        seconds = text.toLongLong();
    } else {
        const QDateTime when = parseHttpDate(text);
        if (!when.isValid())
            return {};
        seconds = now.secsTo(when);
    }
    if (seconds <= 0)
        return tr("the server's wait is over, try again now");
    if (seconds < 120)
        return tr("try again in %1 s").arg(seconds);
    const QDateTime then = now.addSecs(seconds).toLocalTime();
    const bool today = then.date() == now.toLocalTime().date();
    const QString at = then.toString(today ? QStringLiteral("HH:mm") : QStringLiteral("yyyy-MM-dd HH:mm"));
    const qint64 minutes = (seconds + 59) / 60;
    if (minutes < 120)
        return tr("try again after %1 (in %2 min)").arg(at).arg(minutes);
    const qint64 hours = (minutes + 59) / 60;
    if (hours < 48)
        return tr("try again after %1 (in %2 h)").arg(at).arg(hours);
    return tr("try again after %1 (in %2 days)").arg(at).arg((hours + 23) / 24);
}

QString explainBadEndpoint(const QString &endpoint, const QString &defaultEndpoint)
{
    const QString text = endpoint.trimmed();
    static const QRegularExpression shape(QStringLiteral("^([A-Za-z][A-Za-z0-9+.\\-]*)://([^/?#]*)"));
    const auto m = shape.match(text);
    if (!m.hasMatch())
        return tr("The endpoint \"%1\" is not a URL: write it as https://host/path; the default is %2.")
            .arg(endpoint, defaultEndpoint);
    const QString scheme = m.captured(1).toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return tr("The endpoint \"%1\" is not an http(s) URL (it is a %2: address); the default is %3.")
            .arg(endpoint, scheme, defaultEndpoint);
    QString authority = m.captured(2);
    authority = authority.mid(authority.lastIndexOf(QLatin1Char('@')) + 1); // user info is not the host
    QString host = authority;
    QString port;
    bool hasPort = false;
    if (authority.startsWith(QLatin1Char('['))) {
        const qsizetype close = authority.indexOf(QLatin1Char(']'));
        host = authority.left(close + 1);
        if (close >= 0 && authority.mid(close + 1).startsWith(QLatin1Char(':'))) {
            hasPort = true;
            port = authority.mid(close + 2);
        }
    } else if (const qsizetype colon = authority.indexOf(QLatin1Char(':')); colon >= 0) {
        host = authority.left(colon);
        hasPort = true;
        port = authority.mid(colon + 1);
    }
    if (host.isEmpty())
        return tr("The endpoint \"%1\" has no host name: write it as https://host/path; the default is %2.")
            .arg(endpoint, defaultEndpoint);
    if (hasPort && !port.isEmpty()) {
        static const QRegularExpression number(QStringLiteral("^\\d+$"));
        if (!number.match(port).hasMatch())
            return tr("The endpoint \"%1\" has \"%2\" where its port should be: a port is a number from 1 to "
                      "65535.")
                .arg(endpoint, port);
        bool ok = false;
        const qlonglong value = port.toLongLong(&ok);
        if (!ok || value < 1 || value > 65535)
            return tr("The port %1 in the endpoint \"%2\" is out of range: a port is a number from 1 to "
                      "65535.")
                .arg(port.left(20), endpoint);
    }
    const QUrl url(text, QUrl::StrictMode);
    return tr("The endpoint \"%1\" is not a valid http(s) URL (%2); the default is %3.")
        .arg(endpoint, url.isValid() ? tr("no host") : url.errorString(), defaultEndpoint);
}

InferenceResult::Outcome judgeAnswer(const InferenceResult &result, QString *message)
{
    if (!result.ok() || result.status < 200 || result.status >= 300 || result.isEventStream())
        return result.outcome;
    const bool chunked = result.header("Transfer-Encoding").toLower().contains("chunked");
    if (result.body.isEmpty()) {
        if (chunked) {
            *message = tr("%1 answered %2 but its body, sent in chunks, broke off before any byte of it "
                          "arrived (a malformed or cut transfer). Try again; if it persists, check the "
                          "endpoint, or a proxy in between.")
                           .arg(serverName(result.url), statusText(result.status, result.reason));
            return InferenceResult::Outcome::NetworkError;
        }
        *message = tr("%1 answered %2 with an empty body: no answer came. Try again; if it persists, check "
                      "the endpoint and the model id.")
                       .arg(serverName(result.url), statusText(result.status, result.reason));
        return InferenceResult::Outcome::HttpError;
    }
    const QByteArray trimmed = result.body.trimmed();
    const bool jsonLike = result.contentType.contains(QLatin1String("json")) || trimmed.startsWith('{') ||
                          trimmed.startsWith('[');
    if (chunked && jsonLike && !result.isBinary() && endsEarly(result.body)) {
        *message = tr("%1 answered %2 but its body, sent in chunks, broke off after %3 bytes, in the "
                      "middle of the JSON (a malformed or cut transfer). Try again; if it persists, check "
                      "the endpoint, or a proxy in between.")
                       .arg(serverName(result.url), statusText(result.status, result.reason))
                       .arg(result.body.size());
        return InferenceResult::Outcome::NetworkError;
    }
    const QString page = explainWebPage(result);
    if (!page.isEmpty()) {
        *message = page;
        return InferenceResult::Outcome::HttpError;
    }
    return InferenceResult::Outcome::Success;
}

} // namespace idesk::ErrorExplainer
