#include "KestraFlow.h"

#include "Duration.h"
#include "KestraTemplate.h"
#include "KestraYaml.h"
#include "ProviderFlowTask.h"
#include "RequestEncoder.h"
#include "TaskCatalog.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariant>
#include <cmath>
#include <yaml-cpp/yaml.h>

// Writing a Kestra flow: KestraFlow::toFlowYaml and toYaml.

namespace idesk {

using namespace kestra;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("KestraFlow", text);
}

bool needsQuotes(const QString &s)
{
    if (s.isEmpty() || resolvePlain(s) != ScalarKind::String)
        return true;
    if (s.contains(QLatin1String("{{")) || s.contains(QLatin1String("{%")))
        return true;
    if (s.at(0).isSpace() || s.at(s.size() - 1).isSpace())
        return true;
    return false;
}

void emitString(YAML::Emitter &out, const QString &s, bool forceQuotes = false)
{
    if (forceQuotes || needsQuotes(s))
        out << YAML::DoubleQuoted << ss(s);
    else
        out << ss(s);
}

QString numberText(const QJsonValue &v)
{
    const QVariant var = v.toVariant();
    if (var.typeId() == QMetaType::LongLong || var.typeId() == QMetaType::Int ||
        var.typeId() == QMetaType::ULongLong)
        return QString::number(var.toLongLong());
    const double d = v.toDouble();
    QString text = QString::number(d, 'g', QLocale::FloatingPointShortest);
    if (std::isfinite(d) && !text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')) &&
        !text.contains(QLatin1Char('n')))
        text += QLatin1String(".0"); // a double stays a double: 1.0, not 1
    return text;
}

void emitJson(YAML::Emitter &out, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out << YAML::Null;
        break;
    case QJsonValue::Bool:
        out << (v.toBool() ? "true" : "false");
        break;
    case QJsonValue::Double:
        out << ss(numberText(v));
        break;
    case QJsonValue::String:
        emitString(out, pebbleLiteral(v.toString())); // a parameter's text, sent as written
        break;
    case QJsonValue::Array: {
        const QJsonArray a = v.toArray();
        if (a.isEmpty()) {
            out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
            break;
        }
        out << YAML::BeginSeq;
        for (const QJsonValue &item : a)
            emitJson(out, item);
        out << YAML::EndSeq;
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        if (o.isEmpty()) {
            out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
            break;
        }
        out << YAML::BeginMap;
        for (auto it = o.begin(); it != o.end(); ++it) {
            out << YAML::Key;
            emitString(out, it.key());
            out << YAML::Value;
            emitJson(out, it.value());
        }
        out << YAML::EndMap;
        break;
    }
    }
}

// options: only the values that differ from Kestra's defaults (the Inference and the core HTTP tasks
// share these keys).
void emitOptions(YAML::Emitter &out, const HttpOptions &o)
{
    const HttpOptions defaults;
    if (o == defaults)
        return;
    out << YAML::Key << "options" << YAML::Value << YAML::BeginMap;
    if (o.connectTimeoutMs != defaults.connectTimeoutMs && o.connectTimeoutMs >= 0)
        out << YAML::Key << "connectTimeout" << YAML::Value << ss(Duration::toIso(o.connectTimeoutMs));
    if (o.readTimeoutMs != defaults.readTimeoutMs)
        out << YAML::Key << "readTimeout" << YAML::Value << ss(Duration::toIso(o.readTimeoutMs));
    if (o.readIdleTimeoutMs != defaults.readIdleTimeoutMs)
        out << YAML::Key << "readIdleTimeout" << YAML::Value << ss(Duration::toIso(o.readIdleTimeoutMs));
    if (o.maxContentLength != defaults.maxContentLength)
        out << YAML::Key << "maxContentLength" << YAML::Value << static_cast<long long>(o.maxContentLength);
    if (o.defaultCharset != defaults.defaultCharset) {
        out << YAML::Key << "defaultCharset" << YAML::Value;
        emitString(out, o.defaultCharset);
    }
    if (o.connectionPoolIdleTimeoutMs != defaults.connectionPoolIdleTimeoutMs)
        out << YAML::Key << "connectionPoolIdleTimeout" << YAML::Value
            << ss(Duration::toIso(o.connectionPoolIdleTimeoutMs));
    out << YAML::EndMap;
}

struct TaskOut
{
    QString taskId;
    QString secretName;
    QString inputsReadPath;
    bool binaryAsReadFile = false;
    ProviderMappingEntry mapping; // a provider request's (ProviderFlowTask)
};

