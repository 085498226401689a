#include "TokenPolicy.h"

#include "ServiceBases.h"

#include <QCoreApplication>
#include <QSettings>

namespace idesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("idesk::TokenPolicy", text);
}

QString normalizedHost(const QString &host)
{
    QString h = host.trimmed().toLower();
    while (h.endsWith(QLatin1Char('.')))
        h.chop(1);
    return h;
}

bool isWebScheme(const QString &scheme)
{
    return scheme == QLatin1String("https") || scheme == QLatin1String("http");
}

// host:port, an IPv6 literal in brackets.
QString hostPort(const QString &host, int port)
{
    const QString h = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return h + QLatin1Char(':') + QString::number(port);
}

int defaultPort(const QString &scheme)
{
    return scheme == QLatin1String("http") ? 80 : 443;
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

bool TokenPolicy::isHuggingFaceHost(const QString &host)
{
    const QString h = normalizedHost(host);
    if (h.isEmpty())
        return false;
    static const char *const exact[] = {"huggingface.co", "router.huggingface.co",
                                        "api-inference.huggingface.co"};
    for (const char *name : exact) {
        if (h == QLatin1String(name))
            return true;
    }
    // A subdomain of these, never a look-alike such as "evil-hf.space".
    static const char *const suffixes[] = {".endpoints.huggingface.cloud", ".hf.space"};
    for (const char *suffix : suffixes) {
        const QLatin1String s(suffix);
        if (h.size() > s.size() && h.endsWith(s))
            return true;
    }
    return false;
}

QString TokenPolicy::originOf(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    const QString host = normalizedHost(url.host());
    if (!url.isValid() || host.isEmpty() || !isWebScheme(scheme))
        return QString();
    return scheme + QLatin1String("://") + hostPort(host, url.port(defaultPort(scheme)));
}

QString TokenPolicy::normalizedOrigin(const QString &typed, QString *error)
{
    const QString text = typed.trimmed();
    const auto refuse = [&](const QString &why) {
        fail(error, tr("\"%1\" is not an origin to approve: %2 Write it as scheme://host:port (e.g. "
                       "http://127.0.0.1:8080), or host[:port] (a host alone means https on port 443).")
                        .arg(text, why));
        return QString();
    };
    if (text.isEmpty())
        return refuse(tr("it is empty."));
    const bool withScheme = text.contains(QLatin1String("://"));
    if (!withScheme && (text.contains(QLatin1Char('/')) || text.contains(QLatin1Char('?')) ||
                        text.contains(QLatin1Char('#'))))
        return refuse(tr("it has a path; only the scheme, the host and the port count."));
    const QUrl url(withScheme ? text : QLatin1String("https://") + text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    const QString host = normalizedHost(url.host());
    if (!url.isValid() || host.isEmpty())
        return refuse(tr("it has no valid host (or its port is not a number from 1 to 65535)."));
    if (!isWebScheme(scheme))
        return refuse(tr("only http:// and https:// addresses can receive the token."));
    if (!url.userInfo().isEmpty())
        return refuse(tr("it has a user name in it."));
    if ((!url.path().isEmpty() && url.path() != QLatin1String("/")) || url.hasQuery() || url.hasFragment())
        return refuse(tr("it has a path; only the scheme, the host and the port count."));
    if (url.port() == 0)
        return refuse(tr("port 0 is not a port a server listens on."));
    if (!withScheme && url.port() > 0)
        return hostPort(host, url.port()); // either scheme on that port: one server listens there
    return scheme + QLatin1String("://") + hostPort(host, url.port(defaultPort(scheme)));
}

QStringList TokenPolicy::savedOrigins()
{
    QStringList origins;
    const QStringList stored = QSettings().value(settingsKey()).toStringList();
    for (const QString &entry : stored) {
        const QString origin = normalizedOrigin(entry);
        if (!origin.isEmpty() && !origins.contains(origin))
            origins << origin;
    }
    return origins;
}

void TokenPolicy::setSavedOrigins(const QStringList &origins)
{
    TokenPolicy clean;
    clean.setApprovedOrigins(origins);
    QStringList list = clean.approvedOrigins();
    list.sort();
    QSettings settings;
    if (list.isEmpty())
        settings.remove(settingsKey());
    else
        settings.setValue(settingsKey(), list);
}

TokenPolicy TokenPolicy::fromSettings()
{
    TokenPolicy policy;
    policy.m_approved = savedOrigins();
    return policy;
}

void TokenPolicy::setApprovedOrigins(const QStringList &origins)
{
    m_approved.clear();
    for (const QString &o : origins)
        approveOrigin(o);
}

bool TokenPolicy::approveOrigin(const QString &origin)
{
    QString o = normalizedOrigin(origin);
    if (o.isEmpty() && origin.contains(QLatin1String("://")))
        o = originOf(QUrl(origin.trimmed())); // a whole URL, e.g. an --endpoint with its path
    if (o.isEmpty())
        return false;
    if (!m_approved.contains(o))
        m_approved.append(o);
    return true;
}

bool TokenPolicy::isApproved(const QUrl &url) const
{
    const QString origin = originOf(url);
    if (origin.isEmpty())
        return false;
    const QString scheme = url.scheme().toLower();
    const QString either = hostPort(normalizedHost(url.host()), url.port(defaultPort(scheme)));
    return m_approved.contains(origin) || m_approved.contains(either);
}

bool TokenPolicy::mayAttach(const QUrl &url) const
{
    return refusalReason(url).isEmpty();
}

QString TokenPolicy::refusalReason(const QUrl &url) const
{
    const QString host = normalizedHost(url.host());
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || host.isEmpty())
        return tr("The token was not sent: the address \"%1\" has no host name.")
            .arg(url.toDisplayString(QUrl::RemoveUserInfo));
    if (!isWebScheme(scheme))
        return tr("The token was not sent to %1: only http:// and https:// addresses can receive it.")
            .arg(host);

    if (isHuggingFaceHost(host)) {
        if (scheme == QLatin1String("https"))
            return QString();
        return tr("The token was not sent to %1 because the address uses plain http://, which would expose "
                  "it on the network; use https:// instead.")
            .arg(host);
    }

    if (m_any || isApproved(url) || ServiceBases::chosenOrigins().contains(originOf(url)))
        return QString();
    const QString origin = originOf(url);
    return tr("The token was not sent to %1 because it is not a Hugging Face host and nobody approved "
              "it. If you trust this server with your Hugging Face token, approve %1 (in the app: "
              "Settings > Approved hosts), or on the command line pass --allow-host %1 (or name it with "
              "--endpoint).")
        .arg(origin);
}

} // namespace idesk
