#pragma once

#include "ProviderMapping.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace idesk {

// One chat offer of the router's catalogue (GET {router}/v1/models): a provider serving a model, with
// its context length, price in US dollars per million tokens and what it supports.
struct RouterOffer
{
    QString provider;
    QString status; // "live", "staging"...
    qint64 contextLength = -1;
    double inputPrice = -1;  // per million input tokens; -1 when not told
    double outputPrice = -1; // per million output tokens; -1 when not told
    int supportsTools = -1;  // 1 yes, 0 no, -1 not told
    int supportsStructuredOutput = -1;
    double latencySeconds = -1; // time to first token when the catalogue says; -1 otherwise

    QJsonObject toJson() const;
};

// A model as the Hub describes it: one row of a search (GET {hub}/api/models?...) or a model's page
// (GET {hub}/api/models/{id}?expand[]=...). Fields the answer did not hold stay empty / -1.
struct HubModel
{
    QString id;
    QString task;    // pipeline_tag
    QString library; // library_name
    QString license; // cardData.license, else a "license:..." tag
    QStringList languages;
    QJsonValue gated = false; // false, "auto" or "manual", as the Hub says
    qint64 downloads = -1;
    qint64 likes = -1;
    QString lastModified; // ISO 8601 as the Hub wrote it
    QList<ProviderMappingEntry> providers;
    QJsonArray examples;       // widgetData: [{"text": ..., "example_title": ...}, ...]
    QString summary;           // the model card's first paragraph ("" unless fetched)
    QList<RouterOffer> offers; // chat pricing from the router's catalogue ("" unless fetched)

    static HubModel fromJson(const QJsonObject &o);
    // A search answer (a JSON array of models); *ok false when the bytes are not one.
    static QList<HubModel> listFromJson(const QByteArray &json, bool *ok = nullptr);

    bool isGated() const { return gated.isString() || (gated.isBool() && gated.toBool()); }
    QString gatedText() const; // "", "auto", "manual"
    // The CLI's JSON: id, task, downloads, likes, lastModified, gated, license, providers[]; with
    // `details` also library, languages, examples, summary, pricing.
    QJsonObject toJson(bool details) const;
    static QJsonArray providersToJson(const QList<ProviderMappingEntry> &providers);
    // The text of an example input (widgetData's "text", else its first string value).
    static QString exampleText(const QJsonObject &example);
};

// The router's chat catalogue.
namespace RouterCatalogue {
// The offers for `modelId` in a GET {router}/v1/models answer; empty when it is not listed.
QList<RouterOffer> offersFor(const QByteArray &catalogue, const QString &modelId);
} // namespace RouterCatalogue

// The first paragraph of a model card (README.md): front matter, headings, badges and HTML skipped;
// at most `maxChars` characters.
QString cardSummary(const QByteArray &readme, int maxChars = 400);

} // namespace idesk

Q_DECLARE_METATYPE(idesk::HubModel)
