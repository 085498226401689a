#pragma once

#include "Preset.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <optional>

class QFileSystemWatcher;

namespace idesk {

// The presets on disk: one JSON file per preset in directory() (by default
// QStandardPaths::AppDataLocation/presets; the app and the CLI share it because both set the
// organization and application names to "inference-desk"). Files are written with QSaveFile, so a crash
// mid-write leaves the old file whole. A file that does not parse is listed in brokenFiles() with its
// parse error and path, and is never deleted or overwritten unless removeBrokenFile() is called after
// asking the person. Names are unique (case-insensitive): saving never silently shares a name.
// External changes to the folder are picked up (QFileSystemWatcher) and announced by changed().
class PresetStore : public QObject
{
    Q_OBJECT
public:
    struct BrokenFile
    {
        QString path;  // absolute path of the file
        QString error; // the parse error (or why it cannot be used), a sentence
    };

    enum class SaveMode {
        CreateOnly, // fails when a preset with that name exists
        Replace     // replaces the preset with that name (same file), or creates it
    };

    explicit PresetStore(QObject *parent = nullptr); // defaultDirectory()
    explicit PresetStore(const QString &directory, QObject *parent = nullptr);
    ~PresetStore() override;

    static QString defaultDirectory();
    QString directory() const { return m_dir; }

    // Rescans the folder (the constructors do it once). Emits changed().
    void reload();

    QList<Preset> presets() const { return m_presets; } // sorted by name, case-insensitive
    QStringList names() const;
    QList<BrokenFile> brokenFiles() const { return m_broken; }
    bool contains(const QString &name) const;
    std::optional<Preset> preset(const QString &name) const; // case-insensitive
    // Presets whose name, model, task or endpoint contains `text` (case-insensitive); all for "".
    QList<Preset> search(const QString &text) const;
    // `base` if free, else "base (2)", "base (3)"...
    QString uniqueName(const QString &base) const;

    // Writes the preset (sets modified; keeps created). On success *saved holds it as stored (filePath).
    // Fails, with a sentence in *error, for an empty name, a name taken (CreateOnly), something that
    // looks like a token in it, or a write error (the previous file then stays as it was).
    bool save(const Preset &preset, SaveMode mode = SaveMode::CreateOnly, QString *error = nullptr,
              Preset *saved = nullptr);
    bool rename(const QString &name, const QString &newName, QString *error = nullptr);
    // A copy under `newName` (default: uniqueName("<name> copy")).
    std::optional<Preset> duplicate(const QString &name, const QString &newName = QString(),
                                    QString *error = nullptr);
    // Deletes the preset's file; the preset is kept in memory so that undoRemove() can put it back.
    bool remove(const QString &name, QString *error = nullptr);
    bool canUndoRemove() const { return m_undo.has_value(); }
    QString undoRemoveName() const { return m_undo ? m_undo->name : QString(); }
    bool undoRemove(QString *error = nullptr);
    // Deletes a broken file: only after the person said so.
    bool removeBrokenFile(const QString &path, QString *error = nullptr);

    // What a file to import holds, not yet saved: a preset file (.json) gives one preset, a Kestra flow
    // (.yaml/.yml) one preset per Inference task (named after the task; notes list skipped tasks and
    // the flow's notes). Callers pick names (uniqueName) and save.
    static std::optional<QList<Preset>> readImport(const QString &path, QStringList *notes = nullptr,
                                                   QString *error = nullptr);
    // Writes a preset file anywhere (export), with QSaveFile.
    static bool exportFile(const Preset &preset, const QString &path, QString *error = nullptr);

    // Test hook: the next writes fail just before QSaveFile::commit() (nothing on disk changes).
    void setFailBeforeCommitForTesting(bool fail) { m_failBeforeCommit = fail; }

Q_SIGNALS:
    void changed();

private:
    bool writeFile(const QString &path, const QByteArray &bytes, QString *error) const;
    QString newFilePath(const QString &name) const;
    int indexOf(const QString &name) const;
    void sortPresets();

    QString m_dir;
    QList<Preset> m_presets;
    QList<BrokenFile> m_broken;
    std::optional<Preset> m_undo;
    bool m_failBeforeCommit = false;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer m_reloadTimer;
};

} // namespace idesk
