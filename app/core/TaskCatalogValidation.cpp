#include "TaskCatalogValidation.h"

#include "ChatParameterCheck.h"
#include "TaskCatalog.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QtGlobal>

#include <cmath>
#include <utility>

namespace idesk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("idesk::TaskCatalog", text);
}

using CatalogValue::enumText;
using CatalogValue::typeParts;

bool isWhole(double d)
{
    return std::isfinite(d) && std::floor(d) == d;
}

QString formatNumber(double d)
{
    if (isWhole(d) && std::fabs(d) < 1e15)
        return QString::number(static_cast<qint64>(d));
    return QString::number(d, 'g', 15);
}

// The value as the user wrote it, short enough for one line.
QString shown(const QJsonValue &value)
{
    QString text;
    switch (value.type()) {
    case QJsonValue::String:
        text = QLatin1Char('"') + value.toString() + QLatin1Char('"');
        break;
    case QJsonValue::Double:
        text = formatNumber(value.toDouble());
        break;
    case QJsonValue::Bool:
        text = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        break;
    case QJsonValue::Null:
        text = QStringLiteral("null");
        break;
    case QJsonValue::Array:
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        break;
    case QJsonValue::Object:
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        break;
    case QJsonValue::Undefined:
        text = tr("nothing");
        break;
    }
    constexpr int kMax = 80;
    if (text.size() > kMax)
        text = text.left(kMax - 3) + QStringLiteral("...");
    return text;
}

bool matchesType(const QJsonValue &value, const QString &type)
{
    if (type == QLatin1String("string"))
        return value.isString();
    if (type == QLatin1String("integer"))
        return value.isDouble() && isWhole(value.toDouble());
    if (type == QLatin1String("number"))
        return value.isDouble();
    if (type == QLatin1String("boolean"))
        return value.isBool();
    if (type == QLatin1String("array"))
        return value.isArray();
    if (type == QLatin1String("object"))
        return value.isObject();
    return false;
}

bool matchesAny(const QJsonValue &value, const QStringList &types)
{
    for (const QString &type : types) {
        if (matchesType(value, type))
            return true;
    }
    return false;
}

QString typePhrase(const QString &type, const QString &itemType)
{
    QStringList phrases;
    for (const QString &part : typeParts(type)) {
        if (part == QLatin1String("string"))
            phrases << tr("a string");
        else if (part == QLatin1String("integer"))
            phrases << tr("a whole number");
        else if (part == QLatin1String("number"))
            phrases << tr("a number");
        else if (part == QLatin1String("boolean"))
            phrases << tr("true or false");
        else if (part == QLatin1String("object"))
            phrases << tr("a JSON object");
        else if (part == QLatin1String("array") && itemType.isEmpty())
            phrases << tr("a list");
        else if (part == QLatin1String("array")) {
            QStringList items;
            for (const QString &item : typeParts(itemType)) {
                if (item == QLatin1String("string"))
                    items << tr("strings");
                else if (item == QLatin1String("integer"))
                    items << tr("whole numbers");
                else if (item == QLatin1String("number"))
                    items << tr("numbers");
                else if (item == QLatin1String("boolean"))
                    items << tr("booleans");
                else if (item == QLatin1String("array"))
                    items << tr("lists");
                else
                    items << tr("JSON objects");
            }
            phrases << tr("a list of %1").arg(items.join(tr(" or ")));
        }
    }
    return phrases.join(tr(" or "));
}

// A hint for the commonest slip: a number or a boolean written in quotes.
QString quotedHint(const QJsonValue &value, const QStringList &types)
{
    if (!value.isString())
        return QString();
    const QString text = value.toString().trimmed();
    bool isNumber = false;
    const double number = text.toDouble(&isNumber);
    if (isNumber && (types.contains(QLatin1String("number")) ||
                     (types.contains(QLatin1String("integer")) && isWhole(number))))
        return tr("; write the number without quotes");
    if ((text == QLatin1String("true") || text == QLatin1String("false")) &&
        types.contains(QLatin1String("boolean")))
        return tr("; write true or false without quotes");
    return QString();
}

bool inEnum(const ParameterSpec &spec, const QJsonValue &value, const QStringList &types)
{
    if (value.isString() && types.contains(QLatin1String("boolean"))) {
        // In a boolean|string union, "true" and "false" in the enum stand for the JSON booleans.
        const QString text = value.toString();
        if (text == QLatin1String("true") || text == QLatin1String("false"))
            return false;
    }
    return spec.enumValues.contains(enumText(value));
}

} // namespace

