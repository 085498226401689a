#include "CopyAsCodeMenu.h"

#include "HostApproval.h"
#include "RequestEncoder.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>

namespace idesk {

CopyAsCodeMenu::CopyAsCodeMenu(QWidget *parent) : QMenu(tr("Copy &as"), parent)
{
    setObjectName(QStringLiteral("copyAsCodeMenu"));
    m_curl = addAction(tr("&curl command"));
    m_curl->setToolTip(tr("A shell command; the token is read from $HF_TOKEN"));
    m_python = addAction(tr("&Python (requests)"));
    m_python->setToolTip(tr("A Python script; the token is read from os.environ[\"HF_TOKEN\"]"));
    m_kestra = addAction(tr("&Kestra flow"));
    m_kestra->setToolTip(tr("A Kestra flow; the token is the secret HUGGINGFACE_API_KEY"));
    connect(m_curl, &QAction::triggered, this, [this]() { copy(CodeSnippets::Kind::Curl); });
    connect(m_python, &QAction::triggered, this, [this]() { copy(CodeSnippets::Kind::Python); });
    connect(m_kestra, &QAction::triggered, this, [this]() { copy(CodeSnippets::Kind::Kestra); });
}

QString CopyAsCodeMenu::snippet(CodeSnippets::Kind kind, QString *error) const
{
    if (!m_request) {
        if (error)
            *error = tr("There is no request to copy yet.");
        return {};
    }
    const InferenceRequest request = m_request();
    QString encodeError;
    const EncodedRequest encoded = RequestEncoder::encode(request, &encodeError);
    if (!encoded.url.isValid()) {
        if (error)
            *error = tr("The request cannot be copied as code: %1").arg(encodeError);
        return {};
    }
    const TokenPolicy policy = m_policy ? m_policy() : HostApproval::policy();
    SnippetOptions options;
    options.includeToken = policy.mayAttach(encoded.url);
    QString snippetError;
    const QString text = kind == CodeSnippets::Kind::Kestra
                             ? CodeSnippets::kestraFlow(request, &snippetError)
                             : CodeSnippets::snippet(kind, request, &snippetError, options);
    if (text.isEmpty() && error)
        *error = tr("The request cannot be copied as code: %1").arg(snippetError);
    return text;
}

bool CopyAsCodeMenu::copy(CodeSnippets::Kind kind)
{
    QString error;
    const QString text = snippet(kind, &error);
    if (text.isEmpty()) {
        Q_EMIT failed(error);
        return false;
    }
    QGuiApplication::clipboard()->setText(text);
    QString what;
    switch (kind) {
    case CodeSnippets::Kind::Curl:
        what = tr("Copied the request as a curl command (the token comes from $HF_TOKEN).");
        break;
    case CodeSnippets::Kind::Python:
        what = tr("Copied the request as a Python script (the token comes from the HF_TOKEN variable).");
        break;
    case CodeSnippets::Kind::Kestra:
        what = tr("Copied the request as a Kestra flow (the token is the secret HUGGINGFACE_API_KEY).");
        break;
    }
    Q_EMIT copied(kind, what);
    return true;
}

} // namespace idesk
