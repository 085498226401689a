#pragma once

#include "InferenceRequest.h"

#include <QFrame>
#include <QImage>

class QLabel;
class QMimeData;
class QPushButton;

namespace idesk {

// The image or audio input: takes a drop from the file manager (file URLs) or of image data, a paste
// from the clipboard and File > Open. Keeps the original bytes (pasted image data, which has no file,
// is encoded as PNG). A file that does not fit (wrong kind, unreadable, too large) gets a message in
// place and the previous input stays.
class FileDropArea : public QFrame
{
    Q_OBJECT
public:
    enum class Mode { Image, Audio };

    explicit FileDropArea(QWidget *parent = nullptr);

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    // Largest file accepted, in bytes (the request's maxContentLength); <= 0: no limit.
    void setMaxBytes(qint64 bytes) { m_maxBytes = bytes; }

    InputFile file() const { return m_file; }
    void setFile(const InputFile &file);
    void clear();

    // Each returns false and shows the reason in place (message()) when the input is refused.
    bool loadFile(const QString &path);
    bool loadBytes(const QByteArray &bytes, const QString &sourceName);
    bool loadImage(const QImage &image);
    bool loadMimeData(const QMimeData *data);
    bool pasteFromClipboard();
    // Asks for a file with a dialog.
    void openFileDialog();

    // The message shown in place ("" when none).
    QString message() const;
    // What the person sees about the current file ("photo.jpg — 640 × 480 JPEG, 52 KB").
    QString description() const;

Q_SIGNALS:
    void fileChanged();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    bool accept(const InputFile &file, const QString &displayName);
    void refuse(const QString &message);
    void showFile();
    void updatePreview();
    QString kindWord() const;

    Mode m_mode = Mode::Image;
    qint64 m_maxBytes = 0;
    InputFile m_file;
    QString m_displayName;
    QImage m_previewImage;
    QLabel *m_preview = nullptr;
    QLabel *m_info = nullptr;
    QLabel *m_messageIcon = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_paste = nullptr;
    QPushButton *m_clear = nullptr;
};

} // namespace idesk
