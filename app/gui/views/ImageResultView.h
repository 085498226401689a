#pragma once

#include "ResultRenderer.h"

#include <QImage>

class QLabel;
class QScrollArea;
class QToolButton;

namespace idesk {

// An image answer (text-to-image, image-to-image): fitted to the pane, zoom, save as.
class ImageResultView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit ImageResultView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("image"); }
    void showResult(const ResultContext &context) override;
    void copyToClipboard() const override;

    QImage image() const { return m_image; }
    double zoom() const { return m_zoom; } // 0 = fit to pane
    void setZoom(double zoom);
    // Writes the original bytes (not a re-encoding); false with *error.
    bool saveImage(const QString &path, QString *error) const;

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void saveAs();
    void updatePixmap();

    QLabel *m_info = nullptr;
    QLabel *m_picture = nullptr;
    QScrollArea *m_scroll = nullptr;
    QImage m_image;
    QByteArray m_bytes;
    QString m_mime;
    double m_zoom = 0;
};

} // namespace idesk
