#pragma once

#include "InferenceRequest.h"

#include <QJsonObject>
#include <QString>
#include <optional>

namespace idesk {

// The one JSON reader/writer of the InferenceRequest value, used by presets (Preset), saved results
// (SavedResult) and the app's remembered last request (MainWindow, QSettings "request/last"). Every field
// of InferenceRequest and HttpOptions goes through here (TestRequestCodec fails when one is added without).
//
//   {"endpoint", "model", "task", "inputs" (null when none), "parameters", "useCache", "waitForModel",
//    "stream", "route": "model"|"completions" (text generation only: other tasks have one route),
//    "provider": "auto"|"fal-ai"|... (written only when set: none means hf-inference at the endpoint),
//    "options": {"connectTimeout": "PT5S"|null, "readTimeout", "readIdleTimeout", "maxContentLength",
//                "defaultCharset", "connectionPoolIdleTimeout",
//                "deadline", "maxLoadingWait" (our own limits: written only when not the default)},
//    "file": {"path", "mimeType", "size", "base64"}}
//
// The reader also reads the spellings older versions wrote (saved results: use_cache, wait_for_model,
// options.*_ms in milliseconds, file.name/mime_type; the remembered request: options.*Ms, file: a path), so
// nothing kept before is lost.
// How RequestCodec writes an input file: its path (or its file name only: a saved result shared with someone
// tells nothing about the sender's disk), and its bytes (base64) or not (kept by path).
struct RequestFileForm
{
    bool fullPath = true;
    bool bytes = true;
};

class RequestCodec
{
public:
    using FileForm = RequestFileForm;

    static QJsonObject toJson(const InferenceRequest &request, FileForm file = FileForm());
    // nullopt and *error (a sentence naming the field, e.g. "options.readTimeout: ...") when a field is
    // unusable. A file kept by path only comes back with no bytes (Preset::resolvedRequest reads them).
    static std::optional<InferenceRequest> fromJson(const QJsonObject &json, QString *error = nullptr);
};

} // namespace idesk
