#pragma once

#include "SecretStore.h"
#include "TokenResolver.h"
#include "TokenService.h"
#include "WhoAmI.h"

#include <QDialog>
#include <QPointer>
#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QToolButton;
class QWidget;

namespace Ui {
class TokenSettingsDialog;
}

namespace idesk {

// Settings > Hugging Face token. A masked field (show/hide) to paste a token; Save stores it in the OS
// keychain (never a fallback), Remove deletes it, Test token asks the Hub who it belongs to and whether
// it may call Inference Providers. A status line names the token in use and where it comes from
// (environment / keychain / session only), masked `hf_…abcd`. Without a keychain: a clear message and
// "Use for this session only" (kept in memory). Keychain operations are asynchronous with their own
// timeout: the dialog shows a busy state and never freezes.
class TokenSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    // `service` is not owned (the main window's); it is resolved again when the dialog opens.
    explicit TokenSettingsDialog(TokenService *service, QWidget *parent = nullptr);
    ~TokenSettingsDialog() override;

    TokenService *service() const { return m_service; }
    WhoAmI *whoAmI() const { return m_whoAmI; }

    QLineEdit *tokenEdit() const { return m_tokenEdit; }
    QToolButton *showButton() const { return m_show; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *testButton() const { return m_test; }
    QPushButton *sessionButton() const { return m_session; }
    QPushButton *hostsButton() const { return m_hosts; }
    QLabel *sourceLabel() const { return m_source; }
    QLabel *messageLabel() const { return m_message; }
    QLabel *testResultLabel() const { return m_testResult; }
    QWidget *noKeychainPanel() const { return m_noKeychain; }
    QProgressBar *busyIndicator() const { return m_busy; }

public Q_SLOTS:
    void saveToken();
    void removeToken();
    void testToken();
    void useForSession();
    void openApprovedHosts();

Q_SIGNALS:
    // A token check ended (after testResultLabel() shows it).
    void tokenTested(const idesk::WhoAmI::Info &info);

private:
    void updateState();
    void onOperationFinished(TokenService::Operation operation, SecretStore::Status status,
                             const QString &message);
    void onTested(const WhoAmI::Info &info);
    void setMessage(const QString &text, bool error = false);

    std::unique_ptr<Ui::TokenSettingsDialog> m_ui; // the layout (ui/TokenSettingsDialog.ui)
    QPointer<TokenService> m_service;
    WhoAmI *m_whoAmI = nullptr;
    QLineEdit *m_tokenEdit = nullptr;
    QToolButton *m_show = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_test = nullptr;
    QPushButton *m_session = nullptr;
    QPushButton *m_hosts = nullptr;
    QLabel *m_source = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_testResult = nullptr;
    QLabel *m_noKeychainText = nullptr;
    QWidget *m_noKeychain = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_busyText = nullptr;
    TokenResolver::Source m_removedSource = TokenResolver::Source::None;
};

} // namespace idesk
