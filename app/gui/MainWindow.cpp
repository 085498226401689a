#include "MainWindow.h"

#include "ChatStreamAssembler.h"

#include "BatchLauncher.h"
#include "ConversationEditor.h"
#include "Duration.h"
#include "ErrorExplainer.h"
#include "FileDropArea.h"
#include "HubSearchLauncher.h"
#include "InferenceClient.h"
#include "InputEditor.h"
#include "KeyboardShortcuts.h"
#include "ModelPicker.h"
#include "OptionsPanel.h"
#include "ParameterTable.h"
#include "ProviderJob.h"
#include "ProviderJobLimit.h"
#include "RequestCodec.h"
#include "RequestEncoder.h"
#include "ResultView.h"
#include "SendPanel.h"
#include "StartupWarmUp.h"
#include "TaskCatalog.h"
#include "TokenResolver.h"
#include "ui_MainWindow.h"
#include "views/RawView.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeDatabase>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <algorithm>
#include <memory>

namespace idesk {

namespace {

const char kLastRequestKey[] = "request/last";

// Where the input/parameters divider the person dragged is kept, per task.
QString editSplitterKey(const QString &task)
{
    return QStringLiteral("window/editSplitter/") + (task.isEmpty() ? QStringLiteral("none") : task);
}

// The remembered request (RequestCodec): everything but the token (which an InferenceRequest never
// holds) and the bytes of a file input, which is read again from its path.
QJsonObject requestToJson(const InferenceRequest &r)
{
    return RequestCodec::toJson(r, {true, false});
}

InferenceRequest requestFromJson(const QJsonObject &o)
{
    InferenceRequest r = RequestCodec::fromJson(o).value_or(InferenceRequest());
    const QString path = r.file.path;
    r.file = InputFile();
    if (!path.isEmpty()) {
        QFile f(path);
        if (f.open(QIODevice::ReadOnly)) {
            r.file.path = path;
            r.file.bytes = f.readAll();
            r.file.mimeType = QMimeDatabase().mimeTypeForFileNameAndData(path, r.file.bytes).name();
        }
    }
    return r;
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent), m_ui(std::make_unique<Ui::MainWindow>())
{
    StartupWarmUp::start(); // image plugins and the task catalog, beside the widgets' construction
    m_send = new SendController(nullptr, this);
    m_send->setTokenProvider([] { return qEnvironmentVariable("HF_TOKEN"); });
    ProviderJobLimit::applyTo(*m_send); // the person's limit (Request > Time limit for provider jobs…)

    m_ui->setupUi(this); // the layout: ui/MainWindow.ui
    m_picker = m_ui->modelPicker;
    m_input = m_ui->inputEditor;
    m_parameters = m_ui->parameterTable;
    m_options = m_ui->optionsPanel;
    m_sendPanel = m_ui->sendPanel;
    new HubSearchLauncher(this, m_picker, m_input, [this] { return m_send->currentToken(); });
    m_picker->setTokenProvider([this] { return m_send->currentToken(); });
    m_result = m_ui->resultView;
    m_mainSplitter = m_ui->mainSplitter;
    m_editSplitter = m_ui->editSplitter;
    m_editSplitter->setStretchFactor(0, 1);
    m_editSplitter->setStretchFactor(1, 1);
    m_editSplitter->setSizes({320, 260});
    // A divider the person drags is remembered for the task it was dragged in (the chat conversation wants
    // more height than a classification's two parameters).
    connect(m_editSplitter, &QSplitter::splitterMoved, this,
            [this] { QSettings().setValue(editSplitterKey(m_picker->task()), m_editSplitter->saveState()); });
    m_mainSplitter->setStretchFactor(0, 1);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes({600, 600});

    buildMenus();
    m_tokenStatus = new QLabel(this);
    m_tokenStatus->setObjectName(QStringLiteral("tokenStatus"));
    m_tokenStatus->setAccessibleName(tr("Token in use"));
    statusBar()->addPermanentWidget(m_tokenStatus);
    const QString envToken = TokenResolver::environmentToken();
    setTokenStatus(envToken.isEmpty() ? tr("no token")
                                      : tr("environment (HF_TOKEN) (%1)").arg(TokenResolver::mask(envToken)));
    statusBar()->showMessage(tr("Ready. Choose a model, type an input and press Ctrl+Enter."));

    connect(m_picker, &ModelPicker::taskChanged, this, &MainWindow::onTaskChanged);
    // Text generation's route follows the endpoint (until picked) and shows the URL it makes.
    const auto routeContext = [this] {
        m_options->setRouteContext(m_picker->endpoint(), m_picker->model(), m_picker->task());
    };
    connect(m_picker, &ModelPicker::taskChanged, this, routeContext);
    connect(m_picker, &ModelPicker::endpointChanged, this, routeContext);
    connect(m_picker, &ModelPicker::modelChanged, this, routeContext);
    connect(m_picker, &ModelPicker::modelChanged, this, &MainWindow::updateTitle);
    connect(m_sendPanel, &SendPanel::sendRequested, this, &MainWindow::send);
    connect(m_sendPanel, &SendPanel::sendAnywayRequested, this, &MainWindow::sendAnyway);
    connect(m_sendPanel, &SendPanel::cancelRequested, this, &MainWindow::cancel);
    connect(m_options, &OptionsPanel::changed, this,
            [this] { m_input->setMaxFileBytes(m_options->httpOptions().maxContentLength); });
    // Editing clears a stale "Not sent" list; the next Send checks again.
    const auto editsChanged = [this] {
        if (!m_sendPanel->blockerText().isEmpty() && sendBlockers().isEmpty()) {
            m_sendPanel->hideBlockers();
            // ... and the status line's "Not sent: …" from that Send, now stale.
            if (statusBar()->currentMessage().startsWith(tr("Not sent: %1").arg(QString())))
                statusBar()->clearMessage();
        }
        if (!m_restoring)
            Q_EMIT requestEdited();
    };
    connect(m_input, &InputEditor::changed, this, editsChanged);
    connect(m_parameters, &ParameterTable::changed, this, editsChanged);
    connect(m_picker, &ModelPicker::modelChanged, this, editsChanged);
    connect(m_picker, &ModelPicker::taskChanged, this, editsChanged);
    connect(m_picker, &ModelPicker::endpointChanged, this, editsChanged);
    connect(m_options, &OptionsPanel::changed, this, editsChanged);
    connect(m_result, &ResultView::raiseMaxTokensRequested, this, [this](int suggested) {
        QJsonObject parameters = m_parameters->parameters();
        parameters.insert(QStringLiteral("max_tokens"), suggested);
        m_parameters->setParameters(parameters);
        statusBar()->showMessage(tr("max_tokens raised to %1: send again for a longer reply.").arg(suggested),
                                 8000);
    });
    connect(m_result, &ResultView::keepReplyRequested, this, [this](const QJsonObject &message) {
        // Only into the conversation that asked for it (not after a task change, nor from an opened result).
        if (m_input->inputKind() == InputKind::Chat && m_running.task == m_picker->task() &&
            m_openedResult.isEmpty())
            m_input->conversation()->appendAssistantMessage(message);
        else
            statusBar()->showMessage(
                tr("The stopped reply belongs to another conversation: it was not added to this one."), 8000);
    });
    connect(m_result, &ResultView::viewChanged, this,
            [this] { m_saveResultAction->setEnabled(!m_result->currentViewKind().isEmpty()); });

    connect(m_send, &SendController::stateChanged, this, &MainWindow::onSendStateChanged);
    connect(m_send, &SendController::progress, m_sendPanel, &SendPanel::setProgress);
    connect(m_send, &SendController::tokenWithheld, this, [this](const QString &reason) {
        m_sendPanel->addNote(reason); // after the note on how the request went out, if any
        statusBar()->showMessage(reason, 10000);
    });
    connect(m_send, &SendController::streamEvent, this, &MainWindow::onStreamEvent);
    connect(m_send, &SendController::noted, m_sendPanel, &SendPanel::addNote);
    connect(m_send, &SendController::jobStateChanged, this, [this](const QString &text) {
        const QString line = tr("%1: %2").arg(m_send->request().model, text);
        m_result->setBusy(line);
        statusBar()->showMessage(line);
    });
    connect(m_send, &SendController::finished, this, &MainWindow::onFinished);

    onTaskChanged(m_picker->task());
    routeContext();
    m_input->setMaxFileBytes(m_options->httpOptions().maxContentLength);
    restoreSettings();
    updateTitle();
}

MainWindow::~MainWindow()
{
    // The child widgets are destroyed after this body, by ~QWidget; a signal one of them emits on the way
    // (the model combo losing its text) must not reach this half-destroyed window.
    const QList<QObject *> children = findChildren<QObject *>();
    for (QObject *child : children)
        QObject::disconnect(child, nullptr, this, nullptr);
}

void MainWindow::buildMenus()
{
    QMenu *file = m_fileMenu = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
    QAction *openInput = file->addAction(tr("&Open input file…"), this, &MainWindow::openInputDialog);
    openInput->setObjectName(QStringLiteral("actionOpenInput"));
    openInput->setShortcut(QKeySequence::Open);
    openInput->setStatusTip(tr("Open an image or audio file as the input"));
    QAction *openResult = file->addAction(tr("Open &result…"), this, &MainWindow::openResultDialog);
    openResult->setObjectName(QStringLiteral("actionOpenResult"));
    openResult->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    m_saveResultAction = file->addAction(tr("Save res&ult…"), this, &MainWindow::saveResultDialog);
    m_saveResultAction->setObjectName(QStringLiteral("actionSaveResult"));
    m_saveResultAction->setShortcut(QKeySequence(tr("Ctrl+Shift+S")));
    m_saveResultAction->setEnabled(false);
    file->addSeparator();
    QAction *quit = m_quitAction = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = m_editMenu = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("menuEdit"));
    QAction *paste = edit->addAction(tr("&Paste image or file"), this, [this] {
        if (m_input->usesFile() && m_input->fileArea()->pasteFromClipboard())
            statusBar()->showMessage(m_input->fileArea()->description(), 5000);
        else if (m_input->usesFile())
            statusBar()->showMessage(m_input->fileArea()->message());
    });
    paste->setObjectName(QStringLiteral("actionPasteInput"));
    // Text fields keep Ctrl+V for themselves; elsewhere it pastes into the image/audio area.
    paste->setShortcut(QKeySequence::Paste);
    paste->setShortcutContext(Qt::WindowShortcut);
    paste->setStatusTip(tr("Use the image or file on the clipboard as the input"));
    connect(edit, &QMenu::aboutToShow, this, [this, paste] { paste->setEnabled(m_input->usesFile()); });

