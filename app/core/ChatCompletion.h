#pragma once

#include "EncodedRequest.h"
#include "InferenceRequest.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace idesk {

class ModelInfoLookup;

// Large language models through the router: the OpenAI-compatible chat completion and completions
// routes, as the official clients send them.
//
// Chat (tasks chat-completion and image-text-to-text): URL {base}/v1/chat/completions, base
// ServiceBases::router() by default; body {"model": "id[:provider|:fastest|:cheapest|:preferred]", "messages": [...],
// ...parameters at top level..., "stream": true} ("stream" absent when not streaming). The request's
// `endpoint` is the base before /v1/chat/completions. Two endpoints are read differently:
//  - empty or InferenceRequest::defaultEndpoint() (the hf-inference per-model route): the router root,
//    so that an LLM's id typed with the default endpoint reaches the provider-routed chat;
//  - any other endpoint whose path ends in /models (a per-model layout such as
//    https://router.huggingface.co/hf-inference/models pointed at explicitly, or the one of the
//    recordings): {endpoint}/{model}/v1/chat/completions, with the same body.
// `inputs` is the messages array, or a plain string sent as one user message.
//
// Completions (text generation on the router): {endpoint}/{model}/v1/completions with
// {"model", "prompt", "max_tokens", ...}; the answer's text is choices[0].text.
class ChatCompletion
{
public:
    static QString defaultBaseUrl() { return QStringLiteral("https://router.huggingface.co"); }
    static QString taskId() { return QStringLiteral("chat-completion"); }
    // Vision-language chat (images in user turns, ChatImages): the same route, body and parameters.
    static QString visionTaskId() { return QStringLiteral("image-text-to-text"); }
    // chat-completion or image-text-to-text: a task sent through the chat route.
    static bool isChatTask(const QString &task) { return task == taskId() || task == visionTaskId(); }
    // Provider policies the router understands as a model suffix (id:fastest ...).
    static QStringList providerPolicies();
    // Inference providers known to serve chat through the router (2025; the router accepts any id it
    // knows, so this list only fills a combo box).
    static QStringList knownProviders();

    // "id" + ":" + provider (or policy); provider "" or "auto" leaves the id alone. A suffix already on
    // the id is replaced.
    static QString modelWithProvider(const QString &model, const QString &provider);
    // The id without its :provider suffix, and the suffix ("" when none).
    static QString modelIdOf(const QString &model);
    static QString providerOf(const QString &model);

    // The chat URL for an endpoint (base) and a model (see above); a base ending in /v1, as OpenAI clients
    // write it, is the same base. Invalid QUrl and *error on a bad base.
    static QUrl chatUrl(const QString &endpoint, const QString &model, QString *error = nullptr);

    // Messages from a request's inputs: an array of {"role", "content"...} checked for shape, or a plain
    // string as one user message. Empty array and *error (a sentence saying what to do) when wrong.
    static QJsonArray messagesFrom(const QJsonValue &inputs, QString *error = nullptr);
    // A conversation from a system prompt (may be empty) and one user prompt.
    static QJsonArray messages(const QString &system, const QString &prompt);

    // The JSON body of a chat request (parameters at top level; null parameters left out).
    static QJsonObject chatBody(const InferenceRequest &request, QString *error = nullptr);
    // URL, headers and body of a chat request. Empty url and *error when it cannot be encoded.
    static EncodedRequest encode(const InferenceRequest &request, QString *error = nullptr);

    // --- the OpenAI-compatible completions route for text generation ---
    // text-generation parameters in the completions dialect: max_new_tokens -> max_tokens,
    // return_full_text -> echo; details/decoder_input_details (answer-shape switches of TGI) dropped.
    static QJsonObject completionParameters(const QJsonObject &textGenerationParameters);
    static QUrl completionUrl(const QString &endpoint, const QString &model, QString *error = nullptr);
    static EncodedRequest encodeCompletion(const InferenceRequest &request, QString *error = nullptr);
    // choices[0].text of a completions answer; "" when absent.
    static QString completionText(const QJsonValue &answer);

    // --- Kestra's generic form for an LLM ---
    // True for hub pipeline tags served by the chat route: text-generation, conversational,
    // image-text-to-text.
    static bool isLlmPipelineTag(const QString &pipelineTag);
    // A request in Kestra's generic form (no task, a plain string in `inputs`, no file) for a model whose
    // hub pipeline_tag (ModelInfoLookup, at most its timeout) is text-generation or conversational, sent
    // to a Hugging Face router: the same request as a one-message chat to the router root, its
    // text-generation parameters renamed for chat (max_new_tokens -> max_tokens) and those chat does not
    // know dropped (each named in *notes). std::nullopt in every other case, including an unknown tag:
    // the request then goes out unchanged.
    //
    // The hub is only asked when the request goes to a Hugging Face router (router.huggingface.co), or
    // to the same origin as the hub endpoint (HF_ENDPOINT: a mirror, or the tests' loopback server), so
    // that a request to a private server never causes a call to huggingface.co.
    static std::optional<InferenceRequest> asChatIfLlm(const InferenceRequest &request,
                                                       ModelInfoLookup &lookup, QStringList *notes = nullptr);
    // Whether asChatIfLlm would ask the hub about this request at all (Kestra's form, a plain string,
    // to the router or the hub's origin). The app looks the model up asynchronously first when it would.
    static bool wouldAskHub(const InferenceRequest &request, const ModelInfoLookup &lookup);
    // The router root for a per-model endpoint (https://router.huggingface.co/hf-inference/models ->
    // https://router.huggingface.co); other endpoints unchanged.
    static QString routerBaseOf(const QString &endpoint);
};

} // namespace idesk
