// hf-inference through the router: the request form every task already had (RequestEncoder), at the
// router's /hf-inference/models unless the person set another endpoint.
#include "ProviderHelper.h"

#include "RequestEncoder.h"

namespace idesk {

namespace {
class HfInference final : public ProviderHelper
{
public:
    QString name() const override { return QStringLiteral("hf-inference"); }
    QStringList tasks() const override { return {}; }
    bool supports(const QString &) const override { return true; } // every task, known or not

    EncodedRequest encode(const ProviderCall &call, QString *error) const override
    {
        return RequestEncoder::encode(hfInferenceRequest(call), error);
    }

    ProviderStep next(const ProviderCall &, const QString &, const InferenceResult &answer) const override
    {
        return ProviderStep::done(answer.body, answer.contentType); // already the task's own shape
    }
};
} // namespace

InferenceRequest ProviderHelper::hfInferenceRequest(const ProviderCall &call)
{
    InferenceRequest r = call.request;
    if (r.endpoint.trimmed() == InferenceRequest::defaultEndpoint())
        r.endpoint = call.router + QStringLiteral("/hf-inference/models");
    if (!call.mapping.providerId.isEmpty())
        r.model = call.mapping.providerId;
    return r;
}

const ProviderHelper &hfInferenceProvider()
{
    static const HfInference helper;
    return helper;
}

} // namespace idesk
