#pragma once

#include "BatchResult.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace idesk {

// A batch's results as files: JSONL (one BatchItemResult object a line: the input, its status, latency
// and full answer or error) and CSV (input, the task's summary columns, status, HTTP status, latency,
// error). Files are written whole through QSaveFile.
namespace BatchExport {

enum class Format { Jsonl, Csv };
// "jsonl" / "csv" -> the format; false when neither.
bool formatFromName(const QString &name, Format *format);

QByteArray jsonlLine(const BatchItemResult &result);
QByteArray csvHeader(const QString &task);
QByteArray csvRow(const BatchItemResult &result, const QString &task);

// The whole export in one format: the CSV header first.
QByteArray render(const QList<BatchItemResult> &results, const QString &task, Format format);
// render() written to `path` through QSaveFile. False with *error (a sentence) when it cannot be written.
bool write(const QList<BatchItemResult> &results, const QString &task, Format format, const QString &path,
           QString *error);

} // namespace BatchExport
} // namespace idesk
