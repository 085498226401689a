// The parameter table built from the task catalog: typed editors, defaults greyed until changed,
// reset, extra rows, and invalid values marked with the reason.
#include "ParameterTable.h"
#include "TaskCatalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QtTest>

using idesk::ParameterTable;
using idesk::TaskCatalog;

class TestParameterTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneRowPerCatalogParameterWithTypedEditors();
    void defaultGreyedUntilChangedAndReset();
    void enumCombo();
    void checkBoxWithDefault();
    void invalidValueMarkedRedWithReason();
    void listEditor();
    void extraRows();
    void setParametersRoundTrip();
    void hiddenParameters();
    void taskSwitchKeepsSharedValues();
    void numberRange();
    void objectMembersAreRows();
    void enumOrObject();
};

void TestParameterTable::oneRowPerCatalogParameterWithTypedEditors()
{
    ParameterTable table;
    table.setTask(QStringLiteral("text-classification"));
    const idesk::TaskSpec *spec = TaskCatalog::instance().task(QStringLiteral("text-classification"));
    QVERIFY(spec);
    QCOMPARE(table.table()->rowCount(), int(spec->parameters.size()));
    QVERIFY(qobject_cast<QComboBox *>(table.editor(QStringLiteral("function_to_apply"))));
    QVERIFY(qobject_cast<QSpinBox *>(table.editor(QStringLiteral("top_k"))));
    // Tooltip = the description.
    const QString description = spec->parameter(QStringLiteral("top_k"))->description;
    QVERIFY(!description.isEmpty());
    QVERIFY(table.editor(QStringLiteral("top_k"))->toolTip().contains(description));
    QVERIFY(table.table()->item(table.rowOf(QStringLiteral("top_k")), 0)->toolTip().contains(description));
    QCOMPARE(table.parameters(), QJsonObject());
    QVERIFY(table.problems().isEmpty());
    // top_k has no default: shown as "(not set)"; one step up starts at the catalog's minimum (1).
    auto *topK = qobject_cast<QSpinBox *>(table.editor(QStringLiteral("top_k")));
    QCOMPARE(topK->text(), QStringLiteral("(not set)"));
    topK->stepUp();
    QCOMPARE(table.parameters(), (QJsonObject{{QStringLiteral("top_k"), 1}}));
    topK->setValue(topK->minimum());
    QCOMPARE(table.parameters(), QJsonObject());
    QVERIFY(!table.isChanged(QStringLiteral("top_k")));

    table.setTask(QStringLiteral("question-answering"));
    QVERIFY(qobject_cast<QCheckBox *>(table.editor(QStringLiteral("handle_impossible_answer"))));
    QCOMPARE(table.rowOf(QStringLiteral("function_to_apply")), -1);
}

void TestParameterTable::defaultGreyedUntilChangedAndReset()
{
    ParameterTable table;
    table.show();
    table.setTask(QStringLiteral("fill-mask"));
    auto *topK = qobject_cast<QSpinBox *>(table.editor(QStringLiteral("top_k")));
    QVERIFY(topK);
    QCOMPARE(topK->value(), 5); // the catalog's default shown
    QVERIFY(!table.isChanged(QStringLiteral("top_k")));
    const QColor grey = topK->palette().color(QPalette::Text);
    QCOMPARE(grey, QApplication::palette(topK).color(QPalette::PlaceholderText));
    QVERIFY(topK->toolTip().contains(QStringLiteral("Default: 5")));

    QSignalSpy changed(&table, &ParameterTable::changed);
    topK->setFocus();
    topK->selectAll();
    QTest::keyClicks(topK, QStringLiteral("3"));
    QVERIFY(changed.count() >= 1);
    QVERIFY(table.isChanged(QStringLiteral("top_k")));
    QCOMPARE(table.parameters(), (QJsonObject{{QStringLiteral("top_k"), 3}}));
    QCOMPARE(topK->palette().color(QPalette::Text), QApplication::palette(topK).color(QPalette::Text));

    // Reset by its button: back to the greyed default, not sent.
    auto *reset =
        qobject_cast<QToolButton *>(table.table()->cellWidget(table.rowOf(QStringLiteral("top_k")), 2));
    QVERIFY(reset && reset->isEnabled());
    QVERIFY(reset->accessibleName().contains(QStringLiteral("top_k")));
    QTest::mouseClick(reset, Qt::LeftButton);
    QVERIFY(!table.isChanged(QStringLiteral("top_k")));
    QCOMPARE(topK->value(), 5);
    QCOMPARE(table.parameters(), QJsonObject());
    QVERIFY(!reset->isEnabled());

    // Changing to the default value is still an explicit choice: it is sent.
    topK->setValue(4);
    topK->setValue(5);
    QCOMPARE(table.parameters(), (QJsonObject{{QStringLiteral("top_k"), 5}}));
    table.resetAll();
    QCOMPARE(table.parameters(), QJsonObject());
}

