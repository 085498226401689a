#pragma once

#include "ChatStreamAssembler.h"
#include "InferenceResult.h"
#include "ResultRenderer.h"

#include <QElapsedTimer>
#include <QTimer>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTextBrowser;
class QVBoxLayout;

namespace idesk {

class MarkdownReply;

// A chat reply: the text appended live while it streams, then the finish reason and token usage; tool
// calls drawn as cards (function name, id, arguments pretty-printed). Stop keeps what came.
// The reply is rendered as Markdown (MarkdownReply: committed pieces rendered once, the tail again at most
// every markdownIntervalMs); the "Raw text" switch shows the text as it came. Above it, the conversation
// that asked (setConversation): system, user turns with their image thumbnails, assistant replies, tool
// calls and results, scrolled to the newest turn. A reply cut by max_tokens (finish reason "length") says
// so and offers to raise the limit (raiseMaxTokensRequested).
//
// Streaming: startStream(), then addStreamEvent() for each InferenceClient::streamEvent (or
// appendStreamText() for bare text), then finishStream(result). Text and tool-call cards are updated
// together, at most every 30 ms, so a fast stream never floods the event loop; text() includes what is
// still waiting. A card appears when its call starts; its arguments fill in as they arrive (as received
// while incomplete, pretty-printed once they are a whole JSON text, and at the end).
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
    void addStreamEvent(const QByteArray &data, const QByteArray &eventName = QByteArray());
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
    // Milliseconds from the first stream event given to the view to the first paint of the reply text
    // showing it (one clock, sub-millisecond resolution); -1 until the text was painted.
    double firstTextMs() const { return m_firstTextMs; }
    // The longest single Markdown render step since startStream() (for the benchmark), in milliseconds.
    double longestMarkdownStepMs() const { return m_longestMarkdownStepMs; }
    // True while rendered Markdown is still behind the text received.
    bool markdownPending() const { return m_markdownDirty; }

    static constexpr int flushIntervalMs = 30;
    static constexpr int markdownIntervalMs = 100;
    static constexpr int markdownBudgetChars = 1200; // Markdown rendered per step at most (a few ms)
    static constexpr int markdownCatchUpMs = 5;      // the next step when more is waiting

    // The conversation sent (the request's messages); earlier turns are shown above the reply.
    void setConversation(const QJsonValue &messages);
    QTextBrowser *transcript() const { return m_transcript; }
    MarkdownReply *markdownView() const { return m_markdown; }
    QCheckBox *rawSwitch() const { return m_rawSwitch; }
    bool showsRaw() const;

Q_SIGNALS:
    // The reply is complete (streamed or not) and can continue the conversation.
    void replyReady(const QJsonObject &message);
    // The person chose to keep a stopped reply (its text so far) as the assistant's turn.
    void keepRequested(const QJsonObject &message);
    // The reply stopped at max_tokens and the person asked for a higher limit (twice the usage, at least).
    void raiseMaxTokensRequested(int suggested);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Card
    {
        QWidget *frame = nullptr;
        QLabel *title = nullptr;
        QPlainTextEdit *arguments = nullptr;
        QString name;
        QString id;
        qsizetype shown = 0; // characters of the raw arguments in the widget
        bool pretty = false; // the widget holds the pretty-printed arguments
    };

    void noteStreamStart();
    void scheduleFlush();
    void flush();
    void clearCards();
    // Brings the cards up to the assembled tool calls: new cards, new argument text; `final` pretty-prints
    // every call's arguments (end of the answer).
    void updateCards(bool final);
    // The finish reason and usage, after `extra`; in the problem colour when `problem`.
    void showFooter(const QString &extra = QString(), bool problem = false);
    void setPlaceholder(const QString &text);
    void renderMarkdown(bool final);

    QLabel *m_header = nullptr;
    QPlainTextEdit *m_text = nullptr;
    MarkdownReply *m_markdown = nullptr;
    QStackedWidget *m_replyStack = nullptr;
    QCheckBox *m_rawSwitch = nullptr;
    QTextBrowser *m_transcript = nullptr;
    QPushButton *m_raise = nullptr;
    QTimer m_markdownTimer;
    bool m_markdownDirty = false;
    double m_longestMarkdownStepMs = 0;
    QWidget *m_cards = nullptr;
    QVBoxLayout *m_cardsLayout = nullptr;
    QLabel *m_footer = nullptr;
    QPushButton *m_keep = nullptr;
    ChatStreamAssembler m_answer;
    QList<Card> m_cardList;
    qint64 m_toolCallsSize = 0; // what the cards show, to see when a chunk changed a call
    bool m_cardsDirty = false;
    QString m_pending;
    QTimer m_flushTimer;
    QElapsedTimer m_clock; // started by the first stream event
    double m_firstTextMs = -1;
    bool m_streaming = false;
};

} // namespace idesk
