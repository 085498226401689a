#include "ScrubbedOutput.h"

#include "Scrub.h"

#include <cstdio>

namespace idesk::cli {

namespace {
constexpr qsizetype kChunk = 64 * 1024;
constexpr qsizetype kMaxHeld = 1024 * 1024; // no separator in a MiB: written as it is
} // namespace

ScrubbedOutput::ScrubbedOutput(bool text) : m_text(text)
{
    open(QIODevice::WriteOnly);
}

ScrubbedOutput::~ScrubbedOutput()
{
    flushAll();
}

bool ScrubbedOutput::emitBytes(const QByteArray &bytes)
{
    const QByteArray shown =
        m_text ? Scrub::forDisplay(QString::fromUtf8(bytes)).toUtf8() : Scrub::secrets(bytes);
    if (std::fwrite(shown.constData(), 1, size_t(shown.size()), stdout) != size_t(shown.size()))
        m_failed = true;
    return !m_failed;
}

qint64 ScrubbedOutput::writeData(const char *data, qint64 size)
{
    m_pending.append(data, qsizetype(size));
    if (m_pending.size() < kChunk)
        return m_failed ? -1 : size;
    qsizetype cut = -1;
    for (qsizetype i = m_pending.size() - 1; i >= 0 && cut < 0; --i) {
        switch (m_pending.at(i)) {
        case '"':
        case ',':
        case '\n':
        case '[':
        case ']':
        case '{':
        case '}':
            cut = i + 1;
            break;
        default:
            break;
        }
    }
    if (cut < 0 && m_pending.size() < kMaxHeld)
        return m_failed ? -1 : size;
    if (cut < 0)
        cut = m_pending.size();
    emitBytes(m_pending.left(cut));
    m_pending.remove(0, cut);
    return m_failed ? -1 : size;
}

void ScrubbedOutput::flushAll()
{
    if (!m_pending.isEmpty())
        emitBytes(m_pending);
    m_pending.clear();
    std::fflush(stdout);
}

void ScrubbedOutput::close()
{
    flushAll();
    QIODevice::close();
}

} // namespace idesk::cli
