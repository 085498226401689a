#pragma once

#include "ParameterProblem.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace idesk {

// How a task takes its input; the GUI's input editor and RequestEncoder follow it.
enum class InputKind {
    Text,               // "inputs": string
    QuestionContext,    // "inputs": {"question", "context"}                (question-answering)
    SentenceSimilarity, // "inputs": {"source_sentence", "sentences": []}   (sentence-similarity)
    TextWithLabels,     // "inputs": string, parameters.candidate_labels    (zero-shot-classification)
    TableQuestion,      // "inputs": {"query", "table": {col: [cells]}}     (table-question-answering)
    Image,              // raw bytes, or base64 in "inputs" with parameters
    ImageQuestion,      // "inputs": {"image": base64, "question"}          (visual/document QA)
    ImageWithLabels,    // "inputs": base64, parameters.candidate_labels    (zero-shot-image-classification)
    Audio,              // raw bytes, or base64 in "inputs" with parameters
    Json,               // anything else: raw JSON inputs
    Chat                // OpenAI-compatible messages (chat-completion)
};

QString inputKindName(InputKind kind); // "text", "question-context", ...
std::optional<InputKind> inputKindFromName(const QString &name);

struct ParameterSpec
{
    QString name;            // e.g. top_k
    QString type;            // JSON type: string, integer, number, boolean, array, object
                             // (a union is written "boolean|string"; then enum "true"/"false"
                             // stand for the JSON booleans)
    QString itemType;        // for arrays: the items' type
    QStringList enumValues;  // allowed values when the spec gives an enum
    QJsonValue defaultValue; // Undefined when none
    std::optional<double> minimum;
    std::optional<double> maximum;
    QString description; // one line, our words
    // For type object with known members (generation_parameters, target_size, stream_options):
    // the members' specs, validated as "<name>.<member>". Empty: a free-form object.
    QList<ParameterSpec> properties;
};

struct TaskSpec
{
    QString id;    // hf task id, e.g. text-classification
    QString title; // "Text classification"
    InputKind inputKind = InputKind::Text;
    QString resultKind;         // which result view draws it: scores, entities, answer, boxes, masks,
                                // image, audio, text, vectors, table-answer, chat, json
    bool pipelineRoute = false; // router URL gets /pipeline/{id} (feature-extraction, sentence-similarity)
    QString description;        // one line
    QList<ParameterSpec> parameters;

    const ParameterSpec *parameter(const QString &name) const;
};

// The task catalog written by us in resources/tasks.json (compiled into the core as :/tasks.json),
// held to the official JSON Schemas by tests/TestTaskCatalog.
class TaskCatalog
{
public:
    static const TaskCatalog &instance();
    // Load from a file (tests); the instance loads :/tasks.json.
    static std::optional<TaskCatalog> fromFile(const QString &path, QString *error = nullptr);
    static std::optional<TaskCatalog> fromJson(const QByteArray &json, QString *error = nullptr);

    const QList<TaskSpec> &tasks() const { return m_tasks; }
    const TaskSpec *task(const QString &id) const;
    QStringList taskIds() const;

    // Checks parameters against the task's specs: type, enum, range. One problem per finding, its path
    // where it is ("parameters.top_k", "parameters.tools[0].function.name"; "task" for an unknown task)
    // and a sentence naming the parameter and what is allowed. Unknown parameters are allowed. For
    // chat-completion, the shapes of tools, response_format and tool_choice too (ChatParameterCheck).
    QList<ParameterProblem> check(const QString &taskId, const QJsonObject &parameters) const;
    // The parameters the task does not know, each naming the parameter and the ones the task knows. For
    // what a person typed (the CLI's --param): the app and flows keep extra parameters.
    QList<ParameterProblem> checkUnknown(const QString &taskId, const QJsonObject &parameters) const;
    // With no task known (a Kestra flow): a parameter is checked only when every catalog task that
    // knows it gives it the same type and enum.
    QList<ParameterProblem> checkGeneric(const QJsonObject &parameters) const;

    // The same checks as sentences alone, one per problem (the CLI prints them). Implemented in
    // TaskCatalogValidation.cpp.
    QStringList validate(const QString &taskId, const QJsonObject &parameters) const;
    QStringList unknownParameters(const QString &taskId, const QJsonObject &parameters) const;
    QStringList validateGeneric(const QJsonObject &parameters) const;

private:
    QList<TaskSpec> m_tasks;
};

} // namespace idesk
