#include "FileDropArea.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageReader>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMimeData>
#include <QMimeDatabase>
#include <QPushButton>
#include <QStandardPaths>
#include <QStyle>
#include <QVBoxLayout>

namespace idesk {

namespace {

QString formatName(const QString &mimeType)
{
    const QMimeType type = QMimeDatabase().mimeTypeForName(mimeType);
    if (!type.isValid())
        return mimeType;
    const QStringList suffixes = type.suffixes();
    return suffixes.isEmpty() ? mimeType : suffixes.first().toUpper();
}

bool fitsMode(FileDropArea::Mode mode, const QString &mimeType)
{
    if (mode == FileDropArea::Mode::Image)
        return mimeType.startsWith(QLatin1String("image/"));
    return mimeType.startsWith(QLatin1String("audio/")) || mimeType == QLatin1String("video/webm") ||
           mimeType == QLatin1String("application/ogg") || mimeType == QLatin1String("video/mp4");
}

} // namespace

FileDropArea::FileDropArea(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("fileDropArea"));
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::StyledPanel);
    setFrameShadow(QFrame::Sunken);

    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("filePreview"));
    m_preview->setAlignment(Qt::AlignCenter);
    // Grows with the room it is given; its minimum stays small so an image task with a question and
    // parameters still fits a 1024x700 window.
    m_preview->setMinimumSize(160, 64);
    m_preview->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_preview->setForegroundRole(QPalette::PlaceholderText);

    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("fileInfo"));
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setWordWrap(true);

    m_messageIcon = new QLabel(this);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_messageIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    m_messageIcon->setAlignment(Qt::AlignTop);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("fileMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setAccessibleName(tr("File problem"));
    m_messageIcon->hide();
    m_message->hide();

    m_open = new QPushButton(tr("&Open…"), this);
    m_open->setObjectName(QStringLiteral("fileOpen"));
    m_paste = new QPushButton(tr("&Paste"), this);
    m_paste->setObjectName(QStringLiteral("filePaste"));
    m_paste->setToolTip(tr("Paste an image or a file copied in the file manager (Ctrl+V)"));
    m_clear = new QPushButton(tr("Clear"), this);
    m_clear->setObjectName(QStringLiteral("fileClear"));
    connect(m_open, &QPushButton::clicked, this, &FileDropArea::openFileDialog);
    connect(m_paste, &QPushButton::clicked, this, &FileDropArea::pasteFromClipboard);
    connect(m_clear, &QPushButton::clicked, this, &FileDropArea::clear);

    auto *messageRow = new QHBoxLayout;
    messageRow->addWidget(m_messageIcon);
    messageRow->addWidget(m_message, 1);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_paste);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_info);
    layout->addLayout(messageRow);
    layout->addLayout(buttons);

    setMode(Mode::Image);
}

void FileDropArea::setMode(Mode mode)
{
    const bool changed = mode != m_mode;
    m_mode = mode;
    if (changed && !m_file.isEmpty() && !fitsMode(mode, m_file.mimeType))
        clear();
    m_paste->setVisible(true);
    setAccessibleName(mode == Mode::Image ? tr("Image input") : tr("Audio input"));
    m_open->setToolTip(mode == Mode::Image ? tr("Choose an image file (Ctrl+O)")
                                           : tr("Choose an audio file (Ctrl+O)"));
    showFile();
}

QString FileDropArea::kindWord() const
{
    return m_mode == Mode::Image ? tr("image") : tr("audio file");
}

void FileDropArea::setFile(const InputFile &file)
{
    m_file = file;
    m_displayName = file.path.isEmpty() ? QString() : QFileInfo(file.path).fileName();
    m_message->hide();
    m_messageIcon->hide();
    showFile();
    Q_EMIT fileChanged();
}

void FileDropArea::clear()
{
    setFile(InputFile{});
}

QString FileDropArea::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

QString FileDropArea::description() const
{
    return m_info->text();
}

