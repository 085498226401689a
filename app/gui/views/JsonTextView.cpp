#include "JsonTextView.h"

#include "JsonHighlighter.h"
#include "JsonPrettyPrinter.h"

#include <QIODevice>

#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTextCursor>
#include <QTimer>
#include <QVBoxLayout>

namespace idesk {

namespace {

// Keeps the first `cap` bytes written to it, then refuses (the printer stops writing).
class CappedBuffer : public QIODevice
{
public:
    CappedBuffer(QByteArray *out, qsizetype cap) : m_out(out), m_cap(cap) { open(QIODevice::WriteOnly); }
    bool full = false;

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override
    {
        const qint64 room = m_cap - m_out->size();
        if (size > room) {
            m_out->append(data, qsizetype(qMax<qint64>(room, 0)));
            full = true;
            return -1;
        }
        m_out->append(data, qsizetype(size));
        return size;
    }

private:
    QByteArray *m_out;
    qsizetype m_cap;
};

} // namespace

QByteArray JsonTextView::prettyBeginning(const QByteArray &json, bool *cut)
{
    QByteArray text;
    CappedBuffer buffer(&text, displayCap + chunkSize);
    const bool ok = JsonPrettyPrinter::write(json, &buffer, 2);
    *cut = buffer.full;
    return ok || buffer.full ? text : QByteArray();
}

QByteArray JsonTextView::fullText() const
{
    return m_answer.isEmpty() ? m_text : JsonPrettyPrinter::format(m_answer, 2);
}

JsonTextView::JsonTextView(QWidget *parent) : QWidget(parent)
{
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setContentsMargins(6, 4, 6, 4);
    m_note->hide();
    m_editor = new QPlainTextEdit(this);
    m_editor->setReadOnly(true);
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setAccessibleName(tr("Answer as JSON text"));
    m_editor->setUndoRedoEnabled(false);
    m_feed = new QTimer(this);
    m_feed->setInterval(0);
    connect(m_feed, &QTimer::timeout, this, &JsonTextView::appendChunk);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addWidget(m_editor, 1);
}

void JsonTextView::clear()
{
    m_feed->stop();
    delete m_highlighter;
    m_highlighter = nullptr;
    m_editor->clear();
    m_text.clear();
    m_answer.clear();
    m_waiting = false;
    m_pos = m_end = 0;
    m_note->hide();
}

void JsonTextView::refreshColours()
{
    if (!m_highlighter)
        return;
    delete m_highlighter;
    m_highlighter = new JsonHighlighter(m_editor->document(), m_editor->palette());
}

bool JsonTextView::isLoading() const
{
    return m_feed->isActive() || m_waiting;
}

void JsonTextView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_waiting) {
        m_waiting = false;
        m_feed->start();
    }
}

bool JsonTextView::isHighlighted() const
{
    return m_highlighter != nullptr;
}

void JsonTextView::setJsonText(const QByteArray &text, const QString &note, const QByteArray &answer)
{
    clear();
    m_text = text;
    m_answer = answer;
    m_end = std::min(m_text.size(), displayCap);
    const QLocale locale;
    QStringList notes;
    if (!note.isEmpty())
        notes.append(note);
    if (!m_answer.isEmpty())
        notes.append(tr("Showing the beginning of the %1 answer. Copy and Save take the whole answer.")
                         .arg(locale.formattedDataSize(m_answer.size())));
    else if (m_text.size() > displayCap)
        notes.append(tr("Showing the first %1 of %2. Copy and Save take the whole answer.")
                         .arg(locale.formattedDataSize(displayCap), locale.formattedDataSize(m_text.size())));
    else if (m_text.size() > highlightCap)
        notes.append(
            tr("Large answer (%1): shown without colours.").arg(locale.formattedDataSize(m_text.size())));
    m_note->setText(notes.join(QLatin1Char(' ')));
    m_note->setVisible(!notes.isEmpty());
    if (m_text.size() <= highlightCap)
        m_highlighter = new JsonHighlighter(m_editor->document(), m_editor->palette());
    if (m_end <= chunkSize) {
        m_editor->setPlainText(QString::fromUtf8(m_text.left(m_end)));
        m_pos = m_end;
        Q_EMIT loaded();
        return;
    }
    if (isVisible())
        m_feed->start();
    else
        m_waiting = true;
}

void JsonTextView::appendChunk()
{
    // Cut at a line end so that no line (and no UTF-8 sequence) is split between chunks.
    qsizetype next = std::min(m_pos + chunkSize, m_end);
    if (next < m_end) {
        const qsizetype nl = m_text.indexOf('\n', next);
        next = (nl < 0 || nl >= m_end) ? m_end : nl + 1;
    }
    QTextCursor cursor(m_editor->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(QString::fromUtf8(m_text.constData() + m_pos, next - m_pos));
    m_pos = next;
    if (m_pos >= m_end) {
        m_feed->stop();
        m_editor->moveCursor(QTextCursor::Start);
        Q_EMIT loaded();
    }
}

} // namespace idesk
