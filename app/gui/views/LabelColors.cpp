#include "LabelColors.h"

#include <cmath>

namespace idesk {

LabelColors::LabelColors(const QPalette &palette) : m_dark(palette.color(QPalette::Window).lightness() < 128)
{
}

QColor LabelColors::nth(int index, bool dark)
{
    // Golden-angle steps around the hue circle keep neighbours apart.
    const int hue = int(std::fmod(20.0 + index * 137.508, 360.0));
    return QColor::fromHsv(hue, dark ? 150 : 200, dark ? 235 : 200);
}

QColor LabelColors::color(const QString &label)
{
    auto it = m_index.find(label);
    if (it == m_index.end())
        it = m_index.insert(label, int(m_index.size()));
    return nth(it.value(), m_dark);
}

QColor LabelColors::fill(const QString &label, int alpha)
{
    QColor c = color(label);
    c.setAlpha(alpha);
    return c;
}

QColor LabelColors::textOn(const QColor &background) const
{
    const int luma = (background.red() * 299 + background.green() * 587 + background.blue() * 114) / 1000;
    return luma > 140 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace idesk
