#include "Scrub.h"

#include <QMutex>
#include <QRegularExpression>
#include <QStringList>

namespace idesk {

namespace {

QMutex &tokensMutex()
{
    static QMutex mutex;
    return mutex;
}

QStringList &tokens()
{
    static QStringList list;
    return list;
}

// A cheap look before the regular expressions: most text holds no secret at all.
bool mayHoldPattern(const QString &text)
{
    return text.contains(QLatin1String("hf_")) || text.contains(QLatin1String("bearer"), Qt::CaseInsensitive);
}

} // namespace

void Scrub::remember(const QString &token)
{
    const QString t = token.trimmed();
    if (t.size() < 8)
        return;
    QMutexLocker lock(&tokensMutex());
    if (!tokens().contains(t))
        tokens().append(t);
}

QString Scrub::secrets(const QString &text)
{
    QString out = text;
    {
        QMutexLocker lock(&tokensMutex());
        for (const QString &t : tokens())
            out.replace(t, hidden());
    }
    if (!mayHoldPattern(out))
        return out;
    // "Bearer <value>" (8 characters or more) in a header echo, a message or JSON text (a value stops at
    // space, quote, backslash or separator, so JSON around it stays intact).
    // A variable such as $HF_TOKEN or {{ secret('NAME') }} is no secret and stays readable.
    static const QRegularExpression bearer(
        QStringLiteral("\\b(Bearer)(\\s+)(?!\\[hidden\\])(?![${])[^\\s\"'\\\\,;<>]{8,}"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression hfToken(QStringLiteral("\\bhf_[A-Za-z0-9]{20,}"));
    out.replace(bearer, QStringLiteral("\\1\\2") + hidden());
    out.replace(hfToken, QStringLiteral("hf_") + hidden());
    return out;
}

QByteArray Scrub::secrets(const QByteArray &utf8)
{
    bool any = utf8.contains("hf_") || utf8.contains("earer") || utf8.contains("EARER");
    if (!any) {
        QMutexLocker lock(&tokensMutex());
        for (const QString &t : tokens())
            any = any || utf8.contains(t.toUtf8());
    }
    if (!any)
        return utf8;
    return secrets(QString::fromUtf8(utf8)).toUtf8();
}

QString Scrub::terminal(const QString &text)
{
    const auto isControl = [](char16_t c) {
        return (c < 0x20 && c != u'\n' && c != u'\t') || (c >= 0x7f && c <= 0x9f);
    };
    qsizetype first = -1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (isControl(text.at(i).unicode())) {
            first = i;
            break;
        }
    }
    if (first < 0)
        return text;
    QString out = text.left(first);
    out.reserve(text.size() + 16);
    for (qsizetype i = first; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (isControl(c))
            out += c < 0x100 && c >= 0x80 ? QStringLiteral("\\u%1").arg(int(c), 4, 16, QLatin1Char('0'))
                                          : QStringLiteral("\\x%1").arg(int(c), 2, 16, QLatin1Char('0'));
        else
            out += QChar(c);
    }
    return out;
}

} // namespace idesk
