// Holds resources/tasks.json (compiled in as :/tasks.json) to the official task specifications copied
// into tests/data/task-specs/, and checks TaskCatalog::validate()/validateGeneric().
#include "TaskCatalog.h"
#include "TestConfig.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtTest>

#include <cmath>

using namespace idesk;

namespace {

const QString kSpecDir = QStringLiteral(IDESK_TEST_DATA_DIR "/task-specs");

struct ExpectedTask
{
    const char *id;
    const char *inputKind;
    const char *resultKind;
    bool pipelineRoute;
};

// The tasks hf-inference serves, plus chat-completion.
const ExpectedTask kExpectedTasks[] = {
    {"text-classification", "text", "scores", false},
    {"token-classification", "text", "entities", false},
    {"zero-shot-classification", "text-with-labels", "scores", false},
    {"fill-mask", "text", "scores", false},
    {"question-answering", "question-context", "answer", false},
    {"table-question-answering", "table-question", "table-answer", false},
    {"summarization", "text", "text", false},
    {"translation", "text", "text", false},
    {"feature-extraction", "text", "vectors", true},
    {"sentence-similarity", "sentence-similarity", "scores", true},
    {"text-generation", "text", "text", false},
    {"image-classification", "image", "scores", false},
    {"object-detection", "image", "boxes", false},
    {"image-segmentation", "image", "masks", false},
    {"image-to-text", "image", "text", false},
    {"zero-shot-image-classification", "image-with-labels", "scores", false},
    {"visual-question-answering", "image-question", "answer", false},
    {"document-question-answering", "image-question", "answer", false},
    {"text-to-image", "text", "image", false},
    {"image-to-image", "image", "image", false},
    {"automatic-speech-recognition", "audio", "text", false},
    {"audio-classification", "audio", "scores", false},
    {"text-to-speech", "text", "audio", false},
    {"audio-to-audio", "audio", "audio", false},
    {"chat-completion", "chat", "chat", false},
    // Vision chat: the chat route with images in user turns; held to the chat-completion spec.
    {"image-text-to-text", "chat", "chat", false},
};

// The spec folder a task is held to (image-text-to-text goes through the chat route: chat's spec).
QString specIdOf(const QString &id)
{
    return id == QLatin1String("image-text-to-text") ? QStringLiteral("chat-completion") : id;
}

QJsonObject readJsonObject(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QString enumText(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble()) {
        const double d = value.toDouble();
        return std::floor(d) == d ? QString::number(static_cast<qint64>(d)) : QString::number(d, 'g', 15);
    }
    return value.toString();
}

QSet<QString> toSet(const QStringList &list)
{
    return QSet<QString>(list.cbegin(), list.cend());
}

QString sorted(const QSet<QString> &set)
{
    QStringList list = set.values();
    list.sort();
    return QLatin1Char('{') + list.join(QLatin1Char(',')) + QLatin1Char('}');
}

// One JSON Schema document with the shared definitions its $refs point into.
class SpecReader
{
public:
    SpecReader(const QJsonObject &root, const QJsonObject &common) : m_root(root), m_common(common) {}

    // Follows $ref (local "#/..." or into common-definitions.json) and single-element allOf.
    QJsonObject resolve(QJsonObject node) const
    {
        for (int guard = 0; guard < 16; ++guard) {
            if (node.contains(QLatin1String("$ref"))) {
                const QString ref = node.value(QLatin1String("$ref")).toString();
                const int hash = ref.indexOf(QLatin1Char('#'));
                const QJsonObject base = ref.startsWith(QLatin1Char('#')) ? m_root : m_common;
                QJsonValue target = base;
                for (const QString &part : ref.mid(hash + 2).split(QLatin1Char('/'), Qt::SkipEmptyParts))
                    target = target.toObject().value(part);
                node = target.toObject();
                continue;
            }
            const QJsonArray allOf = node.value(QLatin1String("allOf")).toArray();
            if (!node.contains(QLatin1String("type")) && allOf.size() == 1) {
                node = allOf.first().toObject();
                continue;
            }
            break;
        }
        return node;
    }

