#include "ApprovedHostsDialog.h"

#include "HostApproval.h"
#include "TokenPolicy.h"
#include "ui_ApprovedHostsDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>

namespace idesk {

ApprovedHostsDialog::ApprovedHostsDialog(QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::ApprovedHostsDialog>())
{
    m_ui->setupUi(this); // the layout: ui/ApprovedHostsDialog.ui
    m_list = m_ui->approvedHostList;
    m_revoke = m_ui->revokeButton;
    m_hostEdit = m_ui->hostEdit;
    m_add = m_ui->approveButton;
    m_message = m_ui->message;
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_revoke, &QPushButton::clicked, this, &ApprovedHostsDialog::revokeSelected);
    connect(m_add, &QPushButton::clicked, this, &ApprovedHostsDialog::addTyped);
    connect(m_hostEdit, &QLineEdit::returnPressed, this, &ApprovedHostsDialog::addTyped);
    connect(m_hostEdit, &QLineEdit::textChanged, this, &ApprovedHostsDialog::updateButtons);
    connect(m_list, &QListWidget::currentRowChanged, this, &ApprovedHostsDialog::updateButtons);
    reload();
}

ApprovedHostsDialog::~ApprovedHostsDialog() = default;

void ApprovedHostsDialog::reload()
{
    m_list->clear();
    const QStringList hosts = HostApproval::approvedOrigins();
    m_list->addItems(hosts);
    if (hosts.isEmpty()) {
        auto *item = new QListWidgetItem(tr("(none: the token goes only to Hugging Face hosts)"), m_list);
        item->setFlags(Qt::NoItemFlags);
    }
    updateButtons();
}

void ApprovedHostsDialog::updateButtons()
{
    const QListWidgetItem *item = m_list->currentItem();
    m_revoke->setEnabled(item && (item->flags() & Qt::ItemIsSelectable));
    m_add->setEnabled(!m_hostEdit->text().trimmed().isEmpty());
}

void ApprovedHostsDialog::revokeSelected()
{
    const QListWidgetItem *item = m_list->currentItem();
    if (!item || !(item->flags() & Qt::ItemIsSelectable)) {
        m_message->setText(tr("Select an origin to revoke first."));
        return;
    }
    const QString host = item->text();
    HostApproval::revoke(host);
    reload();
    m_message->setText(
        tr("%1 no longer receives the token; you will be asked again before it is sent there.").arg(host));
}

void ApprovedHostsDialog::addTyped()
{
    const QString typed = m_hostEdit->text();
    QString why;
    QString origin = TokenPolicy::normalizedOrigin(typed, &why);
    if (origin.isEmpty() && typed.contains(QLatin1String("://")))
        origin = TokenPolicy::originOf(QUrl(typed.trimmed())); // a whole URL: its origin
    if (origin.isEmpty()) {
        m_message->setText(why);
        return;
    }
    const QUrl asUrl(origin.contains(QLatin1String("://")) ? origin : QLatin1String("https://") + origin);
    if (TokenPolicy::isHuggingFaceHost(asUrl.host())) {
        m_message->setText(tr("%1 is a Hugging Face host: it receives the token over https without approval.")
                               .arg(asUrl.host()));
        return;
    }
    HostApproval::approve(origin);
    m_hostEdit->clear();
    reload();
    m_message->setText(tr("%1 may now receive the token.").arg(origin));
}

} // namespace idesk
