// The chat parameter editors, driven with real widgets offscreen: the "Edit…" buttons of tools and
// response_format in the parameter table open ToolsDialog / ResponseFormatDialog; OK puts the compact
// JSON in the row as if typed; invalid input keeps OK disabled with the reason shown; tool_choice offers
// the defined functions and is flagged when it names none of them. With IDESK_SCREENSHOT_DIR set, the
// dialogs are also saved there as jsoneditors-*.png.
#include "JsonSchemaEdit.h"
#include "ParameterTable.h"
#include "ResponseFormatDialog.h"
#include "ToolsDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QToolButton>
#include <QtTest>

using idesk::JsonSchemaEdit;
using idesk::ParameterTable;
using idesk::ResponseFormatDialog;
using idesk::ToolsDialog;

namespace {

QJsonValue parse(const QByteArray &json)
{
    return QJsonDocument::fromJson("[" + json + "]").array().first();
}

QString lineText(ParameterTable &table, const QString &name)
{
    auto *line = qobject_cast<QLineEdit *>(table.editor(name));
    return line ? line->text() : QStringLiteral("<no line edit>");
}

// Replaces a plain text editor's text the way a person would: select all, type.
void retype(QPlainTextEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    edit->insertPlainText(text);
}

void saveShot(QWidget *widget, const QString &name)
{
    // Let the layouts follow the last change (a problem list that grew) before the picture.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QCoreApplication::processEvents();
    const QImage image = widget->grab().toImage();
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 300 && image.height() > 200);
    const QString dir = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(image.save(QDir(dir).filePath(QStringLiteral("jsoneditors-%1.png").arg(name))));
}

} // namespace

class TestChatParameterEditors : public QObject
{
    Q_OBJECT

    // The chat table, shown, with its tools dialog open.
    template <typename Dialog> Dialog *openDialog(ParameterTable &table, const QString &row)
    {
        QToolButton *edit = table.dialogButton(row);
        if (!edit)
            return nullptr;
        QTest::mouseClick(edit, Qt::LeftButton);
        Dialog *dialog = table.findChild<Dialog *>();
        if (dialog && !QTest::qWaitForWindowExposed(dialog))
            return nullptr;
        return dialog;
    }

private Q_SLOTS:
    void editButtonsOnlyOnTheirRows();
    void buildToolThenOk();
    void invalidSchemaDisablesOk();
    void badNameMarksTheFunction();
    void addDuplicateRemove();
    void jsonTabTakesTheWholeArray();
    void cancelLeavesTheRow();
    void responseFormatJsonSchemaRoundTrip();
    void responseFormatNeedsAName();
    void toolChoiceOffersAndChecksTools();
    void problemGoesToTheToolsRow();
    void schemaEditFormats();
    void screenshots();
};

void TestChatParameterEditors::editButtonsOnlyOnTheirRows()
{
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    QVERIFY(table.dialogButton(QStringLiteral("tools")));
    QVERIFY(table.dialogButton(QStringLiteral("response_format")));
    QVERIFY(!table.dialogButton(QStringLiteral("tool_choice")));
    QVERIFY(!table.dialogButton(QStringLiteral("max_tokens")));
    // The line edits stay for quick typing.
    QVERIFY(qobject_cast<QLineEdit *>(table.editor(QStringLiteral("tools"))));
    QVERIFY(qobject_cast<QLineEdit *>(table.editor(QStringLiteral("response_format"))));
}

