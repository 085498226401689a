#include "ModelCompletions.h"

#include "ChatCompletion.h"
#include "HubModelText.h"
#include "HubSearch.h"
#include "ModelIdCheck.h"
#include "TokenPolicy.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QLineEdit>
#include <QRegularExpression>
#include <QStandardItemModel>

#include <algorithm>

namespace idesk {

namespace {
const int kHubRows = 10;
const int kMinSearchChars = 2;

QStringList providerTasks(const HubModel &model)
{
    QStringList out;
    for (const ProviderMappingEntry &e : model.providers)
        out << e.task;
    return out;
}
} // namespace

ModelCompletions::ModelCompletions(QLineEdit *edit, QObject *parent)
    : QObject(parent), m_edit(edit), m_rows(new QStandardItemModel(this)), m_search(new HubSearch(this))
{
    m_completer = new QCompleter(m_rows, this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setMaxVisibleItems(14);
    // On the line edit itself, not the combo: the Hub's rows are not items of the combo.
    edit->setCompleter(m_completer);

    m_search->setAutoRetry(false); // a person typing again is the retry
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(350);
    connect(&m_debounce, &QTimer::timeout, this, &ModelCompletions::searchNow);
    connect(edit, &QLineEdit::textEdited, this, [this] { m_debounce.start(); });
    connect(m_search, &HubSearch::pageReady, this, &ModelCompletions::onPage);
    connect(m_search, &HubSearch::failed, this, [this](const QString &message, bool unreachable) {
        Q_EMIT hubProblem(unreachable ? tr("The Hub could not be reached, so only recent and curated models "
                                           "are offered.")
                                      : tr("The Hub's search failed (%1); recent and curated models are "
                                           "still offered.")
                                            .arg(message));
    });
    // Typing again is the retry here (no automatic one): the Hub's own sentence says when.
    connect(m_search, &HubSearch::rateLimited, this,
            [this](int, const QString &message) { Q_EMIT hubProblem(message); });
}

void ModelCompletions::setCache(const HubCache &cache)
{
    m_search->fetcher()->setCache(cache);
}

void ModelCompletions::setLocal(const QList<Local> &local)
{
    m_local = local;
    rebuild();
}

void ModelCompletions::setTask(const QString &task)
{
    if (task == m_task)
        return;
    m_task = task;
    m_search->cancel();
    m_hub.clear();
    m_searched.clear();
    rebuild();
}

std::optional<HubModel> ModelCompletions::hubModel(const QString &id) const
{
    for (const HubModel &m : m_hub)
        if (m.id == id)
            return m;
    return std::nullopt;
}

void ModelCompletions::searchNow()
{
    static const QRegularExpression space(QStringLiteral("\\s"));
    const QString text = ChatCompletion::modelIdOf(m_edit->text().trimmed());
    if (text.size() < kMinSearchChars || text.contains(space) || text == m_searched || hubModel(text))
        return;
    for (const Local &l : std::as_const(m_local))
        if (l.id == text) // a whole id from the lists: nothing to look for
            return;
    HubSearchQuery query;
    query.text = text;
    query.task = ModelIdCheck::hubTaskFor(m_task);
    query.limit = kHubRows;
    m_search->setToken(m_token ? m_token() : QString(), TokenPolicy::fromSettings());
    m_search->search(query);
}

void ModelCompletions::onPage(const HubSearchPage &page)
{
    if (!page.first)
        return;
    m_searched = m_search->query().text;
    m_hub.clear();
    for (const HubModel &m : page.models) {
        const bool listed =
            std::any_of(m_local.begin(), m_local.end(), [&m](const Local &l) { return l.id == m.id; });
        if (!listed && ModelIdCheck::fits(m_task, m.task, providerTasks(m)))
            m_hub << m;
    }
    rebuild();
    if (page.offline)
        Q_EMIT hubProblem(tr("Offline: the Hub's models offered are from an earlier search."));
    if (m_edit->hasFocus() && !m_edit->text().trimmed().isEmpty()) {
        m_completer->setCompletionPrefix(ChatCompletion::modelIdOf(m_edit->text().trimmed()));
        m_completer->complete();
    }
    Q_EMIT hubRowsShown(m_searched);
}

void ModelCompletions::rebuild()
{
    m_rows->clear();
    for (const Local &l : std::as_const(m_local)) {
        auto *item = new QStandardItem(l.id);
        item->setToolTip(l.tip);
        m_rows->appendRow(item);
    }
    for (const HubModel &m : std::as_const(m_hub)) {
        auto *item = new QStandardItem(m.id);
        const QString providers = HubModelText::providers(m.providers);
        QString tip = m.task.isEmpty() ? tr("From the Hub") : tr("From the Hub · %1").arg(m.task);
        if (!providers.isEmpty())
            tip += QLatin1Char('\n') + tr("Served by %1").arg(providers);
        item->setToolTip(tip);
        m_rows->appendRow(item);
    }
}

} // namespace idesk
