#include "WindowExtras.h"

#include "ApprovedHostsDialog.h"
#include "Base64InputFile.h"
#include "CopyAsCodeMenu.h"
#include "HostApproval.h"
#include "InferenceClient.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "PresetStore.h"
#include "PresetsPanel.h"
#include "TaskCatalog.h"
#include "TokenPolicy.h"
#include "TokenService.h"
#include "TokenSettingsDialog.h"

#include <QAction>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace idesk {

namespace {

// MainWindow's menus by object name (menuFile, menuEdit, menuHelp), never by their translated titles.
QMenu *findMenu(QMenuBar *bar, const QString &objectName)
{
    return bar->findChild<QMenu *>(objectName);
}

} // namespace

WindowExtras::WindowExtras(MainWindow *window, SecretStore *keychain, const QString &presetDirectory)
    : QObject(window), m_window(window)
{
    m_tokens = new TokenService(keychain, this);
    m_approval = new HostApproval(window, this);
    m_store = presetDirectory.isEmpty() ? new PresetStore(this) : new PresetStore(presetDirectory, this);

    m_panel = new PresetsPanel(m_store);
    m_dock = new QDockWidget(tr("Presets"), window);
    m_dock->setObjectName(QStringLiteral("presetsDock"));
    m_dock->setWidget(m_panel);
    m_dock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    window->addDockWidget(Qt::LeftDockWidgetArea, m_dock);
    // MainWindow restored its layout before the dock existed: restore it again so the dock comes back
    // where it was left.
    const QByteArray state = QSettings().value(QStringLiteral("window/state")).toByteArray();
    if (!state.isEmpty())
        window->restoreState(state);

    m_copyAs = new CopyAsCodeMenu(window);
    m_copyAs->setRequestProvider(
        [this]() { return m_window ? m_window->currentRequest() : InferenceRequest(); });
    m_copyAs->setTokenPolicyProvider([]() { return HostApproval::policy(); });

    // The token for each send: HF_TOKEN, then the keychain / session-only token (resolved at start and
    // after every change in Settings).
    window->setTokenProvider([tokens = QPointer<TokenService>(m_tokens)]() {
        return tokens ? tokens->token() : TokenResolver::environmentToken();
    });
    m_tokens->resolve();

    buildMenus();

    window->setAcceptDrops(true);
    window->installEventFilter(this);

    // Before a request goes to an address that is not Hugging Face's, whether that origin may have the
    // token is asked (once per origin); the request waits for the answer.
    SendController *send = window->sendController();
    send->setAsksApproval(true);
    connect(send, &SendController::approvalNeeded, this, [this](const QString &origin, const QUrl &url) {
        showStatus(tr("Waiting for your answer: may %1 have your Hugging Face token?").arg(origin), 0);
        m_approval->ask(url);
    });
    connect(m_approval, &HostApproval::answered, this, &WindowExtras::onHostAnswered);
    connect(m_panel, &PresetsPanel::presetActivated, this, &WindowExtras::openPresetAsking);
    connect(m_panel, &PresetsPanel::message, this, [this](const QString &text) { showStatus(text); });
    connect(m_copyAs, &CopyAsCodeMenu::copied, this,
            [this](CodeSnippets::Kind, const QString &text) { showStatus(text); });
    connect(m_copyAs, &CopyAsCodeMenu::failed, this,
            [this](const QString &text) { showStatus(text, 15000); });
    connect(m_store, &PresetStore::changed, this, [this]() {
        // The open preset was renamed or deleted in the panel: the title follows.
        if (!m_presetName.isEmpty() && !m_store->contains(m_presetName))
            setOpenPreset(QString());
    });
    connect(m_panel, &PresetsPanel::presetSaved, this, [this](const Preset &saved) {
        setOpenPreset(saved.name);
        m_baseline = m_window->currentRequest();
        updateModified();
    });

    connect(window, &MainWindow::requestEdited, this, &WindowExtras::updateModified);
    // The status bar names the token in use (masked) and where it comes from.
    connect(m_tokens, &TokenService::changed, this, [this]() {
        if (!m_window)
            return;
        m_window->setTokenStatus(m_tokens->statusText());
        // No token at all (a first start): a note that says so and where to set one, before any 401.
        if (m_tokens->isResolved() && !m_tokens->current().hasToken()) {
            const QString note = noTokenNote();
            m_window->setTokenStatus(tr("none set (Settings > Hugging Face token)"));
            showStatus(note, 0);
        } else if (m_window->statusBar()->currentMessage() == noTokenNote()) {
            m_window->statusBar()->clearMessage();
        }
    });
}

WindowExtras::~WindowExtras() = default;

