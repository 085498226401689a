#include "MarkdownReply.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocumentFragment>

namespace idesk {

namespace {
const QLatin1String kCopyScheme("idesk-copy");

// The fence that opens a code block on this line (``` or ~~~, three or more, at most three spaces in),
// or "".
QString openingFence(const QString &line)
{
    qsizetype i = 0;
    while (i < line.size() && i < 3 && line.at(i) == QLatin1Char(' '))
        ++i;
    if (i >= line.size() || (line.at(i) != QLatin1Char('`') && line.at(i) != QLatin1Char('~')))
        return {};
    const QChar c = line.at(i);
    qsizetype n = 0;
    while (i + n < line.size() && line.at(i + n) == c)
        ++n;
    if (n < 3 || (c == QLatin1Char('`') && line.indexOf(QLatin1Char('`'), i + n) >= 0))
        return {};
    return QString(n, c);
}

bool closesFence(const QString &line, const QString &fence)
{
    const QString t = line.trimmed();
    return t.size() >= fence.size() && t == QString(t.size(), fence.at(0));
}
} // namespace

MarkdownReply::MarkdownReply(QWidget *parent) : QTextBrowser(parent)
{
    setOpenLinks(false);
    setUndoRedoEnabled(false);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme() == kCopyScheme)
            copyCodeBlock(url.path().toInt());
        else if (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"))
            QDesktopServices::openUrl(url);
    });
}

void MarkdownReply::reset()
{
    clear();
    m_source.clear();
    m_scanned = 0;
    m_pending.clear();
    m_ready.clear();
    m_inFence = false;
    m_fence.clear();
    m_fenceLine.clear();
    m_code.clear();
    m_codes.clear();
    m_committedEnd = 0;
}

void MarkdownReply::setText(const QString &text)
{
    reset();
    m_source = text;
    render(true);
}

bool MarkdownReply::copyCodeBlock(int index) const
{
    if (index < 0 || index >= m_codes.size())
        return false;
    QGuiApplication::clipboard()->setText(m_codes.at(index));
    return true;
}

void MarkdownReply::scanLine(const QString &line)
{
    m_pending += line + QLatin1Char('\n');
    if (!m_inFence) {
        m_fence = openingFence(line);
        if (!m_fence.isEmpty()) {
            m_inFence = true;
            m_fenceLine = line;
            m_code.clear();
        } else if (line.trimmed().isEmpty() || m_pending.size() > maxTailChars) {
            // After a blank line; or a long paragraph cut at a line end all the same.
            m_ready.append(m_pending);
            m_pending.clear();
        }
        return;
    }
    if (!closesFence(line, m_fence)) {
        m_code += line + QLatin1Char('\n');
        if (m_pending.size() > maxTailChars) {
            // A long code block: closed here and opened again, each piece in the same face.
            m_ready.append(m_pending + m_fence + QLatin1Char('\n'));
            m_pending = m_fenceLine + QLatin1Char('\n');
        }
        return;
    }
    m_inFence = false;
    m_codes.append(m_code);
    m_pending += tr("[Copy code](%1:%2)").arg(kCopyScheme).arg(m_codes.size() - 1) + QLatin1String("\n\n");
    m_ready.append(m_pending);
    m_pending.clear();
}

bool MarkdownReply::render(bool final, qsizetype budget)
{
    // Whole lines go through the scanner; a last line without its line break waits in the tail.
    const qsizetype end = m_source.lastIndexOf(QLatin1Char('\n'));
    while (end >= m_scanned) {
        const qsizetype lineEnd = m_source.indexOf(QLatin1Char('\n'), m_scanned);
        scanLine(m_source.mid(m_scanned, lineEnd - m_scanned));
        m_scanned = lineEnd + 1;
    }
    if (final && m_scanned < m_source.size()) {
        scanLine(m_source.mid(m_scanned));
        m_scanned = m_source.size();
    }
    qsizetype done = 0;
    while (!m_ready.isEmpty() && (budget < 0 || done < budget)) {
        const QString piece = m_ready.takeFirst();
        commit(piece);
        done += piece.size();
    }
    if (!m_ready.isEmpty())
        return false; // the rest at the next call; the tail after it
    replaceTail(m_pending + m_source.mid(m_scanned));
    return true;
}

void MarkdownReply::insertMarkdown(const QString &markdown)
{
    if (markdown.trimmed().isEmpty())
        return;
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    const int start = document()->isEmpty() ? 0 : cursor.position();
    if (document()->isEmpty()) {
        document()->setMarkdown(markdown);
    } else {
        // A fragment's first block merges into the block at the cursor and loses its own format (a
        // heading, a code block): a zero-width space goes first and is the part that merges.
        cursor.insertFragment(QTextDocumentFragment::fromMarkdown(QStringLiteral("\u200B\n\n") + markdown));
    }
    // Code blocks on a shaded background, so that they stand out from the prose.
    QTextBlockFormat shaded;
    shaded.setBackground(palette().color(QPalette::AlternateBase));
    for (QTextBlock b = document()->findBlock(start); b.isValid(); b = b.next())
        if (b.blockFormat().hasProperty(QTextFormat::BlockCodeFence))
            QTextCursor(b).mergeBlockFormat(shaded);
}

void MarkdownReply::commit(const QString &markdown)
{
    replaceTail(QString());
    insertMarkdown(markdown);
    QTextCursor end(document());
    end.movePosition(QTextCursor::End);
    m_committedEnd = end.position();
}

void MarkdownReply::replaceTail(const QString &markdown)
{
    QTextCursor cursor(document());
    cursor.setPosition(qMin(m_committedEnd, document()->characterCount() - 1));
    cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    insertMarkdown(markdown);
}

} // namespace idesk
