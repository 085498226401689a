#include "ChatView.h"

#include "ChatTranscript.h"
#include "MarkdownReply.h"
#include "ProblemText.h"
#include "Scrub.h"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QEvent>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QFrame>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTextCursor>
#include <QVBoxLayout>

namespace idesk {

namespace {
// Arguments that are a whole JSON text (an object or array, so the last character closes it).
bool isWholeJson(const QString &text)
{
    qsizetype last = text.size() - 1;
    while (last >= 0 && text.at(last).isSpace())
        --last;
    if (last < 0 || (text.at(last) != QLatin1Char('}') && text.at(last) != QLatin1Char(']')))
        return false;
    QJsonParseError error;
    QJsonDocument::fromJson(text.toUtf8(), &error);
    return error.error == QJsonParseError::NoError;
}

// The server's words as a sentence: trimmed, with a full stop when they have none.
QString sentence(const QString &text)
{
    QString out = text.trimmed();
    if (!out.isEmpty() && !out.endsWith(QLatin1Char('.')) && !out.endsWith(QLatin1Char('!')) &&
        !out.endsWith(QLatin1Char('?')))
        out += QLatin1Char('.');
    return out;
}
} // namespace

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

    m_markdown = new MarkdownReply(this);
    m_markdown->setObjectName(QStringLiteral("markdownReply"));
    m_markdown->setAccessibleName(tr("Reply"));
    m_markdown->setFont(f);
    m_replyStack = new QStackedWidget(this);
    m_replyStack->addWidget(m_markdown);
    m_replyStack->addWidget(m_text);
    m_rawSwitch = new QCheckBox(tr("&Raw text"), this);
    m_rawSwitch->setObjectName(QStringLiteral("rawTextSwitch"));
    m_rawSwitch->setToolTip(tr("Show the reply as the model wrote it, without rendering its Markdown"));
    connect(m_rawSwitch, &QCheckBox::toggled, this, [this](bool raw) {
        m_replyStack->setCurrentWidget(raw ? static_cast<QWidget *>(m_text) : m_markdown);
        if (!raw)
            renderMarkdown(!m_streaming);
    });
    m_transcript = new QTextBrowser(this);
    m_transcript->setObjectName(QStringLiteral("chatTranscript"));
    m_transcript->setAccessibleName(tr("Conversation"));
    m_transcript->setOpenExternalLinks(true);
    m_transcript->hide();

    m_cards = new QWidget(this);
    m_cardsLayout = new QVBoxLayout(m_cards);
    m_cardsLayout->setContentsMargins(0, 0, 0, 0);
    m_cards->hide();

    m_footer = new QLabel(this);
    m_footer->setObjectName(QStringLiteral("chatFooter"));
    m_footer->setWordWrap(true);
    m_footer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_footer->setForegroundRole(QPalette::PlaceholderText);

    // A stopped reply can still go on: kept as the assistant's turn, the model continues from it.
    m_keep = new QPushButton(tr("&Keep as assistant turn"), this);
    m_keep->setObjectName(QStringLiteral("keepPartialReply"));
    m_keep->setToolTip(tr("Put the part received into the conversation as the assistant's reply"));
    m_keep->hide();
    connect(m_keep, &QPushButton::clicked, this, [this] {
        m_keep->hide();
        // The text only: a tool call cut off part-way cannot be answered.
        QJsonObject message = m_answer.message();
        message.remove(QStringLiteral("tool_calls"));
        Q_EMIT keepRequested(message);
    });
    // A reply cut by max_tokens: one click asks for a higher limit.
    m_raise = new QPushButton(tr("Raise max_tokens"), this);
    m_raise->setObjectName(QStringLiteral("raiseMaxTokens"));
    m_raise->hide();
    connect(m_raise, &QPushButton::clicked, this, [this] {
        const qint64 used = m_answer.usage().completionTokens;
        Q_EMIT raiseMaxTokensRequested(
            int(qBound(qint64(1024), used > 0 ? used * 2 : qint64(2048), qint64(1) << 20)));
    });
    auto *footerRow = new QHBoxLayout;
    footerRow->addWidget(m_footer, 1);
    footerRow->addWidget(m_raise, 0, Qt::AlignTop);
    footerRow->addWidget(m_keep, 0, Qt::AlignTop);

