#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace idesk {

// Checks that bytes are one JSON value (RFC 8259, UTF-8; as lenient as QJsonDocument about raw control
// characters and unknown escapes inside strings, which some servers send) without building a document: no
// recursion, no allocation but one byte per open container. Used before QJsonDocument::fromJson on files
// someone else chose (presets, saved results), so that a hostile file is refused before it can take the
// memory, and by the pretty printer, which never builds the document at all.
namespace JsonScanner {

// Limits on what a document may hold; a negative value means "no limit".
struct Limits
{
    int maxDepth = -1;          // containers open at once
    qint64 maxElements = -1;    // values of any kind (containers, strings, numbers, literals) and keys
    qint64 maxStringBytes = -1; // the longest string (key or value), in bytes as written (escapes and all)
};

enum class Problem { None, Syntax, TooDeep, TooManyElements, StringTooLong };

struct Report
{
    Problem problem = Problem::None;
    qint64 offset = 0;   // byte offset of the problem
    QString what;        // a short phrase: "unterminated string", "nesting deeper than 64 levels"...
    int depth = 0;       // the deepest nesting seen
    qint64 elements = 0; // values and keys seen
    qint64 longestString = 0;
    bool ok() const { return problem == Problem::None; }
};

Report scan(const char *data, qint64 size, const Limits &limits = Limits());
inline Report scan(const QByteArray &json, const Limits &limits = Limits())
{
    return scan(json.constData(), json.size(), limits);
}

} // namespace JsonScanner
} // namespace idesk
