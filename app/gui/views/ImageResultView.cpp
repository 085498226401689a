#include "ImageResultView.h"

#include <QClipboard>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QMimeDatabase>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>

namespace idesk {

ImageResultView::ImageResultView(QWidget *parent) : ResultRenderer(parent)
{
    m_info = new QLabel(this);
    m_info->setAccessibleName(tr("Image details"));
    auto makeButton = [this](const QString &text, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAccessibleName(tip);
        return b;
    };
    auto *fit = makeButton(tr("Fit"), tr("Fit the image to the pane"));
    auto *actual = makeButton(tr("100%"), tr("Show the image at its real size"));
    auto *in = makeButton(tr("+"), tr("Zoom in"));
    auto *out = makeButton(tr("−"), tr("Zoom out"));
    auto *save = new QPushButton(tr("Save image as…"), this);
    save->setAccessibleName(tr("Save image as"));
    connect(fit, &QToolButton::clicked, this, [this] { setZoom(0); });
    connect(actual, &QToolButton::clicked, this, [this] { setZoom(1); });
    connect(in, &QToolButton::clicked, this,
            [this] { setZoom(std::min(8.0, (m_zoom > 0 ? m_zoom : 1.0) * 1.25)); });
    connect(out, &QToolButton::clicked, this,
            [this] { setZoom(std::max(0.05, (m_zoom > 0 ? m_zoom : 1.0) / 1.25)); });
    connect(save, &QPushButton::clicked, this, &ImageResultView::saveAs);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_info, 1);
    bar->addWidget(fit);
    bar->addWidget(actual);
    bar->addWidget(out);
    bar->addWidget(in);
    bar->addWidget(save);

    m_picture = new QLabel;
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setAccessibleName(tr("Generated image"));
    m_scroll = new QScrollArea(this);
    m_scroll->setAlignment(Qt::AlignCenter);
    m_scroll->setWidget(m_picture);
    m_scroll->setWidgetResizable(false);
    m_scroll->setBackgroundRole(QPalette::Dark);
    m_scroll->viewport()->installEventFilter(this); // Ctrl+wheel zooms

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_scroll, 1);
}

void ImageResultView::showResult(const ResultContext &context)
{
    const ResultShape::Media media = context.shape.media.value(0);
    m_bytes = media.bytes;
    m_mime = media.mimeType;
    m_image = context.images.value(0);
    const QString size = QLocale().formattedDataSize(m_bytes.size());
    if (m_image.isNull())
        m_info->setText(
            tr("%1, %2 — this image could not be decoded; save it and open it elsewhere.").arg(m_mime, size));
    else
        m_info->setText(
            tr("%1 × %2 pixels, %3, %4").arg(m_image.width()).arg(m_image.height()).arg(m_mime, size));
    if (context.shape.media.size() > 1)
        m_info->setText(m_info->text() +
                        tr(" (first of %n images)", nullptr, int(context.shape.media.size())));
    m_zoom = 0;
    updatePixmap();
}

void ImageResultView::setZoom(double zoom)
{
    m_zoom = zoom;
    updatePixmap();
}

bool ImageResultView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_scroll->viewport() && event->type() == QEvent::Wheel) {
        auto *wheel = static_cast<QWheelEvent *>(event);
        if (wheel->modifiers() & Qt::ControlModifier) {
            const double current =
                m_zoom > 0 ? m_zoom : double(m_picture->width()) / std::max(1, m_image.width());
            const double factor = wheel->angleDelta().y() > 0 ? 1.25 : 1 / 1.25;
            setZoom(std::clamp(current * factor, 0.05, 8.0));
            return true;
        }
    }
    return ResultRenderer::eventFilter(watched, event);
}

void ImageResultView::resizeEvent(QResizeEvent *event)
{
    ResultRenderer::resizeEvent(event);
    if (m_zoom == 0)
        updatePixmap();
}

void ImageResultView::updatePixmap()
{
    if (m_image.isNull()) {
        m_picture->clear();
        m_picture->resize(1, 1);
        return;
    }
    QSize target;
    if (m_zoom == 0) {
        const QSize room = m_scroll->viewport()->size() - QSize(4, 4);
        target = m_image.size();
        if (target.width() > room.width() || target.height() > room.height())
            target = target.scaled(room.expandedTo(QSize(16, 16)), Qt::KeepAspectRatio);
    } else {
        target = m_image.size() * m_zoom;
    }
    m_picture->setPixmap(QPixmap::fromImage(
        target == m_image.size() ? m_image
                                 : m_image.scaled(target, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    m_picture->resize(target);
}

void ImageResultView::copyToClipboard() const
{
    if (!m_image.isNull())
        QGuiApplication::clipboard()->setImage(m_image);
}

bool ImageResultView::saveImage(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_bytes) != m_bytes.size() || !file.commit()) {
        if (error)
            *error = tr("Cannot save the image to %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void ImageResultView::saveAs()
{
    const QString suffix = QMimeDatabase().mimeTypeForName(m_mime).preferredSuffix();
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save image"),
        dir + QStringLiteral("/answer.") + (suffix.isEmpty() ? QStringLiteral("img") : suffix),
        tr("Images (*.%1);;All files (*)").arg(suffix.isEmpty() ? QStringLiteral("*") : suffix));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveImage(path, &error))
        QMessageBox::warning(this, tr("Save image"), error);
}

} // namespace idesk
