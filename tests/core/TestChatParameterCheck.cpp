// ChatParameterCheck: the shapes of chat-completion's tools, response_format and tool_choice, the light
// JSON Schema check inside them, and that TaskCatalog::validate (the app's and the CLI's check before
// sending) uses them. Every bad input gives sentences that start with the path and say what to do.
#include "ChatParameterCheck.h"
#include "TaskCatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace idesk;

namespace {

QJsonValue parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + json + "]", &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON %s: %s", json.constData(), qPrintable(error.errorString()));
    return doc.array().first();
}

const QByteArray kWeather =
    R"({"type": "function", "function": {"name": "get_weather", "description": "Weather now",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location"]}}})";

} // namespace

class TestChatParameterCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tools_data();
    void tools();
    void responseFormat_data();
    void responseFormat();
    void toolChoice_data();
    void toolChoice();
    void schema_data();
    void schema();
    void names();
    void catalogValidateUsesTheChecks();
    void wrongTypeIsReportedOnce();
    void problemsCarryTheirPath();
};

// Columns: the value, then the path the one problem must start with and words it must contain
// (both empty: no problem).
void TestChatParameterCheck::tools_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("words");
    QTest::newRow("good") << "[" + kWeather + "]" << QString() << QString();
    QTest::newRow("two good") << "[" + kWeather + R"(, {"type": "function", "function": {"name": "now-2"}}])"
                              << QString() << QString();
    QTest::newRow("null is unset") << QByteArray("null") << QString() << QString();
    QTest::newRow("no parameters") << QByteArray(R"([{"type": "function", "function": {"name": "ping"}}])")
                                   << QString() << QString();
    QTest::newRow("description null")
        << QByteArray(R"([{"type": "function", "function": {"name": "ping", "description": null}}])")
        << QString() << QString();
    QTest::newRow("not a list") << QByteArray(R"({"type": "function"})") << "tools must be a list"
                                << "get_weather";
    QTest::newRow("empty") << QByteArray("[]") << "tools is an empty list"
                           << "leave it unset";
    QTest::newRow("item not object") << QByteArray(R"(["get_weather"])") << "tools[0] must be an object"
                                     << "\"get_weather\"";
    QTest::newRow("type missing") << QByteArray(R"([{"function": {"name": "a"}}])")
                                  << "tools[0].type is missing"
                                  << "\"type\": \"function\"";
    QTest::newRow("type wrong") << QByteArray(R"([{"type": "retrieval", "function": {"name": "a"}}])")
                                << "tools[0].type must be \"function\""
                                << "\"retrieval\"";
    QTest::newRow("function missing")
        << QByteArray(R"([{"type": "function"}])") << "tools[0].function must be an object"
        << "\"name\"";
    QTest::newRow("name missing") << QByteArray(R"([{"type": "function", "function": {}}])")
                                  << "tools[0].function.name is missing"
                                  << "get_weather";
    QTest::newRow("name not text") << QByteArray(R"([{"type": "function", "function": {"name": 3}}])")
                                   << "tools[0].function.name must be text"
                                   << "got 3";
    QTest::newRow("name empty") << QByteArray(R"([{"type": "function", "function": {"name": ""}}])")
                                << "tools[0].function.name is empty"
                                << "get_weather";
    QTest::newRow("name with space") << "[" + kWeather +
                                            R"(, {"type": "function", "function": {"name": "get weather"}}])"
                                     << "tools[1].function.name \"get weather\""
                                     << "e.g. \"get_weather\"";
    QTest::newRow("name too long") << QByteArray(R"([{"type": "function", "function": {"name": ")") +
                                          QByteArray(65, 'a') + "\"}}]"
                                   << "tools[0].function.name is 65 characters"
                                   << "at most 64";
    QTest::newRow("name twice") << "[" + kWeather + ", " + kWeather + "]"
                                << "tools[1].function.name \"get_weather\""
                                << "already the name of tools[0]";
    QTest::newRow("description number")
        << QByteArray(R"([{"type": "function", "function": {"name": "a", "description": 1}}])")
        << "tools[0].function.description must be text"
        << "got 1";
    QTest::newRow("parameters a string")
        << QByteArray(R"([{"type": "function", "function": {"name": "a", "parameters": "location"}}])")
        << "tools[0].function.parameters must be a JSON Schema object"
        << "\"location\"";
    QTest::newRow("parameters not an object schema")
        << QByteArray(
               R"([{"type": "function", "function": {"name": "a", "parameters": {"type": "string"}}}])")
        << "tools[0].function.parameters.type must describe an object"
        << "\"type\": \"object\"";
    QTest::newRow("schema type typo")
        << QByteArray(R"([{"type": "function", "function": {"name": "a", "parameters": {"type": "object",
                         "properties": {"city": {"type": "strng"}}}}}])")
        << "tools[0].function.parameters.properties.city.type \"strng\""
        << "string, number";
    QTest::newRow("required not described")
        << QByteArray(R"([{"type": "function", "function": {"name": "a", "parameters": {"type": "object",
                         "properties": {"city": {"type": "string"}}, "required": ["location"]}}}])")
        << "tools[0].function.parameters.required lists \"location\""
        << "not in";
}

