#pragma once

#include "InferenceClient.h"
#include "ProviderMapping.h"

#include <QHash>
#include <QObject>
#include <optional>

namespace idesk {

// The providers that serve a model, for the app's provider box: GET
// {ServiceBases::hub()}/api/models/{id}?expand[]=inferenceProviderMapping, asynchronous, cached for the
// process (shared with ProviderJob). No token: the public model card says it. One lookup at a time; a newer
// one replaces the older.
class ProviderMappingLookup : public QObject
{
    Q_OBJECT
public:
    explicit ProviderMappingLookup(QObject *parent = nullptr);

    std::optional<QList<ProviderMappingEntry>> cached(const QString &model) const { return find(model); }
    // The one cache of mappings for the process, shared with ProviderJob (the box and the send ask once).
    static std::optional<QList<ProviderMappingEntry>> find(const QString &model);
    static void remember(const QString &model, const QList<ProviderMappingEntry> &entries);
    // finished() follows once (a cached answer too, after returning).
    void lookup(const QString &model);
    static void clearCache();

Q_SIGNALS:
    // `error` is a sentence when the Hub could not say (the entries are then empty).
    void finished(const QString &model, const QList<idesk::ProviderMappingEntry> &entries,
                  const QString &error);

private:
    void onAnswer(const InferenceResult &result);

    InferenceClient m_client;
    QString m_model;
    static QHash<QString, QList<ProviderMappingEntry>> s_cache;
};

} // namespace idesk
