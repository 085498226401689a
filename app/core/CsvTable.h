#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace idesk {

// Comma-separated values as RFC 4180 writes them: fields in double quotes may hold commas, line breaks and
// doubled quotes (""); lines end in CRLF or LF; a UTF-8 byte order mark at the start is skipped. The one
// CSV reader and writer of the project (batch inputs and exports).
namespace CsvTable {

struct Table
{
    QStringList header;      // the first record
    QList<QStringList> rows; // the records after it, as read (a short row is not padded)
    QList<int> lines;        // the line number (1-based) each row starts on, for messages
};

// Parses `bytes` (UTF-8). nullopt-like: false with *error (a sentence naming the line) when a quoted field
// is never closed or a quote stands in the middle of an unquoted field.
bool parse(const QByteArray &bytes, Table *table, QString *error);

// One field as written: quoted when it holds a comma, a quote, a line break or leading/trailing spaces.
QString field(const QString &value);
// One record, fields joined by commas, ending in CRLF (RFC 4180).
QByteArray record(const QStringList &fields);

} // namespace CsvTable
} // namespace idesk
