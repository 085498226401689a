#include "KestraFlow.h"

#include "ChatCompletion.h"
#include "Duration.h"
#include "RequestEncoder.h"
#include "TaskCatalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QVariant>
#include <cmath>
#include <limits>
#include <yaml-cpp/yaml.h>

namespace idesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("KestraFlow", text);
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}
std::string ss(const QString &s)
{
    return s.toStdString();
}

// ---- YAML scalar typing, as Kestra's Jackson YAML parser (SnakeYAML's YAML 1.1 resolver) does it ----

enum class ScalarKind { String, Null, Bool, Int, Float };

bool isYamlBool(const QString &v, bool *value)
{
    static const QStringList yes = {QStringLiteral("y"), QStringLiteral("yes"), QStringLiteral("true"),
                                    QStringLiteral("on")};
    static const QStringList no = {QStringLiteral("n"), QStringLiteral("no"), QStringLiteral("false"),
                                   QStringLiteral("off")};
    // SnakeYAML's resolver knows yes/no/true/false/on/off in lower, Capitalised and UPPER case.
    const QString lower = v.toLower();
    const bool caseOk =
        v == lower || v == lower.toUpper() || (v.size() > 1 && v.at(0).isUpper() && v.mid(1) == lower.mid(1));
    if (!caseOk)
        return false;
    if (v.size() == 1) // a lone y/n is a string for the resolver (only an explicit !!bool reads it)
        return false;
    if (yes.contains(lower)) {
        *value = true;
        return true;
    }
    if (no.contains(lower)) {
        *value = false;
        return true;
    }
    return false;
}

ScalarKind resolvePlain(const QString &v)
{
    static const QRegularExpression nullRe(QStringLiteral("^(?:~|null|Null|NULL)?$"));
    static const QRegularExpression intRe(
        QStringLiteral("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"));
    static const QRegularExpression floatRe(QStringLiteral(
        "^(?:[-+]?(?:\\.[0-9]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|"
        "\\.(?:nan|NaN|NAN))$"));
    bool b = false;
    if (nullRe.match(v).hasMatch())
        return ScalarKind::Null;
    if (isYamlBool(v, &b))
        return ScalarKind::Bool;
    if (intRe.match(v).hasMatch())
        return ScalarKind::Int;
    if (floatRe.match(v).hasMatch())
        return ScalarKind::Float;
    return ScalarKind::String;
}

QJsonValue intValue(QString v)
{
    v.remove(QLatin1Char('_'));
    bool negative = false;
    if (v.startsWith(QLatin1Char('-')) || v.startsWith(QLatin1Char('+'))) {
        negative = v.startsWith(QLatin1Char('-'));
        v = v.mid(1);
    }
    int base = 10;
    if (v.startsWith(QLatin1String("0x"))) {
        base = 16;
        v = v.mid(2);
    } else if (v.startsWith(QLatin1String("0b"))) {
        base = 2;
        v = v.mid(2);
    } else if (v.size() > 1 && v.startsWith(QLatin1Char('0'))) {
        base = 8;
    }
    bool ok = false;
    const qlonglong n = v.toLongLong(&ok, base);
    if (ok)
        return QJsonValue(negative ? -n : n);
    const double d = v.toDouble(&ok); // beyond 64 bits: a double, as JSON has no bigger integer
    return QJsonValue(negative ? -d : d);
}

QJsonValue floatValue(QString v)
{
    if (v.contains(QLatin1String("inf"), Qt::CaseInsensitive) ||
        v.contains(QLatin1String("nan"), Qt::CaseInsensitive))
        return QJsonValue(v); // JSON cannot carry them: keep the text
    v.remove(QLatin1Char('_'));
    return QJsonValue(v.toDouble());
}

bool isQuoted(const YAML::Node &node)
{
    // yaml-cpp tags: "?" a plain scalar, "!" a quoted or block scalar, else an explicit tag.
    return node.Tag() == "!";
}

QString explicitTag(const YAML::Node &node)
{
    const QString tag = qs(node.Tag());
    if (tag == QLatin1String("?") || tag == QLatin1String("!") || tag.isEmpty())
        return {};
    if (tag.startsWith(QLatin1String("tag:yaml.org,2002:")))
        return tag.mid(18);
    if (tag.startsWith(QLatin1String("!!")))
        return tag.mid(2);
    return tag;
}

int lineOf(const YAML::Node &node)
{
    return node.Mark().line + 1;
}

// ---- Pebble, Kestra's template language: {{ expression }}, {% tag %}, {% raw %}literal{% endraw %} ----

