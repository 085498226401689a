#pragma once

#include "ParameterProblem.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace idesk {

struct ParameterSpec;

// How the catalog checks one value against its ParameterSpec: used when reading the catalog (defaults
// must fit) and by TaskCatalog's checks (TaskCatalogValidation.cpp). Not for other callers: they use
// TaskCatalog::check().
namespace CatalogValue {

// "boolean|string" -> {"boolean", "string"}
QStringList typeParts(const QString &type);
// How a scalar JSON value is written in ParameterSpec::enumValues.
QString enumText(const QJsonValue &value);
// Type, enum, range, items and known members of `value`, the parameter called `name` (dotted for a
// member: "target_size.width"). Each problem's path is "parameters.<name>"; null and undefined pass.
void checkValue(const ParameterSpec &spec, const QString &name, const QJsonValue &value,
                QList<ParameterProblem> *problems);

} // namespace CatalogValue
} // namespace idesk
