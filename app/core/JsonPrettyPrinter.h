#pragma once

#include <QByteArray>
#include <QString>

class QIODevice;

namespace idesk {

// Pretty-prints a JSON answer as it was received (numbers and key order untouched), streaming the
// indented text to a device in chunks so that a 30 MB answer needs no second copy in memory.
namespace JsonPrettyPrinter {

// Validates `json` (QJsonDocument) and writes it indented by `indent` spaces. False with *error
// (the parse error and its offset) when the text is not JSON; nothing is written then.
bool write(const QByteArray &json, QIODevice *out, int indent = 2, QString *error = nullptr);

// The same into a QByteArray (small answers, the GUI's text view).
QByteArray format(const QByteArray &json, int indent = 2, QString *error = nullptr);

} // namespace JsonPrettyPrinter
} // namespace idesk
