#include "ResultView.h"

#include "ElidedLabel.h"
#include "TabOrder.h"

#include "ChatCompletion.h"
#include "Duration.h"
#include "ErrorExplainer.h"
#include "JsonScanner.h"
#include "SavedResult.h"
#include "views/ChatView.h"
#include "views/ErrorView.h"
#include "views/JsonTextView.h"
#include "views/JsonTreeModel.h"
#include "views/JsonTreeView.h"
#include "views/RawView.h"
#include "views/ResultRenderer.h"
#include "views/TextResultView.h"
#include "views/ViewChooser.h"

#include <QButtonGroup>
#include <QClipboard>
#include <QEvent>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QGraphicsOpacityEffect>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace idesk {

ResultView::ResultView(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Output"));

    m_summary = new ElidedLabel(this); // a long summary is cut, whole in its tooltip; never widens the window
    m_summary->setObjectName(QStringLiteral("answerSummary"));
    m_summary->setAccessibleName(tr("Answer status"));
    m_copy = new QPushButton(tr("&Copy"), this);
    m_copy->setToolTip(tr("Copy what the current tab shows"));
    m_copy->setAccessibleName(tr("Copy result"));
    m_save = new QPushButton(tr("Save &result…"), this);
    m_save->setToolTip(tr("Save the request and its answer to one file you can open again or share"));
    m_save->setAccessibleName(tr("Save result"));
    connect(m_copy, &QPushButton::clicked, this, &ResultView::copyToClipboard);
    connect(m_save, &QPushButton::clicked, this, &ResultView::saveResultAs);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 4, 2);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_copy);
    bar->addWidget(m_save);

    m_emptyPage = new QLabel(tr("Send a request to see its answer here."), this);
    m_emptyPage->setAlignment(Qt::AlignCenter);
    m_emptyPage->setWordWrap(true);
    m_emptyPage->setForegroundRole(QPalette::PlaceholderText);

    m_busyPage = new QWidget(this);
    m_busyLabel = new QLabel(m_busyPage);
    m_busyLabel->setAlignment(Qt::AlignCenter);
    m_busyLabel->setWordWrap(true);
    m_busyLabel->setAccessibleName(tr("Request progress"));
    auto *spinner = new QProgressBar(m_busyPage);
    spinner->setRange(0, 0);
    spinner->setMaximumWidth(240);
    spinner->setTextVisible(false);
    spinner->setAccessibleName(tr("Waiting"));
    auto *busyLayout = new QVBoxLayout(m_busyPage);
    busyLayout->addStretch(1);
    busyLayout->addWidget(m_busyLabel);
    busyLayout->addWidget(spinner, 0, Qt::AlignHCenter);
    busyLayout->addStretch(1);

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(m_emptyPage);
    m_pages->addWidget(m_busyPage);

    m_previousBanner = new ElidedLabel(this);
    m_previousBanner->setObjectName(QStringLiteral("previousAnswerBanner"));
    m_previousBanner->setAccessibleName(tr("The answer shown is the previous one"));
    m_previousBanner->setContentsMargins(6, 2, 6, 2);
    m_previousBanner->setForegroundRole(QPalette::PlaceholderText);
    m_previousBanner->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_previousBanner);
    layout->addWidget(m_pages, 1);
    clear();
}

ResultView::~ResultView() = default;