const QRegularExpression &pebbleExpression()
{
    static const QRegularExpression re(QStringLiteral("\\{\\{(.*?)\\}\\}|\\{%(.*?)%\\}"),
                                       QRegularExpression::DotMatchesEverythingOption);
    return re;
}

bool hasPebble(const QString &text)
{
    // {{ expression }}, {% tag %} and {# comment #}: Kestra would render or strip each.
    return text.contains(QLatin1String("{{")) || text.contains(QLatin1String("{%")) ||
           text.contains(QLatin1String("{#"));
}

// `text` as Kestra must receive it to send it as written: inside {% raw %}...{% endraw %} when it holds
// {{ or {%. A "{%" inside is split across two raw blocks so that an "{% endraw %}" of the text cannot
// end the block early.
QString pebbleLiteral(const QString &text)
{
    if (!hasPebble(text))
        return text;
    QString inner = text;
    inner.replace(QLatin1String("{%"), QLatin1String("{{% endraw %}{% raw %}%"));
    return QStringLiteral("{% raw %}") + inner + QStringLiteral("{% endraw %}");
}

// Pieces of `text` outside raw blocks (template: expressions are evaluated) and inside them (literal).
struct PebblePiece
{
    QString text;
    bool literal = false;
};

QList<PebblePiece> splitRaw(const QString &text)
{
    static const QRegularExpression rawRe(
        QStringLiteral("\\{%-?\\s*raw\\s*-?%\\}(.*?)\\{%-?\\s*endraw\\s*-?%\\}"),
        QRegularExpression::DotMatchesEverythingOption);
    QList<PebblePiece> pieces;
    qsizetype last = 0;
    auto it = rawRe.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        if (m.capturedStart(0) > last)
            pieces.append({text.mid(last, m.capturedStart(0) - last), false});
        pieces.append({m.captured(1), true});
        last = m.capturedEnd(0);
    }
    if (last < text.size() || pieces.isEmpty())
        pieces.append({text.mid(last), false});
    return pieces;
}

// ---- writing ----

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
};

// Writes one task map into `out`; header comments for the person go to *comments.
// Chat completion, and text generation on the completions route, as a core HTTP Request task: the
// Inference task always posts {"inputs", "parameters"} to {endpoint}/{model} and cannot send them.
// False (nothing written) when the request cannot be encoded: the caller writes an Inference task.
bool emitHttpTask(YAML::Emitter &out, const InferenceRequest &request, const TaskOut &t,
                  QStringList *comments)
{
    QString why;
    const EncodedRequest encoded = RequestEncoder::encode(request, &why);
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
    out << YAML::Key << "uri" << YAML::Value;
    emitString(out, QString::fromUtf8(encoded.url.toEncoded()));
    out << YAML::Key << "method" << YAML::Value << ss(QString::fromLatin1(encoded.method));
    out << YAML::Key << "contentType" << YAML::Value << "application/json";
    out << YAML::Key << "headers" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "Authorization" << YAML::Value << YAML::DoubleQuoted
        << ss(QStringLiteral("Bearer ") + KestraFlow::secretExpression(t.secretName));
    // The encoder sends both headers always; written only when they differ from the server's default.
    const InferenceRequest defaults;
    if (request.useCache != defaults.useCache)
        out << YAML::Key << "x-use-cache" << YAML::Value << YAML::DoubleQuoted
            << encoded.header("x-use-cache").toStdString();
    if (request.waitForModel != defaults.waitForModel)
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

    const QString what = request.usesCompletionsRoute() ? tr("text generation on the completions route")
                                                        : tr("a chat completion");
    comments->append(tr("Task %1 is %2: it is written as a core HTTP Request (%3) because the Hugging "
                        "Face Inference task cannot send it; the answer is in outputs.%1.body.")
                         .arg(t.taskId, what, KestraFlow::httpRequestType()));
    if (request.stream)
        comments->append(tr("Streaming is left out of the flow: Kestra reads the whole answer."));
    return true;
}

// True for the requests Kestra can only send with a core HTTP Request task.
bool needsHttpTask(const InferenceRequest &request)
{
    const TaskSpec *spec = TaskCatalog::instance().task(request.task);
    return (spec && spec->inputKind == InputKind::Chat) || request.usesCompletionsRoute();
}

