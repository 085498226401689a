#pragma once

#include <QByteArray>
#include <QString>

class QIODevice;

namespace idesk {

// Pretty-prints a JSON answer as it was received (numbers, strings and key order untouched), streaming the
// text to a device in 1 MB chunks: the document is never built (JsonScanner checks it first, without a
// tree), so the only large thing in memory is the answer itself. Containers nested deeper than
// compactDepth() are written compact, on the line of their parent: 4,000 arrays nested 1,000 deep stay about
// the answer's size instead of growing quadratically with the indentation.
namespace JsonPrettyPrinter {

// Levels indented before the output switches to compact.
constexpr int compactDepth()
{
    return 32;
}

// Checks `json` and writes it indented by `indent` spaces (0: compact, no whitespace at all). False with
// *error (what is wrong and at which byte) when the text is not JSON; nothing is written then.
bool write(const QByteArray &json, QIODevice *out, int indent = 2, QString *error = nullptr);

// The same into a QByteArray (small answers, the GUI's text view).
QByteArray format(const QByteArray &json, int indent = 2, QString *error = nullptr);

} // namespace JsonPrettyPrinter
} // namespace idesk
