#pragma once

#include <QIcon>
#include <QStyle>

class QWidget;

namespace idesk {

// The style's standard icons for the window's buttons, read at the sizes a button paints them.
// QStyle::standardIcon() decodes every size Qt ships, and for Send's arrow and the Hub search button's icon
// that includes a 128 px file: those two decodes took more of the window's start-up than building its
// Send panel.
//
// Same picture as the style's: with Qt's Fusion style and no icon theme providing the icon, this reads
// Qt's own 16 to 32 px files of it; any other case (another style, a theme icon, files not found) is the
// style's standardIcon() itself.
namespace StyleIcons {

QIcon forButton(QStyle::StandardPixmap which, const QWidget *widget);

} // namespace StyleIcons

} // namespace idesk
