#include "KestraFlow.h"

#include "ChatCompletion.h"
#include "Duration.h"
#include "KestraTemplate.h"
#include "KestraYaml.h"
#include "LocalFile.h"
#include "ProviderFlowTask.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUrl>
#include <yaml-cpp/yaml.h>

// Reading a Kestra flow: KestraFlow::load and parse, a flow's tasks -> requests.

namespace idesk {

using namespace kestra;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("KestraFlow", text);
}

const QSet<QString> &taskProperties()
{
    static const QSet<QString> known = {
        QStringLiteral("id"), QStringLiteral("type"), QStringLiteral("apiKey"), QStringLiteral("model"),
        QStringLiteral("inputs"), QStringLiteral("parameters"), QStringLiteral("endpoint"),
        QStringLiteral("useCache"), QStringLiteral("waitForModel"), QStringLiteral("options"),
        QStringLiteral("disabled"),
        // Kestra's core task properties: meaningful to Kestra, not to a single request
        QStringLiteral("description"), QStringLiteral("timeout"), QStringLiteral("retry"),
        QStringLiteral("allowFailure"), QStringLiteral("allowWarning"), QStringLiteral("logLevel"),
        QStringLiteral("logToFile"), QStringLiteral("workerGroup"), QStringLiteral("runIf"),
        QStringLiteral("taskCache"), QStringLiteral("version")};
    return known;
}

} // namespace

struct KestraFlow::Parser
{
    Parser(const QString &baseDir, const QString &sourceName, const SecretResolver &resolveSecret,
           const Limits &flowLimits)
        : source(sourceName), limits(flowLimits),
          renderer(baseDir, sourceName, flowLimits, resolveSecret, &error)
    {
    }

    QString source; // how the flow is named in messages
    Limits limits;
    QString error;
    TemplateRenderer renderer;
    KestraFlow flow;

    bool fail(const QString &message)
    {
        if (error.isEmpty())
            error = message;
        return false;
    }

    // Renders the {{ ... }} expressions of `text` (see TemplateRenderer::render).
    std::optional<QString> render(const QString &text, const QString &taskId, const QString &property,
                                  KestraTask *task, QString *readPath = nullptr,
                                  QString *secretName = nullptr)
    {
        return renderer.render(text, taskId, property, task, readPath, secretName);
    }

    // A YAML scalar/sequence/map -> JSON, typed as Kestra's Jackson parser would type it; strings rendered.
    std::optional<QJsonValue> toJson(const YAML::Node &node, const QString &taskId, const QString &property,
                                     KestraTask *task)
    {
        const auto value = kestra::toJson(
            node, property,
            [&](const QString &text, const QString &where) { return render(text, taskId, where, task); },
            limits.maxDepth, &error);
        if (!value && error.isEmpty())
            fail(tr("Task '%1' in %2: %3 could not be read.").arg(taskId, source, property));
        return value;
    }

    std::optional<QString> scalarText(const YAML::Node &node, const QString &taskId, const QString &property,
                                      KestraTask *task, QString *readPath = nullptr,
                                      QString *secretName = nullptr)
    {
        if (!node.IsScalar()) {
            fail(tr("Task '%1' in %2: %3 (line %4) must be a single value, not a list or a map.")
                     .arg(taskId, source, property)
                     .arg(lineOf(node)));
            return std::nullopt;
        }
        return render(qs(node.Scalar()), taskId, property, task, readPath, secretName);
    }