    QMenu *request = menuBar()->addMenu(tr("&Request"));
    request->setObjectName(QStringLiteral("menuRequest")); // found by this name, never by its title
    m_sendAction = request->addAction(tr("&Send"), this, &MainWindow::send);
    m_sendAction->setObjectName(QStringLiteral("actionSend"));
    m_sendAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_sendAction->setShortcutContext(Qt::WindowShortcut);
    m_cancelAction = request->addAction(tr("&Cancel"), this, &MainWindow::cancel);
    m_cancelAction->setObjectName(QStringLiteral("actionCancel"));
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setShortcutContext(Qt::WindowShortcut);
    m_cancelAction->setEnabled(false);
    request->addSeparator();
    QAction *reset = request->addAction(tr("&Reset parameters"), m_parameters, &ParameterTable::resetAll);
    reset->setObjectName(QStringLiteral("actionResetParameters"));
    QAction *migrate =
        request->addAction(tr("&Migrate endpoint to the router"), m_picker, &ModelPicker::migrateEndpoint);
    migrate->setObjectName(QStringLiteral("actionMigrate"));
    ProviderJobLimit::addAction(request, this, m_send);
    new BatchLauncher(this, request, [this] { return m_send->currentToken(); });

    QMenu *help = m_helpMenu = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    QAction *keys = help->addAction(tr("&Keyboard shortcuts…"), this,
                                    [this] { KeyboardShortcuts::show(this, menuBar()); });
    keys->setObjectName(QStringLiteral("actionKeyboardShortcuts"));
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Inference Desk"), this, [this] {
        QMessageBox::about(this, tr("About Inference Desk"),
                           tr("<p><b>Inference Desk</b> %1</p><p>A desktop client for the Hugging "
                              "Face "
                              "inference API.</p>")
                               .arg(QApplication::applicationVersion().toHtmlEscaped()));
    });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::setTokenProvider(TokenProvider provider)
{
    m_send->setTokenProvider(std::move(provider));
}

