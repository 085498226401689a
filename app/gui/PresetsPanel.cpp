#include "PresetsPanel.h"

#include "KestraExport.h"
#include "KestraFlow.h"
#include "PresetItemDelegate.h"
#include "PresetStore.h"
#include "PresetUndoCommand.h"
#include "ui_PresetsPanel.h"

#include <QAction>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUndoStack>

namespace idesk {

namespace {

constexpr int NameRole = Qt::UserRole;
constexpr int PathRole = Qt::UserRole + 1;

using KestraExport::flowIdFor;

} // namespace

PresetsPanel::PresetsPanel(PresetStore *store, QWidget *parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::PresetsPanel>()), m_store(store),
      m_undo(new QUndoStack(this))
{
    setAcceptDrops(true);
    m_ui->setupUi(this); // the layout: ui/PresetsPanel.ui
    m_search = m_ui->presetSearch;
    m_list = m_ui->presetList;
    m_list->setItemDelegate(new PresetItemDelegate(m_list));
    m_brokenTitle = m_ui->brokenTitle;
    m_broken = m_ui->brokenPresetList;
    m_message = m_ui->presetMessage;

    m_openAction = new QAction(tr("&Open"), this);
    m_openAction->setToolTip(tr("Load the preset into the editors (double click or Enter)"));
    m_renameAction = new QAction(tr("&Rename..."), this);
    m_renameAction->setShortcut(QKeySequence(Qt::Key_F2));
    m_renameAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_duplicateAction = new QAction(tr("D&uplicate"), this);
    m_deleteAction = new QAction(tr("&Delete"), this);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_deleteAction->setToolTip(tr("Delete the preset (Undo brings it back)"));
    m_undoAction = m_undo->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_undoAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_redoAction = m_undo->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcut(QKeySequence::Redo);
    m_redoAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_importAction = new QAction(tr("&Import..."), this);
    m_importAction->setToolTip(tr("Import a preset file (.idpreset, .json) or a Kestra flow (.yaml)"));
    m_exportAction = new QAction(tr("&Export..."), this);
    m_exportAction->setToolTip(
        tr("Export the preset as a Kestra flow (.yaml) or an Inference Desk preset (.idpreset)"));
    m_removeBrokenAction = new QAction(tr("Delete this &file..."), this);

    // Above the list: what concerns the whole collection; below it: what concerns the selected preset.
    m_ui->importButton->setDefaultAction(m_importAction);
    m_ui->exportButton->setDefaultAction(m_exportAction);
    m_ui->undoButton->setDefaultAction(m_undoAction);
    m_ui->openButton->setDefaultAction(m_openAction);
    m_ui->renameButton->setDefaultAction(m_renameAction);
    m_ui->duplicateButton->setDefaultAction(m_duplicateAction);
    m_ui->deleteButton->setDefaultAction(m_deleteAction);

    for (QAction *a : {m_openAction, m_renameAction, m_duplicateAction, m_deleteAction, m_exportAction})
        m_list->addAction(a);
    addAction(m_renameAction);
    addAction(m_deleteAction);
    addAction(m_undoAction);
    addAction(m_redoAction);
    m_broken->addAction(m_removeBrokenAction);

    connect(m_openAction, &QAction::triggered, this, &PresetsPanel::openCurrent);
    connect(m_renameAction, &QAction::triggered, this, &PresetsPanel::renameCurrent);
    connect(m_duplicateAction, &QAction::triggered, this, &PresetsPanel::duplicateCurrent);
    connect(m_deleteAction, &QAction::triggered, this, &PresetsPanel::deleteCurrent);
    connect(m_importAction, &QAction::triggered, this, &PresetsPanel::importDialog);
    connect(m_exportAction, &QAction::triggered, this, &PresetsPanel::exportDialog);
    connect(m_removeBrokenAction, &QAction::triggered, this, &PresetsPanel::removeSelectedBrokenFile);
    connect(m_list, &QListWidget::itemActivated, this, &PresetsPanel::onItemActivated);
    connect(m_list, &QListWidget::currentItemChanged, this, &PresetsPanel::updateActions);
    connect(m_broken, &QListWidget::currentItemChanged, this, &PresetsPanel::updateActions);
    connect(m_search, &QLineEdit::textChanged, this, &PresetsPanel::refresh);
    connect(m_search, &QLineEdit::returnPressed, this, [this]() {
        if (!m_list->currentItem() && m_list->count() > 0)
            m_list->setCurrentRow(0);
        openCurrent();
    });
    if (m_store)
        connect(m_store, &PresetStore::changed, this, &PresetsPanel::refresh);
    refresh();
}

PresetsPanel::~PresetsPanel() = default;

void PresetsPanel::setMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
    Q_EMIT message(text);
}

