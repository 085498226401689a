#pragma once

#include "InferenceRequest.h"
#include "Preset.h"

#include <QList>
#include <QObject>
#include <QPointer>

class QAction;
class QDockWidget;

namespace idesk {

class MainWindow;
class PresetStore;
class PresetsPanel;

// The window's presets. The Presets dock (PresetsPanel over a PresetStore) lists them; opening one loads
// the editors, asking first whether to discard the open preset's unsaved edits; Ctrl+S saves the current
// request (in place when a preset is open, else under a name asked); import (a preset file or a Kestra
// flow, from the menu or dropped anywhere on the window) and export; the title names the open preset with
// a modified marker (MainWindow::setDocumentName). fileActions() go into the File menu MainWindow builds;
// MainWindow places the dock.
class PresetsController : public QObject
{
    Q_OBJECT
public:
    // `presetDirectory` "" is PresetStore's default location. Owned by `window`.
    explicit PresetsController(MainWindow *window, const QString &presetDirectory = QString());
    ~PresetsController() override;

    PresetStore *presetStore() const { return m_store; }
    PresetsPanel *presetsPanel() const { return m_panel; }
    QDockWidget *presetsDock() const { return m_dock; }
    QAction *savePresetAction() const { return m_saveAction; }
    QAction *saveNewPresetAction() const { return m_saveNewAction; }
    QAction *importAction() const { return m_importAction; }
    QAction *exportAction() const { return m_exportAction; }
    // Shows or hides the dock (Ctrl+Shift+P).
    QAction *showPanelAction() const;
    // The actions for the File menu, in their order there.
    QList<QAction *> fileActions() const;

    // The preset loaded in the editors ("" when none) and whether the editors changed since.
    QString openPresetName() const { return m_presetName; }
    bool isModified() const;

public Q_SLOTS:
    // Loads `preset` into the editors (a file kept by path is read now).
    void loadPreset(const idesk::Preset &preset);
    // Opening from the dock (double click, Enter): when the open preset has unsaved changes, asks first
    // whether to discard them; false when the person kept them.
    bool openPresetAsking(const idesk::Preset &preset);
    // Ctrl+S: saves the current request as a preset, asking a name (the open preset's by default).
    void saveAsPreset();
    void exportPreset();

protected:
    // A preset file or a Kestra flow dropped anywhere on the window is imported (other drops go on).
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void updateModified();
    // `r` with base64 image/audio inputs turned into the file input (and a task that takes it).
    InferenceRequest withFileInput(InferenceRequest r, const QString &inputsFile) const;
    void setOpenPreset(const QString &name);
    void showStatus(const QString &text, int timeoutMs = 8000);

    QPointer<MainWindow> m_window;
    PresetStore *m_store = nullptr;
    PresetsPanel *m_panel = nullptr;
    QDockWidget *m_dock = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveNewAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QString m_presetName;
    InferenceRequest m_baseline; // the editors' request when the preset was opened or saved
};

} // namespace idesk
