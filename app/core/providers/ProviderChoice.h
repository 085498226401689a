#pragma once

#include "InferenceRequest.h"
#include "ProviderMapping.h"

#include <QList>
#include <QString>

namespace idesk {

// Which provider serves a request, from the model's mapping (docs/providers.md "Choosing the provider").
struct ProviderChoice
{
    ProviderMappingEntry entry; // provider "" when none fits (then `error` says why)
    QString note;               // which was picked and why, or a warning (staging); "" when nothing to say
    QString error;              // a sentence naming the task and who serves the model for what

    bool ok() const { return !entry.provider.isEmpty(); }

    // `requested`: "auto" or a provider name. `task`: the catalog id ("" for Kestra's generic form, which
    // only hf-inference takes).
    // "auto" that goes to hf-inference at the request's own endpoint, as before providers: with an endpoint
    // the person chose (the official clients take an endpoint URL so) or without a task (Kestra's generic
    // form, which only hf-inference takes). The sentence saying so; "" when auto chooses among providers
    // (or the request is not "auto").
    static QString autoSendsToEndpoint(const InferenceRequest &request);
    // What to do when the Hub could not say who serves a model (unreachable, a model it does not know).
    static QString hubSilentAdvice();

    static ProviderChoice choose(const QList<ProviderMappingEntry> &mapping, const QString &requested,
                                 const QString &task, const QString &model);
};

} // namespace idesk
