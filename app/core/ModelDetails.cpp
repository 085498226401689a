#include "ModelDetails.h"

#include "HubRequest.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace idesk {

ModelDetails::ModelDetails(QObject *parent)
    : QObject(parent), m_info(new CachedHubGet(this)), m_catalogue(new CachedHubGet(this))
{
    qRegisterMetaType<idesk::HubModel>();
    m_info->setMaxAgeSeconds(3600);
    m_catalogue->setMaxAgeSeconds(3600);
    connect(m_info, &CachedHubGet::finished, this, &ModelDetails::onFinished);
    connect(m_catalogue, &CachedHubGet::finished, this, &ModelDetails::onFinished);
}

void ModelDetails::setToken(const QString &token, const TokenPolicy &policy)
{
    m_info->setToken(token, policy);
    m_catalogue->setToken(token, policy);
}

void ModelDetails::setCache(const HubCache &cache)
{
    m_info->setCache(cache);
    m_catalogue->setCache(cache);
}

void ModelDetails::setMaxAgeSeconds(qint64 seconds)
{
    m_info->setMaxAgeSeconds(seconds);
    m_catalogue->setMaxAgeSeconds(seconds);
}

QStringList ModelDetails::expandedFields()
{
    return {QStringLiteral("pipeline_tag"), QStringLiteral("library_name"),
            QStringLiteral("cardData"),     QStringLiteral("widgetData"),
            QStringLiteral("gated"),        QStringLiteral("downloads"),
            QStringLiteral("likes"),        QStringLiteral("lastModified"),
            QStringLiteral("tags"),         QStringLiteral("inferenceProviderMapping")};
}

QUrl ModelDetails::infoUrl(const QString &modelId)
{
    QUrlQuery q;
    for (const QString &field : expandedFields())
        q.addQueryItem(QStringLiteral("expand[]"), field);
    return HubRequest::hubUrl(QStringLiteral("/api/models/") +
                                  QString::fromLatin1(QUrl::toPercentEncoding(modelId.trimmed(), "/")),
                              q);
}

bool ModelDetails::isChatModel(const HubModel &model)
{
    for (const ProviderMappingEntry &e : model.providers) {
        if (e.task == QLatin1String("conversational"))
            return true;
    }
    return model.task == QLatin1String("text-generation") ||
           model.task == QLatin1String("image-text-to-text");
}

void ModelDetails::cancel()
{
    m_info->cancel();
    m_catalogue->cancel();
    m_step = Step::Idle;
}

void ModelDetails::fetch(const QString &modelId)
{
    cancel();
    m_id = modelId.trimmed();
    m_model = HubModel();
    m_offline = false;
    m_step = Step::Info;
    m_info->get(infoUrl(m_id));
}

void ModelDetails::onFinished(const CachedHubResult &result)
{
    switch (m_step) {
    case Step::Idle:
        return;
    case Step::Info: {
        if (!result.ok()) {
            m_step = Step::Idle;
            Q_EMIT failed(result.answer.message, !result.answer.reachedServer());
            return;
        }
        const QJsonDocument doc = QJsonDocument::fromJson(result.body);
        m_model = HubModel::fromJson(doc.object());
        if (!doc.isObject() || m_model.id.isEmpty()) {
            m_step = Step::Idle;
            Q_EMIT failed(
                tr("The Hub's answer about %1 is not a model description: check HF_ENDPOINT, if set.")
                    .arg(m_id),
                false);
            return;
        }
        m_offline = result.offline;
        nextAfterInfo();
        return;
    }
    case Step::Catalogue:
        if (result.ok())
            m_model.offers = RouterCatalogue::offersFor(result.body, m_model.id);
        fetchSummaryOrFinish();
        return;
    case Step::Readme:
        if (result.ok())
            m_model.summary = cardSummary(result.body);
        done();
        return;
    }
}

void ModelDetails::nextAfterInfo()
{
    if (isChatModel(m_model)) {
        m_step = Step::Catalogue;
        m_catalogue->get(HubRequest::routerUrl(QStringLiteral("/v1/models")));
        return;
    }
    fetchSummaryOrFinish();
}

void ModelDetails::fetchSummaryOrFinish()
{
    if (!m_withSummary) {
        done();
        return;
    }
    m_step = Step::Readme;
    m_info->get(HubRequest::hubUrl(QLatin1Char('/') + m_model.id + QStringLiteral("/raw/main/README.md")));
}

void ModelDetails::done()
{
    m_step = Step::Idle;
    Q_EMIT ready(m_model, m_offline);
}

} // namespace idesk
