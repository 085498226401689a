#include "ModelPicker.h"

#include "ChatCompletion.h"
#include "ElidedLabel.h"
#include "InferenceRequest.h"
#include "ModelCompletions.h"
#include "ModelNote.h"
#include "ProviderBox.h"
#include "TaskCatalog.h"
#include "TokenPolicy.h"

#include <QComboBox>
#include <QFile>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

namespace idesk {

namespace {
const int kMaxRecent = 20;
const char kRecentKey[] = "models/recent";
} // namespace

ModelPicker::ModelPicker(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("modelPicker"));

    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("modelCombo"));
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_model->setMinimumContentsLength(24);
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setAccessibleName(tr("Model"));
    m_model->setToolTip(tr("A model id from the Hub, e.g. cardiffnlp/twitter-roberta-base-sentiment-latest"));
    m_model->lineEdit()->setPlaceholderText(tr("owner/model, e.g. google/vit-base-patch16-224"));
    m_completions = new ModelCompletions(m_model->lineEdit(), this);
    m_note = new ModelNote(this);

    m_task = new QComboBox(this);
    m_task->setObjectName(QStringLiteral("taskCombo"));
    m_task->setAccessibleName(tr("Task"));
    m_task->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_task->setMaxVisibleItems(20);
    m_task->setToolTip(tr("The task decides the input form, the parameters and how the answer is shown"));
    m_task->addItem(tr("(no task — Kestra's generic form)"), QString());
    for (const TaskSpec &spec : TaskCatalog::instance().tasks())
        m_task->addItem(tr("%1 (%2)").arg(spec.title, spec.id), spec.id);
    for (int i = 1; i < m_task->count(); ++i)
        if (const TaskSpec *spec = TaskCatalog::instance().task(m_task->itemData(i).toString()))
            m_task->setItemData(i, spec->description, Qt::ToolTipRole);

    // Chat: the provider or routing policy, sent as the model id's suffix (id:groq, id:fastest).
    m_provider = new QComboBox(this);
    m_provider->setObjectName(QStringLiteral("providerCombo"));
    // Editable (any provider may be typed) once it is first shown: an editable combo costs start-up time.
    m_provider->setAccessibleName(tr("Provider"));
    m_provider->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_provider->setMaxVisibleItems(20);
    m_provider->setToolTip(tr("Which inference provider serves the chat: auto lets the router choose, a "
                              "policy (fastest, cheapest, preferred) or a provider is sent as id:provider"));
    m_provider->addItem(tr("auto"), QString());
    m_provider->setItemData(0, tr("The router picks a provider that serves the model"), Qt::ToolTipRole);
    const QStringList policyTips = {tr("The provider with the highest throughput (:fastest)"),
                                    tr("The provider with the lowest price per output token (:cheapest)"),
                                    tr("The first provider in your order of preference in the Hugging Face "
                                       "settings (:preferred)")};
    const QStringList policies = ChatCompletion::providerPolicies();
    for (int i = 0; i < policies.size(); ++i) {
        m_provider->addItem(policies.at(i), policies.at(i));
        m_provider->setItemData(m_provider->count() - 1, policyTips.value(i), Qt::ToolTipRole);
    }
    m_provider->insertSeparator(m_provider->count());
    for (const QString &name : ChatCompletion::knownProviders()) {
        m_provider->addItem(name, name);
        m_provider->setItemData(m_provider->count() - 1, tr("Sent as :%1").arg(name), Qt::ToolTipRole);
    }
    m_providerLabel = new QLabel(tr("&via"), this);
    m_providerLabel->setBuddy(m_provider);

    m_endpoint = new QLineEdit(InferenceRequest::defaultEndpoint(), this);
    m_endpoint->setObjectName(QStringLiteral("endpointEdit"));
    m_endpoint->setAccessibleName(tr("Endpoint"));
    m_endpoint->setToolTip(tr("Base URL; the model id is appended. Default: the Hugging Face router."));
    m_endpoint->setClearButtonEnabled(true);

    m_warning = new QFrame(this);
    m_warning->setObjectName(QStringLiteral("endpointWarning"));
    m_warning->setFrameShape(QFrame::StyledPanel);
    auto *warnIcon = new QLabel(m_warning);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    warnIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    m_warningText = new QLabel(m_warning);
    m_warningText->setWordWrap(true);
    m_warningText->setObjectName(QStringLiteral("endpointWarningText"));
    m_migrate = new QPushButton(tr("&Migrate"), m_warning);
    m_migrate->setObjectName(QStringLiteral("migrateEndpoint"));
    m_migrate->setToolTip(tr("Replace the retired host by the router"));
    auto *warnLayout = new QHBoxLayout(m_warning);
    warnLayout->setContentsMargins(6, 4, 6, 4);
    warnLayout->addWidget(warnIcon, 0, Qt::AlignTop);
    warnLayout->addWidget(m_warningText, 1);
    warnLayout->addWidget(m_migrate, 0, Qt::AlignVCenter);
    m_warning->hide();

    m_modelProblem = new QLabel(this);
    m_modelProblem->setObjectName(QStringLiteral("modelProblem"));
    m_modelProblem->setWordWrap(true);
    m_modelProblem->hide();

    // One line, cut with "…" and whole in its tooltip: two wrapped lines at 1024 px wide got the height of
    // one and a half (as the note that takes its place when a model is set).
    m_taskDescription = new ElidedLabel(this);
    m_taskDescription->setObjectName(QStringLiteral("taskDescription"));
    m_taskDescription->setForegroundRole(QPalette::PlaceholderText);

    auto *modelLabel = new QLabel(tr("M&odel"), this);
    modelLabel->setBuddy(m_model);
    auto *taskLabel = new QLabel(tr("&Task"), this);
    taskLabel->setBuddy(m_task);
    auto *endpointLabel = new QLabel(tr("&Endpoint"), this);
    endpointLabel->setBuddy(m_endpoint);

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(modelLabel, 0, 0);
    auto *modelRow = new QHBoxLayout;
    modelRow->setContentsMargins(0, 0, 0, 0);
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_providerLabel);
    modelRow->addWidget(m_provider);
    grid->addLayout(modelRow, 0, 1, 1, 2);
    // Under the model box, its note (one line): shown while the box holds a model, when the task's
    // description below gives way to it, so that the window keeps its height.
    auto *underModel = new QVBoxLayout;
    underModel->setContentsMargins(0, 0, 0, 0);
    underModel->setSpacing(0);
    underModel->addWidget(m_note);
    underModel->addWidget(m_modelProblem);
    grid->addLayout(underModel, 1, 1, 1, 2);
    grid->addWidget(taskLabel, 2, 0);
    grid->addWidget(m_task, 2, 1);
    grid->addWidget(m_taskDescription, 3, 1, 1, 2);
    grid->addWidget(endpointLabel, 4, 0);
    grid->addWidget(m_endpoint, 4, 1, 1, 2);
    grid->addWidget(m_warning, 5, 1, 1, 2);
    // Every task but chat: who serves it (the endpoint, auto, or a provider the Hub lists for the model).
    m_providerBox = new ProviderBox(this);
    m_providerBoxLabel = new QLabel(tr("Pro&vider"), this);
    m_providerBoxLabel->setBuddy(m_providerBox->combo());
    grid->addWidget(m_providerBoxLabel, 6, 0, Qt::AlignTop);
    grid->addWidget(m_providerBox, 6, 1, 1, 2);
    connect(m_providerBox, &ProviderBox::providerChanged, this, &ModelPicker::requestProviderChanged);
    grid->setColumnStretch(1, 0);
    grid->setColumnStretch(2, 1);

    setTabOrder(m_model, m_provider);
    setTabOrder(m_provider, m_task);
    setTabOrder(m_task, m_endpoint);
    setTabOrder(m_endpoint, m_migrate);

    loadCurated();
    m_recent = QSettings().value(QLatin1String(kRecentKey)).toStringList();
    const QVariantMap recentTasks = QSettings().value(QStringLiteral("models/recentTasks")).toMap();
    for (const QString &model : std::as_const(m_recent)) {
        Known &k = m_known[model];
        k.recent = true;
        if (k.task.isEmpty())
            k.task = recentTasks.value(model).toString();
    }
    rebuildModels();
    m_model->setCurrentIndex(-1);
    m_model->setEditText(QString());

    connect(m_model, &QComboBox::editTextChanged, this, &ModelPicker::modelEdited);
    connect(m_model, &QComboBox::activated, this,
            [this](int index) { modelEdited(m_model->itemText(index)); });
    // A search for what is being typed that the Hub could not answer: said under the box until the next
    // change of the model.
    connect(m_completions, &ModelCompletions::hubProblem, this, [this](const QString &message) {
        m_note->setVisible(true);
        m_note->showText(message);
    });
    connect(m_note->checker(), &ModelIdCheck::checked, this, [this](const ModelIdCheck::Result &r) {
        if (r.outcome == ModelIdCheck::Outcome::Found)
            Q_EMIT hubModelKnown(r.model);
        updateNote();
    });
    connect(m_note, &ModelNote::switchTask, this, &ModelPicker::setTask);
    connect(m_task, &QComboBox::currentIndexChanged, this, [this] {
        const QString id = task();
        const TaskSpec *spec = TaskCatalog::instance().task(id);
        m_taskDescription->setText(
            spec ? spec->description : tr("Sends {\"inputs\": text, \"parameters\": {…}} as Kestra does."));
        updateProviderState();
        updateModelState();
        m_completions->setTask(id);
        rebuildModels();
        updateNote();
        m_providerBox->setContext(ChatCompletion::modelIdOf(m_model->currentText()), id);
        Q_EMIT taskChanged(id);
    });
    connect(m_provider, &QComboBox::currentTextChanged, this, [this] {
        updateProviderState();
        updateModelState();
        Q_EMIT modelChanged(model());
    });
    // A suffix typed into the model box belongs to the provider combo once the person leaves the box.
    connect(m_model->lineEdit(), &QLineEdit::editingFinished, this, &ModelPicker::checkTypedModel);
    connect(m_model->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        const QString text = m_model->currentText().trimmed();
        if (!text.contains(QLatin1Char(':')))
            return;
        setProvider(ChatCompletion::providerOf(text));
        const QSignalBlocker block(m_model);
        m_model->setEditText(ChatCompletion::modelIdOf(text));
    });
    connect(m_endpoint, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_providerBox->setEndpoint(text); // "auto" with an endpoint the person chose goes there
        updateEndpointState();
        Q_EMIT endpointChanged(text);
    });
    connect(m_migrate, &QPushButton::clicked, this, &ModelPicker::migrateEndpoint);
    m_taskDescription->setText(tr("Sends {\"inputs\": text, \"parameters\": {…}} as Kestra does."));
    updateEndpointState();
    updateProviderState();
    updateNote();
}

