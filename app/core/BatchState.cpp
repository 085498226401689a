#include "BatchState.h"

#include "LocalFile.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("BatchState", text);
}

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}
} // namespace

QString BatchState::pathFor(const QString &output)
{
    return output + QStringLiteral(".batch-state.jsonl");
}

QString BatchState::fingerprint(const InferenceRequest &t)
{
    const QJsonObject o{{QStringLiteral("endpoint"), t.endpoint},
                        {QStringLiteral("model"), t.model},
                        {QStringLiteral("task"), t.task},
                        {QStringLiteral("route"), textGenerationRouteId(t.route)},
                        {QStringLiteral("parameters"), t.parameters},
                        {QStringLiteral("inputs"), t.inputs.isUndefined() ? QJsonValue() : t.inputs}};
    return QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(o).toJson(QJsonDocument::Compact), QCryptographicHash::Sha256)
            .toHex()
            .left(32));
}

bool BatchState::open(const QString &path, const QString &fingerprint, bool resume, QString *error)
{
    m_path = path;
    m_resumed.clear();
    m_file.close();
    const QJsonObject header{{QStringLiteral("batch_state"), 1},
                             {QStringLiteral("fingerprint"), fingerprint}};
    if (resume) {
        if (!QFileInfo::exists(path)) {
            *error = tr("There is no batch to resume: %1 does not exist. Run the batch without --resume.")
                         .arg(path);
            return false;
        }
        // The journal holds whole answers: it may be as large as the inputs' answers together.
        const auto bytes = LocalFile::read(path, LocalFile::inputCap(), error);
        if (!bytes)
            return false;
        const QList<QByteArray> lines = bytes->split('\n');
        const QJsonObject first = QJsonDocument::fromJson(lines.value(0)).object();
        if (first.value(QStringLiteral("fingerprint")).toString() != fingerprint) {
            *error = tr("%1 is the state of another batch (another model, task, endpoint or parameters). "
                        "Resume with the same options, or run without --resume to start again.")
                         .arg(path);
            return false;
        }
        for (int i = 1; i < lines.size(); ++i) {
            const auto item = BatchItemResult::fromJson(QJsonDocument::fromJson(lines.at(i)).object());
            if (item) // a torn line reads as nothing
                m_resumed.insert(item->key, *item);
        }
    }
    // Compacted: the header and the latest line per input, written whole before any append.
    QSaveFile save(path);
    QByteArray bytes = line(header);
    for (const BatchItemResult &item : std::as_const(m_resumed))
        bytes += line(item.toJson());
    if (!save.open(QIODevice::WriteOnly) || save.write(bytes) != bytes.size() || !save.commit()) {
        *error = tr("Cannot write the batch state %1: %2.").arg(path, save.errorString());
        return false;
    }
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        *error = tr("Cannot write the batch state %1: %2.").arg(path, m_file.errorString());
        return false;
    }
    return true;
}

bool BatchState::append(const BatchItemResult &result, QString *error)
{
    if (!m_file.isOpen())
        return true;
    const QByteArray bytes = line(result.toJson());
    if (m_file.write(bytes) != bytes.size() || !m_file.flush()) {
        *error = tr("Cannot write the batch state %1: %2.").arg(m_path, m_file.errorString());
        return false;
    }
    return true;
}

void BatchState::remove()
{
    m_file.close();
    if (!m_path.isEmpty())
        QFile::remove(m_path);
}

} // namespace idesk
