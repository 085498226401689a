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

// The origins (scheme, host, port) other than Hugging Face's to which the person allowed the token to be
// sent, kept in QSettings under TokenPolicy::settingsKey() (a list of origins: no secret; the CLI reads it
// too). A host saved alone by an older version reads as https on port 443 only: any other port or plain
// http is asked again. ask() asks once per origin ("Send your Hugging Face token to
// http://127.0.0.1:8765?") before the request goes, and records the answer: a yes in the settings, a no
// for the rest of this session (the origin can still be approved in Settings > Approved hosts).
class HostApproval : public QObject
{
    Q_OBJECT
public:
    explicit HostApproval(QWidget *dialogParent = nullptr, QObject *parent = nullptr);

    static QString settingsKey() { return TokenPolicy::settingsKey(); }
    static QStringList approvedOrigins() { return TokenPolicy::savedOrigins(); }
    static void setApprovedOrigins(const QStringList &origins) { TokenPolicy::setSavedOrigins(origins); }
    // True when the token may go to `url` (a Hugging Face https address, or an approved origin).
    static bool isApproved(const QUrl &url);
    // Approves an origin (TokenPolicy::normalizedOrigin's forms, or a URL); false when it is not one.
    static bool approve(const QString &origin);
    static void revoke(const QString &origin);
    // The token policy with the approved origins.
    static TokenPolicy policy() { return TokenPolicy::fromSettings(); }

    // True when this session's person said no to the origin of `url`.
    bool wasDeclined(const QUrl &url) const;
    // Asks whether the token may go to the origin of `url`, and records the answer; answered() follows
    // with that origin (queued when no question is needed: a Hugging Face or an approved address gives
    // true, a declined one or one that is no http(s) origin false). The question is a window-modal message
    // box opened without blocking (pendingQuestion()).
    void ask(const QUrl &url);
    QMessageBox *pendingQuestion() const { return m_box; }

Q_SIGNALS:
    void answered(const QString &origin, bool approved);

private:
    QPointer<QWidget> m_dialogParent;
    QPointer<QMessageBox> m_box;
    QString m_boxOrigin;
    QSet<QString> m_declined;
    QList<QUrl> m_waiting;
};

} // namespace idesk