void MainWindow::setTokenStatus(const QString &text)
{
    m_tokenStatus->setText(tr("Token: %1").arg(text));
}

QString MainWindow::tokenStatus() const
{
    return m_tokenStatus->text();
}

InferenceClient *MainWindow::client() const
{
    return m_send->client();
}

bool MainWindow::isBusy() const
{
    return m_send->isOnTheWire();
}

InferenceRequest MainWindow::currentRequest() const
{
    InferenceRequest r;
    r.endpoint = m_picker->endpoint();
    r.model = m_picker->model();
    r.task = m_picker->task();
    r.inputs = m_input->inputs();
    r.file = m_input->file();
    r.parameters = m_parameters->parameters();
    const QJsonObject extra = m_input->inputParameters();
    for (auto it = extra.begin(); it != extra.end(); ++it)
        r.parameters.insert(it.key(), it.value());
    r.useCache = m_options->useCache();
    r.waitForModel = m_options->waitForModel();
    r.stream = m_options->stream();
    r.route = m_options->route();
    r.options = m_options->httpOptions();
    r.provider = m_picker->requestProvider();
    return r;
}

void MainWindow::setRequest(const InferenceRequest &request)
{
    m_restoring = true;
    m_picker->setEndpoint(request.endpoint);
    m_picker->setModel(request.model);
    m_picker->setTask(request.task);
    m_picker->setRequestProvider(request.provider);
    onTaskChanged(request.task); // rows and input kind even when the task did not change
    m_input->setInputs(request.inputs, request.file, request.parameters);
    QJsonObject tableParameters = request.parameters;
    for (const QString &owned : m_input->ownedParameters())
        tableParameters.remove(owned);
    m_parameters->setParameters(tableParameters);
    m_options->setUseCache(request.useCache);
    m_options->setWaitForModel(request.waitForModel);
    m_options->setStream(request.stream);
    m_options->setRouteContext(m_picker->endpoint(), m_picker->model(), m_picker->task());
    m_options->setRoute(request.route);
    m_options->setHttpOptions(request.options);
    m_input->setMaxFileBytes(request.options.maxContentLength);
    m_restoring = false;
    updateTitle();
}

