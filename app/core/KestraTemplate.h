#pragma once

// Template expressions of a Kestra flow (internal to KestraFlow*.cpp): Pebble's {{ ... }}, {% raw %} blocks,
// and the two functions Inference Desk evaluates, secret('NAME') and read('file').

#include "KestraFlow.h"
#include "KestraLimits.h"

#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <optional>

namespace idesk {
namespace kestra {

// {{ expression }} or {% tag %}.
const QRegularExpression &pebbleExpression();
// True when Kestra would render or strip something in `text` ({{, {% or {#).
bool hasPebble(const QString &text);
// `text` as Kestra must receive it to send it as written: inside {% raw %}...{% endraw %} when it holds {{
// or {%.
QString pebbleLiteral(const QString &text);

// Pieces of a text outside raw blocks (template: expressions are evaluated) and inside them (literal).
struct PebblePiece
{
    QString text;
    bool literal = false;
};
QList<PebblePiece> splitRaw(const QString &text);

// secret('NAME') as Kestra's open-source edition reads it: the environment variable SECRET_<NAME>, holding
// the value base64-encoded (a value that is not base64 of UTF-8 text is taken as written). No other
// variable is ever read. nullopt when SECRET_<NAME> is unset or empty.
std::optional<QString> environmentSecret(const QString &name);
// "SECRET_<NAME>"
QString secretVariable(const QString &name);

// Renders the text values of one flow: {{ secret('NAME') }} (the token's resolver for apiKey and the
// Authorization header, SECRET_<NAME> elsewhere) and {{ read('file') }} (regular files inside the flow's
// folder only, under a per-file and a per-flow cap); any other expression is refused.
class TemplateRenderer
{
public:
    // `error` receives the first failure's sentence; `source` names the flow in messages.
    TemplateRenderer(const QString &baseDir, const QString &source, const Limits &limits,
                     const KestraFlow::SecretResolver &resolveSecret, QString *error);

    // `readPath` receives the path written in read() and `secretName` the NAME of secret() when the whole
    // text is that single expression.
    std::optional<QString> render(const QString &text, const QString &taskId, const QString &property,
                                  KestraTask *task, QString *readPath = nullptr,
                                  QString *secretName = nullptr);
    // Values of plain variables while the tasks inside a ForEach are read ({{ taskrun.value }}); empty
    // otherwise.
    void setVariables(const QHash<QString, QString> &variables) { m_variables = variables; }

private:
    bool fail(const QString &message);
    // The rendered value is over IDESK_FLOW_MAX_STRING.
    void failTooLong(const QString &taskId, const QString &property);
    // The value of `expression`, {{ secret('name') }}.
    std::optional<QString> secret(const QString &name, const QString &expression, const QString &taskId,
                                  const QString &property, KestraTask *task);
    // The file read('written') reads; *absolutePath its path inside the flow's folder.
    std::optional<QString> readFile(const QString &written, const QString &taskId, const QString &property,
                                    QString *absolutePath);

    QString m_baseDir; // absolute and clean
    QString m_source;
    Limits m_limits;
    KestraFlow::SecretResolver m_resolveSecret;
    QString *m_error;
    QHash<QString, QString> m_variables;
    qint64 m_readTotal = 0;
    struct CachedRead
    {
        QString text;
        qint64 bytes = 0;
    };
    QHash<QString, CachedRead> m_readCache; // canonical path -> its text: a file read twice is opened once
};

} // namespace kestra
} // namespace idesk
