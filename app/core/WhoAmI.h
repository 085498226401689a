#pragma once

#include "TokenPolicy.h"

#include <QMetaType>
#include <QObject>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;

namespace idesk {
class HubRequest;
struct HubAnswer;
} // namespace idesk

namespace idesk {

// "Test token": GET {HF_ENDPOINT or https://huggingface.co}/api/whoami-v2 with the token, then who it
// belongs to and whether it may call Inference Providers. The token goes only where the TokenPolicy
// allows (Hugging Face hosts by themselves) and never along a redirect to another origin.
class WhoAmI : public QObject
{
    Q_OBJECT
public:
    struct Info
    {
        bool ok = false;         // the Hub answered 200 with an identity
        int httpStatus = 0;      // 0 when there was no HTTP answer
        QString name;            // account name ("julien"), for an app/org token its name
        QString fullName;        // display name, may be ""
        QString accountType;     // "user", "org", "app"
        QString tokenName;       // the token's display name on the Hub
        QString role;            // "read", "write", "fineGrained", ... ("" when not told)
        QStringList permissions; // fine-grained: global + every scoped permission, without duplicates
        bool mayCallInferenceProviders = false;
        // A sentence for a person: who the token belongs to and what it may do, or what went wrong and
        // what to do. Never contains the token.
        QString message;
    };

    // `nam` may be injected (tests); by default the process's shared one (NetworkAccess).
    explicit WhoAmI(QNetworkAccessManager *nam = nullptr, QObject *parent = nullptr);
    ~WhoAmI() override;

    // Base URL of the Hub: HF_ENDPOINT when set, else https://huggingface.co.
    static QUrl defaultEndpoint();
    void setEndpoint(const QUrl &base) { m_endpoint = base; }
    QUrl endpoint() const { return m_endpoint; }
    void setTokenPolicy(const TokenPolicy &policy) { m_policy = policy; }
    void setTimeout(int ms) { m_timeoutMs = ms; }

    // Starts the check; ends with exactly one finished(). A running check is cancelled first;
    // cancel() ends a check without finished().
    void check(const QString &token);
    void cancel();
    bool isRunning() const;

    // Reads a whoami-v2 JSON answer (the part of the work that needs no network).
    static Info parse(const QByteArray &json);
    // The page where a fine-grained token with "Make calls to Inference Providers" is created.
    static QString newTokenUrl();

Q_SIGNALS:
    void finished(const idesk::WhoAmI::Info &info);

private:
    void onFinished(const idesk::HubAnswer &answer);
    void finish(const Info &info);

    HubRequest *m_request = nullptr;
    QUrl m_endpoint;
    TokenPolicy m_policy;
    int m_timeoutMs = 30000;
};

} // namespace idesk

Q_DECLARE_METATYPE(idesk::WhoAmI::Info)
