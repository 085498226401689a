#include "ApprovedHostsDialog.h"

#include "HostApproval.h"
#include "TokenPolicy.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace idesk {

ApprovedHostsDialog::ApprovedHostsDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Origins approved for the token"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Your Hugging Face token goes by itself only to Hugging Face hosts "
                                "(huggingface.co, router.huggingface.co, *.endpoints.huggingface.cloud, "
                                "*.hf.space, over https). These other origins (scheme, host and port) may "
                                "receive it because you approved them; the command line honours them too:"),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("approvedHostList"));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    layout->addWidget(m_list);

    auto *row = new QHBoxLayout;
    m_revoke = new QPushButton(tr("&Revoke"), this);
    m_revoke->setToolTip(
        tr("The token is no longer sent to the selected origin (you are asked again next time)."));
    row->addWidget(m_revoke);
    row->addStretch();
    m_hostEdit = new QLineEdit(this);
    m_hostEdit->setPlaceholderText(tr("origin, e.g. http://127.0.0.1:8080 or inference.example.com"));
    row->addWidget(m_hostEdit, 1);
    m_add = new QPushButton(tr("&Approve"), this);
    row->addWidget(m_add);
    layout->addLayout(row);

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    layout->addWidget(m_message);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_revoke, &QPushButton::clicked, this, &ApprovedHostsDialog::revokeSelected);
    connect(m_add, &QPushButton::clicked, this, &ApprovedHostsDialog::addTyped);
    connect(m_hostEdit, &QLineEdit::returnPressed, this, &ApprovedHostsDialog::addTyped);
    connect(m_hostEdit, &QLineEdit::textChanged, this, &ApprovedHostsDialog::updateButtons);
    connect(m_list, &QListWidget::currentRowChanged, this, &ApprovedHostsDialog::updateButtons);
    reload();
}

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
