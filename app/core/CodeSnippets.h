#pragma once

#include "InferenceRequest.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace idesk {

struct SnippetOptions
{
    // Send the Authorization header (from the environment variable below). The GUI passes
    // TokenPolicy::mayAttach(url) so that the snippet sends what the app sends.
    bool includeToken = true;
    QString tokenVariable = QStringLiteral("HF_TOKEN");
    // Where a raw binary body is read from when request.file.path is empty (pasted data).
    QString fallbackInputPath = QStringLiteral("input.bin");
};

// "Copy as code": the current request as a curl command, a Python (requests) script or a Kestra flow,
// built from RequestEncoder::encode() so that each sends exactly what the app sends (method, URL,
// headers, body). The token is never written: `$HF_TOKEN`, `os.environ["HF_TOKEN"]`, or
// "{{ secret('HUGGINGFACE_API_KEY') }}". A raw binary body is a file reference (`--data-binary @file`,
// `open(file, "rb")`, `{{ read('file.base64') }}`); JSON bodies are written inline.
class CodeSnippets
{
public:
    enum class Kind { Curl, Python, Kestra };

    static QString kindName(Kind kind);                           // "curl", "python", "kestra"
    static std::optional<Kind> kindFromName(const QString &name); // also "py", "yaml"
    static QStringList kindNames();

    // "" and *error (a sentence) when the request cannot be encoded.
    static QString snippet(Kind kind, const InferenceRequest &request, QString *error = nullptr,
                           const SnippetOptions &options = {});
    static QString curl(const InferenceRequest &request, QString *error = nullptr,
                        const SnippetOptions &options = {});
    static QString python(const InferenceRequest &request, QString *error = nullptr,
                          const SnippetOptions &options = {});
    static QString kestraFlow(const InferenceRequest &request, QString *error = nullptr);

    // Quoting helpers (public for tests): a POSIX shell single-quoted word; a Python string literal.
    static QString shellQuote(const QString &text);
    static QString pythonString(const QString &text);
};

} // namespace idesk
