#pragma once

#include <QString>
#include <QtGlobal>

namespace idesk {

// Kestra's AbstractHttpTask.RequestOptions. Durations are kept in milliseconds; -1 means "not set".
struct HttpOptions
{
    qint64 connectTimeoutMs = -1;           // connectTimeout (unset: the system's)
    qint64 readTimeoutMs = 10000;           // readTimeout PT10S: longest wait for the server to start answering
    qint64 readIdleTimeoutMs = 300000;      // readIdleTimeout PT5M: longest silence while reading
    qint64 maxContentLength = 10485760;     // maxContentLength: largest answer accepted, in bytes
    QString defaultCharset = QStringLiteral("UTF-8"); // used when the answer names no charset
    qint64 connectionPoolIdleTimeoutMs = 0; // connectionPoolIdleTimeout PT0S
    // Not Kestra's (and not kept in presets or flows): limits of our own on one request.
    qint64 deadlineMs = 600000;       // the whole request, retries and waits included (--deadline, PT10M)
    qint64 maxLoadingWaitMs = 120000; // all 503 "model is loading" waits together (--max-wait, PT2M)

    bool operator==(const HttpOptions &o) const
    {
        return connectTimeoutMs == o.connectTimeoutMs && readTimeoutMs == o.readTimeoutMs &&
               readIdleTimeoutMs == o.readIdleTimeoutMs && maxContentLength == o.maxContentLength &&
               defaultCharset == o.defaultCharset &&
               connectionPoolIdleTimeoutMs == o.connectionPoolIdleTimeoutMs && deadlineMs == o.deadlineMs &&
               maxLoadingWaitMs == o.maxLoadingWaitMs;
    }
    bool operator!=(const HttpOptions &o) const { return !(*this == o); }
};

} // namespace idesk
