// together through the router (docs/providers.md): OpenAI-style images and embeddings, with the
// provider's model id in the body and num_inference_steps renamed steps.
#include "ProviderHelper.h"

namespace idesk {

namespace {
class Together final : public ProviderHelper
{
public:
    QString name() const override { return QStringLiteral("together"); }
    QStringList tasks() const override
    {
        return {QStringLiteral("text-to-image"), QStringLiteral("feature-extraction")};
    }

    EncodedRequest encode(const ProviderCall &call, QString *) const override
    {
        const InferenceRequest &r = call.request;
        if (r.task == QLatin1String("feature-extraction")) {
            QJsonObject body = r.parameters;
            body.insert(QStringLiteral("input"), r.inputs);
            body.insert(QStringLiteral("model"), call.providerId());
            return jsonPost(call.routed(QStringLiteral("/v1/embeddings")), body);
        }
        QJsonObject body =
            renamed(r.parameters, {{QStringLiteral("num_inference_steps"), QStringLiteral("steps")}});
        body.insert(QStringLiteral("prompt"), promptOf(r));
        body.insert(QStringLiteral("response_format"), QStringLiteral("base64"));
        body.insert(QStringLiteral("model"), call.providerId());
        return jsonPost(call.routed(QStringLiteral("/v1/images/generations")), body);
    }

    ProviderStep next(const ProviderCall &call, const QString &, const InferenceResult &answer) const override
    {
        QJsonObject o;
        ProviderStep failure;
        if (!answerObject(answer, name(), &o, &failure))
            return failure;
        return call.request.task == QLatin1String("feature-extraction") ? embeddingsAnswer(o, name())
                                                                        : imagesAnswer(o, name());
    }
};
} // namespace

const ProviderHelper &togetherProvider()
{
    static const Together helper;
    return helper;
}

} // namespace idesk