namespace CatalogValue {

QStringList typeParts(const QString &type)
{
    return type.split(QLatin1Char('|'), Qt::SkipEmptyParts);
}

// How a scalar JSON value is written in ParameterSpec::enumValues.
QString enumText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return formatNumber(value.toDouble());
    default:
        return QString();
    }
}

void checkValue(const ParameterSpec &spec, const QString &name, const QJsonValue &value,
                QList<ParameterProblem> *problems)
{
    if (value.isNull() || value.isUndefined())
        return; // unset: the server's default applies
    const QStringList types = typeParts(spec.type);
    const bool scalar = value.isString() || value.isBool() || value.isDouble();
    const bool typeOk = matchesAny(value, types);

    // An enum constrains scalar values; an object or a list may stand beside it in a union (tool_choice).
    const bool enumApplies = !spec.enumValues.isEmpty() && (!typeOk || scalar);
    if (enumApplies && !(typeOk && inEnum(spec, value, types))) {
        QString allowed = spec.enumValues.join(QStringLiteral(", "));
        if (types.size() > 1) {
            // e.g. tool_choice: one of the strings, or an object
            for (const QString &type : types) {
                if (type == QLatin1String("object") || type == QLatin1String("array"))
                    allowed += tr(", or %1").arg(typePhrase(type, spec.itemType));
            }
        }
        problems->append(
            {parameterPath(name), tr("Parameter \"%1\" must be one of %2 (got %3%4).")
                                      .arg(name, allowed, shown(value), quotedHint(value, types))});
        return;
    }
    if (!typeOk) {
        problems->append({parameterPath(name), tr("Parameter \"%1\" must be %2 (got %3%4).")
                                                   .arg(name, typePhrase(spec.type, spec.itemType),
                                                        shown(value), quotedHint(value, types))});
        return;
    }
    if (value.isDouble() && types.contains(QLatin1String("integer")) &&
        !types.contains(QLatin1String("number"))) {
        // 2^63 and beyond do not fit the 64-bit integers servers read (99999999999999999999999 is 1e+23).
        const double d = value.toDouble();
        if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
            problems->append(
                {parameterPath(name),
                 tr("Parameter \"%1\" must be a whole number from %2 to %3 (got %4): larger numbers "
                    "do not fit a 64-bit integer.")
                     .arg(name,
                          spec.minimum ? formatNumber(*spec.minimum) : QStringLiteral("-9223372036854775808"),
                          spec.maximum ? formatNumber(*spec.maximum) : QStringLiteral("9223372036854775807"),
                          shown(value))});
            return;
        }
    }
    if (value.isDouble()) {
        const double d = value.toDouble();
        const bool low = spec.minimum && d < *spec.minimum;
        const bool high = spec.maximum && d > *spec.maximum;
        if (low || high) {
            QString message;
            if (spec.minimum && spec.maximum)
                message =
                    tr("Parameter \"%1\" must be between %2 and %3 (got %4).")
                        .arg(name, formatNumber(*spec.minimum), formatNumber(*spec.maximum), shown(value));
            else if (spec.minimum)
                message = tr("Parameter \"%1\" must be at least %2 (got %3).")
                              .arg(name, formatNumber(*spec.minimum), shown(value));
            else
                message = tr("Parameter \"%1\" must be at most %2 (got %3).")
                              .arg(name, formatNumber(*spec.maximum), shown(value));
            problems->append({parameterPath(name), message});
        }
        return;
    }
    if (value.isArray() && !spec.itemType.isEmpty()) {
        const QStringList itemTypes = typeParts(spec.itemType);
        const QJsonArray items = value.toArray();
        for (int i = 0; i < items.size(); ++i) {
            if (!matchesAny(items.at(i), itemTypes)) {
                problems->append({parameterPath(name) + QStringLiteral("[%1]").arg(i),
                                  tr("Parameter \"%1\" must be %2 (item %3 is %4).")
                                      .arg(name, typePhrase(QStringLiteral("array"), spec.itemType))
                                      .arg(i + 1)
                                      .arg(shown(items.at(i)))});
                return;
            }
        }
        return;
    }
    if (value.isObject() && !spec.properties.isEmpty()) {
        const QJsonObject object = value.toObject();
        for (const ParameterSpec &member : spec.properties) {
            const auto it = object.constFind(member.name);
            if (it != object.constEnd())
                checkValue(member, name + QLatin1Char('.') + member.name, it.value(), problems);
        }
    }
}
} // namespace CatalogValue