// Writes one task map into `out`; header comments for the person go to *comments.
// Chat completion, and text generation on the completions route, as a core HTTP Request task: the
// Inference task always posts {"inputs", "parameters"} to {endpoint}/{model} and cannot send them.
// False (nothing written) when the request cannot be encoded: the caller writes an Inference task.
bool emitHttpTask(YAML::Emitter &out, const InferenceRequest &request, const TaskOut &t,
                  QStringList *comments)
{
    QString why;
    QString providerNote;
    const QString provider = ProviderFlowTask::providerOf(request, t.mapping);
    const EncodedRequest encoded = provider.isEmpty()
                                       ? RequestEncoder::encode(request, &why)
                                       : ProviderFlowTask::encode(request, t.mapping, &why, &providerNote);
    QJsonParseError parseError;
    QJsonObject body = QJsonDocument::fromJson(encoded.body, &parseError).object();
    if (!encoded.url.isValid() || parseError.error != QJsonParseError::NoError) {
        comments->append(tr("Task %1 cannot be encoded (%2): it is written as an Inference task, which "
                            "does not send chat.")
                             .arg(t.taskId, why));
        return false;
    }
    body.remove(QStringLiteral("stream")); // a flow reads the whole answer

    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value;
    emitString(out, t.taskId);
    out << YAML::Key << "type" << YAML::Value << ss(KestraFlow::httpRequestType());
    if (!provider.isEmpty()) { // read back on import (ProviderFlowTask::target)
        out << YAML::Key << "description" << YAML::Value;
        emitString(out, ProviderFlowTask::description(request, provider));
    }
    out << YAML::Key << "uri" << YAML::Value;
    emitString(out, QString::fromUtf8(encoded.url.toEncoded()));
    out << YAML::Key << "method" << YAML::Value << ss(QString::fromLatin1(encoded.method));
    out << YAML::Key << "contentType" << YAML::Value << "application/json";
    out << YAML::Key << "headers" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "Authorization" << YAML::Value << YAML::DoubleQuoted
        << ss(QStringLiteral("Bearer ") + KestraFlow::secretExpression(t.secretName));
    // The encoder sends both headers always; written only when they differ from the server's default.
    if (!encoded.header("Prefer").isEmpty())
        out << YAML::Key << "Prefer" << YAML::Value << YAML::DoubleQuoted
            << encoded.header("Prefer").toStdString();
    const InferenceRequest defaults;
    if (provider.isEmpty() && request.useCache != defaults.useCache)
        out << YAML::Key << "x-use-cache" << YAML::Value << YAML::DoubleQuoted
            << encoded.header("x-use-cache").toStdString();
    if (provider.isEmpty() && request.waitForModel != defaults.waitForModel)
        out << YAML::Key << "x-wait-for-model" << YAML::Value << YAML::DoubleQuoted
            << encoded.header("x-wait-for-model").toStdString();
    out << YAML::EndMap;
    QString json = QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Indented));
    // Line and paragraph separators (U+2028, U+2029, U+0085) are line breaks to a YAML 1.1 parser such as
    // Kestra's: in the JSON they are written as escapes, which mean the same to the server.
    json.replace(QChar(0x2028), QLatin1String("\\u2028"))
        .replace(QChar(0x2029), QLatin1String("\\u2029"))
        .replace(QChar(0x85), QLatin1String("\\u0085"));
    out << YAML::Key << "body" << YAML::Value << YAML::Literal << ss(pebbleLiteral(json));
    emitOptions(out, request.options);
    out << YAML::EndMap;

    const QString what = !provider.isEmpty()              ? tr("%1 through %2").arg(request.task, provider)
                         : request.usesCompletionsRoute() ? tr("text generation on the completions route")
                                                          : tr("a chat completion");
    if (!providerNote.isEmpty())
        comments->append(tr("Task %1: %2").arg(t.taskId, providerNote));
    if (!provider.isEmpty() && encoded.url.query().contains(QLatin1String("_subdomain=queue")))
        comments->append(tr("Task %1 is queued at %2: its answer is the queue ticket (request_id, "
                            "status_url); the result is fetched from the status URL when it is completed.")
                             .arg(t.taskId, provider));
    comments->append(tr("Task %1 is %2: it is written as a core HTTP Request (%3) because the Hugging "
                        "Face Inference task cannot send it; the answer is in outputs.%1.body.")
                         .arg(t.taskId, what, KestraFlow::httpRequestType()));
    if (request.stream)
        comments->append(tr("Streaming is left out of the flow: Kestra reads the whole answer."));
    return true;
}

