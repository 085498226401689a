// fal-ai through the router (docs/providers.md): image and video jobs go through fal's queue, speech
// recognition and text-to-speech are answered at once.
#include "ProviderHelper.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("FalAi", text);
}

const QString kQueue = QStringLiteral("?_subdomain=queue");

// The audio types fal decodes from a data URL, and the label each must carry there.
QString falAudioType(const QString &mimeType)
{
    const QString base = mimeType.section(QLatin1Char(';'), 0, 0).trimmed().toLower();
    static const QList<QPair<QString, QString>> map = {
        {QStringLiteral("audio/mpeg"), QStringLiteral("audio/mpeg")},
        {QStringLiteral("audio/mp3"), QStringLiteral("audio/mpeg")},
        {QStringLiteral("audio/wav"), QStringLiteral("audio/x-wav")},
        {QStringLiteral("audio/wave"), QStringLiteral("audio/x-wav")},
        {QStringLiteral("audio/x-wav"), QStringLiteral("audio/x-wav")},
        {QStringLiteral("audio/webm"), QStringLiteral("video/webm")},
        {QStringLiteral("video/webm"), QStringLiteral("video/webm")},
    };
    for (const auto &[from, to] : map)
        if (from == base)
            return to;
    return {};
}

QJsonArray loras(const ProviderCall &call)
{
    const QString path = call.hub + QLatin1Char('/') + call.request.model + QStringLiteral("/resolve/main/") +
                         call.mapping.adapterWeightsPath;
    return QJsonArray{QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("scale"), 1}}};
}

bool isLora(const ProviderCall &call)
{
    return call.mapping.adapter == QLatin1String("lora") && !call.mapping.adapterWeightsPath.isEmpty();
}

bool queued(const QString &task)
{
    return task == QLatin1String("text-to-image") || task == QLatin1String("image-to-image") ||
           task == QLatin1String("text-to-video");
}

// The file of a finished image or video job ("" when the answer holds none).
QString resultFile(const QJsonObject &result)
{
    const QJsonArray images = result.value(QStringLiteral("images")).toArray();
    if (!images.isEmpty())
        return images.first().toObject().value(QStringLiteral("url")).toString();
    return result.value(QStringLiteral("video")).toObject().value(QStringLiteral("url")).toString();
}

class FalAi final : public ProviderHelper
{
public:
    QString name() const override { return QStringLiteral("fal-ai"); }
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
        QJsonObject body = r.parameters; // fal takes parameters at the top level
        if (r.task == QLatin1String("automatic-speech-recognition")) {
            const QString type = falAudioType(r.file.mimeType);
            if (r.file.isEmpty() || type.isEmpty()) {
                *error = tr("fal-ai does not take %1 audio; it takes audio/mpeg, audio/mp3, audio/wav, "
                            "audio/wave, audio/x-wav, audio/webm or video/webm. Convert the file (for "
                            "example to MP3) or choose another provider.")
                             .arg(r.file.isEmpty() ? tr("missing") : r.file.mimeType);
                return {};
            }
            body = QJsonObject{{QStringLiteral("audio_url"), dataUrl(r.file.bytes, type)}};
            if (!r.parameters.isEmpty()) // the client sends the rest of its arguments as they are
                body.insert(QStringLiteral("parameters"), r.parameters);
            return jsonPost(call.routed(QLatin1Char('/') + id), body);
        }
        if (r.task == QLatin1String("text-to-speech")) {
            body.insert(QStringLiteral("text"), promptOf(r));
            return jsonPost(call.routed(QLatin1Char('/') + id), body);
        }
        if (r.task == QLatin1String("image-to-image")) {
            if (r.file.isEmpty()) {
                *error = tr("image-to-image needs an input image; give it with --inputs-file PATH.");
                return {};
            }
            const QString image = dataUrl(r.file.bytes, r.file.mimeType);
            body.insert(QStringLiteral("image_url"), image);
            body.insert(QStringLiteral("image_urls"), QJsonArray{image});
        } else {
            body.insert(QStringLiteral("prompt"), promptOf(r));
            if (isLora(call) && r.task == QLatin1String("text-to-image") &&
                id == QLatin1String("fal-ai/lora"))
                body.insert(QStringLiteral("model_name"),
                            QStringLiteral("stabilityai/stable-diffusion-xl-base-1.0"));
        }
        if (isLora(call))
            body.insert(QStringLiteral("loras"), loras(call));
        return jsonPost(call.routed(QLatin1Char('/') + id + kQueue), body);
    }

    ProviderStep next(const ProviderCall &call, const QString &stage,
                      const InferenceResult &answer) const override
    {
        QJsonObject o;
        ProviderStep failure;
        if (!answerObject(answer, tr("fal-ai"), &o, &failure))
            return failure;
        const QString task = call.request.task;
        if (task == QLatin1String("automatic-speech-recognition"))
            return speechText(o);
        if (task == QLatin1String("text-to-speech")) {
            const QString url =
                o.value(QStringLiteral("audio")).toObject().value(QStringLiteral("url")).toString();
            return isFileUrl(url)
                       ? ProviderStep::download(QUrl(url))
                       : ProviderStep::fail(tr("fal-ai's text-to-speech answer holds no audio URL "
                                               "(expected {\"audio\": {\"url\"}}); see --format raw."));
        }
        if (!queued(task))
            return ProviderStep::fail(tr("fal-ai does not serve %1 here.").arg(task));
        // The older synchronous answer (and the queue's result) holds the file already.
        const QString file = resultFile(o);
        if (isFileUrl(file))
            return ProviderStep::download(QUrl(file));
        if (stage == QLatin1String("result"))
            return ProviderStep::fail(tr("fal-ai's %1 result holds no file URL (expected images[0].url or "
                                         "video.url); see --format raw.")
                                          .arg(task));
        const QString status = o.value(QStringLiteral("status")).toString();
        const QString responseUrl = o.value(QStringLiteral("response_url")).toString();
        if (stage == QLatin1String("submit") &&
            (o.value(QStringLiteral("request_id")).toString().isEmpty() || responseUrl.isEmpty()))
            return ProviderStep::fail(tr("fal-ai's queue answered without a request id or response URL; "
                                         "see --format raw."));
        // Status and result are asked through the router, under the path fal gave (never its host).
        const QString path =
            stage == QLatin1String("submit") ? QUrl(responseUrl).path() : requestPath(answer.url);
        if (status == QLatin1String("COMPLETED"))
            return ProviderStep::poll(call.routed(path + kQueue), QStringLiteral("result"),
                                      tr("fetching the result"), 0);
        QString state = tr("running");
        if (status == QLatin1String("IN_QUEUE")) {
            const QJsonValue position = o.value(QStringLiteral("queue_position"));
            state = position.isDouble() ? tr("in queue, position %1").arg(position.toInt()) : tr("in queue");
        }
        return ProviderStep::poll(call.routed(path + QStringLiteral("/status") + kQueue),
                                  QStringLiteral("status"), state, 500);
    }

