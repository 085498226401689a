#pragma once

#include "InferenceRequest.h"
#include "ProviderMapping.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace idesk {

// One `io.kestra.plugin.huggingface.Inference` task of a flow (or a chat / completions core HTTP Request
// task), turned into a request.
struct KestraTask
{
    QString id;                    // the task's id
    InferenceRequest request;      // Inference: no task (Kestra's generic {"inputs": <string>} form); a
                                   // Request: chat-completion, or text-generation on the completions route
    QString apiKeyExpression;      // apiKey (or the Authorization header after "Bearer") as written,
                                   // e.g. {{ secret('HUGGINGFACE_API_KEY') }}; "" if absent
    QString apiKeySecretName;      // NAME when apiKey is {{ secret('NAME') }}, else ""
    QString apiKey;                // the resolved token ("" when unresolved); memory only, never written
    bool apiKeyExplicit = false;   // the flow has an apiKey property (a Request: an Authorization header)
    bool endpointExplicit = false; // the flow has an endpoint property (a Request: always, its uri)
    QString inputsFile;            // absolute path of the file read by {{ read('...') }} in inputs, or ""
    QString inputsReadPath;        // that path as written in read('...'), e.g. my-base64-image.txt
    QStringList notes;             // sentences for the person: default endpoint used, retired endpoint...
    ProviderMappingEntry providerMapping; // a provider's Request task (ProviderFlowTask): its provider and id
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
    // A request with a provider (fal-ai, replicate, ...; ProviderFlowTask): the mapping entry the request
    // was sent with (ProviderJob::choice()), for the provider's id of the model and "auto"'s provider.
    ProviderMappingEntry providerMapping;
};

// Kestra flow YAML <-> requests.
//  - Import: every task of type io.kestra.plugin.huggingface.Inference becomes a KestraTask, and so does
//    a core HTTP Request (io.kestra.plugin.core.http.Request) that POSTs a JSON body to
//    .../v1/chat/completions (a chat-completion request) or .../{model}/v1/completions (text generation
//    on the completions route); other tasks are listed in `skipped`. Expressions: {{ secret('NAME') }}
//    in apiKey or the Authorization header goes through the SecretResolver, anywhere else it reads only
//    SECRET_<NAME> (environmentSecret); {{ read('path') }} reads a regular file inside the flow's folder
//    (links followed, nothing outside it); {% raw %}...{% endraw %} is kept as written; anything else is an
//    error naming it (a Request's body takes raw blocks only). The flow is read under limits (its size, the
//    YAML nodes it expands to, nesting, tasks, text, the files read() takes: KestraLimits.h), each
//    refusal naming the limit and the environment variable that raises it.
//  - Export: a flow Kestra runs as is, the token never written (a Kestra secret, default
//    HUGGINGFACE_API_KEY), the endpoint written out, non-default options only, text with {{ or {% inside
//    a raw block. An Inference task for everything it can send (Kestra has no task property: a header
//    comment names it); chat completions and the completions route, which the Inference task cannot
//    send, as a core HTTP Request with the encoder's URL and JSON body (no "stream"), the Authorization
//    header from the secret, x-use-cache / x-wait-for-model when not the default.
class KestraFlow
{
public:
    // NAME of {{ secret('NAME') }} in apiKey or the Authorization header -> the token, or nullopt when there
    // is none. Empty: secret() is not looked up (importing a flow keeps the expression, not the value).
    using SecretResolver = std::function<std::optional<QString>(const QString &name)>;

    // A secret as Kestra's open-source edition reads it: the environment variable SECRET_<NAME>, its value
    // base64-encoded (a value that is not base64 of text is taken as written); nullopt when unset. No other
    // environment variable is read.
    static std::optional<QString> environmentSecret(const QString &name);

    static QString inferenceType() { return QStringLiteral("io.kestra.plugin.huggingface.Inference"); }
    // Kestra's core HTTP task: chat completions and the completions route are exported as one.
    static QString httpRequestType() { return QStringLiteral("io.kestra.plugin.core.http.Request"); }
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

    // One request as a whole flow (an Inference task, or a core HTTP Request for chat and completions).
    static QString toFlowYaml(const InferenceRequest &request,
                              const QString &flowId = QStringLiteral("inference_desk"),
                              const QString &flowNamespace = QStringLiteral("company.team"),
                              const QString &taskId = QStringLiteral("huggingface_inference"));
    static QString toFlowYaml(const InferenceRequest &request, const KestraExportOptions &options);
    // This flow's tasks written back (skipped tasks are not written): keeps every property,
    // read() inputs and secret names; the endpoint is always written out.
    QString toYaml() const;

private:
    struct Parser;
};

} // namespace idesk
