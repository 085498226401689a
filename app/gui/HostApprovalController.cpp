#include "HostApprovalController.h"

#include "HostApproval.h"
#include "SendController.h"

#include <QMainWindow>
#include <QStatusBar>

namespace idesk {

HostApprovalController::HostApprovalController(SendController *send, QMainWindow *window)
    : QObject(window), m_send(send), m_window(window), m_approval(new HostApproval(window, this))
{
    // Before a request goes to an address that is not Hugging Face's, whether that origin may have the
    // token is asked (once per origin); the request waits for the answer.
    m_send->setAsksApproval(true);
    connect(m_send, &SendController::approvalNeeded, this, &HostApprovalController::onApprovalNeeded);
    connect(m_approval, &HostApproval::answered, this, &HostApprovalController::onAnswered);
}

void HostApprovalController::onApprovalNeeded(const QString &origin, const QUrl &url)
{
    showStatus(tr("Waiting for your answer: may %1 have your Hugging Face token?").arg(origin), 0);
    m_approval->ask(url);
}

void HostApprovalController::onAnswered(const QString &origin, bool approved)
{
    // Only the answer the send waits for: the request goes now, once (with the token or without it), and
    // the status line then says which.
    if (!m_send || m_send->pendingOrigin() != origin)
        return;
    if (approved) {
        m_send->approve();
        showStatus(tr("%1 may now receive the token: sending.").arg(origin));
    } else {
        m_send->decline();
        showStatus(tr("Sending to %1 without the token (your choice). Approve it in Settings > Approved "
                      "hosts to change that.")
                       .arg(origin),
                   15000);
    }
}

void HostApprovalController::showStatus(const QString &text, int timeoutMs)
{
    if (m_window)
        m_window->statusBar()->showMessage(text.section(QLatin1Char('\n'), 0, 0), timeoutMs);
}

} // namespace idesk
