// The parameter table built from the task catalog: typed editors, defaults greyed until changed,
// reset, extra rows, and invalid values marked with the reason; the wheel only scrolls, typing replaces
// "(not set)", a fresh extra row is in sight, ready for typing and not an error until edited.
#include "ParameterModel.h"
#include "ParameterTable.h"
#include "TaskCatalog.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QtTest>

using idesk::ParameterModel;
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
    void wheelOnlyScrolls();
    void typingReplacesNotSet();
    void freshExtraRowInSightAndNotRed();
    void showsTheRowsItHasRoomFor();
    void keysKeepTheirMeaning();
};

namespace {

int rowCount(const ParameterTable &table)
{
    return table.model()->rowCount();
}

QWidget *valueWidget(const ParameterTable &table, int row)
{
    return table.table()->indexWidget(table.model()->index(row, ParameterModel::ValueColumn));
}

// Notches of the wheel over the middle of `widget` (positive: up).
bool wheel(QWidget *widget, int notches)
{
    const QPointF at = QRectF(widget->rect()).center();
    QWheelEvent event(at, widget->mapToGlobal(at), QPoint(), QPoint(0, 120 * notches), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &event);
    return event.isAccepted();
}

} // namespace

void TestParameterTable::oneRowPerCatalogParameterWithTypedEditors()
{
    ParameterTable table;
    table.setTask(QStringLiteral("text-classification"));
    const idesk::TaskSpec *spec = TaskCatalog::instance().task(QStringLiteral("text-classification"));
    QVERIFY(spec);
    QCOMPARE(rowCount(table), int(spec->parameters.size()));
    QVERIFY(qobject_cast<QComboBox *>(table.editor(QStringLiteral("function_to_apply"))));
    QVERIFY(qobject_cast<QSpinBox *>(table.editor(QStringLiteral("top_k"))));
    // Tooltip = the description.
    const QString description = spec->parameter(QStringLiteral("top_k"))->description;
    QVERIFY(!description.isEmpty());
    QVERIFY(table.editor(QStringLiteral("top_k"))->toolTip().contains(description));
    QVERIFY(table.model()
                ->index(table.rowOf(QStringLiteral("top_k")), ParameterModel::NameColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(description));
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
    QToolButton *reset = table.rowButton(table.rowOf(QStringLiteral("top_k")));
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
    const int before = rowCount(table);
    auto *add = table.findChild<QPushButton *>(QStringLiteral("addParameter"));
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(rowCount(table), before + 1);
    auto *name = table.findChild<QLineEdit *>(QStringLiteral("extraParameterName"));
    QVERIFY(name);
    QVERIFY(name->hasFocus());
    QTest::keyClicks(name, QStringLiteral("truncation"));
    QVERIFY(table.problems().join(' ').contains(QStringLiteral("JSON value"))); // named, no value yet
    auto *value = qobject_cast<QLineEdit *>(valueWidget(table, before));
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
    QToolButton *remove = table.rowButton(rowCount(table) - 1);
    QVERIFY(remove && remove->text() == QStringLiteral("Remove"));
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(rowCount(table), before + 1);
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
    QVERIFY(!table.parameters().contains(QStringLiteral("candidate_labels")));
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

void TestParameterTable::wheelOnlyScrolls()
{
    // Issue 13: the wheel over a row silently changed function_to_apply to softmax.
    ParameterTable table;
    table.setTask(QStringLiteral("text-classification"));
    table.resize(520, 400);
    table.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table));
    auto *combo = qobject_cast<QComboBox *>(table.editor(QStringLiteral("function_to_apply")));
    auto *topK = qobject_cast<QSpinBox *>(table.editor(QStringLiteral("top_k")));
    QVERIFY(combo && topK);
    QVERIFY(!combo->hasFocus() && !topK->hasFocus());
    const int comboIndex = combo->currentIndex();
    const int topKValue = topK->value();
    wheel(combo, -1); // left to the table
    wheel(topK, 1);
    QCOMPARE(combo->currentIndex(), comboIndex);
    QCOMPARE(topK->value(), topKValue);
    QCOMPARE(table.parameters(), QJsonObject());
    QVERIFY(!combo->hasFocus() && !topK->hasFocus()); // the wheel gives no focus either

    // Once the person is in the spin box, the wheel is theirs.
    topK->setFocus();
    QTRY_VERIFY(topK->hasFocus());
    wheel(topK, 1);
    QVERIFY(topK->value() != topKValue);
    QCOMPARE(table.parameters(), (QJsonObject{{QStringLiteral("top_k"), topK->value()}}));

    // Over a long table, the wheel over an editor scrolls the table.
    ParameterTable chat;
    chat.setTask(QStringLiteral("chat-completion"));
    chat.resize(520, 220);
    chat.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat));
    QScrollBar *bar = chat.table()->verticalScrollBar();
    QVERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), 0);
    const int first = 0;
    QWidget *editor = valueWidget(chat, first);
    const QJsonValue shown = chat.model()->shownValue(first);
    wheel(editor, -1);
    QTRY_VERIFY(bar->value() > 0);
    QCOMPARE(chat.model()->shownValue(first), shown);
    QCOMPARE(chat.parameters(), QJsonObject());
}

