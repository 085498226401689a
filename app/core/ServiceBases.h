#pragma once

#include <QString>
#include <QStringList>

namespace idesk {

// The two Hugging Face services and how a person points them elsewhere (tests, private deployments):
//  - the Hub (model info, search, whoami): HF_ENDPOINT (huggingface_hub's variable), else
//    https://huggingface.co;
//  - the router (hf-inference, Inference Providers, chat): --router URL on the command line
//    (setRouterOverride), else INFERENCE_DESK_ROUTER, else https://router.huggingface.co.
// A base named this way counts as chosen by the person, as --endpoint does: TokenPolicy lets the token go
// to its origin. Every base is returned without a trailing slash.
class ServiceBases
{
public:
    static QString defaultHub() { return QStringLiteral("https://huggingface.co"); }
    static QString defaultRouter() { return QStringLiteral("https://router.huggingface.co"); }

    static QString hub();
    static QString router();
    // The CLI's --router (wins over INFERENCE_DESK_ROUTER); "" clears it.
    static void setRouterOverride(const QString &url);

    // The origins (TokenPolicy::originOf) of hub() and router() when the person changed them; empty when
    // both are Hugging Face's own.
    static QStringList chosenOrigins();
};

} // namespace idesk
