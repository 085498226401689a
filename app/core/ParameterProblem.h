#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace idesk {

// One problem with a request's parameters: where it is and what is wrong. `path` names the place in the
// request body, e.g. "parameters.top_k", "parameters.tools[0].function.name", "task"; views mark rows by
// it and never look for names in `message`. `message` is a whole sentence that says what to do.
struct ParameterProblem
{
    QString path;
    QString message;

    bool operator==(const ParameterProblem &other) const
    {
        return path == other.path && message == other.message;
    }
};

// The sentences alone, in order (the CLI prints them one a line).
inline QStringList problemMessages(const QList<ParameterProblem> &problems)
{
    QStringList messages;
    for (const ParameterProblem &problem : problems)
        messages << problem.message;
    return messages;
}

// "parameters." + name: where a parameter stands in the request body.
inline QString parameterPath(const QString &name)
{
    return QStringLiteral("parameters.") + name;
}

} // namespace idesk
