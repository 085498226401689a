#include "ScoreBar.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace idesk {

ScoreBar::ScoreBar(double score, QWidget *parent) : QWidget(parent), m_score(std::clamp(score, 0.0, 1.0))
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("%1 percent").arg(m_score * 100.0, 0, 'f', 1));
}

QString ScoreBar::percentText(double score, int decimals)
{
    const QLocale locale;
    const double pct = score * 100.0;
    const double smallest = std::pow(10.0, -decimals);
    if (pct > 0 && pct < smallest)
        return tr("< %1%").arg(locale.toString(smallest, 'f', decimals));
    return locale.toString(pct, 'f', decimals) + QLatin1Char('%');
}

void ScoreBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF track = QRectF(rect()).adjusted(0.5, 1.5, -0.5, -1.5);
    QColor trackColor = palette().color(QPalette::Mid);
    trackColor.setAlpha(70);
    p.setPen(Qt::NoPen);
    p.setBrush(trackColor);
    p.drawRoundedRect(track, 3, 3);
    if (m_score <= 0)
        return;
    QRectF bar = track;
    bar.setWidth(std::max(2.0, track.width() * m_score));
    p.setBrush(palette().color(QPalette::Highlight));
    p.drawRoundedRect(bar, 3, 3);
}

} // namespace idesk