void PresetsPanel::refresh()
{
    const QString keep = currentName();
    m_list->clear();
    m_broken->clear();
    if (!m_store) {
        updateActions();
        return;
    }
    const QList<Preset> found = m_store->search(m_search->text());
    for (const Preset &p : found) {
        const QString detail = p.request.task.isEmpty()
                                   ? p.request.model
                                   : QStringLiteral("%1 · %2").arg(p.request.model, p.request.task);
        auto *item = new QListWidgetItem(p.name, m_list);
        item->setData(PresetItemDelegate::DetailRole, detail);
        item->setData(NameRole, p.name);
        item->setData(PathRole, p.filePath);
        item->setToolTip(tr("%1\nModel: %2\nTask: %3\nEndpoint: %4\nFile: %5")
                             .arg(p.name, p.request.model,
                                  p.request.task.isEmpty() ? tr("(generic)") : p.request.task,
                                  p.request.endpoint, QDir::toNativeSeparators(p.filePath)));
    }
    if (found.isEmpty()) {
        auto *item = new QListWidgetItem(
            m_store->presets().isEmpty() ? tr("No presets yet: Ctrl+S saves the current request, Import "
                                              "reads a preset file or a Kestra flow.")
                                         : tr("No preset matches \"%1\".").arg(m_search->text().trimmed()),
            m_list);
        item->setFlags(Qt::NoItemFlags);
    }
    const QList<PresetStore::BrokenFile> broken = m_store->brokenFiles();
    for (const PresetStore::BrokenFile &b : broken) {
        auto *item = new QListWidgetItem(tr("%1: %2").arg(QFileInfo(b.path).fileName(), b.error), m_broken);
        item->setData(PathRole, b.path);
        item->setToolTip(tr("%1\n%2").arg(QDir::toNativeSeparators(b.path), b.error));
    }
    m_brokenTitle->setVisible(!broken.isEmpty());
    m_broken->setVisible(!broken.isEmpty());
    if (!keep.isEmpty())
        selectPreset(keep);
    updateActions();
}

void PresetsPanel::updateActions()
{
    const bool has = !currentName().isEmpty();
    for (QAction *a : {m_openAction, m_renameAction, m_duplicateAction, m_deleteAction, m_exportAction})
        a->setEnabled(has);
    m_importAction->setEnabled(m_store);
    m_removeBrokenAction->setEnabled(m_broken->currentItem() != nullptr);
}

QStringList PresetsPanel::visibleNames() const
{
    QStringList names;
    for (int i = 0; i < m_list->count(); ++i) {
        const QString name = m_list->item(i)->data(NameRole).toString();
        if (!name.isEmpty())
            names << name;
    }
    return names;
}

QString PresetsPanel::currentName() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(NameRole).toString() : QString();
}

bool PresetsPanel::selectPreset(const QString &name)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(NameRole).toString().compare(name, Qt::CaseInsensitive) == 0) {
            m_list->setCurrentRow(i);
            return true;
        }
    }
    return false;
}

void PresetsPanel::onItemActivated(QListWidgetItem *item)
{
    if (item)
        openPreset(item->data(NameRole).toString());
}

bool PresetsPanel::openPreset(const QString &name)
{
    const auto p = m_store ? m_store->preset(name) : std::nullopt;
    if (!p) {
        setMessage(tr("There is no preset named '%1' any more: pick another one.").arg(name), true);
        return false;
    }
    setMessage(tr("Opened '%1'.").arg(p->name));
    Q_EMIT presetActivated(*p);
    return true;
}

