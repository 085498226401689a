#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

class QNetworkAccessManager;

namespace idesk::test {

// The loopback replay server (tests/support/replay_server.py) in a child process, for one test.
//
//   ReplayServer server(ReplayServer::Tls);
//   QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
//   server.queueFile("text-classification/a2501_ICV_text_classification-0.json");
//   ... point the client at server.url() ...
//   const QJsonArray received = server.requests();
//
// The server binds 127.0.0.1 on a free port, serves the recordings of IDESK_TEST_DATA_DIR/recordings
// and, with Tls, a certificate for 127.0.0.1/localhost signed by a throw-away CA whose PEM file is
// caCertificatePath(). Control calls block on a local event loop (a few milliseconds on loopback).
// The destructor ends the process; the script also exits by itself if this process dies.
class ReplayServer
{
public:
    enum Mode { Http, Tls };

    explicit ReplayServer(Mode mode = Http, int maxSeconds = 900);
    ~ReplayServer();
    ReplayServer(const ReplayServer &) = delete;
    ReplayServer &operator=(const ReplayServer &) = delete;

    bool isRunning() const;
    QString errorString() const { return m_error; } // why it did not start, or why the last call failed

    QUrl url() const { return m_url; } // http(s)://127.0.0.1:PORT, no trailing slash
    QString urlString() const { return m_url.toString(); }
    int port() const { return m_port; }
    QString caCertificatePath() const { return m_caPath; } // empty over plain HTTP
    QString dataDirectory() const { return m_dataDir; }
    qint64 processId() const { return m_process.processId(); }

    // Answers for the next non-control requests, in order (entries as replay_server.py documents).
    bool queue(const QJsonArray &entries);
    // One recording's response, e.g. "text-classification/a2501_ICV_text_classification-0.json";
    // `behaviour` adds delay_first_byte_ms, stall_after_bytes... to the entry.
    bool queueFile(const QString &file, const QJsonObject &behaviour = {});
    // Every non-control request received so far: method, path, query, headers (lowercased names),
    // body_base64, and how the answer went (response_status, response_bytes_sent, response_complete,
    // response_done, client_gone).
    QJsonArray requests();
    bool clearRequests();
    bool reset(); // clears the queue and the log

    // A received request's body (body_base64 decoded).
    static QByteArray body(const QJsonObject &request);
    // The body of the only request received so far as a JSON object; empty unless exactly one arrived.
    QJsonObject onlyRequestJson();
    // A received request's header, by its lowercased name ("" when absent).
    static QString header(const QJsonValue &request, const QString &name);
    // An answer for queue(): `status`, Content-Type `contentType` (none when empty), `body` as it is.
    static QJsonObject answer(int status, const QString &contentType, const QByteArray &body);
    // answer() with more response headers and behaviour keys (match_body, delay_first_byte_ms, ...).
    static QJsonObject answerWith(int status, const QString &contentType, const QByteArray &body,
                                  const QJsonObject &headers, const QJsonObject &behaviour);
    // An answer for queue(): 200, Content-Type text/event-stream, `body` sent `chunkSize` bytes at a time
    // (0: as fast as possible), `chunkDelayMs` apart.
    static QJsonObject eventStream(const QByteArray &body, int chunkSize = 0, int chunkDelayMs = 0);

private:
    QByteArray control(const QByteArray &verb, const QString &path, const QByteArray &body, bool *ok);

    QTemporaryDir m_dir;
    QProcess m_process;
    QNetworkAccessManager *m_nam = nullptr;
    QString m_dataDir;
    QUrl m_url;
    int m_port = 0;
    QString m_caPath;
    QString m_error;
};

} // namespace idesk::test