ModelPicker::~ModelPicker()
{
    // The box loses focus while the children are deleted: its editingFinished must not reach this.
    m_model->lineEdit()->disconnect(this);
}

void ModelPicker::loadCurated()
{
    QFile file(QStringLiteral(":/models.json"));
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    const QJsonArray models =
        doc.isObject() ? doc.object().value(QStringLiteral("models")).toArray() : doc.array();
    for (const QJsonValue &v : models) {
        const QJsonObject o = v.toObject();
        const QString model = o.value(QStringLiteral("model")).toString();
        if (model.isEmpty())
            continue;
        Known &k = m_known[model];
        k.task = o.value(QStringLiteral("task")).toString();
        k.note = o.value(QStringLiteral("note")).toString();
        m_curatedOrder << model;
    }
}

void ModelPicker::rebuildModels()
{
    const QSignalBlocker block(m_model);
    const QString text = m_model->currentText();
    m_model->clear();
    QStringList order = m_recent;
    for (const QString &model : std::as_const(m_curatedOrder))
        if (!order.contains(model))
            order << model;
    QList<ModelCompletions::Local> local;
    for (const QString &model : std::as_const(order)) {
        const Known k = m_known.value(model);
        // Only the models made for the chosen task (a text-to-speech model is no image classifier).
        if (!ModelIdCheck::fits(task(), k.task))
            continue;
        m_model->addItem(model, k.task);
        QString tip = k.task.isEmpty() ? QString() : tr("Task: %1").arg(k.task);
        if (!k.note.isEmpty())
            tip += QLatin1Char('\n') + k.note;
        if (k.recent)
            tip += QLatin1Char('\n') + tr("Used recently");
        m_model->setItemData(m_model->count() - 1, tip.trimmed(), Qt::ToolTipRole);
        local.append({model, tip.trimmed()});
    }
    m_completions->setLocal(local);
    m_model->setCurrentIndex(-1);
    m_model->setEditText(text);
}