    // JSON types a schema allows, looking into oneOf/anyOf branches.
    QSet<QString> types(const QJsonObject &schema) const
    {
        const QJsonObject node = resolve(schema);
        QSet<QString> result;
        const QJsonValue type = node.value(QLatin1String("type"));
        if (type.isString())
            result.insert(type.toString());
        for (const QJsonValue &t : type.toArray())
            result.insert(t.toString());
        if (result.isEmpty()) {
            for (const char *key : {"oneOf", "anyOf"}) {
                for (const QJsonValue &branch : node.value(QLatin1String(key)).toArray())
                    result.unite(types(branch.toObject()));
            }
        }
        return result;
    }

    // Allowed scalar values: enum, or the consts/enums of oneOf/anyOf branches.
    QSet<QString> enumValues(const QJsonObject &schema) const
    {
        const QJsonObject node = resolve(schema);
        QSet<QString> result;
        for (const QJsonValue &v : node.value(QLatin1String("enum")).toArray())
            result.insert(enumText(v));
        if (node.contains(QLatin1String("const")))
            result.insert(enumText(node.value(QLatin1String("const"))));
        for (const char *key : {"oneOf", "anyOf"}) {
            for (const QJsonValue &branch : node.value(QLatin1String(key)).toArray())
                result.unite(enumValues(branch.toObject()));
        }
        return result;
    }

    QSet<QString> itemTypes(const QJsonObject &schema) const
    {
        const QJsonObject node = resolve(schema);
        if (!node.contains(QLatin1String("items")))
            return {};
        return types(node.value(QLatin1String("items")).toObject());
    }

    QJsonObject properties(const QJsonObject &schema) const
    {
        return resolve(schema).value(QLatin1String("properties")).toObject();
    }

    // The request parameters of the task: the "parameters" object's members, or for the specs that
    // put them at the top level (feature-extraction's TEI form, chat-completion) the top-level
    // members other than the inputs, the model, the messages and stream.
    QJsonObject requestParameters() const
    {
        const QJsonObject top = m_root.value(QLatin1String("properties")).toObject();
        if (top.contains(QLatin1String("parameters")))
            return properties(top.value(QLatin1String("parameters")).toObject());
        QJsonObject result = top;
        for (const char *skip : {"inputs", "model", "messages", "stream"})
            result.remove(QLatin1String(skip));
        return result;
    }

    // Every difference between one spec property and the catalog's parameter, as sentences.
    QStringList compare(const QString &path, const QJsonObject &schema, const ParameterSpec &spec) const
    {
        QStringList problems;
        const QSet<QString> specTypes = types(schema);
        const QSet<QString> ourTypes = toSet(spec.type.split(QLatin1Char('|')));
        if (specTypes != ourTypes)
            problems << QStringLiteral("%1: type %2 in the spec, %3 in the catalog")
                            .arg(path, sorted(specTypes), sorted(ourTypes));
        const QSet<QString> specEnum = enumValues(schema);
        if (specEnum != toSet(spec.enumValues))
            problems << QStringLiteral("%1: enum %2 in the spec, %3 in the catalog")
                            .arg(path, sorted(specEnum), sorted(toSet(spec.enumValues)));
        const QSet<QString> specItems = itemTypes(schema);
        const QSet<QString> ourItems =
            spec.itemType.isEmpty() ? QSet<QString>() : toSet(spec.itemType.split(QLatin1Char('|')));
        if (specItems != ourItems)
            problems << QStringLiteral("%1: item type %2 in the spec, %3 in the catalog")
                            .arg(path, sorted(specItems), sorted(ourItems));
        const QJsonObject members =
            specTypes.contains(QStringLiteral("object")) ? properties(schema) : QJsonObject();
        for (auto it = members.constBegin(); it != members.constEnd(); ++it) {
            const ParameterSpec *member = nullptr;
            for (const ParameterSpec &candidate : spec.properties) {
                if (candidate.name == it.key())
                    member = &candidate;
            }
            if (!member)
                problems << QStringLiteral("%1.%2: missing from the catalog").arg(path, it.key());
            else
                problems << compare(path + QLatin1Char('.') + it.key(), it.value().toObject(), *member);
        }
        for (const ParameterSpec &candidate : spec.properties) {
            if (!members.contains(candidate.name))
                problems
                    << QStringLiteral("%1.%2: in the catalog but not in the spec").arg(path, candidate.name);
        }
        return problems;
    }

private:
    QJsonObject m_root;
    QJsonObject m_common;
};

void collectDescriptionProblems(const QString &path, const ParameterSpec &spec, QStringList *problems)
{
    if (spec.description.trimmed().isEmpty())
        problems->append(path);
    if (spec.description.contains(QLatin1Char('\n')))
        problems->append(path + QStringLiteral(" (more than one line)"));
    for (const ParameterSpec &member : spec.properties)
        collectDescriptionProblems(path + QLatin1Char('.') + member.name, member, problems);
}

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("bad test row JSON: %s", json.constData());
    return document.object();
}

} // namespace

