#pragma once

#include <QColor>
#include <QImage>
#include <QList>
#include <QRectF>
#include <QString>
#include <QWidget>

namespace idesk {

// An image fitted into the widget with optional overlays: labelled boxes (object detection) and
// tinted layers (segmentation masks). Hovering a box reports it; a box can be highlighted from outside.
class ImageCanvas : public QWidget
{
    Q_OBJECT
public:
    struct Box
    {
        QRectF rect; // image pixels
        QColor color;
        QString label;
    };

    explicit ImageCanvas(QWidget *parent = nullptr);

    void setImage(const QImage &image);
    QImage image() const { return m_image; }
    void setBoxes(const QList<Box> &boxes);
    int boxCount() const { return int(m_boxes.size()); }
    void setLayers(const QList<QImage> &layers); // ARGB tints the size of the image
    void setLayerVisible(int index, bool visible);
    bool isLayerVisible(int index) const { return m_visible.value(index); }
    int layerCount() const { return int(m_layers.size()); }
    void setHighlightedBox(int index);
    int highlightedBox() const { return m_highlighted; }
    // Where image pixels land in the widget (for tests and hover).
    QRectF imageRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {160, 120}; }

Q_SIGNALS:
    void boxHovered(int index); // -1 when the pointer leaves every box

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    int boxAt(const QPointF &pos) const;

    QImage m_image;
    QList<Box> m_boxes;
    QList<QImage> m_layers;
    QList<bool> m_visible;
    int m_highlighted = -1;
};

} // namespace idesk
