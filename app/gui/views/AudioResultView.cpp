#include "AudioResultView.h"

#include <QFileDialog>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QMimeDatabase>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStyle>
#include <QVBoxLayout>

namespace idesk {

AudioResultView::AudioResultView(QWidget *parent) : ResultRenderer(parent)
{
    m_layout = new QVBoxLayout(this);
}

QString AudioResultView::describe(const ResultShape::Media &media)
{
    const ResultShape::AudioInfo info = ResultShape::audioInfo(media.bytes);
    const QLocale locale;
    QStringList parts;
    parts.append(info.format.isEmpty()
                     ? (media.mimeType.isEmpty() ? tr("Unknown audio format") : media.mimeType)
                     : info.format);
    if (info.sampleRate > 0)
        parts.append(tr("%1 kHz").arg(locale.toString(info.sampleRate / 1000.0, 'g', 4)));
    if (info.channels == 1)
        parts.append(tr("mono"));
    else if (info.channels == 2)
        parts.append(tr("stereo"));
    else if (info.channels > 2)
        parts.append(tr("%n channels", nullptr, info.channels));
    if (info.bitsPerSample > 0)
        parts.append(tr("%1-bit").arg(info.bitsPerSample));
    parts.append(info.durationSeconds >= 0 ? tr("%1 s").arg(locale.toString(info.durationSeconds, 'f', 2))
                                           : tr("duration not in the header"));
    parts.append(locale.formattedDataSize(media.bytes.size()));
    return parts.join(QLatin1String(", "));
}

void AudioResultView::showResult(const ResultContext &context)
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_clips = context.shape.media;
    m_descriptions.clear();
    auto *grid = new QGridLayout;
    grid->setColumnStretch(1, 1);
    const QIcon icon = style()->standardIcon(QStyle::SP_MediaVolume);
    for (int i = 0; i < m_clips.size(); ++i) {
        const auto &clip = m_clips.at(i);
        const QString description = describe(clip);
        m_descriptions.append(description);
        auto *iconLabel = new QLabel(this);
        iconLabel->setPixmap(icon.pixmap(32, 32));
        auto *text = new QLabel(clip.label.isEmpty()
                                    ? description
                                    : QStringLiteral("<b>%1</b><br>%2")
                                          .arg(clip.label.toHtmlEscaped(), description.toHtmlEscaped()),
                                this);
        text->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *save = new QPushButton(tr("Save audio as…"), this);
        save->setAccessibleName(clip.label.isEmpty() ? tr("Save audio as")
                                                     : tr("Save %1 as").arg(clip.label));
        connect(save, &QPushButton::clicked, this, [this, i] { saveAs(i); });
        grid->addWidget(iconLabel, i, 0);
        grid->addWidget(text, i, 1);
        grid->addWidget(save, i, 2);
    }
    auto *holder = new QWidget(this);
    holder->setLayout(grid);
    m_layout->addWidget(holder);
    auto *note =
        new QLabel(tr("Playback is not available in this build (it has no Qt Multimedia). Save the audio "
                      "and open it in a player."),
                   this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    m_layout->addWidget(note);
    m_layout->addStretch(1);
    m_copy = m_descriptions.join(QLatin1Char('\n'));
}

bool AudioResultView::saveClip(int index, const QString &path, QString *error) const
{
    const QByteArray bytes = m_clips.value(index).bytes;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = tr("Cannot save the audio to %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void AudioResultView::saveAs(int index)
{
    const auto clip = m_clips.value(index);
    QString suffix = QMimeDatabase().mimeTypeForName(clip.mimeType).preferredSuffix();
    if (suffix.isEmpty())
        suffix = ResultShape::audioInfo(clip.bytes).format.toLower();
    const QString name = (clip.label.isEmpty() ? QStringLiteral("answer") : clip.label) + QLatin1Char('.') +
                         (suffix.isEmpty() ? QStringLiteral("audio") : suffix);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save audio"),
        QStandardPaths::writableLocation(QStandardPaths::MusicLocation) + QLatin1Char('/') + name);
    if (path.isEmpty())
        return;
    QString error;
    if (!saveClip(index, path, &error))
        QMessageBox::warning(this, tr("Save audio"), error);
}

} // namespace idesk