// The answer's tabs (Result, JSON, Raw) are built for the first answer: until then the view shows its
// empty page, and the start-up need not build a JSON editor, a tree and a raw view nobody sees.
void ResultView::ensureTabs()
{
    if (m_tabs)
        return;
    // Result tab
    m_resultStack = new QStackedWidget;
    m_formattingLabel = new QLabel(tr("Formatting…"), m_resultStack);
    m_formattingLabel->setAlignment(Qt::AlignCenter);
    m_formattingLabel->setAccessibleName(tr("Formatting the answer"));
    m_resultStack->addWidget(m_formattingLabel);

    // JSON tab: coloured text or tree
    auto *jsonPage = new QWidget;
    m_jsonTextButton = new QToolButton(jsonPage);
    m_jsonTextButton->setText(tr("Text"));
    m_jsonTextButton->setCheckable(true);
    m_jsonTextButton->setChecked(true);
    m_jsonTextButton->setAccessibleName(tr("Show JSON as text"));
    m_jsonTreeButton = new QToolButton(jsonPage);
    m_jsonTreeButton->setText(tr("Tree"));
    m_jsonTreeButton->setCheckable(true);
    m_jsonTreeButton->setAccessibleName(tr("Show JSON as a tree"));
    auto *group = new QButtonGroup(jsonPage);
    group->addButton(m_jsonTextButton, 0);
    group->addButton(m_jsonTreeButton, 1);
    m_jsonText = new JsonTextView(jsonPage);
    m_jsonTree = new JsonTreeView(jsonPage);
    m_jsonStack = new QStackedWidget(jsonPage);
    m_jsonStack->addWidget(m_jsonText);
    m_jsonStack->addWidget(m_jsonTree);
    connect(group, &QButtonGroup::idClicked, m_jsonStack, &QStackedWidget::setCurrentIndex);
    auto *jsonBar = new QHBoxLayout;
    jsonBar->addWidget(m_jsonTextButton);
    jsonBar->addWidget(m_jsonTreeButton);
    jsonBar->addStretch(1);
    auto *jsonLayout = new QVBoxLayout(jsonPage);
    jsonLayout->setContentsMargins(0, 4, 0, 0);
    jsonLayout->addLayout(jsonBar);
    jsonLayout->addWidget(m_jsonStack, 1);

    m_raw = new RawView;

    m_tabs = new QTabWidget;
    m_tabs->addTab(m_resultStack, tr("Result"));
    m_tabs->addTab(jsonPage, tr("JSON"));
    m_tabs->addTab(m_raw, tr("Raw"));
    m_tabs->setAccessibleName(tr("Answer views"));

    m_pages->addWidget(m_tabs);
    TabOrder::placeAfter(m_save, m_tabs); // after the buttons above it, not last in the window
}

void ResultView::showPage(QWidget *page)
{
    m_previousBanner->hide(); // whatever is shown now is not the dimmed previous answer
    if (m_tabs)
        m_tabs->setGraphicsEffect(nullptr);
    m_pages->setCurrentWidget(page);
    const bool tabs = page == m_tabs;
    m_copy->setEnabled(tabs);
    m_save->setEnabled(tabs && m_hasResult);
}

void ResultView::setKind(const QString &kind)
{
    if (m_kind == kind)
        return;
    m_kind = kind;
    Q_EMIT viewChanged(kind);
}

void ResultView::clear()
{
    ++m_generation;
    m_formatting = false;
    m_hasResult = false;
    m_context = ResultContext();
    setRenderer(nullptr, QString());
    resetStream();
    if (m_tabs) {
        m_jsonText->clear();
        m_jsonTree->setJsonText(QByteArray());
    }
    m_summary->clear();
    showPage(m_emptyPage);
}

void ResultView::setBusy(const QString &message)
{
    ++m_generation;
    m_formatting = false;
    resetStream(); // the next streamed event starts a new answer
    m_busyLabel->setText(message.isEmpty() ? tr("Waiting for answer…") : message);
    if (m_pages->currentWidget() == m_tabs && m_hasResult) {
        // The answer on screen stays readable while the next one is asked for, dimmed and labelled as the
        // previous one, until the new answer (or its first streamed part) replaces it.
        m_previousBanner->setText(tr("Previous answer — sending…"));
        m_previousBanner->setToolTip(m_busyLabel->text());
        m_previousBanner->show();
        auto *dim = new QGraphicsOpacityEffect(m_tabs);
        dim->setOpacity(0.45);
        m_tabs->setGraphicsEffect(dim); // replaces (and deletes) an earlier one
        return;
    }
    showPage(m_busyPage);
}

bool ResultView::showsPreviousAnswer() const
{
    return !m_previousBanner->isHidden();
}

void ResultView::setRenderer(ResultRenderer *renderer, const QString &kind)
{
    if (!m_tabs) {
        if (!renderer) {
            setKind(kind);
            return;
        }
        ensureTabs();
    }
    if (m_renderer) {
        m_resultStack->removeWidget(m_renderer);
        m_renderer->deleteLater();
    }
    m_renderer = renderer;
    if (renderer) {
        m_resultStack->addWidget(renderer);
        m_resultStack->setCurrentWidget(renderer);
    } else {
        m_resultStack->setCurrentWidget(m_formattingLabel);
    }
    setKind(kind);
}

void ResultView::resetStream()
{
    m_stream = nullptr;
    m_chatStream = nullptr;
    m_textStream.clear();
    m_streamOpen = false;
}

