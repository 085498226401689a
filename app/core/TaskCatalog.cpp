#include "TaskCatalog.h"

#include "ChatParameterCheck.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
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

struct KindName
{
    InputKind kind;
    const char *name;
};

constexpr KindName kKindNames[] = {
    {InputKind::Text, "text"},
    {InputKind::QuestionContext, "question-context"},
    {InputKind::SentenceSimilarity, "sentence-similarity"},
    {InputKind::TextWithLabels, "text-with-labels"},
    {InputKind::TableQuestion, "table-question"},
    {InputKind::Image, "image"},
    {InputKind::ImageQuestion, "image-question"},
    {InputKind::ImageWithLabels, "image-with-labels"},
    {InputKind::Audio, "audio"},
    {InputKind::Json, "json"},
    {InputKind::Chat, "chat"},
};

const QStringList &jsonTypes()
{
    static const QStringList types = {QStringLiteral("string"), QStringLiteral("integer"),
                                      QStringLiteral("number"), QStringLiteral("boolean"),
                                      QStringLiteral("array"),  QStringLiteral("object")};
    return types;
}

const QStringList &resultKinds()
{
    static const QStringList kinds = {
        QStringLiteral("scores"),       QStringLiteral("entities"), QStringLiteral("answer"),
        QStringLiteral("boxes"),        QStringLiteral("masks"),    QStringLiteral("image"),
        QStringLiteral("audio"),        QStringLiteral("text"),     QStringLiteral("vectors"),
        QStringLiteral("table-answer"), QStringLiteral("chat"),     QStringLiteral("json")};
    return kinds;
}

QStringList typeParts(const QString &type)
{
    return type.split(QLatin1Char('|'), Qt::SkipEmptyParts);
}

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