void TestParameterTable::enumCombo()
{
    ParameterTable table;
    table.setTask(QStringLiteral("token-classification"));
    auto *combo = qobject_cast<QComboBox *>(table.editor(QStringLiteral("aggregation_strategy")));
    QVERIFY(combo);
    QCOMPARE(combo->currentText(), QStringLiteral("(not set)"));
    const int simple = combo->findText(QStringLiteral("simple"));
    QVERIFY(simple > 0);
    combo->setCurrentIndex(simple);
    Q_EMIT combo->activated(simple);
    QCOMPARE(table.parameters().value(QStringLiteral("aggregation_strategy")).toString(),
             QStringLiteral("simple"));
    // Choosing "(not set)" again sends nothing.
    combo->setCurrentIndex(0);
    Q_EMIT combo->activated(0);
    QVERIFY(!table.parameters().contains(QStringLiteral("aggregation_strategy")));
}

void TestParameterTable::checkBoxWithDefault()
{
    ParameterTable table;
    table.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table));
    table.setTask(QStringLiteral("feature-extraction"));
    auto *normalize = qobject_cast<QCheckBox *>(table.editor(QStringLiteral("normalize")));
    QVERIFY(normalize);
    QVERIFY(normalize->isChecked()); // default true
    QTest::mouseClick(normalize, Qt::LeftButton, {}, normalize->rect().center());
    QCOMPARE(table.parameters().value(QStringLiteral("normalize")), QJsonValue(false));
}

void TestParameterTable::invalidValueMarkedRedWithReason()
{
    ParameterTable table;
    table.show();
    table.setTask(QStringLiteral("text-classification"));
    auto *topK = qobject_cast<QSpinBox *>(table.editor(QStringLiteral("top_k")));
    topK->setValue(0);
    const QString why = table.rowProblem(QStringLiteral("top_k"));
    QVERIFY2(why.contains(QStringLiteral("top_k")), qPrintable(why));
    QCOMPARE(table.problems(), QStringList{why});
    QCOMPARE(topK->toolTip(), why);
    QVERIFY(topK->palette().color(QPalette::Base) != QApplication::palette(topK).color(QPalette::Base));
    QVERIFY(topK->palette().color(QPalette::Base).red() > topK->palette().color(QPalette::Base).green());
    auto *label = table.findChild<QLabel *>(QStringLiteral("parameterProblems"));
    QVERIFY(label->isVisible());
    QVERIFY(label->text().contains(why));
    topK->setValue(2);
    QVERIFY(table.problems().isEmpty());
    QVERIFY(!label->isVisible());
    QCOMPARE(topK->palette().color(QPalette::Base), QApplication::palette(topK).color(QPalette::Base));
}

void TestParameterTable::listEditor()
{
    ParameterTable table;
    table.setTask(QStringLiteral("token-classification"));
    auto *list = qobject_cast<QLineEdit *>(table.editor(QStringLiteral("ignore_labels")));
    QVERIFY(list);
    list->setFocus();
    QTest::keyClicks(list, QStringLiteral("O, MISC"));
    QCOMPARE(table.parameters().value(QStringLiteral("ignore_labels")).toArray(),
             (QJsonArray{QStringLiteral("O"), QStringLiteral("MISC")}));
    list->clear();
    QTest::keyClicks(list, QStringLiteral("[\"a, b\", \"c\""));
    QVERIFY(table.rowProblem(QStringLiteral("ignore_labels")).contains(QStringLiteral("JSON list")));
    QTest::keyClicks(list, QStringLiteral("]"));
    QCOMPARE(table.parameters().value(QStringLiteral("ignore_labels")).toArray(),
             (QJsonArray{QStringLiteral("a, b"), QStringLiteral("c")}));
    QVERIFY(table.problems().isEmpty());
}

