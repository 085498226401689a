#include "HistoryDock.h"

#include <QScrollArea>

#include "HistoryCompareDialog.h"
#include "HistoryListModel.h"
#include "HistoryRecorder.h"
#include "HistoryText.h"
#include "MainWindow.h"
#include "PresetStore.h"
#include "PresetsController.h"
#include "ResultView.h"
#include "Scrub.h"
#include "TaskCatalog.h"
#include "ui_HistoryDock.h"

#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

namespace idesk {

HistoryDock::HistoryDock(MainWindow *window, const QString &path)
    : QDockWidget(tr("History"), window), m_window(window), m_store(std::make_unique<HistoryStore>(path))
{
    setObjectName(QStringLiteral("historyDock"));
    setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea | Qt::BottomDockWidgetArea);
    // The dock never sets the window's width: its filters and buttons scroll sideways when it is narrow
    // (its row of buttons alone wants ~600 px, which made a 1400 px window 1532 px wide).
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_scroll->setMinimumWidth(200);
    setWidget(m_scroll);
    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(60); // as you type, without a query per keystroke of a fast typist
    connect(m_searchDelay, &QTimer::timeout, this, &HistoryDock::refresh);

    m_recorder = new HistoryRecorder(path, this);
    m_recorder->setSizeCap(HistoryStore::sizeCapInSettings());
    connect(m_recorder, &HistoryRecorder::recorded, this, [this] {
        if (m_ui) // else the list is read when the dock is first seen
            refresh();
    });
    connect(m_recorder, &HistoryRecorder::message, this, &HistoryDock::showMessage);
    connect(window, &MainWindow::requestFinished, this, &HistoryDock::recordFinished);

    window->addDockWidget(Qt::RightDockWidgetArea, this);
    // A tab beside the presets (one dock column, not two), so the window keeps fitting 1024 px.
    PresetsController *presetsController = window->presetsController();
    if (QDockWidget *presets = presetsController ? presetsController->presetsDock() : nullptr) {
        window->tabifyDockWidget(presets, this);
        presets->raise();
    }
    // MainWindow restored its layout before this dock existed: restore it again so it comes back where it
    // was.
    const QByteArray state = QSettings().value(QStringLiteral("window/state")).toByteArray();
    if (!state.isEmpty())
        window->restoreState(state);

    // The list is read when the dock is first seen (it starts as a tab behind Presets): opening SQLite and
    // reading the newest entries need not delay the window's first paint.
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && !m_listed)
            refresh();
    });
}

Ui::HistoryDock *HistoryDock::ui()
{
    if (!m_ui)
        buildForm();
    return m_ui.get();
}

