#include "BatchExport.h"

#include "CsvTable.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSaveFile>

namespace idesk::BatchExport {

namespace {
QString cell(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 6);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}
} // namespace

bool formatFromName(const QString &name, Format *format)
{
    if (name == QLatin1String("jsonl"))
        *format = Format::Jsonl;
    else if (name == QLatin1String("csv"))
        *format = Format::Csv;
    else
        return false;
    return true;
}

QByteArray jsonlLine(const BatchItemResult &result)
{
    return QJsonDocument(result.toJson()).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray csvHeader(const QString &task)
{
    QStringList header{QStringLiteral("input")};
    header += BatchSummary::columns(task);
    header += {QStringLiteral("status"), QStringLiteral("http_status"), QStringLiteral("ms"),
               QStringLiteral("error")};
    return CsvTable::record(header);
}

QByteArray csvRow(const BatchItemResult &r, const QString &task)
{
    QStringList row{r.label};
    for (const QString &column : BatchSummary::columns(task))
        row << cell(r.summary.value(column));
    row << (r.ok ? QStringLiteral("ok") : QStringLiteral("failed"))
        << (r.httpStatus ? QString::number(r.httpStatus) : QString()) << QString::number(r.ms) << r.error;
    return CsvTable::record(row);
}

QByteArray render(const QList<BatchItemResult> &results, const QString &task, Format format)
{
    QByteArray out = format == Format::Csv ? csvHeader(task) : QByteArray();
    for (const BatchItemResult &r : results)
        out += format == Format::Csv ? csvRow(r, task) : jsonlLine(r);
    return out;
}

bool write(const QList<BatchItemResult> &results, const QString &task, Format format, const QString &path,
           QString *error)
{
    const QByteArray bytes = render(results, task, format);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error =
            QCoreApplication::translate("BatchExport", "Cannot write %1: %2.").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace idesk::BatchExport