void emitTask(YAML::Emitter &out, const InferenceRequest &request, const TaskOut &t, QStringList *comments)
{
    if (needsHttpTask(request) && emitHttpTask(out, request, t, comments))
        return;
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
        httpTasks = httpTasks || needsHttpTask(*t.first);
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

QString KestraFlow::secretExpression(const QString &name)
{
    return QStringLiteral("{{ secret('%1') }}").arg(name);
}

const KestraTask *KestraFlow::task(const QString &taskId) const
{
    for (const KestraTask &t : tasks)
        if (t.id == taskId)
            return &t;
    return nullptr;
}

QStringList KestraFlow::taskIds() const
{
    QStringList ids;
    for (const KestraTask &t : tasks)
        ids << t.id;
    return ids;
}

// ---- reading ----

struct KestraFlow::Parser
{
    QString baseDir;
    QString source; // how the flow is named in messages
    SecretResolver resolveSecret;
    QString error;
    KestraFlow flow;

    bool fail(const QString &message)
    {
        if (error.isEmpty())
            error = message;
        return false;
    }

    // Renders the {{ ... }} expressions of `text`. `readPath` receives the path of a read() when the
    // whole text is that single expression.
    std::optional<QString> render(const QString &text, const QString &taskId, const QString &property,
                                  KestraTask *task, QString *readPath = nullptr,
                                  QString *secretName = nullptr)
    {
        // {% raw %} blocks are kept as written; the text around them is rendered.
        const QList<PebblePiece> pieces = splitRaw(text);
        if (pieces.size() > 1 || pieces.first().literal) {
            QString result;
            for (const PebblePiece &piece : pieces) {
                if (piece.literal) {
                    result += piece.text;
                    continue;
                }
                const auto rendered = render(piece.text, taskId, property, task);
                if (!rendered)
                    return std::nullopt;
                result += *rendered;
            }
            return result;
        }
        const QRegularExpression &exprRe = pebbleExpression();
        static const QRegularExpression secretRe(QStringLiteral("^secret\\(\\s*(['\"])([^'\"]+)\\1\\s*\\)$"));
        static const QRegularExpression readRe(QStringLiteral("^read\\(\\s*(['\"])([^'\"]+)\\1\\s*\\)$"));
        QString result;
        qsizetype last = 0;
        auto it = exprRe.globalMatch(text);
        const bool single = exprRe.match(text).capturedLength(0) == text.size();
        while (it.hasNext()) {
            const auto m = it.next();
            result += text.mid(last, m.capturedStart(0) - last);
            last = m.capturedEnd(0);
            const QString inner = m.captured(1).trimmed();
            const auto secret = secretRe.match(inner);
            const auto read = readRe.match(inner);
            if (m.captured(0).startsWith(QLatin1String("{%")) || (!secret.hasMatch() && !read.hasMatch())) {
                fail(tr("Task '%1' in %2 uses the expression %3 in %4, which Inference Desk cannot evaluate: "
                        "only {{ secret('NAME') }} and {{ read('file') }} are supported. Replace it with its "
                        "value.")
                         .arg(taskId, source, m.captured(0).simplified(), property));
                return std::nullopt;
            }
            if (secret.hasMatch()) {
                const QString name = secret.captured(2);
                if (secretName && single)
                    *secretName = name;
                std::optional<QString> value;
                if (resolveSecret)
                    value = resolveSecret(name);
                if (!value || value->isEmpty()) {
                    if (resolveSecret)
                        task->notes
                            << tr("Secret %1 of task '%2' was not found: set the environment variable %1 "
                                  "or HF_TOKEN, or store a token in the app.")
                                   .arg(name, taskId);
                    value = QString();
                }
                result += *value;
                continue;
            }
            const QString written = read.captured(2);
            if (written.contains(QLatin1String("://"))) {
                fail(tr("Task '%1' in %2 reads %3 from Kestra's storage, which Inference Desk cannot reach: "
                        "put "
                        "the file next to the flow and use {{ read('file name') }}.")
                         .arg(taskId, source, written));
                return std::nullopt;
            }
            QString path = written;
            if (QFileInfo(path).isRelative() || !QFileInfo::exists(path)) {
                QString relative = written;
                while (relative.startsWith(QLatin1Char('/')))
                    relative.remove(0, 1);
                path = QDir(baseDir).absoluteFilePath(relative);
            }
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                fail(tr("Task '%1' in %2 reads '%3' with {{ read() }}, but %4 cannot be read (%5). Put the "
                        "file "
                        "next to the flow or fix the path in %6.")
                         .arg(taskId, source, written, QDir::toNativeSeparators(path), file.errorString(),
                              property));
                return std::nullopt;
            }
            const QByteArray content = file.readAll();
            if (readPath && single)
                *readPath = written;
            if (task && single && property == QLatin1String("inputs"))
                task->inputsFile = QFileInfo(path).absoluteFilePath();
            result += QString::fromUtf8(content);
        }
        result += text.mid(last);
        return result;
    }

    // A YAML scalar/sequence/map -> JSON, typed as Kestra's Jackson parser would type it; strings rendered.
    std::optional<QJsonValue> toJson(const YAML::Node &node, const QString &taskId, const QString &property,
                                     KestraTask *task)
    {
        switch (node.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return QJsonValue(QJsonValue::Null);
        case YAML::NodeType::Sequence: {
            QJsonArray a;
            for (const YAML::Node &item : node) {
                const auto v = toJson(item, taskId, property, task);
                if (!v)
                    return std::nullopt;
                a.append(*v);
            }
            return QJsonValue(a);
        }
        case YAML::NodeType::Map: {
            QJsonObject o;
            for (const auto &kv : node) {
                const QString key = qs(kv.first.Scalar());
                const auto v = toJson(kv.second, taskId, property + QLatin1Char('.') + key, task);
                if (!v)
                    return std::nullopt;
                o.insert(key, *v);
            }
            return QJsonValue(o);
        }
        case YAML::NodeType::Scalar:
            break;
        }
        const QString text = qs(node.Scalar());
        const QString tag = explicitTag(node);
        if (tag == QLatin1String("str") || (tag.isEmpty() && isQuoted(node))) {
            const auto rendered = render(text, taskId, property, task);
            if (!rendered)
                return std::nullopt;
            return QJsonValue(*rendered);
        }
        ScalarKind kind = ScalarKind::String;
        if (tag.isEmpty())
            kind = resolvePlain(text);
        else if (tag == QLatin1String("int"))
            kind = ScalarKind::Int;
        else if (tag == QLatin1String("float"))
            kind = ScalarKind::Float;
        else if (tag == QLatin1String("bool"))
            kind = ScalarKind::Bool;
        else if (tag == QLatin1String("null"))
            kind = ScalarKind::Null;
        switch (kind) {
        case ScalarKind::Null:
            return QJsonValue(QJsonValue::Null);
        case ScalarKind::Bool: {
            bool b = false;
            if (isYamlBool(text, &b) || text.size() == 1) {
                if (text.size() == 1)
                    b = text.compare(QLatin1String("y"), Qt::CaseInsensitive) == 0;
                return QJsonValue(b);
            }
            return QJsonValue(text);
        }
        case ScalarKind::Int:
            return intValue(text);
        case ScalarKind::Float:
            return floatValue(text);
        case ScalarKind::String:
            break;
        }
        const auto rendered = render(text, taskId, property, task);
        if (!rendered)
            return std::nullopt;
        return QJsonValue(*rendered);
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
                const auto ms = Duration::parse(value, &why);
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
        if (hasPebble(uri) || !url.isValid() || url.host().isEmpty() || (!chat && !completions) ||
            method != QLatin1String("POST") || !node["body"])
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
        if (chat) {
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
                } else if (name.compare(QLatin1String("Content-Type"), Qt::CaseInsensitive) != 0) {
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

    bool walkTasks(const YAML::Node &list)
    {
        if (!list.IsSequence())
            return true;
        for (const YAML::Node &node : list) {
            if (!node.IsMap())
                continue;
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
        YAML::Node root;
        try {
            root = YAML::Load(yaml.toStdString());
        } catch (const YAML::ParserException &e) {
            return fail(
                tr("%1 is not valid YAML: %2 at line %3, column %4. Fix the indentation or quoting there "
                   "and try again.")
                    .arg(source, qs(e.msg))
                    .arg(e.mark.line + 1)
                    .arg(e.mark.column + 1));
        } catch (const YAML::Exception &e) {
            return fail(tr("%1 could not be read as YAML: %2.").arg(source, qs(e.msg)));
        }
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
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("The flow file %1 cannot be read (%2): check the path.")
                         .arg(QDir::toNativeSeparators(path), file.errorString());
        return std::nullopt;
    }
    auto flow = parse(file.readAll(), QFileInfo(path).absolutePath(), resolveSecret, error,
                      QDir::toNativeSeparators(path));
    if (flow)
        flow->path = QFileInfo(path).absoluteFilePath();
    return flow;
}

std::optional<KestraFlow> KestraFlow::parse(const QByteArray &yaml, const QString &baseDir,
                                            const SecretResolver &resolveSecret, QString *error,
                                            const QString &sourceName)
{
    Parser p;
    p.baseDir = baseDir.isEmpty() ? QDir::currentPath() : baseDir;
    p.source = sourceName.isEmpty() ? tr("The flow") : sourceName;
    p.resolveSecret = resolveSecret;
    if (!p.run(yaml)) {
        if (error)
            *error = p.error;
        return std::nullopt;
    }
    return p.flow;
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
        list.append({&task.request, t});
    }
    return writeFlow(id.isEmpty() ? QStringLiteral("inference_desk") : id,
                     flowNamespace.isEmpty() ? QStringLiteral("company.team") : flowNamespace, list);
}

} // namespace idesk
