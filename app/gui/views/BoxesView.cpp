#include "BoxesView.h"

#include "ScoreBar.h"

#include "ImageCanvas.h"
#include "LabelColors.h"

#include <QHeaderView>
#include <QLocale>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace idesk {

BoxesView::BoxesView(QWidget *parent) : ResultRenderer(parent)
{
    m_canvas = new ImageCanvas(this);
    m_canvas->setAccessibleName(tr("Input image with detected boxes"));
    m_list = new QTreeWidget(this);
    m_list->setHeaderLabels({tr("Label"), tr("Score"), tr("Box (x, y, width × height)")});
    m_list->setRootIsDecorated(false);
    m_list->setMouseTracking(true);
    m_list->setAccessibleName(tr("Detected objects"));
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_canvas);
    split->addWidget(m_list);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_canvas, &ImageCanvas::boxHovered, this, &BoxesView::highlightRow);
    connect(m_list, &QTreeWidget::itemEntered, this, [this](QTreeWidgetItem *item) {
        m_canvas->setHighlightedBox(m_list->indexOfTopLevelItem(item));
    });
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        m_canvas->setHighlightedBox(item ? m_list->indexOfTopLevelItem(item) : -1);
    });
}

int BoxesView::boxCount() const
{
    return m_canvas->boxCount();
}

void BoxesView::highlightRow(int index)
{
    QTreeWidgetItem *item = m_list->topLevelItem(index);
    const QSignalBlocker block(m_list);
    m_list->setCurrentItem(item);
    if (!item)
        m_list->clearSelection();
}

void BoxesView::showResult(const ResultContext &context)
{
    LabelColors colors(palette());
    QList<ImageCanvas::Box> boxes;
    m_list->clear();
    QStringList copy;
    for (const auto &b : context.shape.boxes) {
        const QColor color = colors.color(b.label);
        const QString score = std::isnan(b.score) ? QString() : ScoreBar::percentText(b.score, 1);
        boxes.append(
            {b.rect, color, score.isEmpty() ? b.label : QStringLiteral("%1 %2").arg(b.label, score)});
        auto *item = new QTreeWidgetItem(m_list, {b.label, score,
                                                  QStringLiteral("%1, %2  %3 × %4")
                                                      .arg(b.rect.x())
                                                      .arg(b.rect.y())
                                                      .arg(b.rect.width())
                                                      .arg(b.rect.height())});
        item->setData(0, Qt::DecorationRole, color);
        copy.append(QStringLiteral("%1\t%2\t%3\t%4\t%5\t%6")
                        .arg(b.label)
                        .arg(b.score)
                        .arg(b.rect.left())
                        .arg(b.rect.top())
                        .arg(b.rect.right())
                        .arg(b.rect.bottom()));
    }
    QImage image = context.inputImage;
    if (image.isNull() && !boxes.isEmpty()) {
        // No input image (a shared result without it): draw the boxes on a blank sheet of their extent.
        QRectF extent;
        for (const auto &b : boxes)
            extent = extent.united(b.rect);
        image = QImage(std::max(64, int(extent.right()) + 16), std::max(64, int(extent.bottom()) + 16),
                       QImage::Format_RGB32);
        image.fill(palette().color(QPalette::Base));
    }
    m_canvas->setImage(image);
    m_canvas->setBoxes(boxes);
    m_copy = copy.join(QLatin1Char('\n'));
}

} // namespace idesk
