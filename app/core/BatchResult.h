#pragma once

#include "BatchInput.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <optional>

namespace idesk {

// How one input of a batch went: one line of the batch's JSONL (and of its state on disk).
//   {"input": "cat.png", "key": "cat.png", "file": "/abs/cat.png", "status": "ok" | "failed",
//    "http_status": 200, "ms": 212, "attempts": 1, "answer": <JSON, text, or {"content_type", "base64"}>,
//    "error": "...", "summary": {"label": "tabby", "score": 0.93}}
struct BatchItemResult
{
    QString key;
    QString label;    // what a person reads: the file name or the input text
    QString filePath; // file inputs
    bool ok = false;
    int httpStatus = 0;
    qint64 ms = 0;     // the last attempt's latency, send to last byte
    int attempts = 0;  // sends by the batch (a 503 "loading" wait inside one send is not counted)
    QJsonValue answer; // absent on failure
    QString contentType;
    QString error;       // a sentence, on failure
    QJsonObject summary; // the task's summary columns (BatchSummary)

    // The answer read as the batch keeps it; unusable 2xx answers (ErrorExplainer::judgeAnswer) fail.
    static BatchItemResult from(const BatchInput &input, const InferenceRequest &request,
                                const InferenceResult &result, int attempts);
    // An input that never went out (its file could not be read, ...).
    static BatchItemResult notSent(const BatchInput &input, const QString &error);

    QJsonObject toJson() const;
    static std::optional<BatchItemResult> fromJson(const QJsonObject &object);
};

// The summary columns of a task's answers in a batch table or CSV: the top label and score of a
// classification, the answer of a question, the generated text... read through ResultShape, so they say what
// the CLI's summary format says.
namespace BatchSummary {

// Column names for a task ("" or unknown task: one "summary" column).
QStringList columns(const QString &task);
// The values for those columns from one answer.
QJsonObject values(const InferenceRequest &request, const InferenceResult &result);

} // namespace BatchSummary
} // namespace idesk
