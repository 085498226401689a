#include "ProviderBox.h"

#include "ProviderChoice.h"
#include "ProviderHelper.h"
#include "ProviderMappingLookup.h"
#include "ServiceBases.h"

#include <QComboBox>
#include <QLabel>
#include <QVBoxLayout>

namespace idesk {

ProviderBox::ProviderBox(QWidget *parent) : QWidget(parent), m_lookup(new ProviderMappingLookup(this))
{
    m_combo = new QComboBox(this);
    m_combo->setObjectName(QStringLiteral("taskProviderCombo"));
    m_combo->setAccessibleName(tr("Inference provider"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_combo->setMinimumContentsLength(18);
    // auto first: a fresh request's choice, as the official clients default to it.
    m_combo->addItem(tr("auto"), QStringLiteral("auto"));
    m_combo->setItemData(0, tr("The first live provider the Hub lists for the model and task"),
                         Qt::ToolTipRole);
    m_combo->addItem(tr("hf-inference (the endpoint)"), QString());
    m_combo->setItemData(1, tr("Sent to the endpoint below, as every request was before providers"),
                         Qt::ToolTipRole);
    m_target = new QLabel(this);
    m_target->setObjectName(QStringLiteral("providerTarget"));
    m_target->setWordWrap(true);
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_target->setSizePolicy(QSizePolicy::Ignored,
                            QSizePolicy::Preferred); // a long URL never widens the window
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo);
    layout->addWidget(m_target);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(400);
    connect(&m_debounce, &QTimer::timeout, this, &ProviderBox::lookUpNow);
    connect(m_lookup, &ProviderMappingLookup::finished, this, &ProviderBox::fill);
    connect(m_combo, &QComboBox::currentIndexChanged, this, [this] {
        updateTarget();
        Q_EMIT providerChanged(provider());
    });
    updateTarget();
}

QString ProviderBox::provider() const
{
    return m_combo->currentData().toString();
}

void ProviderBox::setProvider(const QString &provider)
{
    int index = m_combo->findData(provider);
    if (index < 0) { // a provider from a preset or a saved result, not (yet) listed by the Hub
        m_combo->addItem(provider, provider);
        index = m_combo->count() - 1;
    }
    m_combo->setCurrentIndex(index);
}

void ProviderBox::setContext(const QString &model, const QString &task)
{
    const QString id = model.trimmed();
    if (id == m_model && task == m_task)
        return;
    if (id != m_model) { // another model's list and error no longer say anything
        m_entries.clear();
        m_error.clear();
    }
    m_model = id;
    m_task = task;
    m_debounce.start();
    updateTarget();
}

void ProviderBox::setEndpoint(const QString &endpoint)
{
    if (endpoint.trimmed() == m_endpoint)
        return;
    m_endpoint = endpoint.trimmed();
    updateTarget();
}

void ProviderBox::lookUpNow()
{
    if (m_model.isEmpty() || !isVisible()) // hidden (chat has its own): the Hub is not asked
        return;
    m_lookup->lookup(m_model);
}

void ProviderBox::fill(const QString &model, const QList<ProviderMappingEntry> &entries, const QString &error)
{
    if (model != m_model)
        return;
    m_entries = entries;
    m_error = error;
    m_listedModel = error.isEmpty() ? model : QString();
    const QString chosen = provider();
    const QSignalBlocker block(m_combo);
    while (m_combo->count() > 2)
        m_combo->removeItem(2);
    for (const ProviderMappingEntry &e : entries) {
        if (e.provider == QLatin1String("hf-inference") && e.task == m_task)
            continue; // the first item
        const bool forTask = e.task == m_task;
        m_combo->addItem(forTask ? tr("%1 (%2)").arg(e.provider, e.status)
                                 : tr("%1 (%2, for %3)").arg(e.provider, e.status, e.task),
                         e.provider);
        m_combo->setItemData(m_combo->count() - 1,
                             tr("%1 serves %2 as %3 (%4)").arg(e.provider, model, e.providerId, e.status),
                             Qt::ToolTipRole);
    }
    const int index = m_combo->findData(chosen);
    if (index >= 0)
        m_combo->setCurrentIndex(index);
    else
        setProvider(chosen);
    updateTarget();
    Q_EMIT listed();
}

void ProviderBox::updateTarget()
{
    const QString chosen = provider();
    if (chosen.isEmpty() || m_model.isEmpty()) { // the endpoint, shown below; or nothing to say yet
        m_target->clear();
        m_target->setVisible(false);
        return;
    }
    m_target->setVisible(true);
    InferenceRequest asSent; // what SendController does with "auto" and the endpoint (ProviderChoice)
    asSent.provider = chosen;
    asSent.endpoint = m_endpoint;
    asSent.task = m_task;
    const QString toEndpoint = ProviderChoice::autoSendsToEndpoint(asSent);
    if (!toEndpoint.isEmpty()) {
        m_target->setText(toEndpoint);
        m_target->setToolTip(toEndpoint);
        return;
    }
    const ProviderChoice choice = ProviderChoice::choose(m_entries, chosen, m_task, m_model);
    const ProviderHelper *helper = choice.ok() ? ProviderHelper::find(choice.entry.provider) : nullptr;
    QString text;
    if (!helper) {
        const bool read = m_listedModel == m_model; // the Hub answered for this model (maybe: nobody)
        text = !m_error.isEmpty() ? m_error
               : read             ? choice.error
               : chosen == QLatin1String("auto")
                   ? tr("auto: the first live provider the Hub lists for the model and task (not read yet)")
                   : tr("Goes through %1/%2/… (the Hub's list of providers not read yet)")
                         .arg(ServiceBases::router(), chosen);
    } else {
        InferenceRequest sample;
        sample.model = m_model;
        sample.task = m_task;
        sample.provider = choice.entry.provider;
        sample.inputs = QStringLiteral("…");
        QString error;
        const ProviderCall call{sample, choice.entry, ServiceBases::router(), ServiceBases::hub()};
        const EncodedRequest first = helper->encode(call, &error);
        text = first.url.isValid()
                   ? tr("%1 %2").arg(QString::fromLatin1(first.method), first.url.toDisplayString())
                   : tr("Goes through %1/%2/…").arg(ServiceBases::router(), choice.entry.provider);
        if (!choice.note.isEmpty())
            text += QLatin1Char('\n') + choice.note;
    }
    m_target->setText(text);
    m_target->setToolTip(text);
}

} // namespace idesk