// True for the requests Kestra can only send with a core HTTP Request task.
bool needsHttpTask(const InferenceRequest &request, const TaskOut &t)
{
    const TaskSpec *spec = TaskCatalog::instance().task(request.task);
    return (spec && spec->inputKind == InputKind::Chat) || request.usesCompletionsRoute() ||
           !ProviderFlowTask::providerOf(request, t.mapping).isEmpty();
}

void emitTask(YAML::Emitter &out, const InferenceRequest &request, const TaskOut &t, QStringList *comments)
{
    if (needsHttpTask(request, t) && emitHttpTask(out, request, t, comments))
        return;
    if (request.provider == QLatin1String("auto") && !request.task.isEmpty())
        comments->append(tr("Task %1 asks for provider auto, which is chosen when sent: it is written as an "
                            "Inference task (hf-inference). Choose a provider to export its own request.")
                             .arg(t.taskId));
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value;
    emitString(out, t.taskId);
    out << YAML::Key << "type" << YAML::Value << ss(KestraFlow::inferenceType());
    out << YAML::Key << "model" << YAML::Value;
    emitString(out, request.model);
    out << YAML::Key << "apiKey" << YAML::Value << YAML::DoubleQuoted
        << ss(KestraFlow::secretExpression(t.secretName));

    // inputs: Kestra sends a string.
    QString inputs;
    bool inputsIsExpression = false; // a read() written on purpose
    if (!t.inputsReadPath.isEmpty()) {
        inputs = QStringLiteral("{{ read('%1') }}").arg(t.inputsReadPath);
        inputsIsExpression = true;
    } else if (!request.file.isEmpty()) {
        const QString base64 = QString::fromLatin1(request.file.bytes.toBase64());
        const bool withJson = request.inputs.isObject();
        if (t.binaryAsReadFile && !withJson) {
            const QString name = (request.file.path.isEmpty() ? QStringLiteral("input")
                                                              : QFileInfo(request.file.path).fileName()) +
                                 QStringLiteral(".base64");
            inputs = QStringLiteral("{{ read('%1') }}").arg(name);
            inputsIsExpression = true;
            comments->append(
                tr("Kestra sends inputs as text: create %1 next to the flow (namespace files) with "
                   "`base64 -w0 %2 > %1`.")
                    .arg(name, request.file.path.isEmpty() ? QStringLiteral("FILE") : request.file.path));
        } else if (withJson) {
            QJsonObject o = request.inputs.toObject();
            o.insert(QStringLiteral("image"), base64);
            inputs = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
            comments->append(
                tr("Kestra sends inputs as one string: the JSON inputs with the base64 image are "
                   "written as text."));
        } else {
            inputs = base64;
            comments->append(
                tr("The %1 input is embedded base64-encoded in inputs, as Kestra sends it.")
                    .arg(request.file.mimeType.isEmpty() ? tr("binary") : request.file.mimeType));
        }
    } else if (request.inputs.isString()) {
        inputs = request.inputs.toString();
    } else if (request.inputs.isObject() || request.inputs.isArray()) {
        inputs =
            QString::fromUtf8(request.inputs.isObject()
                                  ? QJsonDocument(request.inputs.toObject()).toJson(QJsonDocument::Compact)
                                  : QJsonDocument(request.inputs.toArray()).toJson(QJsonDocument::Compact));
        comments->append(tr("Kestra sends inputs as one string: the JSON inputs are written as text."));
    } else if (request.inputs.isDouble() || request.inputs.isBool()) {
        inputs = request.inputs.isBool()
                     ? (request.inputs.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                     : numberText(request.inputs);
    }
    if (!inputsIsExpression)
        inputs = pebbleLiteral(inputs); // Kestra would render {{ ... }} typed in the text
    out << YAML::Key << "inputs" << YAML::Value << YAML::DoubleQuoted << ss(inputs);

    if (!request.parameters.isEmpty()) {
        out << YAML::Key << "parameters" << YAML::Value;
        emitJson(out, request.parameters);
    }
    out << YAML::Key << "endpoint" << YAML::Value;
    emitString(out, request.endpoint);
    out << YAML::Key << "useCache" << YAML::Value << (request.useCache ? "true" : "false");
    out << YAML::Key << "waitForModel" << YAML::Value << (request.waitForModel ? "true" : "false");

    emitOptions(out, request.options);
    const QUrl sent = RequestEncoder::encode(request).url;
    const QString kestraUrl = request.endpoint + QLatin1Char('/') + request.model;
    if (request.usesCompletionsRoute())
        comments->append(
            tr("Route completions (Kestra has no route property): this flow sends the "
               "text-generation-inference form {\"inputs\", \"parameters\"} to %1, which "
               "text-generation-inference servers and dedicated Inference Endpoints accept; Inference Desk "
               "sends {\"model\", \"prompt\", \"max_tokens\", ...} to %2.")
                .arg(kestraUrl,
                     sent.isValid() ? sent.toString() : kestraUrl + QStringLiteral("/v1/completions")));
    else if (sent.isValid() && sent.toString() != kestraUrl)
        comments->append(
            tr("Kestra posts to %1; Inference Desk sends this request to %2, which a Kestra flow "
               "cannot express.")
                .arg(kestraUrl, sent.toString()));
    if (!request.task.isEmpty())
        comments->append(
            tr("Task %1 (Kestra has no task property; it sends the generic {\"inputs\": ...} form).")
                .arg(request.task));
    out << YAML::EndMap;
}

QString writeFlow(const QString &flowId, const QString &ns,
                  const QList<QPair<const InferenceRequest *, TaskOut>> &tasks)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    out.SetMapFormat(YAML::Block);
    out.SetBoolFormat(YAML::TrueFalseBool);
    QStringList comments;
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value;
    emitString(out, flowId);
    out << YAML::Key << "namespace" << YAML::Value;
    emitString(out, ns);
    out << YAML::Key << "tasks" << YAML::Value << YAML::BeginSeq;
    bool httpTasks = false;
    for (const auto &t : tasks) {
        httpTasks = httpTasks || needsHttpTask(*t.first, t.second);
        emitTask(out, *t.first, t.second, &comments);
    }
    out << YAML::EndSeq << YAML::EndMap;

    QString text;
    comments.removeDuplicates();
    text +=
        QStringLiteral("# ") +
        (httpTasks ? tr("Kestra flow written by Inference Desk. The token comes from the Kestra secret named "
                        "in apiKey or in the Authorization header, never from the flow itself.")
                   : tr("Kestra flow written by Inference Desk. The token comes from the Kestra secret named "
                        "in apiKey.")) +
        QLatin1Char('\n');
    for (const QString &c : comments)
        text += QStringLiteral("# ") + c + QLatin1Char('\n');
    QString body = QString::fromUtf8(out.c_str());
    body.replace(QStringLiteral("\ntasks:\n"), QStringLiteral("\n\ntasks:\n")); // as Kestra's examples
    text += body;
    if (!text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    return text;
}

} // namespace