void TestChatParameterCheck::tools()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, path);
    QFETCH(QString, words);
    const QStringList problems = ChatParameterCheck::checkTools(parse(value));
    if (path.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        return;
    }
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().startsWith(path), qPrintable(problems.first()));
    QVERIFY2(problems.first().contains(words), qPrintable(problems.first()));
    QVERIFY2(problems.first().endsWith(QLatin1Char('.')), qPrintable(problems.first()));
}

void TestChatParameterCheck::responseFormat_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("words");
    QTest::newRow("text") << QByteArray(R"({"type": "text"})") << QString() << QString();
    QTest::newRow("json_object") << QByteArray(R"({"type": "json_object"})") << QString() << QString();
    QTest::newRow("json_schema") << QByteArray(R"({"type": "json_schema", "json_schema": {"name": "answer",
        "strict": true, "schema": {"type": "object", "properties": {"x": {"type": "integer"}},
        "required": ["x"]}}})") << QString()
                                 << QString();
    QTest::newRow("null") << QByteArray("null") << QString() << QString();
    // Hugging Face's servers also take TGI's older grammar forms (see the recording
    // a2501_ICV_chat_completion_with_response_format-0).
    QTest::newRow("tgi json") << QByteArray(
                                     R"({"type": "json", "value": {"properties": {"a": {"type": "string"}},
        "required": ["a"]}})") << QString()
                              << QString();
    QTest::newRow("tgi regex") << QByteArray(R"({"type": "regex", "value": "[0-9]+"})") << QString()
                               << QString();
    QTest::newRow("not an object") << QByteArray(R"("json_object")") << "response_format must be an object"
                                   << "\"json_object\"";
    QTest::newRow("type missing") << QByteArray(R"({"json_schema": {}})") << "response_format.type is missing"
                                  << "json_schema";
    QTest::newRow("type unknown") << QByteArray(R"({"type": "xml"})") << "response_format.type must be"
                                  << "\"xml\"";
    QTest::newRow("schema with json_object")
        << QByteArray(R"({"type": "json_object", "json_schema": {"name": "a"}})")
        << "response_format has a json_schema"
        << "set the type to \"json_schema\"";
    QTest::newRow("config missing") << QByteArray(R"({"type": "json_schema"})")
                                    << "response_format.json_schema must be an object"
                                    << "\"name\"";
    QTest::newRow("name missing") << QByteArray(R"({"type": "json_schema", "json_schema": {"schema": {}}})")
                                  << "response_format.json_schema.name is missing"
                                  << "\"answer\"";
    QTest::newRow("name invalid")
        << QByteArray(R"({"type": "json_schema", "json_schema": {"name": "my answer", "schema": {}}})")
        << "response_format.json_schema.name \"my answer\""
        << "\"my_answer\"";
    QTest::newRow("strict quoted")
        << QByteArray(
               R"({"type": "json_schema", "json_schema": {"name": "a", "strict": "true", "schema": {}}})")
        << "response_format.json_schema.strict must be true or false"
        << "without quotes";
    QTest::newRow("schema missing") << QByteArray(R"({"type": "json_schema", "json_schema": {"name": "a"}})")
                                    << "response_format.json_schema.schema is missing"
                                    << "JSON Schema";
    QTest::newRow("schema a list")
        << QByteArray(R"({"type": "json_schema", "json_schema": {"name": "a", "schema": [1]}})")
        << "response_format.json_schema.schema must be a JSON Schema object"
        << "[1]";
    QTest::newRow("schema bad type")
        << QByteArray(R"({"type": "json_schema", "json_schema": {"name": "a", "schema": {"type": "dict"}}})")
        << "response_format.json_schema.schema.type \"dict\""
        << "not a JSON Schema type";
    QTest::newRow("tgi json not a schema") << QByteArray(R"({"type": "json", "value": "x"})")
                                           << "response_format.value must be a JSON Schema object"
                                           << "\"x\"";
    // The schema of TGI's forms is checked too, wherever it is given.
    QTest::newRow("tgi json bad type") << QByteArray(R"({"type": "json", "value": {"type": "strin"}})")
                                       << "response_format.value.type \"strin\""
                                       << "not a JSON Schema type";
    QTest::newRow("tgi json_object value")
        << QByteArray(R"({"type": "json_object", "value": {"properties": {"a": {"type": "strin"}}}})")
        << "response_format.value.properties.a.type \"strin\""
        << "not a JSON Schema type";
    QTest::newRow("json_object schema")
        << QByteArray(R"({"type": "json_object", "schema": {"type": "object", "required": ["a"],
            "properties": {"b": {"type": "string"}}}})")
        << "response_format.schema.required lists \"a\""
        << "remove it from required";
    QTest::newRow("json schema") << QByteArray(R"({"type": "json", "schema": {"type": "strin"}})")
                                 << "response_format.schema.type \"strin\""
                                 << "not a JSON Schema type";
    QTest::newRow("json_object value not a schema") << QByteArray(R"({"type": "json_object", "value": [1]})")
                                                    << "response_format.value must be a JSON Schema object"
                                                    << "[1]";
    QTest::newRow("tgi json_object value, good")
        << QByteArray(R"({"type": "json_object", "value": {"type": "object", "properties": {"a":
            {"type": "string"}}, "required": ["a"]}})")
        << QString() << QString();
}

