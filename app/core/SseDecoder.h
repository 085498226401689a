#pragma once

#include <QByteArray>
#include <QList>

namespace idesk {

// Incremental decoder for text/event-stream answers. Both dialects of the recordings:
// `data:{...}` (no space, no [DONE], older TGI) and `data: {...}` ending in `data: [DONE]`.
// Lines may end in LF or CRLF; events are separated by a blank line.
class SseDecoder
{
public:
    struct Event
    {
        QByteArray event; // the `event:` field, empty when absent
        QByteArray data;  // the data lines joined by '\n'
    };

    // Feed the next chunk; returns the events completed by it.
    QList<Event> feed(const QByteArray &chunk);
    // Call at end of stream: returns a last event not followed by a blank line.
    QList<Event> finish();
    bool sawDone() const { return m_done; } // `data: [DONE]` seen (that event is not returned)

private:
    QByteArray m_buffer;
    Event m_pending;
    bool m_hasPending = false;
    bool m_done = false;
    void takeLine(const QByteArray &line, QList<Event> *out);
};

} // namespace idesk
