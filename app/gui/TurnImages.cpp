#include "TurnImages.h"

#include "ChatImages.h"
#include "ImageDownscale.h"
#include "LocalFile.h"
#include "ProblemText.h"

#include <QBuffer>
#include <QFrame>
#include <QHBoxLayout>
#include <QImage>
#include <QJsonObject>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace idesk {

namespace {
constexpr int kThumbnail = 72;

QString urlOfPart(const QJsonObject &part)
{
    return part.value(QStringLiteral("image_url")).toObject().value(QStringLiteral("url")).toString();
}
} // namespace

TurnImages::TurnImages(QWidget *parent) : QWidget(parent)
{
    m_row = new QHBoxLayout;
    m_row->setContentsMargins(0, 0, 0, 0);
    m_row->addStretch(1);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("imageProblem"));
    m_problem->setWordWrap(true);
    markProblemText(m_problem, true);
    m_problem->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_row);
    layout->addWidget(m_problem);
    hide();
}

void TurnImages::setUrls(const QStringList &urls)
{
    m_urls = urls;
    setProblem(QString());
    rebuild();
}

bool TurnImages::addFile(const QString &path, QString *error)
{
    QString why;
    const std::optional<QJsonObject> part = ChatImages::partFor(path, &why);
    return addPart(part ? urlOfPart(*part) : QString(), why, error);
}

bool TurnImages::addBytes(const QByteArray &bytes, const QString &shown, QString *error)
{
    QString why;
    const std::optional<QJsonObject> part = ChatImages::partFromBytes(bytes, shown, &why);
    return addPart(part ? urlOfPart(*part) : QString(), why, error);
}

bool TurnImages::addPart(const QString &url, const QString &why, QString *error)
{
    if (url.isEmpty()) {
        setProblem(why);
        if (error)
            *error = why;
        return false;
    }
    m_urls.append(url);
    setProblem(QString());
    rebuild();
    Q_EMIT changed();
    return true;
}

bool TurnImages::addWebUrl(const QString &url, QString *error)
{
    const bool web = ChatImages::isWebUrl(url);
    return addPart(web ? url.trimmed() : QString(),
                   tr("\"%1\" is not an http(s) address: give an image file or a web address.").arg(url),
                   error);
}

bool TurnImages::carriesImages(const QMimeData *data)
{
    if (!data)
        return false;
    if (data->hasImage())
        return true;
    for (const QUrl &url : data->urls())
        if (url.isLocalFile() || url.scheme() == QLatin1String("http") ||
            url.scheme() == QLatin1String("https"))
            return true;
    return false;
}

bool TurnImages::addFromMimeData(const QMimeData *data, QString *error)
{
    if (!carriesImages(data))
        return false;
    QStringList problems;
    bool added = false;
    const QList<QUrl> urls = data->urls();
    for (const QUrl &url : urls) {
        QString why;
        const bool ok =
            url.isLocalFile() ? addFile(url.toLocalFile(), &why) : addWebUrl(url.toString(), &why);
        added = added || ok;
        if (!ok)
            problems << why;
    }
    if (urls.isEmpty() && data->hasImage()) {
        // A bitmap without a file (a screenshot, an image copied from a browser): PNG is its only form.
        const QImage image = qvariant_cast<QImage>(data->imageData());
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        if (!image.isNull() && image.save(&buffer, "PNG"))
            added = addBytes(png, tr("The pasted image"), error);
        else
            problems << tr("The pasted image could not be read.");
    }
    if (!problems.isEmpty()) {
        setProblem(problems.join(QLatin1Char(' ')));
        if (error)
            *error = problems.join(QLatin1Char(' '));
    }
    return added;
}

void TurnImages::removeAt(int index)
{
    if (index < 0 || index >= count())
        return;
    m_urls.removeAt(index);
    setProblem(QString());
    rebuild();
    Q_EMIT changed();
}

bool TurnImages::downscaleAt(int index)
{
    QByteArray bytes;
    QString mime;
    if (index < 0 || index >= count() || !ChatImages::decodeDataUri(m_urls.at(index), &bytes, &mime))
        return false;
    const ImageDownscale::Result smaller = ImageDownscale::downscale(bytes, mime);
    if (smaller.bytes.isEmpty() || smaller.bytes.size() >= bytes.size()) {
        setProblem(tr("This image could not be made smaller; remove it, or send it as it is."));
        return false;
    }
    m_urls[index] = ChatImages::dataUri(smaller.bytes, smaller.mime);
    setProblem(QString());
    rebuild();
    Q_EMIT changed();
    return true;
}

