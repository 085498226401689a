#include "ServiceBases.h"

#include "TokenPolicy.h"

#include <QUrl>

namespace idesk {

namespace {

QString &routerOverride()
{
    static QString value;
    return value;
}

QString withoutTrailingSlash(QString base)
{
    base = base.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base;
}

// A usable base: an http(s) URL with a host; "" otherwise (the default then applies).
QString usableBase(const QString &typed)
{
    const QString base = withoutTrailingSlash(typed);
    if (base.isEmpty())
        return QString();
    const QUrl url(base);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return QString();
    return base;
}

} // namespace

QString ServiceBases::hub()
{
    const QString env = usableBase(qEnvironmentVariable("HF_ENDPOINT"));
    return env.isEmpty() ? defaultHub() : env;
}

QString ServiceBases::router()
{
    const QString cli = usableBase(routerOverride());
    if (!cli.isEmpty())
        return cli;
    const QString env = usableBase(qEnvironmentVariable("INFERENCE_DESK_ROUTER"));
    return env.isEmpty() ? defaultRouter() : env;
}

void ServiceBases::setRouterOverride(const QString &url)
{
    routerOverride() = url;
}

QStringList ServiceBases::chosenOrigins()
{
    QStringList origins;
    for (const auto &[base, fallback] :
         {std::pair<QString, QString>{hub(), defaultHub()}, {router(), defaultRouter()}}) {
        if (base == fallback)
            continue;
        const QString origin = TokenPolicy::originOf(QUrl(base));
        if (!origin.isEmpty() && !origins.contains(origin))
            origins << origin;
    }
    return origins;
}

} // namespace idesk