void TestParameterTable::extraRows()
{
    ParameterTable table;
    table.show();
    table.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&table));
    table.setTask(QStringLiteral("text-classification"));
    const int before = table.table()->rowCount();
    auto *add = table.findChild<QPushButton *>(QStringLiteral("addParameter"));
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(table.table()->rowCount(), before + 1);
    auto *name = table.findChild<QLineEdit *>(QStringLiteral("extraParameterName"));
    QVERIFY(name);
    QVERIFY(name->hasFocus());
    QVERIFY(!table.problems().isEmpty()); // no name, no value yet
    QTest::keyClicks(name, QStringLiteral("truncation"));
    auto *value = qobject_cast<QLineEdit *>(table.table()->cellWidget(before, 1)->findChild<QLineEdit *>());
    QVERIFY(value);
    QTest::keyClicks(value, QStringLiteral("only_first"));
    QVERIFY(table.problems().join(' ').contains(QStringLiteral("double quotes")));
    value->clear();
    QTest::keyClicks(value, QStringLiteral("\"only_first\""));
    QVERIFY(table.problems().isEmpty());
    QCOMPARE(table.parameters().value(QStringLiteral("truncation")).toString(), QStringLiteral("only_first"));
    // A name given twice is a problem.
    table.addExtraRow(QStringLiteral("top_k"), 3);
    QVERIFY(table.problems().join(' ').contains(QStringLiteral("twice")));
    // Remove it again.
    auto *remove = qobject_cast<QToolButton *>(table.table()->cellWidget(table.table()->rowCount() - 1, 2));
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(table.table()->rowCount(), before + 1);
    QVERIFY(table.problems().isEmpty());
}

void TestParameterTable::setParametersRoundTrip()
{
    ParameterTable table;
    table.setTask(QStringLiteral("text-classification"));
    const QJsonObject params{{QStringLiteral("top_k"), 3},
                             {QStringLiteral("function_to_apply"), QStringLiteral("softmax")},
                             {QStringLiteral("unknown_flag"), QJsonArray{1, QStringLiteral("x")}}};
    table.setParameters(params);
    QCOMPARE(table.parameters(), params);
    QVERIFY(table.isChanged(QStringLiteral("top_k")));
    QVERIFY(table.rowOf(QStringLiteral("unknown_flag")) >= 0);
    // An enum value the catalog does not allow stays visible and is flagged.
    table.setParameters(QJsonObject{{QStringLiteral("function_to_apply"), QStringLiteral("tanh")}});
    QCOMPARE(table.parameters().value(QStringLiteral("function_to_apply")).toString(),
             QStringLiteral("tanh"));
    QVERIFY(
        table.rowProblem(QStringLiteral("function_to_apply")).contains(QStringLiteral("function_to_apply")));
    QVERIFY(table.rowOf(QStringLiteral("unknown_flag")) < 0);
}

void TestParameterTable::hiddenParameters()
{
    ParameterTable table;
    table.setHiddenParameters({QStringLiteral("candidate_labels")});
    table.setTask(QStringLiteral("zero-shot-classification"));
    const int row = table.rowOf(QStringLiteral("candidate_labels"));
    QVERIFY(row >= 0);
    QVERIFY(table.table()->isRowHidden(row));
    QVERIFY(!table.table()->isRowHidden(table.rowOf(QStringLiteral("multi_label"))));
}

void TestParameterTable::taskSwitchKeepsSharedValues()
{
    ParameterTable table;
    table.setTask(QStringLiteral("text-classification"));
    table.setParameters(QJsonObject{{QStringLiteral("top_k"), 4}});
    table.addExtraRow(QStringLiteral("mine"), true);
    table.setTask(QStringLiteral("image-classification"));
    QCOMPARE(table.parameters(), (QJsonObject{{QStringLiteral("top_k"), 4}, {QStringLiteral("mine"), true}}));
    table.setTask(QStringLiteral("object-detection"));
    QCOMPARE(table.parameters(), (QJsonObject{{QStringLiteral("mine"), true}}));
}

