#include "CsvTable.h"

#include <QCoreApplication>

namespace idesk::CsvTable {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CsvTable", text);
}
} // namespace

bool parse(const QByteArray &bytes, Table *table, QString *error)
{
    const QString text = QString::fromUtf8(bytes.startsWith("\xEF\xBB\xBF") ? bytes.mid(3) : bytes);
    QList<QStringList> records;
    QList<int> recordLines;
    QStringList current;
    QString fieldText;
    bool inQuotes = false;
    bool wasQuoted = false; // the current field was a quoted one (text after its closing quote is an error)
    bool recordHasData = false;
    int line = 1;
    int recordLine = 1;
    const auto endField = [&] {
        current << fieldText;
        fieldText.clear();
        wasQuoted = false;
    };
    const auto endRecord = [&] {
        endField();
        // A blank line is no record (a trailing newline, or an empty line between records).
        if (recordHasData || current.size() > 1) {
            records << current;
            recordLines << recordLine;
        }
        current.clear();
        recordHasData = false;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    fieldText += QLatin1Char('"');
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == QLatin1Char('\n'))
                    ++line;
                fieldText += c;
            }
            continue;
        }
        if (c == QLatin1Char(',')) {
            recordHasData = true;
            endField();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n')) {
            continue; // the LF ends the record
        } else if (c == QLatin1Char('\n')) {
            endRecord();
            ++line;
            recordLine = line;
        } else if (c == QLatin1Char('"')) {
            if (!fieldText.isEmpty() || wasQuoted) {
                *error = tr("line %1: a double quote in the middle of a field; a field holding quotes must "
                            "be quoted as a whole, with each quote doubled (\"say \"\"hi\"\"\").")
                             .arg(line);
                return false;
            }
            inQuotes = true;
            wasQuoted = true;
            recordHasData = true;
        } else {
            if (wasQuoted) {
                *error = tr("line %1: text after the closing quote of a field; put the whole field in "
                            "quotes.")
                             .arg(line);
                return false;
            }
            fieldText += c;
            recordHasData = true;
        }
    }
    if (inQuotes) {
        *error = tr("a quoted field starting on line %1 is never closed; add the closing double quote.")
                     .arg(recordLine);
        return false;
    }
    if (recordHasData || !fieldText.isEmpty())
        endRecord();
    table->header = records.isEmpty() ? QStringList() : records.takeFirst();
    if (!recordLines.isEmpty())
        recordLines.removeFirst();
    table->rows = records;
    table->lines = recordLines;
    return true;
}

QString field(const QString &value)
{
    const bool quote = value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('"')) ||
                       value.contains(QLatin1Char('\n')) || value.contains(QLatin1Char('\r')) ||
                       (!value.isEmpty() && (value.front().isSpace() || value.back().isSpace()));
    if (!quote)
        return value;
    QString escaped = value;
    escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QByteArray record(const QStringList &fields)
{
    QStringList out;
    out.reserve(fields.size());
    for (const QString &f : fields)
        out << field(f);
    return out.join(QLatin1Char(',')).toUtf8() + "\r\n";
}

} // namespace idesk::CsvTable
