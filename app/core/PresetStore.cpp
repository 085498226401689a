#include "PresetStore.h"

#include "KestraFlow.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <algorithm>

namespace idesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PresetStore", text);
}

QString slug(const QString &name)
{
    QString s;
    // Cut before normalising: normalized() on 640 k characters took 15 s, and only 80 are kept.
    for (const QChar c : name.left(4 * 80).normalized(QString::NormalizationForm_KD)) {
        if (c.isLetterOrNumber() && c.unicode() < 128)
            s += c.toLower();
        else if (c == QLatin1Char('-') || c == QLatin1Char('_') || c == QLatin1Char('.'))
            s += c;
        else if (!s.endsWith(QLatin1Char('-')) && c.category() != QChar::Mark_NonSpacing)
            s += QLatin1Char('-');
    }
    while (s.startsWith(QLatin1Char('-')) || s.startsWith(QLatin1Char('.')))
        s.remove(0, 1);
    while (s.endsWith(QLatin1Char('-')) || s.endsWith(QLatin1Char('.')))
        s.chop(1);
    if (s.isEmpty())
        s = QStringLiteral("preset");
    return s.left(80);
}

} // namespace

PresetStore::PresetStore(QObject *parent) : PresetStore(defaultDirectory(), parent) {}

PresetStore::PresetStore(const QString &directory, QObject *parent) : QObject(parent), m_dir(directory)
{
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(150);
    connect(&m_reloadTimer, &QTimer::timeout, this, &PresetStore::reload);
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { m_reloadTimer.start(); });
    reload();
}

PresetStore::~PresetStore() = default;

QString PresetStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/presets");
}

void PresetStore::reload()
{
    m_presets.clear();
    m_broken.clear();
    QDir dir(m_dir);
    if (dir.exists() && !m_watcher->directories().contains(m_dir))
        m_watcher->addPath(m_dir);
    // QDir::System too: a link to a device or a FIFO named x.json is listed as broken, not skipped unseen.
    const QFileInfoList files = dir.entryInfoList(
        {QStringLiteral("*.json")}, QDir::Files | QDir::System | QDir::Readable | QDir::Hidden, QDir::Name);
    for (const QFileInfo &info : files) {
        // Read once, as a regular file under a cap (Preset::load); a refusal sets the file aside as broken.
        QString error;
        QString why;
        auto preset = Preset::load(info.absoluteFilePath(), &error, &why);
        if (!preset) {
            m_broken.append({info.absoluteFilePath(), why.isEmpty() ? error : why});
            continue;
        }
        const int clash = indexOf(preset->name);
        if (clash >= 0) {
            m_broken.append(
                {info.absoluteFilePath(),
                 tr("another preset file (%1) already uses the name '%2': change \"name\" in one of "
                    "them")
                     .arg(QDir::toNativeSeparators(m_presets.at(clash).filePath), preset->name)});
            continue;
        }
        m_presets.append(*preset);
    }
    sortPresets();
    emit changed();
}

QStringList PresetStore::names() const
{
    QStringList list;
    for (const Preset &p : m_presets)
        list << p.name;
    return list;
}

int PresetStore::indexOf(const QString &name) const
{
    const QString n = name.trimmed();
    for (int i = 0; i < m_presets.size(); ++i)
        if (m_presets.at(i).name.compare(n, Qt::CaseInsensitive) == 0)
            return i;
    return -1;
}

bool PresetStore::contains(const QString &name) const
{
    return indexOf(name) >= 0;
}

std::optional<Preset> PresetStore::preset(const QString &name) const
{
    const int i = indexOf(name);
    if (i < 0)
        return std::nullopt;
    return m_presets.at(i);
}

QList<Preset> PresetStore::search(const QString &text) const
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return m_presets;
    QList<Preset> found;
    for (const Preset &p : m_presets)
        if (p.name.contains(t, Qt::CaseInsensitive) || p.request.model.contains(t, Qt::CaseInsensitive) ||
            p.request.task.contains(t, Qt::CaseInsensitive) ||
            p.request.endpoint.contains(t, Qt::CaseInsensitive))
            found << p;
    return found;
}

