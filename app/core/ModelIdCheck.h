#pragma once

#include "CachedHubGet.h"
#include "HubModel.h"

#include <QHash>
#include <QObject>

#include <optional>

namespace idesk {

// A model id typed by hand into the Model box, checked once against the Hub: GET
// {ServiceBases::hub()}/api/models/{id}?expand[]=... (ModelDetails::infoUrl: the task and the providers'
// mapping) through the disk cache, the token going along only where the TokenPolicy allows.
// What the Hub said (found, or not found) is kept for the instance's life: a later check() of the same id
// sends nothing. An unreachable Hub or another error is not kept: the next check asks again.
class ModelIdCheck : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        Found,       // the Hub describes the model (model holds its task and providers)
        NotFound,    // 404 (or 401/403 without access: private, gated or misspelt)
        Unreachable, // no answer from the Hub and nothing cached
        Failed,      // another error (message says which)
    };
    struct Result
    {
        QString id;
        Outcome outcome = Outcome::Failed;
        HubModel model;
        int status = 0;       // the Hub's HTTP status (0 without an answer)
        bool offline = false; // Found from the cache because the Hub could not be reached
        QString message;      // the Hub's error as a sentence (Failed, Unreachable)
    };

    explicit ModelIdCheck(QObject *parent = nullptr);

    CachedHubGet *fetcher() { return m_get; } // cache, max age, timeout
    void setToken(const QString &token, const TokenPolicy &policy) { m_get->setToken(token, policy); }

    // Asks the Hub about `id` (a :provider suffix is left out); checked() follows. False, and nothing
    // sent, when the id is empty, already answered (see result()) or already on its way.
    bool check(const QString &id);
    // What the Hub said about `id` (Found or NotFound), if it was asked.
    std::optional<Result> result(const QString &id) const;
    bool isRunning() const { return !m_pending.isEmpty(); }
    QString pending() const { return m_pending; }

    // Whether a model of the Hub's task `hubTask` (pipeline_tag), served as `providerTasks`, fits the app's
    // task `appTask` (a TaskCatalog id; chat-completion takes text-generation, image-text-to-text and
    // conversational models). "" on either side fits.
    static bool fits(const QString &appTask, const QString &hubTask,
                     const QStringList &providerTasks = QStringList());
    // The pipeline_tag to search the Hub with for the app's task (chat-completion -> text-generation).
    static QString hubTaskFor(const QString &appTask);

Q_SIGNALS:
    void checked(const idesk::ModelIdCheck::Result &result);

private:
    void onFinished(const CachedHubResult &answer);

    CachedHubGet *m_get = nullptr;
    QString m_pending;
    QHash<QString, Result> m_answers;
};

} // namespace idesk

Q_DECLARE_METATYPE(idesk::ModelIdCheck::Result)