    auto *headerRow = new QHBoxLayout;
    headerRow->addWidget(m_header, 1);
    headerRow->addWidget(m_rawSwitch);
    auto *reply = new QWidget(this);
    auto *replyLayout = new QVBoxLayout(reply);
    replyLayout->setContentsMargins(0, 0, 0, 0);
    replyLayout->addLayout(headerRow);
    replyLayout->addWidget(m_replyStack, 1);
    replyLayout->addWidget(m_cards);
    replyLayout->addLayout(footerRow);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(m_transcript);
    split->addWidget(reply);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split, 1);

    m_text->viewport()->installEventFilter(this);
    m_markdown->viewport()->installEventFilter(this);
    m_markdownTimer.setSingleShot(true);
    m_markdownTimer.setInterval(markdownIntervalMs);
    connect(&m_markdownTimer, &QTimer::timeout, this, [this] {
        if (m_markdownDirty)
            renderMarkdown(!m_streaming);
    });

    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(flushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] {
        if (!m_pending.isEmpty() || m_cardsDirty)
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
    m_keep->hide();
    m_answer.clear();
    m_pending.clear();
    m_flushTimer.stop();
    m_text->clear();
    m_markdown->reset();
    m_longestMarkdownStepMs = 0;
    m_markdownTimer.stop();
    m_markdownDirty = false;
    m_raise->hide();
    setPlaceholder(tr("Waiting for the first words…"));
    m_footer->clear();
    clearCards();
    m_header->setText(tr("Reply (streaming…)"));
    m_streaming = true;
    m_firstTextMs = -1;
    m_clock.invalidate();
}

void ChatView::noteStreamStart()
{
    if (!m_clock.isValid())
        m_clock.start();
}

void ChatView::addStreamEvent(const QByteArray &data, const QByteArray &eventName)
{
    noteStreamStart();
    const QString added = m_answer.addEvent(data, eventName);
    m_pending += added;
    // A chunk that starts a call or adds to its name or arguments: the cards follow at the next flush.
    // Constant time per chunk (the assembler keeps the size): walking every call made 500,000 deltas crawl.
    if (m_answer.toolCallsSize() != m_toolCallsSize)
        m_cardsDirty = true;
    if (!added.isEmpty() || m_cardsDirty)
        scheduleFlush();
}

void ChatView::appendStreamText(const QString &text)
{
    if (text.isEmpty())
        return;
    noteStreamStart();
    m_pending += text;
    scheduleFlush();
}

void ChatView::scheduleFlush()
{
    // The first change goes out at once; later ones are gathered for at most flushIntervalMs.
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
        m_markdown->appendSource(m_pending);
        m_pending.clear();
        if (atBottom)
            bar->setValue(bar->maximum());
        // The Markdown view follows at most every markdownIntervalMs (the first words at once).
        m_markdownDirty = true;
        if (!m_markdownTimer.isActive())
            renderMarkdown(false);
    }
    if (m_cardsDirty)
        updateCards(false);
    m_flushTimer.start();
}

bool ChatView::eventFilter(QObject *watched, QEvent *event)
{
    // The first paint of the reply text that shows some of it: the text is on screen.
    const bool replyViewport = watched == m_text->viewport() || watched == m_markdown->viewport();
    if (event->type() == QEvent::Paint && replyViewport && m_firstTextMs < 0 && m_clock.isValid() &&
        !m_text->document()->isEmpty())
        m_firstTextMs = double(m_clock.nsecsElapsed()) / 1e6;
    return ResultRenderer::eventFilter(watched, event);
}

