#include "CodeSnippets.h"

#include "KestraFlow.h"
#include "RequestEncoder.h"
#include "TaskCatalog.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <algorithm>

namespace idesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CodeSnippets", text);
}

// Above this a JSON body is piped to curl by the shell's printf builtin: a single command-line
// argument is limited to 128 KiB on Linux.
constexpr int kInlineArgumentLimit = 64 * 1024;

bool isRawBinaryBody(const EncodedRequest &encoded, const InferenceRequest &request)
{
    return !request.file.isEmpty() && encoded.body == request.file.bytes;
}

bool answerIsBinary(const InferenceRequest &request)
{
    if (request.task.isEmpty())
        return false;
    const TaskSpec *spec = TaskCatalog::instance().task(request.task);
    return spec && (spec->resultKind == QLatin1String("image") || spec->resultKind == QLatin1String("audio"));
}

QString filePathFor(const InferenceRequest &request, const SnippetOptions &options)
{
    return request.file.path.isEmpty() ? options.fallbackInputPath : request.file.path;
}

QString pythonSeconds(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("None");
    return QString::number(double(ms) / 1000.0, 'g', QLocale::FloatingPointShortest);
}

} // namespace

QString CodeSnippets::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Curl:
        return QStringLiteral("curl");
    case Kind::Python:
        return QStringLiteral("python");
    case Kind::Kestra:
        return QStringLiteral("kestra");
    }
    return {};
}

std::optional<CodeSnippets::Kind> CodeSnippets::kindFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("curl"))
        return Kind::Curl;
    if (n == QLatin1String("python") || n == QLatin1String("py") || n == QLatin1String("requests"))
        return Kind::Python;
    if (n == QLatin1String("kestra") || n == QLatin1String("yaml") || n == QLatin1String("flow"))
        return Kind::Kestra;
    return std::nullopt;
}

QStringList CodeSnippets::kindNames()
{
    return {kindName(Kind::Curl), kindName(Kind::Python), kindName(Kind::Kestra)};
}

QString CodeSnippets::snippet(Kind kind, const InferenceRequest &request, QString *error,
                              const SnippetOptions &options)
{
    switch (kind) {
    case Kind::Curl:
        return curl(request, error, options);
    case Kind::Python:
        return python(request, error, options);
    case Kind::Kestra:
        return kestraFlow(request, error);
    }
    return {};
}

