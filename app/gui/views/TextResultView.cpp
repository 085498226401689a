#include "TextResultView.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QVBoxLayout>

namespace idesk {

namespace {

QString titleFor(const QString &task, const QString &kind, const QString &role)
{
    if (kind == QLatin1String("chat"))
        return role.isEmpty() ? TextResultView::tr("Reply") : TextResultView::tr("Reply (%1)").arg(role);
    if (task == QLatin1String("summarization"))
        return TextResultView::tr("Summary");
    if (task == QLatin1String("translation"))
        return TextResultView::tr("Translation");
    if (task == QLatin1String("automatic-speech-recognition"))
        return TextResultView::tr("Transcription");
    if (task == QLatin1String("image-to-text"))
        return TextResultView::tr("Caption");
    return TextResultView::tr("Generated text");
}

} // namespace

TextResultView::TextResultView(QWidget *parent) : ResultRenderer(parent)
{
    m_header = new QLabel(this);
    QFont bold = m_header->font();
    bold.setBold(true);
    m_header->setFont(bold);
    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setAccessibleName(tr("Answer text"));
    QFont f = m_text->font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_text->setFont(f);
    m_footer = new QLabel(this);
    m_footer->setWordWrap(true);
    m_footer->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_header);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_footer);
}

void TextResultView::showResult(const ResultContext &context)
{
    const ResultShape &shape = context.shape;
    m_kind = shape.kind == QLatin1String("chat") ? QStringLiteral("chat") : QStringLiteral("text");
    m_header->setText(titleFor(context.request.task, m_kind, shape.role));
    QString text = shape.text;
    if (!shape.segments.isEmpty()) {
        text += QLatin1String("\n\n");
        for (const auto &s : shape.segments)
            text +=
                tr("[%1 – %2 s] %3\n").arg(s.start, 0, 'f', 2).arg(s.end, 0, 'f', 2).arg(s.text.trimmed());
    }
    m_text->setPlainText(text);
    m_text->setPlaceholderText(tr("The model answered with empty text."));
    QStringList footer;
    if (!shape.finishReason.isEmpty())
        footer.append(tr("Finished because: %1").arg(shape.finishReason));
    const QString usage = ChatStreamAssembler::usageText(shape.usage);
    if (!usage.isEmpty())
        footer.append(usage);
    footer.append(tr("%n character(s)", nullptr, int(shape.text.size())));
    m_footer->setText(footer.join(QStringLiteral(" · ")));
}

void TextResultView::startStream()
{
    m_kind = QStringLiteral("text");
    m_header->setText(tr("Streaming…"));
    m_text->clear();
    m_footer->clear();
}

void TextResultView::appendStreamText(const QString &text)
{
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text);
    if (atEnd)
        bar->setValue(bar->maximum());
}

QString TextResultView::text() const
{
    return m_text->toPlainText();
}

QString TextResultView::footerText() const
{
    return m_footer->text();
}

QString TextResultView::copyText() const
{
    return m_text->textCursor().hasSelection() ? m_text->textCursor().selectedText() : m_text->toPlainText();
}

} // namespace idesk
