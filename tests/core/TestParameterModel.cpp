// The widget-free parameter model behind the parameter table: rows from the task catalog, values set
// and reset, extra rows, problems marked on their row by path, task switches and presets round-tripped.
#include "ParameterModel.h"
#include "TaskCatalog.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QtTest>

using idesk::ParameterModel;
using idesk::ParameterProblem;
using idesk::TaskCatalog;

namespace {

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestParameterModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsFromTheCatalog();
    void setAndResetValues();
    void problemsMarkTheirRowByPath();
    void toolsProblemGoesToTheToolsRow();
    void freshExtraRowIsNotAProblemUntilEdited();
    void extraRowsNamesAndDuplicates();
    void typedTextIsKept();
    void setParametersRoundTrip();
    void taskSwitchKeepsSharedValuesAndExtras();
    void hiddenParametersAreNeitherSentNorChecked();
    void toolChoiceOffersTheDefinedFunctions();
    void modelInterface();
};

void TestParameterModel::rowsFromTheCatalog()
{
    ParameterModel model;
    model.setTask(QStringLiteral("text-classification"));
    const idesk::TaskSpec *spec = TaskCatalog::instance().task(QStringLiteral("text-classification"));
    QVERIFY(spec);
    QCOMPARE(model.rowCount(), int(spec->parameters.size()));
    const int topK = model.rowOf(QStringLiteral("top_k"));
    QVERIFY(topK >= 0);
    QCOMPARE(model.kind(topK), ParameterModel::Kind::Integer);
    QCOMPARE(model.kind(model.rowOf(QStringLiteral("function_to_apply"))), ParameterModel::Kind::Choice);
    QVERIFY(model.toolTip(topK).contains(spec->parameter(QStringLiteral("top_k"))->description));
    QVERIFY(model.shownValue(topK).isUndefined()); // no default: "(not set)"
    QCOMPARE(model.data(model.index(topK, ParameterModel::ValueColumn)).toString(),
             QStringLiteral("(not set)"));
    QCOMPARE(model.parameters(), QJsonObject());
    QVERIFY(model.problems().isEmpty());

    // Objects with known members are one row per member.
    model.setTask(QStringLiteral("image-to-image"));
    QVERIFY(model.rowOf(QStringLiteral("target_size.width")) >= 0);
    QCOMPARE(model.rowOf(QStringLiteral("target_size")), -1);
    QCOMPARE(model.rowOf(QStringLiteral("top_k")), -1);
}

void TestParameterModel::setAndResetValues()
{
    ParameterModel model;
    model.setTask(QStringLiteral("fill-mask"));
    const int topK = model.rowOf(QStringLiteral("top_k"));
    QCOMPARE(model.shownValue(topK), QJsonValue(5)); // the default, shown
    QVERIFY(!model.isSet(topK));
    QSignalSpy changed(&model, &ParameterModel::changed);
    QVERIFY(model.setData(model.index(topK, ParameterModel::ValueColumn), 3));
    QVERIFY(changed.count() >= 1);
    QVERIFY(model.isSet(topK));
    QCOMPARE(model.parameters(), (QJsonObject{{QStringLiteral("top_k"), 3}}));
    // The default chosen explicitly is still sent.
    model.setValue(topK, 5);
    QCOMPARE(model.parameters(), (QJsonObject{{QStringLiteral("top_k"), 5}}));
    // An invalid variant resets the row.
    QVERIFY(model.setData(model.index(topK, ParameterModel::ValueColumn), QVariant()));
    QVERIFY(!model.isSet(topK));
    QCOMPARE(model.parameters(), QJsonObject());
    model.setValue(topK, 2);
    model.resetAll();
    QCOMPARE(model.parameters(), QJsonObject());
}

void TestParameterModel::problemsMarkTheirRowByPath()
{
    ParameterModel model;
    model.setTask(QStringLiteral("image-to-image"));
    const int width = model.rowOf(QStringLiteral("target_size.width"));
    const int height = model.rowOf(QStringLiteral("target_size.height"));
    model.setValue(width, -3);
    model.setValue(height, 64);
    // Only the member row with the problem is marked, and the problem says where it is.
    QVERIFY2(!model.problem(width).isEmpty(), "a negative width is below the catalog's minimum");
    QVERIFY(model.problem(height).isEmpty());
    const QList<ParameterProblem> problems = model.problems();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().path, QStringLiteral("parameters.target_size.width"));
    QCOMPARE(
        model.data(model.index(width, ParameterModel::ValueColumn), ParameterModel::ProblemRole).toString(),
        problems.first().message);
    QCOMPARE(model.toolTip(width), problems.first().message);
    model.setValue(width, 32);
    QVERIFY(model.problems().isEmpty());
}