QStringList MainWindow::sendBlockers() const
{
    QStringList out = m_picker->problems();
    out << m_input->problems() << m_parameters->problems() << m_options->problems();
    if (out.isEmpty()) {
        QString error;
        RequestEncoder::encode(currentRequest(), &error);
        if (!error.isEmpty())
            out << error;
    }
    return out;
}

void MainWindow::send()
{
    trySend(false);
}

void MainWindow::sendAnyway()
{
    trySend(true);
}

void MainWindow::trySend(bool force)
{
    if (m_send->isBusy())
        return;
    const QStringList blockers = sendBlockers();
    if (!blockers.isEmpty() && !force) {
        QString encodeError;
        RequestEncoder::encode(currentRequest(), &encodeError);
        m_sendPanel->showBlockers(blockers, encodeError.isEmpty());
        statusBar()->showMessage(tr("Not sent: %1").arg(blockers.first()));
        return;
    }
    m_send->send(currentRequest());
}

void MainWindow::onSendStateChanged(SendController::State state)
{
    using State = SendController::State;
    const State was = m_shownState;
    m_shownState = state;
    const bool busy = state != State::Idle;
    m_sendPanel->setRunning(busy);
    m_sendAction->setEnabled(!busy);
    m_cancelAction->setEnabled(busy);
    switch (state) {
    case State::Idle:             // finished (onFinished) or cancelled before sending (cancel)
    case State::AwaitingApproval: // the question is asked by whoever answers approvalNeeded
        break;
    case State::LookingUp:
        m_result->setBusy(tr("Asking the Hub which task %1 serves…").arg(m_send->request().model.trimmed()));
        break;
    case State::Retrying: {
        const int seconds = m_send->retrySeconds();
        const QString message = m_send->retryMessage();
        m_sendPanel->startCountdown(seconds, message);
        m_result->setBusy(
            tr("The model is loading on the server; the request goes again by itself (countdown below)."));
        statusBar()->showMessage(
            message.isEmpty() ? tr("Model is loading; retrying in %n s", nullptr, seconds) : message);
        break;
    }
    case State::Queued: // a provider's job: its state text (jobStateChanged) goes to the status line
    case State::Downloading:
        break;
    case State::FindingProvider:
    case State::Sending: {
        if (was != State::Idle && was != State::LookingUp && was != State::AwaitingApproval)
            break; // the same request, again (a retry, or a provider job's next step)
        const InferenceRequest request = m_send->request();
        m_running = request;
        m_openedResult.clear();
        m_sendPanel->setNote(m_send->notes().join(QLatin1Char(' ')));
        const QString busy = state == State::FindingProvider
                                 ? tr("Asking the Hub which providers serve %1…").arg(request.model)
                                 : tr("Sending to %1…").arg(request.model);
        m_result->setBusy(busy);
        statusBar()->showMessage(busy);
        QSettings().setValue(
            QLatin1String(kLastRequestKey),
            QString::fromUtf8(QJsonDocument(requestToJson(request)).toJson(QJsonDocument::Compact)));
        updateTitle();
        break;
    }
    }
}