void PresetsPanel::openCurrent()
{
    const QString name = currentName();
    if (name.isEmpty()) {
        setMessage(tr("Select a preset to open first."), true);
        return;
    }
    openPreset(name);
}

bool PresetsPanel::renamePreset(const QString &name, const QString &newName)
{
    if (!m_store)
        return false;
    const auto p = m_store->preset(name);
    const QString oldName = p ? p->name : name;
    const QString target = newName.trimmed();
    QString error;
    if (!m_store->rename(oldName, target, &error)) {
        setMessage(error, true);
        return false;
    }
    const auto renamed = [this](const QString &from, const QString &to) {
        QString e;
        if (!m_store || !m_store->rename(from, to, &e)) {
            setMessage(e, true);
            return false;
        }
        selectPreset(to);
        return true;
    };
    m_undo->push(new PresetUndoCommand(
        tr("Rename '%1'").arg(oldName), [=]() { return renamed(target, oldName); },
        [=]() { return renamed(oldName, target); }));
    selectPreset(target);
    setMessage(tr("Renamed '%1' to '%2'.").arg(oldName, target));
    return true;
}

void PresetsPanel::renameCurrent()
{
    const QString name = currentName();
    if (name.isEmpty()) {
        setMessage(tr("Select a preset to rename first."), true);
        return;
    }
    bool ok = false;
    const QString newName = QInputDialog::getText(
        this, tr("Rename preset"), tr("New name for '%1':").arg(name), QLineEdit::Normal, name, &ok);
    if (!ok || newName.trimmed() == name)
        return;
    renamePreset(name, newName);
}

std::optional<QString> PresetsPanel::duplicatePreset(const QString &name)
{
    if (!m_store)
        return std::nullopt;
    QString error;
    const auto copy = m_store->duplicate(name, QString(), &error);
    if (!copy) {
        setMessage(error, true);
        return std::nullopt;
    }
    const QString copyName = copy->name;
    m_undo->push(new PresetUndoCommand(
        tr("Duplicate '%1'").arg(name),
        [this, copyName]() {
            QString e;
            if (!m_store || !m_store->remove(copyName, &e)) {
                setMessage(e, true);
                return false;
            }
            return true;
        },
        [this, name, copyName]() {
            QString e;
            if (!m_store || !m_store->duplicate(name, copyName, &e)) {
                setMessage(e, true);
                return false;
            }
            return true;
        }));
    selectPreset(copyName);
    setMessage(tr("Duplicated '%1' as '%2'.").arg(name, copyName));
    return copyName;
}

void PresetsPanel::duplicateCurrent()
{
    const QString name = currentName();
    if (name.isEmpty()) {
        setMessage(tr("Select a preset to duplicate first."), true);
        return;
    }
    duplicatePreset(name);
}

bool PresetsPanel::deletePreset(const QString &name)
{
    if (!m_store)
        return false;
    const auto p = m_store->preset(name);
    QString error;
    if (!p || !m_store->remove(name, &error)) {
        setMessage(p ? error : tr("There is no preset named '%1' any more.").arg(name), true);
        return false;
    }
    const Preset kept = *p;
    const auto restore = [this, kept]() {
        QString e;
        bool ok = false;
        if (m_store && m_store->canUndoRemove() &&
            m_store->undoRemoveName().compare(kept.name, Qt::CaseInsensitive) == 0)
            ok = m_store->undoRemove(&e);
        else if (m_store)
            ok = m_store->save(kept, PresetStore::SaveMode::CreateOnly, &e);
        if (!ok) {
            setMessage(tr("'%1' could not be brought back: %2").arg(kept.name, e), true);
            return false;
        }
        selectPreset(kept.name);
        setMessage(tr("'%1' is back.").arg(kept.name));
        return true;
    };
    const auto removeAgain = [this, kept]() {
        QString e;
        if (!m_store || !m_store->remove(kept.name, &e)) {
            setMessage(e, true);
            return false;
        }
        return true;
    };
    m_undo->push(new PresetUndoCommand(tr("Delete '%1'").arg(kept.name), restore, removeAgain));
    setMessage(tr("Deleted '%1'. Undo (Ctrl+Z) brings it back.").arg(kept.name));
    return true;
}

