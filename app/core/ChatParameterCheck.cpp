#include "ChatParameterCheck.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace idesk::ChatParameterCheck {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("idesk::ChatParameterCheck", text);
}

const QStringList &schemaTypes()
{
    static const QStringList types{QStringLiteral("string"),  QStringLiteral("number"),
                                   QStringLiteral("integer"), QStringLiteral("boolean"),
                                   QStringLiteral("object"),  QStringLiteral("array"),
                                   QStringLiteral("null")};
    return types;
}

// A value as it would be written, shortened for a sentence.
QString shown(const QJsonValue &value)
{
    QString text;
    if (value.isObject())
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    else if (value.isArray())
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    else {
        const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        text = QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
    }
    if (text.size() > 40)
        text = text.left(37) + QStringLiteral("…");
    return text;
}

bool isUnset(const QJsonValue &value)
{
    return value.isUndefined() || value.isNull();
}

// path.member, or path["odd member"] when the member is not a plain word.
QString member(const QString &path, const QString &name)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_$][A-Za-z0-9_$-]*$"));
    if (plain.match(name).hasMatch())
        return path + QLatin1Char('.') + name;
    const QByteArray quoted = QJsonDocument(QJsonArray{name}).toJson(QJsonDocument::Compact);
    return path + QString::fromUtf8(quoted);
}

QString index(const QString &path, qsizetype i)
{
    return QStringLiteral("%1[%2]").arg(path).arg(i);
}

