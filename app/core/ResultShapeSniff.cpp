#include "ResultShape.h"

#include <QtEndian>

#include <algorithm>

// Binary answers told apart by their first bytes, and what an audio file's header says.

namespace idesk {

QString ResultShape::sniffMime(const QByteArray &b)
{
    if (b.startsWith("\x89PNG\r\n\x1a\n"))
        return QStringLiteral("image/png");
    if (b.startsWith("\xff\xd8\xff"))
        return QStringLiteral("image/jpeg");
    if (b.startsWith("GIF87a") || b.startsWith("GIF89a"))
        return QStringLiteral("image/gif");
    if (b.startsWith("RIFF") && b.mid(8, 4) == "WEBP")
        return QStringLiteral("image/webp");
    if (b.startsWith("RIFF") && b.mid(8, 4) == "WAVE")
        return QStringLiteral("audio/wav");
    if (b.startsWith("fLaC"))
        return QStringLiteral("audio/flac");
    if (b.startsWith("OggS"))
        return QStringLiteral("audio/ogg");
    if (b.startsWith("ID3") || (b.size() > 1 && uchar(b.at(0)) == 0xff && (uchar(b.at(1)) & 0xe0) == 0xe0))
        return QStringLiteral("audio/mpeg");
    return {};
}

ResultShape::AudioInfo ResultShape::audioInfo(const QByteArray &b)
{
    AudioInfo info;
    const auto *d = reinterpret_cast<const uchar *>(b.constData());
    if (b.startsWith("RIFF") && b.mid(8, 4) == "WAVE") {
        info.format = QStringLiteral("WAV");
        qint64 pos = 12;
        quint32 byteRate = 0;
        while (pos + 8 <= b.size()) {
            const QByteArray id = b.mid(pos, 4);
            const quint32 size = qFromLittleEndian<quint32>(d + pos + 4);
            if (id == "fmt " && pos + 8 + 16 <= b.size()) {
                info.channels = qFromLittleEndian<quint16>(d + pos + 10);
                info.sampleRate = int(qFromLittleEndian<quint32>(d + pos + 12));
                byteRate = qFromLittleEndian<quint32>(d + pos + 16);
                info.bitsPerSample = qFromLittleEndian<quint16>(d + pos + 22);
            } else if (id == "data") {
                const qint64 dataSize = std::min<qint64>(size, b.size() - pos - 8);
                if (byteRate > 0)
                    info.durationSeconds = double(dataSize) / byteRate;
                break;
            }
            pos += 8 + size + (size & 1);
        }
    } else if (b.startsWith("fLaC") && b.size() >= 8 + 34) {
        info.format = QStringLiteral("FLAC");
        // First metadata block is STREAMINFO: bytes 18..25 of the block hold rate, channels, bits, samples.
        const uchar *s = d + 8;
        info.sampleRate = int((quint32(s[10]) << 12) | (quint32(s[11]) << 4) | (s[12] >> 4));
        info.channels = ((s[12] >> 1) & 0x07) + 1;
        info.bitsPerSample = (((s[12] & 0x01) << 4) | (s[13] >> 4)) + 1;
        const quint64 samples = (quint64(s[13] & 0x0f) << 32) | (quint64(s[14]) << 24) |
                                (quint64(s[15]) << 16) | (quint64(s[16]) << 8) | quint64(s[17]);
        if (info.sampleRate > 0 && samples > 0)
            info.durationSeconds = double(samples) / info.sampleRate;
    } else if (b.startsWith("OggS")) {
        info.format = QStringLiteral("Ogg");
    } else if (sniffMime(b) == QLatin1String("audio/mpeg")) {
        info.format = QStringLiteral("MP3");
    }
    return info;
}

} // namespace idesk
