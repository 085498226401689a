#include "HubModel.h"

#include "JsonNumber.h"

#include <QJsonDocument>
#include <QRegularExpression>

namespace idesk {

namespace {

QStringList stringsOf(const QJsonValue &v)
{
    QStringList out;
    if (v.isString() && !v.toString().isEmpty())
        out << v.toString();
    for (const QJsonValue &item : v.toArray()) {
        if (item.isString() && !item.toString().isEmpty())
            out << item.toString();
    }
    return out;
}

int tristate(const QJsonValue &v)
{
    return v.isBool() ? (v.toBool() ? 1 : 0) : -1;
}

double numberOr(const QJsonValue &v, double fallback)
{
    return v.isDouble() ? v.toDouble() : fallback;
}

} // namespace

QJsonObject RouterOffer::toJson() const
{
    QJsonObject o{{QStringLiteral("provider"), provider}, {QStringLiteral("status"), status}};
    if (contextLength >= 0)
        o.insert(QStringLiteral("context_length"), double(contextLength));
    if (inputPrice >= 0)
        o.insert(QStringLiteral("input_per_million"), inputPrice);
    if (outputPrice >= 0)
        o.insert(QStringLiteral("output_per_million"), outputPrice);
    if (supportsTools >= 0)
        o.insert(QStringLiteral("supports_tools"), supportsTools == 1);
    if (supportsStructuredOutput >= 0)
        o.insert(QStringLiteral("supports_structured_output"), supportsStructuredOutput == 1);
    if (latencySeconds >= 0)
        o.insert(QStringLiteral("latency_s"), latencySeconds);
    return o;
}

HubModel HubModel::fromJson(const QJsonObject &o)
{
    HubModel m;
    m.id = o.value(QStringLiteral("id")).toString();
    if (m.id.isEmpty())
        m.id = o.value(QStringLiteral("modelId")).toString();
    m.task = o.value(QStringLiteral("pipeline_tag")).toString();
    m.library = o.value(QStringLiteral("library_name")).toString();
    const QJsonObject card = o.value(QStringLiteral("cardData")).toObject();
    m.license = stringsOf(card.value(QStringLiteral("license"))).join(QStringLiteral(", "));
    const QStringList tags = stringsOf(o.value(QStringLiteral("tags")));
    if (m.license.isEmpty()) {
        for (const QString &tag : tags) {
            if (tag.startsWith(QLatin1String("license:"))) {
                m.license = tag.mid(8);
                break;
            }
        }
    }
    m.languages = stringsOf(card.value(QStringLiteral("language")));
    const QJsonValue gated = o.value(QStringLiteral("gated"));
    if (gated.isString() || gated.isBool())
        m.gated = gated;
    m.downloads = JsonNumber::toInt64Or(o.value(QStringLiteral("downloads")), -1);
    m.likes = JsonNumber::toInt64Or(o.value(QStringLiteral("likes")), -1);
    m.lastModified = o.value(QStringLiteral("lastModified")).toString();
    m.providers = ProviderMapping::parse(o.value(QStringLiteral("inferenceProviderMapping")));
    for (const QJsonValue &example : o.value(QStringLiteral("widgetData")).toArray()) {
        if (example.isObject())
            m.examples.append(example);
    }
    return m;
}

QList<HubModel> HubModel::listFromJson(const QByteArray &json, bool *ok)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (ok)
        *ok = error.error == QJsonParseError::NoError && doc.isArray();
    QList<HubModel> models;
    for (const QJsonValue &v : doc.array()) {
        if (!v.isObject())
            continue;
        HubModel m = fromJson(v.toObject());
        if (!m.id.isEmpty())
            models.append(m);
    }
    return models;
}

QString HubModel::gatedText() const
{
    if (gated.isString())
        return gated.toString();
    return gated.toBool() ? QStringLiteral("yes") : QString();
}

QJsonArray HubModel::providersToJson(const QList<ProviderMappingEntry> &providers)
{
    QJsonArray out;
    for (const ProviderMappingEntry &e : providers) {
        out.append(QJsonObject{{QStringLiteral("provider"), e.provider},
                               {QStringLiteral("status"), e.status},
                               {QStringLiteral("task"), e.task},
                               {QStringLiteral("providerId"), e.providerId}});
    }
    return out;
}

QString HubModel::exampleText(const QJsonObject &example)
{
    const QJsonValue text = example.value(QStringLiteral("text"));
    if (text.isString())
        return text.toString();
    for (auto it = example.begin(); it != example.end(); ++it) {
        if (it.value().isString() && it.key() != QLatin1String("example_title"))
            return it.value().toString();
    }
    return QString();
}

