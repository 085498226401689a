#pragma once

#include "EncodedRequest.h"
#include "InferenceRequest.h"

#include <QString>

namespace idesk {

// Request value -> URL, headers and body, as the official clients send them (see the recordings):
//  - URL {endpoint}/{model}; on the router, feature-extraction and sentence-similarity go to
//    {endpoint}/{model}/pipeline/{task}.
//  - no task: Kestra's body {"inputs": <string>, "parameters": {...}} (parameters left out when empty).
//  - a task: the task's input shape; image/audio: raw bytes with their MIME type when there are no
//    parameters, else JSON with the bytes base64-encoded in `inputs`.
//  - headers: Content-Type, x-use-cache, x-wait-for-model (true/false), User-Agent inference-desk/<version>.
class RequestEncoder
{
public:
    // Empty result url and *error set when the request cannot be encoded (no model, bad endpoint,
    // a task that needs a file without one...). The error is a sentence that says what to do.
    static EncodedRequest encode(const InferenceRequest &request, QString *error = nullptr);

    static QByteArray userAgent();
};

} // namespace idesk