void ResultView::beginStream()
{
    ensureTabs();
    ++m_generation; // a result being formatted is superseded by the stream
    m_formatting = false;
    m_hasResult = false;
    m_streamOpen = true;
    m_jsonText->clear();
    m_jsonTree->setJsonText(QByteArray());
    m_raw->showPending();
    m_summary->setText(tr("Receiving…"));
    m_tabs->setCurrentIndex(0);
    showPage(m_tabs);
}

void ResultView::addStreamEvent(const InferenceRequest &request, const QByteArray &data,
                                const QByteArray &eventName)
{
    if (!ChatCompletion::isChatTask(request.task)) {
        // Every other stream dialect (completions, TGI tokens) is read by the core's assembler.
        m_streamOpen = true;
        const QString text = m_textStream.addEvent(data, eventName);
        if (!text.isEmpty())
            appendStreamText(text);
        return;
    }
    if (!m_chatStream || m_renderer != m_chatStream || !m_streamOpen) {
        beginStream();
        m_stream = nullptr;
        m_chatStream = new ChatView(m_resultStack);
        connect(m_chatStream, &ChatView::keepRequested, this, &ResultView::keepReplyRequested);
        connect(m_chatStream, &ChatView::raiseMaxTokensRequested, this, &ResultView::raiseMaxTokensRequested);
        m_chatStream->setConversation(request.inputs);
        m_chatStream->startStream();
        setRenderer(m_chatStream, QStringLiteral("chat"));
    }
    m_chatStream->addStreamEvent(data, eventName);
}

void ResultView::appendStreamText(const QString &text)
{
    if (!m_stream || m_renderer != m_stream) {
        beginStream();
        m_chatStream = nullptr;
        m_stream = new TextResultView(m_resultStack);
        m_stream->startStream();
        setRenderer(m_stream, QStringLiteral("text"));
    }
    m_stream->appendStreamText(text);
}

const ChatStreamAssembler *ResultView::streamedAnswer() const
{
    if (m_chatStream)
        return &m_chatStream->assembled();
    return m_textStream.eventCount() > 0 ? &m_textStream : nullptr;
}

ResultContext ResultView::prepare(const InferenceRequest &request, const InferenceResult &result)
{
    ResultContext c;
    c.request = request;
    c.result = result;
    c.rawText = RawView::text(request, result); // the exchange as it came, before the judgement below
    // A 2xx answer that cannot be the API's (a web page, an empty or broken-off body) is a problem, as in
    // the CLI: the error view says what it really is (a web page: the endpoint is likely wrong).
    QString why;
    const InferenceResult::Outcome judged = ErrorExplainer::judgeAnswer(result, &why);
    if (judged != result.outcome) {
        c.result.outcome = judged;
        c.result.errorMessage = why;
        if (ErrorExplainer::looksLikeHtml(result.body, result.contentType))
            c.result.serverMessage = ErrorExplainer::serverMessage(result.body, result.contentType);
    }
    const bool textual = !result.isBinary() && !result.isEventStream() && !result.body.isEmpty();
    bool tooBig = false;
    JsonScanner::Report scan;
    if (textual) {
        // Checked without a document first: the tree and the text are read from the answer's bytes, and a
        // document (what the task's view reads) is built only when it stays small. 4,000 arrays nested
        // 1,000 deep took gigabytes as a document.
        scan = JsonScanner::scan(result.body);
        qsizetype start = 0;
        while (start < result.body.size() && QChar::isSpace(uchar(result.body.at(start))))
            ++start;
        const char first = start < result.body.size() ? result.body.at(start) : 0;
        if (scan.ok() && (first == '{' || first == '[')) {
            c.jsonText = result.body;
            c.jsonOutline = std::make_shared<const JsonOutline>(JsonTreeModel::outline(c.jsonText));
            c.prettyJson = JsonTextView::prettyBeginning(result.body, &c.prettyCut);
            tooBig = scan.depth > documentMaxDepth || result.body.size() > documentMaxBytes ||
                     scan.elements > 10000 + result.body.size() / documentBytesPerValue;
            if (!tooBig) {
                const QJsonDocument doc = QJsonDocument::fromJson(result.body);
                c.json = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
            }
        }
    }
    c.shape = ResultShape::read(request, c.result, c.json);
    if (tooBig && c.result.ok()) {
        c.shape.kind = QStringLiteral("json");
        c.shape.problem =
            tr("The answer is too large or deep for the task's view (%1, %2 values, nested %3 deep; the view "
               "reads up to %4 nested %5 deep): shown as a tree read as you open it.")
                .arg(QLocale().formattedDataSize(result.body.size()), QLocale().toString(scan.elements))
                .arg(scan.depth)
                .arg(QLocale().formattedDataSize(documentMaxBytes))
                .arg(documentMaxDepth);
    }
    if (!request.file.isEmpty())
        c.inputImage = QImage::fromData(request.file.bytes);
    if (c.shape.kind == QLatin1String("image"))
        for (const auto &m : std::as_const(c.shape.media))
            c.images.append(QImage::fromData(m.bytes));
    for (const auto &m : std::as_const(c.shape.masks))
        c.masks.append(QImage::fromData(m.png, "PNG"));
    return c;
}