class TestTaskCatalog : public QObject
{
    Q_OBJECT

private slots:
    void builtInCatalogLoads();
    void sourceFileMatchesResource();
    void hasTask_data();
    void hasTask();
    void matchesSpec_data();
    void matchesSpec();
    void everyParameterHasDescription();
    void inputKindNames();
    void validate_data();
    void validate();
    void unknownTask();
    void unknownParameters();
    void checkGivesPaths();
    void validateGeneric_data();
    void validateGeneric();
    void rejectsBrokenCatalogs_data();
    void rejectsBrokenCatalogs();
    void modelsNameCatalogTasks();
};

void TestTaskCatalog::builtInCatalogLoads()
{
    QString error;
    const std::optional<TaskCatalog> loaded = TaskCatalog::fromFile(QStringLiteral(":/tasks.json"), &error);
    QVERIFY2(loaded.has_value(), qPrintable(error));
    QCOMPARE(TaskCatalog::instance().taskIds(), loaded->taskIds());
    QVERIFY(TaskCatalog::instance().tasks().size() >= int(std::size(kExpectedTasks)));
    QVERIFY(TaskCatalog::instance().task(QStringLiteral("text-classification")));
    QCOMPARE(TaskCatalog::instance().task(QStringLiteral("no-such-task")), nullptr);
}

