#pragma once

#include <QStringList>
#include <QUrl>

namespace idesk {

// Decides whether the Hugging Face token may be attached to a request for `url`.
// Hugging Face hosts get it by themselves (huggingface.co, router.huggingface.co,
// *.endpoints.huggingface.cloud, *.hf.space, and the retired api-inference host); any other host only
// when the person chose it for the token (approved hosts, or an explicit endpoint on the command line).
class TokenPolicy
{
public:
    static bool isHuggingFaceHost(const QString &host);

    void setApprovedHosts(const QStringList &hosts) { m_approved = hosts; }
    QStringList approvedHosts() const { return m_approved; }
    void approveHost(const QString &host);
    // Loopback and everything else chosen explicitly (CLI --endpoint).
    void setExplicitEndpointChosen(bool chosen) { m_explicit = chosen; }

    bool mayAttach(const QUrl &url) const;
    // Why the token was not attached, for the message shown to the person.
    QString refusalReason(const QUrl &url) const;

private:
    QStringList m_approved;
    bool m_explicit = false;
};

} // namespace idesk
