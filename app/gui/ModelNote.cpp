#include "ModelNote.h"

#include "ElidedLabel.h"
#include "HubModelText.h"
#include "TaskCatalog.h"

#include <QHBoxLayout>
#include <QLabel>

#include <algorithm>

namespace idesk {

ModelNote::ModelNote(QWidget *parent) : QWidget(parent), m_check(new ModelIdCheck(this))
{
    setObjectName(QStringLiteral("modelNote"));
    m_text = new ElidedLabel(this);
    m_text->setObjectName(QStringLiteral("modelNoteText"));
    m_text->setForegroundRole(QPalette::PlaceholderText);
    m_action = new QLabel(this);
    m_action->setObjectName(QStringLiteral("modelNoteAction"));
    m_action->setTextFormat(Qt::RichText);
    m_action->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_action->hide();
    connect(m_action, &QLabel::linkActivated, this, [this] {
        if (!m_offered.isEmpty())
            Q_EMIT switchTask(m_offered);
    });
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_text, 1);
    row->addWidget(m_action);
    connect(m_check, &ModelIdCheck::checked, this, [this](const ModelIdCheck::Result &r) { m_last = r; });
}

std::optional<ModelIdCheck::Result> ModelNote::resultFor(const QString &id) const
{
    if (auto kept = m_check->result(id))
        return kept;
    if (m_last && m_last->id == id)
        return m_last;
    return std::nullopt;
}

QString ModelNote::text() const
{
    return m_text->text();
}

void ModelNote::offer(const QString &task)
{
    // A short link (the note names the task): it must not widen the window.
    m_offered = task;
    m_action->setText(QStringLiteral("<a href=\"task\">%1</a>").arg(tr("switch").toHtmlEscaped()));
    m_action->setToolTip(task.isEmpty() ? QString() : tr("Switch the task to %1").arg(task));
    m_action->setAccessibleName(m_action->toolTip());
    m_action->setVisible(!task.isEmpty());
}

void ModelNote::showText(const QString &text)
{
    m_text->setText(text);
    offer(QString());
}

QString ModelNote::appTaskFor(const HubModel &model)
{
    const bool chat =
        std::any_of(model.providers.begin(), model.providers.end(),
                    [](const ProviderMappingEntry &e) { return e.task == QLatin1String("conversational"); });
    if (chat || model.task == QLatin1String("conversational"))
        return QStringLiteral("chat-completion");
    return TaskCatalog::instance().task(model.task) ? model.task : QString();
}

void ModelNote::showModel(const HubModel &model, const QString &appTask, bool offline)
{
    QStringList providerTasks;
    for (const ProviderMappingEntry &e : model.providers)
        providerTasks << e.task;
    const QString providers = HubModelText::providers(model.providers);
    const QString task = model.task.isEmpty() ? tr("no task on its card") : model.task;
    QString text = providers.isEmpty() ? tr("%1 · no inference provider serves it now").arg(task)
                                       : tr("%1 · served by %2").arg(task, providers);
    QString switchTo;
    if (!ModelIdCheck::fits(appTask, model.task, providerTasks)) {
        text = tr("A %1 model, not %2 · %3")
                   .arg(model.task, appTask,
                        providers.isEmpty() ? tr("no inference provider serves it now")
                                            : tr("served by %1").arg(providers));
        switchTo = appTaskFor(model);
    }
    if (offline)
        text += QLatin1Char(' ') + tr("(from the cache: the Hub could not be reached)");
    m_text->setText(text);
    offer(switchTo);
}

void ModelNote::showResult(const ModelIdCheck::Result &r, const QString &appTask)
{
    switch (r.outcome) {
    case ModelIdCheck::Outcome::Found:
        showModel(r.model, appTask, r.offline);
        return;
    case ModelIdCheck::Outcome::NotFound:
        showText(r.status == 404
                     ? tr("%1 is not found on the Hub — check the spelling.").arg(r.id)
                     : tr("%1 is not found on the Hub — check the spelling (a private or gated model "
                          "needs a token that may read it).")
                           .arg(r.id));
        return;
    case ModelIdCheck::Outcome::Unreachable:
        showText(tr("The Hub could not be reached to check %1 (offline?) — sending still works.").arg(r.id));
        return;
    case ModelIdCheck::Outcome::Failed:
        showText(tr("The Hub could not check %1: %2").arg(r.id, r.message));
        return;
    }
}

} // namespace idesk
