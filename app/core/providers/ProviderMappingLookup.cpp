#include "ProviderMappingLookup.h"

#include "ProviderChoice.h"
#include "RequestEncoder.h"
#include "ServiceBases.h"

#include <QTimer>

namespace idesk {

QHash<QString, QList<ProviderMappingEntry>> ProviderMappingLookup::s_cache;

ProviderMappingLookup::ProviderMappingLookup(QObject *parent) : QObject(parent)
{
    connect(&m_client, &InferenceClient::finished, this, &ProviderMappingLookup::onAnswer);
}

void ProviderMappingLookup::remember(const QString &model, const QList<ProviderMappingEntry> &entries)
{
    s_cache.insert(model.trimmed(), entries);
}

std::optional<QList<ProviderMappingEntry>> ProviderMappingLookup::find(const QString &model)
{
    const auto it = s_cache.constFind(model.trimmed());
    if (it == s_cache.constEnd())
        return std::nullopt;
    return *it;
}

void ProviderMappingLookup::clearCache()
{
    s_cache.clear();
}

void ProviderMappingLookup::lookup(const QString &given)
{
    const QString model = given.trimmed();
    m_model = model;
    if (m_client.isRunning())
        m_client.cancel(); // its Cancelled answer is ignored
    if (const auto entries = cached(model)) {
        QTimer::singleShot(0, this, [this, model, list = *entries] {
            if (m_model == model)
                Q_EMIT finished(model, list, QString());
        });
        return;
    }
    EncodedRequest get;
    get.method = "GET";
    get.url = QUrl(ServiceBases::hub() + QStringLiteral("/api/models/") + model);
    get.url.setQuery(QStringLiteral("expand[]=inferenceProviderMapping"));
    get.setHeader("User-Agent", RequestEncoder::userAgent());
    HttpOptions options;
    options.readTimeoutMs = 10000;
    m_client.sendEncoded(get, options);
}

void ProviderMappingLookup::onAnswer(const InferenceResult &result)
{
    if (result.outcome == InferenceResult::Outcome::Cancelled || m_model.isEmpty())
        return;
    const QString model = m_model;
    if (!result.ok()) {
        Q_EMIT finished(model, {},
                        tr("The Hub did not list the providers of %1: %2 %3")
                            .arg(model, result.errorMessage, ProviderChoice::hubSilentAdvice()));
        return;
    }
    const QList<ProviderMappingEntry> entries = ProviderMapping::fromModelInfo(result.body);
    remember(model, entries);
    Q_EMIT finished(model, entries, QString());
}

} // namespace idesk
