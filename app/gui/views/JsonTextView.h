#pragma once

#include <QByteArray>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTimer;

namespace idesk {

class JsonHighlighter;

// Pretty-printed JSON with syntax colouring. Large texts are put in the editor a chunk per event-loop
// turn (the window never freezes); past highlightCap the text is shown without colours, and past
// displayCap only its beginning is shown (Copy and Save still give the whole answer).
class JsonTextView : public QWidget
{
    Q_OBJECT
public:
    explicit JsonTextView(QWidget *parent = nullptr);

    static constexpr qsizetype highlightCap = 512 * 1024;
    static constexpr qsizetype displayCap = 4 * 1024 * 1024;
    static constexpr qsizetype chunkSize = 64 * 1024;

    // `text` the pretty JSON; when it is only the beginning of a large answer (prettyBeginning), `answer`
    // is the whole answer, which Copy formats again when asked.
    void setJsonText(const QByteArray &text, const QString &note = {}, const QByteArray &answer = {});
    // The beginning of `json` pretty-printed by the core's streaming printer (compact below its depth
    // limit), at most displayCap plus a chunk: the text of a large answer is never built whole. *cut is
    // set when there is more. Safe on any thread.
    static QByteArray prettyBeginning(const QByteArray &json, bool *cut);
    void clear();
    // Palette changed (light/dark): colour the text again with matching colours.
    void refreshColours();
    // The whole pretty text (formatted again from the answer when only its beginning was kept).
    QByteArray fullText() const;
    bool isLoading() const;
    bool isHighlighted() const;
    bool isTruncated() const { return m_text.size() > displayCap || !m_answer.isEmpty(); }
    QPlainTextEdit *editor() const { return m_editor; }

Q_SIGNALS:
    void loaded();

protected:
    // A large text goes into the editor only once the view is shown (lazy: the Result tab's person
    // pays nothing for it).
    void showEvent(QShowEvent *event) override;

private:
    void appendChunk();

    QLabel *m_note = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    QTimer *m_feed = nullptr;
    QByteArray m_text;
    QByteArray m_answer; // the whole answer when m_text is only its beginning
    qsizetype m_pos = 0;
    qsizetype m_end = 0;
    bool m_waiting = false; // a large text waits to be shown before it is fed
};

} // namespace idesk