void TestParameterTable::numberRange()
{
    ParameterTable table;
    table.setTask(QStringLiteral("object-detection"));
    auto *threshold = qobject_cast<QDoubleSpinBox *>(table.editor(QStringLiteral("threshold")));
    QVERIFY(threshold);
    QCOMPARE(threshold->value(), 0.5);
    QVERIFY(threshold->toolTip().contains(QStringLiteral("Range: 0 to 1")));
    threshold->setValue(1.5);
    QVERIFY(table.rowProblem(QStringLiteral("threshold")).contains(QStringLiteral("threshold")));
    threshold->setValue(0.25);
    QCOMPARE(table.parameters().value(QStringLiteral("threshold")).toDouble(), 0.25);
    QVERIFY(table.problems().isEmpty());
}

void TestParameterTable::objectMembersAreRows()
{
    ParameterTable table;
    table.setTask(QStringLiteral("image-to-image"));
    auto *width = qobject_cast<QSpinBox *>(table.editor(QStringLiteral("target_size.width")));
    auto *height = qobject_cast<QSpinBox *>(table.editor(QStringLiteral("target_size.height")));
    QVERIFY(width && height);
    width->setValue(512);
    height->setValue(256);
    QCOMPARE(table.parameters().value(QStringLiteral("target_size")).toObject(),
             (QJsonObject{{QStringLiteral("width"), 512}, {QStringLiteral("height"), 256}}));
    // Back in from a preset, with a member the catalog does not know kept as an extra row.
    table.resetAll();
    QCOMPARE(table.parameters(), QJsonObject());
    const QJsonObject params{{QStringLiteral("target_size"),
                              QJsonObject{{QStringLiteral("width"), 64}, {QStringLiteral("depth"), 3}}}};
    table.setParameters(params);
    QCOMPARE(width->value(), 64);
    QVERIFY(table.rowOf(QStringLiteral("target_size")) >= 0); // the extra row with {"depth": 3}
    QCOMPARE(table.parameters(), params);                     // one object again, nothing lost
    QVERIFY(table.problems().isEmpty());

    // Nested members are validated under their dotted name.
    table.resetAll();
    table.setTask(QStringLiteral("automatic-speech-recognition"));
    auto *temperature =
        qobject_cast<QDoubleSpinBox *>(table.editor(QStringLiteral("generation_parameters.temperature")));
    QVERIFY(temperature);
    temperature->setValue(0.7);
    QCOMPARE(table.parameters(), (QJsonObject{{QStringLiteral("generation_parameters"),
                                               QJsonObject{{QStringLiteral("temperature"), 0.7}}}}));
}

void TestParameterTable::enumOrObject()
{
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    auto *choice = qobject_cast<QComboBox *>(table.editor(QStringLiteral("tool_choice")));
    QVERIFY(choice);
    QVERIFY(choice->isEditable());
    QVERIFY(table.parameters().isEmpty()); // default "auto", not sent
    const int none = choice->findText(QStringLiteral("none"));
    choice->setCurrentIndex(none);
    Q_EMIT choice->activated(none);
    QCOMPARE(table.parameters().value(QStringLiteral("tool_choice")), QJsonValue(QStringLiteral("none")));
    choice->lineEdit()->clear();
    QTest::keyClicks(choice->lineEdit(), QStringLiteral("{\"function\": {\"name\": \"get_weather\"}"));
    QVERIFY(table.rowProblem(QStringLiteral("tool_choice")).contains(QStringLiteral("JSON object")));
    QTest::keyClicks(choice->lineEdit(), QStringLiteral("}"));
    QCOMPARE(table.parameters().value(QStringLiteral("tool_choice")).toObject(),
             (QJsonObject{{QStringLiteral("function"),
                           QJsonObject{{QStringLiteral("name"), QStringLiteral("get_weather")}}}}));
    // And back in from a preset.
    const QJsonObject params = table.parameters();
    table.resetAll();
    table.setParameters(params);
    QCOMPARE(table.parameters(), params);
}

QTEST_MAIN(TestParameterTable)
#include "TestParameterTable.moc"
