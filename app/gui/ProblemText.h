#pragma once

#include <QPalette>

class QWidget;

namespace idesk {

// The colour of text that reports a problem (an invalid schema, an error the server sent), readable on
// light and dark palettes alike.
QColor problemTextColor(const QPalette &palette);
// Shows `widget`'s text in that colour when `problem`, else in its usual colour (that of its foreground
// role: WindowText, or PlaceholderText for quiet notes).
void markProblemText(QWidget *widget, bool problem);

} // namespace idesk
