#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace idesk {

// What came back for one request: the answer as received plus how it went.
struct InferenceResult
{
    enum class Outcome {
        Success,      // 2xx
        HttpError,    // the API answered an error status
        NetworkError, // DNS, refused, TLS, reset...
        Timeout,      // connect/read/idle timeout
        TooLarge,     // answer over maxContentLength
        Cancelled,    // the user cancelled
        InvalidRequest // could not be encoded; nothing was sent
    };

    Outcome outcome = Outcome::Success;
    int status = 0;                                  // HTTP status, 0 when none
    QByteArray reason;                               // HTTP reason phrase
    QList<QPair<QByteArray, QByteArray>> headers;    // response headers as received
    QByteArray body;                                 // the answer's bytes (decoded from gzip if needed)
    QString contentType;                             // MIME type without parameters, lowercased
    QString charset;                                 // from Content-Type, else the request's defaultCharset
    QUrl url;                                        // final URL
    qint64 elapsedMs = 0;                            // send to last byte
    qint64 firstByteMs = -1;                         // send to first byte
    int attempts = 1;                                // > 1 after a 503 "loading" retry
    QString errorMessage;  // a sentence for a person: what happened and what to do ("" on success)
    QString serverMessage; // the server's own words, quoted in errorMessage when present

    bool ok() const { return outcome == Outcome::Success; }
    QByteArray header(const QByteArray &name) const;
    bool isJson() const;              // content type is JSON or the body parses as JSON
    QJsonDocument json(QString *error = nullptr) const;
    bool isEventStream() const { return contentType == QLatin1String("text/event-stream"); }
    bool isBinary() const;            // image/*, audio/*, application/octet-stream...
    QString text() const;             // body decoded with `charset`

    // Exit code of the CLI for this result: 0 success, 1 API error, 2 invalid request, 3 network/timeout.
    int exitCode() const;
};

} // namespace idesk