void TestChatParameterCheck::responseFormat()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, path);
    QFETCH(QString, words);
    const QStringList problems = ChatParameterCheck::checkResponseFormat(parse(value));
    if (path.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        return;
    }
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().startsWith(path), qPrintable(problems.first()));
    QVERIFY2(problems.first().contains(words), qPrintable(problems.first()));
}

void TestChatParameterCheck::toolChoice_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("tools");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("words");
    const QByteArray tools = "[" + kWeather + "]";
    QTest::newRow("auto") << QByteArray(R"("auto")") << QByteArray("null") << QString() << QString();
    QTest::newRow("none") << QByteArray(R"("none")") << QByteArray("null") << QString() << QString();
    QTest::newRow("required") << QByteArray(R"("required")") << tools << QString() << QString();
    QTest::newRow("named") << QByteArray(R"({"type": "function", "function": {"name": "get_weather"}})")
                           << tools << QString() << QString();
    QTest::newRow("named, no type") << QByteArray(R"({"function": {"name": "get_weather"}})") << tools
                                    << QString() << QString();
    QTest::newRow("required without tools")
        << QByteArray(R"("required")") << QByteArray("null") << "tool_choice \"required\" needs"
        << "choose auto";
    QTest::newRow("unknown word") << QByteArray(R"("always")") << tools << "tool_choice must be"
                                  << "\"always\"";
    QTest::newRow("names an unknown tool")
        << QByteArray(R"({"type": "function", "function": {"name": "get_time"}})") << tools
        << "tool_choice names the function \"get_time\""
        << "choose one of \"get_weather\"";
    QTest::newRow("names a tool, none defined")
        << QByteArray(R"({"type": "function", "function": {"name": "get_weather"}})") << QByteArray("null")
        << "tool_choice names the function \"get_weather\""
        << "tools defines none";
    QTest::newRow("names a tool (no type), none defined")
        << QByteArray(R"({"function": {"name": "get_weather"}})") << QByteArray("[]")
        << "tool_choice names the function \"get_weather\""
        << "tools defines none";
    QTest::newRow("required, tools empty")
        << QByteArray(R"("required")") << QByteArray("[]") << "tool_choice \"required\" needs"
        << "choose auto";
    QTest::newRow("type wrong") << QByteArray(R"({"type": "tool", "function": {"name": "get_weather"}})")
                                << tools << "tool_choice.type must be \"function\""
                                << "\"tool\"";
    QTest::newRow("no function") << QByteArray(R"({"type": "function"})") << tools
                                 << "tool_choice must name a function"
                                 << "\"get_weather\"";
    QTest::newRow("no name") << QByteArray(R"({"type": "function", "function": {}})") << tools
                             << "tool_choice.function.name is missing"
                             << "functions in tools";
}

void TestChatParameterCheck::toolChoice()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, tools);
    QFETCH(QString, path);
    QFETCH(QString, words);
    const QStringList problems = ChatParameterCheck::checkToolChoice(parse(value), parse(tools));
    if (path.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        return;
    }
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().startsWith(path), qPrintable(problems.first()));
    QVERIFY2(problems.first().contains(words), qPrintable(problems.first()));
}