void TestChatParameterEditors::buildToolThenOk()
{
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    table.show();
    auto *dialog = openDialog<ToolsDialog>(table, QStringLiteral("tools"));
    QVERIFY(dialog);
    // An empty row starts from the example function, valid as it is.
    QCOMPARE(dialog->functionList()->count(), 1);
    QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("get_weather"));
    QVERIFY(dialog->okButton()->isEnabled());

    dialog->nameEdit()->selectAll();
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("find_city"));
    QCOMPARE(dialog->functionList()->item(0)->text(), QStringLiteral("find_city"));
    retype(dialog->descriptionEdit(), QStringLiteral("Find a city by name."));
    retype(dialog->parametersEdit()->editor(),
           QStringLiteral(
               R"({"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]})"));
    QTRY_VERIFY(dialog->okButton()->isEnabled());
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);

    const QJsonArray expected = parse(R"([{"type": "function", "function": {"name": "find_city",
        "description": "Find a city by name.", "parameters": {"type": "object",
        "properties": {"name": {"type": "string"}}, "required": ["name"]}}}])")
                                    .toArray();
    QCOMPARE(table.parameters().value(QStringLiteral("tools")).toArray(), expected);
    // The row holds the compact JSON, as if typed, and counts as changed.
    QCOMPARE(lineText(table, QStringLiteral("tools")),
             QString::fromUtf8(QJsonDocument(expected).toJson(QJsonDocument::Compact)));
    QVERIFY(table.isChanged(QStringLiteral("tools")));
    QVERIFY2(table.problems().isEmpty(), qPrintable(table.problems().join('\n')));
    QTRY_VERIFY(!table.findChild<ToolsDialog *>()); // gone after closing
}

void TestChatParameterEditors::invalidSchemaDisablesOk()
{
    ToolsDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.okButton()->isEnabled());
    retype(dialog.parametersEdit()->editor(),
           QStringLiteral(R"({"type": "object", "properties": {"city": {"type": "strng"}}})"));
    QVERIFY(!dialog.okButton()->isEnabled());
    const QString where = QStringLiteral("tools[0].function.parameters.properties.city.type \"strng\"");
    QVERIFY(dialog.problems().join('\n').contains(where));
    // The schema editor says it, next to the text; the line above the buttons points there.
    QVERIFY(dialog.parametersEdit()->statusLabel()->isVisible());
    QVERIFY2(dialog.parametersEdit()->statusLabel()->text().contains(where),
             qPrintable(dialog.parametersEdit()->statusLabel()->text()));
    QVERIFY(dialog.problemLabel()->isVisible());
    QVERIFY2(dialog.problemLabel()->text().contains(QStringLiteral("schema above")),
             qPrintable(dialog.problemLabel()->text()));

    // Not JSON at all: the line and column, and the JSON tab cannot show it.
    retype(dialog.parametersEdit()->editor(), QStringLiteral("{\"type\": \"object\",\n \"properties\": {"));
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY2(dialog.parametersEdit()->statusLabel()->text().contains(QStringLiteral("line 2")),
             qPrintable(dialog.parametersEdit()->statusLabel()->text()));
    QVERIFY(dialog.problems().join('\n').contains(QStringLiteral("line 2")));
    QVERIFY(!dialog.tabs()->isTabEnabled(1));

    retype(dialog.parametersEdit()->editor(),
           QStringLiteral(R"({"type": "object", "properties": {"city": {"type": "string"}}})"));
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(dialog.tabs()->isTabEnabled(1));
    QVERIFY(dialog.problems().isEmpty());
}

void TestChatParameterEditors::badNameMarksTheFunction()
{
    ToolsDialog dialog;
    dialog.show();
    dialog.nameEdit()->selectAll();
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("get weather"));
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY2(dialog.problemLabel()->text().contains(QStringLiteral("tools[0].function.name \"get weather\"")),
             qPrintable(dialog.problemLabel()->text()));
    QVERIFY(!dialog.functionList()->item(0)->icon().isNull());
    QTest::keyClick(dialog.nameEdit(), Qt::Key_Home);
    dialog.nameEdit()->selectAll();
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("get_weather"));
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(dialog.functionList()->item(0)->icon().isNull());
}

