// replicate through the router (docs/providers.md): one prediction, answered at once with Prefer: wait;
// parameters inside "input"; a pinned owner/name:hash goes to /v1/predictions with its version.
#include "ProviderHelper.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Replicate", text);
}

class Replicate final : public ProviderHelper
{
public:
    QString name() const override { return QStringLiteral("replicate"); }
    QStringList tasks() const override
    {
        return {QStringLiteral("text-to-image"), QStringLiteral("image-to-image"),
                QStringLiteral("text-to-video"), QStringLiteral("automatic-speech-recognition"),
                QStringLiteral("text-to-speech")};
    }

    EncodedRequest encode(const ProviderCall &call, QString *error) const override
    {
        const InferenceRequest &r = call.request;
        const QString id = call.providerId();
        const bool pinned = id.contains(QLatin1Char(':'));
        QJsonObject input = r.parameters;
        const bool lora =
            call.mapping.adapter == QLatin1String("lora") && !call.mapping.adapterWeightsPath.isEmpty();
        if (r.task == QLatin1String("automatic-speech-recognition") ||
            r.task == QLatin1String("image-to-image")) {
            if (r.file.isEmpty()) {
                *error = tr("%1 needs an input file; give it with --inputs-file PATH.").arg(r.task);
                return {};
            }
            const bool audio = r.task == QLatin1String("automatic-speech-recognition");
            const QString file =
                dataUrl(r.file.bytes, r.file.mimeType.isEmpty() ? (audio ? QStringLiteral("audio/wav")
                                                                         : QStringLiteral("image/jpeg"))
                                                                : r.file.mimeType);
            if (audio) {
                input.insert(QStringLiteral("audio"), file);
            } else {
                // Different replicate models read the image under different names: the client sends all.
                input.insert(QStringLiteral("image"), file);
                input.insert(QStringLiteral("images"), QJsonArray{file});
                input.insert(QStringLiteral("input_image"), file);
                input.insert(QStringLiteral("input_images"), QJsonArray{file});
            }
        } else if (r.task == QLatin1String("text-to-speech")) {
            input.insert(QStringLiteral("text"), promptOf(r));
        } else {
            input.insert(QStringLiteral("prompt"), promptOf(r));
        }
        if (lora && (r.task == QLatin1String("text-to-image") || r.task == QLatin1String("image-to-image")))
            input.insert(QStringLiteral("lora_weights"), QStringLiteral("https://huggingface.co/") + r.model);
        QJsonObject body{{QStringLiteral("input"), input}};
        if (pinned)
            body.insert(QStringLiteral("version"), id.section(QLatin1Char(':'), 1));
        EncodedRequest e = jsonPost(call.routed(pinned ? QStringLiteral("/v1/predictions")
                                                       : QStringLiteral("/v1/models/%1/predictions").arg(id)),
                                    body);
        e.setHeader("Prefer", "wait");
        return e;
    }

    ProviderStep next(const ProviderCall &call, const QString &, const InferenceResult &answer) const override
    {
        QJsonObject o;
        ProviderStep failure;
        if (!answerObject(answer, tr("replicate"), &o, &failure))
            return failure;
        const QJsonValue output = o.value(QStringLiteral("output"));
        const QString first = output.isArray() ? output.toArray().first().toString() : output.toString();
        if (call.request.task == QLatin1String("automatic-speech-recognition")) {
            const QJsonObject out = output.toObject();
            for (const QString &key : {QStringLiteral("transcription"), QStringLiteral("translation")})
                if (out.value(key).isString())
                    return ProviderStep::doneJson(QJsonObject{{QStringLiteral("text"), out.value(key)}});
            if (output.isString() || (output.isArray() && output.toArray().first().isString()))
                return ProviderStep::doneJson(QJsonObject{{QStringLiteral("text"), first}});
            return ProviderStep::fail(tr("replicate's speech recognition answer holds no text in \"output\"; "
                                         "see --format raw."));
        }
        if (isFileUrl(first))
            return ProviderStep::download(QUrl(first));
        const QString status = o.value(QStringLiteral("status")).toString();
        if (status == QLatin1String("failed") || status == QLatin1String("canceled"))
            return ProviderStep::fail(
                tr("replicate says the prediction %1: %2")
                    .arg(status, o.value(QStringLiteral("error")).toVariant().toString()));
        return ProviderStep::fail(tr("replicate's answer holds no file URL in \"output\" (status \"%1\"); "
                                     "the prediction did not finish while the request waited. Try again.")
                                      .arg(status));
    }
};
} // namespace

const ProviderHelper &replicateProvider()
{
    static const Replicate helper;
    return helper;
}

} // namespace idesk
