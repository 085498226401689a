#pragma once

#include "EncodedRequest.h"
#include "InferenceRequest.h"

#include <QString>
#include <QUrl>

namespace idesk {

// Request value -> URL, headers and body, as the official clients send them (see the recordings):
//  - URL {endpoint}/{model}; on the router, feature-extraction and sentence-similarity go to
//    {endpoint}/{model}/pipeline/{task}.
//  - no task: Kestra's body {"inputs": <string>, "parameters": {...}} (parameters left out when empty).
//  - a task: the task's input shape; image/audio: raw bytes with their MIME type when there are no
//    parameters, else JSON with the bytes base64-encoded in `inputs`.
//  - headers: Content-Type, x-use-cache, x-wait-for-model (true/false), User-Agent inference-desk/<version>.
//  - chat-completion, and text-generation on the completions route (InferenceRequest::route): the
//    OpenAI-compatible forms of ChatCompletion ({endpoint}/{model}/v1/completions for the latter).
class RequestEncoder
{
public:
    // Empty result url and *error set when the request cannot be encoded (no model, bad endpoint,
    // a task that needs a file without one...). The error is a sentence that says what to do.
    static EncodedRequest encode(const InferenceRequest &request, QString *error = nullptr);

    // The URL the request goes to, without looking at its inputs (the app shows it next to the route);
    // invalid when the model or the endpoint cannot make one.
    static QUrl targetUrl(const InferenceRequest &request);

    static QByteArray userAgent();
};

} // namespace idesk