void TestChatParameterEditors::addDuplicateRemove()
{
    ToolsDialog dialog;
    dialog.show();
    QTest::mouseClick(dialog.addButton(), Qt::LeftButton);
    QCOMPARE(dialog.functionList()->count(), 2);
    QCOMPARE(dialog.functionList()->currentRow(), 1);
    QCOMPARE(dialog.nameEdit()->text(), QStringLiteral("get_weather_2")); // unique from the start
    QVERIFY(dialog.okButton()->isEnabled());

    QTest::mouseClick(dialog.duplicateButton(), Qt::LeftButton);
    QCOMPARE(dialog.functionList()->count(), 3);
    QCOMPARE(dialog.nameEdit()->text(), QStringLiteral("get_weather_2_copy"));
    const QJsonArray three = dialog.tools();
    QCOMPARE(three.size(), 3);
    QCOMPARE(three.at(2).toObject().value("function").toObject().value("parameters"),
             three.at(1).toObject().value("function").toObject().value("parameters"));
    QVERIFY(dialog.okButton()->isEnabled());

    // Two functions of one name: OK disabled, with the reason.
    dialog.nameEdit()->selectAll();
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("get_weather"));
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY2(dialog.problemLabel()->text().contains(QStringLiteral("already the name of tools[0]")),
             qPrintable(dialog.problemLabel()->text()));

    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QCOMPARE(dialog.functionList()->count(), 2);
    QVERIFY(dialog.okButton()->isEnabled());
    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QCOMPARE(dialog.functionList()->count(), 0);
    QVERIFY(!dialog.removeButton()->isEnabled());
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY2(dialog.problemLabel()->text().contains(QStringLiteral("empty list")),
             qPrintable(dialog.problemLabel()->text()));
}

void TestChatParameterEditors::jsonTabTakesTheWholeArray()
{
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    table.show();
    auto *dialog = openDialog<ToolsDialog>(table, QStringLiteral("tools"));
    QVERIFY(dialog);
    dialog->tabs()->setCurrentIndex(1);
    // The JSON tab shows the array being edited.
    QCOMPARE(parse(dialog->jsonEdit()->toPlainText().toUtf8()).toArray(), dialog->tools());
    QVERIFY(dialog->jsonEdit()->toPlainText().contains(QStringLiteral("get_weather")));

    retype(dialog->jsonEdit(), QStringLiteral(R"([{"type": "function", "function": {"name": "a"}},
        {"type": "function", "function": {"name": "b", "parameters": {"type": "object"}}}])"));
    QVERIFY(dialog->okButton()->isEnabled());
    QCOMPARE(dialog->functionList()->count(), 2);
    QCOMPARE(dialog->functionList()->item(1)->text(), QStringLiteral("b"));

    retype(dialog->jsonEdit(), QStringLiteral(R"([{"type": "function", "function": {"name": "a"}})"));
    QVERIFY(!dialog->okButton()->isEnabled());
    QVERIFY(!dialog->tabs()->isTabEnabled(0));
    QVERIFY2(dialog->problemLabel()->text().contains(QStringLiteral("Not valid JSON")),
             qPrintable(dialog->problemLabel()->text()));
    retype(dialog->jsonEdit(), QStringLiteral(R"([{"type": "function", "function": {"name": "a"}}])"));
    QVERIFY(dialog->okButton()->isEnabled());
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QCOMPARE(lineText(table, QStringLiteral("tools")),
             QStringLiteral(R"([{"function":{"name":"a"},"type":"function"}])"));

    // Opened again, it shows what the row holds.
    dialog = nullptr;
    QTRY_VERIFY(!table.findChild<ToolsDialog *>());
    dialog = openDialog<ToolsDialog>(table, QStringLiteral("tools"));
    QVERIFY(dialog);
    QCOMPARE(dialog->functionList()->count(), 1);
    QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("a"));
    dialog->reject();
}

void TestChatParameterEditors::cancelLeavesTheRow()
{
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    table.show();
    auto *dialog = openDialog<ToolsDialog>(table, QStringLiteral("tools"));
    QVERIFY(dialog);
    dialog->nameEdit()->selectAll();
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("other"));
    dialog->reject();
    QCOMPARE(lineText(table, QStringLiteral("tools")), QString());
    QVERIFY(!table.isChanged(QStringLiteral("tools")));
    QVERIFY(table.parameters().isEmpty());
}

