#pragma once

#include "ChatStreamAssembler.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "views/ResultContext.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace idesk {

class ElidedLabel;

class ChatView;
class JsonTextView;
class JsonTreeView;
class RawView;
class ResultRenderer;
class TextResultView;

// The output pane: the answer drawn by its task's view ("Result"), the JSON (coloured text and a
// collapsible tree) and the raw exchange, with Copy and Save. Large answers are read and formatted off
// the UI thread while a "Formatting…" state shows.
class ResultView : public QWidget
{
    Q_OBJECT
public:
    explicit ResultView(QWidget *parent = nullptr);
    ~ResultView() override;

    // Choose and draw. At the end of a chat stream the live ChatView is finished, not replaced (the JSON
    // and Raw tabs get the result as for any other answer).
    void setResult(const InferenceRequest &request, const InferenceResult &result);
    void setBusy(const QString &message); // "Waiting for answer..." placeholder while a request runs
    // One server-sent event of `request`'s answer (InferenceClient::streamEvent), drawn live: a chat
    // completion by a ChatView (text and tool-call cards), any other stream as text.
    void addStreamEvent(const InferenceRequest &request, const QByteArray &data,
                        const QByteArray &eventName = QByteArray());
    void appendStreamText(const QString &text); // bare streamed text, appended live
    // The answer assembled from the last stream's events (also after setResult() ended it); nullptr when
    // the answer shown did not stream.
    const ChatStreamAssembler *streamedAnswer() const;
    void clear();
    QString currentViewKind() const; // "scores", "entities", ..., "json", "error", "raw"
    bool saveResult(const QString &path, QString *error) const; // SavedResult of the current result
    bool openResult(const QString &path, QString *error);       // load a SavedResult and show it
    // True while the answer on screen is the previous one (dimmed, labelled) and a new one is awaited.
    bool showsPreviousAnswer() const;

    // For tests and the main window: the parts.
    bool hasResult() const { return m_hasResult; }
    bool isFormatting() const { return m_formatting; }
    ResultRenderer *renderer() const { return m_renderer; }
    // The answer's tabs and their views, built for the first answer (or at the first of these calls).
    JsonTextView *jsonTextView()
    {
        ensureTabs();
        return m_jsonText;
    }
    JsonTreeView *jsonTreeView()
    {
        ensureTabs();
        return m_jsonTree;
    }
    RawView *rawView()
    {
        ensureTabs();
        return m_raw;
    }
    QTabWidget *tabs()
    {
        ensureTabs();
        return m_tabs;
    }
    QString statusSummary() const;
    InferenceRequest request() const { return m_context.request; }
    InferenceResult result() const { return m_context.result; }

    // Answers larger than this are read and formatted on a worker thread.
    static constexpr qsizetype asyncThreshold = 256 * 1024;
    // A JSON answer is built into a document (for the task's view) only within these; beyond them it is
    // shown by the JSON tree and text, which read its bytes (a document of 4,000 arrays nested 1,000
    // deep takes gigabytes).
    // A document costs about 16 bytes per value (far more per container): at most one value per
    // documentBytesPerValue bytes of answer (plus a few for small answers) keeps it near the answer's size.
    static constexpr int documentMaxDepth = 64;
    static constexpr qsizetype documentMaxBytes = 64 * 1024 * 1024;
    static constexpr qint64 documentBytesPerValue = 8;
    // Reads, parses, pretty-prints and decodes: safe to run on any thread.
    static ResultContext prepare(const InferenceRequest &request, const InferenceResult &result);

public Q_SLOTS:
    void copyToClipboard() const;
    void saveResultAs();

Q_SIGNALS:
    void viewChanged(const QString &kind);
    // A stopped chat reply the person keeps as the assistant's turn (ChatView's "Keep as assistant turn").
    void keepReplyRequested(const QJsonObject &message);
    // A chat reply stopped at max_tokens; the person asked for `suggested` instead.
    void raiseMaxTokensRequested(int suggested);

protected:
    void changeEvent(QEvent *event) override;

private:
    void ensureTabs();
    void beginStream();
    void resetStream();
    void showPrepared(const ResultContext &context, bool hiddenTabsLater = false);
    void showJson(const ResultContext &context);
    void setRenderer(ResultRenderer *renderer, const QString &kind);
    void showPage(QWidget *page);
    void setKind(const QString &kind);

    ElidedLabel *m_summary = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_save = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_emptyPage = nullptr;
    QWidget *m_busyPage = nullptr;
    QLabel *m_busyLabel = nullptr;
    ElidedLabel *m_previousBanner = nullptr; // "Previous answer — sending…" over the dimmed answer
    QTabWidget *m_tabs = nullptr;
    QStackedWidget *m_resultStack = nullptr;
    QLabel *m_formattingLabel = nullptr;
    QStackedWidget *m_jsonStack = nullptr;
    QToolButton *m_jsonTextButton = nullptr;
    QToolButton *m_jsonTreeButton = nullptr;
    JsonTextView *m_jsonText = nullptr;
    JsonTreeView *m_jsonTree = nullptr;
    RawView *m_raw = nullptr;
    ResultRenderer *m_renderer = nullptr;
    TextResultView *m_stream = nullptr;
    QPointer<ChatView> m_chatStream;  // the chat stream drawn live (kept once finished, for its answer)
    ChatStreamAssembler m_textStream; // a text stream's events (a chat stream's are in m_chatStream)
    bool m_streamOpen = false;        // events came and setResult() has not ended the stream yet

    ResultContext m_context;
    QString m_kind;
    bool m_hasResult = false;
    bool m_formatting = false;
    bool m_repaintQueued = false;
    quint64 m_generation = 0;
};

} // namespace idesk
