#include "ProblemText.h"

#include <QWidget>

namespace idesk {

QColor problemTextColor(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightnessF() < 0.5;
    return dark ? QColor(255, 120, 110) : QColor(200, 30, 30);
}

void markProblemText(QWidget *widget, bool problem)
{
    QPalette p = widget->palette();
    const QPalette inherited = widget->parentWidget() ? widget->parentWidget()->palette() : QPalette();
    const QPalette::ColorRole role = widget->foregroundRole();
    p.setColor(role, problem ? problemTextColor(inherited) : inherited.color(role));
    widget->setPalette(p);
}

} // namespace idesk