private:
    // The request's path under fal (".../requests/{id}") from the status URL the job polled.
    static QString requestPath(const QUrl &statusUrl)
    {
        QString path = statusUrl.path();
        const int fal = path.indexOf(QStringLiteral("/fal-ai/"));
        if (fal >= 0)
            path = path.mid(fal + int(QStringLiteral("/fal-ai").size()));
        if (path.endsWith(QStringLiteral("/status")))
            path.chop(int(QStringLiteral("/status").size()));
        return path;
    }

    static ProviderStep speechText(const QJsonObject &o)
    {
        const QJsonValue text = o.contains(QStringLiteral("text")) ? o.value(QStringLiteral("text"))
                                                                   : o.value(QStringLiteral("output"));
        if (!text.isString())
            return ProviderStep::fail(tr("fal-ai's speech recognition answer holds no text (expected "
                                         "{\"text\"} or {\"output\"}); see --format raw."));
        QJsonObject out{{QStringLiteral("text"), text}};
        QJsonArray chunks;
        for (const QJsonValue &c : o.value(QStringLiteral("chunks")).toArray()) {
            const QJsonObject chunk = c.toObject();
            if (chunk.value(QStringLiteral("text")).isString() &&
                chunk.value(QStringLiteral("timestamp")).isArray())
                chunks.append(
                    QJsonObject{{QStringLiteral("text"), chunk.value(QStringLiteral("text"))},
                                {QStringLiteral("timestamp"), chunk.value(QStringLiteral("timestamp"))}});
        }
        if (chunks.isEmpty())
            for (const QJsonValue &s : o.value(QStringLiteral("segments")).toArray()) {
                const QJsonObject seg = s.toObject();
                if (seg.value(QStringLiteral("text")).isString())
                    chunks.append(QJsonObject{{QStringLiteral("text"), seg.value(QStringLiteral("text"))},
                                              {QStringLiteral("timestamp"),
                                               QJsonArray{seg.value(QStringLiteral("start")).toDouble(0),
                                                          seg.value(QStringLiteral("end")).toDouble(0)}}});
            }
        if (!chunks.isEmpty())
            out.insert(QStringLiteral("chunks"), chunks);
        return ProviderStep::doneJson(out);
    }
};
} // namespace

const ProviderHelper &falAiProvider()
{
    static const FalAi helper;
    return helper;
}

} // namespace idesk