void checkValue(const ParameterSpec &spec, const QString &name, const QJsonValue &value,
                QStringList *problems)
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
        problems->append(tr("Parameter \"%1\" must be one of %2 (got %3%4).")
                             .arg(name, allowed, shown(value), quotedHint(value, types)));
        return;
    }
    if (!typeOk) {
        problems->append(
            tr("Parameter \"%1\" must be %2 (got %3%4).")
                .arg(name, typePhrase(spec.type, spec.itemType), shown(value), quotedHint(value, types)));
        return;
    }
    if (value.isDouble() && types.contains(QLatin1String("integer")) &&
        !types.contains(QLatin1String("number"))) {
        // 2^63 and beyond do not fit the 64-bit integers servers read (99999999999999999999999 is 1e+23).
        const double d = value.toDouble();
        if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
            problems->append(
                tr("Parameter \"%1\" must be a whole number from %2 to %3 (got %4): larger numbers "
                   "do not fit a 64-bit integer.")
                    .arg(name,
                         spec.minimum ? formatNumber(*spec.minimum) : QStringLiteral("-9223372036854775808"),
                         spec.maximum ? formatNumber(*spec.maximum) : QStringLiteral("9223372036854775807"),
                         shown(value)));
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
            problems->append(message);
        }
        return;
    }
    if (value.isArray() && !spec.itemType.isEmpty()) {
        const QStringList itemTypes = typeParts(spec.itemType);
        const QJsonArray items = value.toArray();
        for (int i = 0; i < items.size(); ++i) {
            if (!matchesAny(items.at(i), itemTypes)) {
                problems->append(tr("Parameter \"%1\" must be %2 (item %3 is %4).")
                                     .arg(name, typePhrase(QStringLiteral("array"), spec.itemType))
                                     .arg(i + 1)
                                     .arg(shown(items.at(i))));
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

bool readString(const QJsonObject &object, const char *key, bool required, QString *out, const QString &where,
                QString *error)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined() && !required)
        return true;
    if (!value.isString() || (required && value.toString().trimmed().isEmpty())) {
        *error = tr("%1: \"%2\" must be a non-empty string.").arg(where, QLatin1String(key));
        return false;
    }
    *out = value.toString();
    return true;
}

bool validType(const QString &type)
{
    const QStringList parts = typeParts(type);
    if (parts.isEmpty())
        return false;
    for (const QString &part : parts) {
        if (!jsonTypes().contains(part))
            return false;
    }
    return true;
}

bool parseParameter(const QJsonValue &json, const QString &where, ParameterSpec *out, QString *error)
{
    if (!json.isObject()) {
        *error = tr("%1 must be a JSON object.").arg(where);
        return false;
    }
    const QJsonObject o = json.toObject();
    ParameterSpec spec;
    spec.defaultValue = QJsonValue(QJsonValue::Undefined);
    if (!readString(o, "name", true, &spec.name, where, error))
        return false;
    const QString at = tr("%1 (\"%2\")").arg(where, spec.name);
    if (!readString(o, "type", true, &spec.type, at, error) ||
        !readString(o, "itemType", false, &spec.itemType, at, error) ||
        !readString(o, "description", true, &spec.description, at, error))
        return false;
    if (!validType(spec.type)) {
        *error = tr("%1: type \"%2\" is not one of %3 (join alternatives with |).")
                     .arg(at, spec.type, jsonTypes().join(QStringLiteral(", ")));
        return false;
    }
    if (!spec.itemType.isEmpty() &&
        (!validType(spec.itemType) || !typeParts(spec.type).contains(QLatin1String("array")))) {
        *error = tr("%1: itemType \"%2\" needs type array and one of %3.")
                     .arg(at, spec.itemType, jsonTypes().join(QStringLiteral(", ")));
        return false;
    }
    const QJsonValue enumJson = o.value(QLatin1String("enum"));
    if (!enumJson.isUndefined()) {
        if (!enumJson.isArray() || enumJson.toArray().isEmpty()) {
            *error = tr("%1: \"enum\" must be a non-empty list.").arg(at);
            return false;
        }
        for (const QJsonValue &item : enumJson.toArray()) {
            if (!(item.isString() || item.isBool() || item.isDouble())) {
                *error = tr("%1: enum values must be strings, numbers or booleans.").arg(at);
                return false;
            }
            spec.enumValues << enumText(item);
        }
    }
    for (const char *key : {"minimum", "maximum"}) {
        const QJsonValue bound = o.value(QLatin1String(key));
        if (bound.isUndefined())
            continue;
        if (!bound.isDouble()) {
            *error = tr("%1: \"%2\" must be a number.").arg(at, QLatin1String(key));
            return false;
        }
        (qstrcmp(key, "minimum") == 0 ? spec.minimum : spec.maximum) = bound.toDouble();
    }
    if (spec.minimum && spec.maximum && *spec.minimum > *spec.maximum) {
        *error = tr("%1: minimum is above maximum.").arg(at);
        return false;
    }
    const QJsonValue properties = o.value(QLatin1String("properties"));
    if (!properties.isUndefined()) {
        if (!properties.isArray() || !typeParts(spec.type).contains(QLatin1String("object"))) {
            *error = tr("%1: \"properties\" must be a list and needs type object.").arg(at);
            return false;
        }
        QSet<QString> seen;
        const QJsonArray members = properties.toArray();
        for (int i = 0; i < members.size(); ++i) {
            ParameterSpec member;
            if (!parseParameter(members.at(i), tr("%1, member %2").arg(at).arg(i + 1), &member, error))
                return false;
            if (seen.contains(member.name)) {
                *error = tr("%1: member \"%2\" appears twice.").arg(at, member.name);
                return false;
            }
            seen.insert(member.name);
            spec.properties << member;
        }
    }
    if (o.contains(QLatin1String("default"))) {
        spec.defaultValue = o.value(QLatin1String("default"));
        QStringList problems;
        checkValue(spec, spec.name, spec.defaultValue, &problems);
        if (!problems.isEmpty()) {
            *error = tr("%1: the default does not fit: %2").arg(at, problems.join(QLatin1Char(' ')));
            return false;
        }
    }
    *out = std::move(spec);
    return true;
}

bool parseTask(const QJsonValue &json, const QString &where, TaskSpec *out, QString *error)
{
    if (!json.isObject()) {
        *error = tr("%1 must be a JSON object.").arg(where);
        return false;
    }
    const QJsonObject o = json.toObject();
    TaskSpec task;
    if (!readString(o, "id", true, &task.id, where, error))
        return false;
    const QString at = tr("task \"%1\"").arg(task.id);
    QString inputKind;
    if (!readString(o, "title", true, &task.title, at, error) ||
        !readString(o, "inputKind", true, &inputKind, at, error) ||
        !readString(o, "resultKind", true, &task.resultKind, at, error) ||
        !readString(o, "description", true, &task.description, at, error))
        return false;
    const std::optional<InputKind> kind = inputKindFromName(inputKind);
    if (!kind) {
        QStringList names;
        for (const KindName &entry : kKindNames)
            names << QLatin1String(entry.name);
        *error =
            tr("%1: inputKind \"%2\" is not one of %3.").arg(at, inputKind, names.join(QStringLiteral(", ")));
        return false;
    }
    task.inputKind = *kind;
    if (!resultKinds().contains(task.resultKind)) {
        *error = tr("%1: resultKind \"%2\" is not one of %3.")
                     .arg(at, task.resultKind, resultKinds().join(QStringLiteral(", ")));
        return false;
    }
    const QJsonValue pipeline = o.value(QLatin1String("pipelineRoute"));
    if (!pipeline.isUndefined() && !pipeline.isBool()) {
        *error = tr("%1: \"pipelineRoute\" must be true or false.").arg(at);
        return false;
    }
    task.pipelineRoute = pipeline.toBool(false);
    const QJsonValue parameters = o.value(QLatin1String("parameters"));
    if (!parameters.isUndefined() && !parameters.isArray()) {
        *error = tr("%1: \"parameters\" must be a list.").arg(at);
        return false;
    }
    const QJsonArray list = parameters.toArray();
    for (int i = 0; i < list.size(); ++i) {
        ParameterSpec spec;
        if (!parseParameter(list.at(i), tr("%1, parameter %2").arg(at).arg(i + 1), &spec, error))
            return false;
        if (task.parameter(spec.name)) {
            *error = tr("%1: parameter \"%2\" appears twice.").arg(at, spec.name);
            return false;
        }
        task.parameters << spec;
    }
    *out = std::move(task);
    return true;
}

} // namespace

