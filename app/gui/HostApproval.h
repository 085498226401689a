#pragma once

#include "TokenPolicy.h"

#include <QMessageBox>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>

class QWidget;

namespace idesk {

// The hosts other than Hugging Face's to which the person allowed the token to be sent, kept in
// QSettings under `network/approvedHosts` (a host name list: no secret). ask() asks once per host
// ("Send your Hugging Face token to <host>?") and records the answer: a yes in the settings, a no for
// the rest of this session (the host can still be approved in Settings > Approved hosts).
class HostApproval : public QObject
{
    Q_OBJECT
public:
    explicit HostApproval(QWidget *dialogParent = nullptr, QObject *parent = nullptr);

    static QString settingsKey() { return QStringLiteral("network/approvedHosts"); }
    static QStringList approvedHosts();
    static void setApprovedHosts(const QStringList &hosts);
    static bool isApproved(const QString &host);
    static void approve(const QString &host);
    static void revoke(const QString &host);
    // A host name as kept in the list: lower case, no port, no trailing dot ("" when not a host).
    static QString normalizedHost(const QString &host);
    // The token policy with the approved hosts.
    static TokenPolicy policy();

    // True when this session's person said no to `host`.
    bool wasDeclined(const QString &host) const;
    // Asks whether the token may go to `host`, and records the answer; answered() follows (queued when
    // no question is needed: a Hugging Face host or an approved one gives true, a declined one false).
    // The question is a window-modal message box opened without blocking (pendingQuestion()).
    void ask(const QString &host);
    QMessageBox *pendingQuestion() const { return m_box; }

Q_SIGNALS:
    void answered(const QString &host, bool approved);

private:
    QPointer<QWidget> m_dialogParent;
    QPointer<QMessageBox> m_box;
    QString m_boxHost;
    QSet<QString> m_declined;
    QStringList m_waiting;
};

} // namespace idesk
