#include "BatchState.h"

#include "LocalFile.h"
#include "RequestCodec.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
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

QJsonObject BatchState::describe(const InferenceRequest &templ, const QList<BatchInput> &inputs)
{
    QJsonArray list;
    for (const BatchInput &input : inputs) {
        QJsonObject o{{QStringLiteral("key"), input.key}};
        if (!input.filePath.isEmpty())
            o.insert(QStringLiteral("file"), input.filePath);
        else
            o.insert(QStringLiteral("value"), input.value);
        list.append(o);
    }
    RequestCodec::FileForm file;
    file.bytes = false; // a template carries no file (each input brings its own)
    return {{QStringLiteral("template"), RequestCodec::toJson(templ, file)},
            {QStringLiteral("inputs"), list}};
}

std::optional<BatchState::Described> BatchState::read(const QString &path, QString *error)
{
    const auto bytes = LocalFile::read(path, LocalFile::inputCap(), error);
    if (!bytes)
        return std::nullopt;
    const QList<QByteArray> lines = bytes->split('\n');
    const QJsonObject batch =
        QJsonDocument::fromJson(lines.value(0)).object().value(QStringLiteral("batch")).toObject();
    const auto templ = RequestCodec::fromJson(batch.value(QStringLiteral("template")).toObject(), error);
    const QJsonArray list = batch.value(QStringLiteral("inputs")).toArray();
    if (!templ || list.isEmpty()) {
        *error = tr("%1 does not describe its batch (written by an older version, or damaged); it cannot be "
                    "resumed here.")
                     .arg(path);
        return std::nullopt;
    }
    Described d;
    d.templ = *templ;
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        d.inputs << BatchInput{o.value(QStringLiteral("key")).toString(),
                               o.value(QStringLiteral("file")).toString(), o.value(QStringLiteral("value"))};
    }
    QHash<QString, bool> results; // by key: ok
    for (int i = 1; i < lines.size(); ++i)
        if (const auto item = BatchItemResult::fromJson(QJsonDocument::fromJson(lines.at(i)).object()))
            results.insert(item->key, item->ok);
    for (const BatchInput &input : std::as_const(d.inputs)) {
        const auto it = results.constFind(input.key);
        d.finished += it != results.constEnd() ? 1 : 0;
        d.failed += it != results.constEnd() && !*it ? 1 : 0;
    }
    return d;
}

bool BatchState::open(const QString &path, const QString &fingerprint, bool resume, QString *error,
                      const QJsonObject &description)
{
    m_path = path;
    m_resumed.clear();
    m_file.close();
    QJsonObject header{{QStringLiteral("batch_state"), 1}, {QStringLiteral("fingerprint"), fingerprint}};
    if (!description.isEmpty())
        header.insert(QStringLiteral("batch"), description);
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
        if (description.isEmpty() && first.contains(QStringLiteral("batch")))
            header.insert(QStringLiteral("batch"), first.value(QStringLiteral("batch")));
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