void WindowExtras::buildMenus()
{
    QMenuBar *bar = m_window->menuBar();
    QMenu *file = findMenu(bar, QStringLiteral("menuFile"));
    QMenu *edit = findMenu(bar, QStringLiteral("menuEdit"));
    QMenu *help = findMenu(bar, QStringLiteral("menuHelp"));

    m_saveAction = new QAction(tr("&Save as preset..."), this);
    m_saveAction->setObjectName(QStringLiteral("actionSavePreset"));
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setStatusTip(tr("Keep the current request as a named preset (the token is never in it)"));
    connect(m_saveAction, &QAction::triggered, this, &WindowExtras::saveAsPreset);
    auto *saveNew = new QAction(tr("Save as &new preset..."), this);
    saveNew->setObjectName(QStringLiteral("actionSaveNewPreset"));
    connect(saveNew, &QAction::triggered, this, [this]() {
        if (m_panel->promptSaveRequest(m_window->currentRequest()).isEmpty())
            updateModified();
    });
    m_importAction = new QAction(tr("&Import preset or Kestra flow..."), this);
    m_importAction->setObjectName(QStringLiteral("actionImportPreset"));
    m_importAction->setStatusTip(tr("Each Inference task of a flow becomes a preset"));
    connect(m_importAction, &QAction::triggered, this, [this]() {
        m_dock->show();
        m_panel->importDialog();
    });
    m_exportAction = new QAction(tr("E&xport preset..."), this);
    m_exportAction->setObjectName(QStringLiteral("actionExportPreset"));
    m_exportAction->setStatusTip(tr("Write the preset as a Kestra flow or a preset file"));
    connect(m_exportAction, &QAction::triggered, this, &WindowExtras::exportPreset);
    QAction *toggleDock = m_dock->toggleViewAction();
    toggleDock->setText(tr("&Presets panel"));
    toggleDock->setObjectName(QStringLiteral("actionShowPresets"));
    toggleDock->setShortcut(QKeySequence(tr("Ctrl+Shift+P")));

    if (file) {
        QAction *quit = file->findChild<QAction *>(QStringLiteral("actionQuit"));
        if (!quit)
            for (QAction *a : file->actions())
                if (a->objectName() == QLatin1String("actionQuit"))
                    quit = a;
        QAction *before = quit;
        file->insertSeparator(before);
        file->insertActions(before, {m_saveAction, saveNew, m_importAction, m_exportAction, toggleDock});
        file->insertSeparator(before);
    } else {
        m_window->addActions({m_saveAction, m_importAction, m_exportAction, toggleDock});
    }

    if (edit) {
        edit->addSeparator();
        edit->addMenu(m_copyAs);
    }

    m_settingsMenu = new QMenu(tr("&Settings"), m_window);
    m_settingsMenu->setObjectName(QStringLiteral("menuSettings"));
    m_tokenSettingsAction =
        m_settingsMenu->addAction(tr("Hugging Face &token..."), this, &WindowExtras::openTokenSettings);
    m_tokenSettingsAction->setObjectName(QStringLiteral("actionTokenSettings"));
    m_hostsAction =
        m_settingsMenu->addAction(tr("&Approved hosts..."), this, &WindowExtras::openApprovedHosts);
    m_hostsAction->setObjectName(QStringLiteral("actionApprovedHosts"));
    if (help)
        bar->insertMenu(help->menuAction(), m_settingsMenu);
    else
        bar->addMenu(m_settingsMenu);
}

QString WindowExtras::noTokenNote()
{
    return tr("No Hugging Face token is set: most models answer 401 without one. Set it in Settings > "
              "Hugging Face token, or start the app with HF_TOKEN set.");
}

void WindowExtras::showStatus(const QString &text, int timeoutMs)
{
    if (m_window)
        m_window->statusBar()->showMessage(text.section(QLatin1Char('\n'), 0, 0), timeoutMs);
}

void WindowExtras::openTokenSettings()
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return;
    }
    m_dialog = new TokenSettingsDialog(m_tokens, m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog->open();
}