// A name the way it could be: invalid characters become _, at most 64.
QString suggestedName(const QString &name)
{
    QString out;
    for (const QChar c : name) {
        const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                        (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                        (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') ||
                        c == QLatin1Char('-');
        out += ok ? c : QLatin1Char('_');
    }
    return out.left(64);
}

// name at `path`: required, text, ^[a-zA-Z0-9_-]{1,64}$. `example` is shown when it is missing.
void checkName(const QJsonValue &value, const QString &path, const QString &example,
               QList<ParameterProblem> *problems)
{
    if (isUnset(value)) {
        problems->append({path, tr("%1 is missing: give a name such as \"%2\".").arg(path, example)});
    } else if (!value.isString()) {
        problems->append(
            {path, tr("%1 must be text such as \"%2\" (got %3).").arg(path, example, shown(value))});
    } else if (value.toString().isEmpty()) {
        problems->append({path, tr("%1 is empty: give a name such as \"%2\".").arg(path, example)});
    } else if (!isValidName(value.toString())) {
        const QString name = value.toString();
        const QString suggestion = suggestedName(name);
        problems->append(
            {path, name.size() > 64
                       ? tr("%1 is %2 characters long; at most 64 are allowed: shorten it.")
                             .arg(path)
                             .arg(name.size())
                       : tr("%1 \"%2\" may only use letters, digits, _ and -: rename it, e.g. \"%3\".")
                             .arg(path, name, suggestion)});
    }
}

void checkSchemaAt(const QJsonValue &schema, const QString &path, bool nested, int depth,
                   QList<ParameterProblem> *problems);

void checkSchemaList(const QJsonValue &value, const QString &path, int depth,
                     QList<ParameterProblem> *problems)
{
    if (!value.isArray() || value.toArray().isEmpty()) {
        problems->append(
            {path, tr("%1 must be a non-empty list of schemas (got %2).").arg(path, shown(value))});
        return;
    }
    const QJsonArray list = value.toArray();
    for (qsizetype i = 0; i < list.size(); ++i)
        checkSchemaAt(list.at(i), index(path, i), true, depth + 1, problems);
}

void checkSchemaMap(const QJsonValue &value, const QString &path, const QString &what, int depth,
                    QList<ParameterProblem> *problems)
{
    if (!value.isObject()) {
        problems->append({path, tr("%1 must be an object that maps each %2 to its schema (got %3).")
                                    .arg(path, what, shown(value))});
        return;
    }
    const QJsonObject map = value.toObject();
    for (auto it = map.constBegin(); it != map.constEnd(); ++it)
        checkSchemaAt(it.value(), member(path, it.key()), true, depth + 1, problems);
}

void checkSchemaAt(const QJsonValue &schema, const QString &path, bool nested, int depth,
                   QList<ParameterProblem> *problems)
{
    if (nested && schema.isBool())
        return; // true / false: anything / nothing
    if (!schema.isObject()) {
        problems->append({path, tr("%1 must be a JSON Schema object such as {\"type\": \"string\"} (got %2).")
                                    .arg(path, shown(schema))});
        return;
    }
    if (depth > 64) {
        problems->append({path, tr("%1 is nested too deeply to check: simplify the schema.").arg(path)});
        return;
    }
    const QJsonObject o = schema.toObject();
    const QString typesText = schemaTypes().join(QStringLiteral(", "));

    const QJsonValue type = o.value(QLatin1String("type"));
    if (type.isString()) {
        if (!schemaTypes().contains(type.toString()))
            problems->append({member(path, QStringLiteral("type")),
                              tr("%1 \"%2\" is not a JSON Schema type: use one of %3.")
                                  .arg(member(path, QStringLiteral("type")), type.toString(), typesText)});
    } else if (type.isArray() && !type.toArray().isEmpty()) {
        const QJsonArray types = type.toArray();
        for (qsizetype i = 0; i < types.size(); ++i) {
            if (!types.at(i).isString() || !schemaTypes().contains(types.at(i).toString())) {
                problems->append({index(member(path, QStringLiteral("type")), i),
                                  tr("%1 (%2) is not a JSON Schema type: use one of %3.")
                                      .arg(index(member(path, QStringLiteral("type")), i), shown(types.at(i)),
                                           typesText)});
            }
        }
    } else if (!type.isUndefined()) {
        problems->append({member(path, QStringLiteral("type")),
                          tr("%1 must be a type name such as \"string\", or a list of them (got %2).")
                              .arg(member(path, QStringLiteral("type")), shown(type))});
    }

    const QJsonValue properties = o.value(QLatin1String("properties"));
    if (!properties.isUndefined())
        checkSchemaMap(properties, member(path, QStringLiteral("properties")), tr("property name"), depth,
                       problems);

    const QJsonValue required = o.value(QLatin1String("required"));
    if (!required.isUndefined()) {
        const QString at = member(path, QStringLiteral("required"));
        if (!required.isArray()) {
            problems->append({at, tr("%1 must be a list of property names, e.g. [\"location\"] (got %2).")
                                      .arg(at, shown(required))});
        } else {
            // Without "properties" the names may come from elsewhere (allOf, $ref, patternProperties).
            const bool elsewhere = o.contains(QLatin1String("allOf")) || o.contains(QLatin1String("anyOf")) ||
                                   o.contains(QLatin1String("oneOf")) || o.contains(QLatin1String("$ref")) ||
                                   o.contains(QLatin1String("patternProperties")) ||
                                   o.contains(QLatin1String("additionalProperties"));
            const QJsonArray names = required.toArray();
            for (qsizetype i = 0; i < names.size(); ++i) {
                const QJsonValue name = names.at(i);
                if (!name.isString()) {
                    problems->append({index(at, i), tr("%1 must be a property name in quotes (got %2).")
                                                        .arg(index(at, i), shown(name))});
                } else if (properties.isObject() && !properties.toObject().contains(name.toString())) {
                    problems->append(
                        {at, tr("%1 lists \"%2\", which is not in %3: describe it there, or remove it "
                                "from required.")
                                 .arg(at, name.toString(), member(path, QStringLiteral("properties")))});
                } else if (properties.isUndefined() && !elsewhere) {
                    problems->append({at, tr("%1 lists \"%2\", but %3 has no \"properties\": describe it in "
                                             "\"properties\", or remove it from required.")
                                              .arg(at, name.toString(), path)});
                }
            }
        }
    }

    const QJsonValue items = o.value(QLatin1String("items"));
    if (items.isArray()) {
        const QJsonArray list = items.toArray();
        for (qsizetype i = 0; i < list.size(); ++i)
            checkSchemaAt(list.at(i), index(member(path, QStringLiteral("items")), i), true, depth + 1,
                          problems);
    } else if (!items.isUndefined()) {
        checkSchemaAt(items, member(path, QStringLiteral("items")), true, depth + 1, problems);
    }

    for (const char *key : {"anyOf", "oneOf", "allOf"}) {
        const QJsonValue list = o.value(QLatin1String(key));
        if (!list.isUndefined())
            checkSchemaList(list, member(path, QLatin1String(key)), depth, problems);
    }
    for (const char *key : {"$defs", "definitions"}) {
        const QJsonValue map = o.value(QLatin1String(key));
        if (!map.isUndefined())
            checkSchemaMap(map, member(path, QLatin1String(key)), tr("definition name"), depth, problems);
    }
    const QJsonValue additional = o.value(QLatin1String("additionalProperties"));
    if (!additional.isUndefined())
        checkSchemaAt(additional, member(path, QStringLiteral("additionalProperties")), true, depth + 1,
                      problems);

    const QJsonValue enumValues = o.value(QLatin1String("enum"));
    if (!enumValues.isUndefined() && (!enumValues.isArray() || enumValues.toArray().isEmpty()))
        problems->append({member(path, QStringLiteral("enum")),
                          tr("%1 must be a non-empty list of the allowed values, e.g. [\"celsius\", "
                             "\"fahrenheit\"] (got %2).")
                              .arg(member(path, QStringLiteral("enum")), shown(enumValues))});
}

QList<ParameterProblem> choiceProblems(const QJsonValue &choice, const QJsonValue &tools, bool checkNames)
{
    QList<ParameterProblem> problems;
    if (isUnset(choice))
        return problems;
    const QString path = QStringLiteral("tool_choice");
    const QStringList names = toolNames(tools);
    if (choice.isString()) {
        const QString text = choice.toString();
        if (text == QLatin1String("auto") || text == QLatin1String("none"))
            return problems;
        if (text == QLatin1String("required")) {
            if (checkNames && names.isEmpty())
                problems << ParameterProblem{
                    path, tr("%1 \"required\" needs at least one function in tools: define one there, or "
                             "choose auto.")
                              .arg(path)};
            return problems;
        }
    }
    if (!choice.isObject()) {
        problems << ParameterProblem{
            path, tr("%1 must be \"auto\", \"none\", \"required\" or {\"type\": \"function\", \"function\": "
                     "{\"name\": \"...\"}} (got %2).")
                      .arg(path, shown(choice))};
        return problems;
    }
    const QJsonObject o = choice.toObject();
    const QJsonValue type = o.value(QLatin1String("type"));
    if (!type.isUndefined() && type != QJsonValue(QStringLiteral("function")))
        problems << ParameterProblem{
            member(path, QStringLiteral("type")),
            tr("%1 must be \"function\" (got %2).").arg(member(path, QStringLiteral("type")), shown(type))};
    const QJsonValue function = o.value(QLatin1String("function"));
    if (!function.isObject()) {
        problems << ParameterProblem{
            path, tr("%1 must name a function: {\"type\": \"function\", \"function\": {\"name\": "
                     "\"get_weather\"}}.")
                      .arg(path)};
        return problems;
    }
    const QString namePath = member(member(path, QStringLiteral("function")), QStringLiteral("name"));
    const QJsonValue name = function.toObject().value(QLatin1String("name"));
    if (!name.isString() || name.toString().isEmpty()) {
        problems << ParameterProblem{
            namePath, tr("%1 is missing: give the name of one of the functions in tools.").arg(namePath)};
        return problems;
    }
    if (!checkNames || names.contains(name.toString()))
        return problems;
    if (names.isEmpty())
        problems << ParameterProblem{
            path, tr("%1 names the function \"%2\", but tools defines none: add it to tools, or choose auto.")
                      .arg(path, name.toString())};
    else
        problems << ParameterProblem{
            path, tr("%1 names the function \"%2\", which tools does not define: choose one of %3.")
                      .arg(path, name.toString(),
                           QLatin1Char('"') + names.join(QStringLiteral("\", \"")) + QLatin1Char('"'))};
    return problems;
}

} // namespace

bool isValidName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-zA-Z0-9_-]{1,64}$"));
    return pattern.match(name).hasMatch();
}

