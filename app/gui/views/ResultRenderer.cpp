#include "ResultRenderer.h"

#include <QClipboard>
#include <QGuiApplication>

namespace idesk {

void ResultRenderer::copyToClipboard() const
{
    QGuiApplication::clipboard()->setText(copyText());
}

} // namespace idesk
