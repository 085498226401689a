#pragma once

#include <QObject>
#include <QPointer>

class QAction;

namespace idesk {

class MainWindow;
class SecretStore;
class TokenService;
class TokenSettingsDialog;

// The window's Hugging Face token. TokenService (HF_TOKEN, then the keychain or the session-only token,
// resolved at start and after every change) gives the token for each send (MainWindow::setTokenProvider)
// and the masked name of it at the right of the status bar; a first start without any token gets a note
// saying where to set one (noTokenNote()), before any 401. Settings > Hugging Face token
// (TokenSettingsDialog) and Settings > Approved hosts (ApprovedHostsDialog): tokenSettingsAction() and
// approvedHostsAction() go into the Settings menu MainWindow builds.
class TokenController : public QObject
{
    Q_OBJECT
public:
    // `keychain` is not owned (null: the OS keychain). Owned by `window`.
    explicit TokenController(MainWindow *window, SecretStore *keychain = nullptr);
    ~TokenController() override;

    TokenService *tokenService() const { return m_tokens; }
    QAction *tokenSettingsAction() const { return m_tokenSettingsAction; }
    QAction *approvedHostsAction() const { return m_hostsAction; }
    // The settings dialog while it is open.
    TokenSettingsDialog *tokenSettingsDialog() const;
    // The status-line note shown while no token is set (a first start), saying where to set one.
    static QString noTokenNote();

public Q_SLOTS:
    void openTokenSettings();
    void openApprovedHosts();

private:
    void onTokenChanged();

    QPointer<MainWindow> m_window;
    TokenService *m_tokens = nullptr;
    QAction *m_tokenSettingsAction = nullptr;
    QAction *m_hostsAction = nullptr;
    QPointer<TokenSettingsDialog> m_dialog;
};

} // namespace idesk
