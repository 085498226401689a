#include "ImageCanvas.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace idesk {

ImageCanvas::ImageCanvas(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ImageCanvas::setImage(const QImage &image)
{
    m_image = image;
    updateGeometry();
    update();
}

void ImageCanvas::setBoxes(const QList<Box> &boxes)
{
    m_boxes = boxes;
    m_highlighted = -1;
    update();
}

void ImageCanvas::setLayers(const QList<QImage> &layers)
{
    m_layers = layers;
    m_visible = QList<bool>(layers.size(), true);
    update();
}

void ImageCanvas::setLayerVisible(int index, bool visible)
{
    if (index < 0 || index >= m_visible.size())
        return;
    m_visible[index] = visible;
    update();
}

void ImageCanvas::setHighlightedBox(int index)
{
    if (m_highlighted == index)
        return;
    m_highlighted = index;
    update();
}

QSize ImageCanvas::sizeHint() const
{
    if (m_image.isNull())
        return {320, 240};
    return m_image.size().scaled(480, 360, Qt::KeepAspectRatio);
}

QRectF ImageCanvas::imageRect() const
{
    if (m_image.isNull())
        return {};
    const double scale = std::max(
        0.01, std::min({(width() - 8.0) / m_image.width(), (height() - 8.0) / m_image.height(), 2.0}));
    const QSizeF size(m_image.width() * scale, m_image.height() * scale);
    return QRectF(QPointF((width() - size.width()) / 2, (height() - size.height()) / 2), size);
}

void ImageCanvas::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.setRenderHint(QPainter::Antialiasing);
    if (m_image.isNull()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("No input image to draw on."));
        return;
    }
    const QRectF target = imageRect();
    p.drawImage(target, m_image);
    for (int i = 0; i < m_layers.size(); ++i)
        if (m_visible.value(i))
            p.drawImage(target, m_layers.at(i));

    const double sx = target.width() / m_image.width();
    const double sy = target.height() / m_image.height();
    QFont font = p.font();
    font.setBold(true);
    p.setFont(font);
    const QFontMetrics fm(font);
    for (int i = 0; i < m_boxes.size(); ++i) {
        const Box &b = m_boxes.at(i);
        const QRectF r(target.left() + b.rect.left() * sx, target.top() + b.rect.top() * sy,
                       b.rect.width() * sx, b.rect.height() * sy);
        const bool hot = i == m_highlighted;
        QColor fill = b.color;
        fill.setAlpha(hot ? 70 : 0);
        p.setBrush(fill);
        p.setPen(QPen(b.color, hot ? 4 : 2));
        p.drawRect(r);
        // The label on a tag at the box's top-left corner.
        const QString text = b.label;
        QRectF tag(r.left(), r.top() - fm.height() - 2, fm.horizontalAdvance(text) + 8, fm.height() + 2);
        if (tag.top() < target.top())
            tag.moveTop(r.top());
        p.setPen(Qt::NoPen);
        p.setBrush(b.color);
        p.drawRect(tag);
        const int luma = (b.color.red() * 299 + b.color.green() * 587 + b.color.blue() * 114) / 1000;
        p.setPen(luma > 140 ? Qt::black : Qt::white);
        p.drawText(tag, Qt::AlignCenter, text);
    }
}

int ImageCanvas::boxAt(const QPointF &pos) const
{
    const QRectF target = imageRect();
    if (m_image.isNull() || !target.contains(pos))
        return -1;
    const QPointF pixel((pos.x() - target.left()) * m_image.width() / target.width(),
                        (pos.y() - target.top()) * m_image.height() / target.height());
    // The smallest box under the pointer wins (nested boxes stay reachable).
    int best = -1;
    double bestArea = 0;
    for (int i = 0; i < m_boxes.size(); ++i) {
        const QRectF &r = m_boxes.at(i).rect;
        if (r.contains(pixel) && (best < 0 || r.width() * r.height() < bestArea)) {
            best = i;
            bestArea = r.width() * r.height();
        }
    }
    return best;
}

void ImageCanvas::mouseMoveEvent(QMouseEvent *event)
{
    const int index = boxAt(event->position());
    if (index != m_highlighted) {
        setHighlightedBox(index);
        Q_EMIT boxHovered(index);
    }
}

void ImageCanvas::leaveEvent(QEvent *)
{
    if (m_highlighted >= 0) {
        setHighlightedBox(-1);
        Q_EMIT boxHovered(-1);
    }
}

} // namespace idesk