bool FileDropArea::loadFile(const QString &path)
{
    const QFileInfo info(path);
    const QString name = info.fileName();
    if (!info.exists()) {
        refuse(tr("“%1” does not exist. Choose another file.").arg(path));
        return false;
    }
    if (info.isDir()) {
        refuse(tr("“%1” is a folder. Drop or open a single %2.").arg(name, kindWord()));
        return false;
    }
    if (m_maxBytes > 0 && info.size() > m_maxBytes) {
        const QLocale locale;
        refuse(tr("“%1” is %2, over the limit of %3 (Connection > Max content length). Choose a smaller "
                  "file or raise the limit.")
                   .arg(name, locale.formattedDataSize(info.size()), locale.formattedDataSize(m_maxBytes)));
        return false;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        refuse(tr("“%1” cannot be read: %2. Check its permissions or choose another file.")
                   .arg(name, f.errorString()));
        return false;
    }
    InputFile file;
    file.path = info.absoluteFilePath();
    file.bytes = f.readAll();
    file.mimeType = QMimeDatabase().mimeTypeForFileNameAndData(path, file.bytes).name();
    return accept(file, name);
}

bool FileDropArea::loadBytes(const QByteArray &bytes, const QString &sourceName)
{
    if (m_maxBytes > 0 && bytes.size() > m_maxBytes) {
        const QLocale locale;
        refuse(tr("The pasted data is %1, over the limit of %2 (Connection > Max content length).")
                   .arg(locale.formattedDataSize(bytes.size()), locale.formattedDataSize(m_maxBytes)));
        return false;
    }
    InputFile file;
    file.bytes = bytes;
    file.mimeType = QMimeDatabase().mimeTypeForData(bytes).name();
    return accept(file, sourceName);
}

bool FileDropArea::loadImage(const QImage &image)
{
    if (m_mode != Mode::Image) {
        refuse(tr("That is an image; this task needs an audio file."));
        return false;
    }
    if (image.isNull()) {
        refuse(tr("The clipboard image is empty. Copy the image again."));
        return false;
    }
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG")) {
        refuse(tr("The image could not be converted to PNG."));
        return false;
    }
    return loadBytes(png, tr("pasted image"));
}

bool FileDropArea::loadMimeData(const QMimeData *data)
{
    if (!data) {
        refuse(tr("Nothing to paste. Copy an %1 or a file first.").arg(kindWord()));
        return false;
    }
    if (data->hasUrls()) {
        for (const QUrl &url : data->urls()) {
            if (url.isLocalFile())
                return loadFile(url.toLocalFile());
        }
        refuse(tr("Only local files can be used; download the %1 first.").arg(kindWord()));
        return false;
    }
    // Raw encoded data (image/png, image/jpeg...) keeps its bytes; a bare bitmap becomes PNG.
    const QString prefix = m_mode == Mode::Image ? QStringLiteral("image/") : QStringLiteral("audio/");
    for (const QString &format : data->formats()) {
        if (format.startsWith(prefix)) {
            const QByteArray bytes = data->data(format);
            if (!bytes.isEmpty() && fitsMode(m_mode, QMimeDatabase().mimeTypeForData(bytes).name()))
                return loadBytes(bytes, m_mode == Mode::Image ? tr("pasted image") : tr("pasted audio"));
        }
    }
    if (data->hasImage())
        return loadImage(qvariant_cast<QImage>(data->imageData()));
    if (data->hasText()) {
        const QString text = data->text().trimmed();
        const QUrl url(text);
        if (url.isLocalFile())
            return loadFile(url.toLocalFile());
        if (text.startsWith(QLatin1Char('/')) && QFileInfo::exists(text))
            return loadFile(text);
    }
    refuse(tr("That is not an %1. Drop or paste an %1, or a file from the file manager.").arg(kindWord()));
    return false;
}

bool FileDropArea::pasteFromClipboard()
{
    return loadMimeData(QApplication::clipboard()->mimeData());
}

void FileDropArea::openFileDialog()
{
    const QString filter =
        m_mode == Mode::Image
            ? tr("Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.tif *.tiff);;All files (*)")
            : tr("Audio (*.flac *.wav *.mp3 *.ogg *.opus *.m4a *.webm);;All files (*)");
    const QString start =
        m_file.path.isEmpty()
            ? QStandardPaths::writableLocation(m_mode == Mode::Image ? QStandardPaths::PicturesLocation
                                                                     : QStandardPaths::MusicLocation)
            : QFileInfo(m_file.path).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, m_mode == Mode::Image ? tr("Open image") : tr("Open audio file"), start, filter);
    if (!path.isEmpty())
        loadFile(path);
}

