#pragma once

#include "InferenceRequest.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace idesk {

struct KestraTask;

// A named request kept for later: model, task, endpoint, inputs, parameters, toggles, HTTP options.
// An image/audio input is kept as its path, and embedded (base64) when smaller than embedLimit() or
// when the person asks, so that a preset mailed to a colleague still works. Never holds the token.
//
// On disk (one JSON file per preset, written by PresetStore):
//   {"format": "inference-desk-preset", "version": 1, "name": ..., "created": ISO, "modified": ISO,
//    "request": {"endpoint", "model", "task", "inputs", "parameters", "useCache", "waitForModel", "stream",
//                "route": "model"|"completions" (text generation's route; absent in older presets = "model"),
//                "options": {"connectTimeout": "PT5S"|null, "readTimeout", "readIdleTimeout",
//                            "maxContentLength", "defaultCharset", "connectionPoolIdleTimeout"},
//                "file": {"path", "mimeType", "size", "base64"?}},
//    "inputsFile": "<file the inputs text was read from (Kestra read())>"}
struct Preset
{
    static QString formatName() { return QStringLiteral("inference-desk-preset"); }
    static int formatVersion() { return 1; }
    static qint64 embedLimit() { return 1024 * 1024; } // files below 1 MB are embedded
    // Limits on a preset file someone else may have written: its size (LocalFile's document cap plus an
    // embedded input file as base64, so raising IDESK_MAX_INPUT_FILE raises it), the nesting and the
    // number of values in it, and the length of its short texts (name, model, task, endpoint, paths).
    static qint64 fileCap();
    static constexpr int maxDepth = 64;
    static constexpr qint64 maxValues = 500000;
    static constexpr int maxNameLength = 256;
    static constexpr int maxFieldLength = 4096;

    QString name;
    InferenceRequest request; // request.file.bytes is empty when the file is kept by path only
    bool embedFile = false;   // embed the file whatever its size (the person asked)
    QString inputsFile;       // the inputs text came from this file (a Kestra {{ read() }}), "" otherwise
    QDateTime created;
    QDateTime modified;
    QString filePath; // where the store keeps it ("" until saved); not written in the file

    // A preset from the current request. The file is embedded when smaller than 1 MB or `embed`.
    static Preset fromRequest(const QString &name, const InferenceRequest &request, bool embed = false);
    // A preset from one task of an imported Kestra flow (named after the task unless `name` is given).
    static Preset fromKestraTask(const KestraTask &task, const QString &name = QString());

    // True when the file's bytes go into the preset file.
    bool embedsFile() const;

    QJsonObject toJson() const;
    QByteArray toJsonBytes() const; // indented, UTF-8
    // nullopt and *error (the parse error, a sentence) when the JSON is not a preset of a known version.
    static std::optional<Preset> fromJson(const QJsonObject &json, QString *error = nullptr);
    static std::optional<Preset> fromJsonBytes(const QByteArray &bytes, QString *error = nullptr);
    // Reads a preset file (not through a store: import) with LocalFile::read under fileCap(): regular files
    // only. Sets filePath. *reason, when given, gets the reason alone (without the path).
    static std::optional<Preset> load(const QString &path, QString *error = nullptr,
                                      QString *reason = nullptr);
    // "" when `name` is usable as a preset name, else why not (too long), a sentence.
    static QString nameProblem(const QString &name);

    // The request ready to send: a file kept by path only is read now. nullopt and *error when the
    // file cannot be read (the message names the path and says what to do).
    std::optional<InferenceRequest> resolvedRequest(QString *error = nullptr) const;

    // Where something that looks like a Hugging Face token (hf_ followed by 30+ letters/digits) sits in
    // the preset, e.g. "parameters.api_key"; "" when there is none. Saving refuses such a preset.
    QString tokenLikeValue() const;

    // Same content (ignores filePath and the dates; file bytes are compared only when both sides have
    // them, so a preset kept by path equals the editor's request holding the file): "changed since saved".
    bool sameContent(const Preset &other) const;
};

} // namespace idesk