QList<ParameterProblem> TaskCatalog::check(const QString &taskId, const QJsonObject &parameters) const
{
    const TaskSpec *spec = task(taskId);
    if (!spec) {
        return {
            {QStringLiteral("task"),
             tr("Unknown task \"%1\"; use one of: %2.").arg(taskId, taskIds().join(QStringLiteral(", ")))}};
    }
    QList<ParameterProblem> problems;
    QSet<QString> wrongType;
    for (auto it = parameters.constBegin(); it != parameters.constEnd(); ++it) {
        if (const ParameterSpec *parameter = spec->parameter(it.key())) {
            const qsizetype before = problems.size();
            CatalogValue::checkValue(*parameter, it.key(), it.value(), &problems);
            if (problems.size() > before)
                wrongType.insert(it.key());
        }
    }
    // Beyond the JSON type: the shapes of tools, response_format and tool_choice.
    if (spec->inputKind == InputKind::Chat) {
        for (const ParameterProblem &problem : ChatParameterCheck::problems(parameters, wrongType))
            problems.append({parameterPath(problem.path), problem.message});
    }
    return problems;
}

QStringList TaskCatalog::validate(const QString &taskId, const QJsonObject &parameters) const
{
    return problemMessages(check(taskId, parameters));
}

QList<ParameterProblem> TaskCatalog::checkUnknown(const QString &taskId, const QJsonObject &parameters) const
{
    const TaskSpec *spec = task(taskId);
    if (!spec)
        return {};
    QStringList known;
    for (const ParameterSpec &parameter : spec->parameters)
        known << parameter.name;
    const auto normalized = [](QString name) {
        return name.toLower().replace(QLatin1Char('-'), QLatin1Char('_'));
    };
    QList<ParameterProblem> problems;
    for (auto it = parameters.constBegin(); it != parameters.constEnd(); ++it) {
        if (spec->parameter(it.key()))
            continue;
        QString near;
        for (const QString &name : std::as_const(known))
            if (normalized(name) == normalized(it.key()))
                near = tr(" Did you mean \"%1\"?").arg(name);
        const QString name = it.key().size() > 80 ? it.key().left(77) + QStringLiteral("...") : it.key();
        problems.append(
            {parameterPath(it.key()),
             known.isEmpty()
                 ? tr("Parameter \"%1\" is unknown: the %2 task takes no parameters.").arg(name, spec->id)
                 : tr("Parameter \"%1\" is unknown to the %2 task, which knows %3.%4")
                       .arg(name, spec->id, known.join(QStringLiteral(", ")), near)});
    }
    return problems;
}

QStringList TaskCatalog::unknownParameters(const QString &taskId, const QJsonObject &parameters) const
{
    return problemMessages(checkUnknown(taskId, parameters));
}

QList<ParameterProblem> TaskCatalog::checkGeneric(const QJsonObject &parameters) const
{
    QList<ParameterProblem> problems;
    for (auto it = parameters.constBegin(); it != parameters.constEnd(); ++it) {
        QList<const ParameterSpec *> specs;
        for (const TaskSpec &spec : m_tasks) {
            if (const ParameterSpec *parameter = spec.parameter(it.key()))
                specs << parameter;
        }
        if (specs.isEmpty())
            continue;
        const ParameterSpec &first = *specs.first();
        const QSet<QString> firstEnum(first.enumValues.cbegin(), first.enumValues.cend());
        bool agree = true;
        for (const ParameterSpec *other : std::as_const(specs)) {
            const QSet<QString> otherEnum(other->enumValues.cbegin(), other->enumValues.cend());
            if (other->type != first.type || other->itemType != first.itemType || otherEnum != firstEnum) {
                agree = false;
                break;
            }
        }
        if (!agree)
            continue;
        // The loosest range every task allows; nested members are left to the task-specific check.
        ParameterSpec merged;
        merged.name = first.name;
        merged.type = first.type;
        merged.itemType = first.itemType;
        merged.enumValues = first.enumValues;
        merged.minimum = first.minimum;
        merged.maximum = first.maximum;
        for (const ParameterSpec *other : std::as_const(specs)) {
            merged.minimum = (merged.minimum && other->minimum)
                                 ? std::optional<double>(qMin(*merged.minimum, *other->minimum))
                                 : std::nullopt;
            merged.maximum = (merged.maximum && other->maximum)
                                 ? std::optional<double>(qMax(*merged.maximum, *other->maximum))
                                 : std::nullopt;
        }
        CatalogValue::checkValue(merged, it.key(), it.value(), &problems);
    }
    return problems;
}

QStringList TaskCatalog::validateGeneric(const QJsonObject &parameters) const
{
    return problemMessages(checkGeneric(parameters));
}

} // namespace idesk
