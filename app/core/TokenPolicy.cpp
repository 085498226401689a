#include "TokenPolicy.h"

#include <QCoreApplication>

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

void TokenPolicy::approveHost(const QString &host)
{
    const QString h = normalizedHost(host);
    if (!h.isEmpty() && !m_approved.contains(h, Qt::CaseInsensitive))
        m_approved.append(h);
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

    if (m_explicit)
        return QString();
    const QString hostPort = url.port() >= 0 ? host + QLatin1Char(':') + QString::number(url.port()) : host;
    for (const QString &approved : m_approved) {
        const QString a = normalizedHost(approved);
        if (a == host || a == hostPort)
            return QString();
    }
    return tr("The token was not sent to %1 because it is not a Hugging Face host. If you trust this server "
              "with your Hugging Face token, approve the host for it (in the app) or name it with "
              "--endpoint (on the command line).")
        .arg(hostPort);
}

} // namespace idesk