void TestParameterModel::toolsProblemGoesToTheToolsRow()
{
    // A tool argument called "temperature": the problem's path is inside tools, so the tools row holds it.
    ParameterModel model;
    model.setTask(QStringLiteral("chat-completion"));
    model.setParameters(parse(R"({"tools": [{"type": "function", "function": {"name": "set_heating",
        "parameters": {"type": "object", "properties": {"temperature": {"type": "float"}}}}}]})"));
    const QString why = model.problem(model.rowOf(QStringLiteral("tools")));
    QVERIFY2(why.startsWith(QStringLiteral("tools[0].function.parameters.properties.temperature.type")),
             qPrintable(why));
    QVERIFY(model.problem(model.rowOf(QStringLiteral("temperature"))).isEmpty());
    QCOMPARE(model.problems().size(), 1);
    QCOMPARE(model.problems().first().path, QStringLiteral("parameters.tools"));
}

void TestParameterModel::freshExtraRowIsNotAProblemUntilEdited()
{
    ParameterModel model;
    model.setTask(QStringLiteral("text-classification"));
    const int row = model.addExtraRow(QString(), QJsonValue::Undefined, true);
    QVERIFY(model.isFresh(row));
    QVERIFY(model.problem(row).isEmpty());
    QVERIFY(model.problems().isEmpty());
    QCOMPARE(model.parameters(), QJsonObject());
    // Once named, the missing value is said.
    model.setExtraName(row, QStringLiteral("truncation"));
    QVERIFY(!model.isFresh(row));
    QVERIFY2(model.problem(row).contains(QStringLiteral("JSON value")), qPrintable(model.problem(row)));
    model.setText(row, QStringLiteral("\"only_first\""));
    QVERIFY(model.problems().isEmpty());
    QCOMPARE(model.parameters(), (QJsonObject{{QStringLiteral("truncation"), QStringLiteral("only_first")}}));
    // An extra row added by code (a preset) is checked at once.
    const int other = model.addExtraRow(QString(), QJsonValue(3));
    QVERIFY(model.problem(other).contains(QStringLiteral("name")));
}

void TestParameterModel::extraRowsNamesAndDuplicates()
{
    ParameterModel model;
    model.setTask(QStringLiteral("text-classification"));
    const int row = model.addExtraRow(QStringLiteral("top_k"), 3);
    QVERIFY2(model.problem(row).contains(QStringLiteral("twice")), qPrintable(model.problem(row)));
    QVERIFY(model.setData(model.index(row, ParameterModel::NameColumn), QStringLiteral("mine")));
    QCOMPARE(model.name(row), QStringLiteral("mine"));
    QVERIFY(model.problems().isEmpty());
    QVERIFY(model.flags(model.index(row, ParameterModel::NameColumn)) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(0, ParameterModel::NameColumn)) & Qt::ItemIsEditable));
    model.removeExtraRow(row);
    QCOMPARE(model.rowOf(QStringLiteral("mine")), -1);
    model.removeExtraRow(0); // a catalog row is not removed
    QVERIFY(model.rowOf(QStringLiteral("top_k")) >= 0);
}

void TestParameterModel::typedTextIsKept()
{
    ParameterModel model;
    model.setTask(QStringLiteral("token-classification"));
    const int labels = model.rowOf(QStringLiteral("ignore_labels"));
    model.setText(labels, QStringLiteral("O, MISC"));
    QCOMPARE(model.parameters().value(QStringLiteral("ignore_labels")).toArray(),
             (QJsonArray{QStringLiteral("O"), QStringLiteral("MISC")}));
    model.setText(labels, QStringLiteral("[\"a, b\", \"c\""));
    QVERIFY(model.problem(labels).contains(QStringLiteral("JSON list")));
    QCOMPARE(model.text(labels), QStringLiteral("[\"a, b\", \"c\"")); // nothing typed is lost
    QVERIFY(!model.parameters().contains(QStringLiteral("ignore_labels")));
    model.setText(labels, QStringLiteral("[\"a, b\", \"c\"]"));
    QCOMPARE(model.parameters().value(QStringLiteral("ignore_labels")).toArray(),
             (QJsonArray{QStringLiteral("a, b"), QStringLiteral("c")}));
}

