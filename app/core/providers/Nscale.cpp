// nscale through the router (docs/providers.md): OpenAI-style image generation answered in base64.
#include "ProviderHelper.h"

namespace idesk {

namespace {
class Nscale final : public ProviderHelper
{
public:
    QString name() const override { return QStringLiteral("nscale"); }
    QStringList tasks() const override { return {QStringLiteral("text-to-image")}; }

    EncodedRequest encode(const ProviderCall &call, QString *) const override
    {
        QJsonObject body = call.request.parameters; // at the top level, as they are
        body.insert(QStringLiteral("response_format"), QStringLiteral("b64_json"));
        body.insert(QStringLiteral("prompt"), promptOf(call.request));
        body.insert(QStringLiteral("model"), call.providerId());
        return jsonPost(call.routed(QStringLiteral("/v1/images/generations")), body);
    }

    ProviderStep next(const ProviderCall &, const QString &, const InferenceResult &answer) const override
    {
        QJsonObject o;
        ProviderStep failure;
        if (!answerObject(answer, name(), &o, &failure))
            return failure;
        return imagesAnswer(o, name());
    }
};
} // namespace

const ProviderHelper &nscaleProvider()
{
    static const Nscale helper;
    return helper;
}

} // namespace idesk