QString inputKindName(InputKind kind)
{
    for (const KindName &entry : kKindNames) {
        if (entry.kind == kind)
            return QLatin1String(entry.name);
    }
    return QStringLiteral("json");
}

std::optional<InputKind> inputKindFromName(const QString &name)
{
    for (const KindName &entry : kKindNames) {
        if (name == QLatin1String(entry.name))
            return entry.kind;
    }
    return std::nullopt;
}

const ParameterSpec *TaskSpec::parameter(const QString &name) const
{
    for (const ParameterSpec &spec : parameters) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

const TaskCatalog &TaskCatalog::instance()
{
    static const TaskCatalog catalog = [] {
        QString error;
        std::optional<TaskCatalog> loaded = fromFile(QStringLiteral(":/tasks.json"), &error);
        if (!loaded) {
            qCritical("%s", qPrintable(error));
            return TaskCatalog();
        }
        return std::move(*loaded);
    }();
    return catalog;
}

std::optional<TaskCatalog> TaskCatalog::fromFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("Cannot read the task catalog %1: %2.").arg(path, file.errorString());
        return std::nullopt;
    }
    QString problem;
    std::optional<TaskCatalog> catalog = fromJson(file.readAll(), &problem);
    if (!catalog && error)
        *error = tr("Task catalog %1: %2").arg(path, problem);
    return catalog;
}

std::optional<TaskCatalog> TaskCatalog::fromJson(const QByteArray &json, QString *error)
{
    QString problem;
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(
            tr("not valid JSON at offset %1: %2.").arg(parseError.offset).arg(parseError.errorString()));
    if (!document.isObject())
        return fail(tr("the top level must be a JSON object {\"version\": 1, \"tasks\": [...]}."));
    const QJsonObject root = document.object();
    if (root.value(QLatin1String("version")).toInt(0) != 1)
        return fail(tr("\"version\" must be 1."));
    const QJsonValue tasks = root.value(QLatin1String("tasks"));
    if (!tasks.isArray())
        return fail(tr("\"tasks\" must be a list."));
    TaskCatalog catalog;
    const QJsonArray list = tasks.toArray();
    for (int i = 0; i < list.size(); ++i) {
        TaskSpec task;
        if (!parseTask(list.at(i), tr("task %1").arg(i + 1), &task, &problem))
            return fail(problem);
        if (catalog.task(task.id))
            return fail(tr("task \"%1\" appears twice.").arg(task.id));
        catalog.m_tasks << task;
    }
    return catalog;
}

const TaskSpec *TaskCatalog::task(const QString &id) const
{
    for (const TaskSpec &spec : m_tasks) {
        if (spec.id == id)
            return &spec;
    }
    return nullptr;
}

QStringList TaskCatalog::taskIds() const
{
    QStringList ids;
    for (const TaskSpec &spec : m_tasks)
        ids << spec.id;
    return ids;
}

QStringList TaskCatalog::validate(const QString &taskId, const QJsonObject &parameters) const
{
    const TaskSpec *spec = task(taskId);
    if (!spec) {
        return {tr("Unknown task \"%1\"; use one of: %2.").arg(taskId, taskIds().join(QStringLiteral(", ")))};
    }
    QStringList problems;
    QSet<QString> wrongType;
    for (auto it = parameters.constBegin(); it != parameters.constEnd(); ++it) {
        if (const ParameterSpec *parameter = spec->parameter(it.key())) {
            const qsizetype before = problems.size();
            checkValue(*parameter, it.key(), it.value(), &problems);
            if (problems.size() > before)
                wrongType.insert(it.key());
        }
    }
    // Beyond the JSON type: the shapes of tools, response_format and tool_choice.
    if (spec->inputKind == InputKind::Chat)
        problems << ChatParameterCheck::check(parameters, wrongType);
    return problems;
}

QStringList TaskCatalog::unknownParameters(const QString &taskId, const QJsonObject &parameters) const
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
    QStringList problems;
    for (auto it = parameters.constBegin(); it != parameters.constEnd(); ++it) {
        if (spec->parameter(it.key()))
            continue;
        QString near;
        for (const QString &name : std::as_const(known))
            if (normalized(name) == normalized(it.key()))
                near = tr(" Did you mean \"%1\"?").arg(name);
        const QString name = it.key().size() > 80 ? it.key().left(77) + QStringLiteral("...") : it.key();
        problems
            << (known.isEmpty()
                    ? tr("Parameter \"%1\" is unknown: the %2 task takes no parameters.").arg(name, spec->id)
                    : tr("Parameter \"%1\" is unknown to the %2 task, which knows %3.%4")
                          .arg(name, spec->id, known.join(QStringLiteral(", ")), near));
    }
    return problems;
}

QStringList TaskCatalog::validateGeneric(const QJsonObject &parameters) const
{
    QStringList problems;
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
        checkValue(merged, it.key(), it.value(), &problems);
    }
    return problems;
}

} // namespace idesk
