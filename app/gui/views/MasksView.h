#pragma once

#include "ResultRenderer.h"

class QListWidget;

namespace idesk {

class ImageCanvas;

// Image segmentation: each mask tinted over the input image in its label's colour, each toggled from
// a list.
class MasksView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit MasksView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("masks"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override { return m_copy; }

    int maskLayerCount() const;
    int visibleLayerCount() const;
    ImageCanvas *canvas() const { return m_canvas; }
    QListWidget *list() const { return m_list; }

    // A mask (white = inside) as a tint of `color` at the size of the image.
    static QImage tint(const QImage &mask, const QColor &color, const QSize &size);

private:
    ImageCanvas *m_canvas = nullptr;
    QListWidget *m_list = nullptr;
    QString m_copy;
};

} // namespace idesk