void TestChatParameterEditors::responseFormatJsonSchemaRoundTrip()
{
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    table.show();
    auto *dialog = openDialog<ResponseFormatDialog>(table, QStringLiteral("response_format"));
    QVERIFY(dialog);
    QCOMPARE(dialog->typeCombo()->currentData().toString(), QStringLiteral("json_schema"));
    QVERIFY(dialog->okButton()->isEnabled()); // the starter schema is valid

    dialog->nameEdit()->clear();
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("city_facts"));
    QTest::mouseClick(dialog->strictCheck(), Qt::LeftButton, {},
                      QPoint(5, dialog->strictCheck()->height() / 2));
    QVERIFY(dialog->strictCheck()->isChecked());
    retype(
        dialog->schemaEdit()->editor(),
        QStringLiteral(
            R"({"type": "object", "properties": {"population": {"type": "integer"}}, "required": ["population"]})"));
    QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->problems().join('\n')));
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);

    const QJsonObject expected = parse(R"({"type": "json_schema", "json_schema": {"name": "city_facts",
        "strict": true, "schema": {"type": "object", "properties": {"population": {"type": "integer"}},
        "required": ["population"]}}})")
                                     .toObject();
    QCOMPARE(table.parameters().value(QStringLiteral("response_format")).toObject(), expected);
    QCOMPARE(lineText(table, QStringLiteral("response_format")),
             QString::fromUtf8(QJsonDocument(expected).toJson(QJsonDocument::Compact)));
    QVERIFY2(table.problems().isEmpty(), qPrintable(table.problems().join('\n')));

    // Back in: the same fields.
    QTRY_VERIFY(!table.findChild<ResponseFormatDialog *>());
    dialog = openDialog<ResponseFormatDialog>(table, QStringLiteral("response_format"));
    QVERIFY(dialog);
    QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("city_facts"));
    QVERIFY(dialog->strictCheck()->isChecked());
    QCOMPARE(dialog->schemaEdit()->schema(), expected.value("json_schema").toObject().value("schema"));
    QCOMPARE(dialog->responseFormat(), expected);

    // JSON object: just the type; the schema fields are set aside.
    dialog->typeCombo()->setCurrentIndex(dialog->typeCombo()->findData(QStringLiteral("json_object")));
    QVERIFY(!dialog->nameEdit()->isEnabled());
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QCOMPARE(lineText(table, QStringLiteral("response_format")), QStringLiteral(R"({"type":"json_object"})"));
}

void TestChatParameterEditors::responseFormatNeedsAName()
{
    ResponseFormatDialog dialog;
    dialog.show();
    dialog.nameEdit()->clear();
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY2(
        dialog.problemLabel()->text().contains(QStringLiteral("response_format.json_schema.name is empty")),
        qPrintable(dialog.problemLabel()->text()));
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("answer"));
    QVERIFY(dialog.okButton()->isEnabled());
    retype(dialog.schemaEdit()->editor(), QStringLiteral(R"({"type": "dict"})"));
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY2(
        dialog.problemLabel()->text().contains(QStringLiteral("response_format.json_schema.schema.type")),
        qPrintable(dialog.problemLabel()->text()));
    // Plain text needs no schema: OK again.
    dialog.typeCombo()->setCurrentIndex(dialog.typeCombo()->findData(QStringLiteral("text")));
    QVERIFY(dialog.okButton()->isEnabled());
    QCOMPARE(dialog.responseFormat(), (QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}}));
}

