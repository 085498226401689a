#pragma once

#include <QJsonValue>

class QTextBrowser;

namespace idesk {

// The conversation a chat request sent, as a transcript a person reads: one section per message with its
// role (System, User, Assistant, Tool result), the text rendered as Markdown, a user turn's images as
// thumbnails with their size (web images by their address), an assistant's tool calls with their
// arguments; scrolled to the newest turn.
namespace ChatTranscript {

constexpr int thumbnailSide = 96;

// Fills `view` with the messages; false (and the view cleared) when there is no message to show.
bool fill(QTextBrowser *view, const QJsonValue &messages);

} // namespace ChatTranscript
} // namespace idesk
