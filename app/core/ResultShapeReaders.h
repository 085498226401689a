#pragma once

// Inside ResultShape (not for other callers): the JSON predicates and helpers the readers and the kind
// guess share, and the readers' entry points. ResultShape.cpp picks a kind and calls them;
// ResultShapeReaders.cpp reads each kind; ResultShapeSniff.cpp tells binary answers apart;
// ResultShapeSummary.cpp writes the CLI's summary.

#include "ResultShape.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace idesk::ResultShapeReaders {

QString tr(const char *text);
double number(const QJsonValue &v);
bool isScoreObject(const QJsonValue &v);
bool allOf(const QJsonArray &a, bool (*pred)(const QJsonValue &));
bool isScoreList(const QJsonValue &v);
bool isEntityObject(const QJsonValue &v);
bool isBoxObject(const QJsonValue &v);
bool isMaskObject(const QJsonValue &v);
bool isAnswerObject(const QJsonValue &v);
bool isAudioBlobObject(const QJsonValue &v);
bool isNumberTree(const QJsonValue &v, int depth = 0);
QString textFieldOf(const QJsonObject &o);
bool hasTextField(const QJsonValue &v);
QJsonObject completionChoice(const QJsonValue &json);
QByteArray fromBase64(const QString &text, bool *ok);
QString inputString(const InferenceRequest &request);
QString percent(double score);

// Reads `json` as `kind` (scores, entities, answer...) into *out; false when it is not that shape.
bool readKind(const QString &kind, const InferenceRequest &request, const QJsonValue &json, ResultShape *out);
// A server-sent event stream (text generation, chat) assembled into *out; false when it holds no event.
bool readStream(const QByteArray &body, ResultShape *out);
// "labels with scores", "an image"... for messages.
QString kindLabel(const QString &kind);

} // namespace idesk::ResultShapeReaders
