// wavespeed through the router (docs/providers.md): a task is submitted, then its result URL is polled
// through the router until it is completed.
#include "ProviderHelper.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Wavespeed", text);
}

class Wavespeed final : public ProviderHelper
{
public:
    QString name() const override { return QStringLiteral("wavespeed"); }
    QStringList tasks() const override
    {
        return {QStringLiteral("text-to-image"), QStringLiteral("image-to-image"),
                QStringLiteral("text-to-video")};
    }

    EncodedRequest encode(const ProviderCall &call, QString *error) const override
    {
        const InferenceRequest &r = call.request;
        QJsonObject body = r.parameters;
        body.remove(QStringLiteral("images"));
        if (r.task == QLatin1String("image-to-image")) {
            if (r.file.isEmpty()) {
                *error = tr("image-to-image needs an input image; give it with --inputs-file PATH.");
                return {};
            }
            const QString base = QString::fromLatin1(r.file.bytes.toBase64()); // plain base64, no data URL
            const QJsonValue given = r.parameters.value(QStringLiteral("images"));
            bool strings = given.isArray();
            for (const QJsonValue &v : given.toArray())
                strings = strings && v.isString();
            body.insert(QStringLiteral("image"), base);
            body.insert(QStringLiteral("images"), strings ? given : QJsonValue(QJsonArray{base}));
            body.insert(QStringLiteral("prompt"), r.parameters.value(QStringLiteral("prompt")));
        } else {
            body.insert(QStringLiteral("prompt"), promptOf(r));
        }
        if (call.mapping.adapter == QLatin1String("lora"))
            body.insert(QStringLiteral("loras"), QJsonArray{QJsonObject{{QStringLiteral("path"), r.model},
                                                                        {QStringLiteral("scale"), 1}}});
        return jsonPost(call.routed(QStringLiteral("/api/v3/") + call.providerId()), body);
    }

    ProviderStep next(const ProviderCall &call, const QString &stage,
                      const InferenceResult &answer) const override
    {
        QJsonObject o;
        ProviderStep failure;
        if (!answerObject(answer, name(), &o, &failure))
            return failure;
        const QJsonObject data = o.value(QStringLiteral("data")).toObject();
        if (stage == QLatin1String("submit")) {
            const QString get =
                data.value(QStringLiteral("urls")).toObject().value(QStringLiteral("get")).toString();
            if (get.isEmpty())
                return ProviderStep::fail(tr("wavespeed answered without a result URL (data.urls.get); see "
                                             "--format raw."));
            // Polled through the router, under the path wavespeed gave.
            return ProviderStep::poll(call.routed(QUrl(get).path()), QStringLiteral("result"),
                                      tr("submitted"), 0);
        }
        const QString status = data.value(QStringLiteral("status")).toString();
        if (status == QLatin1String("completed")) {
            const QString file = data.value(QStringLiteral("outputs")).toArray().first().toString();
            return isFileUrl(file)
                       ? ProviderStep::download(QUrl(file))
                       : ProviderStep::fail(tr("wavespeed's completed task holds no output URL; see "
                                               "--format raw."));
        }
        if (status == QLatin1String("failed"))
            return ProviderStep::fail(
                tr("wavespeed says the task failed: %1")
                    .arg(data.value(QStringLiteral("error")).toString(tr("no reason given"))));
        return ProviderStep::poll(answer.url, QStringLiteral("result"),
                                  status == QLatin1String("created") ? tr("in queue") : tr("running"), 500);
    }
};
} // namespace

const ProviderHelper &wavespeedProvider()
{
    static const Wavespeed helper;
    return helper;
}

} // namespace idesk
