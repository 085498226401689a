#pragma once

#include "ChatStreamAssembler.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QtNumeric>

namespace idesk {

// An answer read into plain values, whatever shape the server used for it. Widget-free: the result
// views draw it and the CLI's `--format summary` prints it.
//
// kind is one of: scores, entities, answer, table-answer, boxes, masks, image, audio, text, chat,
// vectors, json (the answer is JSON that no reader recognised), error (the request failed) and raw
// (bytes that are neither JSON, text, an image nor audio).
struct ResultShape
{
    struct Score
    {
        QString label;
        double score = 0;
        QString sequence; // fill-mask: the sentence with the mask filled in
    };
    struct ScoreGroup
    {
        QString title;      // the input the scores belong to, when the answer or request says
        QList<Score> items; // best first
    };
    struct Entity
    {
        QString group; // entity_group, or entity without its B-/I- prefix
        QString word;
        double score = qQNaN();
        int start = -1; // character offsets into inputText
        int end = -1;
    };
    struct Answer
    {
        QString answer;
        double score = qQNaN();
        int start = -1; // character offsets into inputText, when given
        int end = -1;
    };
    struct TableAnswer
    {
        QString answer;
        QString aggregator;
        QList<QPair<int, int>> coordinates; // (row, column) of the answer cells
        QStringList cells;
        QStringList columns; // the request's table, when it was sent
        QList<QStringList> rows;
    };
    struct Box
    {
        QString label;
        double score = qQNaN();
        QRectF rect; // pixels of the input image
    };
    struct Mask
    {
        QString label;
        double score = qQNaN();
        QByteArray png; // decoded from base64
    };
    struct Media
    {
        QString label;
        QByteArray bytes;
        QString mimeType;
    };
    struct AudioInfo
    {
        QString format;     // "WAV", "FLAC", "MP3", "Ogg", or "" when unknown
        int sampleRate = 0; // Hz, 0 when unknown
        int channels = 0;
        int bitsPerSample = 0;
        double durationSeconds = -1; // -1 when unknown
    };
    struct Segment
    {
        double start = -1;
        double end = -1;
        QString text;
    };
    struct Vectors
    {
        QList<qint64> shape; // e.g. [1, 7, 768]
        bool ragged = false; // rows of different lengths: shape gives the first ones
        qint64 count = 0;    // numbers in all
        qint64 rowCount = 0; // innermost vectors
        double min = 0;
        double max = 0;
        double mean = 0;
        QList<double> rowNorms;           // Euclidean norm of the first rows (at most maxRows)
        QList<QList<double>> firstValues; // the first values of the first rows
        static constexpr int maxRows = 1000;
        static constexpr int maxValues = 8;
    };

    QString kind;
    QString expectedKind; // what the task's view wanted; "" when the task is unknown
    QString problem;      // kind "json": why the answer did not fit expectedKind
    QString contextTitle; // a line about what was asked (zero-shot sequence, similarity source...)

    QList<ScoreGroup> scoreGroups;
    QString filledSequence; // fill-mask: the best sequence
    QString inputText;      // entities and answer: the text that offsets refer to
    QList<Entity> entities;
    QList<Answer> answers; // best first
    TableAnswer table;
    QList<Box> boxes;
    QList<Mask> masks;
    QList<Media> media; // image and audio answers (several for audio-to-audio)
    QString text;       // text and chat
    QString role;       // chat: the message's role
    QString finishReason;
    ChatStreamAssembler::Usage usage; // text and chat: tokens used, when the answer says
    QList<Segment> segments;          // speech recognition chunks
    Vectors vectors;

    // The view kind for a catalog task (its resultKind, else our own table); "" when unknown.
    static QString kindForTask(const QString &taskId);
    // Reads `result` for `request.task`; an unknown task is guessed from the answer's shape.
    static ResultShape read(const InferenceRequest &request, const InferenceResult &result);
    // The same with the JSON already parsed (json may be undefined when the body is not JSON).
    static ResultShape read(const InferenceRequest &request, const InferenceResult &result,
                            const QJsonValue &json);
    // Kind for a JSON answer with no task: "json" when nothing fits.
    static QString guessKind(const QJsonValue &json);
    // Format, rate, channels and duration from a WAV or FLAC header; the format name for MP3/Ogg.
    static AudioInfo audioInfo(const QByteArray &bytes);
    // MIME type from the first bytes (PNG, JPEG, GIF, WebP, WAV, FLAC, MP3, Ogg), "" when unknown.
    static QString sniffMime(const QByteArray &bytes);

    // A few lines for a person: the CLI's summary format.
    QString summary() const;
};

} // namespace idesk