QString ModelPicker::model() const
{
    const QString text = m_model->currentText().trimmed();
    if (text.isEmpty())
        return text;
    // A suffix still in the model box (being typed) is the one the combo shows.
    return text.contains(QLatin1Char(':')) ? text : ChatCompletion::modelWithProvider(text, providerText());
}

QString ModelPicker::provider() const
{
    return providerText();
}

QString ModelPicker::providerText() const
{
    QString text = m_provider->currentText().trimmed();
    if (text.startsWith(QLatin1Char(':')))
        text.remove(0, 1);
    return text == tr("auto") || text == QLatin1String("auto") ? QString() : text;
}

void ModelPicker::setProvider(const QString &provider)
{
    QString p = provider.trimmed();
    if (p.startsWith(QLatin1Char(':')))
        p.remove(0, 1);
    const int index = p.isEmpty() ? 0 : m_provider->findData(p);
    if (index >= 0)
        m_provider->setCurrentIndex(index);
    else {
        makeProviderEditable();
        m_provider->setEditText(p); // a provider the list does not know yet: sent as typed
    }
}

bool ModelPicker::providerApplies() const
{
    return ChatCompletion::isChatTask(task());
}

void ModelPicker::makeProviderEditable()
{
    if (m_provider->isEditable())
        return;
    m_provider->setEditable(true);
    m_provider->setInsertPolicy(QComboBox::NoInsert);
    m_provider->lineEdit()->setPlaceholderText(tr("auto"));
}

