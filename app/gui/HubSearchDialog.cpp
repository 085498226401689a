#include "HubSearchDialog.h"

#include "ui_HubSearch.h"

#include "ChatCompletion.h"
#include "HubModelText.h"
#include "ModelDetails.h"
#include "TaskCatalog.h"
#include "TokenPolicy.h"

#include <QHeaderView>
#include <QJsonObject>
#include <QScrollBar>

#include <QTreeWidgetItem>
#include <algorithm>

namespace idesk {

namespace {
constexpr int kPageSize = 30;
const char kUnserved[] = "*all-models*";

QString html(const QString &text)
{
    return text.toHtmlEscaped();
}

QString row(const QString &name, const QString &value)
{
    return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(html(name), value);
}
} // namespace

HubSearchDialog::HubSearchDialog(QWidget *parent)
    : QDialog(parent), m_ui(new Ui::HubSearchDialog), m_search(new HubSearch(this)),
      m_details(new ModelDetails(this))
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("hubSearchDialog"));

    m_ui->taskCombo->addItem(tr("Any task"), QString());
    for (const QString &id : TaskCatalog::instance().taskIds()) {
        if (id != QLatin1String("chat-completion"))
            m_ui->taskCombo->addItem(id, id);
    }
    m_ui->taskCombo->addItem(QStringLiteral("image-text-to-text"), QStringLiteral("image-text-to-text"));
    m_ui->providerCombo->addItem(tr("Served by any provider"), QString());
    m_ui->providerCombo->addItem(tr("All models"), QString::fromLatin1(kUnserved));
    QStringList providers = ChatCompletion::knownProviders();
    providers << QStringLiteral("fal-ai") << QStringLiteral("replicate");
    providers.sort();
    providers.removeDuplicates();
    for (const QString &p : providers)
        m_ui->providerCombo->addItem(tr("Served by %1").arg(p), p);
    m_ui->sortCombo->addItem(tr("Trending"), QStringLiteral("trending"));
    m_ui->sortCombo->addItem(tr("Most downloads"), QStringLiteral("downloads"));
    m_ui->sortCombo->addItem(tr("Most likes"), QStringLiteral("likes"));
    m_ui->sortCombo->addItem(tr("Recently updated"), QStringLiteral("updated"));

    QHeaderView *header = m_ui->resultsTree->header();
    header->setStretchLastSection(true);
    const QList<int> widths{260, 130, 75, 55, 85, 110};
    for (int c = 0; c < widths.size(); ++c)
        header->resizeSection(c, widths.at(c));
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);
    m_ui->splitter->setSizes({620, 380});
    m_ui->useButton->setEnabled(false);
    m_ui->tryButton->setEnabled(false);
    m_ui->exampleCombo->setVisible(false);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(300);
    connect(&m_debounce, &QTimer::timeout, this, &HubSearchDialog::runSearch);
    connect(m_ui->searchEdit, &QLineEdit::textEdited, this, &HubSearchDialog::queryEdited);
    for (QComboBox *combo : {m_ui->taskCombo, m_ui->providerCombo, m_ui->sortCombo})
        connect(combo, qOverload<int>(&QComboBox::activated), this, &HubSearchDialog::queryEdited);
    connect(m_search, &HubSearch::pageReady, this, &HubSearchDialog::showPage);
    connect(m_search, &HubSearch::rateLimited, this,
            [this](int, const QString &message) { m_ui->statusLabel->setText(message); });
    connect(m_search, &HubSearch::failed, this, [this](const QString &message, bool unreachable) {
        m_ui->statusLabel->setText(unreachable ? tr("Offline: %1").arg(message) : message);
    });
    connect(m_ui->resultsTree->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &HubSearchDialog::maybeFetchMore);
    connect(m_ui->resultsTree, &QTreeWidget::currentItemChanged, this, &HubSearchDialog::selectionChanged);
    connect(m_ui->resultsTree, &QTreeWidget::itemActivated, this, [this] { choose(false); });
    connect(m_details, &ModelDetails::ready, this, [this](const HubModel &model, bool) {
        const HubModel *selected = selectedModel();
        if (selected && selected->id == model.id)
            showDetails(model, true);
    });
    connect(m_details, &ModelDetails::failed, this, [this](const QString &message, bool) {
        m_ui->detailsView->append(QStringLiteral("<p><i>%1</i></p>").arg(html(message)));
    });
    connect(m_ui->useButton, &QPushButton::clicked, this, [this] { choose(false); });
    connect(m_ui->tryButton, &QPushButton::clicked, this, [this] { choose(true); });
}

HubSearchDialog::~HubSearchDialog()
{
    delete m_ui;
}

