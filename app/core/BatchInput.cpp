#include "BatchInput.h"

#include "CsvTable.h"
#include "LocalFile.h"
#include "TaskCatalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QSet>
#include <QStringDecoder>

namespace idesk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("BatchInputs", text);
}

// A list of inputs is read whole: it is text, so the document cap applies.
std::optional<QString> readText(const QString &path, QString *error)
{
    const auto bytes = LocalFile::read(path, LocalFile::kDefaultDocumentCap, error,
                                       tr("Split the inputs into several files of at most 32 MiB."));
    if (!bytes)
        return std::nullopt;
    const QByteArray body = bytes->startsWith("\xEF\xBB\xBF") ? bytes->mid(3) : *bytes;
    if (!BatchInputs::isUtf8Text(body)) {
        *error = tr("%1 is not UTF-8 text; save it as UTF-8.").arg(path);
        return std::nullopt;
    }
    const QString text = QString::fromUtf8(body);
    return text;
}

// The non-blank lines of a UTF-8 text file with their numbers (1-based), CR of CRLF removed.
std::optional<QList<QPair<int, QString>>> readLines(const QString &path, QString *error)
{
    const auto text = readText(path, error);
    if (!text)
        return std::nullopt;
    QList<QPair<int, QString>> lines;
    const QStringList all = text->split(QLatin1Char('\n'));
    for (int i = 0; i < all.size(); ++i) {
        QString line = all.at(i);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (!line.trimmed().isEmpty())
            lines.append({i + 1, line});
    }
    return lines;
}
} // namespace

QString BatchInput::label() const
{
    if (!filePath.isEmpty())
        return QFileInfo(filePath).fileName();
    return BatchInputs::valueText(value);
}

namespace BatchInputs {

bool isUtf8Text(const QByteArray &bytes)
{
    if (bytes.contains('\0'))
        return false;
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    Q_UNUSED(text);
    return !decoder.hasError();
}

QString valueText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    // A number, true/false or null: as JSON writes it.
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

std::optional<QList<BatchInput>> fromDirectory(const QString &dir, QString *error)
{
    const QFileInfo info(dir);
    if (!info.isDir()) {
        *error = tr("%1 is not a folder; give a folder of input files.").arg(dir);
        return std::nullopt;
    }
    QList<BatchInput> inputs;
    const QFileInfoList files =
        QDir(dir).entryInfoList(QDir::Files | QDir::Readable, QDir::Name | QDir::IgnoreCase);
    for (const QFileInfo &file : files)
        inputs << BatchInput{file.fileName(), file.absoluteFilePath(), QJsonValue()};
    if (inputs.isEmpty()) {
        *error = tr("%1 holds no readable file; put the inputs in it.").arg(dir);
        return std::nullopt;
    }
    return inputs;
}

std::optional<QList<BatchInput>> fromLines(const QString &path, QString *error)
{
    const auto lines = readLines(path, error);
    if (!lines)
        return std::nullopt;
    QList<BatchInput> inputs;
    for (const auto &[number, line] : *lines)
        inputs << BatchInput{tr("line %1").arg(number), QString(), line};
    if (inputs.isEmpty()) {
        *error = tr("%1 has no input: write one input per line.").arg(path);
        return std::nullopt;
    }
    return inputs;
}

std::optional<QList<BatchInput>> fromCsv(const QString &path, const QString &column, QString *error)
{
    const auto text = readText(path, error);
    if (!text)
        return std::nullopt;
    CsvTable::Table table;
    QString why;
    if (!CsvTable::parse(text->toUtf8(), &table, &why)) {
        *error = tr("%1 is not valid CSV: %2").arg(path, why);
        return std::nullopt;
    }
    const int index = int(table.header.indexOf(column));
    if (index < 0) {
        *error = tr("%1 has no column \"%2\"; its columns are: %3. Name one with --column.")
                     .arg(path, column, table.header.join(QLatin1String(", ")));
        return std::nullopt;
    }
    QList<BatchInput> inputs;
    for (int r = 0; r < table.rows.size(); ++r) {
        const QStringList &row = table.rows.at(r);
        if (index >= row.size() || row.at(index).trimmed().isEmpty())
            continue;
        inputs << BatchInput{tr("row %1").arg(r + 1), QString(), row.at(index)};
    }
    if (inputs.isEmpty()) {
        *error = tr("the column \"%1\" of %2 is empty in every row.").arg(column, path);
        return std::nullopt;
    }
    return inputs;
}

std::optional<QList<BatchInput>> fromJsonl(const QString &path, QString *error)
{
    const auto lines = readLines(path, error);
    if (!lines)
        return std::nullopt;
    QList<BatchInput> inputs;
    for (const auto &[number, text] : *lines) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson("[" + text.trimmed().toUtf8() + "]", &parseError);
        if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
            *error = tr("%1, line %2 is not one JSON value (%3); write one input per line, e.g. "
                        "{\"inputs\": \"text\"} or \"text\".")
                         .arg(path)
                         .arg(number)
                         .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                           : tr("several values"));
            return std::nullopt;
        }
        QJsonValue value = doc.array().at(0);
        if (value.isObject() && value.toObject().contains(QStringLiteral("inputs")))
            value = value.toObject().value(QStringLiteral("inputs"));
        inputs << BatchInput{tr("line %1").arg(number), QString(), value};
    }
    if (inputs.isEmpty()) {
        *error = tr("%1 has no input: write one JSON value per line.").arg(path);
        return std::nullopt;
    }
    return inputs;
}

