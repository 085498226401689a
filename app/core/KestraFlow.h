#pragma once

#include "InferenceRequest.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace idesk {

// One `io.kestra.plugin.huggingface.Inference` task of a flow, turned into a request.
struct KestraTask
{
    QString id;                  // the task's id
    InferenceRequest request;    // task stays empty: Kestra sends its generic {"inputs": <string>} form
    QString apiKeyExpression;    // apiKey as written, e.g. {{ secret('HUGGINGFACE_API_KEY') }}; "" if absent
    QString apiKeySecretName;    // NAME when apiKey is {{ secret('NAME') }}, else ""
    QString apiKey;              // the resolved token ("" when unresolved); memory only, never written
    bool apiKeyExplicit = false; // the flow has an apiKey property
    bool endpointExplicit = false; // the flow has an endpoint property
    QString inputsFile;            // absolute path of the file read by {{ read('...') }} in inputs, or ""
    QString inputsReadPath;        // that path as written in read('...'), e.g. my-base64-image.txt
    QStringList notes;             // sentences for the person: default endpoint used, retired endpoint...
};

// A task of the flow that is not an Inference task (or is disabled): listed, not run.
struct KestraSkippedTask
{
    QString id;
    QString type;
    QString reason; // one sentence
};

// Options for writing a flow.
struct KestraExportOptions
{
    QString flowId = QStringLiteral("inference_desk");
    QString flowNamespace = QStringLiteral("company.team");
    QString taskId = QStringLiteral("huggingface_inference");
    // Name of the Kestra secret holding the token: apiKey: "{{ secret('<name>') }}".
    QString secretName = QStringLiteral("HUGGINGFACE_API_KEY");
    // When set, inputs are written as "{{ read('<path>') }}" (a flow imported with read() keeps it).
    QString inputsReadPath;
    // Binary (image/audio) inputs: false embeds the file base64-encoded in `inputs` (the flow runs as
    // is); true writes "{{ read('<file name>.base64') }}" and a comment saying how to create that file.
    bool binaryAsReadFile = false;
};

// Kestra flow YAML <-> requests.
//  - Import: every task of type io.kestra.plugin.huggingface.Inference becomes a KestraTask; other tasks
//    are listed in `skipped`. Expressions: {{ secret('NAME') }} goes through the SecretResolver,
//    {{ read('path') }} reads the file relative to the flow's folder; anything else is an error naming it.
//  - Export: a flow Kestra runs as is, with apiKey "{{ secret('HUGGINGFACE_API_KEY') }}" (never the
//    token), the endpoint written out, non-default options only. Kestra has no task and no route
//    property: a header comment names them, and the flow sends Kestra's per-model form (for text
//    generation on the completions route, the text-generation-inference form to {endpoint}/{model}).
class KestraFlow
{
public:
    // NAME of {{ secret('NAME') }} -> the token, or nullopt when there is none.
    using SecretResolver = std::function<std::optional<QString>(const QString &name)>;

    static QString inferenceType() { return QStringLiteral("io.kestra.plugin.huggingface.Inference"); }
    // Kestra's own default endpoint (retired; a flow without `endpoint` gets the router instead).
    static QString kestraDefaultEndpoint()
    {
        return QStringLiteral("https://api-inference.huggingface.co/models");
    }
    static QString secretExpression(const QString &name = QStringLiteral("HUGGINGFACE_API_KEY"));

    QString id;            // flow id
    QString flowNamespace; // flow namespace
    QString path;          // the file it came from ("" when parsed from memory)
    QList<KestraTask> tasks;
    QList<KestraSkippedTask> skipped;

    const KestraTask *task(const QString &taskId) const;
    QStringList taskIds() const;

    // Reads and parses a flow file. `resolveSecret` may be empty: secret() then leaves apiKey "".
    // On failure: nullopt and *error is a sentence saying what is wrong and what to do.
    static std::optional<KestraFlow> load(const QString &path, const SecretResolver &resolveSecret = {},
                                          QString *error = nullptr);
    // `baseDir` is where read('...') paths are resolved; `sourceName` names the flow in messages.
    static std::optional<KestraFlow> parse(const QByteArray &yaml, const QString &baseDir,
                                           const SecretResolver &resolveSecret = {}, QString *error = nullptr,
                                           const QString &sourceName = QString());

    // One Inference task as a whole flow.
    static QString toFlowYaml(const InferenceRequest &request,
                              const QString &flowId = QStringLiteral("inference_desk"),
                              const QString &flowNamespace = QStringLiteral("company.team"),
                              const QString &taskId = QStringLiteral("huggingface_inference"));
    static QString toFlowYaml(const InferenceRequest &request, const KestraExportOptions &options);
    // This flow's Inference tasks written back (skipped tasks are not written): keeps every property,
    // read() inputs and secret names; the endpoint is always written out.
    QString toYaml() const;

private:
    struct Parser;
};

} // namespace idesk
