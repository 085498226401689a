#include "TokenSettingsDialog.h"
#include "ui_TokenSettingsDialog.h"

#include "ApprovedHostsDialog.h"
#include "HostApproval.h"
#include "KeychainSecretStore.h"
#include "TokenResolver.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace idesk {

TokenSettingsDialog::TokenSettingsDialog(TokenService *service, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::TokenSettingsDialog>()), m_service(service),
      m_whoAmI(new WhoAmI(nullptr, this))
{
    m_ui->setupUi(this); // the layout: ui/TokenSettingsDialog.ui
    m_source = m_ui->tokenSourceLabel;
    QFont small = m_ui->lookupOrder->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_ui->lookupOrder->setFont(small);
    m_tokenEdit = m_ui->tokenEdit;
    m_show = m_ui->showToken;
    m_save = m_ui->saveToken;
    m_remove = m_ui->removeToken;
    m_test = m_ui->testToken;
    m_busy = m_ui->busy;
    m_busyText = m_ui->busyText;
    m_noKeychain = m_ui->noKeychainPanel;
    m_noKeychainText = m_ui->noKeychainText;
    m_session = m_ui->useForSession;
    m_message = m_ui->tokenMessageLabel;
    m_testResult = m_ui->tokenTestResultLabel;
    m_hosts = m_ui->approvedHosts;
    connect(m_ui->closeButtons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    TokenPolicy policy = HostApproval::policy();
    // HF_ENDPOINT is the person's own choice of Hub (a mirror or a local one): the token may go there.
    policy.approveOrigin(qEnvironmentVariable("HF_ENDPOINT")); // its origin only
    m_whoAmI->setTokenPolicy(policy);

    connect(m_show, &QToolButton::toggled, this, [this](bool shown) {
        m_tokenEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_show->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(m_tokenEdit, &QLineEdit::textChanged, this, &TokenSettingsDialog::updateState);
    connect(m_save, &QPushButton::clicked, this, &TokenSettingsDialog::saveToken);
    connect(m_tokenEdit, &QLineEdit::returnPressed, this, &TokenSettingsDialog::saveToken);
    connect(m_remove, &QPushButton::clicked, this, &TokenSettingsDialog::removeToken);
    connect(m_test, &QPushButton::clicked, this, &TokenSettingsDialog::testToken);
    connect(m_session, &QPushButton::clicked, this, &TokenSettingsDialog::useForSession);
    connect(m_hosts, &QPushButton::clicked, this, &TokenSettingsDialog::openApprovedHosts);
    connect(m_whoAmI, &WhoAmI::finished, this, &TokenSettingsDialog::onTested);
    if (m_service) {
        connect(m_service, &TokenService::busyChanged, this, &TokenSettingsDialog::updateState);
        connect(m_service, &TokenService::changed, this, &TokenSettingsDialog::updateState);
        connect(m_service, &TokenService::operationFinished, this, &TokenSettingsDialog::onOperationFinished);
        m_service->resolve();
    }
    m_save->setDefault(true);
    updateState();
}

TokenSettingsDialog::~TokenSettingsDialog()
{
    m_whoAmI->cancel();
}

void TokenSettingsDialog::setMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void TokenSettingsDialog::updateState()
{
    const bool serviceBusy = m_service && m_service->isBusy();
    const bool busy = serviceBusy || m_whoAmI->isRunning();
    const bool typed = !m_tokenEdit->text().trimmed().isEmpty();
    m_busy->setVisible(busy);
    m_busyText->setVisible(busy);
    m_save->setEnabled(m_service && !serviceBusy && typed);
    m_remove->setEnabled(m_service && !serviceBusy);
    m_session->setEnabled(m_service && !serviceBusy && typed);
    m_test->setEnabled(!m_whoAmI->isRunning());

    if (!m_service) {
        m_source->setText(tr("No token service."));
        m_noKeychain->setVisible(false);
        return;
    }
    const TokenResolver::Result current = m_service->current();
    QString source;
    if (!m_service->isResolved()) {
        source = tr("Looking for a token...");
    } else if (current.hasToken()) {
        source = tr("In use: %1, %2").arg(TokenResolver::sourceName(current.source), current.masked);
        if (current.source == TokenResolver::Source::Environment)
            source +=
                QLatin1Char('\n') + tr("HF_TOKEN is set in the environment: it comes first. Unset it to "
                                       "use the token stored here.");
        else if (current.source == TokenResolver::Source::Session)
            source += QLatin1Char('\n') + tr("Kept in memory until the app quits; stored nowhere.");
    } else {
        source = tr("No token in use.");
        if (!m_service->keychainUnavailable() && !current.message.isEmpty())
            source += QLatin1Char(' ') + current.message;
    }
    m_source->setText(source);

    const bool unavailable = m_service->keychainUnavailable();
    m_noKeychain->setVisible(unavailable);
    if (unavailable) {
        QString why = current.storeStatus == SecretStore::Status::Unavailable ? current.message : QString();
        if (why.isEmpty())
            why = KeychainSecretStore::unavailableMessage();
        m_noKeychainText->setText(why + QLatin1Char('\n') +
                                  tr("You can paste a token above and use it for this session only: it is "
                                     "kept in memory and forgotten when the app quits."));
    }
    // Wrapped texts appear and grow: let the dialog grow with them instead of clipping them.
    if (isVisible() && layout()) {
        layout()->activate();
        const int needed = hasHeightForWidth() ? heightForWidth(width()) : sizeHint().height();
        if (needed > height())
            resize(width(), needed);
    }
}

void TokenSettingsDialog::saveToken()
{
    if (!m_service || m_service->isBusy())
        return;
    const QString token = m_tokenEdit->text().trimmed();
    if (token.isEmpty()) {
        setMessage(tr("The token field is empty: paste a token (it starts with hf_) and save again."), true);
        return;
    }
    setMessage(tr("Saving to the keychain..."));
    m_service->save(token);
    updateState();
}

void TokenSettingsDialog::removeToken()
{
    if (!m_service || m_service->isBusy())
        return;
    m_removedSource = m_service->current().source;
    setMessage(m_service->isSessionOnly() ? tr("Forgetting the session-only token...")
                                          : tr("Removing the token from the keychain..."));
    m_service->remove();
    updateState();
}

void TokenSettingsDialog::useForSession()
{
    if (!m_service || m_service->isBusy())
        return;
    const QString token = m_tokenEdit->text().trimmed();
    if (token.isEmpty()) {
        setMessage(tr("The token field is empty: paste a token (it starts with hf_) first."), true);
        return;
    }
    m_service->useForSession(token);
    updateState();
}

void TokenSettingsDialog::testToken()
{
    QString token = m_tokenEdit->text().trimmed();
    if (token.isEmpty() && m_service)
        token = m_service->token();
    m_testResult->setText(
        tr("Asking %1 who the token belongs to...").arg(m_whoAmI->endpoint().host().toHtmlEscaped()));
    m_whoAmI->check(token);
    updateState();
}

void TokenSettingsDialog::onTested(const WhoAmI::Info &info)
{
    QString html = info.message.toHtmlEscaped();
    if (info.ok) {
        html = (info.mayCallInferenceProviders ? QStringLiteral("&#10004; ") : QStringLiteral("&#9888; ")) +
               html;
        if (!info.mayCallInferenceProviders)
            html += QStringLiteral("<br><a href=\"%1\">%2</a>")
                        .arg(WhoAmI::newTokenUrl().toHtmlEscaped(),
                             tr("Create a fine-grained token with \"Make calls to Inference Providers\"")
                                 .toHtmlEscaped());
    }
    m_testResult->setText(html);
    updateState();
    Q_EMIT tokenTested(info);
}

void TokenSettingsDialog::onOperationFinished(TokenService::Operation operation, SecretStore::Status status,
                                              const QString &message)
{
    const bool ok = status == SecretStore::Status::Ok;
    switch (operation) {
    case TokenService::Operation::Resolve:
        break;
    case TokenService::Operation::Save:
        if (ok) {
            m_tokenEdit->clear();
            setMessage(tr("Saved in the keychain."));
        } else if (status == SecretStore::Status::Unavailable) {
            setMessage(tr("The token was not saved: no keychain is available. Use it for this session only, "
                          "or set HF_TOKEN."),
                       true);
        } else {
            setMessage(tr("The token was not saved. %1").arg(message), true);
        }
        break;
    case TokenService::Operation::Remove:
        // The keychain answers a removal of nothing with success: what was in use tells the difference.
        if (ok && m_removedSource == TokenResolver::Source::Environment)
            setMessage(tr("The keychain token, if there was one, was removed. HF_TOKEN from the environment "
                          "is still used."));
        else if (ok && m_removedSource != TokenResolver::Source::None)
            setMessage(tr("The stored token was removed."));
        else if (ok || status == SecretStore::Status::NotFound)
            setMessage(tr("There was no stored token to remove."));
        else
            setMessage(tr("The token was not removed. %1").arg(message), true);
        break;
    case TokenService::Operation::UseForSession:
        if (ok) {
            m_tokenEdit->clear();
            setMessage(tr("This token is used until the app quits. It is stored nowhere."));
        } else {
            setMessage(message, true);
        }
        break;
    }
    updateState();
}

void TokenSettingsDialog::openApprovedHosts()
{
    ApprovedHostsDialog dialog(this);
    dialog.exec();
    TokenPolicy policy = HostApproval::policy();
    policy.approveOrigin(qEnvironmentVariable("HF_ENDPOINT")); // its origin only
    m_whoAmI->setTokenPolicy(policy);
}

} // namespace idesk