QString KestraFlow::secretExpression(const QString &name)
{
    return QStringLiteral("{{ secret('%1') }}").arg(name);
}

QString KestraFlow::toFlowYaml(const InferenceRequest &request, const QString &flowId,
                               const QString &flowNamespace, const QString &taskId)
{
    KestraExportOptions options;
    options.flowId = flowId;
    options.flowNamespace = flowNamespace;
    options.taskId = taskId;
    return toFlowYaml(request, options);
}

QString KestraFlow::toFlowYaml(const InferenceRequest &request, const KestraExportOptions &options)
{
    TaskOut t;
    t.taskId = options.taskId;
    t.secretName = options.secretName.isEmpty() ? QStringLiteral("HUGGINGFACE_API_KEY") : options.secretName;
    t.inputsReadPath = options.inputsReadPath;
    t.binaryAsReadFile = options.binaryAsReadFile;
    t.mapping = options.providerMapping;
    return writeFlow(options.flowId, options.flowNamespace, {{&request, t}});
}

QString KestraFlow::toYaml() const
{
    QList<QPair<const InferenceRequest *, TaskOut>> list;
    for (const KestraTask &task : tasks) {
        TaskOut t;
        t.taskId = task.id;
        t.secretName =
            task.apiKeySecretName.isEmpty() ? QStringLiteral("HUGGINGFACE_API_KEY") : task.apiKeySecretName;
        t.inputsReadPath = task.inputsReadPath;
        t.mapping = task.providerMapping;
        list.append({&task.request, t});
    }
    return writeFlow(id.isEmpty() ? QStringLiteral("inference_desk") : id,
                     flowNamespace.isEmpty() ? QStringLiteral("company.team") : flowNamespace, list);
}

} // namespace idesk
