#include "HostApproval.h"

#include <QAbstractButton>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QUrl>

namespace idesk {

HostApproval::HostApproval(QWidget *dialogParent, QObject *parent)
    : QObject(parent), m_dialogParent(dialogParent)
{
}

QString HostApproval::normalizedHost(const QString &host)
{
    QString h = host.trimmed().toLower();
    if (h.contains(QLatin1String("://")))
        h = QUrl(h).host();
    while (h.endsWith(QLatin1Char('.')))
        h.chop(1);
    // "host:port" (not an IPv6 literal): the port does not matter for the token.
    if (h.count(QLatin1Char(':')) == 1)
        h = h.section(QLatin1Char(':'), 0, 0);
    if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
        h = h.mid(1, h.size() - 2);
    if (h.contains(QLatin1Char(' ')) || h.contains(QLatin1Char('/')))
        return QString();
    return h;
}

QStringList HostApproval::approvedHosts()
{
    QStringList hosts;
    const QStringList stored = QSettings().value(settingsKey()).toStringList();
    for (const QString &h : stored) {
        const QString n = normalizedHost(h);
        if (!n.isEmpty() && !hosts.contains(n))
            hosts << n;
    }
    return hosts;
}

void HostApproval::setApprovedHosts(const QStringList &hosts)
{
    QStringList clean;
    for (const QString &h : hosts) {
        const QString n = normalizedHost(h);
        if (!n.isEmpty() && !clean.contains(n))
            clean << n;
    }
    clean.sort();
    QSettings settings;
    if (clean.isEmpty())
        settings.remove(settingsKey());
    else
        settings.setValue(settingsKey(), clean);
}

bool HostApproval::isApproved(const QString &host)
{
    return approvedHosts().contains(normalizedHost(host));
}

void HostApproval::approve(const QString &host)
{
    QStringList hosts = approvedHosts();
    hosts << host;
    setApprovedHosts(hosts);
}

void HostApproval::revoke(const QString &host)
{
    QStringList hosts = approvedHosts();
    hosts.removeAll(normalizedHost(host));
    setApprovedHosts(hosts);
}

TokenPolicy HostApproval::policy()
{
    TokenPolicy p;
    p.setApprovedHosts(approvedHosts());
    return p;
}

bool HostApproval::wasDeclined(const QString &host) const
{
    return m_declined.contains(normalizedHost(host));
}

void HostApproval::ask(const QString &rawHost)
{
    const QString host = normalizedHost(rawHost);
    const auto answerLater = [this, rawHost](bool approved) {
        QMetaObject::invokeMethod(
            this, [this, rawHost, approved]() { Q_EMIT answered(rawHost, approved); }, Qt::QueuedConnection);
    };
    if (host.isEmpty()) {
        answerLater(false);
        return;
    }
    if (TokenPolicy::isHuggingFaceHost(host) || isApproved(host)) {
        answerLater(true);
        return;
    }
    if (m_declined.contains(host)) {
        answerLater(false);
        return;
    }
    if (m_box) {
        // One question at a time; the same host's question answers this one too.
        if (m_boxHost != host && !m_waiting.contains(rawHost))
            m_waiting << rawHost;
        return;
    }

    auto *box = new QMessageBox(QMessageBox::Question, tr("Send the token?"),
                                tr("Send your Hugging Face token to %1?").arg(host), QMessageBox::NoButton,
                                m_dialogParent);
    box->setInformativeText(
        tr("%1 is not a Hugging Face host. Send the token only if you trust it with your Hugging Face "
           "account. Your answer is remembered; approved hosts can be revoked in Settings > Hugging Face "
           "token > Approved hosts.")
            .arg(host));
    QAbstractButton *yes = box->addButton(tr("Send the token to %1").arg(host), QMessageBox::AcceptRole);
    box->addButton(tr("Don't send it"), QMessageBox::RejectRole);
    box->setDefaultButton(qobject_cast<QPushButton *>(box->buttons().constLast()));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(m_dialogParent ? Qt::WindowModal : Qt::ApplicationModal);
    m_box = box;
    m_boxHost = host;
    connect(box, &QMessageBox::finished, this, [this, box, yes, host, rawHost]() {
        const bool approved = box->clickedButton() == yes;
        if (m_box == box) {
            m_box = nullptr;
            m_boxHost.clear();
        }
        if (approved)
            approve(host);
        else
            m_declined.insert(host);
        Q_EMIT answered(rawHost, approved);
        if (!m_box && !m_waiting.isEmpty())
            ask(m_waiting.takeFirst());
    });
    box->open();
}

} // namespace idesk
