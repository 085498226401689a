#include "HostApproval.h"

#include <QAbstractButton>
#include <QMessageBox>
#include <QPushButton>
#include <QUrl>

namespace idesk {

HostApproval::HostApproval(QWidget *dialogParent, QObject *parent)
    : QObject(parent), m_dialogParent(dialogParent)
{
}

bool HostApproval::isApproved(const QUrl &url)
{
    return policy().mayAttach(url);
}

bool HostApproval::approve(const QString &origin)
{
    TokenPolicy p = policy();
    if (!p.approveOrigin(origin))
        return false;
    setApprovedOrigins(p.approvedOrigins());
    return true;
}

void HostApproval::revoke(const QString &origin)
{
    QStringList origins = approvedOrigins();
    const QString o = TokenPolicy::normalizedOrigin(origin);
    origins.removeAll(o.isEmpty() ? origin.trimmed() : o);
    setApprovedOrigins(origins);
}

bool HostApproval::wasDeclined(const QUrl &url) const
{
    return m_declined.contains(TokenPolicy::originOf(url));
}

void HostApproval::ask(const QUrl &url)
{
    const QString origin = TokenPolicy::originOf(url);
    const auto answerLater = [this, origin](bool approved) {
        QMetaObject::invokeMethod(
            this, [this, origin, approved]() { Q_EMIT answered(origin, approved); }, Qt::QueuedConnection);
    };
    if (origin.isEmpty() || TokenPolicy::isHuggingFaceHost(url.host())) {
        // A Hugging Face host over plain http is never asked about: the token would cross the network bare.
        answerLater(isApproved(url));
        return;
    }
    if (isApproved(url)) {
        answerLater(true);
        return;
    }
    if (m_declined.contains(origin)) {
        answerLater(false);
        return;
    }
    if (m_box) {
        // One question at a time; the same origin's question answers this one too.
        if (m_boxOrigin != origin && !m_waiting.contains(url))
            m_waiting << url;
        return;
    }

    auto *box = new QMessageBox(QMessageBox::Question, tr("Send the token?"),
                                tr("Send your Hugging Face token to %1?").arg(origin), QMessageBox::NoButton,
                                m_dialogParent);
    box->setInformativeText(
        tr("%1 is not a Hugging Face address. Send the token only if you trust it with your Hugging Face "
           "account; the request waits for your answer (without the token if you say no). The answer holds "
           "for this scheme, host and port only, and is remembered; approved origins can be revoked in "
           "Settings > Approved hosts.")
            .arg(origin));
    QAbstractButton *yes = box->addButton(tr("Send the token to %1").arg(origin), QMessageBox::AcceptRole);
    box->addButton(tr("Don't send it"), QMessageBox::RejectRole);
    box->setDefaultButton(qobject_cast<QPushButton *>(box->buttons().constLast()));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(m_dialogParent ? Qt::WindowModal : Qt::ApplicationModal);
    m_box = box;
    m_boxOrigin = origin;
    connect(box, &QMessageBox::finished, this, [this, box, yes, origin]() {
        const bool approved = box->clickedButton() == yes;
        if (m_box == box) {
            m_box = nullptr;
            m_boxOrigin.clear();
        }
        if (approved)
            approve(origin);
        else
            m_declined.insert(origin);
        Q_EMIT answered(origin, approved);
        if (!m_box && !m_waiting.isEmpty())
            ask(m_waiting.takeFirst());
    });
    box->open();
}

} // namespace idesk