QString TurnImages::warningAt(int index) const
{
    if (index < 0 || index >= count())
        return {};
    return ChatImages::largeImageWarning(ChatImages::imageBytes(m_urls.at(index)), tr("This image"));
}

QString TurnImages::infoAt(int index) const
{
    if (index < 0 || index >= count())
        return {};
    const QString url = m_urls.at(index);
    QByteArray bytes;
    QString mime;
    if (!ChatImages::decodeDataUri(url, &bytes, &mime))
        return QUrl(url).fileName().isEmpty()
                   ? url
                   : QUrl(url).host() + QStringLiteral("/…/") + QUrl(url).fileName();
    const QImage image = QImage::fromData(bytes);
    const QString type = mime.section(QLatin1Char('/'), 1).toUpper();
    if (image.isNull())
        return tr("%1 · %2").arg(type, LocalFile::humanSize(bytes.size()));
    return tr("%1 · %2×%3 · %4")
        .arg(type)
        .arg(image.width())
        .arg(image.height())
        .arg(LocalFile::humanSize(bytes.size()));
}

QString TurnImages::problemText() const
{
    return m_problem->isVisible() || !m_problem->text().isEmpty() ? m_problem->text() : QString();
}

void TurnImages::setProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
    setVisible(!m_urls.isEmpty() || !text.isEmpty());
}

void TurnImages::rebuild()
{
    // Out of the row at once, deleted later: rebuild() runs inside a click of their own buttons.
    for (QWidget *item : std::as_const(m_items)) {
        item->hide();
        item->setParent(nullptr);
        item->deleteLater();
    }
    m_items.clear();
    for (int i = 0; i < count(); ++i) {
        const QString url = m_urls.at(i);
        auto *item = new QFrame(this);
        item->setObjectName(QStringLiteral("imageThumbnail"));
        item->setFrameShape(QFrame::StyledPanel);
        auto *picture = new QLabel(item);
        picture->setFixedSize(kThumbnail, kThumbnail);
        picture->setAlignment(Qt::AlignCenter);
        QByteArray bytes;
        const QImage image = ChatImages::decodeDataUri(url, &bytes) ? QImage::fromData(bytes) : QImage();
        if (!image.isNull())
            picture->setPixmap(QPixmap::fromImage(
                image.scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        else
            picture->setText(tr("web\nimage"));
        picture->setToolTip(url.startsWith(QLatin1String("data:")) ? infoAt(i) : url);
        auto *info = new QLabel(infoAt(i), item);
        info->setObjectName(QStringLiteral("imageInfo"));
        info->setMaximumWidth(kThumbnail * 2);
        auto *remove = new QToolButton(item);
        remove->setObjectName(QStringLiteral("removeImage"));
        remove->setText(QStringLiteral("×"));
        remove->setToolTip(tr("Remove this image from the turn"));
        remove->setAccessibleName(tr("Remove image %1").arg(i + 1));
        connect(remove, &QToolButton::clicked, this, [this, i] { removeAt(i); });
        auto *top = new QHBoxLayout;
        top->addWidget(picture);
        top->addWidget(remove, 0, Qt::AlignTop);
        auto *layout = new QVBoxLayout(item);
        layout->setContentsMargins(4, 4, 4, 4);
        layout->addLayout(top);
        layout->addWidget(info);
        if (const QString warning = warningAt(i); !warning.isEmpty()) {
            auto *note = new QLabel(warning, item);
            note->setObjectName(QStringLiteral("largeImageWarning"));
            note->setWordWrap(true);
            note->setMaximumWidth(kThumbnail * 3);
            markProblemText(note, true);
            auto *smaller = new QPushButton(tr("Downscale"), item);
            smaller->setObjectName(QStringLiteral("downscaleImage"));
            smaller->setToolTip(tr("Replace it by a copy at most %1 pixels on its longest side")
                                    .arg(ImageDownscale::defaultLongestSide));
            connect(smaller, &QPushButton::clicked, this, [this, i] { downscaleAt(i); });
            layout->addWidget(note);
            layout->addWidget(smaller);
        }
        m_row->insertWidget(i, item);
        m_items.append(item);
    }
    setVisible(!m_urls.isEmpty() || !m_problem->text().isEmpty());
}

} // namespace idesk
