#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace idesk::test {

// One recorded exchange of tests/data/recordings (see README.md there): the request a real client
// sent and the answer Hugging Face gave, and a comparison of a request we sent with the recorded one.
class Recording
{
public:
    // `path` is absolute, or relative to IDESK_TEST_DATA_DIR/recordings.
    static std::optional<Recording> load(const QString &path, QString *error = nullptr);

    QString relativePath() const { return m_relativePath; } // "<task>/<name>.json", as the server wants it
    QString task() const { return m_task; }
    QString provider() const { return m_provider; }
    QString kind() const { return m_kind; }
    QStringList notes() const { return m_notes; } // recording_notes, each "name: explanation" or "name"
    bool hasNote(const QString &name) const;      // e.g. "request_not_captured", "url_rewritten"
    bool requestCaptured() const { return !hasNote(QStringLiteral("request_not_captured")); }

    // --- the recorded request ---
    QByteArray method() const { return m_method; }
    QUrl url() const { return m_url; }
    QString path() const { return m_url.path(); }
    QByteArray requestHeader(const QByteArray &name) const; // case-insensitive, "" when absent
    bool hasRequestHeader(const QByteArray &name) const;
    bool requestIsJson() const { return m_requestIsJson; }
    QJsonValue requestJson() const { return m_requestJson; }            // Undefined unless requestIsJson()
    QByteArray requestBytes() const { return m_requestBytes; }          // a raw (binary) body
    QString requestContentType() const { return m_requestContentType; } // as sent, "" when none
    QString requestSniffedType() const { return m_requestSniffedType; } // MIME type of a binary body
    // The model id in url(), given the MANIFEST's url_shape ("https://host/models/{model}").
    QString modelFromShape(const QString &urlShape) const;

    // --- the recorded answer ---
    int status() const { return m_status; }
    QList<QPair<QByteArray, QByteArray>> responseHeaders() const { return m_responseHeaders; }
    QByteArray responseHeader(const QByteArray &name) const;
    QString responseContentType() const; // MIME type without parameters, lowercased
    bool responseIsJson() const { return m_responseIsJson; }
    QJsonValue responseJson() const { return m_responseJson; }
    bool responseIsText() const { return m_responseIsText; }   // body_text: SSE streams, text/plain errors
    QByteArray responseBody() const { return m_responseBody; } // the bytes the replay server sends

    // Differences between a request received by the replay server (one element of
    // ReplayServer::requests()) and the recorded request; empty when they match.
    QStringList compareRequest(const QJsonObject &received) const;

    // The normalised form of a JSON request body that compareRequest() compares (see Recording.cpp).
    struct NormalisedBody
    {
        QJsonValue body;
        std::optional<bool> waitForModel; // legacy body "options": {"wait_for_model": ...}
        std::optional<bool> useCache;     // legacy body "options": {"use_cache": ...}
    };
    static NormalisedBody normaliseBody(const QJsonValue &body);

    // True for "1", "true", "True", "yes" (header truthiness: the Python client sent 1, we send true).
    static bool truthy(const QByteArray &value);
    // Human-readable difference between two JSON values ("" when equal), with a JSON-pointer-ish path.
    static QString jsonDifference(const QJsonValue &expected, const QJsonValue &actual,
                                  const QString &where = QStringLiteral("body"));

private:
    QString m_relativePath;
    QString m_task, m_provider, m_kind;
    QStringList m_notes;
    QByteArray m_method;
    QUrl m_url;
    QList<QPair<QByteArray, QByteArray>> m_requestHeaders;
    bool m_requestIsJson = false;
    QJsonValue m_requestJson;
    QByteArray m_requestBytes;
    QString m_requestContentType;
    QString m_requestSniffedType;
    int m_status = 0;
    QList<QPair<QByteArray, QByteArray>> m_responseHeaders;
    bool m_responseIsJson = false;
    bool m_responseIsText = false;
    QJsonValue m_responseJson;
    QByteArray m_responseBody;
};

} // namespace idesk::test