void ResultView::setResult(const InferenceRequest &request, const InferenceResult &result)
{
    ensureTabs();
    const quint64 generation = ++m_generation;
    const bool endsStream = m_streamOpen;
    const bool liveChat = endsStream && m_chatStream && m_renderer == m_chatStream && result.isEventStream();
    m_streamOpen = false;
    m_stream = nullptr;
    if (!endsStream)
        resetStream(); // another answer (e.g. a saved one): the last stream's answer is gone
    m_hasResult = true;
    m_formatting = false;
    m_context = ResultContext();
    m_context.request = request;
    m_context.result = result;
    m_summary->setText(statusSummary());

    if (liveChat) {
        // The chat view drew the stream as it came: it only ends it (no new view, the scroll position
        // kept). An event stream is not one JSON document: nothing to parse for the JSON tab.
        m_raw->showResult(m_context);
        m_chatStream->finishStream(result);
        showJson(m_context);
        showPage(m_tabs);
        return;
    }
    if (endsStream)
        m_chatStream = nullptr; // replaced below

    if (result.body.size() + request.file.bytes.size() <= asyncThreshold) {
        showPrepared(prepare(request, result));
        return;
    }
    m_formatting = true;
    setRenderer(nullptr, QString());
    m_resultStack->setCurrentWidget(m_formattingLabel);
    m_formattingLabel->setText(
        tr("Formatting %1 of answer…").arg(QLocale().formattedDataSize(result.body.size())));
    m_jsonText->setJsonText(QByteArray(), tr("Formatting…"));
    m_jsonTree->setJsonText(QByteArray());
    // Its raw text too: the body's preview of a large answer took milliseconds to build and lay out.
    m_raw->showFormatting();
    if (m_tabs->currentIndex() == 2)
        m_tabs->setCurrentIndex(0);
    showPage(m_tabs);

    auto *watcher = new QFutureWatcher<ResultContext>(this);
    connect(watcher, &QFutureWatcher<ResultContext>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;                            // a newer result or a clear() came in meanwhile
        showPrepared(watcher->result(), true); // formatting until its hidden tabs are filled too
    });
    watcher->setFuture(QtConcurrent::run(&ResultView::prepare, request, result));
}

void ResultView::showPrepared(const ResultContext &context, bool hiddenTabsLater)
{
    ensureTabs();
    m_context = context;
    m_hasResult = true;
    QString kind = ViewChooser::kindFor(context.shape);
    // A chat-completion reply is drawn by ChatView (tool-call cards, finish reason, usage), also a stream
    // stopped part-way: the part received stays on screen.
    const bool chatTask = ChatCompletion::isChatTask(context.request.task);
    if (chatTask && context.result.outcome == InferenceResult::Outcome::Cancelled &&
        context.result.isEventStream() && !context.result.body.isEmpty())
        kind = QStringLiteral("chat");
    ResultRenderer *renderer = nullptr;
    if (chatTask && kind == QLatin1String("chat")) {
        auto *chat = new ChatView(m_resultStack);
        connect(chat, &ChatView::keepRequested, this, &ResultView::keepReplyRequested);
        connect(chat, &ChatView::raiseMaxTokensRequested, this, &ResultView::raiseMaxTokensRequested);
        chat->setConversation(context.request.inputs);
        renderer = chat;
    } else {
        renderer = ViewChooser::create(kind, m_resultStack);
    }
    renderer->showResult(context);
    setRenderer(renderer, kind);
    if (!hiddenTabsLater) {
        m_raw->showResult(context);
        showJson(context);
        showPage(m_tabs);
        return;
    }
    showPage(m_tabs);
    // A large answer's JSON and Raw tabs are filled in the next turn of the event loop, so that no turn
    // holds the window for long (the window repaints in between); formatting ends with them.
    QMetaObject::invokeMethod(
        this,
        [this, generation = m_generation] {
            if (generation != m_generation)
                return;
            m_raw->showResult(m_context);
            showJson(m_context);
            m_formatting = false;
        },
        Qt::QueuedConnection);
}

