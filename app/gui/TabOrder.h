#pragma once

class QWidget;

namespace idesk::TabOrder {

// Puts the widgets of `part` that take focus right after `after` in the window's tab order, in the order
// they had among themselves; returns the last one placed (`after` when none takes focus).
//
// For a part built after the rest of its window (a page, a section or a view built when first needed):
// Qt appends the widgets it creates late at the end of the window's tab order, whatever their place on
// screen.
QWidget *placeAfter(QWidget *after, QWidget *part);

} // namespace idesk::TabOrder
