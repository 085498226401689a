#pragma once

#include "HttpOptions.h"
#include "TextGenerationRoute.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace idesk {

// A binary input (image or audio): the original bytes, never re-encoded.
struct InputFile
{
    QString path;     // where it came from (may be empty for pasted data)
    QByteArray bytes; // the original file bytes
    QString mimeType; // from QMimeDatabase (content sniffing), e.g. image/png

    bool isEmpty() const { return bytes.isEmpty(); }
    bool operator==(const InputFile &o) const
    {
        return path == o.path && bytes == o.bytes && mimeType == o.mimeType;
    }
};

// One inference request: Kestra's Inference properties plus an optional task.
// A value: editors fill it, RequestEncoder turns it into bytes. It never holds the token.
struct InferenceRequest
{
    // The router's hf-inference route as built in; effectiveEndpoint() moves it to ServiceBases::router().
    static QString defaultEndpoint()
    {
        return QStringLiteral("https://router.huggingface.co/hf-inference/models");
    }
    static QString retiredHost() { return QStringLiteral("api-inference.huggingface.co"); }

    QString endpoint = defaultEndpoint(); // base URL; the model id is appended
    QString model;                        // e.g. cardiffnlp/twitter-roberta-base-sentiment-latest
    QString task;                         // catalog task id; empty = unknown (Kestra's generic form)
    QJsonValue inputs;                    // a string (Kestra) or the task's JSON input shape
    InputFile file;                       // image/audio input; for VQA/doc-QA it joins `inputs`
    QJsonObject parameters;               // task parameters; left out of the body when empty
    bool useCache = true;                 // x-use-cache
    bool waitForModel = false;            // x-wait-for-model
    bool stream = false;                  // text-generation token stream
    // text-generation only: the recorded per-model form (default) or the OpenAI completions route
    // (see TextGenerationRoute.h); other tasks ignore it.
    TextGenerationRoute route = TextGenerationRoute::Model;
    HttpOptions options;
    // Who serves it (docs/providers.md): "" = hf-inference at `endpoint`, as every request did before
    // providers (presets, saved results and flows without the field keep that); "auto" = the first live
    // provider of the model's mapping for the task; or a provider name ("fal-ai", "hf-inference", ...).
    QString provider;

    bool operator==(const InferenceRequest &o) const
    {
        return endpoint == o.endpoint && model == o.model && task == o.task && inputs == o.inputs &&
               file == o.file && parameters == o.parameters && useCache == o.useCache &&
               waitForModel == o.waitForModel && stream == o.stream && route == o.route &&
               options == o.options && provider == o.provider;
    }
    bool operator!=(const InferenceRequest &o) const { return !(*this == o); }

    // True when the request goes out on the completions route (text-generation with that route chosen).
    bool usesCompletionsRoute() const
    {
        return route == TextGenerationRoute::Completions && hasTextGenerationRoutes(task);
    }
    // The endpoint to send hf-inference requests to: the built-in default follows ServiceBases::router()
    // (--router, INFERENCE_DESK_ROUTER); an endpoint the person set is kept.
    QString effectiveEndpoint() const;
    // True when the request goes to an Inference Provider (ProviderJob) rather than straight to `endpoint`.
    bool usesProvider() const { return !provider.isEmpty(); }
    // True when the endpoint's host is the retired api-inference.huggingface.co.
    bool usesRetiredEndpoint() const;
    // The same endpoint moved to the router (https://router.huggingface.co/hf-inference/models).
    static QString migratedEndpoint(const QString &endpoint);
};

} // namespace idesk
