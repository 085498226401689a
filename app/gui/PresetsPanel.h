#pragma once

#include "InferenceRequest.h"
#include "Preset.h"
#include "PresetStore.h"

#include <QPointer>
#include <QStringList>
#include <QWidget>
#include <memory>
#include <optional>

class QAction;
class QDragEnterEvent;
class QDropEvent;
class QMimeData;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QUndoStack;

namespace Ui {
class PresetsPanel;
}

namespace idesk {

// The presets dock: search as you type, open (double click / Enter) emits presetActivated(), rename,
// duplicate, delete with undo (an undo stack of its own), import (a preset JSON file or a Kestra flow:
// each Inference task becomes a preset, skipped tasks and unusable expressions are named) and export
// (preset JSON or a Kestra flow that never holds the token). Files that do not parse are listed with
// their parse error and path, and are deleted only after asking.
//
// The interactive slots (…Current(), …Dialog()) ask what they need and call the plain operations,
// which tests and the main window may call directly. Every outcome is a sentence in messageLabel() and
// message().
class PresetsPanel : public QWidget
{
    Q_OBJECT
public:
    enum class ExportFormat { Json, Kestra };

    // `store` is not owned.
    explicit PresetsPanel(PresetStore *store, QWidget *parent = nullptr);
    ~PresetsPanel() override;

    PresetStore *store() const { return m_store; }
    QUndoStack *undoStack() const { return m_undo; }
    QLineEdit *searchEdit() const { return m_search; }
    QListWidget *presetList() const { return m_list; }
    QListWidget *brokenList() const { return m_broken; }
    QLabel *messageLabel() const { return m_message; }
    QAction *openAction() const { return m_openAction; }
    QAction *renameAction() const { return m_renameAction; }
    QAction *duplicateAction() const { return m_duplicateAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    QAction *undoAction() const { return m_undoAction; }
    QAction *redoAction() const { return m_redoAction; }
    QAction *importAction() const { return m_importAction; }
    QAction *exportAction() const { return m_exportAction; }
    QAction *removeBrokenAction() const { return m_removeBrokenAction; }

    // Names shown in the list (after the search filter), in order.
    QStringList visibleNames() const;
    QString currentName() const;
    bool selectPreset(const QString &name);

    // Plain operations: true on success; a sentence in messageLabel() either way.
    bool openPreset(const QString &name);
    bool renamePreset(const QString &name, const QString &newName);
    // The copy's name, or nullopt.
    std::optional<QString> duplicatePreset(const QString &name);
    bool deletePreset(const QString &name);
    // The names of the presets created from `path` (empty on failure: the message says why).
    QStringList importFile(const QString &path);
    bool exportPreset(const QString &name, const QString &path, ExportFormat format);
    // Saves `request` as preset `name`; `replace` overwrites a preset of that name (else refused).
    bool saveRequest(const QString &name, const InferenceRequest &request, bool replace = false);
    // Deletes a broken preset file (no question: the interactive slot asks first).
    bool removeBrokenFile(const QString &path);

    static ExportFormat formatForPath(const QString &path);
    // The files of a drop that can be imported (.json presets, .yaml/.yml Kestra flows).
    static QStringList importableFiles(const QMimeData *mime);

public Q_SLOTS:
    void openCurrent();
    void renameCurrent();
    void duplicateCurrent();
    void deleteCurrent();
    void importDialog();
    void exportDialog();
    void removeSelectedBrokenFile();
    // Ctrl+S: asks a name (suggesting `suggestedName`), asks before replacing a preset of that name,
    // and saves. Returns the saved name, "" when cancelled or refused.
    QString promptSaveRequest(const idesk::InferenceRequest &request,
                              const QString &suggestedName = QString());

Q_SIGNALS:
    void presetActivated(const idesk::Preset &preset);
    // A request was saved as a preset (promptSaveRequest / saveRequest).
    void presetSaved(const idesk::Preset &preset);
    void message(const QString &text);

protected:
    // A preset file or a Kestra flow dropped on the panel is imported.
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void refresh();
    void updateActions();
    void setMessage(const QString &text, bool error = false);
    void onItemActivated(QListWidgetItem *item);

    std::unique_ptr<Ui::PresetsPanel> m_ui; // the layout (ui/PresetsPanel.ui)
    QPointer<PresetStore> m_store;
    QUndoStack *m_undo = nullptr;
    QLineEdit *m_search = nullptr;
    QListWidget *m_list = nullptr;
    QLabel *m_brokenTitle = nullptr;
    QListWidget *m_broken = nullptr;
    QLabel *m_message = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_renameAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_removeBrokenAction = nullptr;
    bool m_inUndo = false;
};

} // namespace idesk
