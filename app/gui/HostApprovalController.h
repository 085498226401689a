#pragma once

#include <QObject>
#include <QPointer>

class QMainWindow;

namespace idesk {

class HostApproval;
class SendController;

// Host approval for the window's sends. Before a request goes to an origin that is not Hugging Face's,
// SendController waits (approvalNeeded); this asks the person once per origin whether it may have the
// token (HostApproval::ask, a window-modal question opened without blocking) and answers the waiting
// send: SendController::approve() (sent once, with the token) or decline() (sent once, without it). The
// status line says which. MainWindow creates it (only the send path, never a menu).
class HostApprovalController : public QObject
{
    Q_OBJECT
public:
    // Turns `send`'s approval step on; questions are modal to `window`, which also owns this.
    HostApprovalController(SendController *send, QMainWindow *window);

    HostApproval *hostApproval() const { return m_approval; }

private:
    void onApprovalNeeded(const QString &origin, const QUrl &url);
    void onAnswered(const QString &origin, bool approved);
    void showStatus(const QString &text, int timeoutMs = 8000);

    QPointer<SendController> m_send;
    QPointer<QMainWindow> m_window;
    HostApproval *m_approval = nullptr;
};

} // namespace idesk
