#pragma once

#include "EncodedRequest.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "ProviderMapping.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace idesk {

// One request to an Inference Provider: the person's request, the mapping entry that says who serves the
// model and under which id, and the bases of the moment (ServiceBases, read once when the call is made).
struct ProviderCall
{
    InferenceRequest request;     // model = the Hub's id; inputs, file, parameters as the person gave them
    ProviderMappingEntry mapping; // provider, providerId, adapter, adapterWeightsPath
    QString router;               // ServiceBases::router(), no trailing slash
    QString hub;                  // ServiceBases::hub(), no trailing slash

    // {router}/{provider}{path}; `path` starts with '/' (and may hold a query).
    QUrl routed(const QString &path) const;
    // The provider's id of the model ("" in the mapping: the Hub's id).
    QString providerId() const { return mapping.providerId.isEmpty() ? request.model : mapping.providerId; }
};

// What to do after one answer of a provider job (ProviderJob follows the steps).
struct ProviderStep
{
    enum class Kind {
        Done,     // `answer` is the result, in the task's official shape (JSON) or a file's bytes
        Poll,     // GET `url` through the router, with the token, after `delayMs`
        Download, // GET `url` WITHOUT the token (a file the provider points at); its bytes are the result
        Fail      // `error` says what went wrong; nothing more is sent
    };
    Kind kind = Kind::Fail;
    QString stage;   // the helper's name for the next answer ("status", "result", ...), given back to next()
    QUrl url;        // Poll, Download
    int delayMs = 0; // Poll
    QString state;   // a person's words for where the job is ("in queue, position 3", "running")
    QByteArray answer;   // Done: the body
    QString contentType; // Done: its MIME type
    QString error;       // Fail

    static ProviderStep done(const QByteArray &body, const QString &contentType);
    static ProviderStep doneJson(const QJsonValue &value);
    static ProviderStep poll(const QUrl &url, const QString &stage, const QString &state, int delayMs);
    static ProviderStep download(const QUrl &url);
    static ProviderStep fail(const QString &error);
};

// How one provider wants a task: the first request (route, headers, body, as the official JavaScript
// client 4.13 sends it; docs/providers.md) and what each answer means. One implementation per provider,
// in a file of its name (FalAi.cpp, Replicate.cpp, ...). Helpers hold no state: a job's state is the stage.
class ProviderHelper
{
public:
    virtual ~ProviderHelper() = default;

    virtual QString name() const = 0;
    // The tasks this helper sends (catalog ids).
    virtual QStringList tasks() const = 0;
    virtual bool supports(const QString &task) const { return tasks().contains(task); }

    // The first request; an empty url and *error (a sentence) when it cannot be made (e.g. an audio type
    // the provider refuses). The token is not in it (InferenceClient adds it where TokenPolicy allows).
    virtual EncodedRequest encode(const ProviderCall &call, QString *error) const = 0;
    // The next step after `answer` (a 2xx answer) to the request of `stage` ("submit" for the first).
    virtual ProviderStep next(const ProviderCall &call, const QString &stage,
                              const InferenceResult &answer) const = 0;

    // The helper of a provider ("" for an unknown one); every provider known, sorted.
    static const ProviderHelper *find(const QString &provider);
    static QStringList providers();
    // The providers whose helper sends `task`.
    static QStringList providersFor(const QString &task);

    // The request hf-inference is sent (HfInference.cpp): at the router's /hf-inference/models unless the
    // person chose an endpoint, with the mapping's id of the model.
    static InferenceRequest hfInferenceRequest(const ProviderCall &call);

    // --- shared pieces of the helpers ---
    // A JSON POST to `url` with the client's headers (Content-Type application/json, User-Agent).
    static EncodedRequest jsonPost(const QUrl &url, const QJsonObject &body);
    // data:{mime};base64,{bytes}
    static QString dataUrl(const QByteArray &bytes, const QString &mimeType);
    // The request's parameters with `renames` applied ({"num_inference_steps": "steps"}).
    static QJsonObject renamed(const QJsonObject &parameters, const QList<QPair<QString, QString>> &renames);
    // The prompt text of a text-input request ("" when the inputs are not a string).
    static QString promptOf(const InferenceRequest &request);
    // The answer's JSON object, or Fail naming the provider and task in *failure.
    static bool answerObject(const InferenceResult &answer, const QString &what, QJsonObject *object,
                             ProviderStep *failure);
    // OpenAI-style image answers (together, nscale): data[0].b64_json (JPEG) or data[0].url.
    static ProviderStep imagesAnswer(const QJsonObject &answer, const QString &what);
    // OpenAI-style embeddings (together, scaleway): data[].embedding -> nested arrays.
    static ProviderStep embeddingsAnswer(const QJsonObject &answer, const QString &what);
    // https://… or http://… (a file the provider points at)
    static bool isFileUrl(const QString &text);
};

} // namespace idesk