void HubSearchDialog::setToken(const QString &token, const TokenPolicy &policy)
{
    m_search->setToken(token, policy);
    m_details->setToken(token, policy);
}

void HubSearchDialog::setCache(const HubCache &cache)
{
    m_search->fetcher()->setCache(cache);
    m_details->setCache(cache);
}

QLineEdit *HubSearchDialog::searchEdit() const
{
    return m_ui->searchEdit;
}
QTreeWidget *HubSearchDialog::resultsTree() const
{
    return m_ui->resultsTree;
}
QComboBox *HubSearchDialog::taskCombo() const
{
    return m_ui->taskCombo;
}
QComboBox *HubSearchDialog::providerCombo() const
{
    return m_ui->providerCombo;
}
QComboBox *HubSearchDialog::sortCombo() const
{
    return m_ui->sortCombo;
}
QLabel *HubSearchDialog::statusLabel() const
{
    return m_ui->statusLabel;
}
QTextBrowser *HubSearchDialog::detailsView() const
{
    return m_ui->detailsView;
}
QComboBox *HubSearchDialog::exampleCombo() const
{
    return m_ui->exampleCombo;
}
QPushButton *HubSearchDialog::useButton() const
{
    return m_ui->useButton;
}
QPushButton *HubSearchDialog::tryButton() const
{
    return m_ui->tryButton;
}

void HubSearchDialog::start(const QString &text)
{
    if (!text.isEmpty())
        m_ui->searchEdit->setText(text);
    show();
    raise();
    activateWindow();
    m_ui->searchEdit->setFocus();
    m_ui->searchEdit->selectAll();
    runSearch();
}

HubSearchQuery HubSearchDialog::currentQuery() const
{
    HubSearchQuery query;
    query.text = m_ui->searchEdit->text().trimmed();
    query.task = m_ui->taskCombo->currentData().toString();
    const QString provider = m_ui->providerCombo->currentData().toString();
    query.includeUnserved = provider == QLatin1String(kUnserved);
    query.provider = query.includeUnserved ? QString() : provider;
    query.sort = m_ui->sortCombo->currentData().toString();
    query.limit = kPageSize;
    return query;
}

void HubSearchDialog::queryEdited()
{
    // An answer the cache holds costs no request: shown at once. Otherwise one request per pause.
    if (m_search->fetcher()->hasFresh(currentQuery().url())) {
        m_debounce.stop();
        runSearch();
        return;
    }
    m_debounce.start();
}

void HubSearchDialog::runSearch()
{
    m_debounce.stop();
    const HubSearchQuery query = currentQuery();
    m_ui->statusLabel->setText(tr("Searching…"));
    m_search->search(query);
}

void HubSearchDialog::showPage(const HubSearchPage &page)
{
    QTreeWidget *tree = m_ui->resultsTree;
    if (page.first) {
        tree->clear();
        m_models.clear();
    }
    tree->setUpdatesEnabled(false);
    for (const HubModel &m : page.models) {
        auto *item = new QTreeWidgetItem(tree);
        item->setData(0, Qt::UserRole, int(m_models.size()));
        m_models.append(m);
        const QStringList texts{m.id,
                                m.task,
                                HubModelText::compactCount(m.downloads),
                                HubModelText::compactCount(m.likes),
                                HubModelText::day(m.lastModified),
                                HubModelText::gatedOrLicense(m),
                                HubModelText::providers(m.providers)};
        for (int c = 0; c < texts.size(); ++c) {
            item->setText(c, texts.at(c));
            item->setToolTip(c, texts.at(c));
        }
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(3, Qt::AlignRight | Qt::AlignVCenter);
    }
    tree->setUpdatesEnabled(true);
    QString status = tr("%n model(s)", nullptr, int(m_models.size())) +
                     (page.more ? tr(" (more load as you scroll)") : QString());
    if (page.offline)
        status = tr("Offline: the Hub could not be reached; these answers were cached %1 ago.")
                     .arg(HubModelText::age(page.cacheAgeSeconds)) +
                 QLatin1Char(' ') + status;
    if (m_models.isEmpty())
        status = currentQuery().includeUnserved
                     ? tr("No model matches.")
                     : tr("No model a provider serves matches; choose \"All models\" to see every model.");
    m_ui->statusLabel->setText(status);
    Q_EMIT resultsShown(int(m_models.size()));
    // The list does not fill the view yet (no scroll bar to pull): the next page at once.
    const int rowHeight = tree->topLevelItemCount() > 0 ? tree->sizeHintForRow(0) : 0;
    if (page.more && isVisible() && rowHeight > 0 &&
        tree->topLevelItemCount() * rowHeight < tree->viewport()->height())
        m_search->fetchMore();
}

