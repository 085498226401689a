#pragma once

#include "ChatStreamAssembler.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"

#include <QIODevice>
#include <QString>

namespace idesk::cli {

// Writes a successful answer in the CLI's formats: json (as received, re-serialised), pretty
// (indented), summary (one screen for a person: top labels with scores, generated text, ...).
namespace ResultPrinter {

bool write(const InferenceRequest &request, const InferenceResult &result, const QString &format,
           QIODevice *out, QString *error);

// A one-screen reading of a JSON answer; "" when the shape is not recognised.
QString summary(const QString &task, const QJsonValue &answer);

// The human reading of a chat or completions answer: its text (unless printed live already), its tool calls,
// then one line with finish reason and usage.
QByteArray chatReading(const ChatStreamAssembler &answer, bool textAlreadyPrinted);

// File name for a binary answer: <model with / as _>.<extension of the MIME type>.
QString binaryFileName(const QString &model, const QString &mimeType);

} // namespace ResultPrinter
} // namespace idesk::cli
