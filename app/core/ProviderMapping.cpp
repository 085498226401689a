#include "ProviderMapping.h"

#include <QJsonArray>
#include <QJsonObject>

namespace idesk {

namespace {

ProviderMappingEntry entryFrom(const QString &provider, const QJsonObject &o)
{
    ProviderMappingEntry e;
    e.provider = provider;
    e.providerId = o.value(QLatin1String("providerId")).toString();
    e.status = o.value(QLatin1String("status")).toString();
    e.task = o.value(QLatin1String("task")).toString();
    e.adapter = o.value(QLatin1String("adapter")).toString();
    e.adapterWeightsPath = o.value(QLatin1String("adapterWeightsPath")).toString();
    e.type = o.value(QLatin1String("type")).toString();
    return e;
}

} // namespace

QList<ProviderMappingEntry> ProviderMapping::parse(const QJsonValue &mapping)
{
    QList<ProviderMappingEntry> entries;
    if (mapping.isObject()) {
        const QJsonObject byProvider = mapping.toObject();
        // QJsonObject iterates its keys sorted, so the Hub's order of this older shape is lost here. The
        // official JavaScript client keeps it (insertion order): a caller that needs "the first provider"
        // of an object-shaped answer must read the key order from the raw text (see JsonScanner).
        for (auto it = byProvider.begin(); it != byProvider.end(); ++it) {
            if (!it.key().isEmpty() && it.value().isObject())
                entries << entryFrom(it.key(), it.value().toObject());
        }
    } else if (mapping.isArray()) {
        for (const QJsonValue &v : mapping.toArray()) {
            const QJsonObject o = v.toObject();
            const QString provider = o.value(QLatin1String("provider")).toString();
            if (!provider.isEmpty())
                entries << entryFrom(provider, o);
        }
    }
    return entries;
}

QList<ProviderMappingEntry> ProviderMapping::serving(const QList<ProviderMappingEntry> &entries,
                                                     const QString &task, bool includeStaging)
{
    QList<ProviderMappingEntry> out;
    for (const ProviderMappingEntry &e : entries) {
        if ((task.isEmpty() || e.task == task) && (includeStaging || e.isLive()))
            out << e;
    }
    return out;
}

} // namespace idesk
