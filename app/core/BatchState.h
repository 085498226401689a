#pragma once

#include "BatchInput.h"
#include "BatchResult.h"
#include "InferenceRequest.h"

#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace idesk {

// A batch's state on disk, next to its output (FILE.batch-state.jsonl), so a cancelled or crashed batch
// resumes where it stopped. A journal: the first line names the batch (a fingerprint of its request
// template); each finished input appends one BatchItemResult line, flushed at once. A torn last line (a
// crash in the middle of a write) is dropped on reading; for an input written twice the later line wins.
// The header also describes the batch (its request template and its inputs), so a program that does not
// get them again from a command line (the app) can resume it from the journal alone:
//   {"batch_state": 1, "fingerprint": "...", "batch": {"template": RequestCodec, "inputs": [{"key",
//    "file"|"value"}]}}
//   {"key": ..., BatchItemResult} ...
class BatchState
{
public:
    // An unfinished batch as its journal describes it.
    struct Described
    {
        InferenceRequest templ;
        QList<BatchInput> inputs;
        int finished = 0; // inputs with a result
        int failed = 0;   // of those, failed
    };

    // FILE -> FILE.batch-state.jsonl
    static QString pathFor(const QString &output);
    // What must match for a state to be resumed: endpoint, model, task, route and parameters.
    static QString fingerprint(const InferenceRequest &templ);

    // Opens the journal at `path` for the batch `fingerprint`. With `resume`, an existing journal is read (it
    // must be for the same fingerprint) and compacted (rewritten through QSaveFile); without, it is started
    // anew. False with *error (a sentence) otherwise.
    // `description` (describe()) goes into the header; on resume an empty one keeps the journal's.
    bool open(const QString &path, const QString &fingerprint, bool resume, QString *error,
              const QJsonObject &description = {});
    static QJsonObject describe(const InferenceRequest &templ, const QList<BatchInput> &inputs);
    // The batch of the journal at `path`: nullopt with *error when there is none, or it does not say
    // (written by an older version) or cannot be read.
    static std::optional<Described> read(const QString &path, QString *error);
    bool isOpen() const { return m_file.isOpen(); }
    QString path() const { return m_path; }

    // The results read on open(), by input key.
    const QHash<QString, BatchItemResult> &resumed() const { return m_resumed; }
    // Appends one result and flushes it to the disk. False with *error when the write failed.
    bool append(const BatchItemResult &result, QString *error);
    // Closes and deletes the journal (the batch is complete).
    void remove();
    void close() { m_file.close(); }

private:
    QString m_path;
    QFile m_file;
    QHash<QString, BatchItemResult> m_resumed;
};

} // namespace idesk
