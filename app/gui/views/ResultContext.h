#pragma once

#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "ResultShape.h"

#include <QByteArray>
#include <QImage>
#include <QJsonValue>
#include <QList>

#include <memory>

namespace idesk {

struct JsonOutline;

// Everything a renderer may draw from, prepared off the UI thread by ResultView: the answer read into
// its shape, the parsed JSON, the pretty text, and the images already decoded.
struct ResultContext
{
    InferenceRequest request;
    InferenceResult result;
    ResultShape shape;
    QJsonValue json;       // Undefined when the answer is not JSON, or too large or deep to build
    QByteArray jsonText;   // the answer when it is a JSON object or array (the JSON tree reads it lazily)
    QByteArray prettyJson; // indented text of the answer (compact below JsonPrettyPrinter::compactDepth),
                           // only its beginning when prettyCut (JsonTextView::prettyBeginning)
    bool prettyCut = false;
    QString rawText; // the Raw tab's text (RawView::text), prepared with the rest
    std::shared_ptr<const JsonOutline> jsonOutline; // jsonText's outline for the JSON tree, when read
    QImage inputImage;    // the request's image (boxes, masks, visual QA), null when none
    QList<QImage> images; // decoded shape.media images
    QList<QImage> masks;  // decoded shape.masks, same order
};

} // namespace idesk
