#pragma once

#include <QString>
#include <optional>

namespace idesk {

// Text generation has two routes, and we support both:
//  - Model: the recorded form {"inputs", "parameters"[, "stream": true]} posted to {endpoint}/{model},
//    answered by [{"generated_text"}] or a token stream. text-generation-inference servers and dedicated
//    Inference Endpoints accept it; it is the default of the request value, the CLI and presets.
//  - Completions: the OpenAI-compatible completions route the official JavaScript client sends on the
//    router since 2026-05: {"model", "prompt", "max_tokens", ...} posted to
//    {endpoint}/{model}/v1/completions, answered by {"choices": [{"text"}]} (ChatCompletion owns it).
// Other tasks have one route each; the value is ignored for them.
enum class TextGenerationRoute { Model, Completions };

// "model" or "completions": the word used by presets, saved requests and `call --route`.
QString textGenerationRouteId(TextGenerationRoute route);
// The route for its id (case-insensitive, surrounding spaces ignored); nullopt for anything else.
std::optional<TextGenerationRoute> textGenerationRouteFromId(const QString &id);
// The URL shape a route posts to, for people: "{endpoint}/{model}" or "{endpoint}/{model}/v1/completions".
QString textGenerationRouteShape(TextGenerationRoute route);
// The route the app proposes for an endpoint: Completions when its host is router.huggingface.co (the
// default endpoint), Model for any other endpoint (a TGI server, a dedicated Inference Endpoint).
TextGenerationRoute defaultTextGenerationRoute(const QString &endpoint);
// True for the task that has two routes (text-generation).
bool hasTextGenerationRoutes(const QString &taskId);

} // namespace idesk