void ResultView::showJson(const ResultContext &context)
{
    ensureTabs();
    QString note;
    if (context.jsonText.isEmpty()) {
        if (context.result.isEventStream())
            note =
                tr("The answer is an event stream, not one JSON document; the Raw tab shows it as it came.");
        else if (!context.result.body.isEmpty())
            note = tr("The answer is not JSON (%1); the Result and Raw tabs show it.")
                       .arg(context.result.contentType.isEmpty() ? tr("no content type")
                                                                 : context.result.contentType);
        else
            note = tr("The answer is empty.");
    }
    m_jsonText->setJsonText(context.prettyJson, note, context.prettyCut ? context.jsonText : QByteArray());
    m_jsonTree->setJsonText(context.jsonText, context.jsonText.isEmpty() ? note : QString(),
                            context.jsonOutline.get());
    // Keep the tab the person chose, unless it has nothing to show for this answer.
    if (m_tabs->currentIndex() == 1 && context.jsonText.isEmpty())
        m_tabs->setCurrentIndex(0);
}

QString ResultView::currentViewKind() const
{
    return m_kind;
}

QString ResultView::statusSummary() const
{
    const InferenceResult &r = m_context.result;
    if (!m_hasResult)
        return {};
    const QLocale locale;
    QStringList parts;
    if (r.status > 0)
        parts.append(ErrorExplainer::statusText(r.status, r.reason));
    else if (!r.ok())
        parts.append(ErrorView::statusLine(r));
    if (!r.contentType.isEmpty())
        parts.append(r.contentType);
    parts.append(locale.formattedDataSize(r.body.size()));
    if (r.elapsedMs > 0)
        parts.append(Duration::forPeople(r.elapsedMs));
    const QByteArray computeTime = r.header("x-compute-time");
    if (!computeTime.isEmpty()) {
        const QByteArray computeType = r.header("x-compute-type");
        const QString compute = Duration::secondsForPeople(QString::fromLatin1(computeTime));
        parts.append(computeType.isEmpty()
                         ? tr("compute %1").arg(compute)
                         : tr("compute %1 on %2").arg(compute, QString::fromLatin1(computeType)));
    }
    if (r.attempts > 1)
        parts.append(tr("%n attempt(s)", nullptr, r.attempts));
    return parts.join(QStringLiteral(" · "));
}

void ResultView::copyToClipboard() const
{
    if (!m_tabs)
        return; // no answer yet
    switch (m_tabs->currentIndex()) {
    case 0:
        if (m_renderer)
            m_renderer->copyToClipboard();
        break;
    case 1:
        if (m_jsonStack->currentWidget() == m_jsonTree)
            m_jsonTree->copyToClipboard();
        else
            QGuiApplication::clipboard()->setText(QString::fromUtf8(m_jsonText->fullText()));
        break;
    default:
        m_raw->copyToClipboard();
        break;
    }
}

bool ResultView::saveResult(const QString &path, QString *error) const
{
    if (!m_hasResult) {
        if (error)
            *error = tr("There is no answer to save yet: send a request first.");
        return false;
    }
    SavedResult saved;
    saved.request = m_context.request;
    saved.result = m_context.result;
    return saved.save(path, error);
}

bool ResultView::openResult(const QString &path, QString *error)
{
    const auto saved = SavedResult::load(path, error);
    if (!saved)
        return false;
    setResult(saved->request, saved->result);
    return true;
}

void ResultView::saveResultAs()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString name = m_context.request.task.isEmpty() ? QStringLiteral("result") : m_context.request.task;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save result"), dir + QLatin1Char('/') + name + QStringLiteral(".result.json"),
        tr("Inference Desk results (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveResult(path, &error))
        QMessageBox::warning(this, tr("Save result"), error);
}

void ResultView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // Light/dark switch: redraw the colours of the current view.
    // Children get the new palette after this event: redraw once they have it.
    if (event->type() == QEvent::PaletteChange && !m_repaintQueued) {
        m_repaintQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_repaintQueued = false;
                if (m_hasResult && !m_formatting && m_renderer && !m_streamOpen && m_jsonText) {
                    m_renderer->showResult(m_context);
                    m_jsonText->refreshColours();
                }
            },
            Qt::QueuedConnection);
    }
}

} // namespace idesk