void HubSearchDialog::maybeFetchMore()
{
    QScrollBar *bar = m_ui->resultsTree->verticalScrollBar();
    if (m_search->hasMore() && bar->value() >= bar->maximum() - 3)
        m_search->fetchMore();
}

const HubModel *HubSearchDialog::selectedModel() const
{
    const QTreeWidgetItem *item = m_ui->resultsTree->currentItem();
    if (!item)
        return nullptr;
    const int index = item->data(0, Qt::UserRole).toInt();
    return index >= 0 && index < m_models.size() ? &m_models.at(index) : nullptr;
}

void HubSearchDialog::selectionChanged()
{
    const HubModel *model = selectedModel();
    m_ui->useButton->setEnabled(model != nullptr);
    if (!model) {
        m_ui->detailsView->clear();
        m_ui->tryButton->setEnabled(false);
        return;
    }
    showDetails(*model, false);
    m_details->fetch(model->id);
}

void HubSearchDialog::showDetails(const HubModel &model, bool complete)
{
    m_shown = model;
    QString text = QStringLiteral("<h3>%1</h3>").arg(html(model.id));
    if (!model.summary.isEmpty())
        text += QStringLiteral("<p>%1</p>").arg(html(model.summary));
    text += QStringLiteral("<table cellspacing=4>");
    text += row(tr("Task"), html(model.task.isEmpty() ? tr("not told") : model.task));
    if (complete) {
        text += row(tr("Library"), html(model.library));
        text += row(tr("Languages"), html(model.languages.join(QStringLiteral(", "))));
    }
    text += row(tr("Licence"), html(model.license));
    text += row(tr("Gated"), html(model.gatedText().isEmpty() ? tr("no") : model.gatedText()));
    text += QStringLiteral("</table>");
    text += QStringLiteral("<p><b>%1</b></p><ul>").arg(html(tr("Providers")));
    if (model.providers.isEmpty())
        text += QStringLiteral("<li>%1</li>").arg(html(tr("No Inference Provider serves this model.")));
    for (const ProviderMappingEntry &e : model.providers)
        text += QStringLiteral("<li>%1 — %2, %3</li>").arg(html(e.provider), html(e.status), html(e.task));
    text += QStringLiteral("</ul>");
    if (!model.offers.isEmpty()) {
        text += QStringLiteral("<p><b>%1</b></p><table cellspacing=4>")
                    .arg(html(tr("Chat offers (USD per million tokens in / out)")));
        for (const RouterOffer &o : model.offers)
            text += row(o.provider, html(HubModelText::offerSummary(o)));
        text += QStringLiteral("</table>");
    }
    if (!complete)
        text += QStringLiteral("<p><i>%1</i></p>").arg(html(tr("Loading the model's details…")));
    m_ui->detailsView->setHtml(text);

    m_ui->exampleCombo->clear();
    for (const QJsonValue &v : model.examples) {
        const QJsonObject example = v.toObject();
        const QString input = HubModel::exampleText(example);
        if (input.isEmpty())
            continue;
        const QString title = example.value(QStringLiteral("example_title")).toString();
        m_ui->exampleCombo->addItem(
            HubModelText::elide(
                (title.isEmpty() ? QString() : title + QStringLiteral(": ")) + input.simplified(), 80),
            input);
    }
    m_ui->exampleCombo->setVisible(m_ui->exampleCombo->count() > 0);
    m_ui->tryButton->setEnabled(m_ui->exampleCombo->count() > 0);
}

HubSearchDialog::Choice HubSearchDialog::choiceFor(const HubModel &model, const QString &preferredProvider)
{
    Choice choice;
    const bool chat =
        ModelDetails::isChatModel(model) &&
        std::any_of(model.providers.begin(), model.providers.end(),
                    [](const ProviderMappingEntry &e) { return e.task == QLatin1String("conversational"); });
    choice.task = chat ? QStringLiteral("chat-completion") : model.task;
    const QString providerTask = chat ? QStringLiteral("conversational") : model.task;
    const QList<ProviderMappingEntry> live = ProviderMapping::serving(model.providers, providerTask);
    for (const ProviderMappingEntry &e : live) {
        if (e.provider == preferredProvider)
            choice.provider = e.provider;
    }
    if (choice.provider.isEmpty() && !live.isEmpty())
        choice.provider = live.first().provider;
    return choice;
}

void HubSearchDialog::choose(bool withExample)
{
    const HubModel *model = selectedModel();
    if (!model)
        return;
    const HubModel &source = m_shown.id == model->id ? m_shown : *model;
    const Choice choice = choiceFor(source, currentQuery().provider);
    const QString input = withExample ? m_ui->exampleCombo->currentData().toString() : QString();
    Q_EMIT modelChosen(source.id, choice.task, choice.provider, input);
}

} // namespace idesk
