#pragma once

#include "InferenceRequest.h"
#include "Preset.h"
#include "TokenSettingsDialog.h"

#include <QObject>
#include <QPointer>

class QAction;
class QDockWidget;
class QMenu;

namespace idesk {

class CopyAsCodeMenu;
class HostApproval;
class MainWindow;
class PresetStore;
class PresetsPanel;
class SecretStore;
class TokenService;

// The token, presets and copy-as-code parts of the main window, wired through MainWindow's public
// seams: the token for sending comes from TokenService (HF_TOKEN, then the keychain or the session-only
// token) via setTokenProvider(); before a request goes to an origin that is not Hugging Face's, the window's
// SendController waits (approvalNeeded) while HostApproval asks once whether that origin may have the
// token, then sends it once, with or without the token; Settings > Hugging Face
// token; a Presets dock (open loads the editors, Ctrl+S saves the current request, the title shows the
// open preset and a modified marker); File > Import / Export; Edit > Copy as.
class WindowExtras : public QObject
{
    Q_OBJECT
public:
    // `keychain` is not owned (null: the OS keychain); `presetDirectory` "" is the default location.
    explicit WindowExtras(MainWindow *window, SecretStore *keychain = nullptr,
                          const QString &presetDirectory = QString());
    ~WindowExtras() override;

    MainWindow *window() const { return m_window; }
    TokenService *tokenService() const { return m_tokens; }
    HostApproval *hostApproval() const { return m_approval; }
    PresetStore *presetStore() const { return m_store; }
    PresetsPanel *presetsPanel() const { return m_panel; }
    QDockWidget *presetsDock() const { return m_dock; }
    CopyAsCodeMenu *copyAsMenu() const { return m_copyAs; }
    QMenu *settingsMenu() const { return m_settingsMenu; }
    QAction *tokenSettingsAction() const { return m_tokenSettingsAction; }
    QAction *approvedHostsAction() const { return m_hostsAction; }
    QAction *savePresetAction() const { return m_saveAction; }
    QAction *importAction() const { return m_importAction; }
    QAction *exportAction() const { return m_exportAction; }
    // The status-line note shown while no token is set (a first start), saying where to set one.
    static QString noTokenNote();
    // The settings dialog while it is open.
    TokenSettingsDialog *tokenSettingsDialog() const { return m_dialog; }

    // The preset loaded in the editors ("" when none) and whether the editors changed since.
    QString openPresetName() const { return m_presetName; }
    bool isModified() const;

public Q_SLOTS:
    void openTokenSettings();
    void openApprovedHosts();
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
    void buildMenus();
    void onHostAnswered(const QString &origin, bool approved);
    void updateModified();
    // `r` with base64 image/audio inputs turned into the file input (and a task that takes it).
    InferenceRequest withFileInput(InferenceRequest r, const QString &inputsFile) const;
    void setOpenPreset(const QString &name);
    void showStatus(const QString &text, int timeoutMs = 8000);

    QPointer<MainWindow> m_window;
    TokenService *m_tokens = nullptr;
    HostApproval *m_approval = nullptr;
    PresetStore *m_store = nullptr;
    PresetsPanel *m_panel = nullptr;
    QDockWidget *m_dock = nullptr;
    CopyAsCodeMenu *m_copyAs = nullptr;
    QMenu *m_settingsMenu = nullptr;
    QAction *m_tokenSettingsAction = nullptr;
    QAction *m_hostsAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QPointer<TokenSettingsDialog> m_dialog;
    QString m_presetName;
    InferenceRequest m_baseline; // the editors' request when the preset was opened or saved
};

} // namespace idesk
