#pragma once

#include "CachedHubGet.h"
#include "HubModel.h"

#include <QObject>

namespace idesk {

// Everything shown about one model, gathered through the disk cache (CachedHubGet):
//  1. GET {hub}/api/models/{id}?expand[]=... (task, library, card data, widget examples, gated, providers);
//  2. for chat models (a provider serves it as "conversational", or the task is text-generation or
//     image-text-to-text): the router's catalogue GET {router}/v1/models, for context length and prices;
//  3. the model card's first paragraph: GET {hub}/{id}/raw/main/README.md.
// Steps 2 and 3 are best effort: their failure leaves offers/summary empty.
class ModelDetails : public QObject
{
    Q_OBJECT
public:
    explicit ModelDetails(QObject *parent = nullptr);

    void setToken(const QString &token, const TokenPolicy &policy);
    void setCache(const HubCache &cache);
    void setMaxAgeSeconds(qint64 seconds);
    void setWithSummary(bool on) { m_withSummary = on; }

    // Starts gathering (a running one is cancelled); ends with ready() or failed().
    void fetch(const QString &modelId);
    void cancel();
    bool isRunning() const { return m_step != Step::Idle; }

    static QUrl infoUrl(const QString &modelId);
    static QStringList expandedFields();
    static bool isChatModel(const HubModel &model);

Q_SIGNALS:
    void ready(const idesk::HubModel &model, bool offline);
    void failed(const QString &message, bool unreachable);

private:
    enum class Step { Idle, Info, Catalogue, Readme };
    void onFinished(const CachedHubResult &result);
    void nextAfterInfo();
    void fetchSummaryOrFinish();
    void done();

    CachedHubGet *m_info = nullptr;
    CachedHubGet *m_catalogue = nullptr;
    Step m_step = Step::Idle;
    HubModel m_model;
    QString m_id;
    bool m_offline = false;
    bool m_withSummary = true;
};

} // namespace idesk
