#pragma once

#include "CodeSnippets.h"
#include "InferenceRequest.h"
#include "TokenPolicy.h"

#include <QMenu>
#include <functional>

class QAction;

namespace idesk {

// Edit > Copy as: the current request as a curl command, a Python (requests) script or a Kestra flow,
// on the clipboard (CodeSnippets). The token is never in it: `$HF_TOKEN`, `os.environ["HF_TOKEN"]`, or
// "{{ secret('HUGGINGFACE_API_KEY') }}"; the Authorization header is written only when the app would
// send the token to that host (the token policy with the approved hosts), so the snippet sends what
// the app sends.
class CopyAsCodeMenu : public QMenu
{
    Q_OBJECT
public:
    using RequestProvider = std::function<InferenceRequest()>;
    using PolicyProvider = std::function<TokenPolicy()>;

    explicit CopyAsCodeMenu(QWidget *parent = nullptr);

    // Where the current request comes from (the main window's editors).
    void setRequestProvider(RequestProvider provider) { m_request = std::move(provider); }
    // The token policy (default: HostApproval::policy(), the approved hosts).
    void setTokenPolicyProvider(PolicyProvider provider) { m_policy = std::move(provider); }

    QAction *curlAction() const { return m_curl; }
    QAction *pythonAction() const { return m_python; }
    QAction *kestraAction() const { return m_kestra; }

    // The snippet for the current request ("" and *error, a sentence, when it cannot be built).
    QString snippet(CodeSnippets::Kind kind, QString *error = nullptr) const;

public Q_SLOTS:
    // Puts the snippet on the clipboard; copied() or failed() follows.
    bool copy(idesk::CodeSnippets::Kind kind);

Q_SIGNALS:
    void copied(idesk::CodeSnippets::Kind kind, const QString &message);
    void failed(const QString &message);

private:
    RequestProvider m_request;
    PolicyProvider m_policy;
    QAction *m_curl = nullptr;
    QAction *m_python = nullptr;
    QAction *m_kestra = nullptr;
};

} // namespace idesk