void ModelPicker::updateProviderState()
{
    // Shown for chat, and whenever a provider is set, so that nothing hidden changes the request.
    const bool shown = providerApplies() || !providerText().isEmpty();
    if (shown)
        makeProviderEditable();
    m_provider->setVisible(shown);
    m_providerLabel->setVisible(shown);
    if (m_providerBox) {
        m_providerBox->setVisible(!providerApplies());
        m_providerBoxLabel->setVisible(!providerApplies());
    }
}

QString ModelPicker::requestProvider() const
{
    return providerApplies() ? QString() : m_providerBox->provider();
}

void ModelPicker::setRequestProvider(const QString &provider)
{
    m_providerBox->setProvider(provider);
}

QString ModelPicker::task() const
{
    return m_task->currentData().toString();
}

QString ModelPicker::endpoint() const
{
    return m_endpoint->text().trimmed();
}

void ModelPicker::setModel(const QString &model)
{
    // id:provider: the id in the model box, the provider beside it.
    const QString text = model.trimmed();
    if (text.contains(QLatin1Char(':'))) {
        setProvider(ChatCompletion::providerOf(text));
        m_model->setEditText(ChatCompletion::modelIdOf(text));
    } else {
        setProvider(QString());
        m_model->setEditText(model);
    }
}

