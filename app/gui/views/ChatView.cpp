#include "ChatView.h"

#include <QFontDatabase>
#include <QFontMetrics>
#include <QFrame>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextCursor>
#include <QVBoxLayout>

namespace idesk {

ChatView::ChatView(QWidget *parent) : ResultRenderer(parent)
{
    m_header = new QLabel(tr("Reply"), this);
    QFont bold = m_header->font();
    bold.setBold(true);
    m_header->setFont(bold);

    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setUndoRedoEnabled(false);
    m_text->setAccessibleName(tr("Reply text"));
    QFont f = m_text->font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_text->setFont(f);

    m_cards = new QWidget(this);
    m_cardsLayout = new QVBoxLayout(m_cards);
    m_cardsLayout->setContentsMargins(0, 0, 0, 0);
    m_cards->hide();

    m_footer = new QLabel(this);
    m_footer->setWordWrap(true);
    m_footer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_footer->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_header);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_cards);
    layout->addWidget(m_footer);

    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(flushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] {
        if (!m_pending.isEmpty())
            flush();
    });
}

QString ChatView::text() const
{
    return m_text->toPlainText() + m_pending;
}

QString ChatView::footerText() const
{
    return m_footer->text();
}

void ChatView::startStream()
{
    m_answer.clear();
    m_pending.clear();
    m_flushTimer.stop();
    m_text->clear();
    m_text->setPlaceholderText(tr("Waiting for the first words…"));
    m_footer->clear();
    showToolCalls();
    m_header->setText(tr("Reply (streaming…)"));
    m_streaming = true;
    m_firstTextMs = -1;
    m_clock.start();
}

void ChatView::addStreamEvent(const QByteArray &data)
{
    const int toolCallsBefore = int(m_answer.toolCalls().size());
    const QString added = m_answer.addEvent(data);
    if (!added.isEmpty())
        appendStreamText(added);
    if (m_answer.toolCalls().size() != toolCallsBefore)
        showToolCalls(); // a new call: its card appears; the arguments fill in at the end
}

void ChatView::appendStreamText(const QString &text)
{
    if (text.isEmpty())
        return;
    m_pending += text;
    // The first piece goes out at once; later ones are gathered for at most flushIntervalMs.
    if (!m_flushTimer.isActive())
        flush();
}

void ChatView::flush()
{
    if (!m_pending.isEmpty()) {
        QScrollBar *bar = m_text->verticalScrollBar();
        const bool atBottom = bar->value() >= bar->maximum() - 4;
        QTextCursor cursor(m_text->document());
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(m_pending);
        m_pending.clear();
        if (atBottom)
            bar->setValue(bar->maximum());
        if (m_firstTextMs < 0 && m_clock.isValid())
            m_firstTextMs = m_clock.elapsed();
    }
    m_flushTimer.start();
}

void ChatView::finishStream(const InferenceResult &result)
{
    m_flushTimer.stop();
    if (!m_pending.isEmpty())
        flush();
    m_flushTimer.stop();
    m_streaming = false;
    m_text->setPlaceholderText(tr("The model answered with empty text."));
    m_header->setText(tr("Reply (%1)").arg(m_answer.role()));
    showToolCalls();
    if (result.outcome == InferenceResult::Outcome::Cancelled) {
        showFooter(tr("Stopped: the part received is kept."));
        return;
    }
    if (!result.ok()) {
        showFooter(result.errorMessage);
        return;
    }
    if (m_answer.hasError()) {
        showFooter(
            tr("The server reported an error in the middle of the answer: %1").arg(m_answer.errorMessage()));
        return;
    }
    showFooter();
    Q_EMIT replyReady(m_answer.message());
}

void ChatView::showResult(const ResultContext &context)
{
    m_flushTimer.stop();
    m_pending.clear();
    m_streaming = false;
    m_answer.clear();
    if (context.result.isEventStream()) {
        m_answer.feedBytes(context.result.body);
        m_answer.finishBytes();
    } else {
        m_answer.readAnswer(context.json);
    }
    m_header->setText(tr("Reply (%1)").arg(m_answer.role()));
    m_text->setPlainText(m_answer.content());
    m_text->setPlaceholderText(m_answer.toolCalls().isEmpty() ? tr("The model answered with empty text.")
                                                              : tr("The model answered with tool calls."));
    showToolCalls();
    if (context.result.outcome == InferenceResult::Outcome::Cancelled) {
        showFooter(tr("Stopped: the part received is kept."));
        return;
    }
    if (!context.result.ok()) {
        showFooter(context.result.errorMessage);
        return;
    }
    if (m_answer.hasError()) {
        showFooter(tr("The server reported an error: %1").arg(m_answer.errorMessage()));
        return;
    }
    showFooter();
    Q_EMIT replyReady(m_answer.message());
}

void ChatView::showToolCalls()
{
    while (QLayoutItem *item = m_cardsLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QList<ChatStreamAssembler::ToolCall> calls = m_answer.toolCalls();
    m_cards->setVisible(!calls.isEmpty());
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const ChatStreamAssembler::ToolCall &call : calls) {
        auto *card = new QFrame(m_cards);
        card->setObjectName(QStringLiteral("toolCallCard"));
        card->setFrameShape(QFrame::StyledPanel);
        auto *layout = new QVBoxLayout(card);
        auto *title = new QLabel(card);
        title->setObjectName(QStringLiteral("toolCallTitle"));
        title->setTextFormat(Qt::RichText);
        title->setText(tr("Tool call: <b>%1</b>%2")
                           .arg(call.name.toHtmlEscaped(),
                                call.id.isEmpty()
                                    ? QString()
                                    : QStringLiteral(" <small>(%1)</small>").arg(call.id.toHtmlEscaped())));
        auto *args = new QPlainTextEdit(card);
        args->setObjectName(QStringLiteral("toolCallArguments"));
        args->setReadOnly(true);
        args->setFont(mono);
        args->setAccessibleName(tr("Arguments of %1").arg(call.name));
        const QString pretty =
            m_streaming && call.arguments.isEmpty() ? tr("(arguments arriving…)") : call.prettyArguments();
        args->setPlainText(pretty);
        const int lines = qBound(2, int(pretty.count(QLatin1Char('\n'))) + 2, 14);
        args->setFixedHeight(QFontMetrics(mono).lineSpacing() * lines + 12);
        layout->addWidget(title);
        layout->addWidget(args);
        m_cardsLayout->addWidget(card);
    }
}

void ChatView::showFooter(const QString &extra)
{
    QStringList parts;
    if (!extra.isEmpty())
        parts.append(extra);
    const QString line = m_answer.summaryLine();
    if (!line.isEmpty())
        parts.append(line);
    else if (parts.isEmpty())
        parts.append(tr("%n character(s)", nullptr, int(text().size())));
    m_footer->setText(parts.join(QStringLiteral(" · ")));
}

int ChatView::toolCallCardCount() const
{
    return int(m_cards->findChildren<QFrame *>(QStringLiteral("toolCallCard")).size());
}

QStringList ChatView::toolCallCardTexts() const
{
    QStringList out;
    for (QFrame *card : m_cards->findChildren<QFrame *>(QStringLiteral("toolCallCard"))) {
        const auto *title = card->findChild<QLabel *>(QStringLiteral("toolCallTitle"));
        const auto *args = card->findChild<QPlainTextEdit *>(QStringLiteral("toolCallArguments"));
        out.append((title ? title->text() : QString()) + QLatin1Char('\n') +
                   (args ? args->toPlainText() : QString()));
    }
    return out;
}

} // namespace idesk