void TestParameterModel::setParametersRoundTrip()
{
    ParameterModel model;
    model.setTask(QStringLiteral("text-classification"));
    const QJsonObject params{{QStringLiteral("top_k"), 3},
                             {QStringLiteral("function_to_apply"), QStringLiteral("softmax")},
                             {QStringLiteral("unknown_flag"), QJsonArray{1, QStringLiteral("x")}}};
    model.setParameters(params);
    QCOMPARE(model.parameters(), params);
    QVERIFY(model.isExtra(model.rowOf(QStringLiteral("unknown_flag"))));
    // An enum value the catalog does not allow stays, and is flagged on its row.
    model.setParameters(QJsonObject{{QStringLiteral("function_to_apply"), QStringLiteral("tanh")}});
    const int row = model.rowOf(QStringLiteral("function_to_apply"));
    QCOMPARE(model.value(row), QJsonValue(QStringLiteral("tanh")));
    QVERIFY(model.problem(row).contains(QStringLiteral("function_to_apply")));
    QCOMPARE(model.rowOf(QStringLiteral("unknown_flag")), -1);

    // Members back into their rows; an unknown member kept as an extra row of the same name.
    model.setTask(QStringLiteral("image-to-image"));
    const QJsonObject sized{{QStringLiteral("target_size"),
                             QJsonObject{{QStringLiteral("width"), 64}, {QStringLiteral("depth"), 3}}}};
    model.setParameters(sized);
    QCOMPARE(model.value(model.rowOf(QStringLiteral("target_size.width"))), QJsonValue(64));
    QVERIFY(model.isExtra(model.rowOf(QStringLiteral("target_size"))));
    QCOMPARE(model.parameters(), sized);
    QVERIFY(model.problems().isEmpty());
}

void TestParameterModel::taskSwitchKeepsSharedValuesAndExtras()
{
    ParameterModel model;
    model.setTask(QStringLiteral("text-classification"));
    model.setParameters(QJsonObject{{QStringLiteral("top_k"), 4}});
    model.addExtraRow(QStringLiteral("mine"), true);
    const int broken = model.addExtraRow(QStringLiteral("draft"), QJsonValue::Undefined);
    model.setText(broken, QStringLiteral("{\"half"));
    model.setTask(QStringLiteral("image-classification"));
    QCOMPARE(model.parameters(), (QJsonObject{{QStringLiteral("top_k"), 4}, {QStringLiteral("mine"), true}}));
    // What was typed in an extra row survives the switch, even unreadable.
    QCOMPARE(model.text(model.rowOf(QStringLiteral("draft"))), QStringLiteral("{\"half"));
    model.setTask(QStringLiteral("object-detection"));
    QCOMPARE(model.parameters(), (QJsonObject{{QStringLiteral("mine"), true}}));
}

void TestParameterModel::hiddenParametersAreNeitherSentNorChecked()
{
    ParameterModel model;
    model.setTask(QStringLiteral("zero-shot-classification"));
    const int labels = model.rowOf(QStringLiteral("candidate_labels"));
    model.setText(labels, QStringLiteral("[broken"));
    QVERIFY(!model.problem(labels).isEmpty());
    model.setHiddenParameters({QStringLiteral("candidate_labels")});
    QVERIFY(model.isHidden(labels));
    QVERIFY(model.problem(labels).isEmpty());
    QVERIFY(!model.parameters().contains(QStringLiteral("candidate_labels")));
}

void TestParameterModel::toolChoiceOffersTheDefinedFunctions()
{
    ParameterModel model;
    model.setTask(QStringLiteral("chat-completion"));
    const int choice = model.rowOf(QStringLiteral("tool_choice"));
    QVERIFY(model.choiceTakesText(choice));
    QVERIFY(!model.allowsUnset(choice)); // default "auto"
    QCOMPARE(model.text(choice), QStringLiteral("auto"));
    QVERIFY(!model.choices(choice).join(' ').contains(QStringLiteral("get_weather")));
    QSignalSpy data(&model, &QAbstractItemModel::dataChanged);
    model.setText(model.rowOf(QStringLiteral("tools")),
                  QStringLiteral(R"([{"type": "function", "function": {"name": "get_weather"}}])"));
    const QString offered = QStringLiteral(R"({"function":{"name":"get_weather"},"type":"function"})");
    QVERIFY(model.choices(choice).contains(offered));
    bool told = false;
    for (const QList<QVariant> &args : std::as_const(data))
        told = told || args.at(0).toModelIndex() == model.index(choice, ParameterModel::ValueColumn);
    QVERIFY2(told, "the tool_choice cell is told its offer changed");
    model.setText(choice, offered);
    QCOMPARE(model.value(choice).toObject().value(QStringLiteral("type")),
             QJsonValue(QStringLiteral("function")));
    QVERIFY(model.problems().isEmpty());
    model.setText(choice, QStringLiteral("{\"function\": "));
    QVERIFY(model.problem(choice).contains(QStringLiteral("JSON object")));
}

void TestParameterModel::modelInterface()
{
    ParameterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTask(QStringLiteral("chat-completion"));
    model.setParameters(parse(R"({"max_tokens": 5, "x": 1})"));
    model.addExtraRow(QStringLiteral("y"), 2);
    model.removeExtraRow(model.rowOf(QStringLiteral("y")));
    model.setTask(QStringLiteral("text-classification"));
    model.resetAll();
    QCOMPARE(model.columnCount(), int(ParameterModel::ColumnCount));
    QCOMPARE(model.headerData(ParameterModel::NameColumn, Qt::Horizontal).toString(),
             QStringLiteral("Parameter"));
}

QTEST_GUILESS_MAIN(TestParameterModel)
#include "TestParameterModel.moc"
