#include "WhoAmI.h"

#include "HubRequest.h"
#include "ServiceBases.h"

#include "ErrorExplainer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace idesk {

namespace {

const char kInferencePermission[] = "inference.serverless.write";

void appendStrings(const QJsonValue &value, QStringList *out)
{
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array) {
        const QString s = v.toString();
        if (!s.isEmpty() && !out->contains(s))
            out->append(s);
    }
}

} // namespace

WhoAmI::WhoAmI(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent), m_request(new HubRequest(this)), m_endpoint(defaultEndpoint())
{
    qRegisterMetaType<idesk::WhoAmI::Info>();
    m_request->setNetworkAccess(nam);
    connect(m_request, &HubRequest::finished, this, &WhoAmI::onFinished);
}

WhoAmI::~WhoAmI() = default;

QUrl WhoAmI::defaultEndpoint()
{
    return QUrl(ServiceBases::hub());
}

QString WhoAmI::newTokenUrl()
{
    return QStringLiteral("https://huggingface.co/settings/tokens/new?tokenType=fineGrained");
}

void WhoAmI::cancel()
{
    m_request->cancel();
}

bool WhoAmI::isRunning() const
{
    return m_request->isRunning();
}

void WhoAmI::check(const QString &token)
{
    cancel();

    QUrl url = m_endpoint;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/api/whoami-v2"));

    Info refused;
    if (token.trimmed().isEmpty()) {
        refused.message = tr("There is no token to test. Paste one first, or set HF_TOKEN.");
    } else if (!m_policy.mayAttach(url)) {
        refused.message = m_policy.refusalReason(url);
    }
    if (!refused.message.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this, refused]() { finish(refused); }, Qt::QueuedConnection);
        return;
    }
    // HubRequest: the token only where the policy allows, never along a redirect to another origin.
    m_request->setToken(token, m_policy);
    m_request->setTimeoutMs(m_timeoutMs);
    m_request->get(url);
}

void WhoAmI::onFinished(const HubAnswer &answer)
{
    const int status = answer.status;
    const QString host = answer.url.host();

    Info info;
    info.httpStatus = status;
    if (answer.kind == HubAnswer::Kind::TimedOut) {
        info.message = tr("%1 did not answer the token check within %2 seconds. Check the network "
                          "connection (and HF_ENDPOINT, if set) and try again.")
                           .arg(host)
                           .arg(qMax(1, m_timeoutMs / 1000));
    } else if (status == 0) {
        info.message = tr("Could not reach %1 to check the token: %2. Check the network connection (and "
                          "HF_ENDPOINT, if set) and try again.")
                           .arg(host, answer.networkError.isEmpty() ? answer.message : answer.networkError);
    } else if (status == 401) {
        info.message = tr("Hugging Face does not accept this token (401 Unauthorized): it may be mistyped, "
                          "revoked or expired. Create a new one at %1.")
                           .arg(newTokenUrl());
    } else if (status == 200) {
        info = parse(answer.body);
        info.httpStatus = status;
    } else {
        QString server =
            ErrorExplainer::serverMessage(answer.body, QString::fromLatin1(answer.header("Content-Type")));
        info.message = tr("The token check failed: %1 answered %2%3. Try again later.")
                           .arg(host)
                           .arg(status)
                           .arg(server.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(server));
    }
    finish(info);
}

void WhoAmI::finish(const Info &info)
{
    Q_EMIT finished(info);
}

WhoAmI::Info WhoAmI::parse(const QByteArray &json)
{
    Info info;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    const QJsonObject root = doc.object();
    if (error.error != QJsonParseError::NoError || !doc.isObject() ||
        root.value(QLatin1String("name")).toString().isEmpty()) {
        info.message = tr("The answer to the token check could not be read (it is not a whoami-v2 JSON "
                          "object). Check HF_ENDPOINT, if set, and try again.");
        return info;
    }
    info.ok = true;
    info.name = root.value(QLatin1String("name")).toString();
    info.fullName = root.value(QLatin1String("fullname")).toString();
    info.accountType = root.value(QLatin1String("type")).toString();

    const QJsonObject accessToken =
        root.value(QLatin1String("auth")).toObject().value(QLatin1String("accessToken")).toObject();
    info.tokenName = accessToken.value(QLatin1String("displayName")).toString();
    info.role = accessToken.value(QLatin1String("role")).toString();
    const QJsonObject fineGrained = accessToken.value(QLatin1String("fineGrained")).toObject();
    appendStrings(fineGrained.value(QLatin1String("global")), &info.permissions);
    const QJsonArray scoped = fineGrained.value(QLatin1String("scoped")).toArray();
    for (const QJsonValue &entry : scoped)
        appendStrings(entry.toObject().value(QLatin1String("permissions")), &info.permissions);

    static const char *const broadRoles[] = {"read", "write", "contributor", "admin"};
    for (const char *role : broadRoles) {
        if (info.role == QLatin1String(role))
            info.mayCallInferenceProviders = true;
    }
    if (info.permissions.contains(QLatin1String(kInferencePermission)))
        info.mayCallInferenceProviders = true;

    const QString who = info.fullName.isEmpty() || info.fullName == info.name
                            ? info.name
                            : QStringLiteral("%1 (%2)").arg(info.name, info.fullName);
    const QString tokenPart = info.tokenName.isEmpty() ? QString() : tr(", token \"%1\"").arg(info.tokenName);
    if (info.mayCallInferenceProviders) {
        info.message = tr("This token belongs to %1%2 and may call Inference Providers.").arg(who, tokenPart);
    } else if (info.role == QLatin1String("fineGrained")) {
        info.message = tr("This token belongs to %1%2 but may not call Inference Providers: it is a "
                          "fine-grained token without the permission \"Make calls to Inference Providers\". "
                          "Add that permission to the token, or create a fine-grained token with it at %3.")
                           .arg(who, tokenPart, newTokenUrl());
    } else {
        info.message = tr("This token belongs to %1%2, but the Hub did not say that it may call Inference "
                          "Providers. If calls fail with 401 or 403, create a fine-grained token with \"Make "
                          "calls to Inference Providers\" at %3.")
                           .arg(who, tokenPart, newTokenUrl());
    }
    return info;
}

} // namespace idesk
