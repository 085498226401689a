#pragma once

#include "EncodedRequest.h"
#include "InferenceRequest.h"
#include "ProviderMapping.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>
#include <optional>

namespace idesk {

// A provider request in a Kestra flow: a core HTTP Request task posting the provider's own body to
// {router}/{provider}/... (the Inference task only reaches hf-inference), described as
// "Inference Desk: <task> of <model> through <provider>" so that it imports back.
class ProviderFlowTask
{
public:
    // The provider a request goes to in a flow: request.provider, or the mapping's when it is "auto";
    // "" when the flow's Inference task sends it (no provider, hf-inference, or a provider unknown here).
    static QString providerOf(const InferenceRequest &request, const ProviderMappingEntry &mapping);
    // The provider's first request (no token); an invalid url and *why when it cannot be made. Without a
    // mapping's providerId the model id stands for it and *note says so.
    static EncodedRequest encode(const InferenceRequest &request, const ProviderMappingEntry &mapping,
                                 QString *why, QString *note);
    static QString description(const InferenceRequest &request, const QString &provider);

    struct Target
    {
        QString provider;
        QString task;
        QString model;
        QString providerId; // from the uri
    };
    // The task's uri and description as written by the export; nullopt for any other Request task.
    static std::optional<Target> target(const QUrl &uri, const QString &description);
    // The request back from the provider's body (the inverse of the helpers' encode: prompt, file,
    // parameters with their names as the person gave them). False with *why when the body lacks the input.
    static bool requestFrom(const Target &target, QJsonObject body, InferenceRequest *request,
                            ProviderMappingEntry *mapping, QString *why);
};

} // namespace idesk