void WindowExtras::openApprovedHosts()
{
    auto *dialog = new ApprovedHostsDialog(m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void WindowExtras::onHostAnswered(const QString &origin, bool approved)
{
    // Only the answer the send waits for: the request goes now, once (with the token or without it), and
    // the status line then says which.
    if (!m_window || m_window->sendController()->pendingOrigin() != origin)
        return;
    if (approved) {
        m_window->sendController()->approve();
        showStatus(tr("%1 may now receive the token: sending.").arg(origin));
    } else {
        m_window->sendController()->decline();
        showStatus(tr("Sending to %1 without the token (your choice). Approve it in Settings > Approved "
                      "hosts to change that.")
                       .arg(origin),
                   15000);
    }
}

void WindowExtras::loadPreset(const Preset &preset)
{
    if (!m_window)
        return;
    QString error;
    const auto request = preset.resolvedRequest(&error);
    m_window->setRequest(withFileInput(request ? *request : preset.request, preset.inputsFile));
    m_baseline = m_window->currentRequest();
    setOpenPreset(preset.name);
    updateModified();
    if (!request)
        showStatus(error, 20000);
    else
        showStatus(tr("Opened preset '%1'.").arg(preset.name));
}

InferenceRequest WindowExtras::withFileInput(InferenceRequest r, const QString &inputsFile) const
{
    // An image flow's base64 inputs open as the image (with its preview), not as a blob in the text box,
    // under a task that takes such a file: the model's known task when it does, else the usual one.
    const auto file = Base64InputFile::fromInputs(r, inputsFile);
    if (!file)
        return r;
    r.file = *file;
    r.inputs = QJsonValue();
    const bool audio = file->mimeType.startsWith(QLatin1String("audio/"));
    const auto fits = [audio](const QString &task) {
        const TaskSpec *spec = TaskCatalog::instance().task(task);
        return spec &&
               (audio ? spec->inputKind == InputKind::Audio
                      : spec->inputKind == InputKind::Image || spec->inputKind == InputKind::ImageWithLabels);
    };
    if (!fits(r.task)) {
        const QString known = m_window ? m_window->modelPicker()->knownTask(r.model) : QString();
        r.task = fits(known) ? known
                             : (audio ? QStringLiteral("automatic-speech-recognition")
                                      : QStringLiteral("image-classification"));
    }
    return r;
}

bool WindowExtras::openPresetAsking(const Preset &preset)
{
    if (!m_window)
        return false;
    if (isModified()) {
        QMessageBox box(QMessageBox::Question, tr("Discard changes?"),
                        tr("The editors hold changes to '%1' that are not saved. Open '%2' and discard them?")
                            .arg(m_presetName, preset.name),
                        QMessageBox::Discard | QMessageBox::Cancel, m_window);
        box.setObjectName(QStringLiteral("discardChangesQuestion"));
        box.setInformativeText(tr("Cancel keeps them; Ctrl+S saves them into '%1'.").arg(m_presetName));
        box.setDefaultButton(QMessageBox::Cancel);
        if (box.exec() != QMessageBox::Discard) {
            showStatus(
                tr("'%1' was not opened: the changes to '%2' were kept.").arg(preset.name, m_presetName));
            return false;
        }
    }
    loadPreset(preset);
    return true;
}

void WindowExtras::saveAsPreset()
{
    if (!m_window)
        return;
    const InferenceRequest current = m_window->currentRequest();
    if (!m_presetName.isEmpty() && m_store->contains(m_presetName)) {
        // The open preset: saved in place, no questions (Save as new preset asks a name).
        if (m_panel->saveRequest(m_presetName, current, true)) {
            m_baseline = m_window->currentRequest();
            updateModified();
        }
        return;
    }
    m_panel->promptSaveRequest(current);
}

void WindowExtras::exportPreset()
{
    m_dock->show();
    if (m_panel->currentName().isEmpty() && !m_presetName.isEmpty())
        m_panel->selectPreset(m_presetName);
    if (m_panel->currentName().isEmpty()) {
        showStatus(tr("Select a preset in the Presets panel to export, or save the request first (Ctrl+S)."),
                   15000);
        return;
    }
    m_panel->exportDialog();
}

bool WindowExtras::isModified() const
{
    return m_window && !m_presetName.isEmpty() && m_window->currentRequest() != m_baseline;
}

void WindowExtras::setOpenPreset(const QString &name)
{
    m_presetName = name;
    if (m_window)
        m_window->setDocumentName(name, isModified());
}

void WindowExtras::updateModified()
{
    if (m_window && !m_presetName.isEmpty())
        m_window->setDocumentName(m_presetName, isModified());
}

bool WindowExtras::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window) {
        switch (event->type()) {
        case QEvent::DragEnter:
        case QEvent::DragMove: {
            auto *drag = static_cast<QDragMoveEvent *>(event);
            if (!PresetsPanel::importableFiles(drag->mimeData()).isEmpty()) {
                drag->acceptProposedAction();
                return true;
            }
            break;
        }
        case QEvent::Drop: {
            auto *drop = static_cast<QDropEvent *>(event);
            const QStringList files = PresetsPanel::importableFiles(drop->mimeData());
            if (!files.isEmpty()) {
                drop->acceptProposedAction();
                m_dock->show();
                for (const QString &path : files)
                    m_panel->importFile(path);
                return true;
            }
            break;
        }
        default:
            break;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace idesk
