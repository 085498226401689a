#pragma once

#include "ResultRenderer.h"

class QPlainTextEdit;

namespace idesk {

// Everything on the wire: status line, response headers, timing (x-compute-time, x-compute-type), the
// request URL and the headers sent (never the token), and the start of the body (text, or a hex dump
// of binary bytes); for a provider's job, also what the provider sent (setProviderAnswer).
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

    // What a provider's job received before any download (ProviderJob::rawAnswer(), the value the CLI's
    // --format raw prints), shown with the next result only (showResult forgets it).
    void setProviderAnswer(const QByteArray &answer, const QString &contentType);

    // What showResult shows: describe() with the token and Bearer values masked. Safe on any thread.
    static QString text(const InferenceRequest &request, const InferenceResult &result,
                        const QByteArray &providerAnswer = QByteArray(),
                        const QString &providerAnswerType = QString());
    static QString describe(const InferenceRequest &request, const InferenceResult &result,
                            const QByteArray &providerAnswer = QByteArray(),
                            const QString &providerAnswerType = QString());
    static QString hexDump(const QByteArray &bytes, int maxBytes = 512);
    // The start of a body: text, or a hex dump of binary bytes (`contentType` image/, audio/, video/,
    // application/octet-stream, or NUL bytes).
    static QString bodyPreview(const QByteArray &body, const QString &contentType);
    static constexpr int maxBodyPreview = 64 * 1024;

private:
    QPlainTextEdit *m_text = nullptr;
    QByteArray m_providerAnswer;
    QString m_providerAnswerType;
};

} // namespace idesk