void PresetsPanel::deleteCurrent()
{
    const QString name = currentName();
    if (name.isEmpty()) {
        setMessage(tr("Select a preset to delete first."), true);
        return;
    }
    const int row = m_list->currentRow();
    if (deletePreset(name) && m_list->count() > 0)
        m_list->setCurrentRow(qMin(row, m_list->count() - 1));
}

QStringList PresetsPanel::importFile(const QString &path)
{
    if (!m_store)
        return {};
    QStringList notes;
    QString error;
    const auto presets = PresetStore::readImport(path, &notes, &error);
    const QString fileName = QFileInfo(path).fileName();
    if (!presets) {
        setMessage(tr("Nothing was imported from %1. %2").arg(fileName, error), true);
        return {};
    }
    QStringList imported;
    QStringList failures;
    for (Preset p : *presets) {
        p.name = m_store->uniqueName(p.name);
        Preset saved;
        if (m_store->save(p, PresetStore::SaveMode::CreateOnly, &error, &saved))
            imported << saved.name;
        else
            failures << error;
    }
    QString text;
    if (imported.isEmpty())
        text = tr("No preset was imported from %1: it holds no io.kestra.plugin.huggingface.Inference task, "
                  "nor a core HTTP Request task posting a chat to Hugging Face.")
                   .arg(fileName);
    else
        text = imported.size() == 1
                   ? tr("Imported 1 preset from %1: %2.").arg(fileName, imported.constFirst())
                   : tr("Imported %1 presets from %2: %3.")
                         .arg(QString::number(imported.size()), fileName, imported.join(QLatin1String(", ")));
    for (const QString &n : qAsConst(notes))
        text += QLatin1Char('\n') + n;
    for (const QString &f : qAsConst(failures))
        text += QLatin1Char('\n') + f;
    setMessage(text, imported.isEmpty() || !failures.isEmpty());
    if (!imported.isEmpty()) {
        m_search->clear();
        selectPreset(imported.constFirst());
    }
    return imported;
}

void PresetsPanel::importDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import a preset or a Kestra flow"),
        QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
        tr("Presets and Kestra flows (*.idpreset *.json *.yaml *.yml);;Kestra flows "
           "(*.yaml *.yml);;Inference Desk presets (*.idpreset *.json);;All "
           "files (*)"));
    if (!path.isEmpty())
        importFile(path);
}

PresetsPanel::ExportFormat PresetsPanel::formatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("json") || suffix == QLatin1String("idpreset") ? ExportFormat::Json
                                                                                  : ExportFormat::Kestra;
}

bool PresetsPanel::exportPreset(const QString &name, const QString &path, ExportFormat format)
{
    const auto p = m_store ? m_store->preset(name) : std::nullopt;
    if (!p) {
        setMessage(tr("There is no preset named '%1' to export.").arg(name), true);
        return false;
    }
    QString error;
    if (format == ExportFormat::Json) {
        if (!PresetStore::exportFile(*p, path, &error)) {
            setMessage(error, true);
            return false;
        }
        setMessage(tr("Exported '%1' to %2.").arg(p->name, QDir::toNativeSeparators(path)));
        return true;
    }
    QStringList notes;
    const auto yaml = KestraExport::presetFlow(*p, path, &error, &notes); // the exporter the CLI uses too
    if (!yaml) {
        setMessage(error, true);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml->toUtf8()) < 0 || !file.commit()) {
        setMessage(tr("The flow could not be written to %1 (%2): choose another folder.")
                       .arg(QDir::toNativeSeparators(path), file.errorString()),
                   true);
        return false;
    }
    notes.prepend(tr("Exported '%1' as a Kestra flow to %2. Kestra reads the token from the secret "
                     "HUGGINGFACE_API_KEY.")
                      .arg(p->name, QDir::toNativeSeparators(path)));
    setMessage(notes.join(QLatin1Char(' ')));
    return true;
}