void TestTaskCatalog::sourceFileMatchesResource()
{
    QFile source(QStringLiteral(IDESK_SOURCE_DIR "/resources/tasks.json"));
    QFile resource(QStringLiteral(":/tasks.json"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QVERIFY(resource.open(QIODevice::ReadOnly));
    QCOMPARE(resource.readAll(), source.readAll());
}

void TestTaskCatalog::hasTask_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("inputKind");
    QTest::addColumn<QString>("resultKind");
    QTest::addColumn<bool>("pipelineRoute");
    for (const ExpectedTask &task : kExpectedTasks)
        QTest::newRow(task.id) << QString::fromLatin1(task.id) << QString::fromLatin1(task.inputKind)
                               << QString::fromLatin1(task.resultKind) << task.pipelineRoute;
}

void TestTaskCatalog::hasTask()
{
    QFETCH(QString, id);
    QFETCH(QString, inputKind);
    QFETCH(QString, resultKind);
    QFETCH(bool, pipelineRoute);
    const TaskSpec *task = TaskCatalog::instance().task(id);
    QVERIFY2(task, qPrintable(QStringLiteral("task %1 missing from resources/tasks.json").arg(id)));
    QCOMPARE(inputKindName(task->inputKind), inputKind);
    QCOMPARE(task->resultKind, resultKind);
    QCOMPARE(task->pipelineRoute, pipelineRoute);
    QVERIFY(!task->title.isEmpty());
    QVERIFY(!task->description.isEmpty());
}

void TestTaskCatalog::matchesSpec_data()
{
    QTest::addColumn<QString>("id");
    int withSpec = 0;
    for (const ExpectedTask &task : kExpectedTasks) {
        if (QFile::exists(kSpecDir + QLatin1Char('/') + specIdOf(QLatin1String(task.id)) +
                          QStringLiteral("/input.json"))) {
            QTest::newRow(task.id) << QString::fromLatin1(task.id);
            ++withSpec;
        }
    }
    // Only audio-to-audio has no spec; a lost data folder must not pass silently.
    QCOMPARE(withSpec, int(std::size(kExpectedTasks)) - 1);
}

void TestTaskCatalog::matchesSpec()
{
    QFETCH(QString, id);
    const QJsonObject root =
        readJsonObject(kSpecDir + QLatin1Char('/') + specIdOf(id) + QStringLiteral("/input.json"));
    const QJsonObject common = readJsonObject(kSpecDir + QStringLiteral("/_common/common-definitions.json"));
    QVERIFY(!root.isEmpty());
    QVERIFY(!common.isEmpty());
    const SpecReader reader(root, common);
    const TaskSpec *task = TaskCatalog::instance().task(id);
    QVERIFY(task);

    const QJsonObject specParameters = reader.requestParameters();
    QStringList problems;
    for (auto it = specParameters.constBegin(); it != specParameters.constEnd(); ++it) {
        const ParameterSpec *ours = task->parameter(it.key());
        if (!ours)
            problems << QStringLiteral("%1: missing from the catalog").arg(it.key());
        else
            problems << reader.compare(it.key(), it.value().toObject(), *ours);
    }
    for (const ParameterSpec &ours : task->parameters) {
        if (!specParameters.contains(ours.name))
            problems << QStringLiteral("%1: in the catalog but not in the spec").arg(ours.name);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n"))));
    QCOMPARE(task->parameters.size(), specParameters.size());
}

void TestTaskCatalog::everyParameterHasDescription()
{
    QStringList problems;
    int count = 0;
    for (const TaskSpec &task : TaskCatalog::instance().tasks()) {
        for (const ParameterSpec &spec : task.parameters) {
            collectDescriptionProblems(task.id + QLatin1Char('/') + spec.name, spec, &problems);
            ++count;
        }
    }
    QVERIFY(count > 50);
    QVERIFY2(problems.isEmpty(),
             qPrintable(QStringLiteral("no description: ") + problems.join(QStringLiteral(", "))));
}

void TestTaskCatalog::inputKindNames()
{
    const QStringList names = {QStringLiteral("text"),
                               QStringLiteral("question-context"),
                               QStringLiteral("sentence-similarity"),
                               QStringLiteral("text-with-labels"),
                               QStringLiteral("table-question"),
                               QStringLiteral("image"),
                               QStringLiteral("image-question"),
                               QStringLiteral("image-with-labels"),
                               QStringLiteral("audio"),
                               QStringLiteral("json"),
                               QStringLiteral("chat")};
    for (const QString &name : names) {
        const std::optional<InputKind> kind = inputKindFromName(name);
        QVERIFY2(kind.has_value(), qPrintable(name));
        QCOMPARE(inputKindName(*kind), name);
    }
    QVERIFY(!inputKindFromName(QStringLiteral("Text")).has_value());
    QVERIFY(!inputKindFromName(QString()).has_value());
}

void TestTaskCatalog::validate_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<QByteArray>("parameters");
    QTest::addColumn<QString>("badParameter"); // empty: the parameters are fine
    QTest::addColumn<QString>("mentions");     // a fragment the message must contain

    auto good = [](const char *row, const char *task, const char *json) {
        QTest::newRow(row) << QString::fromLatin1(task) << QByteArray(json) << QString() << QString();
    };
    auto bad = [](const char *row, const char *task, const char *json, const char *name,
                  const char *mentions) {
        QTest::newRow(row) << QString::fromLatin1(task) << QByteArray(json) << QString::fromLatin1(name)
                           << QString::fromUtf8(mentions);
    };

    good("classification ok", "text-classification", R"({"function_to_apply": "softmax", "top_k": 3})");
    good("integer written 3.0", "text-classification", R"({"top_k": 3.0})");
    good("null means unset", "text-classification", R"({"top_k": null})");
    good("unknown parameter passes", "text-classification", R"({"my_own_flag": [1, 2]})");
    bad("integer 3.5", "text-classification", R"({"top_k": 3.5})", "top_k", "whole number");
    bad("integer as string", "text-classification", R"({"top_k": "3"})", "top_k", "without quotes");
    bad("top_k zero", "text-classification", R"({"top_k": 0})", "top_k", "at least 1");
    // Issue 19: integers beyond 64 bits (read as 1e+23) passed validation.
    bad("integer over 2^63", "text-classification", R"({"top_k": 99999999999999999999999})", "top_k",
        "from 1 to 9223372036854775807");
    bad("integer under -2^63", "text-generation", R"({"seed": -99999999999999999999999})", "seed",
        "whole number from");
    good("integer at 2^53", "text-generation", R"({"seed": 9007199254740992})");
    bad("enum with comma", "text-classification", R"({"function_to_apply": "sigmoid,"})", "function_to_apply",
        R"(Parameter "function_to_apply" must be one of sigmoid, softmax, none (got "sigmoid,").)");
    bad("enum wrong type", "image-classification", R"({"function_to_apply": 1})", "function_to_apply",
        "sigmoid, softmax, none");
    good(
        "zero-shot labels", "zero-shot-classification",
        R"({"candidate_labels": ["sport", "politics"], "multi_label": true, "hypothesis_template": "About {}."})");
    bad("labels as one string", "zero-shot-classification", R"({"candidate_labels": "sport,politics"})",
        "candidate_labels", "list of strings");
    bad("label not a string", "zero-shot-classification", R"({"candidate_labels": ["sport", 2]})",
        "candidate_labels", "item 2");
    bad("boolean as string", "zero-shot-classification", R"({"multi_label": "true"})", "multi_label",
        "true or false");
    good("zero-shot image labels", "zero-shot-image-classification",
         R"({"candidate_labels": ["cat", "dog"]})");
    good("threshold", "object-detection", R"({"threshold": 0.7})");
    good("number accepts integer", "object-detection", R"({"threshold": 1})");
    bad("threshold above 1", "object-detection", R"({"threshold": 1.5})", "threshold", "between 0 and 1");
    bad("number as string", "object-detection", R"({"threshold": "0.5"})", "threshold", "a number");
    good(
        "tgi parameters", "text-generation",
        R"({"max_new_tokens": 20, "temperature": 0.7, "top_p": 0.9, "stop": ["\n"], "return_full_text": false,
             "grammar": {"type": "regex", "value": "[0-9]+"}})");
    bad("negative temperature", "text-generation", R"({"temperature": -0.1})", "temperature", "at least 0");
    bad("top_p above 1", "text-generation", R"({"top_p": 2})", "top_p", "between 0 and 1");
    good("aggregation", "token-classification",
         R"({"aggregation_strategy": "simple", "ignore_labels": ["O"]})");
    bad("aggregation typo", "token-classification", R"({"aggregation_strategy": "maximum"})",
        "aggregation_strategy", "none, simple, first, average, max");
    good(
        "nested generation", "automatic-speech-recognition",
        R"({"return_timestamps": true, "generation_parameters": {"early_stopping": "never", "num_beams": 4}})");
    good("early_stopping boolean", "text-to-speech",
         R"({"generation_parameters": {"early_stopping": true}})");
    bad("nested wrong type", "automatic-speech-recognition",
        R"({"generation_parameters": {"temperature": "hot"}})", "generation_parameters.temperature",
        "a number");
    bad("early_stopping quoted true", "image-to-text",
        R"({"generation_parameters": {"early_stopping": "true"}})", "generation_parameters.early_stopping",
        "without quotes");
    bad("early_stopping unknown", "text-to-speech",
        R"({"generation_parameters": {"early_stopping": "soon"}})", "generation_parameters.early_stopping",
        "never, true, false");
    bad("nested not an object", "text-to-speech", R"({"generation_parameters": 5})", "generation_parameters",
        "JSON object");
    bad("target size", "image-to-image", R"({"target_size": {"width": 0, "height": 512}})",
        "target_size.width", "at least 1");
    good("tool_choice string", "chat-completion", R"({"tool_choice": "auto", "max_tokens": 100})");
    good("tool_choice object", "chat-completion",
         R"({"tool_choice": {"function": {"name": "get_weather"}},
             "tools": [{"type": "function", "function": {"name": "get_weather"}}]})");
    bad("tool_choice unknown", "chat-completion", R"({"tool_choice": "always"})", "tool_choice",
        "auto, none, required");
    bad("top_logprobs range", "chat-completion", R"({"top_logprobs": 6})", "top_logprobs", "between 0 and 5");
    bad("vision tools items", "image-text-to-text", R"({"tools": ["get_weather"]})", "tools", "JSON objects");
    bad("tools items", "chat-completion", R"({"tools": ["get_weather"]})", "tools", "JSON objects");
    good("truncation strategy", "summarization", R"({"truncation": "longest_first"})");
    bad("truncation boolean here", "table-question-answering", R"({"truncation": "longest_first"})",
        "truncation", "true or false");
    bad("truncation direction", "feature-extraction", R"({"truncation_direction": "up"})",
        "truncation_direction", "left, right");
    good("word boxes", "document-question-answering", R"({"word_boxes": ["Total", [10, 20, 30, 40]]})");
    bad("word boxes item", "document-question-answering", R"({"word_boxes": [true]})", "word_boxes",
        "item 1");
}

