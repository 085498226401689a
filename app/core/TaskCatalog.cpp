#include "TaskCatalog.h"

#include "TaskCatalogValidation.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QtGlobal>

#include <utility>

namespace idesk {

namespace {

using CatalogValue::enumText;
using CatalogValue::typeParts;

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
        QList<ParameterProblem> problems;
        CatalogValue::checkValue(spec, spec.name, spec.defaultValue, &problems);
        if (!problems.isEmpty()) {
            *error = tr("%1: the default does not fit: %2")
                         .arg(at, problemMessages(problems).join(QLatin1Char(' ')));
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

} // namespace idesk
