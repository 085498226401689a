#pragma once

#include <QColor>
#include <QHash>
#include <QPalette>
#include <QString>

namespace idesk {

// One distinct colour per label (entity group, box label, mask), readable on the current palette:
// the same label keeps its colour within a view.
class LabelColors
{
public:
    explicit LabelColors(const QPalette &palette = QPalette());

    QColor color(const QString &label);            // strong colour: outlines, chips
    QColor fill(const QString &label, int alpha);  // the same hue for backgrounds and tints
    QColor textOn(const QColor &background) const; // black or white, whichever reads better
    bool darkPalette() const { return m_dark; }

    static QColor nth(int index, bool dark);

private:
    bool m_dark = false;
    QHash<QString, int> m_index;
};

} // namespace idesk