void TestChatParameterCheck::schema_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("words");
    QTest::newRow("empty schema") << QByteArray("{}") << QString() << QString();
    QTest::newRow("full") << QByteArray(R"({"type": "object", "properties": {
        "tags": {"type": "array", "items": {"type": "string"}},
        "when": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "extra": true, "point": {"$ref": "#/$defs/point"}},
        "$defs": {"point": {"type": "object", "properties": {"x": {"type": "number"}}}},
        "additionalProperties": false, "required": ["tags"]})")
                          << QString() << QString();
    QTest::newRow("type list") << QByteArray(R"({"type": ["string", "null"]})") << QString() << QString();
    QTest::newRow("required via allOf")
        << QByteArray(R"({"allOf": [{"$ref": "#/$defs/a"}], "required": ["x"]})") << QString() << QString();
    QTest::newRow("not an object") << QByteArray("true") << "s must be a JSON Schema object"
                                   << "got true";
    QTest::newRow("type not text") << QByteArray(R"({"type": 5})") << "s.type must be a type name"
                                   << "got 5";
    QTest::newRow("type list item") << QByteArray(R"({"type": ["string", "text"]})") << "s.type[1] (\"text\")"
                                    << "not a JSON Schema type";
    QTest::newRow("properties a list")
        << QByteArray(R"({"properties": ["a"]})") << "s.properties must be an object"
        << "property name";
    QTest::newRow("property not a schema")
        << QByteArray(R"({"properties": {"a": "string"}})") << "s.properties.a must be a JSON Schema object"
        << "\"string\"";
    QTest::newRow("odd property name")
        << QByteArray(R"({"properties": {"a b": 1}})") << "s.properties[\"a b\"] must be"
        << "JSON Schema object";
    QTest::newRow("required not a list")
        << QByteArray(R"({"properties": {"a": {}}, "required": "a"})") << "s.required must be a list"
        << "[\"location\"]";
    QTest::newRow("required item") << QByteArray(R"({"properties": {"a": {}}, "required": [1]})")
                                   << "s.required[0] must be a property name"
                                   << "got 1";
    QTest::newRow("required, no properties") << QByteArray(R"({"type": "object", "required": ["a"]})")
                                             << "s.required lists \"a\", but s has no \"properties\""
                                             << "remove it";
    QTest::newRow("items not a schema")
        << QByteArray(R"({"type": "array", "items": "string"})") << "s.items must be a JSON Schema object"
        << "\"string\"";
    QTest::newRow("anyOf empty") << QByteArray(R"({"anyOf": []})") << "s.anyOf must be a non-empty list"
                                 << "schemas";
    QTest::newRow("defs bad") << QByteArray(R"({"$defs": {"p": 3}})") << "s.$defs.p must be"
                              << "got 3";
    QTest::newRow("enum empty") << QByteArray(R"({"enum": []})") << "s.enum must be a non-empty list"
                                << "allowed values";
    QTest::newRow("deep")
        << QByteArray(R"({"properties": {"a": {"items": {"properties": {"b": {"type": "float"}}}}}})")
        << "s.properties.a.items.properties.b.type \"float\""
        << "number";
}

void TestChatParameterCheck::schema()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, path);
    QFETCH(QString, words);
    const QStringList problems = ChatParameterCheck::checkSchema(parse(value), QStringLiteral("s"));
    if (path.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        return;
    }
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().startsWith(path), qPrintable(problems.first()));
    QVERIFY2(problems.first().contains(words), qPrintable(problems.first()));
}

void TestChatParameterCheck::names()
{
    QVERIFY(ChatParameterCheck::isValidName(QStringLiteral("get_weather-2")));
    QVERIFY(ChatParameterCheck::isValidName(QString(64, QLatin1Char('a'))));
    QVERIFY(!ChatParameterCheck::isValidName(QString(65, QLatin1Char('a'))));
    QVERIFY(!ChatParameterCheck::isValidName(QString()));
    QVERIFY(!ChatParameterCheck::isValidName(QStringLiteral("get.weather")));
    QCOMPARE(ChatParameterCheck::toolNames(parse("[" + kWeather + R"(, {"function": {"name": "b"}}, 3])")),
             (QStringList{QStringLiteral("get_weather"), QStringLiteral("b")}));
    QVERIFY(ChatParameterCheck::toolNames(parse("null")).isEmpty());
}

