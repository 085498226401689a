#pragma once

#include <QDialog>
#include <memory>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace Ui {
class ApprovedHostsDialog;
}

namespace idesk {

// Settings > Approved hosts: the origins (scheme://host:port, or host:port for either scheme) other than
// Hugging Face's that may receive the token (HostApproval, QSettings `network/approvedHosts`). Revoke one,
// or add one by hand (a URL is reduced to its origin; a bare host means https on 443).
class ApprovedHostsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ApprovedHostsDialog(QWidget *parent = nullptr);
    ~ApprovedHostsDialog() override;

    QListWidget *hostList() const { return m_list; }
    QPushButton *revokeButton() const { return m_revoke; }
    QLineEdit *hostEdit() const { return m_hostEdit; }
    QPushButton *addButton() const { return m_add; }
    QLabel *messageLabel() const { return m_message; }

public Q_SLOTS:
    void reload();
    // Revokes the selected host.
    void revokeSelected();
    // Approves the host typed in hostEdit().
    void addTyped();

private:
    void updateButtons();

    std::unique_ptr<Ui::ApprovedHostsDialog> m_ui; // the layout (ui/ApprovedHostsDialog.ui)
    QListWidget *m_list = nullptr;
    QPushButton *m_revoke = nullptr;
    QLineEdit *m_hostEdit = nullptr;
    QPushButton *m_add = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace idesk
