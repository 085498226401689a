#pragma once

#include <QList>
#include <QStringList>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QMimeData;

namespace idesk {

// The images of one user turn of a conversation: a row of thumbnails, each with its type, pixel size and
// bytes and a remove button; a large one also with a warning (ChatImages::largeImageWarning) and a
// Downscale button (ImageDownscale). Each image is held as what is sent: a data URI of the file's own
// bytes and MIME type, or an http(s) URL (shown by its address, never fetched). Hidden when empty.
class TurnImages : public QWidget
{
    Q_OBJECT
public:
    explicit TurnImages(QWidget *parent = nullptr);

    QStringList urls() const { return m_urls; }
    void setUrls(const QStringList &urls);
    int count() const { return int(m_urls.size()); }

    // A local image file (read with LocalFile, MIME from its content); false and *error when it is not.
    bool addFile(const QString &path, QString *error = nullptr);
    // Image bytes that came without a file (pasted): sent as they are when an image format is recognised.
    bool addBytes(const QByteArray &bytes, const QString &shown, QString *error = nullptr);
    // An http(s) image address, sent as it is.
    bool addWebUrl(const QString &url, QString *error = nullptr);
    // What a drop or paste carries: image files, web image addresses, or a bitmap. False when it carries
    // none (the text editor then takes it); *error names what could not be added.
    static bool carriesImages(const QMimeData *data);
    bool addFromMimeData(const QMimeData *data, QString *error = nullptr);

    void removeAt(int index);
    // Replaces image `index` by a smaller copy (ImageDownscale); false when it cannot.
    bool downscaleAt(int index);
    // The large-image warning of image `index` ("" when none).
    QString warningAt(int index) const;
    // The line under thumbnail `index`: type, pixels, bytes (or the address of a web image).
    QString infoAt(int index) const;
    // The problem of the last add, shown under the thumbnails ("" when none).
    QString problemText() const;

Q_SIGNALS:
    void changed();

private:
    // Adds `url` (a data URI or web address); "" stands for a refusal: `why` is shown and put in *error.
    bool addPart(const QString &url, const QString &why, QString *error);
    void rebuild();
    void setProblem(const QString &text);

    QStringList m_urls;
    QList<QWidget *> m_items;
    QHBoxLayout *m_row = nullptr;
    QLabel *m_problem = nullptr;
};

} // namespace idesk