QJsonObject HubModel::toJson(bool details) const
{
    QJsonObject o{
        {QStringLiteral("id"), id},
        {QStringLiteral("task"), task.isEmpty() ? QJsonValue() : QJsonValue(task)},
        {QStringLiteral("downloads"), downloads < 0 ? QJsonValue() : QJsonValue(double(downloads))},
        {QStringLiteral("likes"), likes < 0 ? QJsonValue() : QJsonValue(double(likes))},
        {QStringLiteral("lastModified"), lastModified.isEmpty() ? QJsonValue() : QJsonValue(lastModified)},
        {QStringLiteral("gated"), gated},
        {QStringLiteral("license"), license.isEmpty() ? QJsonValue() : QJsonValue(license)},
        {QStringLiteral("providers"), providersToJson(providers)}};
    if (details) {
        o.insert(QStringLiteral("library"), library.isEmpty() ? QJsonValue() : QJsonValue(library));
        o.insert(QStringLiteral("languages"), QJsonArray::fromStringList(languages));
        o.insert(QStringLiteral("examples"), examples);
        o.insert(QStringLiteral("summary"), summary);
        QJsonArray pricing;
        for (const RouterOffer &offer : offers)
            pricing.append(offer.toJson());
        o.insert(QStringLiteral("pricing"), pricing);
    }
    return o;
}

QList<RouterOffer> RouterCatalogue::offersFor(const QByteArray &catalogue, const QString &modelId)
{
    QList<RouterOffer> offers;
    const QJsonArray data =
        QJsonDocument::fromJson(catalogue).object().value(QStringLiteral("data")).toArray();
    for (const QJsonValue &v : data) {
        const QJsonObject model = v.toObject();
        if (model.value(QStringLiteral("id")).toString().compare(modelId, Qt::CaseInsensitive) != 0)
            continue;
        for (const QJsonValue &p : model.value(QStringLiteral("providers")).toArray()) {
            const QJsonObject o = p.toObject();
            RouterOffer offer;
            offer.provider = o.value(QStringLiteral("provider")).toString();
            if (offer.provider.isEmpty())
                continue;
            offer.status = o.value(QStringLiteral("status")).toString();
            offer.contextLength = JsonNumber::toInt64Or(o.value(QStringLiteral("context_length")), -1);
            const QJsonObject pricing = o.value(QStringLiteral("pricing")).toObject();
            offer.inputPrice = numberOr(pricing.value(QStringLiteral("input")), -1);
            offer.outputPrice = numberOr(pricing.value(QStringLiteral("output")), -1);
            offer.supportsTools = tristate(o.value(QStringLiteral("supports_tools")));
            offer.supportsStructuredOutput = tristate(o.value(QStringLiteral("supports_structured_output")));
            offer.latencySeconds = numberOr(o.value(QStringLiteral("latency")), -1);
            offers.append(offer);
        }
        break;
    }
    return offers;
}

QString cardSummary(const QByteArray &readme, int maxChars)
{
    QString text = QString::fromUtf8(readme.left(256 * 1024));
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    if (text.startsWith(QLatin1String("---"))) { // YAML front matter
        const int end = text.indexOf(QStringLiteral("\n---"), 3);
        text = end < 0 ? QString() : text.mid(end + 4);
    }
    static const QRegularExpression htmlTag(QStringLiteral("<[^>]{0,400}>"));
    static const QRegularExpression image(QStringLiteral("!\\[[^\\]]*\\]\\([^)]*\\)"));
    static const QRegularExpression link(QStringLiteral("\\[([^\\]]*)\\]\\([^)]*\\)"));
    const QStringList paragraphs = text.split(QStringLiteral("\n\n"));
    for (QString p : paragraphs) {
        p = p.trimmed();
        if (p.isEmpty() || p.startsWith(QLatin1Char('#')) || p.startsWith(QLatin1String("```")) ||
            p.startsWith(QLatin1Char('|')) || p.startsWith(QLatin1Char('<')) ||
            p.startsWith(QLatin1Char('>')))
            continue;
        p.remove(image);
        p.replace(link, QStringLiteral("\\1"));
        p.remove(htmlTag);
        p = p.simplified();
        if (p.size() < 20)
            continue;
        if (p.size() > maxChars)
            p = p.left(maxChars - 1).trimmed() + QChar(0x2026);
        return p;
    }
    return QString();
}

} // namespace idesk
