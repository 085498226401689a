#pragma once

// YAML values of a Kestra flow (internal to KestraFlow*.cpp): reading a flow's YAML under a budget, and
// scalars typed as Kestra's Jackson YAML parser (SnakeYAML's YAML 1.1 resolver) types them.

#include "KestraLimits.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <functional>
#include <optional>
#include <string>
#include <yaml-cpp/yaml.h>

namespace idesk {
namespace kestra {

inline QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}
inline std::string ss(const QString &s)
{
    return s.toStdString();
}

enum class ScalarKind { String, Null, Bool, Int, Float };

// yes/no/true/false/on/off in lower, Capitalised and UPPER case (a lone y or n is a string).
bool isYamlBool(const QString &v, bool *value);
// The type of a plain (unquoted, untagged) scalar.
ScalarKind resolvePlain(const QString &v);
QJsonValue intValue(QString v);
QJsonValue floatValue(QString v);
// A quoted or block scalar (always a string).
bool isQuoted(const YAML::Node &node);
// "str", "int"... for an explicit tag (!!str), else "".
QString explicitTag(const YAML::Node &node);
int lineOf(const YAML::Node &node);

// The YAML document of `yaml`, read only after a pass over its events has checked it against `limits`: the
// nodes it expands to (each use of an alias counts the whole anchored value again), the nesting depth, the
// text, the entries of each list or map and the tasks; an alias inside its own anchor is refused. Nothing
// is built before that pass, so a "billion laughs" flow or a flow with 100,000 tasks is refused fast.
// nullopt with *error a sentence naming `source`, the limit and how to raise it.
std::optional<YAML::Node> loadYaml(const QByteArray &yaml, const Limits &limits, const QString &source,
                                   QString *error);

// Renders one text value of `property` ({{ ... }} expressions); nullopt when it cannot (the error is set by
// the renderer).
using RenderText = std::function<std::optional<QString>(const QString &text, const QString &property)>;

// A YAML scalar/sequence/map -> JSON, typed as Kestra's Jackson parser would type it; strings rendered.
// `node` must come from loadYaml (whose pass bounds this walk); a depth past `maxDepth` still stops it.
std::optional<QJsonValue> toJson(const YAML::Node &node, const QString &property, const RenderText &render,
                                 qint64 maxDepth, QString *error, qint64 depth = 0);

} // namespace kestra
} // namespace idesk