void TestTaskCatalog::validate()
{
    QFETCH(QString, task);
    QFETCH(QByteArray, parameters);
    QFETCH(QString, badParameter);
    QFETCH(QString, mentions);
    const QStringList problems = TaskCatalog::instance().validate(task, parseObject(parameters));
    if (badParameter.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        return;
    }
    QCOMPARE(problems.size(), 1);
    const QString message = problems.first();
    QVERIFY2(message.startsWith(QStringLiteral("Parameter \"%1\" ").arg(badParameter)), qPrintable(message));
    QVERIFY2(message.contains(mentions), qPrintable(message));
    QVERIFY2(message.endsWith(QLatin1Char('.')), qPrintable(message));
}

void TestTaskCatalog::unknownParameters()
{
    // Issue 19: a typed name the task does not know is named, with the names it knows.
    const TaskCatalog &catalog = TaskCatalog::instance();
    QStringList problems = catalog.unknownParameters(QStringLiteral("text-classification"),
                                                     QJsonObject{{"top_kk", 3}, {"top_k", 2}});
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(QStringLiteral("\"top_kk\"")), qPrintable(problems.first()));
    QVERIFY2(problems.first().contains(QStringLiteral("function_to_apply, top_k")),
             qPrintable(problems.first()));
    problems = catalog.unknownParameters(QStringLiteral("text-classification"), QJsonObject{{"Top-K", 3}});
    QVERIFY2(problems.value(0).contains(QStringLiteral("Did you mean \"top_k\"")),
             qPrintable(problems.value(0)));
    problems = catalog.unknownParameters(QStringLiteral("sentence-similarity"), QJsonObject{{"x", 1}});
    QVERIFY2(problems.value(0).contains(QStringLiteral("takes no parameters")),
             qPrintable(problems.value(0)));
    QVERIFY(catalog.unknownParameters(QStringLiteral("text-classification"), QJsonObject{{"top_k", 3}})
                .isEmpty());
    QVERIFY(catalog.unknownParameters(QStringLiteral("no-such-task"), QJsonObject{{"x", 1}}).isEmpty());
    // validate() itself still lets extra parameters through (the app's extra rows, flows).
    QVERIFY(catalog.validate(QStringLiteral("text-classification"), QJsonObject{{"top_kk", 3}}).isEmpty());
}