void ChatView::finishStream(const InferenceResult &result)
{
    m_flushTimer.stop();
    if (!m_pending.isEmpty() || m_cardsDirty)
        flush();
    m_flushTimer.stop();
    m_streaming = false;
    m_markdownTimer.stop();
    m_markdownDirty = true;
    renderMarkdown(true);
    setPlaceholder(m_answer.toolCalls().isEmpty() ? tr("The model answered with empty text.")
                                                  : tr("The model answered with tool calls."));
    m_header->setText(tr("Reply (%1)").arg(m_answer.role()));
    updateCards(true);
    if (result.outcome == InferenceResult::Outcome::Cancelled) {
        showFooter(tr("Stopped: the part received is kept."));
        m_keep->setVisible(!m_answer.content().isEmpty());
        return;
    }
    if (!result.ok()) {
        showFooter(result.errorMessage, true);
        return;
    }
    if (m_answer.hasError()) {
        showFooter(
            tr("The server reported an error in the middle of the answer: %1 The part received is kept; "
               "send again, or choose another provider beside the model.")
                .arg(sentence(m_answer.errorMessage())),
            true);
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
    clearCards();
    if (context.result.isEventStream()) {
        m_answer.feedBytes(context.result.body);
        m_answer.finishBytes();
    } else {
        m_answer.readAnswer(context.json);
    }
    m_header->setText(tr("Reply (%1)").arg(m_answer.role()));
    m_text->setPlainText(m_answer.content());
    m_markdownTimer.stop();
    m_markdown->setText(m_answer.content());
    m_markdownDirty = false;
    m_raise->hide();
    setPlaceholder(m_answer.toolCalls().isEmpty() ? tr("The model answered with empty text.")
                                                  : tr("The model answered with tool calls."));
    updateCards(true);
    if (context.result.outcome == InferenceResult::Outcome::Cancelled) {
        showFooter(tr("Stopped: the part received is kept."));
        m_keep->setVisible(!m_answer.content().isEmpty());
        return;
    }
    if (!context.result.ok()) {
        showFooter(context.result.errorMessage, true);
        return;
    }
    if (m_answer.hasError()) {
        showFooter(
            tr("The server reported an error: %1 Send again, or choose another provider beside the model.")
                .arg(sentence(m_answer.errorMessage())),
            true);
        return;
    }
    showFooter();
    Q_EMIT replyReady(m_answer.message());
}

void ChatView::clearCards()
{
    for (const Card &card : std::as_const(m_cardList))
        delete card.frame;
    m_cardList.clear();
    m_toolCallsSize = 0;
    m_cardsDirty = false;
    m_cards->hide();
}

void ChatView::updateCards(bool final)
{
    const QList<ChatStreamAssembler::ToolCall> calls = m_answer.toolCalls();
    m_toolCallsSize = m_answer.toolCallsSize();
    m_cardsDirty = false;
    m_cards->setVisible(!calls.isEmpty());
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const auto fitLines = [&mono](QPlainTextEdit *edit, int lines) {
        edit->setFixedHeight(QFontMetrics(mono).lineSpacing() * lines + 12);
    };
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const ChatStreamAssembler::ToolCall &call = calls.at(i);
        if (i == m_cardList.size()) {
            Card card;
            auto *frame = new QFrame(m_cards);
            frame->setObjectName(QStringLiteral("toolCallCard"));
            frame->setFrameShape(QFrame::StyledPanel);
            card.frame = frame;
            auto *layout = new QVBoxLayout(frame);
            card.title = new QLabel(frame);
            card.title->setObjectName(QStringLiteral("toolCallTitle"));
            card.title->setTextFormat(Qt::RichText);
            card.arguments = new QPlainTextEdit(frame);
            card.arguments->setObjectName(QStringLiteral("toolCallArguments"));
            card.arguments->setReadOnly(true);
            card.arguments->setUndoRedoEnabled(false);
            card.arguments->setFont(mono);
            card.arguments->setPlaceholderText(tr("(arguments arriving…)"));
            fitLines(card.arguments, 3);
            layout->addWidget(card.title);
            layout->addWidget(card.arguments);
            m_cardsLayout->addWidget(frame);
            frame->show(); // at once, not at the layout's next turn of the event loop
            card.name = card.id = QStringLiteral("\x01"); // the title is written below
            m_cardList.append(card);
        }
        Card &card = m_cardList[i];
        if (card.name != call.name || card.id != call.id) {
            card.name = call.name;
            card.id = call.id;
            card.title->setText(
                tr("Tool call: <b>%1</b>%2")
                    .arg(call.name.toHtmlEscaped(),
                         call.id.isEmpty()
                             ? QString()
                             : QStringLiteral(" <small>(%1)</small>").arg(call.id.toHtmlEscaped())));
            card.arguments->setAccessibleName(tr("Arguments of %1").arg(call.name));
        }
        if (final && call.arguments.isEmpty())
            card.arguments->setPlaceholderText(tr("(no arguments)"));
        const qsizetype size = call.arguments.size();
        if (card.shown == size && (card.pretty || !final))
            continue; // nothing new
        if (final || isWholeJson(call.arguments)) {
            const QString pretty = call.prettyArguments();
            card.arguments->setPlainText(pretty);
            fitLines(card.arguments, qBound(2, int(pretty.count(QLatin1Char('\n'))) + 2, 14));
            card.pretty = true;
        } else {
            if (card.pretty || size < card.shown) {
                card.arguments->setPlainText(call.arguments);
            } else {
                QTextCursor cursor(card.arguments->document());
                cursor.movePosition(QTextCursor::End);
                cursor.insertText(call.arguments.mid(card.shown));
            }
            if (card.pretty)
                fitLines(card.arguments, 3);
            card.pretty = false;
            QScrollBar *bar = card.arguments->verticalScrollBar();
            bar->setValue(bar->maximum());
        }
        card.shown = size;
    }
}

