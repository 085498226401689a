#pragma once

#include "HubModel.h"

#include <QHash>
#include <QWidget>

#include <functional>

class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;

namespace idesk {

// Which model, for which task, at which endpoint. The model combo lists the recent models and the curated
// ones (:/models.json) made for the chosen task, and completes over them and the Hub's models for what was
// typed (ModelCompletions); choosing a known model fills the task. The line under the box (ModelNote) says
// what the model is; an id typed by hand is checked once against the Hub (its task and providers, or that
// the Hub does not know it). The endpoint defaults to the router; the retired api-inference host is flagged
// with a one-click migration.
//
// For chat completion a provider combo stands beside the model: the router's policies (:fastest,
// :cheapest, :preferred), the known inference providers, or any provider typed in. model() is then the id
// with that suffix (google/gemma-2-2b-it:groq); a suffix typed into the model box moves to the combo.
class ElidedLabel;
class ModelCompletions;
class ModelNote;
class ProviderBox;

class ModelPicker : public QWidget
{
    Q_OBJECT
public:
    explicit ModelPicker(QWidget *parent = nullptr);
    ~ModelPicker() override;

    // The model as sent: for chat completion the id with its :provider suffix, else the id as typed.
    QString model() const;
    // The provider or policy chosen for chat ("" = the router decides); "" for other tasks.
    QString provider() const;
    void setProvider(const QString &provider);
    // InferenceRequest::provider for every task but chat (ProviderBox): "" (the endpoint), "auto" or a name.
    QString requestProvider() const;
    void setRequestProvider(const QString &provider);
    ProviderBox *providerBox() const { return m_providerBox; }
    QString task() const;
    QString endpoint() const;
    void setModel(const QString &model);
    void setTask(const QString &taskId);
    void setEndpoint(const QString &endpoint);

    // Remembers a model that answered (QSettings, most recent first) with its task.
    void addRecentModel(const QString &model, const QString &task);
    QStringList recentModels() const;
    // The token for the Hub's search and checks (sent under TokenPolicy); none by default.
    void setTokenProvider(std::function<QString()> token);
    ModelCompletions *completions() const { return m_completions; }
    ModelNote *note() const { return m_note; }
    // The task a known (recent or curated) model belongs to, "" if unknown.
    QString knownTask(const QString &model) const;
    // The first recent, else curated, model made for `task` ("" when none); whatever task is chosen.
    QString firstKnownModel(const QString &task) const;

    // What is wrong with the model id / endpoint, one sentence each.
    QStringList problems() const;
    QStringList modelProblems() const;
    QStringList endpointProblems() const;
    bool endpointIsRetired() const;

    QComboBox *modelCombo() const { return m_model; }
    QComboBox *taskCombo() const { return m_task; }
    QComboBox *providerCombo() const { return m_provider; }
    QLineEdit *endpointEdit() const { return m_endpoint; }
    QPushButton *migrateButton() const { return m_migrate; }

public Q_SLOTS:
    void migrateEndpoint();

Q_SIGNALS:
    void modelChanged(const QString &model);
    void taskChanged(const QString &taskId);
    void endpointChanged(const QString &endpoint);
    void requestProviderChanged(const QString &provider);
    // The Hub described the model in the box (a Hub completion chosen, or an id typed by hand checked).
    void hubModelKnown(const idesk::HubModel &model);

private:
    void loadCurated();
    void rebuildModels();
    void modelEdited(const QString &text);
    void updateEndpointState();
    void updateModelState();
    void updateNote();
    void checkTypedModel();
    void updateProviderState();
    void makeProviderEditable();
    bool providerApplies() const;
    QString providerText() const;

    struct Known
    {
        QString task;
        QString note;
        bool recent = false;
    };
    QHash<QString, Known> m_known;
    QStringList m_curatedOrder;
    QStringList m_recent;

    QComboBox *m_model = nullptr;
    QComboBox *m_task = nullptr;
    QComboBox *m_provider = nullptr;
    QLabel *m_providerLabel = nullptr;
    ProviderBox *m_providerBox = nullptr;
    QLabel *m_providerBoxLabel = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QFrame *m_warning = nullptr;
    QLabel *m_warningText = nullptr;
    QPushButton *m_migrate = nullptr;
    QLabel *m_modelProblem = nullptr;
    ElidedLabel *m_taskDescription = nullptr; // one line, whole in its tooltip: never clipped
    ModelCompletions *m_completions = nullptr;
    ModelNote *m_note = nullptr;
    std::function<QString()> m_token;
};

} // namespace idesk
