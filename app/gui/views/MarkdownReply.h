#pragma once

#include <QStringList>
#include <QTextBrowser>

namespace idesk {

// A chat reply rendered as Markdown with Qt's own importer (headings, lists, emphasis, tables, links,
// code blocks in a monospace face), each fenced code block followed by a "Copy code" link that puts its
// code on the clipboard. Links open in the browser (http and https only).
//
// Streaming stays cheap: the text is cut into pieces at blank lines outside code fences (or, when a
// paragraph or code block grows past maxTailChars, at a line end: a code block is then closed and
// reopened), each piece rendered once and appended, a bounded amount per render() call; only the tail
// after the last cut is rendered again each time. setText() renders a whole text at once.
class MarkdownReply : public QTextBrowser
{
    Q_OBJECT
public:
    explicit MarkdownReply(QWidget *parent = nullptr);

    static constexpr int maxTailChars = 1200;

    // Forgets everything shown.
    void reset();
    // The reply's whole text so far (it only grows while streaming); render() shows it.
    void setSource(const QString &text) { m_source = text; }
    void appendSource(const QString &text) { m_source += text; }
    const QString &source() const { return m_source; }
    // Brings the document up to source(): new committed pieces appended (at most about `budget`
    // characters of them, all when negative), then the tail rendered again. False when pieces are left
    // for the next call (the tail waits behind them). `final`: the last line is complete (the stream
    // ended).
    bool render(bool final = false, qsizetype budget = -1);
    // reset(), setSource(text), render(true).
    void setText(const QString &text);

    // The code of the fenced code blocks closed so far, in order (what their Copy links copy).
    QStringList codeBlocks() const { return m_codes; }
    // Puts code block `index` on the clipboard; false when there is none.
    bool copyCodeBlock(int index) const;

private:
    void scanLine(const QString &line);
    void commit(const QString &markdown);
    void replaceTail(const QString &markdown);
    void insertMarkdown(const QString &markdown);

    QString m_source;
    qsizetype m_scanned = 0; // characters of m_source whose lines went through scanLine()
    QString m_pending;       // Markdown of scanned lines after the last cut (the tail, with the last line)
    QStringList m_ready;     // pieces cut and not in the document yet
    bool m_inFence = false;
    QString m_fence;     // the fence that opened the current code block (``` or ~~~, 3 or more)
    QString m_fenceLine; // its whole line (with the language)
    QString m_code;      // the code of the current block so far
    QStringList m_codes;
    int m_committedEnd = 0; // document position after the committed pieces
};

} // namespace idesk
