#include "ProviderMapping.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <climits>

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

QList<ProviderMappingEntry> ProviderMapping::fromModelInfo(const QByteArray &answer)
{
    const QJsonValue mapping =
        QJsonDocument::fromJson(answer).object().value(QLatin1String("inferenceProviderMapping"));
    QList<ProviderMappingEntry> entries = parse(mapping);
    if (!mapping.isObject())
        return entries;
    // Where each provider's key first appears after "inferenceProviderMapping" in the text: its place.
    const QString text = QString::fromUtf8(answer);
    const int from = qMax(0, int(text.indexOf(QLatin1String("\"inferenceProviderMapping\""))));
    auto place = [&](const ProviderMappingEntry &e) {
        const QRegularExpression key(
            QStringLiteral("\"%1\"\\s*:\\s*\\{").arg(QRegularExpression::escape(e.provider)));
        const QRegularExpressionMatch m = key.match(text, from);
        return m.hasMatch() ? m.capturedStart() : INT_MAX;
    };
    std::stable_sort(
        entries.begin(), entries.end(),
        [&](const ProviderMappingEntry &a, const ProviderMappingEntry &b) { return place(a) < place(b); });
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
