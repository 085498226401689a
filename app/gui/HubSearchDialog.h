#pragma once

#include "HubModel.h"
#include "HubSearch.h"

#include <QDialog>
#include <QList>
#include <QTimer>

namespace Ui {
class HubSearchDialog;
}

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTextBrowser;
class QTreeWidget;

namespace idesk {

class ModelDetails;
class TokenPolicy;

// Finding a model on the Hub (issue 15): a search as you type (one request per pause; an answer the
// disk cache holds is shown at once), filters for task, provider (any provider, a named one, all models)
// and sort, rows that load more on scroll, and the selected model's details (ModelDetails). "Use this model"
// and "Try the example" emit modelChosen(). Layout: ui/HubSearch.ui.
class HubSearchDialog : public QDialog
{
    Q_OBJECT
public:
    explicit HubSearchDialog(QWidget *parent = nullptr);
    ~HubSearchDialog() override;

    void setToken(const QString &token, const TokenPolicy &policy);
    void setCache(const HubCache &cache);
    void setDebounceMs(int ms) { m_debounce.setInterval(ms); }
    // Shows the dialog with `text` in the search box (searched at once).
    void start(const QString &text = QString());

    // The task, provider and example chosen for a model: chat models (a provider serves them as
    // "conversational") go to chat-completion with a live provider of that task.
    struct Choice
    {
        QString task;
        QString provider;
    };
    static Choice choiceFor(const HubModel &model, const QString &preferredProvider);

    QLineEdit *searchEdit() const;
    QTreeWidget *resultsTree() const;
    QComboBox *taskCombo() const;
    QComboBox *providerCombo() const;
    QComboBox *sortCombo() const;
    QLabel *statusLabel() const;
    QTextBrowser *detailsView() const;
    QComboBox *exampleCombo() const;
    QPushButton *useButton() const;
    QPushButton *tryButton() const;
    HubSearch *hubSearch() const { return m_search; }

Q_SIGNALS:
    // "Use this model" (input "") or "Try the example" (the example's text).
    void modelChosen(const QString &model, const QString &task, const QString &provider,
                     const QString &input);
    // A page of results is in the list (tests, the benchmark).
    void resultsShown(int rows);

private:
    HubSearchQuery currentQuery() const;
    void queryEdited();
    void runSearch();
    void showPage(const HubSearchPage &page);
    void maybeFetchMore();
    void selectionChanged();
    void showDetails(const HubModel &model, bool complete);
    void choose(bool withExample);
    const HubModel *selectedModel() const;

    Ui::HubSearchDialog *m_ui = nullptr;
    HubSearch *m_search = nullptr;
    ModelDetails *m_details = nullptr;
    QTimer m_debounce;
    QList<HubModel> m_models;
    HubModel m_shown; // the details on show (complete once ModelDetails answered)
    QString m_pageNote;
};

} // namespace idesk