bool FileDropArea::accept(const InputFile &file, const QString &displayName)
{
    if (file.bytes.isEmpty()) {
        refuse(tr("“%1” is empty. Choose another file.").arg(displayName));
        return false;
    }
    if (!fitsMode(m_mode, file.mimeType)) {
        refuse(tr("“%1” is not an %2 (it looks like %3). The previous input is kept.")
                   .arg(displayName, kindWord(), file.mimeType));
        return false;
    }
    if (m_mode == Mode::Image) {
        QBuffer buffer;
        buffer.setData(file.bytes);
        QImageReader reader(&buffer);
        if (!reader.canRead()) {
            refuse(tr("“%1” is not an image that can be decoded (it claims to be %2). The previous input is "
                      "kept.")
                       .arg(displayName, file.mimeType));
            return false;
        }
    }
    m_file = file;
    m_displayName = displayName;
    m_message->hide();
    m_messageIcon->hide();
    showFile();
    Q_EMIT fileChanged();
    return true;
}

void FileDropArea::refuse(const QString &message)
{
    m_message->setText(message);
    m_message->show();
    m_messageIcon->show();
}

void FileDropArea::showFile()
{
    const QLocale locale;
    m_clear->setEnabled(!m_file.isEmpty());
    if (m_file.isEmpty()) {
        m_previewImage = QImage();
        m_preview->setPixmap(QPixmap());
        m_preview->setText(m_mode == Mode::Image
                               ? tr("Drop an image here, paste one (Ctrl+V) or open a file (Ctrl+O)")
                               : tr("Drop an audio file here or open one (Ctrl+O)"));
        m_info->clear();
        m_info->hide();
        return;
    }
    const QString name = m_displayName.isEmpty() ? tr("(unnamed)") : m_displayName;
    const QString size = locale.formattedDataSize(m_file.bytes.size());
    if (m_mode == Mode::Image) {
        QBuffer buffer;
        buffer.setData(m_file.bytes);
        QImageReader reader(&buffer);
        const QSize pixels = reader.size();
        const QString format = QString::fromLatin1(reader.format()).toUpper();
        m_previewImage = reader.read();
        const QSize shown = pixels.isValid() ? pixels : m_previewImage.size();
        m_info->setText(tr("%1 — %2 × %3 px, %4, %5")
                            .arg(name)
                            .arg(shown.width())
                            .arg(shown.height())
                            .arg(format.isEmpty() ? formatName(m_file.mimeType) : format, size));
        if (m_previewImage.isNull())
            m_preview->setText(tr("(no preview)"));
    } else {
        m_previewImage = QImage();
        m_preview->setPixmap(QPixmap());
        m_preview->setText(tr("♪ %1").arg(name));
        m_info->setText(tr("%1 — %2 (%3), %4").arg(name, formatName(m_file.mimeType), m_file.mimeType, size));
    }
    m_info->show();
    updatePreview();
}

void FileDropArea::updatePreview()
{
    if (m_previewImage.isNull())
        return;
    const QSize room = m_preview->size().boundedTo(QSize(2048, 2048));
    QPixmap pixmap = QPixmap::fromImage(m_previewImage);
    if (pixmap.width() > room.width() || pixmap.height() > room.height())
        pixmap = pixmap.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    m_preview->setPixmap(pixmap);
}

void FileDropArea::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() || event->mimeData()->hasImage() ||
        !event->mimeData()->formats().filter(QStringLiteral("image/")).isEmpty() ||
        !event->mimeData()->formats().filter(QStringLiteral("audio/")).isEmpty())
        event->acceptProposedAction();
}

void FileDropArea::dragMoveEvent(QDragMoveEvent *event)
{
    event->acceptProposedAction();
}

void FileDropArea::dropEvent(QDropEvent *event)
{
    loadMimeData(event->mimeData());
    event->acceptProposedAction();
}

void FileDropArea::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Paste)) {
        pasteFromClipboard();
        event->accept();
        return;
    }
    if (event->matches(QKeySequence::Delete) || event->key() == Qt::Key_Backspace) {
        clear();
        event->accept();
        return;
    }
    QFrame::keyPressEvent(event);
}

void FileDropArea::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    updatePreview();
}

} // namespace idesk