void MainWindow::cancel()
{
    if (m_send->isBusy() && !m_send->isOnTheWire()) { // asking the Hub or waiting for approval: nothing sent
        m_send->cancel();
        m_result->clear();
        statusBar()->showMessage(tr("Cancelled before sending."), 5000);
        return;
    }
    if (m_send->isOnTheWire()) {
        m_send->cancel();
        statusBar()->showMessage(tr("Cancelled."), 5000);
    } else {
        m_sendPanel->hideBlockers();
    }
}

void MainWindow::onStreamEvent(const QByteArray &data, const QByteArray &eventName)
{
    // Drawn live: a chat completion by its chat view (text and tool-call cards), other streams as text.
    m_result->addStreamEvent(m_running, data, eventName);
}

void MainWindow::onFinished(const InferenceResult &result)
{
    // The Raw tab shows what a provider sent besides the file (the value `call --format raw` prints).
    if (m_send->request().usesProvider()) {
        const ProviderJob *job = m_send->providerJob();
        m_result->rawView()->setProviderExchange({job->sent(), job->rawAnswer(), job->rawContentType()});
    }
    m_result->setResult(m_running, result);
    m_saveResultAction->setEnabled(true);
    // A chat answer becomes the next assistant turn, so the conversation can go on.
    if (result.ok() && m_input->inputKind() == InputKind::Chat && m_running.task == m_picker->task()) {
        // A streamed answer was assembled from its events as it was drawn; a whole one is read here.
        ChatStreamAssembler whole;
        const ChatStreamAssembler *answer = m_result->streamedAnswer();
        if (!answer || answer->eventCount() == 0) {
            whole.readAnswer(result.json().isObject() ? QJsonValue(result.json().object())
                                                      : QJsonValue(result.json().array()));
            answer = &whole;
        }
        if (!answer->hasError() && (!answer->content().isEmpty() || !answer->toolCalls().isEmpty()))
            m_input->conversation()->appendAssistantMessage(answer->message());
    }
    const QString took = Duration::forPeople(result.elapsedMs);
    QString unusable; // a 2xx that is no answer (a web page, an empty body): said, not shown as fine
    if (result.ok() && ErrorExplainer::judgeAnswer(result, &unusable) == InferenceResult::Outcome::Success) {
        m_picker->addRecentModel(m_running.model, m_running.task);
        statusBar()->showMessage(tr("%1 in %2, %3")
                                     .arg(ErrorExplainer::statusText(result.status, result.reason), took,
                                          QLocale().formattedDataSize(result.body.size())));
    } else if (result.ok()) {
        statusBar()->showMessage(Scrub::forDisplay(unusable));
    } else if (result.outcome == InferenceResult::Outcome::Cancelled) {
        statusBar()->showMessage(tr("Cancelled after %1.").arg(took));
    } else {
        statusBar()->showMessage(result.errorMessage.isEmpty() ? tr("The request failed.")
                                                               : Scrub::forDisplay(result.errorMessage));
    }
    updateTitle();
    Q_EMIT requestFinished(result);
}

