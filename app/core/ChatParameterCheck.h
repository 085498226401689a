#pragma once

#include "ParameterProblem.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QString>
#include <QStringList>

namespace idesk {

// The shapes of chat-completion's structured parameters, beyond "is it JSON" (the catalog checks the
// top-level type): tools (function definitions), response_format and tool_choice, per
// tests/data/task-specs/chat-completion/input.json, plus a light JSON Schema sanity check for the
// schemas inside them. Every problem has its path (such as tools[1].function.name, indexes from 0, relative
// to the parameters object) and one sentence that starts with that path and says what to do. null means
// "not set" and passes. The check* functions give the sentences alone (dialogs show them).
namespace ChatParameterCheck {

// tools: a non-empty list of {"type": "function", "function": {"name", "description"?, "parameters"?}},
// names matching ^[a-zA-Z0-9_-]{1,64}$ and unique, parameters a JSON Schema describing an object.
QList<ParameterProblem> toolsProblems(const QJsonValue &tools);
QStringList checkTools(const QJsonValue &tools);

// response_format: {"type": "text"}, {"type": "json_object"} or
// {"type": "json_schema", "json_schema": {"name", "description"?, "schema", "strict"?}}. TGI's older
// grammar forms {"type": "json", "value": schema} and {"type": "regex", "value": "..."} are accepted
// too: Hugging Face's servers take them. A schema in "value" or "schema" beside "json" or "json_object"
// (TGI reads "json_object" as "json") is checked like the json_schema one.
QList<ParameterProblem> responseFormatProblems(const QJsonValue &format);
QStringList checkResponseFormat(const QJsonValue &format);

// tool_choice: "auto", "none", "required", or {"type": "function", "function": {"name"}} naming one of
// `tools` (a choice other than "auto"/"none" needs tools).
QList<ParameterProblem> toolChoiceProblems(const QJsonValue &choice, const QJsonValue &tools);
QStringList checkToolChoice(const QJsonValue &choice, const QJsonValue &tools);

// A light sanity check of a JSON Schema at `path`: an object; "type" one of the JSON Schema types (or a
// list of them); "properties" an object of schemas; "required" a list of names found in "properties";
// "items", "anyOf"/"oneOf"/"allOf", "$defs"/"definitions" and "additionalProperties" hold schemas.
QList<ParameterProblem> schemaProblems(const QJsonValue &schema, const QString &path);
QStringList checkSchema(const QJsonValue &schema, const QString &path);

// All three, as sent in one request. Names in `skip` were already found to have the wrong JSON type
// (TaskCatalog::check said so): they are not checked again, and tool_choice is not held against
// tools that could not be read.
QList<ParameterProblem> problems(const QJsonObject &parameters, const QSet<QString> &skip = {});
QStringList check(const QJsonObject &parameters, const QSet<QString> &skip = {});

// The function names defined in tools (those that are strings), in order.
QStringList toolNames(const QJsonValue &tools);
// ^[a-zA-Z0-9_-]{1,64}$: what function and response-format names may be.
bool isValidName(const QString &name);

} // namespace ChatParameterCheck
} // namespace idesk