void TestTaskCatalog::unknownTask()
{
    const QStringList problems =
        TaskCatalog::instance().validate(QStringLiteral("text-clasification"), QJsonObject{{"top_k", 3}});
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(QStringLiteral("\"text-clasification\"")),
             qPrintable(problems.first()));
    for (const ExpectedTask &task : kExpectedTasks)
        QVERIFY2(problems.first().contains(QLatin1String(task.id)), qPrintable(problems.first()));
}

void TestTaskCatalog::checkGivesPaths()
{
    // Issue 13: each problem says where it is, so views mark rows by path, not by reading the sentence.
    const TaskCatalog &catalog = TaskCatalog::instance();
    using idesk::ParameterProblem;
    const auto check = [&catalog](const char *task, const QByteArray &json) {
        return catalog.check(QLatin1String(task), parseObject(json));
    };
    QList<ParameterProblem> found = check("text-classification", R"({"top_k": 0, "extra": "x"})");
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().path, QStringLiteral("parameters.top_k"));
    QVERIFY2(found.first().message.startsWith(QStringLiteral("Parameter \"top_k\" must be at least 1")),
             qPrintable(found.first().message));

    found = check("chat-completion", R"({"tools": [{"type": "function", "function": {"name": "a b"}}],
        "response_format": {"type": "json_schema"}, "tool_choice": {"function": {"name": "zz"}}})");
    QStringList paths;
    for (const ParameterProblem &problem : found)
        paths << problem.path;
    QCOMPARE(paths, (QStringList{QStringLiteral("parameters.tools[0].function.name"),
                                 QStringLiteral("parameters.response_format.json_schema"),
                                 QStringLiteral("parameters.tool_choice")}));
    // The sentence still starts with where it is, relative to the parameters (the CLI prints it).
    QVERIFY2(found.first().message.startsWith(QStringLiteral("tools[0].function.name \"a b\"")),
             qPrintable(found.first().message));

    found = check("image-to-image", R"({"target_size": {"width": "wide", "height": 4}})");
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().path, QStringLiteral("parameters.target_size.width"));

    found = check("document-question-answering", R"({"word_boxes": ["Total", true]})");
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().path, QStringLiteral("parameters.word_boxes[1]"));

    found = check("text-clasification", R"({"top_k": 3})");
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().path, QStringLiteral("task"));

    found = catalog.checkUnknown(QStringLiteral("text-classification"), parseObject(R"({"top_kk": 3})"));
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().path, QStringLiteral("parameters.top_kk"));

    found = catalog.checkGeneric(parseObject(R"({"temperature": "hot"})"));
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().path, QStringLiteral("parameters.temperature"));

    // The CLI's sentences are the same messages, in the same order.
    const QJsonObject chat = parseObject(R"({"tools": 3, "max_tokens": -1, "top_p": 7})");
    QCOMPARE(catalog.validate(QStringLiteral("chat-completion"), chat),
             idesk::problemMessages(catalog.check(QStringLiteral("chat-completion"), chat)));
    QCOMPARE(catalog.validate(QStringLiteral("chat-completion"), chat).size(), 3);
}