void MainWindow::onTaskChanged(const QString &taskId)
{
    const TaskSpec *spec = TaskCatalog::instance().task(taskId);
    m_input->setInputKind(spec ? spec->inputKind : InputKind::Text);
    m_parameters->setHiddenParameters(m_input->ownedParameters());
    if (m_parameters->task() != taskId)
        m_parameters->setTask(taskId);
    const bool chat = spec && spec->inputKind == InputKind::Chat;
    m_options->setStreamAvailable(taskId == QLatin1String("text-generation") || chat);
    if (chat && !m_restoring)
        m_options->setStream(true); // chat streams by default; a restored request keeps its own choice
    fitParameterPane();
}

void MainWindow::fitParameterPane()
{
    // The parameter pane as tall as its rows (up to 8), the input gets the rest; once the person dragged
    // the divider in this task, the choice is theirs.
    const QByteArray dragged = QSettings().value(editSplitterKey(m_picker->task())).toByteArray();
    if (!dragged.isEmpty() && m_editSplitter->restoreState(dragged))
        return;
    const QList<int> sizes = m_editSplitter->sizes();
    int total = sizes.value(0) + sizes.value(1);
    if (total <= 0)
        total = 580;
    auto *box = m_parameters->parentWidget();
    const QMargins margins = box->contentsMargins() + box->layout()->contentsMargins();
    const int wanted = m_parameters->preferredHeight() + margins.top() + margins.bottom();
    const int parameters = std::clamp(
        wanted, 110, std::max(110, total * (m_input->inputKind() == InputKind::Chat ? 35 : 50) / 100));
    m_editSplitter->setSizes({total - parameters, parameters});
}

void MainWindow::setDocumentName(const QString &name, bool modified)
{
    m_documentName = name;
    m_documentModified = modified;
    updateTitle();
}

void MainWindow::updateTitle()
{
    QString title = tr("Inference Desk");
    const QString model = m_picker->model();
    if (!m_documentName.isEmpty())
        title +=
            QStringLiteral(" — ") + m_documentName + (m_documentModified ? QStringLiteral(" *") : QString());
    else if (!m_openedResult.isEmpty())
        title += QStringLiteral(" — ") + QFileInfo(m_openedResult).fileName();
    else if (!model.isEmpty())
        title += QStringLiteral(" — ") + model;
    setWindowTitle(title);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    // The size kept last time (Qt fits it to the screen), or on a first start the form's 1200x760, but never
    // larger than the screen (a 1024x700 screen showed a 1200x760 window with its Send row cut off).
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        if (const QScreen *screen = this->screen())
            resize(size().boundedTo(screen->availableGeometry().size()));
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_mainSplitter->restoreState(settings.value(QStringLiteral("window/mainSplitter")).toByteArray());
    m_options->setConnectionExpanded(
        settings.value(QStringLiteral("window/connectionExpanded"), false).toBool());
    const QByteArray last = settings.value(QLatin1String(kLastRequestKey)).toString().toUtf8();
    const QJsonDocument doc = QJsonDocument::fromJson(last);
    if (doc.isObject())
        setRequest(requestFromJson(doc.object()));
}

void MainWindow::saveSettings() const
{
    // Only what changed is set: QSettings rewrites its file for any value set, even an equal one, and
    // closing an unchanged window then wrote the file each time.
    QSettings settings;
    const auto keep = [&settings](const QString &key, const QVariant &value, bool same) {
        if (!settings.contains(key) || !same)
            settings.setValue(key, value);
    };
    const auto keepBytes = [&](const QString &key, const QByteArray &value) {
        keep(key, value, settings.value(key).toByteArray() == value);
    };
    keepBytes(QStringLiteral("window/geometry"), saveGeometry());
    keepBytes(QStringLiteral("window/state"), saveState());
    keepBytes(QStringLiteral("window/mainSplitter"), m_mainSplitter->saveState());
    const bool expanded = m_options->isConnectionExpanded();
    keep(QStringLiteral("window/connectionExpanded"), expanded,
         settings.value(QStringLiteral("window/connectionExpanded")).toBool() == expanded);
    const QString last =
        QString::fromUtf8(QJsonDocument(requestToJson(currentRequest())).toJson(QJsonDocument::Compact));
    keep(QLatin1String(kLastRequestKey), last,
         settings.value(QLatin1String(kLastRequestKey)).toString() == last);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_send->cancel();
    saveSettings();
    QMainWindow::closeEvent(event);
}

} // namespace idesk
