#include "TokenController.h"

#include "ApprovedHostsDialog.h"
#include "MainWindow.h"
#include "TokenResolver.h"
#include "TokenService.h"
#include "TokenSettingsDialog.h"

#include <QAction>
#include <QStatusBar>

namespace idesk {

TokenController::TokenController(MainWindow *window, SecretStore *keychain)
    : QObject(window), m_window(window), m_tokens(new TokenService(keychain, this))
{
    m_tokenSettingsAction = new QAction(tr("Hugging Face &token..."), this);
    m_tokenSettingsAction->setObjectName(QStringLiteral("actionTokenSettings"));
    connect(m_tokenSettingsAction, &QAction::triggered, this, &TokenController::openTokenSettings);
    m_hostsAction = new QAction(tr("&Approved hosts..."), this);
    m_hostsAction->setObjectName(QStringLiteral("actionApprovedHosts"));
    connect(m_hostsAction, &QAction::triggered, this, &TokenController::openApprovedHosts);

    // The token for each send: HF_TOKEN, then the keychain / session-only token (resolved at start and
    // after every change in Settings).
    window->setTokenProvider([tokens = QPointer<TokenService>(m_tokens)]() {
        return tokens ? tokens->token() : TokenResolver::environmentToken();
    });
    connect(m_tokens, &TokenService::changed, this, &TokenController::onTokenChanged);
    m_tokens->resolve();
}

TokenController::~TokenController() = default;

TokenSettingsDialog *TokenController::tokenSettingsDialog() const
{
    return m_dialog;
}

QString TokenController::noTokenNote()
{
    return tr("No Hugging Face token is set: most models answer 401 without one. Set it in Settings > "
              "Hugging Face token, or start the app with HF_TOKEN set.");
}

void TokenController::onTokenChanged()
{
    if (!m_window)
        return;
    // The status bar names the token in use (masked) and where it comes from.
    m_window->setTokenStatus(m_tokens->statusText());
    // No token at all (a first start): a note that says so and where to set one, before any 401.
    if (m_tokens->isResolved() && !m_tokens->current().hasToken()) {
        m_window->setTokenStatus(tr("none set (Settings > Hugging Face token)"));
        m_window->statusBar()->showMessage(noTokenNote(), 0);
    } else if (m_window->statusBar()->currentMessage() == noTokenNote()) {
        m_window->statusBar()->clearMessage();
    }
}

void TokenController::openTokenSettings()
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

void TokenController::openApprovedHosts()
{
    auto *dialog = new ApprovedHostsDialog(m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

} // namespace idesk
