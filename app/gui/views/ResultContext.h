#pragma once

#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "ResultShape.h"

#include <QByteArray>
#include <QImage>
#include <QJsonValue>
#include <QList>

namespace idesk {

// Everything a renderer may draw from, prepared off the UI thread by ResultView: the answer read into
// its shape, the parsed JSON, the pretty text, and the images already decoded.
struct ResultContext
{
    InferenceRequest request;
    InferenceResult result;
    ResultShape shape;
    QJsonValue json;       // Undefined when the answer is not JSON
    QByteArray prettyJson; // indented text of the answer, "" when not JSON
    QImage inputImage;     // the request's image (boxes, masks, visual QA), null when none
    QList<QImage> images;  // decoded shape.media images
    QList<QImage> masks;   // decoded shape.masks, same order
};

} // namespace idesk
