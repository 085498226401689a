#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace idesk {

// What goes on the wire for one request, before the token is attached (InferenceClient does that,
// after TokenPolicy says the host may have it).
struct EncodedRequest
{
    QByteArray method = "POST";
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // Content-Type, x-use-cache, x-wait-for-model, User-Agent, Accept
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        return {};
    }
    void setHeader(const QByteArray &name, const QByteArray &value)
    {
        for (auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
                h.second = value;
                return;
            }
        headers.append({name, value});
    }
};

} // namespace idesk