std::optional<QList<BatchInput>> fromTextFiles(const QStringList &paths, QString *error)
{
    QList<BatchInput> all;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        const QString suffix = info.suffix().toLower();
        std::optional<QList<BatchInput>> inputs;
        if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson")) {
            inputs = fromJsonl(path, error);
        } else if (suffix == QLatin1String("csv")) {
            const auto bytes = LocalFile::read(path, LocalFile::inputCap(), error);
            CsvTable::Table table;
            if (bytes && !CsvTable::parse(*bytes, &table, error))
                return std::nullopt;
            if (bytes && table.header.isEmpty()) {
                *error = tr("%1 has no header row naming its columns.").arg(path);
                return std::nullopt;
            }
            if (bytes)
                inputs = fromCsv(path, table.header.first(), error);
        } else {
            inputs = fromLines(path, error);
        }
        if (!inputs)
            return std::nullopt;
        for (BatchInput &input : *inputs)
            input.key = QStringLiteral("%1: %2").arg(info.fileName(), input.key);
        all += *inputs;
    }
    return all;
}

QList<BatchInput> fromFiles(const QStringList &paths)
{
    QList<BatchInput> inputs;
    QSet<QString> keys;
    for (const QString &path : paths) {
        QString key = QFileInfo(path).fileName();
        for (int n = 2; keys.contains(key); ++n)
            key = QStringLiteral("%1 (%2)").arg(QFileInfo(path).fileName()).arg(n);
        keys.insert(key);
        inputs << BatchInput{key, QFileInfo(path).absoluteFilePath(), QJsonValue()};
    }
    return inputs;
}

bool apply(const InferenceRequest &templ, const BatchInput &input, InferenceRequest *request, QString *error)
{
    *request = templ;
    if (input.filePath.isEmpty()) {
        request->inputs = input.value;
        request->file = InputFile();
        return true;
    }
    QString why;
    const auto bytes = LocalFile::read(input.filePath, LocalFile::inputCap(), &why);
    if (!bytes) {
        *error = why;
        return false;
    }
    const QString mime = QMimeDatabase().mimeTypeForFileNameAndData(input.filePath, *bytes).name();
    const TaskSpec *spec = TaskCatalog::instance().task(templ.task);
    const InputKind kind = spec ? spec->inputKind : InputKind::Text;
    const bool textTask = spec && (kind == InputKind::Text || kind == InputKind::TextWithLabels);
    const bool jsonTask =
        spec && (kind == InputKind::QuestionContext || kind == InputKind::SentenceSimilarity ||
                 kind == InputKind::TableQuestion || kind == InputKind::Json);
    if (spec && kind == InputKind::Chat) {
        *error = tr("the %1 task takes no input file (%2).").arg(spec->id, input.key);
        return false;
    }
    if (textTask || jsonTask || (!spec && mime.startsWith(QLatin1String("text/")))) {
        if (!BatchInputs::isUtf8Text(*bytes)) {
            *error = tr("%1 is not UTF-8 text (it looks like %2), and the %3 task takes text.")
                         .arg(input.filePath, mime, templ.task);
            return false;
        }
        if (jsonTask) {
            QJsonParseError parseError;
            const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
            if (!doc.isObject()) {
                *error = tr("%1 is not a JSON object, and the %2 task takes its input as one.")
                             .arg(input.filePath, templ.task);
                return false;
            }
            request->inputs = doc.object();
        } else {
            request->inputs = QString::fromUtf8(*bytes);
        }
        request->file = InputFile();
        return true;
    }
    if (spec && (kind == InputKind::Image || kind == InputKind::ImageWithLabels) &&
        !mime.startsWith(QLatin1String("image/"))) {
        *error =
            tr("%1 is not an image (%2), and the %3 task needs one.").arg(input.filePath, mime, spec->id);
        return false;
    }
    if (spec && kind == InputKind::Audio && !mime.startsWith(QLatin1String("audio/")) &&
        !mime.startsWith(QLatin1String("video/"))) {
        *error = tr("%1 is not an audio file (%2), and the %3 task needs one.")
                     .arg(input.filePath, mime, spec->id);
        return false;
    }
    request->file = InputFile{input.filePath, *bytes, mime};
    return true;
}

} // namespace BatchInputs
} // namespace idesk
