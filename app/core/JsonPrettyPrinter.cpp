#include "JsonPrettyPrinter.h"

#include "JsonScanner.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QIODevice>

#include <cstring>

namespace idesk::JsonPrettyPrinter {

namespace {

inline bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Writes through a fixed buffer flushed to the device whenever it fills.
class Sink
{
public:
    explicit Sink(QIODevice *out) : m_out(out), m_buf(kSize, Qt::Uninitialized) {}

    void reserve(qsizetype n)
    {
        if (m_used + n > m_buf.size())
            flush();
    }
    void put(char c)
    {
        if (m_used == m_buf.size())
            flush();
        m_buf.data()[m_used++] = c;
    }
    void put(const char *p, qsizetype n)
    {
        while (n > 0) {
            if (m_used == m_buf.size())
                flush();
            const qsizetype take = qMin(n, m_buf.size() - m_used);
            std::memcpy(m_buf.data() + m_used, p, size_t(take));
            m_used += take;
            p += take;
            n -= take;
        }
    }
    bool flush()
    {
        if (m_used > 0 && m_ok)
            m_ok = m_out->write(m_buf.constData(), m_used) == m_used;
        m_used = 0;
        return m_ok;
    }
    bool ok() const { return m_ok; }

private:
    static constexpr qsizetype kSize = 1 << 20;
    QIODevice *m_out;
    QByteArray m_buf;
    qsizetype m_used = 0;
    bool m_ok = true;
};

// Re-indents JSON that JsonScanner accepted. Whitespace outside strings is dropped and rewritten; strings,
// numbers and literals are copied as they are.
bool reindent(const QByteArray &json, QIODevice *out, int indent)
{
    Sink sink(out);
    const int limit = indent > 0 ? compactDepth() : 0;
    const QByteArray spaces(qsizetype(limit) * indent + 1, ' ');
    int depth = 0;
    auto newline = [&](int level) {
        if (level > limit)
            return;
        sink.put('\n');
        sink.put(spaces.constData(), qsizetype(level) * indent);
    };
    const char *p = json.constData();
    const char *const end = p + json.size();
    while (p < end) {
        const char c = *p;
        switch (c) {
        case ' ':
        case '\t':
        case '\n':
        case '\r':
            ++p;
            break;
        case '"': {
            // Copy the whole string: only a quote that is not escaped ends it.
            const char *s = p + 1;
            for (;;) {
                const char *q = static_cast<const char *>(std::memchr(s, '"', size_t(end - s)));
                if (!q) { // cannot happen after the scan; copy the rest
                    s = end;
                    break;
                }
                const char *b = q;
                while (b > p + 1 && b[-1] == '\\')
                    --b;
                s = q + 1;
                if ((q - b) % 2 == 0)
                    break;
            }
            sink.put(p, s - p);
            p = s;
            break;
        }
        case '{':
        case '[': {
            // Empty containers stay on one line.
            const char *j = p + 1;
            while (j < end && isSpace(*j))
                ++j;
            if (j < end && *j == (c == '{' ? '}' : ']')) {
                sink.put(c);
                sink.put(*j);
                p = j + 1;
                break;
            }
            sink.put(c);
            ++depth;
            newline(depth);
            ++p;
            break;
        }
        case '}':
        case ']':
            --depth;
            if (depth + 1 <= limit)
                newline(depth);
            sink.put(c);
            ++p;
            break;
        case ',':
            sink.put(c);
            newline(depth);
            ++p;
            break;
        case ':':
            sink.put(':');
            if (depth <= limit && indent > 0)
                sink.put(' ');
            ++p;
            break;
        default: {
            // A number or a literal: copy up to the next delimiter.
            const char *s = p;
            while (s < end && *s != ',' && *s != ']' && *s != '}' && !isSpace(*s))
                ++s;
            sink.put(p, s - p);
            p = s;
        }
        }
    }
    sink.put('\n');
    return sink.flush();
}

} // namespace

bool write(const QByteArray &json, QIODevice *out, int indent, QString *error)
{
    const JsonScanner::Report report = JsonScanner::scan(json);
    if (!report.ok()) {
        if (error)
            *error = QCoreApplication::translate("JsonPrettyPrinter",
                                                 "The answer is not valid JSON: %1 at byte %2.")
                         .arg(report.what)
                         .arg(report.offset);
        return false;
    }
    if (!reindent(json, out, qMax(0, indent))) {
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
