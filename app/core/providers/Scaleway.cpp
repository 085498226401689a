// scaleway through the router (docs/providers.md): OpenAI-style embeddings; the body carries only the
// input and the provider's model id.
#include "ProviderHelper.h"

namespace idesk {

namespace {
class Scaleway final : public ProviderHelper
{
public:
    QString name() const override { return QStringLiteral("scaleway"); }
    QStringList tasks() const override { return {QStringLiteral("feature-extraction")}; }

    EncodedRequest encode(const ProviderCall &call, QString *) const override
    {
        const QJsonObject body{{QStringLiteral("input"), call.request.inputs},
                               {QStringLiteral("model"), call.providerId()}};
        return jsonPost(call.routed(QStringLiteral("/v1/embeddings")), body);
    }

    ProviderStep next(const ProviderCall &, const QString &, const InferenceResult &answer) const override
    {
        QJsonObject o;
        ProviderStep failure;
        if (!answerObject(answer, name(), &o, &failure))
            return failure;
        return embeddingsAnswer(o, name());
    }
};
} // namespace

const ProviderHelper &scalewayProvider()
{
    static const Scaleway helper;
    return helper;
}

} // namespace idesk
