#include "RawView.h"

#include "RequestEncoder.h"
#include "SavedResult.h"
#include "Scrub.h"

#include <QFontDatabase>
#include <QLocale>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace idesk {

RawView::RawView(QWidget *parent) : ResultRenderer(parent)
{
    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setAccessibleName(tr("Raw exchange: status, headers, timing and request"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
}

void RawView::showResult(const ResultContext &context)
{
    // The worker prepared the text of a large answer (context.rawText); a provider's exchange is small
    // and known only here, so with one the text is described again.
    if (!m_provider.sent.isEmpty() || !m_provider.answer.isEmpty() || context.rawText.isEmpty())
        m_text->setPlainText(text(context.request, context.result, m_provider));
    else
        m_text->setPlainText(context.rawText);
    m_provider = {}; // for this result only (a saved result opened next has none)
}

QString RawView::text(const InferenceRequest &request, const InferenceResult &result,
                      const ProviderExchange &provider)
{
    // A server may echo the request's headers: the token and Bearer values are masked (Scrub).
    return Scrub::secrets(describe(request, result, provider));
}

void RawView::showFormatting()
{
    m_text->setPlainText(
        tr("The answer is being formatted; its status, headers and timing appear here when it "
           "is ready."));
}

void RawView::setProviderExchange(const ProviderExchange &exchange)
{
    m_provider = exchange;
}

void RawView::showPending()
{
    m_text->setPlainText(
        tr("The answer is still arriving; its status, headers and timing appear here when it is complete."));
}

QString RawView::copyText() const
{
    return m_text->toPlainText();
}

QString RawView::hexDump(const QByteArray &bytes, int maxBytes)
{
    QString out;
    const int n = std::min(int(bytes.size()), maxBytes);
    for (int off = 0; off < n; off += 16) {
        QString hex;
        QString ascii;
        for (int i = off; i < off + 16; ++i) {
            if (i < n) {
                const uchar c = uchar(bytes.at(i));
                hex += QStringLiteral("%1 ").arg(c, 2, 16, QLatin1Char('0'));
                ascii += (c >= 32 && c < 127) ? QChar(c) : QChar(u'.');
            } else {
                hex += QLatin1String("   ");
            }
        }
        out += QStringLiteral("%1  %2 %3\n").arg(off, 8, 16, QLatin1Char('0')).arg(hex, ascii);
    }
    if (bytes.size() > n)
        out += tr("… %n more byte(s)\n", nullptr, int(bytes.size() - n));
    return out;
}

QString RawView::describe(const InferenceRequest &request, const InferenceResult &result,
                          const ProviderExchange &provider)
{
    const QLocale locale;
    QString out;
    // Answer
    out += tr("=== Answer ===") + QLatin1Char('\n');
    if (result.status > 0)
        out += QStringLiteral("HTTP %1 %2\n").arg(result.status).arg(QString::fromUtf8(result.reason));
    else
        out += tr("No HTTP status (%1)")
                   .arg(result.errorMessage.isEmpty() ? tr("no answer") : result.errorMessage) +
               QLatin1Char('\n');
    for (const auto &h : result.headers)
        if (!SavedResult::isSecretHeader(h.first))
            out += QStringLiteral("%1: %2\n").arg(QString::fromLatin1(h.first), QString::fromUtf8(h.second));

    // Timing
    out += QLatin1Char('\n') + tr("=== Timing ===") + QLatin1Char('\n');
    out += tr("Total: %1 ms").arg(result.elapsedMs) + QLatin1Char('\n');
    if (result.firstByteMs >= 0)
        out += tr("First byte: %1 ms").arg(result.firstByteMs) + QLatin1Char('\n');
    if (result.attempts > 1)
        out += tr("Attempts: %1 (the model was loading)").arg(result.attempts) + QLatin1Char('\n');
    const QByteArray computeTime = result.header("x-compute-time");
    const QByteArray computeType = result.header("x-compute-type");
    if (!computeTime.isEmpty())
        out += tr("Compute time (x-compute-time): %1 s").arg(QString::fromLatin1(computeTime)) +
               QLatin1Char('\n');
    if (!computeType.isEmpty())
        out +=
            tr("Compute type (x-compute-type): %1").arg(QString::fromLatin1(computeType)) + QLatin1Char('\n');
    out += tr("Body: %1, %2")
               .arg(result.contentType.isEmpty() ? tr("no content type") : result.contentType,
                    locale.formattedDataSize(result.body.size())) +
           QLatin1Char('\n');

    // Request, as the encoder builds it (the token is added later by the client and never shown); for a
    // provider's job, the first request its helper built and the follow-ups after it.
    out += QLatin1Char('\n') + tr("=== Request ===") + QLatin1Char('\n');
    QString encodeError;
    const EncodedRequest sent =
        provider.sent.isEmpty() ? RequestEncoder::encode(request, &encodeError) : provider.sent.first();
    const QUrl url =
        provider.sent.isEmpty() && result.url.isValid() && !result.url.isEmpty() ? result.url : sent.url;
    if (!url.isEmpty())
        out += QStringLiteral("%1 %2\n").arg(QString::fromLatin1(sent.method), url.toString());
    if (!sent.url.isEmpty()) {
        for (const auto &h : sent.headers)
            if (!SavedResult::isSecretHeader(h.first))
                out +=
                    QStringLiteral("%1: %2\n").arg(QString::fromLatin1(h.first), QString::fromUtf8(h.second));
        out += tr("Authorization: Bearer … (added by the client when the host may have the token; never "
                  "shown)") +
               QLatin1Char('\n');
        out += tr("Body: %1").arg(locale.formattedDataSize(sent.body.size())) + QLatin1Char('\n');
    } else if (!encodeError.isEmpty()) {
        out += encodeError + QLatin1Char('\n');
    }
    if (provider.sent.size() > 1) {
        out += QLatin1Char('\n') + tr("=== Follow-up requests ===") + QLatin1Char('\n');
        for (qsizetype i = 1; i < provider.sent.size(); ++i)
            out += QStringLiteral("%1 %2\n").arg(QString::fromLatin1(provider.sent.at(i).method),
                                                 provider.sent.at(i).url.toString());
    }

    // What a provider sent (its JSON with the file's URL, a prediction) when the answer shown is not it:
    // the same value as the CLI's --format raw.
    if (!provider.answer.isEmpty() && provider.answer != result.body) {
        out += QLatin1Char('\n') +
               tr("=== What the provider sent (%1) ===")
                   .arg(provider.answerType.isEmpty() ? tr("no content type") : provider.answerType) +
               QLatin1Char('\n');
        out += bodyPreview(provider.answer, provider.answerType);
    }

    // Body
    out += QLatin1Char('\n') + tr("=== Answer body ===") + QLatin1Char('\n');
    out +=
        bodyPreview(result.body, result.isBinary() ? QStringLiteral("application/octet-stream") : QString());
    return out;
}

QString RawView::bodyPreview(const QByteArray &body, const QString &contentType)
{
    // Only the part shown is looked at: scanning a 30 MB answer for a NUL stalled the window, and a text
    // preview free of NULs reads as text whatever follows it.
    const bool binary =
        contentType.startsWith(QLatin1String("image/")) || contentType.startsWith(QLatin1String("audio/")) ||
        contentType.startsWith(QLatin1String("video/")) ||
        contentType == QLatin1String("application/octet-stream") ||
        QByteArrayView(body).first(std::min<qsizetype>(body.size(), maxBodyPreview)).contains('\0');
    if (body.isEmpty())
        return tr("(empty)") + QLatin1Char('\n');
    if (binary)
        return hexDump(body);
    QString out = QString::fromUtf8(body.left(maxBodyPreview));
    if (body.size() > maxBodyPreview)
        out += QLatin1Char('\n') +
               tr("… %1 more; the JSON tab and Save have the whole answer.")
                   .arg(QLocale().formattedDataSize(body.size() - maxBodyPreview)) +
               QLatin1Char('\n');
    return out;
}

} // namespace idesk
