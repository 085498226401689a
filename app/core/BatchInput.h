#pragma once

#include "InferenceRequest.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <optional>

namespace idesk {

// One input of a batch: a file (read when its request is sent, through LocalFile) or a value (a line of a
// text file, a CSV cell, a JSONL line).
struct BatchInput
{
    QString key;      // stable name in the batch: the file name, "line 3", "row 2" (unique in the batch)
    QString filePath; // a file input; empty for a value
    QJsonValue value; // a value input (string or JSON)

    // What a person reads in a table or a CSV: the file name, or the value (JSON compacted).
    QString label() const;
};

// Where the inputs of a batch come from, and reading them.
namespace BatchInputs {

// UTF-8 text: no NUL byte, no invalid sequence (a picture or a binary file is not text).
bool isUtf8Text(const QByteArray &bytes);
// A JSON value as one line of text: a string as it is, anything else as compact JSON.
QString valueText(const QJsonValue &value);

// Every regular, non-hidden file directly in `dir`, by name. Files are not read yet.
std::optional<QList<BatchInput>> fromDirectory(const QString &dir, QString *error);
// One input per non-empty line of a UTF-8 text file (trailing CR removed).
std::optional<QList<BatchInput>> fromLines(const QString &path, QString *error);
// The cells of `column` (by header name) of a CSV file; rows with an empty cell are skipped.
std::optional<QList<BatchInput>> fromCsv(const QString &path, const QString &column, QString *error);
// One JSON value per non-empty line; an object with an "inputs" member gives that member.
std::optional<QList<BatchInput>> fromJsonl(const QString &path, QString *error);
// For a text task, files of inputs (dropped on its text box): each non-empty line of a text file, each cell
// of a CSV file's first column, each value of a .jsonl/.ndjson file; keyed "<file name>: <line N>". nullopt
// with *error when one is not such a file.
std::optional<QList<BatchInput>> fromTextFiles(const QStringList &paths, QString *error);
// A list of file paths (files dropped on the app), keyed by file name (made unique when two share one).
QList<BatchInput> fromFiles(const QStringList &paths);

// The request for one input: `templ` with its inputs set. A file is read (LocalFile, input cap); for a task
// taking text its UTF-8 text is the input, for a JSON task its JSON, else it goes as the file. False with
// *error (a sentence naming the input) when the file cannot be read or does not fit the task.
bool apply(const InferenceRequest &templ, const BatchInput &input, InferenceRequest *request, QString *error);

} // namespace BatchInputs
} // namespace idesk
