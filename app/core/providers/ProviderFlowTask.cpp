#include "ProviderFlowTask.h"

#include "ProviderHelper.h"
#include "ServiceBases.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ProviderFlowTask", text);
}

// data:<mime>;base64,<bytes> -> the file; empty when `value` is not such a URL.
InputFile fileFromDataUrl(const QJsonValue &value)
{
    static const QRegularExpression dataUrl(QStringLiteral("^data:([^;,]+);base64,(.*)$"),
                                            QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = dataUrl.match(value.toString());
    if (!m.hasMatch())
        return {};
    return InputFile{QString(), QByteArray::fromBase64(m.captured(2).toLatin1()), m.captured(1)};
}
} // namespace

QString ProviderFlowTask::providerOf(const InferenceRequest &request, const ProviderMappingEntry &mapping)
{
    const QString provider = request.provider == QLatin1String("auto") ? mapping.provider : request.provider;
    if (provider.isEmpty() || provider == QLatin1String("hf-inference") || !ProviderHelper::find(provider))
        return {};
    return provider;
}

EncodedRequest ProviderFlowTask::encode(const InferenceRequest &request, const ProviderMappingEntry &mapping,
                                        QString *why, QString *note)
{
    ProviderCall call;
    call.request = request;
    call.mapping = mapping;
    call.mapping.provider = providerOf(request, mapping);
    call.mapping.task = request.task;
    call.router = ServiceBases::router();
    call.hub = ServiceBases::hub();
    const ProviderHelper *helper = ProviderHelper::find(call.mapping.provider);
    if (!helper || !helper->supports(request.task)) {
        *why = tr("%1 is not reached for %2 here").arg(call.mapping.provider, request.task);
        return {};
    }
    if (mapping.providerId.isEmpty())
        *note = tr("the uri names the model by its Hub id: %1 may know it by another id (send the request "
                   "once in Inference Desk before exporting to have the provider's own).")
                    .arg(call.mapping.provider);
    return helper->encode(call, why);
}

QString ProviderFlowTask::description(const InferenceRequest &request, const QString &provider)
{
    return QStringLiteral("Inference Desk: %1 of %2 through %3").arg(request.task, request.model, provider);
}

std::optional<ProviderFlowTask::Target> ProviderFlowTask::target(const QUrl &uri, const QString &description)
{
    static const QRegularExpression described(
        QStringLiteral("^Inference Desk: ([a-z0-9-]+) of (\\S+) through ([a-z0-9-]+)$"));
    const QRegularExpressionMatch m = described.match(description.trimmed());
    if (!m.hasMatch() || !ProviderHelper::find(m.captured(3)) ||
        m.captured(3) == QLatin1String("hf-inference"))
        return std::nullopt;
    const QString prefix = QLatin1Char('/') + m.captured(3) + QLatin1Char('/');
    const QString path = uri.path();
    const int at = path.indexOf(prefix);
    if (at < 0)
        return std::nullopt;
    Target t{m.captured(3), m.captured(1), m.captured(2), QString()};
    const QString rest = path.mid(at + prefix.size());
    // The provider's id where the route carries it (fal-ai, replicate unpinned, wavespeed, novita).
    if (t.provider == QLatin1String("fal-ai"))
        t.providerId = rest;
    else if (rest.startsWith(QLatin1String("v1/models/")) && rest.endsWith(QLatin1String("/predictions")))
        t.providerId = rest.mid(10, rest.size() - 10 - 12);
    else if (rest.startsWith(QLatin1String("api/v3/")))
        t.providerId = rest.mid(7);
    else if (rest.startsWith(QLatin1String("v3/async/")))
        t.providerId = rest.mid(9);
    return t;
}

bool ProviderFlowTask::requestFrom(const Target &target, QJsonObject body, InferenceRequest *request,
                                   ProviderMappingEntry *mapping, QString *why)
{
    InferenceRequest &r = *request;
    r.provider = target.provider;
    r.task = target.task;
    r.model = target.model;
    mapping->provider = target.provider;
    mapping->task = target.task;
    mapping->status = QStringLiteral("live");
    mapping->providerId = target.providerId;
    // Replicate nests the input; a pinned model's version joins its id.
    if (body.value(QStringLiteral("input")).isObject() && target.provider == QLatin1String("replicate")) {
        const QString version = body.value(QStringLiteral("version")).toString();
        if (!version.isEmpty())
            mapping->providerId = QStringLiteral("%1:%2").arg(
                target.providerId.isEmpty() ? target.model : target.providerId, version);
        body = body.value(QStringLiteral("input")).toObject();
    }
    if (body.value(QStringLiteral("model")).isString())
        mapping->providerId = body.value(QStringLiteral("model")).toString();
    for (const QString &key :
         {QStringLiteral("image_url"), QStringLiteral("audio_url"), QStringLiteral("image"),
          QStringLiteral("audio"), QStringLiteral("input_image")}) {
        const InputFile file = fileFromDataUrl(body.value(key));
        if (!file.isEmpty() && r.file.isEmpty())
            r.file = file;
    }
    if (r.file.isEmpty() && body.value(QStringLiteral("image")).isString() &&
        target.provider == QLatin1String("wavespeed"))
        r.file = InputFile{QString(),
                           QByteArray::fromBase64(body.value(QStringLiteral("image")).toString().toLatin1()),
                           QStringLiteral("image/png")};
    // Keys the helpers add, not the person.
    for (const QString &key :
         {QStringLiteral("model"), QStringLiteral("response_format"), QStringLiteral("loras"),
          QStringLiteral("model_name"), QStringLiteral("lora_weights"), QStringLiteral("image_url"),
          QStringLiteral("image_urls"), QStringLiteral("audio_url"), QStringLiteral("image"),
          QStringLiteral("images"), QStringLiteral("input_image"), QStringLiteral("input_images"),
          QStringLiteral("audio"), QStringLiteral("version")})
        body.remove(key);
    const bool fileTask = !r.file.isEmpty();
    const QString inputKey = r.task == QLatin1String("text-to-speech")       ? QStringLiteral("text")
                             : r.task == QLatin1String("feature-extraction") ? QStringLiteral("input")
                                                                             : QStringLiteral("prompt");
    if (!fileTask || r.task != QLatin1String("image-to-image")) {
        const QJsonValue input = body.take(inputKey);
        if (!fileTask && input.isUndefined()) {
            *why = tr("the body has no \"%1\", the input of %2 at %3").arg(inputKey, r.task, target.provider);
            return false;
        }
        if (!input.isUndefined())
            r.inputs = input;
    }
    if ((target.provider == QLatin1String("together") || target.provider == QLatin1String("novita")) &&
        body.contains(QStringLiteral("steps")))
        body.insert(QStringLiteral("num_inference_steps"), body.take(QStringLiteral("steps")));
    if (target.provider == QLatin1String("fal-ai") && body.value(QStringLiteral("parameters")).isObject())
        body = body.value(QStringLiteral("parameters")).toObject(); // speech recognition's nested form
    r.parameters = body;
    return true;
}

} // namespace idesk