void TestChatParameterCheck::catalogValidateUsesTheChecks()
{
    const QJsonObject good = parse(R"({"tools": [)" + kWeather + R"(], "tool_choice": {"type": "function",
        "function": {"name": "get_weather"}}, "response_format": {"type": "json_object"}, "max_tokens": 50})")
                                 .toObject();
    QVERIFY2(
        TaskCatalog::instance().validate(QStringLiteral("chat-completion"), good).isEmpty(),
        qPrintable(TaskCatalog::instance().validate(QStringLiteral("chat-completion"), good).join('\n')));

    const QJsonObject bad = parse(R"({"tools": [{"type": "function", "function": {"name": "get weather"}}],
        "tool_choice": {"function": {"name": "get_time"}}, "response_format": {"type": "json_schema"}})")
                                .toObject();
    const QStringList problems = TaskCatalog::instance().validate(QStringLiteral("chat-completion"), bad);
    QCOMPARE(problems.size(), 3);
    QVERIFY2(problems.at(0).startsWith(QStringLiteral("tools[0].function.name")), qPrintable(problems.at(0)));
    QVERIFY2(problems.at(1).startsWith(QStringLiteral("response_format.json_schema")),
             qPrintable(problems.at(1)));
    QVERIFY2(problems.at(2).startsWith(QStringLiteral("tool_choice names the function \"get_time\"")),
             qPrintable(problems.at(2)));

    // tool_choice without any tools: "auto" and "none" are harmless; "required" and a named function
    // are refused (they ask for a call no tool can answer).
    for (const char *harmless : {R"({"tool_choice": "auto"})", R"({"tool_choice": "none"})"}) {
        const QStringList none =
            TaskCatalog::instance().validate(QStringLiteral("chat-completion"), parse(harmless).toObject());
        QVERIFY2(none.isEmpty(), qPrintable(none.join('\n')));
    }
    for (const char *refused : {R"({"tool_choice": "required"})",
                                R"({"tool_choice": {"type": "function", "function": {"name": "f"}}})",
                                R"({"tool_choice": {"function": {"name": "f"}}, "max_tokens": 5})"}) {
        const QStringList found =
            TaskCatalog::instance().validate(QStringLiteral("chat-completion"), parse(refused).toObject());
        QCOMPARE(found.size(), 1);
        QVERIFY2(found.first().startsWith(QStringLiteral("tool_choice")) &&
                     found.first().contains(QStringLiteral("tools")),
                 qPrintable(found.first()));
    }

    // The same parameters mean nothing special to another task.
    QVERIFY(TaskCatalog::instance().validate(QStringLiteral("text-generation"), bad).isEmpty());
}

void TestChatParameterCheck::wrongTypeIsReportedOnce()
{
    // The catalog's type check already says tools must be a list of objects: no second sentence, and
    // tool_choice is not held against tools that could not be read.
    const QJsonObject parameters =
        parse(R"({"tools": ["get_weather"], "tool_choice": {"function": {"name": "get_weather"}}})")
            .toObject();
    const QStringList problems =
        TaskCatalog::instance().validate(QStringLiteral("chat-completion"), parameters);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().startsWith(QStringLiteral("Parameter \"tools\"")),
             qPrintable(problems.first()));
}

void TestChatParameterCheck::problemsCarryTheirPath()
{
    // Each problem names its place apart from the sentence, relative to the parameters object.
    const QList<idesk::ParameterProblem> tools = ChatParameterCheck::toolsProblems(
        parse(R"([{"type": "function", "function": {"name": "ok", "parameters": {"type": "object",
            "properties": {"temperature": {"type": "float"}}}}}, {"type": "tool"}])"));
    QStringList paths;
    for (const idesk::ParameterProblem &problem : tools)
        paths << problem.path;
    QCOMPARE(paths, (QStringList{QStringLiteral("tools[0].function.parameters.properties.temperature.type"),
                                 QStringLiteral("tools[1].type"), QStringLiteral("tools[1].function")}));
    for (const idesk::ParameterProblem &problem : tools)
        QVERIFY2(problem.message.startsWith(problem.path), qPrintable(problem.message));
    QCOMPARE(ChatParameterCheck::checkTools(parse("[{\"type\": \"tool\"}]")),
             idesk::problemMessages(ChatParameterCheck::toolsProblems(parse("[{\"type\": \"tool\"}]"))));

    const QList<idesk::ParameterProblem> format =
        ChatParameterCheck::responseFormatProblems(parse(R"({"type": "json_schema", "json_schema":
            {"name": "a", "schema": {"type": "object", "required": ["x"], "properties": {}}}})"));
    QCOMPARE(format.size(), 1);
    QCOMPARE(format.first().path, QStringLiteral("response_format.json_schema.schema.required"));
}

QTEST_GUILESS_MAIN(TestChatParameterCheck)
#include "TestChatParameterCheck.moc"