QStringList toolNames(const QJsonValue &tools)
{
    QStringList names;
    for (const QJsonValue &tool : tools.toArray()) {
        const QJsonValue name =
            tool.toObject().value(QLatin1String("function")).toObject().value(QLatin1String("name"));
        if (name.isString() && !name.toString().isEmpty() && !names.contains(name.toString()))
            names << name.toString();
    }
    return names;
}

QList<ParameterProblem> schemaProblems(const QJsonValue &schema, const QString &path)
{
    QList<ParameterProblem> problems;
    checkSchemaAt(schema, path, false, 0, &problems);
    return problems;
}

QList<ParameterProblem> toolsProblems(const QJsonValue &tools)
{
    QList<ParameterProblem> problems;
    if (isUnset(tools))
        return problems;
    const QString path = QStringLiteral("tools");
    if (!tools.isArray()) {
        problems << ParameterProblem{
            path,
            tr("%1 must be a list of function definitions, e.g. [{\"type\": \"function\", \"function\": "
               "{\"name\": \"get_weather\"}}] (got %2).")
                .arg(path, shown(tools))};
        return problems;
    }
    const QJsonArray list = tools.toArray();
    if (list.isEmpty()) {
        problems << ParameterProblem{
            path, tr("%1 is an empty list: add a function definition, or leave it unset.").arg(path)};
        return problems;
    }
    QHash<QString, qsizetype> firstUse;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString at = index(path, i);
        const QJsonValue tool = list.at(i);
        if (!tool.isObject()) {
            problems << ParameterProblem{
                at, tr("%1 must be an object {\"type\": \"function\", \"function\": {...}} (got %2).")
                        .arg(at, shown(tool))};
            continue;
        }
        const QJsonObject o = tool.toObject();
        const QJsonValue type = o.value(QLatin1String("type"));
        if (isUnset(type))
            problems << ParameterProblem{
                member(at, QStringLiteral("type")),
                tr("%1 is missing: add \"type\": \"function\".").arg(member(at, QStringLiteral("type")))};
        else if (type != QJsonValue(QStringLiteral("function")))
            problems << ParameterProblem{member(at, QStringLiteral("type")),
                                         tr("%1 must be \"function\", the only kind of tool (got %2).")
                                             .arg(member(at, QStringLiteral("type")), shown(type))};

        const QString functionPath = member(at, QStringLiteral("function"));
        const QJsonValue function = o.value(QLatin1String("function"));
        if (!function.isObject()) {
            problems << ParameterProblem{
                functionPath,
                tr("%1 must be an object with at least a \"name\", e.g. {\"name\": \"get_weather\", "
                   "\"parameters\": {\"type\": \"object\"}}%2.")
                    .arg(functionPath, isUnset(function) ? QString() : tr(" (got %1)").arg(shown(function)))};
            continue;
        }
        const QJsonObject f = function.toObject();
        const QString namePath = member(functionPath, QStringLiteral("name"));
        const QJsonValue name = f.value(QLatin1String("name"));
        const qsizetype before = problems.size();
        checkName(name, namePath, QStringLiteral("get_weather"), &problems);
        if (problems.size() == before) {
            const auto seen = firstUse.constFind(name.toString());
            if (seen != firstUse.constEnd())
                problems << ParameterProblem{
                    namePath, tr("%1 \"%2\" is already the name of %3: give each function its own name.")
                                  .arg(namePath, name.toString(), index(path, seen.value()))};
            else
                firstUse.insert(name.toString(), i);
        }

        const QJsonValue description = f.value(QLatin1String("description"));
        if (!isUnset(description) && !description.isString())
            problems << ParameterProblem{
                member(functionPath, QStringLiteral("description")),
                tr("%1 must be text that says what the function does (got %2).")
                    .arg(member(functionPath, QStringLiteral("description")), shown(description))};

        const QJsonValue parameters = f.value(QLatin1String("parameters"));
        if (isUnset(parameters))
            continue; // a function without arguments
        const QString parametersPath = member(functionPath, QStringLiteral("parameters"));
        if (!parameters.isObject()) {
            problems << ParameterProblem{
                parametersPath,
                tr("%1 must be a JSON Schema object such as {\"type\": \"object\", \"properties\": {...}} "
                   "(got %2).")
                    .arg(parametersPath, shown(parameters))};
            continue;
        }
        const QJsonValue parametersType = parameters.toObject().value(QLatin1String("type"));
        if (parametersType.isString() && parametersType.toString() != QLatin1String("object") &&
            schemaTypes().contains(parametersType.toString())) {
            problems << ParameterProblem{
                member(parametersPath, QStringLiteral("type")),
                tr("%1 must describe an object of named arguments: set \"type\": \"object\" and list "
                   "them in \"properties\" (got %2).")
                    .arg(member(parametersPath, QStringLiteral("type")), shown(parametersType))};
        }
        problems << schemaProblems(parameters, parametersPath);
    }
    return problems;
}

