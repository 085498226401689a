#pragma once

#include "HistoryEntry.h"
#include "HistoryStore.h"
#include "SavedResult.h"

#include <QDockWidget>
#include <QList>
#include <memory>
#include <optional>

class QScrollArea;
class QTimer;

namespace Ui {
class HistoryDock;
}

namespace idesk {

class HistoryListModel;
class HistoryRecorder;
class MainWindow;
class PresetStore;

// The History dock: every exchange of the window is recorded (HistoryRecorder, on a thread of its own) and
// listed newest first with its time, model, task, status, latency and a snippet of input and answer.
// Search as you type (HistoryStore's full-text index) with filters for task, status and date. Open puts
// the request back into the editors and the answer into the result view; re-run opens and sends; pin,
// delete, clear; save as a preset or a saved-result file; compare two entries side by side
// (HistoryCompareDialog). Layout in ui/HistoryDock.ui.
//
// The plain operations (openEntry(), pinEntry()...) are what the buttons call, for tests too; every
// outcome is a sentence in message().
class HistoryDock : public QDockWidget
{
    Q_OBJECT
public:
    // Adds itself to `window` (right dock area) and records what the window sends into `path`.
    explicit HistoryDock(MainWindow *window, const QString &path = HistoryStore::defaultPath());
    ~HistoryDock() override;

    HistoryRecorder *recorder() const { return m_recorder; }
    HistoryStore *store() const { return m_store.get(); }
    HistoryListModel *model() const { return m_model; }
    // The dock's form, built at the first call (or when the dock is first seen).
    Ui::HistoryDock *ui();
    QString message() const;

    // The entries listed now (after search and filters), newest first.
    QList<HistoryEntry> visibleEntries() const { return m_entries; }
    QList<qint64> selectedIds() const;
    bool selectEntry(qint64 id, bool add = false);

    // Reads the list again (search text and filters as they are).
    void refresh();
    bool openEntry(qint64 id);
    bool rerunEntry(qint64 id);
    bool pinEntry(qint64 id, bool pinned);
    bool deleteEntry(qint64 id);
    bool clearHistory(bool keepPinned);
    bool saveAsPreset(qint64 id, const QString &name);
    bool saveResult(qint64 id, const QString &path);
    // The dialog with both answers and their JSON difference (not shown; the caller shows or inspects it).
    class HistoryCompareDialog *compareEntries(qint64 left, qint64 right);

Q_SIGNALS:
    // After the list was read again (a search, a filter, a new entry).
    void refreshed();

private:
    void buildForm();
    void showMessage(const QString &text);
    // Opens the UI thread's connection at its first use; false (and the reason shown) when it cannot.
    bool storeReady();
    void updateActions();
    std::optional<SavedResult> loadOrSay(qint64 id);
    void recordFinished(const InferenceResult &result);
    // The interactive forms of the operations (ask, then call the plain ones).
    void openCurrent();
    void presetCurrent();
    void saveResultCurrent();
    void clearAsked();
    void compareSelected();

    std::unique_ptr<Ui::HistoryDock> m_ui;
    // The presets folder the window's Presets dock shows (a window without one: the default folder, in
    // `own`).
    PresetStore &presetStore(std::unique_ptr<PresetStore> &own) const;
    MainWindow *m_window = nullptr;
    HistoryRecorder *m_recorder = nullptr;
    std::unique_ptr<HistoryStore> m_store; // the UI thread's own connection, for reading
    QTimer *m_searchDelay = nullptr;
    QScrollArea *m_scroll = nullptr;
    QString m_message; // shown by the form, kept while the form is not built
    HistoryListModel *m_model = nullptr;
    QList<HistoryEntry> m_entries;
    bool m_openTried = false;
    bool m_listed = false; // the list was read at least once
};

} // namespace idesk
