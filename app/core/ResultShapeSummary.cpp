#include "ResultShape.h"

#include "ResultShapeReaders.h"

#include <cmath>

// The CLI's `--format summary`: one answer as a few lines of text.

namespace idesk {

using namespace ResultShapeReaders;

QString ResultShape::summary() const
{
    QStringList lines;
    if (!contextTitle.isEmpty())
        lines.append(contextTitle);
    if (!problem.isEmpty())
        lines.append(problem);
    if (kind == QLatin1String("scores")) {
        if (!filledSequence.isEmpty())
            lines.append(filledSequence);
        for (const auto &g : scoreGroups) {
            if (!g.title.isEmpty())
                lines.append(g.title);
            for (const auto &s : g.items)
                lines.append(QStringLiteral("%1  %2").arg(percent(s.score), 8).arg(s.label));
        }
    } else if (kind == QLatin1String("entities")) {
        for (const auto &e : entities)
            lines.append(QStringLiteral("%1  %2  %3").arg(e.group, -8).arg(percent(e.score), 8).arg(e.word));
    } else if (kind == QLatin1String("answer")) {
        for (const auto &a : answers)
            lines.append(std::isnan(a.score)
                             ? a.answer
                             : QStringLiteral("%1  %2").arg(percent(a.score), 8).arg(a.answer));
    } else if (kind == QLatin1String("table-answer")) {
        lines.append(table.answer);
        if (!table.cells.isEmpty())
            lines.append(tr("Cells: %1").arg(table.cells.join(QLatin1String(", "))));
    } else if (kind == QLatin1String("boxes")) {
        for (const auto &b : boxes)
            lines.append(tr("%1  %2  at %3,%4 size %5x%6")
                             .arg(percent(b.score), 8)
                             .arg(b.label)
                             .arg(b.rect.x())
                             .arg(b.rect.y())
                             .arg(b.rect.width())
                             .arg(b.rect.height()));
    } else if (kind == QLatin1String("masks")) {
        for (const auto &m : masks)
            lines.append(tr("%1  %2  (mask PNG, %3 bytes)")
                             .arg(std::isnan(m.score) ? QString(8, QLatin1Char(' ')) : percent(m.score), 8)
                             .arg(m.label)
                             .arg(m.png.size()));
    } else if (kind == QLatin1String("image") || kind == QLatin1String("audio")) {
        for (const auto &m : media) {
            QString line = tr("%1, %2 bytes").arg(m.mimeType).arg(m.bytes.size());
            if (!m.label.isEmpty())
                line.prepend(m.label + QLatin1String(": "));
            if (kind == QLatin1String("audio")) {
                const AudioInfo info = audioInfo(m.bytes);
                if (info.durationSeconds >= 0)
                    line += tr(", %1 s").arg(info.durationSeconds, 0, 'f', 2);
            }
            lines.append(line);
        }
    } else if (kind == QLatin1String("text") || kind == QLatin1String("chat")) {
        lines.append(text);
    } else if (kind == QLatin1String("vectors")) {
        QStringList dims;
        for (qint64 n : vectors.shape)
            dims.append(QString::number(n));
        lines.append(tr("shape %1, %2 numbers, min %3, max %4, mean %5")
                         .arg(dims.join(QLatin1String(" x ")))
                         .arg(vectors.count)
                         .arg(vectors.min, 0, 'g', 4)
                         .arg(vectors.max, 0, 'g', 4)
                         .arg(vectors.mean, 0, 'g', 4));
        for (int i = 0; i < vectors.rowNorms.size() && i < 5; ++i)
            lines.append(tr("row %1: norm %2").arg(i).arg(vectors.rowNorms.at(i), 0, 'g', 5));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace idesk