QString CodeSnippets::shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString CodeSnippets::pythonString(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += QLatin1Char('"');
    for (const QChar c : text) {
        const ushort u = c.unicode();
        if (c == QLatin1Char('\\'))
            out += QLatin1String("\\\\");
        else if (c == QLatin1Char('"'))
            out += QLatin1String("\\\"");
        else if (c == QLatin1Char('\n'))
            out += QLatin1String("\\n");
        else if (c == QLatin1Char('\r'))
            out += QLatin1String("\\r");
        else if (c == QLatin1Char('\t'))
            out += QLatin1String("\\t");
        else if (u < 0x20 || u == 0x7f || c.isSurrogate() || u == 0x2028 || u == 0x2029 || u == 0x85)
            out += QStringLiteral("\\u%1").arg(u, 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    out += QLatin1Char('"');
    return out;
}

QString CodeSnippets::curl(const InferenceRequest &request, QString *error, const SnippetOptions &options)
{
    const EncodedRequest encoded = RequestEncoder::encode(request, error);
    if (!encoded.url.isValid())
        return {};
    const bool raw = isRawBinaryBody(encoded, request);
    const bool piped = !raw && encoded.body.size() > kInlineArgumentLimit;

    QStringList lines;
    QString first;
    if (piped)
        first = QStringLiteral("printf '%s' ") + shellQuote(QString::fromUtf8(encoded.body)) +
                QStringLiteral(" | ");
    first += QStringLiteral("curl ") + shellQuote(encoded.url.toString(QUrl::FullyEncoded));
    lines << first;
    if (encoded.method != "POST" || encoded.body.isEmpty())
        lines << QStringLiteral("-X ") + QString::fromLatin1(encoded.method);
    if (options.includeToken)
        lines << QStringLiteral("-H \"Authorization: Bearer $%1\"").arg(options.tokenVariable);
    for (const auto &h : encoded.headers)
        lines << QStringLiteral("-H ") + shellQuote(QString::fromLatin1(h.first) + QStringLiteral(": ") +
                                                    QString::fromLatin1(h.second));
    if (request.stream)
        lines << QStringLiteral("--no-buffer");
    if (raw) {
        lines << QStringLiteral("--data-binary ") +
                     shellQuote(QLatin1Char('@') + filePathFor(request, options));
    } else if (piped) {
        lines << QStringLiteral("-H 'Expect:'") << QStringLiteral("--data-binary @-");
    } else if (!encoded.body.isEmpty()) {
        lines << QStringLiteral("--data-raw ") + shellQuote(QString::fromUtf8(encoded.body));
    }
    if (answerIsBinary(request))
        lines << QStringLiteral("--output answer")
              << QStringLiteral("--write-out 'Saved the answer (%{content_type}) to answer\\n'");
    QString text;
    if (request.file.path.isEmpty() && raw)
        text += tr("# Save the input as %1 first.").arg(options.fallbackInputPath) + QLatin1Char('\n');
    text += lines.join(QStringLiteral(" \\\n  "));
    text += QLatin1Char('\n');
    return text;
}

QString CodeSnippets::python(const InferenceRequest &request, QString *error, const SnippetOptions &options)
{
    const EncodedRequest encoded = RequestEncoder::encode(request, error);
    if (!encoded.url.isValid())
        return {};
    const bool raw = isRawBinaryBody(encoded, request);
    const bool binaryAnswer = answerIsBinary(request);

    QString t;
    t += QStringLiteral("import mimetypes\nimport os\nimport sys\n\nimport requests\n\n");
    if (request.file.path.isEmpty() && raw)
        t += QStringLiteral("# ") + tr("Save the input as %1 first.").arg(options.fallbackInputPath) +
             QLatin1Char('\n');
    t += QStringLiteral("url = %1\n").arg(pythonString(encoded.url.toString(QUrl::FullyEncoded)));
    t += QStringLiteral("headers = {\n");
    if (options.includeToken)
        t += QStringLiteral("    \"Authorization\": \"Bearer \" + os.environ[%1],\n")
                 .arg(pythonString(options.tokenVariable));
    for (const auto &h : encoded.headers)
        t +=
            QStringLiteral("    %1: %2,\n")
                .arg(pythonString(QString::fromLatin1(h.first)), pythonString(QString::fromLatin1(h.second)));
    t += QStringLiteral("}\n");
    if (raw) {
        t += QStringLiteral("with open(%1, \"rb\") as f:\n    body = f.read()\n")
                 .arg(pythonString(filePathFor(request, options)));
    } else if (!encoded.body.isEmpty()) {
        t += QStringLiteral("body = %1.encode(\"utf-8\")\n")
                 .arg(pythonString(QString::fromUtf8(encoded.body)));
    } else {
        t += QStringLiteral("body = None\n");
    }
    const HttpOptions &o = request.options;
    t += QStringLiteral(
             "response = requests.request(%1, url, headers=headers, data=body, timeout=(%2, %3)%4)\n")
             .arg(pythonString(QString::fromLatin1(encoded.method)), pythonSeconds(o.connectTimeoutMs),
                  pythonSeconds(std::max(o.readTimeoutMs, o.readIdleTimeoutMs)),
                  request.stream ? QStringLiteral(", stream=True") : QString());
    t += QStringLiteral("if not response.ok:\n"
                        "    sys.exit(f\"HTTP {response.status_code}: {response.text}\")\n");
    if (request.stream) {
        t += QStringLiteral("for line in response.iter_lines(decode_unicode=True):\n"
                            "    if line:\n"
                            "        print(line, flush=True)\n");
    } else {
        t += QStringLiteral("content_type = response.headers.get(\"Content-Type\", \"\").split(\";\")[0]\n");
        t += QStringLiteral(
                 "if content_type.startswith(\"image/\") or content_type.startswith(\"audio/\")%1:\n")
                 .arg(binaryAnswer ? QStringLiteral(" or content_type == \"application/octet-stream\"")
                                   : QString());
        t += QStringLiteral("    name = \"answer\" + (mimetypes.guess_extension(content_type) or \".bin\")\n"
                            "    with open(name, \"wb\") as out:\n"
                            "        out.write(response.content)\n"
                            "    print(f\"Saved the answer ({content_type}) to {name}\")\n"
                            "else:\n"
                            "    print(response.text)\n");
    }
    return t;
}

QString CodeSnippets::kestraFlow(const InferenceRequest &request, QString *error)
{
    // Encoding checks the request the same way as the other snippets (model, endpoint, inputs).
    if (!RequestEncoder::encode(request, error).url.isValid())
        return {};
    KestraExportOptions options;
    options.binaryAsReadFile = true;
    return KestraFlow::toFlowYaml(request, options);
}

} // namespace idesk