void ModelPicker::setTask(const QString &taskId)
{
    int index = m_task->findData(taskId);
    if (index < 0 && !taskId.isEmpty()) {
        // A task the catalog does not know (from a newer preset): offered as is.
        m_task->addItem(taskId, taskId);
        index = m_task->count() - 1;
    }
    m_task->setCurrentIndex(std::max(0, index));
}

void ModelPicker::setEndpoint(const QString &endpoint)
{
    m_endpoint->setText(endpoint);
}

QString ModelPicker::knownTask(const QString &model) const
{
    return m_known.value(model).task;
}

QString ModelPicker::firstKnownModel(const QString &task) const
{
    for (const QStringList *list : {&m_recent, &m_curatedOrder})
        for (const QString &model : *list)
            if (knownTask(model) == task)
                return model;
    return QString();
}

QStringList ModelPicker::recentModels() const
{
    return m_recent;
}

void ModelPicker::addRecentModel(const QString &model, const QString &task)
{
    if (model.isEmpty())
        return;
    m_recent.removeAll(model);
    m_recent.prepend(model);
    while (m_recent.size() > kMaxRecent)
        m_recent.removeLast();
    Known &k = m_known[model];
    k.recent = true;
    if (!task.isEmpty())
        k.task = task;
    QSettings settings;
    settings.setValue(QLatin1String(kRecentKey), m_recent);
    QVariantMap tasks;
    for (const QString &m : std::as_const(m_recent))
        tasks.insert(m, m_known.value(m).task);
    settings.setValue(QStringLiteral("models/recentTasks"), tasks);
    rebuildModels();
}

void ModelPicker::modelEdited(const QString &text)
{
    const QString model = text.trimmed();
    m_providerBox->setContext(ChatCompletion::modelIdOf(model), task());
    QString known = knownTask(model);
    if (known.isEmpty() && model.contains(QLatin1Char(':'))) // a recent chat model, id:provider
        known = knownTask(ChatCompletion::modelIdOf(model));
    if (!known.isEmpty() && known != task())
        setTask(known);
    if (model.contains(QLatin1Char(':'))) {
        // Typed or chosen with its suffix: the combo follows at once, the box keeps the text while typing.
        const QSignalBlocker block(m_provider);
        setProvider(ChatCompletion::providerOf(model));
    }
    updateModelState();
    updateNote();
    if (const auto hub = m_completions->hubModel(ChatCompletion::modelIdOf(model)))
        Q_EMIT hubModelKnown(*hub);
    Q_EMIT modelChanged(this->model());
}

void ModelPicker::setTokenProvider(std::function<QString()> token)
{
    m_token = token;
    m_completions->setTokenProvider(std::move(token));
}

void ModelPicker::checkTypedModel()
{
    const QString id = ChatCompletion::modelIdOf(m_model->currentText().trimmed());
    // Only an id typed by hand, of the form owner/name: the lists and the Hub's rows already say.
    if (id.isEmpty() || m_known.contains(id) || m_completions->hubModel(id) || !modelProblems().isEmpty())
        return;
    m_note->checker()->setToken(m_token ? m_token() : QString(), TokenPolicy::fromSettings());
    if (m_note->checker()->check(id))
        updateNote();
}

void ModelPicker::updateNote()
{
    const QString id = ChatCompletion::modelIdOf(m_model->currentText().trimmed());
    const auto known = m_known.constFind(id);
    m_note->setVisible(!id.isEmpty());
    m_taskDescription->setVisible(id.isEmpty());
    if (id.isEmpty()) {
        m_note->showText(QString());
    } else if (known != m_known.constEnd()) {
        QString text = known->note;
        if (text.isEmpty())
            text = known->task.isEmpty() ? tr("Used recently.") : tr("%1 · used recently").arg(known->task);
        m_note->showText(text);
    } else if (const auto hub = m_completions->hubModel(id)) {
        m_note->showModel(*hub, task());
    } else if (const auto result = m_note->resultFor(id)) {
        m_note->showResult(*result, task());
    } else if (m_note->checker()->pending() == id) {
        m_note->showText(tr("Checking %1 on the Hub…").arg(id));
    } else {
        m_note->showText(
            tr("Not among your recent or suggested models: checked on the Hub when you leave the "
               "box."));
    }
}