void PresetsPanel::exportDialog()
{
    const QString name = currentName();
    if (name.isEmpty()) {
        setMessage(tr("Select a preset to export first."), true);
        return;
    }
    const QString suggested =
        QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
            .filePath((flowIdFor(name).isEmpty() ? QStringLiteral("preset") : flowIdFor(name)) +
                      QStringLiteral(".yaml"));
    QString filter = tr("Kestra flow (*.yaml *.yml)");
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export '%1'").arg(name), suggested,
        tr("Kestra flow (*.yaml *.yml);;Inference Desk preset (*.idpreset)"), &filter);
    if (path.isEmpty())
        return;
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty())
        target += filter.contains(QLatin1String("idpreset")) ? QStringLiteral(".idpreset")
                                                             : QStringLiteral(".yaml");
    exportPreset(name, target, formatForPath(target));
}

bool PresetsPanel::saveRequest(const QString &name, const InferenceRequest &request, bool replace)
{
    if (!m_store)
        return false;
    QString error;
    Preset saved;
    const Preset preset = Preset::fromRequest(name.trimmed(), request);
    if (!m_store->save(preset, replace ? PresetStore::SaveMode::Replace : PresetStore::SaveMode::CreateOnly,
                       &error, &saved)) {
        setMessage(error, true);
        return false;
    }
    m_search->clear();
    selectPreset(saved.name);
    setMessage(tr("Saved the request as '%1'.").arg(saved.name));
    Q_EMIT presetSaved(saved);
    return true;
}

QString PresetsPanel::promptSaveRequest(const InferenceRequest &request, const QString &suggestedName)
{
    if (!m_store)
        return {};
    QString suggestion = suggestedName;
    if (suggestion.isEmpty())
        suggestion = m_store->uniqueName(request.model.section(QLatin1Char('/'), -1));
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save as preset"), tr("Preset name:"),
                                               QLineEdit::Normal, suggestion, &ok)
                             .trimmed();
    if (!ok)
        return {};
    if (name.isEmpty()) {
        setMessage(tr("A preset needs a name: press Ctrl+S again and type one."), true);
        return {};
    }
    bool replace = false;
    if (const auto existing = m_store->preset(name)) {
        const auto answer = QMessageBox::question(
            this, tr("Replace preset?"),
            tr("A preset named '%1' already exists. Replace it with the current request?")
                .arg(existing->name),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            setMessage(tr("Not saved: '%1' was kept. Save under another name.").arg(existing->name));
            return {};
        }
        replace = true;
    }
    return saveRequest(name, request, replace) ? currentName() : QString();
}

bool PresetsPanel::removeBrokenFile(const QString &path)
{
    QString error;
    if (!m_store || !m_store->removeBrokenFile(path, &error)) {
        setMessage(error, true);
        return false;
    }
    setMessage(tr("Deleted %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

void PresetsPanel::removeSelectedBrokenFile()
{
    const QListWidgetItem *item = m_broken->currentItem();
    if (!item) {
        setMessage(tr("Select a broken file first."), true);
        return;
    }
    const QString path = item->data(PathRole).toString();
    const auto answer = QMessageBox::warning(
        this, tr("Delete the file?"),
        tr("%1 could not be read as a preset:\n%2\n\nDelete this file for good? (It cannot be undone; you "
           "may "
           "want to repair it in a text editor instead.)")
            .arg(QDir::toNativeSeparators(path), item->toolTip().section(QLatin1Char('\n'), 1)),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer == QMessageBox::Yes)
        removeBrokenFile(path);
}

QStringList PresetsPanel::importableFiles(const QMimeData *mime)
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix == QLatin1String("json") || suffix == QLatin1String("yaml") ||
            suffix == QLatin1String("yml"))
            files << path;
    }
    return files;
}

void PresetsPanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_store && !importableFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
    else
        QWidget::dragEnterEvent(event);
}

void PresetsPanel::dropEvent(QDropEvent *event)
{
    const QStringList files = importableFiles(event->mimeData());
    if (!m_store || files.isEmpty()) {
        QWidget::dropEvent(event);
        return;
    }
    event->acceptProposedAction();
    QStringList messages;
    for (const QString &path : files) {
        importFile(path);
        messages << m_message->text();
    }
    if (files.size() > 1)
        setMessage(messages.join(QLatin1Char('\n')));
}

} // namespace idesk