QString PresetStore::uniqueName(const QString &base) const
{
    const QString b = base.trimmed().isEmpty() ? tr("Preset") : base.trimmed();
    if (!contains(b))
        return b;
    for (int i = 2;; ++i) {
        const QString candidate = QStringLiteral("%1 (%2)").arg(b).arg(i);
        if (!contains(candidate))
            return candidate;
    }
}

void PresetStore::sortPresets()
{
    std::sort(m_presets.begin(), m_presets.end(), [](const Preset &a, const Preset &b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
}

QString PresetStore::newFilePath(const QString &name) const
{
    // Never a file that exists: not another preset's, not a broken one's, not a stranger's.
    const QString base = slug(name);
    QString path = QDir(m_dir).absoluteFilePath(base + QStringLiteral(".json"));
    for (int i = 2; QFileInfo::exists(path); ++i)
        path = QDir(m_dir).absoluteFilePath(QStringLiteral("%1-%2.json").arg(base).arg(i));
    return path;
}

static bool writeSaveFile(const QString &path, const QByteArray &bytes, bool failBeforeCommit, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error =
                tr("The preset could not be written to %1 (%2); the previous version, if any, is unchanged.")
                    .arg(QDir::toNativeSeparators(path), why);
        return false;
    };
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return fail(tr("cannot create the folder"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    if (file.write(bytes) != bytes.size()) {
        const QString why = file.errorString();
        file.cancelWriting();
        return fail(why);
    }
    if (failBeforeCommit) {
        file.cancelWriting();
        return fail(tr("simulated failure before commit"));
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

bool PresetStore::writeFile(const QString &path, const QByteArray &bytes, QString *error) const
{
    return writeSaveFile(path, bytes, m_failBeforeCommit, error);
}

bool PresetStore::save(const Preset &preset, SaveMode mode, QString *error, Preset *saved)
{
    Preset p = preset;
    p.name = p.name.trimmed();
    if (p.name.isEmpty()) {
        if (error)
            *error = tr("A preset needs a name: type one and save again.");
        return false;
    }
    if (const QString tooLong = Preset::nameProblem(p.name); !tooLong.isEmpty()) {
        if (error)
            *error = tooLong;
        return false;
    }
    const QString token = p.tokenLikeValue();
    if (!token.isEmpty()) {
        if (error)
            *error = tr("Preset '%1' was not saved: %2 looks like a Hugging Face token (hf_...). Presets "
                        "never hold "
                        "the token; remove it from %2 (the app adds the token when it sends).")
                         .arg(p.name, token);
        return false;
    }
    const int existing = indexOf(p.name);
    if (existing >= 0 && mode == SaveMode::CreateOnly) {
        if (error)
            *error = tr("A preset named '%1' already exists: choose another name (e.g. '%2') or replace it.")
                         .arg(m_presets.at(existing).name, uniqueName(p.name));
        return false;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (existing >= 0) {
        const Preset &old = m_presets.at(existing);
        p.filePath = old.filePath;
        p.created = old.created.isValid() ? old.created : now;
    } else {
        p.filePath = newFilePath(p.name);
        if (!p.created.isValid())
            p.created = now;
    }
    p.modified = now;
    if (!writeFile(p.filePath, p.toJsonBytes(), error))
        return false;
    if (existing >= 0)
        m_presets[existing] = p;
    else
        m_presets.append(p);
    sortPresets();
    if (!m_watcher->directories().contains(m_dir))
        m_watcher->addPath(m_dir);
    if (saved)
        *saved = p;
    emit changed();
    return true;
}

bool PresetStore::rename(const QString &name, const QString &newName, QString *error)
{
    const int i = indexOf(name);
    if (i < 0) {
        if (error)
            *error = tr("There is no preset named '%1': check the name with `presets list`.").arg(name);
        return false;
    }
    const QString target = newName.trimmed();
    if (target.isEmpty()) {
        if (error)
            *error = tr("The new name is empty: type a name.");
        return false;
    }
    if (const QString tooLong = Preset::nameProblem(target); !tooLong.isEmpty()) {
        if (error)
            *error = tooLong;
        return false;
    }
    const int clash = indexOf(target);
    if (clash >= 0 && clash != i) {
        if (error)
            *error =
                tr("A preset named '%1' already exists: choose another name.").arg(m_presets.at(clash).name);
        return false;
    }
    Preset p = m_presets.at(i);
    p.name = target;
    p.modified = QDateTime::currentDateTimeUtc();
    // Same file, new content: the file name need not follow the name.
    if (!writeFile(p.filePath, p.toJsonBytes(), error))
        return false;
    m_presets[i] = p;
    sortPresets();
    emit changed();
    return true;
}

std::optional<Preset> PresetStore::duplicate(const QString &name, const QString &newName, QString *error)
{
    const int i = indexOf(name);
    if (i < 0) {
        if (error)
            *error = tr("There is no preset named '%1': check the name with `presets list`.").arg(name);
        return std::nullopt;
    }
    Preset copy = m_presets.at(i);
    copy.name = newName.trimmed().isEmpty() ? uniqueName(tr("%1 copy").arg(copy.name)) : newName.trimmed();
    copy.filePath.clear();
    copy.created = QDateTime();
    Preset saved;
    if (!save(copy, SaveMode::CreateOnly, error, &saved))
        return std::nullopt;
    return saved;
}

bool PresetStore::remove(const QString &name, QString *error)
{
    const int i = indexOf(name);
    if (i < 0) {
        if (error)
            *error = tr("There is no preset named '%1': check the name with `presets list`.").arg(name);
        return false;
    }
    const Preset p = m_presets.at(i);
    QFile f(p.filePath);
    if (f.exists() && !f.remove()) {
        if (error)
            *error = tr("Preset '%1' could not be deleted (%2): check the permissions of %3.")
                         .arg(p.name, f.errorString(), QDir::toNativeSeparators(p.filePath));
        return false;
    }
    m_presets.removeAt(i);
    m_undo = p;
    emit changed();
    return true;
}

bool PresetStore::undoRemove(QString *error)
{
    if (!m_undo) {
        if (error)
            *error = tr("Nothing to undo.");
        return false;
    }
    Preset p = *m_undo;
    if (contains(p.name)) {
        if (error)
            *error = tr("A preset named '%1' exists again: rename it first, then undo.").arg(p.name);
        return false;
    }
    if (p.filePath.isEmpty() || QFileInfo::exists(p.filePath))
        p.filePath = newFilePath(p.name);
    if (!writeFile(p.filePath, p.toJsonBytes(), error))
        return false;
    m_presets.append(p);
    sortPresets();
    m_undo.reset();
    emit changed();
    return true;
}

bool PresetStore::removeBrokenFile(const QString &path, QString *error)
{
    for (int i = 0; i < m_broken.size(); ++i) {
        if (m_broken.at(i).path != QFileInfo(path).absoluteFilePath())
            continue;
        QFile f(m_broken.at(i).path);
        if (f.exists() && !f.remove()) {
            if (error)
                *error =
                    tr("%1 could not be deleted (%2).").arg(QDir::toNativeSeparators(path), f.errorString());
            return false;
        }
        m_broken.removeAt(i);
        emit changed();
        return true;
    }
    if (error)
        *error = tr("%1 is not a broken preset file of %2.")
                     .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(m_dir));
    return false;
}

std::optional<QList<Preset>> PresetStore::readImport(const QString &path, QStringList *notes, QString *error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("yaml") || suffix == QLatin1String("yml")) {
        const auto flow = KestraFlow::load(path, {}, error);
        if (!flow)
            return std::nullopt;
        QList<Preset> list;
        for (const KestraTask &t : flow->tasks) {
            list << Preset::fromKestraTask(t);
            if (notes)
                *notes << t.notes;
        }
        if (notes)
            for (const KestraSkippedTask &s : flow->skipped)
                *notes << tr("Skipped task '%1' (%2): %3.").arg(s.id, s.type, s.reason);
        return list;
    }
    const auto p = Preset::load(path, error);
    if (!p)
        return std::nullopt;
    Preset imported = *p;
    imported.filePath.clear();
    return QList<Preset>{imported};
}

bool PresetStore::exportFile(const Preset &preset, const QString &path, QString *error)
{
    const QString token = preset.tokenLikeValue();
    if (!token.isEmpty()) {
        if (error)
            *error = tr("Preset '%1' was not exported: %2 looks like a Hugging Face token (hf_...); remove "
                        "it first.")
                         .arg(preset.name, token);
        return false;
    }
    Preset p = preset;
    p.filePath.clear();
    return writeSaveFile(path, p.toJsonBytes(), false, error);
}

} // namespace idesk
