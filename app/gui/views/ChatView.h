#pragma once

#include "ChatStreamAssembler.h"
#include "InferenceResult.h"
#include "ResultRenderer.h"

#include <QElapsedTimer>
#include <QTimer>

class QLabel;
class QPlainTextEdit;
class QVBoxLayout;

namespace idesk {

// A chat reply: the text appended live while it streams, then the finish reason and token usage; tool
// calls drawn as cards (function name, id, arguments pretty-printed). Stop keeps what came.
//
// Streaming: startStream(), then addStreamEvent() for each InferenceClient::streamEvent (or
// appendStreamText() for bare text), then finishStream(result). Appends are coalesced and written to the
// text widget at most every 30 ms, so a fast stream never floods the event loop; text() includes what is
// still waiting.
class ChatView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit ChatView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("chat"); }
    // A whole answer (non-streamed, saved, or a stream's body), also one stopped part-way: the part
    // received is shown with "Stopped".
    void showResult(const ResultContext &context) override;
    QString copyText() const override { return text(); }

    void startStream();
    void addStreamEvent(const QByteArray &data);
    void appendStreamText(const QString &text);
    void finishStream(const InferenceResult &result);
    bool isStreaming() const { return m_streaming; }

    QString text() const;                  // the reply's text so far
    QString footerText() const;            // finish reason, usage, or what went wrong
    int toolCallCardCount() const;         // cards shown
    QStringList toolCallCardTexts() const; // each card's name line and arguments, for tests
    const ChatStreamAssembler &assembled() const { return m_answer; }
    // The assembled reply as a chat message {"role", "content", "tool_calls"?} (for the conversation).
    QJsonObject message() const { return m_answer.message(); }
    qint64 firstTextMs() const { return m_firstTextMs; } // from startStream to the first text on screen

    static constexpr int flushIntervalMs = 30;

Q_SIGNALS:
    // The reply is complete (streamed or not) and can continue the conversation.
    void replyReady(const QJsonObject &message);

private:
    void flush();
    void showToolCalls();
    void showFooter(const QString &extra = QString());

    QLabel *m_header = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QWidget *m_cards = nullptr;
    QVBoxLayout *m_cardsLayout = nullptr;
    QLabel *m_footer = nullptr;
    ChatStreamAssembler m_answer;
    QString m_pending;
    QTimer m_flushTimer;
    QElapsedTimer m_clock;
    qint64 m_firstTextMs = -1;
    bool m_streaming = false;
};

} // namespace idesk
