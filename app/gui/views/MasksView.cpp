#include "MasksView.h"

#include "ScoreBar.h"

#include "ImageCanvas.h"
#include "LabelColors.h"

#include <QListWidget>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QSplitter>
#include <QVBoxLayout>

#include <cmath>

namespace idesk {

MasksView::MasksView(QWidget *parent) : ResultRenderer(parent)
{
    m_canvas = new ImageCanvas(this);
    m_canvas->setAccessibleName(tr("Input image with segmentation masks"));
    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("Masks: check to show"));
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_canvas);
    split->addWidget(m_list);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        m_canvas->setLayerVisible(m_list->row(item), item->checkState() == Qt::Checked);
    });
}

int MasksView::maskLayerCount() const
{
    return m_canvas->layerCount();
}

int MasksView::visibleLayerCount() const
{
    int n = 0;
    for (int i = 0; i < m_canvas->layerCount(); ++i)
        n += m_canvas->isLayerVisible(i) ? 1 : 0;
    return n;
}

QImage MasksView::tint(const QImage &mask, const QColor &color, const QSize &size)
{
    const QImage gray = mask.convertToFormat(QImage::Format_Grayscale8)
                            .scaled(size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    QImage out(size, QImage::Format_ARGB32_Premultiplied);
    out.fill(Qt::transparent);
    const int alpha = 120;
    const QRgb inside = qPremultiply(qRgba(color.red(), color.green(), color.blue(), alpha));
    for (int y = 0; y < gray.height(); ++y) {
        const uchar *src = gray.constScanLine(y);
        auto *dst = reinterpret_cast<QRgb *>(out.scanLine(y));
        for (int x = 0; x < gray.width(); ++x)
            if (src[x] > 127)
                dst[x] = inside;
    }
    return out;
}

void MasksView::showResult(const ResultContext &context)
{
    LabelColors colors(palette());
    QImage base = context.inputImage;
    QSize size = base.size();
    if (base.isNull()) {
        // No input image: the masks on a neutral background of their own size.
        size = context.masks.value(0).size();
        if (size.isEmpty())
            size = QSize(256, 256);
        base = QImage(size, QImage::Format_RGB32);
        base.fill(palette().color(QPalette::Base));
    }
    QList<QImage> layers;
    const QSignalBlocker block(m_list);
    m_list->clear();
    QStringList copy;
    for (int i = 0; i < context.shape.masks.size(); ++i) {
        const auto &m = context.shape.masks.at(i);
        const QColor color = colors.color(m.label);
        const QImage mask = context.masks.value(i);
        layers.append(mask.isNull() ? QImage() : tint(mask, color, size));
        const QString score = std::isnan(m.score) ? QString() : ScoreBar::percentText(m.score, 1);
        QPixmap chip(14, 14);
        chip.fill(color);
        auto *item = new QListWidgetItem(
            QIcon(chip), score.isEmpty() ? m.label : QStringLiteral("%1  %2").arg(m.label, score), m_list);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(mask.isNull() ? Qt::Unchecked : Qt::Checked);
        if (mask.isNull()) {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            item->setToolTip(tr("This mask is not a readable PNG image."));
        }
        copy.append(QStringLiteral("%1\t%2").arg(m.label).arg(m.score));
    }
    m_canvas->setImage(base);
    m_canvas->setLayers(layers);
    for (int i = 0; i < layers.size(); ++i)
        m_canvas->setLayerVisible(i, !layers.at(i).isNull());
    m_copy = copy.join(QLatin1Char('\n'));
}

} // namespace idesk