void TestTaskCatalog::validateGeneric_data()
{
    QTest::addColumn<QByteArray>("parameters");
    QTest::addColumn<QStringList>("expected"); // exact messages

    QTest::newRow("seed flow 2") << QByteArray(R"({"function_to_apply": "sigmoid,", "top_k": 3})")
                                 << QStringList{
                                        QStringLiteral(R"(Parameter "function_to_apply" must be one of )"
                                                       R"(sigmoid, softmax, none (got "sigmoid,").)")};
    QTest::newRow("seed flow fixed") << QByteArray(R"({"function_to_apply": "sigmoid", "top_k": 3})")
                                     << QStringList();
    QTest::newRow("top_k quoted") << QByteArray(R"({"top_k": "3"})")
                                  << QStringList{
                                         QStringLiteral(R"(Parameter "top_k" must be a whole number )"
                                                        R"((got "3"; write the number without quotes).)")};
    QTest::newRow("top_k zero") << QByteArray(R"({"top_k": 0})")
                                << QStringList{
                                       QStringLiteral(R"(Parameter "top_k" must be at least 1 (got 0).)")};
    QTest::newRow("labels one string")
        << QByteArray(R"({"candidate_labels": "a,b"})")
        << QStringList{
               QStringLiteral(R"(Parameter "candidate_labels" must be a list of strings (got "a,b").)")};
    QTest::newRow("temperature text")
        << QByteArray(R"({"temperature": "hot"})")
        << QStringList{QStringLiteral(R"(Parameter "temperature" must be a number (got "hot").)")};
    // truncation is a string enum in summarization but a boolean in table QA: not checked without a task.
    QTest::newRow("truncation differs") << QByteArray(R"({"truncation": "whatever"})") << QStringList();
    QTest::newRow("unknown passes") << QByteArray(R"({"wait_for_it": {"a": 1}})") << QStringList();
}

