#include "SseDecoder.h"

namespace idesk {

QList<SseDecoder::Event> SseDecoder::feed(const QByteArray &chunk)
{
    QList<Event> out;
    m_buffer += chunk;
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n', start);
        if (nl < 0)
            break;
        QByteArray line = m_buffer.mid(start, nl - start);
        if (line.endsWith('\r'))
            line.chop(1);
        takeLine(line, &out);
        start = nl + 1;
    }
    m_buffer.remove(0, start);
    return out;
}

QList<SseDecoder::Event> SseDecoder::finish()
{
    QList<Event> out;
    if (!m_buffer.isEmpty()) {
        QByteArray line = m_buffer;
        if (line.endsWith('\r'))
            line.chop(1);
        m_buffer.clear();
        takeLine(line, &out);
    }
    takeLine(QByteArray(), &out); // a blank line dispatches a pending event
    return out;
}

void SseDecoder::takeLine(const QByteArray &line, QList<Event> *out)
{
    if (line.isEmpty()) {
        if (m_hasPending) {
            if (m_pending.data.trimmed() == "[DONE]")
                m_done = true;
            else
                out->append(m_pending);
        }
        m_pending = Event();
        m_hasPending = false;
        return;
    }
    if (line.startsWith(':'))
        return; // comment / keep-alive
    const qsizetype colon = line.indexOf(':');
    const QByteArray field = colon < 0 ? line : line.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);
    if (field == "data") {
        if (m_hasPending && !m_pending.data.isNull())
            m_pending.data += '\n' + value;
        else
            m_pending.data = value.isNull() ? QByteArray("") : value;
        m_hasPending = true;
    } else if (field == "event") {
        m_pending.event = value;
        m_hasPending = true;
    }
}

} // namespace idesk
