#include "ParameterModel.h"

#include "ChatParameterCheck.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>

#include <cmath>
#include <optional>

// ParameterModel, its checking half: how a row's text is read into the value sent, and how the problems
// found (the row's own reading, then TaskCatalog::check) are put on their rows by path.

namespace idesk {

namespace {

std::optional<QJsonValue> parseJson(const QString &text, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        *error = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                              : ParameterModel::tr("more than one value");
        return std::nullopt;
    }
    return doc.array().first();
}

bool isBooleanUnion(const ParameterSpec &spec)
{
    const QStringList parts = spec.type.split(QLatin1Char('|'), Qt::SkipEmptyParts);
    return parts.size() > 1 && parts.contains(QLatin1String("boolean"));
}

} // namespace

QJsonValue ParameterModel::read(const Row &row, QString *problem) const
{
    problem->clear();
    const QString text = row.text.trimmed();
    switch (row.kind) {
    case Kind::Choice: {
        if (text.isEmpty())
            return QJsonValue::Undefined;
        if (row.spec.type.split(QLatin1Char('|')).contains(QLatin1String("object")) &&
            text.startsWith(QLatin1Char('{'))) {
            // Typed, or one of the functions offered (tool_choice).
            QString error;
            const auto parsed = parseJson(text, &error);
            if (!parsed) {
                *problem = tr("%1 is not a valid JSON object (%2).").arg(rowName(row), error);
                return QJsonValue::Undefined;
            }
            return *parsed;
        }
        if (isBooleanUnion(row.spec) && (text == QLatin1String("true") || text == QLatin1String("false")))
            return text == QLatin1String("true");
        if (row.spec.type == QLatin1String("integer") || row.spec.type == QLatin1String("number")) {
            bool ok = false;
            const double d = text.toDouble(&ok);
            if (ok)
                return d;
        }
        return text;
    }
    case Kind::Check:
    case Kind::Integer:
    case Kind::Number:
        return row.value;
    case Kind::Text:
        return row.text;
    case Kind::List: {
        if (text.startsWith(QLatin1Char('['))) {
            QString error;
            const auto parsed = parseJson(text, &error);
            if (!parsed) {
                *problem = tr("%1 is not a valid JSON list (%2). Write items separated by commas, or a JSON "
                              "list like [\"a\", \"b\"].")
                               .arg(rowName(row), error);
                return QJsonValue::Undefined;
            }
            return *parsed;
        }
        QJsonArray items;
        const bool integer = row.spec.itemType == QLatin1String("integer");
        const bool numeric = integer || row.spec.itemType == QLatin1String("number");
        for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString item = part.trimmed();
            if (item.isEmpty())
                continue;
            if (!numeric) {
                items.append(item);
                continue;
            }
            bool ok = false;
            const double d = item.toDouble(&ok);
            if (!ok || (integer && d != std::floor(d))) {
                *problem = tr("%1: “%2” is not %3. Give %4 separated by commas.")
                               .arg(rowName(row), item, integer ? tr("a whole number") : tr("a number"),
                                    integer ? tr("whole numbers") : tr("numbers"));
                return QJsonValue::Undefined;
            }
            items.append(d);
        }
        return items;
    }
    case Kind::Json: {
        if (text.isEmpty()) {
            if (row.extra)
                *problem = tr("Give %1 a JSON value, or remove the row.").arg(rowName(row));
            return QJsonValue::Undefined;
        }
        QString error;
        const auto parsed = parseJson(text, &error);
        if (!parsed) {
            if (row.spec.type.split(QLatin1Char('|')).contains(QLatin1String("string")))
                return text;
            *problem = tr("The value of %1 is not JSON (%2). Text goes in double quotes: \"like this\".")
                           .arg(rowName(row), error);
            return QJsonValue::Undefined;
        }
        return *parsed;
    }
    }
    return QJsonValue::Undefined;
}

QList<ParameterProblem> ParameterModel::problems() const
{
    QList<ParameterProblem> out;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (!m_rows.at(i).problem.isEmpty())
            out.append({parameterPath(name(i)), m_rows.at(i).problem});
    }
    return out << m_unplaced;
}

int ParameterModel::rowForPath(const QString &path) const
{
    const QString prefix = QStringLiteral("parameters.");
    if (!path.startsWith(prefix))
        return -1;
    const QString rest = path.mid(prefix.size());
    // The row whose name the path starts with, as a whole step: "tools" holds "tools[0].function.name",
    // "target_size.width" holds "target_size.width"; the longest such name wins.
    int best = -1;
    qsizetype bestLength = 0;
    for (int i = 0; i < m_rows.size(); ++i) {
        const QString n = name(i);
        if (n.isEmpty() || !rest.startsWith(n))
            continue;
        const bool whole = rest.size() == n.size() || rest.at(n.size()) == QLatin1Char('.') ||
                           rest.at(n.size()) == QLatin1Char('[');
        if (whole && n.size() > bestLength) {
            best = i;
            bestLength = n.size();
        }
    }
    return best;
}

void ParameterModel::revalidate()
{
    // tool_choice offers the functions defined in tools.
    QStringList offered;
    const int tools = rowOf(QStringLiteral("tools"));
    if (tools >= 0 && !m_rows.at(tools).extra && m_rows.at(tools).set && !isHidden(tools)) {
        for (const QString &name : ChatParameterCheck::toolNames(value(tools)))
            offered << jsonText(
                QJsonObject{{QStringLiteral("type"), QStringLiteral("function")},
                            {QStringLiteral("function"), QJsonObject{{QStringLiteral("name"), name}}}});
    }
    const bool offerChanged = offered != m_toolChoices;
    m_toolChoices = offered;

    // The rows' own reading of what was typed first, then the catalog's checks of what would be sent.
    QStringList before;
    QSet<QString> names;
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        before << row.problem;
        row.problem.clear();
        if (!row.set || row.fresh || isHidden(i))
            continue;
        read(row, &row.problem);
        if (row.extra && row.problem.isEmpty()) {
            const QString name = row.name.trimmed();
            const int known = rowOf(name);
            if (name.isEmpty())
                row.problem = tr("Give the extra parameter a name, or remove the row.");
            else if (names.contains(name) || (known >= 0 && !m_rows.at(known).extra))
                row.problem = tr("%1 is given twice. Keep one row for it.").arg(name);
            names.insert(name);
        }
    }
    const QJsonObject params = parameters();
    const QList<ParameterProblem> found = m_task.isEmpty() ? TaskCatalog::instance().checkGeneric(params)
                                                           : TaskCatalog::instance().check(m_task, params);
    m_unplaced.clear();
    for (const ParameterProblem &problem : found) {
        const int r = rowForPath(problem.path);
        if (r < 0)
            m_unplaced << problem;
        else if (m_rows.at(r).problem.isEmpty())
            m_rows[r].problem = problem.message;
    }
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).problem != before.at(i))
            Q_EMIT dataChanged(index(i, NameColumn), index(i, ActionColumn), {ProblemRole, Qt::ToolTipRole});
    }
    if (offerChanged) {
        const int choice = rowOf(QStringLiteral("tool_choice"));
        if (choice >= 0 && !m_rows.at(choice).extra)
            Q_EMIT dataChanged(index(choice, ValueColumn), index(choice, ValueColumn));
    }
    Q_EMIT changed();
}

} // namespace idesk
