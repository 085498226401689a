#include "PresetsController.h"

#include "Base64InputFile.h"
#include "MainWindow.h"
#include "ModelPicker.h"
#include "PresetStore.h"
#include "PresetsPanel.h"
#include "TaskCatalog.h"

#include <QAction>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMessageBox>
#include <QStatusBar>

namespace idesk {

PresetsController::PresetsController(MainWindow *window, const QString &presetDirectory)
    : QObject(window), m_window(window)
{
    m_store = presetDirectory.isEmpty() ? new PresetStore(this) : new PresetStore(presetDirectory, this);
    m_panel = new PresetsPanel(m_store);
    m_dock = new QDockWidget(tr("Presets"), window);
    m_dock->setObjectName(QStringLiteral("presetsDock")); // the window's saved layout knows it by this
    m_dock->setWidget(m_panel);
    m_dock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    createActions();

    window->setAcceptDrops(true);
    window->installEventFilter(this);

    connect(m_panel, &PresetsPanel::presetActivated, this, &PresetsController::openPresetAsking);
    connect(m_panel, &PresetsPanel::message, this, [this](const QString &text) { showStatus(text); });
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
    connect(window, &MainWindow::requestEdited, this, &PresetsController::updateModified);
}

PresetsController::~PresetsController() = default;

void PresetsController::createActions()
{
    m_saveAction = new QAction(tr("&Save as preset..."), this);
    m_saveAction->setObjectName(QStringLiteral("actionSavePreset"));
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setStatusTip(tr("Keep the current request as a named preset (the token is never in it)"));
    connect(m_saveAction, &QAction::triggered, this, &PresetsController::saveAsPreset);
    m_saveNewAction = new QAction(tr("Save as &new preset..."), this);
    m_saveNewAction->setObjectName(QStringLiteral("actionSaveNewPreset"));
    connect(m_saveNewAction, &QAction::triggered, this, [this]() {
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
    connect(m_exportAction, &QAction::triggered, this, &PresetsController::exportPreset);
    QAction *toggleDock = m_dock->toggleViewAction();
    toggleDock->setText(tr("&Presets panel"));
    toggleDock->setObjectName(QStringLiteral("actionShowPresets"));
    toggleDock->setShortcut(QKeySequence(tr("Ctrl+Shift+P")));
}

QAction *PresetsController::showPanelAction() const
{
    return m_dock->toggleViewAction();
}

QList<QAction *> PresetsController::fileActions() const
{
    return {m_saveAction, m_saveNewAction, m_importAction, m_exportAction, showPanelAction()};
}

void PresetsController::showStatus(const QString &text, int timeoutMs)
{
    if (m_window)
        m_window->statusBar()->showMessage(text.section(QLatin1Char('\n'), 0, 0), timeoutMs);
}

void PresetsController::loadPreset(const Preset &preset)
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

InferenceRequest PresetsController::withFileInput(InferenceRequest r, const QString &inputsFile) const
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

bool PresetsController::openPresetAsking(const Preset &preset)
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

void PresetsController::saveAsPreset()
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

void PresetsController::exportPreset()
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

bool PresetsController::isModified() const
{
    return m_window && !m_presetName.isEmpty() && m_window->currentRequest() != m_baseline;
}

void PresetsController::setOpenPreset(const QString &name)
{
    m_presetName = name;
    if (m_window)
        m_window->setDocumentName(name, isModified());
}

void PresetsController::updateModified()
{
    if (m_window && !m_presetName.isEmpty())
        m_window->setDocumentName(m_presetName, isModified());
}

bool PresetsController::eventFilter(QObject *watched, QEvent *event)
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
