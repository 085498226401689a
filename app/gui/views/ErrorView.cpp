#include "ErrorView.h"

#include "Scrub.h"

#include <QGridLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkReply>
#include <QScrollArea>
#include <QStyle>
#include <QVBoxLayout>

namespace idesk {

ErrorView::ErrorView(QWidget *parent) : ResultRenderer(parent)
{
    m_icon = new QLabel(this);
    m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(40, 40));
    m_icon->setAlignment(Qt::AlignTop);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    QFont big = m_status->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    m_status->setFont(big);
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Error status"));

    auto caption = [this](const QString &text) {
        auto *l = new QLabel(text, this);
        QFont f = l->font();
        f.setBold(true);
        l->setFont(f);
        return l;
    };
    m_serverCaption = caption(tr("The server said:"));
    m_server = new QLabel(this);
    m_server->setWordWrap(true);
    m_server->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_server->setTextFormat(Qt::PlainText); // the server's words, never markup
    m_server->setFrameShape(QFrame::StyledPanel);
    m_server->setMargin(8);
    m_server->setBackgroundRole(QPalette::AlternateBase);
    m_server->setAutoFillBackground(true);
    m_server->setAccessibleName(tr("The server's message"));
    m_adviceCaption = caption(tr("What to do:"));
    m_advice = new QLabel(this);
    m_advice->setWordWrap(true);
    m_advice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_advice->setTextFormat(Qt::PlainText);
    m_advice->setAccessibleName(tr("What to do"));

    auto *text = new QVBoxLayout;
    text->addWidget(m_status);
    text->addSpacing(8);
    text->addWidget(m_serverCaption);
    text->addWidget(m_server);
    text->addSpacing(8);
    text->addWidget(m_adviceCaption);
    text->addWidget(m_advice);
    text->addStretch(1);
    // In a scroll area: a long message (a server's words with a long unbroken token, advice at 1024 px
    // wide) scrolls instead of being cut at the bottom of the pane, and never widens the window.
    auto *content = new QWidget;
    auto *layout = new QHBoxLayout(content);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addLayout(text, 1);
    auto *scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    scroll->viewport()->setAutoFillBackground(false);
    content->setAutoFillBackground(false);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
}

QString ErrorView::statusLine(const InferenceResult &result)
{
    using Outcome = InferenceResult::Outcome;
    switch (result.outcome) {
    case Outcome::Success:
    case Outcome::HttpError:
        break;
    case Outcome::NetworkError:
        return tr("The server could not be reached");
    case Outcome::Timeout:
        return tr("The request timed out");
    case Outcome::TooLarge:
        return tr("The answer is larger than the maximum content length");
    case Outcome::Cancelled:
        return tr("The request was cancelled");
    case Outcome::InvalidRequest:
        return tr("The request could not be sent");
    }
    QString reason = QString::fromUtf8(result.reason);
    if (reason.isEmpty() && result.status > 0) {
        static const QHash<int, const char *> reasons = {
            {400, QT_TR_NOOP("Bad Request")},
            {401, QT_TR_NOOP("Unauthorized")},
            {403, QT_TR_NOOP("Forbidden")},
            {404, QT_TR_NOOP("Not Found")},
            {410, QT_TR_NOOP("Gone")},
            {413, QT_TR_NOOP("Payload Too Large")},
            {422, QT_TR_NOOP("Unprocessable Entity")},
            {429, QT_TR_NOOP("Too Many Requests")},
            {500, QT_TR_NOOP("Internal Server Error")},
            {502, QT_TR_NOOP("Bad Gateway")},
            {503, QT_TR_NOOP("Service Unavailable")},
            {504, QT_TR_NOOP("Gateway Timeout")},
        };
        if (const char *r = reasons.value(result.status))
            reason = tr(r);
    }
    return tr("HTTP %1 %2").arg(result.status).arg(reason).trimmed();
}

void ErrorView::showResult(const ResultContext &context)
{
    const InferenceResult &r = context.result;
    // Everything here may quote the server, which may echo the request's Authorization header: scrubbed.
    m_status->setText(Scrub::forDisplay(statusLine(r)));
    QString server = r.serverMessage;
    if (server.isEmpty() && !r.body.isEmpty() && r.body.size() < 4096 && !r.isBinary())
        server = QString::fromUtf8(r.body).trimmed();
    server = Scrub::forDisplay(server);
    m_server->setText(server);
    m_server->setVisible(!server.isEmpty());
    m_serverCaption->setVisible(!server.isEmpty());
    QString advice = r.errorMessage;
    if (advice.isEmpty())
        advice = tr("Check the model id, the task and the inputs, then send again. The Raw tab shows "
                    "everything the server sent back.");
    m_advice->setText(Scrub::forDisplay(advice));
}

QString ErrorView::statusText() const
{
    return m_status->text();
}

QString ErrorView::serverText() const
{
    return m_server->text();
}

QString ErrorView::adviceText() const
{
    return m_advice->text();
}

QString ErrorView::copyText() const
{
    QStringList lines{statusText()};
    if (!serverText().isEmpty())
        lines.append(serverText());
    lines.append(adviceText());
    return lines.join(QLatin1Char('\n'));
}

} // namespace idesk
