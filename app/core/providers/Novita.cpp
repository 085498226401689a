// novita through the router (docs/providers.md): video generation as an async task, polled through the
// router; num_inference_steps renamed steps.
#include "ProviderHelper.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Novita", text);
}

class Novita final : public ProviderHelper
{
public:
    QString name() const override { return QStringLiteral("novita"); }
    QStringList tasks() const override { return {QStringLiteral("text-to-video")}; }

    EncodedRequest encode(const ProviderCall &call, QString *) const override
    {
        QJsonObject body = renamed(call.request.parameters,
                                   {{QStringLiteral("num_inference_steps"), QStringLiteral("steps")}});
        body.insert(QStringLiteral("prompt"), promptOf(call.request));
        return jsonPost(call.routed(QStringLiteral("/v3/async/") + call.providerId()), body);
    }

    ProviderStep next(const ProviderCall &call, const QString &stage,
                      const InferenceResult &answer) const override
    {
        QJsonObject o;
        ProviderStep failure;
        if (!answerObject(answer, name(), &o, &failure))
            return failure;
        if (stage == QLatin1String("submit")) {
            const QString id = o.value(QStringLiteral("task_id")).toString();
            if (id.isEmpty())
                return ProviderStep::fail(tr("novita answered without a task id; see --format raw."));
            QUrl url = call.routed(QStringLiteral("/v3/async/task-result"));
            url.setQuery(QStringLiteral("task_id=") + QString::fromLatin1(QUrl::toPercentEncoding(id)));
            return ProviderStep::poll(url, QStringLiteral("result"), tr("submitted"), 500);
        }
        const QString status =
            o.value(QStringLiteral("task")).toObject().value(QStringLiteral("status")).toString();
        if (status == QLatin1String("TASK_STATUS_SUCCEED")) {
            const QString file = o.value(QStringLiteral("videos"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("video_url"))
                                     .toString();
            return isFileUrl(file)
                       ? ProviderStep::download(QUrl(file))
                       : ProviderStep::fail(tr("novita's finished task holds no videos[0].video_url; "
                                               "see --format raw."));
        }
        if (status == QLatin1String("TASK_STATUS_FAILED"))
            return ProviderStep::fail(tr("novita says the video task failed."));
        if (status.isEmpty())
            return ProviderStep::fail(tr("novita's task result has no task.status; see --format raw."));
        return ProviderStep::poll(
            answer.url, QStringLiteral("result"),
            status == QLatin1String("TASK_STATUS_QUEUED") ? tr("in queue") : tr("running"), 500);
    }
};
} // namespace

const ProviderHelper &novitaProvider()
{
    static const Novita helper;
    return helper;
}

} // namespace idesk
