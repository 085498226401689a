#include "ResultRenderer.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>

namespace idesk {

void ResultRenderer::copyToClipboard() const
{
    QGuiApplication::clipboard()->setText(copyText());
}

QLabel *ResultRenderer::makeQuestionLabel()
{
    auto *label = new QLabel(this);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

QLabel *ResultRenderer::makeAnswerLabel()
{
    auto *label = new QLabel(this);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAccessibleName(tr("Answer"));
    QFont big = label->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    label->setFont(big);
    return label;
}

} // namespace idesk