void TestTaskCatalog::validateGeneric()
{
    QFETCH(QByteArray, parameters);
    QFETCH(QStringList, expected);
    QCOMPARE(TaskCatalog::instance().validateGeneric(parseObject(parameters)), expected);
}

void TestTaskCatalog::rejectsBrokenCatalogs_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    const QByteArray task = R"({"id": "t", "title": "T", "inputKind": "text", "resultKind": "text",
                               "description": "d", "parameters": [%1]})";
    auto with = [&](const char *parameter) {
        return QByteArray(R"({"version": 1, "tasks": [)") + QByteArray(task).replace("%1", parameter) + "]}";
    };
    QTest::newRow("not json") << QByteArray("{\"version\": 1,") << QStringLiteral("not valid JSON");
    QTest::newRow("version") << QByteArray(R"({"version": 2, "tasks": []})") << QStringLiteral("version");
    QTest::newRow("input kind") << QByteArray(R"({"version": 1, "tasks": [{"id": "t", "title": "T",
                                   "inputKind": "txt", "resultKind": "text", "description": "d"}]})")
                                << QStringLiteral("inputKind \"txt\"");
    QTest::newRow("type") << with(R"({"name": "k", "type": "int", "description": "d"})")
                          << QStringLiteral("type \"int\"");
    QTest::newRow("no description") << with(R"({"name": "k", "type": "integer"})")
                                    << QStringLiteral("description");
    QTest::newRow("default outside enum")
        << with(R"({"name": "k", "type": "string", "enum": ["a"], "default": "b", "description": "d"})")
        << QStringLiteral("default");
    QTest::newRow("duplicate") << with(R"({"name": "k", "type": "string", "description": "d"},
                                          {"name": "k", "type": "string", "description": "d"})")
                               << QStringLiteral("twice");
}

void TestTaskCatalog::rejectsBrokenCatalogs()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!TaskCatalog::fromJson(json, &error).has_value());
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY(!TaskCatalog::fromFile(QStringLiteral("/nonexistent/tasks.json"), &error).has_value());
    QVERIFY2(error.contains(QStringLiteral("/nonexistent/tasks.json")), qPrintable(error));
}

void TestTaskCatalog::modelsNameCatalogTasks()
{
    const QJsonObject root = readJsonObject(QStringLiteral(":/models.json"));
    QCOMPARE(root.value(QLatin1String("version")).toInt(), 1);
    const QJsonArray models = root.value(QLatin1String("models")).toArray();
    QVERIFY(models.size() >= 20);
    QSet<QString> seen;
    QSet<QString> tasksWithModels;
    for (const QJsonValue &value : models) {
        const QJsonObject model = value.toObject();
        const QString task = model.value(QLatin1String("task")).toString();
        const QString id = model.value(QLatin1String("model")).toString();
        QVERIFY2(TaskCatalog::instance().task(task),
                 qPrintable(QStringLiteral("%1 names task \"%2\"").arg(id, task)));
        QVERIFY2(!id.isEmpty() && !id.contains(QLatin1Char(' ')), qPrintable(id));
        QVERIFY2(!model.value(QLatin1String("note")).toString().isEmpty(), qPrintable(id));
        const QString key = task + QLatin1Char(' ') + id;
        QVERIFY2(!seen.contains(key), qPrintable(QStringLiteral("listed twice: ") + key));
        seen.insert(key);
        tasksWithModels.insert(task);
    }
    QVERIFY(tasksWithModels.contains(QStringLiteral("chat-completion")));
    QVERIFY(tasksWithModels.contains(QStringLiteral("image-text-to-text")));
    QVERIFY(tasksWithModels.contains(QStringLiteral("text-classification")));
}

QTEST_GUILESS_MAIN(TestTaskCatalog)
#include "TestTaskCatalog.moc"