void ChatView::setPlaceholder(const QString &text)
{
    m_text->setPlaceholderText(text);
    m_text->viewport()->update(); // a placeholder already on screen is not repainted by itself
    m_markdown->setPlaceholderText(text);
    m_markdown->viewport()->update();
}

bool ChatView::showsRaw() const
{
    return m_rawSwitch->isChecked();
}

void ChatView::renderMarkdown(bool final)
{
    if (showsRaw())
        return; // rendered when the switch goes back
    QElapsedTimer step;
    step.start();
    QScrollBar *bar = m_markdown->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 4;
    // A bounded piece per call, so that a burst of text never stalls the window; the rest soon after.
    const bool caughtUp = m_markdown->render(final, markdownBudgetChars);
    m_markdownDirty = !caughtUp;
    if (atBottom)
        bar->setValue(bar->maximum());
    m_longestMarkdownStepMs = std::max(m_longestMarkdownStepMs, double(step.nsecsElapsed()) / 1e6);
    if (!caughtUp)
        m_markdownTimer.start(markdownCatchUpMs);
    else if (!final)
        m_markdownTimer.start(markdownIntervalMs);
}

void ChatView::setConversation(const QJsonValue &messages)
{
    const bool any = ChatTranscript::fill(m_transcript, messages);
    m_transcript->setVisible(any);
    // Once laid out, the newest turn is in view.
    QTimer::singleShot(0, m_transcript,
                       [bar = m_transcript->verticalScrollBar()] { bar->setValue(bar->maximum()); });
}

void ChatView::showFooter(const QString &extra, bool problem)
{
    markProblemText(m_footer, problem);
    QStringList parts;
    if (!extra.isEmpty())
        parts.append(Scrub::forDisplay(extra)); // may quote the server
    const bool cut = m_answer.finishReason() == QLatin1String("length");
    if (cut)
        parts.append(tr("The reply reached the max_tokens limit and was cut off; raise it to get the rest."));
    m_raise->setVisible(cut);
    const QString line = m_answer.summaryLine();
    if (!line.isEmpty())
        parts.append(line);
    else if (parts.isEmpty())
        parts.append(tr("%n character(s)", nullptr, int(text().size())));
    m_footer->setText(parts.join(QStringLiteral(" · ")));
}

int ChatView::toolCallCardCount() const
{
    return int(m_cardList.size());
}

QStringList ChatView::toolCallCardTexts() const
{
    QStringList out;
    for (const Card &card : m_cardList)
        out.append(card.title->text() + QLatin1Char('\n') + card.arguments->toPlainText());
    return out;
}

} // namespace idesk
