#pragma once

#include "EncodedRequest.h"
#include "ResultRenderer.h"

#include <QList>

class QPlainTextEdit;

namespace idesk {

// Everything on the wire: status line, response headers, timing (x-compute-time, x-compute-type), the
// request URL and the headers sent (never the token), and the start of the body (text, or a hex dump
// of binary bytes); for a provider's job, the requests the job sent and what the provider answered
// (setProviderExchange).
class RawView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit RawView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("raw"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override;
    // While an answer streams in: nothing final to show yet.
    void showPending();
    // While a large answer is formatted off the UI thread (its raw text with it).
    void showFormatting();

    // A provider's job, for the Raw tab: the requests it sent in order (ProviderJob::sent(): the first
    // one, then queue polls, the result and the download; never the token) and what the provider answered
    // before any download (ProviderJob::rawAnswer(), the value the CLI's --format raw prints).
    struct ProviderExchange
    {
        QList<EncodedRequest> sent;
        QByteArray answer;
        QString answerType;
    };
    // Shown with the next result only (showResult forgets it).
    void setProviderExchange(const ProviderExchange &exchange);

    // What showResult shows: describe() with the token and Bearer values masked. Safe on any thread.
    static QString text(const InferenceRequest &request, const InferenceResult &result,
                        const ProviderExchange &provider = {});
    static QString describe(const InferenceRequest &request, const InferenceResult &result,
                            const ProviderExchange &provider = {});
    static QString hexDump(const QByteArray &bytes, int maxBytes = 512);
    // The start of a body: text, or a hex dump of binary bytes (`contentType` image/, audio/, video/,
    // application/octet-stream, or NUL bytes).
    static QString bodyPreview(const QByteArray &body, const QString &contentType);
    static constexpr int maxBodyPreview = 64 * 1024;

private:
    QPlainTextEdit *m_text = nullptr;
    ProviderExchange m_provider;
};

} // namespace idesk
