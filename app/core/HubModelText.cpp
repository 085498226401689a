#include "HubModelText.h"

#include <QCoreApplication>

namespace idesk::HubModelText {

namespace {
QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("HubModelText", text, disambiguation, n);
}

QString oneDecimal(double value, const char *suffix)
{
    QString s = QString::number(value, 'f', value < 10 ? 1 : 0);
    if (s.endsWith(QLatin1String(".0")))
        s.chop(2);
    return s + QLatin1String(suffix);
}
} // namespace

QString compactCount(qint64 n)
{
    if (n < 0)
        return QString();
    if (n < 1000)
        return QString::number(n);
    if (n < 1000000)
        return oneDecimal(n / 1000.0, "k");
    if (n < 1000000000)
        return oneDecimal(n / 1e6, "M");
    return oneDecimal(n / 1e9, "G");
}

QString day(const QString &isoDate)
{
    return isoDate.left(10);
}

QString age(qint64 seconds)
{
    if (seconds < 90)
        return tr("%n s", nullptr, int(qMax<qint64>(0, seconds)));
    if (seconds < 90 * 60)
        return tr("%n min", nullptr, int(seconds / 60));
    if (seconds < 36 * 3600)
        return tr("%n h", nullptr, int(seconds / 3600));
    return tr("%n day(s)", nullptr, int(seconds / 86400));
}

QString providers(const QList<ProviderMappingEntry> &entries)
{
    QStringList live;
    QStringList other;
    for (const ProviderMappingEntry &e : entries) {
        if (e.isLive()) {
            if (!live.contains(e.provider))
                live << e.provider;
        } else {
            const QString text = tr("%1 (%2)").arg(e.provider, e.status.isEmpty() ? tr("staging") : e.status);
            if (!other.contains(text))
                other << text;
        }
    }
    return (live + other).join(QStringLiteral(", "));
}

QString gatedOrLicense(const HubModel &model)
{
    if (model.gated.isString())
        return tr("gated (%1)").arg(model.gated.toString());
    if (model.isGated())
        return tr("gated");
    return model.license;
}

QString elide(const QString &text, int width)
{
    if (width <= 0)
        return QString();
    if (text.size() <= width)
        return text;
    return text.left(width - 1) + QChar(0x2026);
}

QString prices(const RouterOffer &offer)
{
    if (offer.inputPrice < 0 && offer.outputPrice < 0)
        return QString();
    auto dollars = [](double v) {
        return v < 0 ? QStringLiteral("?") : QStringLiteral("$%1").arg(v, 0, 'f', 2);
    };
    return tr("%1 / %2").arg(dollars(offer.inputPrice), dollars(offer.outputPrice));
}

QString offerSummary(const RouterOffer &offer)
{
    QStringList parts;
    if (offer.contextLength > 0)
        parts << tr("context %1").arg(compactCount(offer.contextLength));
    if (!prices(offer).isEmpty())
        parts << prices(offer);
    if (offer.supportsTools == 1)
        parts << tr("tools");
    if (offer.supportsStructuredOutput == 1)
        parts << tr("structured output");
    if (offer.latencySeconds >= 0)
        parts << tr("latency %1 s").arg(offer.latencySeconds, 0, 'f', 2);
    return parts.join(QStringLiteral(", "));
}

} // namespace idesk::HubModelText