void TestChatParameterEditors::toolChoiceOffersAndChecksTools()
{
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    table.show();
    table.setParameters(parse(R"({"tools": [{"type": "function", "function": {"name": "get_weather"}}],
        "tool_choice": {"type": "function", "function": {"name": "get_time"}}})")
                            .toObject());
    // A list of objects comes back from a preset as it went in (it is edited as JSON, not split on commas).
    QCOMPARE(table.parameters().value(QStringLiteral("tools")),
             parse(R"([{"type": "function", "function": {"name": "get_weather"}}])"));
    const QString why = table.rowProblem(QStringLiteral("tool_choice"));
    QVERIFY2(why.startsWith(QStringLiteral("tool_choice names the function \"get_time\"")), qPrintable(why));
    QVERIFY(table.problems().contains(why));
    QVERIFY(table.rowProblem(QStringLiteral("tools")).isEmpty());

    // The combo offers the defined function.
    auto *choice = qobject_cast<QComboBox *>(table.editor(QStringLiteral("tool_choice")));
    QVERIFY(choice);
    const QString offered = QStringLiteral(R"({"function":{"name":"get_weather"},"type":"function"})");
    const int index = choice->findText(offered);
    QVERIFY(index >= 0);
    choice->setCurrentIndex(index);
    Q_EMIT choice->activated(index);
    QCOMPARE(table.parameters().value(QStringLiteral("tool_choice")), parse(offered.toUtf8()));
    QVERIFY2(table.problems().isEmpty(), qPrintable(table.problems().join('\n')));

    // Tools renamed: the offer follows, and the choice is flagged.
    auto *tools = qobject_cast<QLineEdit *>(table.editor(QStringLiteral("tools")));
    tools->selectAll();
    QTest::keyClicks(tools,
                     QStringLiteral(R"([{"type": "function", "function": {"name": "get_forecast"}}])"));
    QVERIFY(choice->findText(offered) < 0);
    QVERIFY(choice->findText(QStringLiteral(R"({"function":{"name":"get_forecast"},"type":"function"})")) >=
            0);
    QVERIFY2(table.rowProblem(QStringLiteral("tool_choice")).contains(QStringLiteral("get_forecast")),
             qPrintable(table.rowProblem(QStringLiteral("tool_choice"))));
}

void TestChatParameterEditors::problemGoesToTheToolsRow()
{
    // A tool argument called "temperature": the sentence is the tools row's, not temperature's.
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    table.setParameters(parse(R"({"tools": [{"type": "function", "function": {"name": "set_heating",
        "parameters": {"type": "object", "properties": {"temperature": {"type": "float"}}}}}]})")
                            .toObject());
    const QString why = table.rowProblem(QStringLiteral("tools"));
    QVERIFY2(why.startsWith(QStringLiteral("tools[0].function.parameters.properties.temperature.type")),
             qPrintable(why));
    QVERIFY(table.rowProblem(QStringLiteral("temperature")).isEmpty());
    QCOMPARE(table.problems(), QStringList{why});
}

void TestChatParameterEditors::schemaEditFormats()
{
    JsonSchemaEdit edit;
    edit.setPath(QStringLiteral("s"));
    edit.setText(QStringLiteral(R"({"type":"object","properties":{"b":{"type":"string"},"a":{}}})"));
    QVERIFY(edit.problems().isEmpty());
    edit.format();
    // Indented, the key order kept.
    QCOMPARE(edit.text(),
             QStringLiteral("{\n  \"type\": \"object\",\n  \"properties\": {\n    \"b\": {\n      "
                            "\"type\": \"string\"\n    },\n    \"a\": {}\n  }\n}"));
    edit.setText(QString());
    QVERIFY(edit.problems().join(' ').contains(QStringLiteral("s is empty")));
    edit.setEmptyAllowed(true);
    QVERIFY(edit.problems().isEmpty());
}

void TestChatParameterEditors::screenshots()
{
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    table.resize(720, 420);
    table.show();
    auto *tools = openDialog<ToolsDialog>(table, QStringLiteral("tools"));
    QVERIFY(tools);
    QTest::mouseClick(tools->addButton(), Qt::LeftButton);
    saveShot(tools, QStringLiteral("tools"));
    retype(tools->parametersEdit()->editor(),
           QStringLiteral("{\"type\": \"object\", \"properties\": {\"location\": {\"type\": \"strng\"}},\n"
                          " \"required\": [\"location\", \"unit\"]}"));
    saveShot(tools, QStringLiteral("tools-invalid"));
    tools->tabs()->setCurrentIndex(1);
    saveShot(tools, QStringLiteral("tools-json"));
    tools->accept();

    auto *format = openDialog<ResponseFormatDialog>(table, QStringLiteral("response_format"));
    QVERIFY(format);
    saveShot(format, QStringLiteral("response-format"));
    format->nameEdit()->clear();
    saveShot(format, QStringLiteral("response-format-invalid"));
    format->reject();
    saveShot(&table, QStringLiteral("table"));
}

QTEST_MAIN(TestChatParameterEditors)
#include "TestChatParameterEditors.moc"