QList<ParameterProblem> responseFormatProblems(const QJsonValue &format)
{
    QList<ParameterProblem> problems;
    if (isUnset(format))
        return problems;
    const QString path = QStringLiteral("response_format");
    if (!format.isObject()) {
        problems << ParameterProblem{path,
                                     tr("%1 must be an object such as {\"type\": \"json_object\"} (got %2).")
                                         .arg(path, shown(format))};
        return problems;
    }
    const QJsonObject o = format.toObject();
    const QString typePath = member(path, QStringLiteral("type"));
    const QJsonValue type = o.value(QLatin1String("type"));
    if (isUnset(type)) {
        problems << ParameterProblem{
            typePath, tr("%1 is missing: use \"text\", \"json_object\" or \"json_schema\".").arg(typePath)};
        return problems;
    }
    const QString kind = type.toString();
    // A schema given beside "json"/"json_object" (TGI's grammar forms: "value", which TGI reads for
    // "json_object" too, or "schema") is sent and used: it is checked like any other.
    const auto checkGivenSchemas = [&] {
        for (const char *key : {"value", "schema"}) {
            const QJsonValue schema = o.value(QLatin1String(key));
            if (!isUnset(schema))
                problems << schemaProblems(schema, member(path, QLatin1String(key)));
        }
    };
    if (kind == QLatin1String("text") || kind == QLatin1String("json_object")) {
        if (o.contains(QLatin1String("json_schema")))
            problems << ParameterProblem{
                path, tr("%1 has a json_schema, but its type is \"%2\": set the type to \"json_schema\", or "
                         "remove json_schema.")
                          .arg(path, kind)};
        if (kind == QLatin1String("json_object"))
            checkGivenSchemas();
        return problems;
    }
    if (kind == QLatin1String("json")) {
        // TGI's older grammar form: the schema in "value" (or "schema").
        if (isUnset(o.value(QLatin1String("value"))) && isUnset(o.value(QLatin1String("schema"))))
            problems << schemaProblems(o.value(QLatin1String("value")),
                                       member(path, QStringLiteral("value")));
        else
            checkGivenSchemas();
        return problems;
    }
    if (kind == QLatin1String("regex")) {
        const QJsonValue value = o.value(QLatin1String("value"));
        if (!value.isString() || value.toString().isEmpty())
            problems << ParameterProblem{member(path, QStringLiteral("value")),
                                         tr("%1 must be the regular expression, as text (got %2).")
                                             .arg(member(path, QStringLiteral("value")), shown(value))};
        return problems;
    }
    if (kind != QLatin1String("json_schema")) {
        problems << ParameterProblem{typePath,
                                     tr("%1 must be \"text\", \"json_object\" or \"json_schema\" (got %2).")
                                         .arg(typePath, shown(type))};
        return problems;
    }
    const QString configPath = member(path, QStringLiteral("json_schema"));
    const QJsonValue config = o.value(QLatin1String("json_schema"));
    if (!config.isObject()) {
        problems << ParameterProblem{
            configPath,
            tr("%1 must be an object with a \"name\" and a \"schema\", e.g. {\"name\": \"answer\", "
               "\"schema\": {\"type\": \"object\"}}%2.")
                .arg(configPath, isUnset(config) ? QString() : tr(" (got %1)").arg(shown(config)))};
        return problems;
    }
    const QJsonObject c = config.toObject();
    checkName(c.value(QLatin1String("name")), member(configPath, QStringLiteral("name")),
              QStringLiteral("answer"), &problems);
    const QJsonValue description = c.value(QLatin1String("description"));
    if (!isUnset(description) && !description.isString())
        problems << ParameterProblem{
            member(configPath, QStringLiteral("description")),
            tr("%1 must be text that says what the format is for (got %2).")
                .arg(member(configPath, QStringLiteral("description")), shown(description))};
    const QJsonValue strict = c.value(QLatin1String("strict"));
    if (!isUnset(strict) && !strict.isBool())
        problems << ParameterProblem{member(configPath, QStringLiteral("strict")),
                                     tr("%1 must be true or false, without quotes (got %2).")
                                         .arg(member(configPath, QStringLiteral("strict")), shown(strict))};
    const QString schemaPath = member(configPath, QStringLiteral("schema"));
    const QJsonValue schema = c.value(QLatin1String("schema"));
    if (isUnset(schema))
        problems << ParameterProblem{
            schemaPath,
            tr("%1 is missing: give the JSON Schema the reply must follow, e.g. {\"type\": \"object\", "
               "\"properties\": {...}}.")
                .arg(schemaPath)};
    else
        problems << schemaProblems(schema, schemaPath);
    return problems;
}

