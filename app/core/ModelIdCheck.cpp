#include "ModelIdCheck.h"

#include "ChatCompletion.h"
#include "ModelDetails.h"

#include <QJsonDocument>

namespace idesk {

ModelIdCheck::ModelIdCheck(QObject *parent) : QObject(parent), m_get(new CachedHubGet(this))
{
    qRegisterMetaType<idesk::ModelIdCheck::Result>();
    m_get->setMaxAgeSeconds(3600);
    m_get->request()->setTimeoutMs(8000);
    connect(m_get, &CachedHubGet::finished, this, &ModelIdCheck::onFinished);
}

bool ModelIdCheck::check(const QString &id)
{
    const QString model = ChatCompletion::modelIdOf(id.trimmed());
    if (model.isEmpty() || m_answers.contains(model) || model == m_pending)
        return false;
    m_pending = model;
    m_get->get(ModelDetails::infoUrl(model));
    return true;
}

std::optional<ModelIdCheck::Result> ModelIdCheck::result(const QString &id) const
{
    const auto it = m_answers.constFind(ChatCompletion::modelIdOf(id.trimmed()));
    if (it == m_answers.constEnd())
        return std::nullopt;
    return *it;
}

void ModelIdCheck::onFinished(const CachedHubResult &answer)
{
    Result r;
    r.id = m_pending;
    m_pending.clear();
    r.status = answer.answer.status;
    r.offline = answer.offline;
    if (answer.ok()) {
        const QJsonDocument doc = QJsonDocument::fromJson(answer.body);
        r.model = HubModel::fromJson(doc.object());
        if (doc.isObject() && !r.model.id.isEmpty()) {
            r.outcome = Outcome::Found;
        } else {
            r.outcome = Outcome::Failed;
            r.message = tr("The Hub's answer about %1 is not a model description: check HF_ENDPOINT, if set.")
                            .arg(r.id);
        }
    } else if (r.status == 404 || r.status == 401 || r.status == 403) {
        // Without access the Hub answers 401 for a private, gated or missing repository alike.
        r.outcome = Outcome::NotFound;
    } else {
        r.outcome = answer.answer.reachedServer() ? Outcome::Failed : Outcome::Unreachable;
        r.message = answer.answer.message;
    }
    if (r.outcome == Outcome::Found || r.outcome == Outcome::NotFound)
        m_answers.insert(r.id, r);
    Q_EMIT checked(r);
}

bool ModelIdCheck::fits(const QString &appTask, const QString &hubTask, const QStringList &providerTasks)
{
    if (appTask.isEmpty() || hubTask.isEmpty() || appTask == hubTask)
        return true;
    if (appTask == QLatin1String("chat-completion"))
        return ChatCompletion::isLlmPipelineTag(hubTask) ||
               providerTasks.contains(QLatin1String("conversational"));
    return false;
}

QString ModelIdCheck::hubTaskFor(const QString &appTask)
{
    return appTask == QLatin1String("chat-completion") ? QStringLiteral("text-generation") : appTask;
}

} // namespace idesk
