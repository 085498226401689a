#pragma once

#include "ResultRenderer.h"

class QVBoxLayout;

namespace idesk {

// An audio answer (text-to-speech, audio-to-audio): format, rate, channels, duration when the header
// says, size, and Save as. No playback: this build has no Qt Multimedia, and the view says so.
class AudioResultView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit AudioResultView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("audio"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override { return m_copy; }

    int clipCount() const { return int(m_clips.size()); }
    QStringList descriptions() const { return m_descriptions; }
    bool saveClip(int index, const QString &path, QString *error) const;
    static QString describe(const ResultShape::Media &media);

private:
    void saveAs(int index);

    QVBoxLayout *m_layout = nullptr;
    QList<ResultShape::Media> m_clips;
    QStringList m_descriptions;
    QString m_copy;
};

} // namespace idesk