QList<ParameterProblem> toolChoiceProblems(const QJsonValue &choice, const QJsonValue &tools)
{
    return choiceProblems(choice, tools, true);
}

QList<ParameterProblem> problems(const QJsonObject &parameters, const QSet<QString> &skip)
{
    const QString tools = QStringLiteral("tools");
    const QString format = QStringLiteral("response_format");
    const QString choice = QStringLiteral("tool_choice");
    QList<ParameterProblem> found;
    if (!skip.contains(tools))
        found << toolsProblems(parameters.value(tools));
    if (!skip.contains(format))
        found << responseFormatProblems(parameters.value(format));
    if (!skip.contains(choice))
        found << choiceProblems(parameters.value(choice), parameters.value(tools), !skip.contains(tools));
    return found;
}

QStringList checkTools(const QJsonValue &tools)
{
    return problemMessages(toolsProblems(tools));
}

QStringList checkResponseFormat(const QJsonValue &format)
{
    return problemMessages(responseFormatProblems(format));
}

QStringList checkToolChoice(const QJsonValue &choice, const QJsonValue &tools)
{
    return problemMessages(toolChoiceProblems(choice, tools));
}

QStringList checkSchema(const QJsonValue &schema, const QString &path)
{
    return problemMessages(schemaProblems(schema, path));
}

QStringList check(const QJsonObject &parameters, const QSet<QString> &skip)
{
    return problemMessages(problems(parameters, skip));
}

} // namespace idesk::ChatParameterCheck
