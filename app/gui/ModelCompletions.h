#pragma once

#include "HubCache.h"
#include "HubModel.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

class QCompleter;
class QLineEdit;
class QStandardItemModel;

namespace idesk {

class HubSearch;
struct HubSearchPage;

// What the Model box offers while a person types: the models they used (recent), then the curated ones,
// both already filtered by ModelPicker for the chosen task, then the Hub's models for what was typed:
// HubSearch with pipeline_tag = the task, one request per pause in typing (debounced), through the disk
// cache. Completion is by any part of the id. The Hub's rows remember their task and providers, so that
// choosing one needs no further request.
class ModelCompletions : public QObject
{
    Q_OBJECT
public:
    using TokenProvider = std::function<QString()>;
    struct Local
    {
        QString id;
        QString tip; // the row's tooltip: task, note, "used recently"
    };

    // Completes in `edit` (the Model box's line edit); only text the person typed starts a search.
    explicit ModelCompletions(QLineEdit *edit, QObject *parent = nullptr);

    QCompleter *completer() const { return m_completer; }
    QStandardItemModel *rows() const { return m_rows; }
    HubSearch *search() const { return m_search; }
    void setCache(const HubCache &cache);
    void setDebounceMs(int ms) { m_debounce.setInterval(ms); }
    void setTokenProvider(TokenProvider token) { m_token = std::move(token); }

    // The recent and curated models for the chosen task, in order.
    void setLocal(const QList<Local> &local);
    // The chosen task (a TaskCatalog id, "" for none): the Hub's rows are dropped and searched again.
    void setTask(const QString &task);
    // A model among the Hub's rows, with its task and providers.
    std::optional<HubModel> hubModel(const QString &id) const;
    int hubRowCount() const { return int(m_hub.size()); }

Q_SIGNALS:
    // The Hub's rows for `text` are in the list (also when there were none).
    void hubRowsShown(const QString &text);
    // The Hub's search could not answer for what was typed (unreachable, an error, rate limited) or
    // answered from the cache while offline: a sentence for the note under the box. The recent and
    // curated models are still offered.
    void hubProblem(const QString &message);

private:
    void searchNow();
    void onPage(const idesk::HubSearchPage &page);
    void rebuild();

    QLineEdit *m_edit = nullptr;
    QCompleter *m_completer = nullptr;
    QStandardItemModel *m_rows = nullptr;
    HubSearch *m_search = nullptr;
    QTimer m_debounce;
    TokenProvider m_token;
    QString m_task;
    QString m_searched; // the text the Hub's rows are for
    QList<Local> m_local;
    QList<HubModel> m_hub;
};

} // namespace idesk