// The form is built when it is first needed: the dock starts as a tab behind Presets, and its filters,
// list and buttons need not delay the window's first paint.
void HistoryDock::buildForm()
{
    m_ui = std::make_unique<Ui::HistoryDock>();
    auto *content = new QWidget;
    m_ui->setupUi(content);

    m_ui->taskFilter->addItem(tr("Any task"), QString());
    for (const QString &id : TaskCatalog::instance().taskIds())
        m_ui->taskFilter->addItem(id, id);
    const struct
    {
        QToolButton *button;
        QString text;
        QString tip;
    } buttons[] = {
        {m_ui->openButton, tr("Open"),
         tr("Put the request back into the editors and the answer into the result view")},
        {m_ui->rerunButton, tr("Re-run"), tr("Open the request and send it again")},
        {m_ui->pinButton, tr("Pin"), tr("Pinned entries are never pruned by the size limit")},
        {m_ui->compareButton, tr("Compare"),
         tr("Two selected answers side by side, with their JSON difference")},
        {m_ui->presetButton, tr("Save as preset…"), tr("Keep the request as a preset")},
        {m_ui->saveResultButton, tr("Save result…"), tr("Write the request and its answer to a result file")},
        {m_ui->deleteButton, tr("Delete"), tr("Delete the selected entries")},
        {m_ui->clearButton, tr("Clear…"), tr("Delete every entry (pinned ones too, if you say so)")},
    };
    for (const auto &b : buttons) {
        b.button->setText(b.text);
        b.button->setToolTip(b.tip);
        b.button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b.button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    }
    m_model = new HistoryListModel(this);
    m_ui->list->setModel(m_model);
    // What a person scans first comes first: when, what was asked and answered, how it went; then which
    // model.
    QHeaderView *header = m_ui->list->header();
    header->setStretchLastSection(false);
    header->setMinimumSectionSize(24);
    header->moveSection(HistoryListModel::SnippetColumn, HistoryListModel::ModelColumn);
    header->moveSection(header->visualIndex(HistoryListModel::StatusColumn), 2);
    header->moveSection(header->visualIndex(HistoryListModel::MsColumn), 3);
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    header->resizeSection(HistoryListModel::TimeColumn, 7 * em);
    header->resizeSection(HistoryListModel::SnippetColumn, 18 * em);
    header->resizeSection(HistoryListModel::StatusColumn, 4 * em);
    header->resizeSection(HistoryListModel::MsColumn, 4 * em);
    header->resizeSection(HistoryListModel::ModelColumn, 14 * em);
    header->resizeSection(HistoryListModel::TaskColumn, 10 * em);

    connect(m_ui->search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    for (QComboBox *box : {m_ui->taskFilter, m_ui->statusFilter, m_ui->dateFilter})
        connect(box, &QComboBox::currentIndexChanged, this, &HistoryDock::refresh);
    connect(m_ui->list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HistoryDock::updateActions);
    connect(m_ui->list, &QTreeView::activated, this, &HistoryDock::openCurrent);
    connect(m_ui->openButton, &QToolButton::clicked, this, &HistoryDock::openCurrent);
    connect(m_ui->rerunButton, &QToolButton::clicked, this, [this] {
        const QList<qint64> ids = selectedIds();
        if (ids.size() == 1)
            rerunEntry(ids.first());
    });
    connect(m_ui->pinButton, &QToolButton::clicked, this, [this] {
        const QList<qint64> ids = selectedIds();
        const auto first = ids.isEmpty() ? std::nullopt : m_store->entry(ids.first());
        for (const qint64 id : ids)
            pinEntry(id, first && !first->pinned);
    });
    connect(m_ui->deleteButton, &QToolButton::clicked, this, [this] {
        for (const qint64 id : selectedIds())
            deleteEntry(id);
    });
    connect(m_ui->clearButton, &QToolButton::clicked, this, &HistoryDock::clearAsked);
    connect(m_ui->presetButton, &QToolButton::clicked, this, &HistoryDock::presetCurrent);
    connect(m_ui->saveResultButton, &QToolButton::clicked, this, &HistoryDock::saveResultCurrent);
    connect(m_ui->compareButton, &QToolButton::clicked, this, &HistoryDock::compareSelected);

    m_ui->keepHistory->setChecked(m_recorder->isEnabled());
    connect(m_ui->keepHistory, &QCheckBox::toggled, this, [this](bool on) {
        m_recorder->setEnabled(on);
        HistoryStore::setEnabledInSettings(on);
        showMessage(on ? tr("New requests are kept in the history.")
                       : tr("New requests are not kept; the entries already here stay."));
    });
    m_ui->message->setText(m_message);
    m_scroll->setWidget(content);
    updateActions();
}

bool HistoryDock::storeReady()
{
    if (m_store->isOpen())
        return true;
    if (m_openTried)
        return m_store->open();
    m_openTried = true; // the first attempt says what it found; later ones quietly try again
    QString error;
    if (!m_store->open(&error)) {
        showMessage(error);
        return false;
    }
    if (!m_store->notice().isEmpty())
        showMessage(m_store->notice());
    return true;
}

HistoryDock::~HistoryDock() = default;

QString HistoryDock::message() const
{
    return m_message;
}

void HistoryDock::showMessage(const QString &text)
{
    m_message = Scrub::forDisplay(text);
    if (m_ui)
        m_ui->message->setText(m_message);
}

void HistoryDock::recordFinished(const InferenceResult &result)
{
    // The request that produced the answer: the result view was just given both.
    m_recorder->record(m_window->resultView()->request(), result, QStringLiteral("app"));
}

void HistoryDock::refresh()
{
    ui(); // a list needs its form
    if (!storeReady())
        return;
    m_listed = true;
    HistoryQuery query;
    query.text = m_ui->search->text();
    query.task = m_ui->taskFilter->currentData().toString();
    query.status = HistoryQuery::Status(m_ui->statusFilter->currentIndex());
    const int days[] = {0, 1, 7, 30};
    const int back = days[qBound(0, m_ui->dateFilter->currentIndex(), 3)];
    if (back == 1)
        query.from = QDateTime(QDate::currentDate(), QTime(0, 0));
    else if (back > 1)
        query.from = QDateTime::currentDateTimeUtc().addDays(-back);
    QString error;
    m_entries = m_store->list(query, &error);
    if (!error.isEmpty())
        showMessage(error);

    const QList<qint64> selected = selectedIds();
    m_model->setEntries(m_entries);
    for (const qint64 id : selected)
        selectEntry(id, true);
    updateActions();
    Q_EMIT refreshed();
}

QList<qint64> HistoryDock::selectedIds() const
{
    if (!m_ui)
        return {};
    QList<qint64> ids;
    for (const QModelIndex &index : m_ui->list->selectionModel()->selectedRows())
        ids.append(index.data(HistoryListModel::IdRole).toLongLong());
    return ids;
}

bool HistoryDock::selectEntry(qint64 id, bool add)
{
    ui();
    QItemSelectionModel *selection = m_ui->list->selectionModel();
    if (!add)
        selection->clearSelection();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        if (index.data(HistoryListModel::IdRole).toLongLong() == id) {
            selection->setCurrentIndex(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
            return true;
        }
    }
    return false;
}

void HistoryDock::updateActions()
{
    if (!m_ui)
        return;
    const int n = int(selectedIds().size());
    for (QToolButton *b : {m_ui->openButton, m_ui->rerunButton, m_ui->presetButton, m_ui->saveResultButton})
        b->setEnabled(n == 1);
    m_ui->pinButton->setEnabled(n >= 1);
    m_ui->deleteButton->setEnabled(n >= 1);
    m_ui->compareButton->setEnabled(n == 2);
    m_ui->clearButton->setEnabled(!m_entries.isEmpty());
}

std::optional<SavedResult> HistoryDock::loadOrSay(qint64 id)
{
    if (!storeReady())
        return std::nullopt;
    QString error;
    auto saved = m_store->load(id, &error);
    if (!saved)
        showMessage(error);
    return saved;
}

bool HistoryDock::openEntry(qint64 id)
{
    const auto saved = loadOrSay(id);
    if (!saved)
        return false;
    m_window->setRequest(saved->request);
    m_window->resultView()->setResult(saved->request, saved->result);
    showMessage(tr("Opened the request of %1.")
                    .arg(QLocale().toString(saved->savedAt.toLocalTime(), QLocale::ShortFormat)));
    return true;
}

bool HistoryDock::rerunEntry(qint64 id)
{
    if (m_window->isBusy()) {
        showMessage(tr("A request is running; cancel it (Esc) or wait, then re-run."));
        return false;
    }
    if (!openEntry(id))
        return false;
    m_window->send();
    return true;
}

bool HistoryDock::pinEntry(qint64 id, bool pinned)
{
    if (!storeReady())
        return false;
    QString error;
    if (!m_store->setPinned(id, pinned, &error)) {
        showMessage(error);
        return false;
    }
    showMessage(pinned ? tr("Pinned: the size limit never removes it.") : tr("Unpinned."));
    refresh();
    return true;
}

bool HistoryDock::deleteEntry(qint64 id)
{
    if (!storeReady())
        return false;
    QString error;
    if (!m_store->remove(id, &error)) {
        showMessage(error);
        return false;
    }
    showMessage(tr("Deleted."));
    refresh();
    return true;
}

bool HistoryDock::clearHistory(bool keepPinned)
{
    if (!storeReady())
        return false;
    QString error;
    if (!m_store->clear(keepPinned, &error)) {
        showMessage(error);
        return false;
    }
    showMessage(keepPinned ? tr("Cleared; the pinned entries stay.") : tr("Cleared."));
    refresh();
    return true;
}

PresetStore &HistoryDock::presetStore(std::unique_ptr<PresetStore> &own) const
{
    if (PresetsController *controller = m_window->presetsController()) {
        if (PresetStore *store = controller->presetStore())
            return *store;
    }
    own = std::make_unique<PresetStore>();
    return *own;
}

bool HistoryDock::saveAsPreset(qint64 id, const QString &name)
{
    const auto saved = loadOrSay(id);
    if (!saved)
        return false;
    std::unique_ptr<PresetStore> own;
    PresetStore &presets = presetStore(own);
    QString error;
    if (!presets.save(Preset::fromRequest(name, saved->request), PresetStore::SaveMode::CreateOnly, &error)) {
        showMessage(error);
        return false;
    }
    showMessage(tr("Saved as preset “%1”.").arg(name));
    return true;
}

bool HistoryDock::saveResult(qint64 id, const QString &path)
{
    const auto saved = loadOrSay(id);
    QString error;
    if (!saved)
        return false;
    if (!saved->save(path, &error)) {
        showMessage(error);
        return false;
    }
    showMessage(tr("Saved %1.").arg(path));
    return true;
}

HistoryCompareDialog *HistoryDock::compareEntries(qint64 left, qint64 right)
{
    const auto a = loadOrSay(left);
    const auto b = a ? loadOrSay(right) : std::nullopt;
    if (!a || !b)
        return nullptr;
    auto title = [](const SavedResult &s) {
        return QStringLiteral("%1 · %2 · %3")
            .arg(QLocale().toString(s.savedAt.toLocalTime(), QLocale::ShortFormat), s.request.model,
                 s.result.status > 0 ? QString::number(s.result.status) : s.result.errorMessage);
    };
    auto *dialog = new HistoryCompareDialog(*a, title(*a), *b, title(*b), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    return dialog;
}

void HistoryDock::openCurrent()
{
    const QList<qint64> ids = selectedIds();
    if (ids.size() == 1)
        openEntry(ids.first());
}

void HistoryDock::presetCurrent()
{
    const QList<qint64> ids = selectedIds();
    const auto e = ids.size() == 1 ? m_store->entry(ids.first()) : std::nullopt;
    if (!e)
        return;
    std::unique_ptr<PresetStore> own;
    PresetStore &presets = presetStore(own);
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Save as preset"), tr("Preset name:"), QLineEdit::Normal,
                              presets.uniqueName(e->model.section(QLatin1Char('/'), -1)), &ok);
    if (ok && !name.trimmed().isEmpty())
        saveAsPreset(e->id, name.trimmed());
}

void HistoryDock::saveResultCurrent()
{
    const QList<qint64> ids = selectedIds();
    if (ids.size() != 1)
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save result"), QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
        tr("Results (*.json);;All files (*)"));
    if (!path.isEmpty())
        saveResult(ids.first(), path);
}

void HistoryDock::clearAsked()
{
    QMessageBox box(QMessageBox::Question, tr("Clear history"),
                    tr("Delete every entry of the history? This cannot be undone."), QMessageBox::NoButton,
                    this);
    QPushButton *unpinned = box.addButton(tr("Delete all but pinned"), QMessageBox::AcceptRole);
    QPushButton *all = box.addButton(tr("Delete all"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(unpinned);
    box.exec();
    if (box.clickedButton() == unpinned)
        clearHistory(true);
    else if (box.clickedButton() == all)
        clearHistory(false);
}

void HistoryDock::compareSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.size() != 2)
        return;
    if (HistoryCompareDialog *dialog = compareEntries(ids.at(1), ids.at(0))) // older on the left
        dialog->show();
}

} // namespace idesk
