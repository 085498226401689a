#include "JsonPrettyPrinter.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QIODevice>
#include <QJsonDocument>

namespace idesk::JsonPrettyPrinter {

namespace {
bool validate(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    { // the document is freed before the output is produced
        const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
        Q_UNUSED(doc)
    }
    if (parseError.error == QJsonParseError::NoError)
        return true;
    if (error)
        *error =
            QCoreApplication::translate("JsonPrettyPrinter", "The answer is not valid JSON: %1 at byte %2.")
                .arg(parseError.errorString())
                .arg(parseError.offset);
    return false;
}

// Re-indents already validated JSON. Whitespace outside strings is dropped and rewritten.
bool reindent(const QByteArray &json, QIODevice *out, int indent)
{
    constexpr qsizetype flushAt = 1 << 20;
    QByteArray buf;
    buf.reserve(flushAt + 4096);
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    bool ok = true;
    auto newline = [&] {
        buf += '\n';
        buf.append(qsizetype(depth) * indent, ' ');
    };
    const char *p = json.constData();
    const qsizetype n = json.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = p[i];
        if (inString) {
            buf += c;
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else {
            switch (c) {
            case ' ':
            case '\t':
            case '\n':
            case '\r':
                break;
            case '"':
                inString = true;
                buf += c;
                break;
            case '{':
            case '[': {
                // Empty containers stay on one line.
                qsizetype j = i + 1;
                while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\n' || p[j] == '\r'))
                    ++j;
                if (j < n && (p[j] == (c == '{' ? '}' : ']'))) {
                    buf += c;
                    buf += p[j];
                    i = j;
                    break;
                }
                buf += c;
                ++depth;
                newline();
                break;
            }
            case '}':
            case ']':
                --depth;
                newline();
                buf += c;
                break;
            case ',':
                buf += c;
                newline();
                break;
            case ':':
                buf += ": ";
                break;
            default:
                buf += c;
            }
        }
        if (buf.size() >= flushAt) {
            ok = ok && out->write(buf) == buf.size();
            buf.clear();
        }
    }
    buf += '\n';
    ok = ok && out->write(buf) == buf.size();
    return ok;
}
} // namespace

bool write(const QByteArray &json, QIODevice *out, int indent, QString *error)
{
    if (!validate(json, error))
        return false;
    if (!reindent(json, out, indent)) {
        if (error)
            *error = QCoreApplication::translate("JsonPrettyPrinter", "Could not write the output: %1.")
                         .arg(out->errorString());
        return false;
    }
    return true;
}

QByteArray format(const QByteArray &json, int indent, QString *error)
{
    QByteArray result;
    QBuffer buffer(&result);
    buffer.open(QIODevice::WriteOnly);
    if (!write(json, &buffer, indent, error))
        return {};
    return result;
}

} // namespace idesk::JsonPrettyPrinter
