// ResultShape (app/core/ResultShape), per task: how the views and the CLI read a 200 answer.
// Input: line 1 the task id (any catalog task; seeds cover every recorded one), line 2 the answer's
// Content-Type, line 3 the request's "inputs" as JSON (entity and answer offsets point into it), the rest
// the answer's body. The shape's summary, the audio header reader and the MIME sniffer run on it too.
#include "FuzzSupport.h"
#include "ResultShape.h"

#include <QJsonDocument>

using namespace idesk;

IDESK_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray input = fuzz::bytes(data, size);
    InferenceRequest request;
    request.task = QString::fromUtf8(fuzz::takeLine(&input));
    InferenceResult result;
    result.status = 200;
    result.contentType = QString::fromUtf8(fuzz::takeLine(&input)).toLower();
    const QByteArray inputs = fuzz::takeLine(&input);
    if (!inputs.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson("[" + inputs + "]");
        if (doc.isArray() && !doc.array().isEmpty())
            request.inputs = doc.array().first();
    }
    result.body = input;

    const ResultShape shape = ResultShape::read(request, result);
    (void)shape.summary();
    for (const ResultShape::Entity &e : shape.entities) {
        // Offsets the views use to underline the text must be inside it, or left out (-1).
        if (e.start >= 0 || e.end >= 0) {
            fuzz::check(e.start >= 0 && e.start <= e.end && e.end <= shape.inputText.size(),
                        "entity offsets inside the input text");
            (void)shape.inputText.mid(e.start, e.end - e.start);
        }
    }
    (void)ResultShape::audioInfo(result.body);
    (void)ResultShape::sniffMime(result.body);
    (void)ResultShape::guessKind(QJsonDocument::fromJson(result.body).object());
    return 0;
}
