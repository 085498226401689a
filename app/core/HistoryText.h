#pragma once

#include "InferenceRequest.h"
#include "InferenceResult.h"

#include <QString>

namespace idesk {

// The words the history indexes and shows for one exchange (HistoryStore): the input's text, the answer's
// text (labels, generated text, answers, entities' words...) and short one-line snippets of both.
// Widget-free; safe on any thread.
namespace HistoryText {

// Longest text indexed per column, in characters (a 30 MB answer is not copied whole into the index).
constexpr int maxIndexedChars = 64 * 1024;
// Longest snippet, in characters.
constexpr int maxSnippetChars = 160;

// Every string in the request's inputs (a text, a question and its context, a conversation's contents),
// and the input file's name.
QString inputText(const InferenceRequest &request);
// The answer's words: every string value of a JSON answer (or of each event of a stream), the text of a
// text answer; for a binary answer its content type.
QString answerText(const InferenceResult &result);
// One line for a list: the CLI's summary of the answer (ResultShape) when it has one, else answerText().
QString answerSnippet(const InferenceRequest &request, const InferenceResult &result);
// `text` on one line (runs of white space become one space), cut to maxSnippetChars with an ellipsis.
QString oneLine(const QString &text, int max = maxSnippetChars);
// Where the request went, in a word: the router's provider (router.huggingface.co/<provider>/...),
// else the endpoint's host.
QString provider(const QString &endpoint);

} // namespace HistoryText

} // namespace idesk