QStringList ModelPicker::problems() const
{
    return modelProblems() + endpointProblems();
}

QStringList ModelPicker::modelProblems() const
{
    QStringList out;
    const QString model = m_model->currentText();
    static const QRegularExpression space(QStringLiteral("\\s"));
    if (model.trimmed().isEmpty())
        out << tr("Choose or type a model id, e.g. cardiffnlp/twitter-roberta-base-sentiment-latest.");
    else if (model.trimmed().contains(space))
        out << tr("The model id “%1” contains a space; a model id looks like owner/name.")
                   .arg(model.trimmed());
    else if (model.trimmed().startsWith(QLatin1Char('/')) || model.trimmed().endsWith(QLatin1Char('/')) ||
             model.count(QLatin1Char('/')) > 1)
        out << tr("The model id “%1” is not of the form owner/name.").arg(model.trimmed());
    static const QRegularExpression providerName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*$"));
    const QString provider = ChatCompletion::providerOf(this->model());
    if (!provider.isEmpty() && !providerName.match(provider).hasMatch())
        out << tr("The provider “%1” is not a provider name: choose one from the list, a policy such as "
                  "fastest, or auto.")
                   .arg(provider);
    else if (!provider.isEmpty() && !task().isEmpty() && !providerApplies())
        out << tr("A provider (:%1) only applies to chat completion; the %2 task goes to the model's own "
                  "URL. Set the provider to auto, or choose the chat-completion task.")
                   .arg(provider, task());
    return out;
}

QStringList ModelPicker::endpointProblems() const
{
    QStringList out;
    const QUrl url(endpoint(), QUrl::StrictMode);
    if (endpoint().isEmpty())
        out << tr("The endpoint is empty. Use %1 or your own server's URL.")
                   .arg(InferenceRequest::defaultEndpoint());
    else if (!url.isValid() || url.host().isEmpty() ||
             (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
        out << tr("The endpoint “%1” is not an http(s) URL.").arg(endpoint());
    else if (endpointIsRetired())
        out << tr("%1 no longer answers: press Migrate to use %2.")
                   .arg(InferenceRequest::retiredHost(), InferenceRequest::migratedEndpoint(endpoint()));
    return out;
}

bool ModelPicker::endpointIsRetired() const
{
    InferenceRequest request;
    request.endpoint = endpoint();
    return request.usesRetiredEndpoint();
}

void ModelPicker::migrateEndpoint()
{
    m_endpoint->setText(InferenceRequest::migratedEndpoint(endpoint()));
}

void ModelPicker::updateEndpointState()
{
    const bool retired = endpointIsRetired();
    if (retired)
        m_warningText->setText(
            tr("%1 no longer answers (410 Gone since late 2025). Migrate to %2.")
                .arg(InferenceRequest::retiredHost(), InferenceRequest::migratedEndpoint(endpoint())));
    m_warning->setVisible(retired);
    m_migrate->setEnabled(retired);
    const QStringList list = endpointProblems();
    m_endpoint->setToolTip(list.isEmpty()
                               ? tr("Base URL; the model id is appended. Default: the Hugging Face router.")
                               : list.first());
}

void ModelPicker::updateModelState()
{
    const QStringList list = modelProblems();
    const QString modelProblem =
        m_model->currentText().trimmed().isEmpty() || list.isEmpty() ? QString() : list.first();
    m_modelProblem->setText(modelProblem.isEmpty() ? QString() : QStringLiteral("⚠ ") + modelProblem);
    m_modelProblem->setVisible(!modelProblem.isEmpty());
}

} // namespace idesk