void TestParameterTable::typingReplacesNotSet()
{
    // Issue 13: clicking "(not set)" and typing 3 did nothing until Ctrl+A.
    ParameterTable table;
    table.setTask(QStringLiteral("text-classification"));
    table.show();
    table.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&table));
    auto *topK = qobject_cast<QSpinBox *>(table.editor(QStringLiteral("top_k")));
    QVERIFY(topK);
    QCOMPARE(topK->text(), QStringLiteral("(not set)"));
    auto *line = topK->findChild<QLineEdit *>();
    QVERIFY(line);
    QVERIFY(!line->hasSelectedText()); // nothing selected before the person is there
    // Click into the text, the cursor lands inside "(not set)"; then type.
    QTest::mouseClick(line, Qt::LeftButton, {}, QPoint(line->width() / 3, line->height() / 2));
    QTRY_VERIFY(topK->hasFocus());
    QVERIFY(!line->hasSelectedText());
    QTest::keyClicks(topK, QStringLiteral("3"));
    QCOMPARE(topK->value(), 3);
    QCOMPARE(table.parameters(), (QJsonObject{{QStringLiteral("top_k"), 3}}));
    QVERIFY(table.isChanged(QStringLiteral("top_k")));
    // A set value is edited as usual: typing adds to it.
    QTest::keyClick(topK, Qt::Key_End);
    QTest::keyClicks(topK, QStringLiteral("2"));
    QCOMPARE(table.parameters(), (QJsonObject{{QStringLiteral("top_k"), 32}}));

    // The same for a number.
    table.setTask(QStringLiteral("text-generation"));
    auto *temperature = qobject_cast<QDoubleSpinBox *>(table.editor(QStringLiteral("temperature")));
    QVERIFY(temperature);
    QCOMPARE(temperature->text(), QStringLiteral("(not set)"));
    temperature->setFocus();
    QTest::keyClicks(temperature, QStringLiteral("0.5"));
    QCOMPARE(table.parameters().value(QStringLiteral("temperature")).toDouble(), 0.5);
}

void TestParameterTable::freshExtraRowInSightAndNotRed()
{
    // Issue 13: a row added with "Add parameter" was out of sight and already flagged red.
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    table.resize(520, 220);
    table.show();
    table.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&table));
    QTest::mouseClick(table.findChild<QPushButton *>(QStringLiteral("addParameter")), Qt::LeftButton);
    const int row = rowCount(table) - 1;
    QVERIFY(table.model()->isExtra(row));
    const QModelIndex name = table.model()->index(row, ParameterModel::NameColumn);
    auto *nameEdit = qobject_cast<QLineEdit *>(table.table()->indexWidget(name));
    QVERIFY(nameEdit);
    QTRY_VERIFY(nameEdit->hasFocus()); // ready for typing
    QTRY_VERIFY(table.table()->viewport()->rect().contains(table.table()->visualRect(name)));
    // Not an error before anything was typed: no problem, no red.
    QVERIFY(table.problems().isEmpty());
    QWidget *value = valueWidget(table, row);
    QCOMPARE(value->palette().color(QPalette::Base), QApplication::palette(value).color(QPalette::Base));
    QVERIFY(!table.findChild<QLabel *>(QStringLiteral("parameterProblems"))->isVisible());
    // Once edited, what is missing is said, and the row turns red.
    QTest::keyClicks(nameEdit, QStringLiteral("seed_text"));
    QVERIFY(table.rowProblem(QStringLiteral("seed_text")).contains(QStringLiteral("JSON value")));
    QVERIFY(value->palette().color(QPalette::Base) != QApplication::palette(value).color(QPalette::Base));
}

void TestParameterTable::showsTheRowsItHasRoomFor()
{
    // The table takes the height it is given, and asks for enough to show many rows, not two.
    ParameterTable table;
    table.setTask(QStringLiteral("chat-completion"));
    QVERIFY(rowCount(table) >= 10);
    const int row = table.table()->verticalHeader()->defaultSectionSize();
    QVERIFY(table.preferredHeight() >= 10 * row);
    QVERIFY(table.table()->minimumHeight() >= 3 * row); // never squeezed to a row and a half
    table.resize(520, table.preferredHeight());
    table.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table));
    QTRY_VERIFY(table.table()->viewport()->height() >= 10 * row);
    table.resize(520, 900);
    QTRY_VERIFY(table.table()->height() > 700);
}

void TestParameterTable::keysKeepTheirMeaning()
{
    // The editors stay open: Esc reaches the window's shortcut (cancel a request), Enter keeps the value
    // and the focus where they are.
    QWidget window;
    auto *table = new ParameterTable(&window);
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(table);
    auto *cancel = new QAction(&window);
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    window.addAction(cancel);
    QSignalSpy cancelled(cancel, &QAction::triggered);
    table->setTask(QStringLiteral("text-classification"));
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto *topK = qobject_cast<QSpinBox *>(table->editor(QStringLiteral("top_k")));
    QVERIFY(topK);
    topK->setFocus();
    QTRY_VERIFY(topK->hasFocus());
    QTest::keyClicks(topK, QStringLiteral("4"));
    QTest::keyClick(topK, Qt::Key_Return);
    QVERIFY(topK->hasFocus());
    QCOMPARE(table->parameters(), (QJsonObject{{QStringLiteral("top_k"), 4}}));
    QTest::keyClick(topK, Qt::Key_Escape);
    QCOMPARE(cancelled.count(), 1);
    QCOMPARE(table->parameters(), (QJsonObject{{QStringLiteral("top_k"), 4}})); // not reverted
}

QTEST_MAIN(TestParameterTable)
#include "TestParameterTable.moc"
