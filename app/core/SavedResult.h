#pragma once

#include "InferenceRequest.h"
#include "InferenceResult.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <optional>

namespace idesk {

// One answer as a file a person can keep or share: the request (never the token), the answer (text as
// text, binary as base64) and its timing. Written by the app's Save result, the CLI's --save-result, and
// opened by `inference-desk --open FILE`.
//
// {"format": "inference-desk-result", "version": 1, "app_version": "0.1.0", "saved_at": "...",
//  "request": RequestCodec's form (the input file by its name only, with its bytes; files written before
//              it, with use_cache, wait_for_model, options.*_ms, file.name, are read too),
//  "response": {"outcome", "status", "reason", "url", "headers": [[name, value]], "content_type",
//               "charset", "body_text" | "body_base64", "error_message", "server_message"},
//  "timing": {"elapsed_ms", "first_byte_ms", "attempts"}}
struct SavedResult
{
    static constexpr int formatVersion = 1;
    static QString formatName() { return QStringLiteral("inference-desk-result"); }

    InferenceRequest request;
    InferenceResult result;
    QString appVersion = QStringLiteral(IDESK_VERSION);
    QDateTime savedAt;

    QByteArray toJson() const;
    // nullopt with *error (a sentence that says what is wrong and what to do) when `json` is not a
    // saved result this version can read.
    static std::optional<SavedResult> fromJson(const QByteArray &json, QString *error = nullptr);

    // Atomic write (QSaveFile); false with *error when the file cannot be written.
    bool save(const QString &path, QString *error = nullptr) const;
    // Reads with LocalFile::read under fileCap() (regular files only).
    static std::optional<SavedResult> load(const QString &path, QString *error = nullptr);

    // Limits on a file someone else may have written: its size, its nesting, the number of values in it
    // and the length of its short texts (model, URL, task, content type...).
    static qint64 fileCap();
    static constexpr int maxDepth = 64;
    static constexpr qint64 maxValues = 500000;
    static constexpr int maxFieldLength = 4096;

    // Headers that never go into the file (credentials a server might echo).
    static bool isSecretHeader(const QByteArray &name);
};

} // namespace idesk
