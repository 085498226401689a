#pragma once

#include <QStringList>
#include <QTextBrowser>

namespace idesk {

// A chat reply rendered as Markdown with Qt's own importer (headings, lists, emphasis, tables, links,
// code blocks in a monospace face), each fenced code block followed by a "Copy code" link that puts its
// code on the clipboard. Links open in the browser (http and https only).
//
// Streaming stays cheap: the text is cut into committed pieces at blank lines outside code fences (or,
// when a paragraph or code block grows past maxTailChars, at a line end: a code block is then closed
// and reopened), each committed piece rendered once and appended; only the tail after the last cut is
// rendered again on each render(). setText() renders a whole text at once.
class MarkdownReply : public QTextBrowser
{
    Q_OBJECT
public:
    explicit MarkdownReply(QWidget *parent = nullptr);

    static constexpr int maxTailChars = 3000;

    // Forgets everything shown.
    void reset();
    // The reply's whole text so far (it only grows while streaming); render() shows it.
    void setSource(const QString &text) { m_source = text; }
    void appendSource(const QString &text) { m_source += text; }
    const QString &source() const { return m_source; }
    // Brings the document up to source(): new committed pieces appended, the tail rendered again.
    // `final`: the last line is complete (the stream ended).
    void render(bool final = false);
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
    QString m_pending;       // Markdown of scanned lines not committed yet
    qsizetype m_cut = 0;     // characters of m_pending that can be committed (after a blank line)
    bool m_inFence = false;
    QString m_fence;     // the fence that opened the current code block (``` or ~~~, 3 or more)
    QString m_fenceLine; // its whole line (with the language)
    QString m_code;      // the code of the current block so far
    QStringList m_codes;
    int m_committedEnd = 0; // document position after the committed pieces
};

} // namespace idesk
