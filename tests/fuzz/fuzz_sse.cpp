// SSE decoder (app/core/SseDecoder): the bytes of a text/event-stream answer as a server sends them.
// Input: the first byte picks a chunk size (1..256), the rest is the stream. Fed in chunks of that size,
// the decoder must return exactly the events (and [DONE]) it returns when fed the whole stream at once.
#include "FuzzSupport.h"
#include "SseDecoder.h"

using idesk::SseDecoder;

IDESK_FUZZ_INITIALIZE

static QList<SseDecoder::Event> decode(const QByteArray &stream, int chunk, bool *done)
{
    SseDecoder decoder;
    QList<SseDecoder::Event> events;
    for (qsizetype at = 0; at < stream.size(); at += chunk)
        events += decoder.feed(stream.mid(at, chunk));
    events += decoder.finish();
    *done = decoder.sawDone();
    return events;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const int chunk = 1 + data[0];
    const QByteArray stream = idesk::fuzz::bytes(data + 1, size - 1);
    bool wholeDone = false, chunkedDone = false;
    const QList<SseDecoder::Event> whole = decode(stream, qMax<qsizetype>(1, stream.size()), &wholeDone);
    const QList<SseDecoder::Event> chunked = decode(stream, chunk, &chunkedDone);
    idesk::fuzz::check(whole.size() == chunked.size(), "same number of events whole and in chunks");
    for (qsizetype i = 0; i < whole.size(); ++i) {
        idesk::fuzz::check(whole[i].event == chunked[i].event, "same event name whole and in chunks");
        idesk::fuzz::check(whole[i].data == chunked[i].data, "same event data whole and in chunks");
    }
    idesk::fuzz::check(wholeDone == chunkedDone, "[DONE] seen whole and in chunks alike");
    return 0;
}
