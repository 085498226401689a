#include "ProviderChoice.h"

#include "ProviderHelper.h"

#include <QCoreApplication>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ProviderChoice", text);
}

// "fal-ai (text-to-image), replicate (text-to-image, staging)"
QString describe(const QList<ProviderMappingEntry> &mapping)
{
    QStringList parts;
    for (const ProviderMappingEntry &e : mapping)
        parts << (e.isLive() ? QStringLiteral("%1 (%2)").arg(e.provider, e.task)
                             : QStringLiteral("%1 (%2, %3)").arg(e.provider, e.task, e.status));
    return parts.join(QLatin1String(", "));
}

ProviderMappingEntry plainHfInference(const QString &model, const QString &task)
{
    ProviderMappingEntry e;
    e.provider = QStringLiteral("hf-inference");
    e.providerId = model;
    e.status = QStringLiteral("live");
    e.task = task;
    return e;
}
} // namespace

QString ProviderChoice::autoSendsToEndpoint(const InferenceRequest &request)
{
    if (request.provider != QLatin1String("auto"))
        return {};
    const QString endpoint = request.endpoint.trimmed();
    if (!endpoint.isEmpty() && endpoint != InferenceRequest::defaultEndpoint())
        return tr("auto: hf-inference at the endpoint you chose, %1 (auto picks a provider only with the "
                  "built-in endpoint).")
            .arg(endpoint);
    if (request.task.isEmpty())
        return tr("auto: hf-inference (Kestra's generic form, without a catalog task, goes only there).");
    return {};
}

QString ProviderChoice::hubSilentAdvice()
{
    return tr("Choose a provider, or hf-inference (--provider NAME on the command line), and send again.");
}

ProviderChoice ProviderChoice::choose(const QList<ProviderMappingEntry> &mapping, const QString &requested,
                                      const QString &task, const QString &model)
{
    ProviderChoice c;
    const QString taskName = task.isEmpty() ? tr("Kestra's generic form (no task)") : task;
    if (task.isEmpty() || requested == QLatin1String("hf-inference")) {
        // Only hf-inference sends a task the catalog does not name, and it takes the model id as it is.
        if (task.isEmpty() && requested != QLatin1String("auto") &&
            requested != QLatin1String("hf-inference")) {
            c.error = tr("%1 takes no request without a task; give --task, or use --provider hf-inference.")
                          .arg(requested);
            return c;
        }
        c.entry = plainHfInference(model, task);
        for (const ProviderMappingEntry &e : mapping)
            if (e.provider == QLatin1String("hf-inference") && !e.providerId.isEmpty())
                c.entry.providerId = e.providerId;
        if (task.isEmpty())
            c.note = tr("sent in Kestra's generic form to hf-inference (no task given).");
        return c;
    }
    if (requested != QLatin1String("auto")) {
        const ProviderHelper *helper = ProviderHelper::find(requested);
        if (!helper) {
            c.error = tr("unknown provider \"%1\". Known providers: %2, or auto.")
                          .arg(requested, ProviderHelper::providers().join(QLatin1String(", ")));
            return c;
        }
        if (!helper->supports(task)) {
            c.error = tr("%1 is not reached for %2 here; providers for %2: %3.")
                          .arg(requested, task, ProviderHelper::providersFor(task).join(QLatin1String(", ")));
            return c;
        }
        for (const ProviderMappingEntry &e : mapping) {
            if (e.provider != requested)
                continue;
            if (e.task != task) {
                c.error = tr("%1 serves %2 for %3, not for %4. Choose --task %3, or another provider.")
                              .arg(requested, model, e.task, task);
                return c;
            }
            c.entry = e;
            if (!e.isLive())
                c.note = tr("%1 serves %2 in %3 mode only, meant for tests.").arg(requested, model, e.status);
            return c;
        }
        c.error =
            mapping.isEmpty()
                ? tr("no provider serves %1 (the Hub lists none). Choose hf-inference (--provider "
                     "hf-inference) if it serves the model.")
                      .arg(model)
                : tr("%1 does not serve %2; it is served by %3.").arg(requested, model, describe(mapping));
        return c;
    }
    // auto: the first entry of the Hub's order that is live, serves the task and has a helper here.
    QStringList skipped;
    for (const ProviderMappingEntry &e : mapping) {
        QString why;
        if (e.task != task)
            why = tr("serves %1").arg(e.task);
        else if (!e.isLive())
            why = tr("is %1").arg(e.status.isEmpty() ? tr("not live") : e.status);
        else if (!ProviderHelper::find(e.provider) || !ProviderHelper::find(e.provider)->supports(task))
            why = tr("is not reached by this app");
        if (!why.isEmpty()) {
            skipped << QStringLiteral("%1 %2").arg(e.provider, why);
            continue;
        }
        c.entry = e;
        c.note =
            skipped.isEmpty()
                ? tr("provider %1 (auto: the first live provider of %2 for %3).").arg(e.provider, model, task)
                : tr("provider %1 (auto: the first live provider of %2 for %3; skipped: %4).")
                      .arg(e.provider, model, task, skipped.join(QLatin1String("; ")));
        return c;
    }
    c.error =
        mapping.isEmpty()
            ? tr("no Inference Provider serves %1 for %2 (the Hub lists none). Choose hf-inference "
                 "(--provider hf-inference) if it serves the model.")
                  .arg(model, taskName)
            : tr("no live Inference Provider serves %1 for %2; the model is served for: %3. Choose one of "
                 "those tasks, or hf-inference (--provider hf-inference) if it serves the model.")
                  .arg(model, taskName, describe(mapping));
    return c;
}

} // namespace idesk
