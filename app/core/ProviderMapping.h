#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace idesk {

// One Inference Provider serving a model, as the Hub's `inferenceProviderMapping` says
// (GET {hub}/api/models/{id}?expand[]=inferenceProviderMapping).
struct ProviderMappingEntry
{
    QString provider;           // "fal-ai", "replicate", "hf-inference", ...
    QString providerId;         // the provider's own id of the model, e.g. "fal-ai/flux/dev"
    QString status;             // "live" or "staging" (other values kept as they come)
    QString task;               // pipeline tag the provider serves it for, e.g. "text-to-image"
    QString adapter;            // "lora" for a LoRA served on a base pipeline; "" otherwise
    QString adapterWeightsPath; // file of the adapter's weights in the model repo (with adapter "lora")
    QString type;               // "single-model" or "tag-filter" when the Hub says; "" otherwise

    bool isLive() const { return status == QLatin1String("live"); }
    bool operator==(const ProviderMappingEntry &o) const
    {
        return provider == o.provider && providerId == o.providerId && status == o.status && task == o.task &&
               adapter == o.adapter && adapterWeightsPath == o.adapterWeightsPath && type == o.type;
    }
};

// The mapping in the Hub's two shapes, in the Hub's order (the official clients pick the first that fits):
//  - an object keyed by provider (model info answers until 2025):
//      {"fal-ai": {"status": "live", "providerId": "fal-ai/whisper", "task": "..."}, ...}
//  - an array of entries (today's answers, search results):
//      [{"provider": "fal-ai", "status": "live", "providerId": "...", "task": "...", ...}, ...]
// Anything else (null, a string, entries without a provider name) gives no entries; fields of the wrong
// type are read as "".
class ProviderMapping
{
public:
    static QList<ProviderMappingEntry> parse(const QJsonValue &mapping);
    // The mapping of a model-info answer's bytes ({"inferenceProviderMapping": ...}), in the Hub's order
    // for both shapes: the object shape's key order is read from the text (QJsonObject sorts its keys).
    static QList<ProviderMappingEntry> fromModelInfo(const QByteArray &answer);
    // The entries serving `task` ("" = any), live ones only unless includeStaging.
    static QList<ProviderMappingEntry> serving(const QList<ProviderMappingEntry> &entries,
                                               const QString &task, bool includeStaging = false);
};

} // namespace idesk