    std::optional<bool> boolProperty(const YAML::Node &node, const QString &taskId, const QString &property,
                                     KestraTask *task)
    {
        const auto text = scalarText(node, taskId, property, task);
        if (!text)
            return std::nullopt;
        const QString v = text->trimmed();
        if (v.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            return true;
        if (v.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
            return false;
        bool b = false;
        if (!isQuoted(node) && isYamlBool(v, &b))
            return b;
        fail(tr("Task '%1' in %2: %3 (line %4) must be true or false, not '%5'.")
                 .arg(taskId, source, property)
                 .arg(lineOf(node))
                 .arg(v));
        return std::nullopt;
    }

    bool parseOptions(const YAML::Node &node, KestraTask *task)
    {
        if (!node.IsMap()) {
            if (node.IsNull())
                return true;
            return fail(tr("Task '%1' in %2: options (line %3) must be a map such as `readTimeout: PT30S`.")
                            .arg(task->id, source)
                            .arg(lineOf(node)));
        }
        HttpOptions &o = task->request.options;
        for (const auto &kv : node) {
            const QString key = qs(kv.first.Scalar());
            const QString property = QStringLiteral("options.") + key;
            auto text = scalarText(kv.second, task->id, property, task);
            if (!text)
                return false;
            const QString value = text->trimmed();
            qint64 *duration = nullptr;
            if (key == QLatin1String("connectTimeout"))
                duration = &o.connectTimeoutMs;
            else if (key == QLatin1String("readTimeout"))
                duration = &o.readTimeoutMs;
            else if (key == QLatin1String("readIdleTimeout"))
                duration = &o.readIdleTimeoutMs;
            else if (key == QLatin1String("connectionPoolIdleTimeout"))
                duration = &o.connectionPoolIdleTimeoutMs;
            if (duration) {
                if (kv.second.IsNull() || value.isEmpty())
                    continue;
                QString why;
                // A timeout of zero is refused as the CLI refuses it (it is not "no limit"); the pool's
                // idle time may be zero (no pooling).
                const bool timeout = duration != &o.connectionPoolIdleTimeoutMs;
                const auto ms = timeout ? Duration::parseTimeout(value, &why) : Duration::parse(value, &why);
                if (!ms)
                    return fail(tr("Task '%1' in %2: %3 (line %4): %5")
                                    .arg(task->id, source, property)
                                    .arg(lineOf(kv.second))
                                    .arg(why));
                *duration = *ms;
            } else if (key == QLatin1String("maxContentLength")) {
                bool ok = false;
                const qlonglong n = value.toLongLong(&ok);
                if (!ok || n <= 0)
                    return fail(
                        tr("Task '%1' in %2: options.maxContentLength (line %3) must be a number of bytes "
                           "such as 10485760, not '%4'.")
                            .arg(task->id, source)
                            .arg(lineOf(kv.second))
                            .arg(value));
                o.maxContentLength = n;
            } else if (key == QLatin1String("defaultCharset")) {
                if (!value.isEmpty())
                    o.defaultCharset = value;
            } else {
                task->notes << tr("Option %1 of task '%2' is not used by Inference Desk and was ignored.")
                                   .arg(key, task->id);
            }
        }
        return true;
    }

    bool parseInference(const YAML::Node &node, const QString &taskId)
    {
        KestraTask task;
        task.id = taskId;
        InferenceRequest &r = task.request;

        for (const auto &kv : node) {
            const QString key = qs(kv.first.Scalar());
            if (!taskProperties().contains(key))
                task.notes << tr("Property %1 of task '%2' is not a property of the Inference task and was "
                                 "ignored.")
                                  .arg(key, taskId);
        }

        if (const YAML::Node disabled = node["disabled"]; disabled && disabled.IsScalar()) {
            bool b = false;
            if (isYamlBool(qs(disabled.Scalar()), &b) && b) {
                flow.skipped.append({taskId, KestraFlow::inferenceType(), tr("disabled in the flow")});
                return true;
            }
        }

        const YAML::Node model = node["model"];
        if (!model || model.IsNull() || (model.IsScalar() && model.Scalar().empty()))
            return fail(tr("Task '%1' in %2 (line %3) has no model: add `model: <model id>`, e.g. "
                           "`model: cardiffnlp/twitter-roberta-base-sentiment-latest`.")
                            .arg(taskId, source)
                            .arg(lineOf(node)));
        const auto modelText = scalarText(model, taskId, QStringLiteral("model"), &task);
        if (!modelText)
            return false;
        r.model = modelText->trimmed();

        const YAML::Node inputs = node["inputs"];
        if (!inputs || inputs.IsNull())
            return fail(tr("Task '%1' in %2 (line %3) has no inputs: add `inputs: \"your text\"` (or "
                           "`inputs: \"{{ read('file.txt') }}\"`).")
                            .arg(taskId, source)
                            .arg(lineOf(node)));
        if (inputs.IsScalar()) {
            const auto text =
                scalarText(inputs, taskId, QStringLiteral("inputs"), &task, &task.inputsReadPath);
            if (!text)
                return false;
            r.inputs = *text;
        } else {
            // Kestra renders inputs as a string; a YAML map/list here becomes its JSON text.
            const auto v = toJson(inputs, taskId, QStringLiteral("inputs"), &task);
            if (!v)
                return false;
            r.inputs =
                QString::fromUtf8(v->isObject() ? QJsonDocument(v->toObject()).toJson(QJsonDocument::Compact)
                                                : QJsonDocument(v->toArray()).toJson(QJsonDocument::Compact));
            task.notes
                << tr("Inputs of task '%1' are a YAML structure: Kestra sends them as one string, and so "
                      "does Inference Desk.")
                       .arg(taskId);
        }

        if (const YAML::Node apiKey = node["apiKey"]; apiKey && !apiKey.IsNull()) {
            task.apiKeyExplicit = true;
            if (apiKey.IsScalar())
                task.apiKeyExpression = qs(apiKey.Scalar());
            const auto key =
                scalarText(apiKey, taskId, QStringLiteral("apiKey"), &task, nullptr, &task.apiKeySecretName);
            if (!key)
                return false;
            task.apiKey = key->trimmed();
            if (!task.apiKeyExpression.contains(QLatin1String("{{")))
                task.apiKeyExpression.clear(); // a literal token is used, never kept as "the expression"
        } else {
            task.notes << tr("Task '%1' has no apiKey: the stored token (or HF_TOKEN) is used.").arg(taskId);
        }

        if (const YAML::Node parameters = node["parameters"]; parameters && !parameters.IsNull()) {
            if (!parameters.IsMap())
                return fail(tr("Task '%1' in %2: parameters (line %3) must be a map of name: value, e.g. "
                               "`top_k: 3`.")
                                .arg(taskId, source)
                                .arg(lineOf(parameters)));
            const auto v = toJson(parameters, taskId, QStringLiteral("parameters"), &task);
            if (!v)
                return false;
            r.parameters = v->toObject();
        }

        if (const YAML::Node endpoint = node["endpoint"]; endpoint && !endpoint.IsNull()) {
            task.endpointExplicit = true;
            const auto text = scalarText(endpoint, taskId, QStringLiteral("endpoint"), &task);
            if (!text)
                return false;
            r.endpoint = text->trimmed();
            while (r.endpoint.endsWith(QLatin1Char('/')))
                r.endpoint.chop(1);
            if (r.usesRetiredEndpoint())
                task.notes
                    << tr("Task '%1' uses the retired endpoint %2, which no longer answers: use %3 instead.")
                           .arg(taskId, r.endpoint, InferenceRequest::migratedEndpoint(r.endpoint));
        } else {
            r.endpoint = InferenceRequest::defaultEndpoint();
            task.notes << tr("Task '%1' has no endpoint: Kestra's default (%2) is retired, so %3 is used.")
                              .arg(taskId, KestraFlow::kestraDefaultEndpoint(),
                                   InferenceRequest::defaultEndpoint());
        }

        if (const YAML::Node useCache = node["useCache"]; useCache && !useCache.IsNull()) {
            const auto b = boolProperty(useCache, taskId, QStringLiteral("useCache"), &task);
            if (!b)
                return false;
            r.useCache = *b;
        }
        if (const YAML::Node wait = node["waitForModel"]; wait && !wait.IsNull()) {
            const auto b = boolProperty(wait, taskId, QStringLiteral("waitForModel"), &task);
            if (!b)
                return false;
            r.waitForModel = *b;
        }
        if (const YAML::Node options = node["options"]; options && !parseOptions(options, &task))
            return false;

        flow.tasks.append(task);
        return true;
    }

    // The text of a core HTTP Request's body: {% raw %} blocks as written; any other expression refused,
    // as the body is sent as written.
    std::optional<QString> literalBody(const YAML::Node &node, const QString &taskId)
    {
        if (!node.IsScalar()) {
            fail(tr("Task '%1' in %2: body (line %3) must be the JSON text of the request, e.g. `body: |` "
                    "followed by the JSON.")
                     .arg(taskId, source)
                     .arg(lineOf(node)));
            return std::nullopt;
        }
        QString text;
        for (const PebblePiece &piece : splitRaw(qs(node.Scalar()))) {
            if (!piece.literal) {
                const auto m = pebbleExpression().match(piece.text);
                if (m.hasMatch()) {
                    fail(tr("Task '%1' in %2 uses the expression %3 in its body, which Inference Desk cannot "
                            "evaluate: write the value itself, or put text that must stay as written inside "
                            "{% raw %}...{% endraw %}.")
                             .arg(taskId, source, m.captured(0).simplified()));
                    return std::nullopt;
                }
            }
            text += piece.text;
        }
        return text;
    }

    // A core HTTP Request task that posts JSON to .../v1/chat/completions or .../v1/completions (as the
    // export writes them) becomes a chat-completion or completions-route request; any other is skipped.
    bool parseHttpRequest(const YAML::Node &node, const QString &taskId)
    {
        auto skip = [&](const QString &reason) {
            flow.skipped.append({taskId, KestraFlow::httpRequestType(), reason});
            return true;
        };
        if (const YAML::Node disabled = node["disabled"]; disabled && disabled.IsScalar()) {
            bool b = false;
            if (isYamlBool(qs(disabled.Scalar()), &b) && b)
                return skip(tr("disabled in the flow"));
        }
        const YAML::Node uriNode = node["uri"];
        const QString uri = uriNode && uriNode.IsScalar() ? qs(uriNode.Scalar()).trimmed() : QString();
        const YAML::Node methodNode = node["method"];
        const QString method = methodNode && methodNode.IsScalar()
                                   ? qs(methodNode.Scalar()).trimmed().toUpper()
                                   : QStringLiteral("GET");
        const QUrl url(uri, QUrl::StrictMode);
        const QString path = url.path();
        const bool chat = path.endsWith(QLatin1String("/v1/chat/completions"));
        const bool completions = !chat && path.endsWith(QLatin1String("/v1/completions"));
        // A provider's request as the export writes it (ProviderFlowTask): its uri and description.
        const YAML::Node about = node["description"];
        const auto provider = chat || completions || !about || !about.IsScalar()
                                  ? std::nullopt
                                  : ProviderFlowTask::target(url, qs(about.Scalar()));
        if (hasPebble(uri) || !url.isValid() || url.host().isEmpty() ||
            (!chat && !completions && !provider) || method != QLatin1String("POST") || !node["body"])
            return skip(tr("not a POST of JSON to a chat completions or completions URL"));

        if (taskId.isEmpty())
            return fail(tr("A core HTTP Request task in %1 (line %2) has no id: add `id: my_task`.")
                            .arg(source)
                            .arg(lineOf(node)));
        KestraTask task;
        task.id = taskId;
        task.endpointExplicit = true;
        InferenceRequest &r = task.request;
        static const QSet<QString> known = {QStringLiteral("uri"),         QStringLiteral("method"),
                                            QStringLiteral("contentType"), QStringLiteral("headers"),
                                            QStringLiteral("body"),        QStringLiteral("options")};
        for (const auto &kv : node) {
            const QString key = qs(kv.first.Scalar());
            if (!known.contains(key) && !taskProperties().contains(key))
                task.notes << tr("Property %1 of task '%2' is not used by Inference Desk and was ignored.")
                                  .arg(key, taskId);
        }
        if (const YAML::Node type = node["contentType"];
            type && type.IsScalar() &&
            !qs(type.Scalar()).trimmed().startsWith(QLatin1String("application/json")))
            task.notes << tr("Task '%1' declares contentType %2; Inference Desk sends its body as "
                             "application/json.")
                              .arg(taskId, qs(type.Scalar()));

        const auto text = literalBody(node["body"], taskId);
        if (!text)
            return false;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(text->toUtf8(), &parseError);
        if (!doc.isObject())
            return fail(tr("Task '%1' in %2: the body (line %3) is not a JSON object (%4). Write the request "
                           "as JSON, e.g. {\"model\": \"...\", \"messages\": [...]}.")
                            .arg(taskId, source)
                            .arg(lineOf(node["body"]))
                            .arg(parseError.error == QJsonParseError::NoError ? tr("not an object")
                                                                              : parseError.errorString()));
        QJsonObject body = doc.object();
        QString providerWhy;
        if (provider &&
            !ProviderFlowTask::requestFrom(*provider, body, &r, &task.providerMapping, &providerWhy))
            return fail(tr("Task '%1' in %2: %3.").arg(taskId, source, providerWhy));
        if (!provider)
            r.model = body.value(QStringLiteral("model")).toString().trimmed();
        if (r.model.isEmpty())
            return fail(tr("Task '%1' in %2: the body (line %3) has no \"model\": add \"model\": "
                           "\"<model id>\".")
                            .arg(taskId, source)
                            .arg(lineOf(node["body"])));
        if (body.value(QStringLiteral("stream")).toBool())
            task.notes << tr("Task '%1' asks for a stream: Inference Desk reads the whole answer, as Kestra "
                             "does.")
                              .arg(taskId);
        body.remove(QStringLiteral("stream"));
        body.remove(QStringLiteral("model"));

        // The endpoint: the inverse of ChatCompletion::chatUrl / completionUrl.
        const QString modelPath =
            QLatin1Char('/') +
            QString::fromLatin1(QUrl::toPercentEncoding(ChatCompletion::modelIdOf(r.model), "/"));
        QString prefix = QString::fromUtf8(url.toEncoded(QUrl::RemoveQuery | QUrl::RemoveFragment));
        prefix.chop(chat ? QStringLiteral("/v1/chat/completions").size()
                         : QStringLiteral("/v1/completions").size());
        if (provider) {
            // read above (ProviderFlowTask::requestFrom); the router is the one of the moment (ServiceBases)
        } else if (chat) {
            r.task = ChatCompletion::taskId();
            const QString base =
                prefix.endsWith(modelPath) ? prefix.left(prefix.size() - modelPath.size()) : QString();
            // {base}/{model}/v1/chat/completions is the per-model layout of an endpoint ending in /models
            r.endpoint = !base.isEmpty() && QUrl(base).path().endsWith(QLatin1String("/models")) &&
                                 base != InferenceRequest::defaultEndpoint()
                             ? base
                             : prefix;
            const QJsonValue messages = body.take(QStringLiteral("messages"));
            QString why;
            if (ChatCompletion::messagesFrom(messages, &why).isEmpty())
                return fail(tr("Task '%1' in %2: the body's \"messages\" cannot be sent: %3")
                                .arg(taskId, source, why));
            r.inputs = messages;
            r.parameters = body;
        } else {
            if (!prefix.endsWith(modelPath))
                return skip(tr("its uri does not end in /<model>/v1/completions, the only completions route "
                               "Inference Desk sends"));
            r.task = QStringLiteral("text-generation");
            r.route = TextGenerationRoute::Completions;
            r.endpoint = prefix.left(prefix.size() - modelPath.size());
            const QJsonValue prompt = body.take(QStringLiteral("prompt"));
            if (!prompt.isString() || prompt.toString().isEmpty())
                return fail(tr("Task '%1' in %2: the body has no \"prompt\" text: add \"prompt\": \"...\".")
                                .arg(taskId, source));
            r.inputs = prompt;
            // the inverse of ChatCompletion::completionParameters
            if (body.contains(QStringLiteral("max_tokens")))
                body.insert(QStringLiteral("max_new_tokens"), body.take(QStringLiteral("max_tokens")));
            if (body.contains(QStringLiteral("echo")))
                body.insert(QStringLiteral("return_full_text"), body.take(QStringLiteral("echo")));
            r.parameters = body;
        }

        const YAML::Node headers = node["headers"];
        if (headers && headers.IsMap()) {
            for (const auto &kv : headers) {
                const QString name = qs(kv.first.Scalar());
                const QString property = QStringLiteral("headers.") + name;
                if (name.compare(QLatin1String("Authorization"), Qt::CaseInsensitive) == 0) {
                    const QString written =
                        kv.second.IsScalar() ? qs(kv.second.Scalar()).trimmed() : QString();
                    if (!written.startsWith(QLatin1String("Bearer "), Qt::CaseInsensitive))
                        return fail(tr("Task '%1' in %2: the Authorization header (line %3) must be "
                                       "\"Bearer {{ secret('HUGGINGFACE_API_KEY') }}\".")
                                        .arg(taskId, source)
                                        .arg(lineOf(kv.second)));
                    const QString expression = written.mid(7).trimmed();
                    task.apiKeyExplicit = true;
                    const auto key =
                        render(expression, taskId, property, &task, nullptr, &task.apiKeySecretName);
                    if (!key)
                        return false;
                    task.apiKey = key->trimmed();
                    task.apiKeyExpression = expression.contains(QLatin1String("{{")) ? expression : QString();
                } else if (name.compare(QLatin1String("x-use-cache"), Qt::CaseInsensitive) == 0) {
                    const auto b = boolProperty(kv.second, taskId, property, &task);
                    if (!b)
                        return false;
                    r.useCache = *b;
                } else if (name.compare(QLatin1String("x-wait-for-model"), Qt::CaseInsensitive) == 0) {
                    const auto b = boolProperty(kv.second, taskId, property, &task);
                    if (!b)
                        return false;
                    r.waitForModel = *b;
                } else if (name.compare(QLatin1String("Content-Type"), Qt::CaseInsensitive) != 0 &&
                           !(provider && name.compare(QLatin1String("Prefer"), Qt::CaseInsensitive) == 0)) {
                    task.notes
                        << tr("Header %1 of task '%2' is not sent by Inference Desk.").arg(name, taskId);
                }
            }
        }
        if (!task.apiKeyExplicit)
            task.notes << tr("Task '%1' has no Authorization header: the stored token (or HF_TOKEN) is used.")
                              .arg(taskId);
        if (const YAML::Node options = node["options"]; options && !parseOptions(options, &task))
            return false;
        flow.tasks.append(task);
        return true;
    }

    // A ForEach over a list of values (a batch exported by Inference Desk): its tasks once per value, with
    // {{ taskrun.value }} standing for it, the task ids numbered (`infer_1`, `infer_2`, ...).
    bool walkForEach(const YAML::Node &node, const QString &id)
    {
        int n = 0;
        for (const YAML::Node &v : node["values"]) {
            const auto value = scalarText(v, id, QStringLiteral("values"), nullptr);
            if (!value)
                return false;
            const qsizetype before = flow.tasks.size();
            renderer.setVariables({{QStringLiteral("taskrun.value"), *value}});
            const bool ok = walkTasks(node["tasks"]);
            renderer.setVariables({});
            if (!ok)
                return false;
            ++n;
            for (qsizetype i = before; i < flow.tasks.size(); ++i)
                flow.tasks[i].id += QStringLiteral("_%1").arg(n);
        }
        return true;
    }

    bool walkTasks(const YAML::Node &list)
    {
        if (!list.IsSequence())
            return true;
        for (const YAML::Node &node : list) {
            if (!node.IsMap())
                continue;
            if (flow.tasks.size() + flow.skipped.size() >= limits.maxTasks)
                return fail(tr("%1 is refused: it has more than %2 tasks (line %3). %4")
                                .arg(source)
                                .arg(limits.maxTasks)
                                .arg(lineOf(node))
                                .arg(raiseHint("IDESK_FLOW_MAX_TASKS", limits.maxTasks)));
            const QString id = node["id"] && node["id"].IsScalar() ? qs(node["id"].Scalar()) : QString();
            const QString type =
                node["type"] && node["type"].IsScalar() ? qs(node["type"].Scalar()) : QString();
            if (type == KestraFlow::inferenceType()) {
                if (id.isEmpty())
                    return fail(tr("An Inference task in %1 (line %2) has no id: add `id: my_task`.")
                                    .arg(source)
                                    .arg(lineOf(node)));
                if (!parseInference(node, id))
                    return false;
                continue;
            }
            if (type == KestraFlow::httpRequestType()) {
                if (!parseHttpRequest(node, id))
                    return false;
                continue;
            }
            if (!type.contains(QLatin1Char('.')))
                continue; // not a task (tasks have fully qualified types): some property's list of maps
            if (type == QLatin1String("io.kestra.plugin.core.flow.ForEach") && node["values"] &&
                node["values"].IsSequence() && node["tasks"]) {
                if (!walkForEach(node, id))
                    return false;
                continue;
            }
            flow.skipped.append({id, type, tr("not a Hugging Face Inference task")});
            // Flowable tasks (Sequential, Parallel, If, Switch...) hold tasks of their own.
            for (const auto &kv : node) {
                if (kv.second.IsSequence()) {
                    if (!walkTasks(kv.second))
                        return false;
                } else if (kv.second.IsMap() && kv.first.Scalar() == "cases") {
                    for (const auto &c : kv.second)
                        if (!walkTasks(c.second))
                            return false;
                }
            }
        }
        return true;
    }

    bool run(const QByteArray &yaml)
    {
        const auto loaded = loadYaml(yaml, limits, source, &error);
        if (!loaded)
            return false;
        const YAML::Node &root = *loaded;
        if (!root.IsMap())
            return fail(tr("%1 is not a Kestra flow: a flow is a YAML map with id, namespace and tasks.")
                            .arg(source));
        try {
            if (root["id"] && root["id"].IsScalar())
                flow.id = qs(root["id"].Scalar());
            if (root["namespace"] && root["namespace"].IsScalar())
                flow.flowNamespace = qs(root["namespace"].Scalar());
            for (const char *key : {"tasks", "errors", "finally", "afterExecution"})
                if (root[key] && !walkTasks(root[key]))
                    return false;
        } catch (const YAML::Exception &e) {
            return fail(tr("%1 could not be read as a Kestra flow: %2 (line %3).")
                            .arg(source, qs(e.msg))
                            .arg(e.mark.line + 1));
        }
        if (flow.tasks.isEmpty()) {
            QStringList found;
            for (const KestraSkippedTask &s : flow.skipped)
                found << QStringLiteral("%1 (%2)").arg(s.id, s.type);
            return fail(tr("%1 has no task of type %2%3. Use a flow with a Hugging Face Inference task (or a "
                           "core HTTP Request posting to a chat completions URL).")
                            .arg(source, KestraFlow::inferenceType(),
                                 found.isEmpty() ? QString()
                                                 : tr(" (found: %1)").arg(found.join(QLatin1String(", ")))));
        }
        return true;
    }
};

std::optional<KestraFlow> KestraFlow::load(const QString &path, const SecretResolver &resolveSecret,
                                           QString *error)
{
    // A path to /dev/zero, a FIFO or a huge file is refused before anything is read.
    const Limits limits = Limits::current();
    QString why;
    const auto bytes = LocalFile::read(path, limits.maxFlowBytes, &why,
                                       raiseHint("IDESK_FLOW_MAX_BYTES", limits.maxFlowBytes));
    if (!bytes) {
        if (error)
            *error = tr("The flow file cannot be read: %1").arg(why);
        return std::nullopt;
    }
    auto flow =
        parse(*bytes, QFileInfo(path).absolutePath(), resolveSecret, error, QDir::toNativeSeparators(path));
    if (flow)
        flow->path = QFileInfo(path).absoluteFilePath();
    return flow;
}

std::optional<KestraFlow> KestraFlow::parse(const QByteArray &yaml, const QString &baseDir,
                                            const SecretResolver &resolveSecret, QString *error,
                                            const QString &sourceName)
{
    Parser p(baseDir.isEmpty() ? QDir::currentPath() : baseDir,
             sourceName.isEmpty() ? tr("The flow") : sourceName, resolveSecret, Limits::current());
    if (!p.run(yaml)) {
        if (error)
            *error = p.error;
        return std::nullopt;
    }
    return p.flow;
}

} // namespace idesk
