#include "ParameterTable.h"

#include "ChatParameterCheck.h"
#include "ResponseFormatDialog.h"
#include "ToolsDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace idesk {

namespace {

enum Column { NameColumn = 0, ValueColumn = 1, ButtonColumn = 2 };

QColor blend(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QString jsonText(const QJsonValue &value)
{
    if (value.isUndefined())
        return {};
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

std::optional<QJsonValue> parseJson(const QString &text, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError
                         ? parseError.errorString()
                         : QCoreApplication::translate("idesk::ParameterTable", "more than one value");
        return std::nullopt;
    }
    return doc.array().first();
}

QString listText(const QJsonValue &value)
{
    if (!value.isArray())
        return jsonText(value);
    QStringList items;
    for (const QJsonValue &v : value.toArray()) {
        if (v.isString() && v.toString().contains(QLatin1Char(',')))
            return jsonText(value); // commas inside items: keep the JSON form
        items << (v.isString() ? v.toString() : jsonText(v));
    }
    return items.join(QStringLiteral(", "));
}

// Where `name` first stands as a whole word in `sentence` (-1: nowhere). "tools" is found in
// "tools[0].function.name", "temperature" is not found in "temperatures".
qsizetype wordPosition(const QString &sentence, const QString &name)
{
    const auto wordChar = [](QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); };
    for (qsizetype pos = sentence.indexOf(name); pos >= 0; pos = sentence.indexOf(name, pos + 1)) {
        const qsizetype end = pos + name.size();
        if ((pos == 0 || !wordChar(sentence.at(pos - 1))) &&
            (end == sentence.size() || !wordChar(sentence.at(end))))
            return pos;
    }
    return -1;
}

bool hasDialog(const QString &name)
{
    return name == QLatin1String("tools") || name == QLatin1String("response_format");
}

bool isBooleanUnion(const ParameterSpec &spec)
{
    return spec.type.split(QLatin1Char('|')).contains(QLatin1String("boolean")) && spec.type.contains('|');
}

} // namespace

ParameterTable::ParameterTable(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("parameterTable"));
    m_table = new QTableWidget(0, 3, this);
    m_table->setObjectName(QStringLiteral("parameterGrid"));
    m_table->setAccessibleName(tr("Parameters"));
    m_table->setHorizontalHeaderLabels({tr("Parameter"), tr("Value"), QString()});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(ButtonColumn, QHeaderView::ResizeToContents);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTabKeyNavigation(false);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->setWordWrap(false);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    {
        QSpinBox probe;
        m_table->verticalHeader()->setDefaultSectionSize(probe.sizeHint().height() + 6);
        m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    }

    m_empty = new QLabel(tr("This task has no parameters. “Add parameter” sends any other one."), this);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("parameterProblems"));
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::PlainText);
    m_problems->setAccessibleName(tr("Parameter problems"));
    m_problems->hide();

    m_add = new QPushButton(tr("&Add parameter"), this);
    m_add->setObjectName(QStringLiteral("addParameter"));
    m_add->setToolTip(tr("Send a parameter the catalog does not list: its name and a JSON value"));
    m_reset = new QPushButton(tr("Reset a&ll"), this);
    m_reset->setObjectName(QStringLiteral("resetParameters"));
    m_reset->setToolTip(tr("Back to the defaults; extra parameters are removed"));
    connect(m_add, &QPushButton::clicked, this, [this] {
        const int row = addExtraRow();
        if (m_rows.at(row).nameEdit)
            m_rows.at(row).nameEdit->setFocus();
    });
    connect(m_reset, &QPushButton::clicked, this, &ParameterTable::resetAll);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_reset);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_empty);
    layout->addWidget(m_problems);
    layout->addLayout(buttons);
    refresh();
}

void ParameterTable::setTask(const QString &taskId)
{
    const QJsonObject previous = parameters();
    QList<QPair<QString, QJsonValue>> extras;
    for (const Row &row : std::as_const(m_rows)) {
        if (row.extra) {
            QString ignored;
            extras.append({row.nameEdit->text(), editorValue(row, &ignored)});
        }
    }
    m_loading = true;
    m_table->setRowCount(0);
    m_rows.clear();
    m_task = taskId;
    if (const TaskSpec *spec = TaskCatalog::instance().task(taskId)) {
        for (const ParameterSpec &p : spec->parameters)
            addSpecRows(p, QString());
    }
    m_loading = false;
    // Keep what the new task also knows.
    QJsonObject keep;
    for (auto it = previous.begin(); it != previous.end(); ++it) {
        if (rowOf(it.key()) >= 0 || (it.value().isObject() && rowOf(it.key() + QLatin1Char('.')) == -2))
            keep.insert(it.key(), it.value());
    }
    for (Row &row : m_rows) {
        if (row.name.contains(QLatin1Char('.'))) {
            const QString parent = row.name.section(QLatin1Char('.'), 0, 0);
            const QJsonValue v =
                previous.value(parent).toObject().value(row.name.section(QLatin1Char('.'), 1));
            if (!v.isUndefined()) {
                m_loading = true;
                setEditorValue(row, v);
                row.set = true;
                m_loading = false;
            }
        }
    }
    for (auto it = keep.begin(); it != keep.end(); ++it) {
        const int r = rowOf(it.key());
        if (r >= 0) {
            m_loading = true;
            setEditorValue(m_rows[r], it.value());
            m_rows[r].set = true;
            m_loading = false;
        }
    }
    for (const auto &extra : extras)
        addExtraRow(extra.first, extra.second);
    refresh();
    Q_EMIT changed();
}

void ParameterTable::addSpecRows(const ParameterSpec &spec, const QString &prefix)
{
    if (spec.type == QLatin1String("object") && !spec.properties.isEmpty()) {
        for (const ParameterSpec &member : spec.properties)
            addSpecRows(member, prefix + spec.name + QLatin1Char('.'));
        return;
    }
    Row row;
    row.name = prefix + spec.name;
    row.spec = spec;
    if (!spec.enumValues.isEmpty())
        row.kind = EditorKind::Combo;
    else if (spec.type == QLatin1String("boolean"))
        row.kind = EditorKind::Check;
    else if (spec.type == QLatin1String("integer"))
        row.kind = EditorKind::Integer;
    else if (spec.type == QLatin1String("number"))
        row.kind = EditorKind::Number;
    else if (spec.type == QLatin1String("string"))
        row.kind = EditorKind::Text;
    else if (spec.type == QLatin1String("array") && spec.itemType != QLatin1String("object"))
        row.kind = EditorKind::List; // a list of objects (tools) is edited as JSON
    else
        row.kind = EditorKind::Json;
    addRow(row);
}

int ParameterTable::addExtraRow(const QString &name, const QJsonValue &value)
{
    Row row;
    row.extra = true;
    row.kind = EditorKind::Json;
    row.set = true;
    addRow(row);
    Row &added = m_rows.last();
    m_loading = true;
    added.nameEdit->setText(name);
    setEditorValue(added, value);
    m_loading = false;
    refresh();
    Q_EMIT changed();
    return m_rows.size() - 1;
}

void ParameterTable::addRow(Row row)
{
    const int index = m_rows.size();
    m_table->insertRow(index);
    const QString shownName = row.extra ? tr("extra parameter") : row.name;

    QWidget *editor = nullptr;
    switch (row.kind) {
    case EditorKind::Combo: {
        auto *combo = new QComboBox;
        if (row.spec.defaultValue.isUndefined())
            combo->addItem(tr("(not set)"), QString());
        for (const QString &v : row.spec.enumValues)
            combo->addItem(v, v);
        connect(combo, &QComboBox::activated, this, [this, combo] { edited(combo); });
        if (row.spec.type.split(QLatin1Char('|')).contains(QLatin1String("object"))) {
            // One of the names, or a JSON object typed in (tool_choice: {"function": {...}}).
            combo->setEditable(true);
            combo->setInsertPolicy(QComboBox::NoInsert);
            connect(combo->lineEdit(), &QLineEdit::textEdited, this, [this, combo] { edited(combo); });
        }
        editor = combo;
        break;
    }
    case EditorKind::Check: {
        auto *check = new QCheckBox(tr("on"));
        connect(check, &QCheckBox::toggled, this, [this, check] { edited(check); });
        editor = check;
        break;
    }
    case EditorKind::Integer: {
        auto *spin = new QSpinBox;
        // The spec's range is checked (red, with the reason), not clamped: a clamped value would hide
        // what the person typed.
        spin->setRange(std::numeric_limits<int>::min() + 1, std::numeric_limits<int>::max());
        spin->setAccelerated(true);
        connect(spin, &QSpinBox::valueChanged, this, [this, spin] { edited(spin); });
        editor = spin;
        break;
    }
    case EditorKind::Number: {
        auto *spin = new QDoubleSpinBox;
        spin->setDecimals(4);
        spin->setRange(-1e12, 1e12);
        const bool unit = row.spec.maximum && *row.spec.maximum <= 2.0;
        spin->setSingleStep(unit ? 0.05 : 1.0);
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, spin] { edited(spin); });
        editor = spin;
        break;
    }
    case EditorKind::Text:
    case EditorKind::List:
    case EditorKind::Json: {
        auto *line = new QLineEdit;
        line->setClearButtonEnabled(true);
        if (row.kind == EditorKind::List)
            line->setPlaceholderText(tr("comma-separated, or a JSON list"));
        else if (row.kind == EditorKind::Json && row.name == QLatin1String("tools") && !row.extra)
            line->setPlaceholderText(tr("[{\"type\": \"function\", \"function\": {...}}], or Edit…"));
        else if (row.kind == EditorKind::Json && row.name == QLatin1String("response_format") && !row.extra)
            line->setPlaceholderText(tr("{\"type\": \"json_object\"}, or Edit…"));
        else if (row.kind == EditorKind::Json)
            line->setPlaceholderText(tr("JSON value, e.g. 5, \"text\", true, [1, 2]"));
        connect(line, &QLineEdit::textEdited, this, [this, line] { edited(line); });
        editor = line;
        break;
    }
    }
    editor->setObjectName(QStringLiteral("param:") + row.name);
    editor->setAccessibleName(row.extra ? tr("Value of the extra parameter")
                                        : tr("Value of %1").arg(row.name));
    editor->setAccessibleDescription(row.spec.description);
    row.editor = editor;

    auto *cell = new QWidget;
    cell->setAutoFillBackground(true);
    auto *cellLayout = new QHBoxLayout(cell);
    cellLayout->setContentsMargins(2, 1, 2, 1);
    cellLayout->addWidget(editor);
    if (!row.extra && row.kind == EditorKind::Json && hasDialog(row.name)) {
        auto *edit = new QToolButton;
        edit->setObjectName(QStringLiteral("edit:") + row.name);
        edit->setText(tr("Edit…"));
        edit->setToolButtonStyle(Qt::ToolButtonTextOnly);
        edit->setToolTip(row.name == QLatin1String("tools")
                             ? tr("Edit the functions in a dialog, with checks")
                             : tr("Choose the reply's format, and its schema"));
        edit->setAccessibleName(tr("Edit %1").arg(row.name));
        const QString name = row.name;
        connect(edit, &QToolButton::clicked, this, [this, name] { openDialog(name); });
        cellLayout->addWidget(edit);
        row.editButton = edit;
    }
    row.cell = cell;
    m_table->setCellWidget(index, ValueColumn, cell);

    if (row.extra) {
        auto *nameEdit = new QLineEdit;
        nameEdit->setObjectName(QStringLiteral("extraParameterName"));
        nameEdit->setPlaceholderText(tr("parameter name"));
        nameEdit->setAccessibleName(tr("Name of the extra parameter"));
        connect(nameEdit, &QLineEdit::textEdited, this, [this] {
            refresh();
            Q_EMIT changed();
        });
        row.nameEdit = nameEdit;
        auto *nameCell = new QWidget;
        auto *nameLayout = new QHBoxLayout(nameCell);
        nameLayout->setContentsMargins(2, 1, 2, 1);
        nameLayout->addWidget(nameEdit);
        m_table->setCellWidget(index, NameColumn, nameCell);
    }
    auto *item = new QTableWidgetItem(row.extra ? QString() : shownName);
    item->setFlags(Qt::ItemIsEnabled);
    m_table->setItem(index, NameColumn, item);

    auto *button = new QToolButton;
    button->setAutoRaise(true);
    if (row.extra) {
        button->setText(tr("Remove"));
        button->setToolTip(tr("Remove this parameter"));
        button->setAccessibleName(tr("Remove extra parameter"));
        connect(button, &QToolButton::clicked, this, [this, button] {
            for (int i = 0; i < m_rows.size(); ++i)
                if (m_rows.at(i).button == button) {
                    removeRow(i);
                    return;
                }
        });
    } else {
        button->setText(tr("Reset"));
        button->setToolTip(tr("Back to the default of %1").arg(row.name));
        button->setAccessibleName(tr("Reset %1").arg(row.name));
        connect(button, &QToolButton::clicked, this, [this, button] {
            for (int i = 0; i < m_rows.size(); ++i)
                if (m_rows.at(i).button == button) {
                    resetRow(i);
                    return;
                }
        });
    }
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    row.button = button;
    m_table->setCellWidget(index, ButtonColumn, button);

    m_rows.append(row);
    if (!row.extra) {
        const bool loading = m_loading;
        m_loading = true;
        showDefault(m_rows.last());
        m_loading = loading;
    }
    m_table->setRowHidden(index, m_hidden.contains(row.name));
}

void ParameterTable::showDefault(Row &row)
{
    row.set = false;
    const QJsonValue def = row.spec.defaultValue;
    switch (row.kind) {
    case EditorKind::Combo: {
        auto *combo = static_cast<QComboBox *>(row.editor);
        const int i =
            def.isUndefined()
                ? 0
                : combo->findData(def.isBool() ? QString::fromLatin1(def.toBool() ? "true" : "false")
                                               : def.toVariant().toString());
        combo->setCurrentIndex(std::max(0, i));
        break;
    }
    case EditorKind::Check:
        static_cast<QCheckBox *>(row.editor)->setChecked(def.toBool());
        break;
    case EditorKind::Integer: {
        // No default: the lowest value stands for "not set" and shows as such.
        auto *spin = static_cast<QSpinBox *>(row.editor);
        spin->setSpecialValueText(def.isDouble() ? QString() : tr("(not set)"));
        spin->setValue(def.isDouble() ? def.toInt() : spin->minimum());
        break;
    }
    case EditorKind::Number: {
        auto *spin = static_cast<QDoubleSpinBox *>(row.editor);
        spin->setSpecialValueText(def.isDouble() ? QString() : tr("(not set)"));
        spin->setValue(def.isDouble() ? def.toDouble() : spin->minimum());
        break;
    }
    case EditorKind::Text:
    case EditorKind::List:
    case EditorKind::Json: {
        auto *line = static_cast<QLineEdit *>(row.editor);
        line->clear();
        if (!def.isUndefined())
            line->setPlaceholderText(row.kind == EditorKind::Text
                                         ? def.toString()
                                         : (row.kind == EditorKind::List ? listText(def) : jsonText(def)));
        else if (row.kind == EditorKind::Text)
            line->setPlaceholderText(tr("not set"));
        break;
    }
    }
}

void ParameterTable::setEditorValue(Row &row, const QJsonValue &value)
{
    switch (row.kind) {
    case EditorKind::Combo: {
        auto *combo = static_cast<QComboBox *>(row.editor);
        const QString text = value.isBool()     ? QString::fromLatin1(value.toBool() ? "true" : "false")
                             : value.isObject() ? jsonText(value)
                                                : value.toVariant().toString();
        if (combo->isEditable() && value.isObject()) {
            combo->setEditText(text);
            break;
        }
        int i = combo->findData(text);
        if (i < 0) {
            // A value from a preset or a flow that the enum does not allow: shown, and marked invalid.
            combo->addItem(text, text);
            i = combo->count() - 1;
        }
        combo->setCurrentIndex(i);
        break;
    }
    case EditorKind::Check:
        static_cast<QCheckBox *>(row.editor)->setChecked(value.toBool());
        break;
    case EditorKind::Integer:
        static_cast<QSpinBox *>(row.editor)->setValue(value.toInt());
        break;
    case EditorKind::Number:
        static_cast<QDoubleSpinBox *>(row.editor)->setValue(value.toDouble());
        break;
    case EditorKind::Text:
        static_cast<QLineEdit *>(row.editor)->setText(value.isString() ? value.toString() : jsonText(value));
        break;
    case EditorKind::List:
        static_cast<QLineEdit *>(row.editor)->setText(listText(value));
        break;
    case EditorKind::Json:
        static_cast<QLineEdit *>(row.editor)->setText(jsonText(value));
        break;
    }
}

QJsonValue ParameterTable::editorValue(const Row &row, QString *problem) const
{
    problem->clear();
    switch (row.kind) {
    case EditorKind::Combo: {
        const auto *combo = static_cast<QComboBox *>(row.editor);
        if (combo->isEditable()) {
            const QString text = combo->currentText().trimmed();
            if (text.startsWith(QLatin1Char('{'))) {
                // Typed, or one of the functions offered (tool_choice).
                QString error;
                const auto parsed = parseJson(text, &error);
                if (!parsed) {
                    *problem = tr("%1 is not a valid JSON object (%2).").arg(rowName(row), error);
                    return QJsonValue::Undefined;
                }
                return *parsed;
            }
            const int index = combo->findText(text);
            if (index >= 0)
                return combo->itemData(index).toString().isEmpty()
                           ? QJsonValue(QJsonValue::Undefined)
                           : QJsonValue(combo->itemData(index).toString());
            return text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text);
        }
        const QString v = combo->currentData().toString();
        if (v.isEmpty())
            return QJsonValue::Undefined;
        if (isBooleanUnion(row.spec) && (v == QLatin1String("true") || v == QLatin1String("false")))
            return v == QLatin1String("true");
        if (row.spec.type == QLatin1String("integer") || row.spec.type == QLatin1String("number")) {
            bool ok = false;
            const double d = v.toDouble(&ok);
            if (ok)
                return d;
        }
        return v;
    }
    case EditorKind::Check:
        return static_cast<QCheckBox *>(row.editor)->isChecked();
    case EditorKind::Integer: {
        const auto *spin = static_cast<QSpinBox *>(row.editor);
        if (!spin->specialValueText().isEmpty() && spin->value() == spin->minimum())
            return QJsonValue::Undefined;
        return spin->value();
    }
    case EditorKind::Number: {
        const auto *spin = static_cast<QDoubleSpinBox *>(row.editor);
        if (!spin->specialValueText().isEmpty() && spin->value() == spin->minimum())
            return QJsonValue::Undefined;
        return spin->value();
    }
    case EditorKind::Text:
        return static_cast<QLineEdit *>(row.editor)->text();
    case EditorKind::List: {
        const QString text = static_cast<QLineEdit *>(row.editor)->text().trimmed();
        if (text.startsWith(QLatin1Char('['))) {
            QString error;
            const auto parsed = parseJson(text, &error);
            if (!parsed) {
                *problem = tr("%1 is not a valid JSON list (%2). Write items separated by commas, or a JSON "
                              "list like [\"a\", \"b\"].")
                               .arg(rowName(row), error);
                return QJsonValue::Undefined;
            }
            return *parsed;
        }
        QJsonArray items;
        const bool numeric =
            row.spec.itemType == QLatin1String("integer") || row.spec.itemType == QLatin1String("number");
        for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString item = part.trimmed();
            if (item.isEmpty())
                continue;
            if (numeric) {
                bool ok = false;
                const double d = item.toDouble(&ok);
                if (!ok || (row.spec.itemType == QLatin1String("integer") && d != std::floor(d))) {
                    *problem = tr("%1: “%2” is not %3. Give %4 separated by commas.")
                                   .arg(rowName(row), item,
                                        row.spec.itemType == QLatin1String("integer") ? tr("a whole number")
                                                                                      : tr("a number"),
                                        row.spec.itemType == QLatin1String("integer") ? tr("whole numbers")
                                                                                      : tr("numbers"));
                    return QJsonValue::Undefined;
                }
                items.append(d);
            } else {
                items.append(item);
            }
        }
        return items;
    }
    case EditorKind::Json: {
        const QString text = static_cast<QLineEdit *>(row.editor)->text().trimmed();
        if (text.isEmpty()) {
            if (row.extra)
                *problem = tr("Give %1 a JSON value, or remove the row.").arg(rowName(row));
            return QJsonValue::Undefined;
        }
        QString error;
        const auto parsed = parseJson(text, &error);
        if (!parsed) {
            if (row.spec.type.split(QLatin1Char('|')).contains(QLatin1String("string")))
                return text;
            *problem = tr("The value of %1 is not JSON (%2). Text goes in double quotes: \"like this\".")
                           .arg(rowName(row), error);
            return QJsonValue::Undefined;
        }
        return *parsed;
    }
    }
    return QJsonValue::Undefined;
}

QString ParameterTable::rowName(const Row &row) const
{
    if (!row.extra)
        return row.name;
    const QString name = row.nameEdit->text().trimmed();
    return name.isEmpty() ? tr("the extra parameter") : name;
}

int ParameterTable::indexOfEditor(const QObject *editor) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).editor == editor)
            return i;
    return -1;
}

void ParameterTable::edited(QWidget *editor)
{
    if (m_loading)
        return;
    const int i = indexOfEditor(editor);
    if (i < 0)
        return;
    Row &row = m_rows[i];
    row.set = true;
    // Leaving "(not set)" with the arrows starts from the range's low end, not from the sentinel.
    if (auto *spin = qobject_cast<QSpinBox *>(editor); spin && !spin->specialValueText().isEmpty()) {
        if (spin->value() == spin->minimum()) {
            row.set = false;
        } else if (spin->value() < spin->minimum() + 1000) {
            const QSignalBlocker block(spin);
            spin->setValue(row.spec.minimum ? int(std::ceil(*row.spec.minimum)) : 0);
        }
    }
    if (auto *spin = qobject_cast<QDoubleSpinBox *>(editor); spin && !spin->specialValueText().isEmpty()) {
        if (spin->value() == spin->minimum()) {
            row.set = false;
        } else if (spin->value() < spin->minimum() + 1000) {
            const QSignalBlocker block(spin);
            spin->setValue(row.spec.minimum ? *row.spec.minimum : 0.0);
        }
    }
    refresh();
    Q_EMIT changed();
}

void ParameterTable::resetRow(int index)
{
    m_loading = true;
    showDefault(m_rows[index]);
    m_loading = false;
    refresh();
    Q_EMIT changed();
}

void ParameterTable::removeRow(int index)
{
    m_rows.removeAt(index);
    m_table->removeRow(index);
    refresh();
    Q_EMIT changed();
}

void ParameterTable::resetAll()
{
    m_loading = true;
    for (int i = m_rows.size() - 1; i >= 0; --i) {
        if (m_rows.at(i).extra) {
            m_rows.removeAt(i);
            m_table->removeRow(i);
        } else {
            showDefault(m_rows[i]);
        }
    }
    m_loading = false;
    refresh();
    Q_EMIT changed();
}

void ParameterTable::setHiddenParameters(const QStringList &names)
{
    m_hidden = names;
    for (int i = 0; i < m_rows.size(); ++i)
        m_table->setRowHidden(i, !m_rows.at(i).extra && m_hidden.contains(m_rows.at(i).name));
    refresh();
}

QJsonObject ParameterTable::parameters() const
{
    QJsonObject out;
    for (const Row &row : m_rows) {
        if (!row.set || (!row.extra && m_hidden.contains(row.name)))
            continue;
        QString problem;
        const QJsonValue value = editorValue(row, &problem);
        if (value.isUndefined())
            continue;
        const QString name = row.extra ? row.nameEdit->text().trimmed() : row.name;
        if (name.isEmpty())
            continue;
        if (!row.extra && name.contains(QLatin1Char('.'))) {
            const QString parent = name.section(QLatin1Char('.'), 0, 0);
            QJsonObject object = out.value(parent).toObject();
            object.insert(name.section(QLatin1Char('.'), 1), value);
            out.insert(parent, object);
        } else if (value.isObject() && out.value(name).isObject()) {
            // Members the catalog does not know, next to known member rows: one object.
            QJsonObject merged = value.toObject();
            const QJsonObject known = out.value(name).toObject();
            for (auto it = known.begin(); it != known.end(); ++it)
                merged.insert(it.key(), it.value());
            out.insert(name, merged);
        } else {
            out.insert(name, value);
        }
    }
    return out;
}

void ParameterTable::setParameters(const QJsonObject &parameters)
{
    m_loading = true;
    for (int i = m_rows.size() - 1; i >= 0; --i) {
        if (m_rows.at(i).extra) {
            m_rows.removeAt(i);
            m_table->removeRow(i);
        } else {
            showDefault(m_rows[i]);
        }
    }
    QList<QPair<QString, QJsonValue>> extras;
    for (auto it = parameters.begin(); it != parameters.end(); ++it) {
        int r = rowOf(it.key());
        if (r >= 0 && !m_rows.at(r).name.contains(QLatin1Char('.'))) {
            setEditorValue(m_rows[r], it.value());
            m_rows[r].set = true;
            continue;
        }
        bool placed = false;
        if (it.value().isObject()) {
            QJsonObject rest;
            const QJsonObject members = it.value().toObject();
            for (auto m = members.begin(); m != members.end(); ++m) {
                r = rowOf(it.key() + QLatin1Char('.') + m.key());
                if (r >= 0) {
                    setEditorValue(m_rows[r], m.value());
                    m_rows[r].set = true;
                    placed = true;
                } else {
                    rest.insert(m.key(), m.value());
                }
            }
            if (placed && !rest.isEmpty())
                extras.append({it.key(), rest}); // unknown members stay visible as an extra row
        }
        if (!placed && !(m_hidden.contains(it.key())))
            extras.append({it.key(), it.value()});
    }
    m_loading = false;
    for (const auto &extra : extras)
        addExtraRow(extra.first, extra.second);
    refresh();
    Q_EMIT changed();
}

int ParameterTable::preferredHeight(int maxRows) const
{
    int visible = 0;
    for (int i = 0; i < m_rows.size(); ++i)
        if (!m_table->isRowHidden(i))
            ++visible;
    const int spacing = std::max(0, layout()->spacing());
    int height = m_add->sizeHint().height() + spacing;
    if (visible == 0) {
        height += m_empty->sizeHint().height() + spacing;
    } else {
        height += m_table->horizontalHeader()->sizeHint().height() +
                  std::min(visible, maxRows) * m_table->verticalHeader()->defaultSectionSize() +
                  2 * m_table->frameWidth() + spacing;
    }
    if (!m_problems->isHidden())
        height += m_problems->sizeHint().height() + spacing;
    return height;
}

int ParameterTable::rowOf(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows.at(i);
        if (row.extra ? row.nameEdit->text().trimmed() == name : row.name == name)
            return i;
    }
    // "parent." asks whether any member row exists.
    if (name.endsWith(QLatin1Char('.'))) {
        for (const Row &row : m_rows)
            if (!row.extra && row.name.startsWith(name))
                return -2;
    }
    return -1;
}

QWidget *ParameterTable::editor(const QString &name) const
{
    const int r = rowOf(name);
    return r >= 0 ? m_rows.at(r).editor : nullptr;
}

QToolButton *ParameterTable::dialogButton(const QString &name) const
{
    const int r = rowOf(name);
    return r >= 0 ? m_rows.at(r).editButton : nullptr;
}

void ParameterTable::setRowText(const QString &name, const QString &text)
{
    const int r = rowOf(name);
    auto *line = r >= 0 ? qobject_cast<QLineEdit *>(m_rows.at(r).editor) : nullptr;
    if (!line)
        return;
    // As if typed: the row counts as changed and is checked like any other.
    line->setText(text);
    edited(line);
}

void ParameterTable::openDialog(const QString &name)
{
    const int r = rowOf(name);
    if (r < 0 || !hasDialog(name))
        return;
    const Row &row = m_rows.at(r);
    const QString typed = static_cast<QLineEdit *>(row.editor)->text().trimmed();
    QString problem;
    const QJsonValue current = row.set ? editorValue(row, &problem) : QJsonValue(QJsonValue::Undefined);
    QDialog *dialog = nullptr;
    if (name == QLatin1String("tools")) {
        auto *tools = new ToolsDialog(this);
        if (!typed.isEmpty() && !problem.isEmpty())
            tools->setJsonText(typed); // not JSON yet: shown as typed, with the reason
        else
            tools->setTools(current);
        connect(tools, &QDialog::accepted, this,
                [this, tools] { setRowText(QStringLiteral("tools"), jsonText(tools->tools())); });
        dialog = tools;
    } else {
        auto *format = new ResponseFormatDialog(this);
        format->setResponseFormat(current);
        connect(format, &QDialog::accepted, this, [this, format] {
            setRowText(QStringLiteral("response_format"), jsonText(format->responseFormat()));
        });
        dialog = format;
    }
    connect(dialog, &QDialog::finished, dialog, &QObject::deleteLater);
    dialog->open();
}

void ParameterTable::updateToolChoices()
{
    const int r = rowOf(QStringLiteral("tool_choice"));
    if (r < 0 || m_rows.at(r).extra)
        return;
    auto *combo = qobject_cast<QComboBox *>(m_rows.at(r).editor);
    if (!combo || !combo->isEditable())
        return;
    QStringList names;
    const int t = rowOf(QStringLiteral("tools"));
    if (t >= 0 && m_rows.at(t).set && !m_hidden.contains(QStringLiteral("tools"))) {
        QString ignored;
        names = ChatParameterCheck::toolNames(editorValue(m_rows.at(t), &ignored));
    }
    QStringList wanted;
    for (const QString &tool : std::as_const(names))
        wanted << jsonText(
            QJsonObject{{QStringLiteral("type"), QStringLiteral("function")},
                        {QStringLiteral("function"), QJsonObject{{QStringLiteral("name"), tool}}}});
    QStringList present;
    for (int i = 0; i < combo->count(); ++i)
        if (combo->itemData(i).toString().startsWith(QLatin1Char('{')))
            present << combo->itemData(i).toString();
    if (present == wanted)
        return;
    const QString text = combo->currentText();
    const QSignalBlocker block(combo);
    for (int i = combo->count() - 1; i >= 0; --i)
        if (combo->itemData(i).toString().startsWith(QLatin1Char('{')))
            combo->removeItem(i);
    for (int i = 0; i < wanted.size(); ++i) {
        combo->addItem(wanted.at(i), wanted.at(i));
        combo->setItemData(combo->count() - 1, tr("The model must call %1").arg(names.at(i)),
                           Qt::ToolTipRole);
    }
    combo->setEditText(text);
}

QString ParameterTable::rowProblem(const QString &name) const
{
    const int r = rowOf(name);
    return r >= 0 ? m_rows.at(r).problem : QString();
}

bool ParameterTable::isChanged(const QString &name) const
{
    const int r = rowOf(name);
    return r >= 0 && m_rows.at(r).set;
}

QStringList ParameterTable::problems() const
{
    QStringList out;
    for (const Row &row : m_rows) {
        if (!row.problem.isEmpty() && !out.contains(row.problem))
            out << row.problem;
    }
    return out;
}

void ParameterTable::refresh()
{
    updateToolChoices();
    // Editors' own checks first, then the catalog's type/enum/range checks on what would be sent.
    QSet<QString> names;
    for (Row &row : m_rows) {
        row.problem.clear();
        if (!row.set || (!row.extra && m_hidden.contains(row.name)))
            continue;
        editorValue(row, &row.problem);
        if (row.extra && row.problem.isEmpty()) {
            const QString name = row.nameEdit->text().trimmed();
            if (name.isEmpty())
                row.problem = tr("Give the extra parameter a name, or remove the row.");
            else if (names.contains(name) || (rowOf(name) >= 0 && !m_rows.at(rowOf(name)).extra))
                row.problem = tr("%1 is given twice. Keep one row for it.").arg(name);
            names.insert(name);
        }
    }
    const QJsonObject params = parameters();
    const QStringList catalogProblems = m_task.isEmpty() ? TaskCatalog::instance().validateGeneric(params)
                                                         : TaskCatalog::instance().validate(m_task, params);
    QStringList unmatched;
    for (const QString &sentence : catalogProblems) {
        // The sentence names its parameter first ("Parameter \"top_k\" ...", "tools[1].function.name ..."):
        // give it to the row whose name stands first in it as a whole word, the longest of those.
        // (A later word may be another parameter's name: a tool's argument called "temperature".)
        int best = -1;
        qsizetype bestPosition = -1;
        qsizetype bestLength = 0;
        for (int i = 0; i < m_rows.size(); ++i) {
            const QString name =
                m_rows.at(i).extra ? m_rows.at(i).nameEdit->text().trimmed() : m_rows.at(i).name;
            if (name.isEmpty())
                continue;
            const qsizetype position = wordPosition(sentence, name);
            if (position < 0)
                continue;
            if (best < 0 || position < bestPosition ||
                (position == bestPosition && name.size() > bestLength)) {
                best = i;
                bestPosition = position;
                bestLength = name.size();
            }
        }
        if (best >= 0 && m_rows.at(best).problem.isEmpty())
            m_rows[best].problem = sentence;
        else if (best < 0)
            unmatched << sentence;
    }
    QStringList all;
    for (int i = 0; i < m_rows.size(); ++i) {
        styleRow(i);
        if (!m_rows.at(i).problem.isEmpty())
            all << m_rows.at(i).problem;
    }
    all << unmatched;
    // Unmatched catalog sentences still block sending: keep them on the first row with none.
    for (const QString &sentence : unmatched) {
        for (Row &row : m_rows)
            if (row.set && row.problem.isEmpty()) {
                row.problem = sentence;
                break;
            }
    }
    m_problems->setText(all.isEmpty() ? QString() : QStringLiteral("⚠ ") + all.join(QStringLiteral("\n⚠ ")));
    m_problems->setVisible(!all.isEmpty());
    int visible = 0;
    for (int i = 0; i < m_rows.size(); ++i)
        if (!m_table->isRowHidden(i))
            ++visible;
    m_empty->setVisible(visible == 0);
    m_table->setVisible(visible > 0);
    m_reset->setEnabled(!m_rows.isEmpty());
    // Cell widgets join the focus chain when created; put them in row order where the table is.
    // Start from the last widget before this table that is not one of its own (earlier rows).
    QWidget *previous = m_table->previousInFocusChain();
    while (previous && previous != m_table &&
           (isAncestorOf(previous) || previous->focusPolicy() == Qt::NoFocus))
        previous = previous->previousInFocusChain();
    if (previous == m_table)
        previous = nullptr; // nothing focusable before: the chain order does not matter then
    for (const Row &row : std::as_const(m_rows)) {
        for (QWidget *w : {static_cast<QWidget *>(row.nameEdit), row.editor,
                           static_cast<QWidget *>(row.editButton), static_cast<QWidget *>(row.button)}) {
            if (w && w->focusPolicy() != Qt::NoFocus) {
                if (previous)
                    setTabOrder(previous, w);
                previous = w;
            }
        }
    }
}

QString ParameterTable::tooltipFor(const Row &row) const
{
    if (!row.problem.isEmpty())
        return row.problem;
    if (row.extra)
        return tr("A parameter the catalog does not list for this task, sent as written.");
    QStringList lines;
    if (!row.spec.description.isEmpty())
        lines << row.spec.description;
    QString type = row.spec.type;
    if (type == QLatin1String("array") && !row.spec.itemType.isEmpty())
        type = tr("list of %1").arg(row.spec.itemType);
    lines << tr("Type: %1").arg(type);
    if (row.spec.minimum && row.spec.maximum)
        lines << tr("Range: %1 to %2").arg(*row.spec.minimum).arg(*row.spec.maximum);
    else if (row.spec.minimum)
        lines << tr("At least %1").arg(*row.spec.minimum);
    else if (row.spec.maximum)
        lines << tr("At most %1").arg(*row.spec.maximum);
    lines << (row.spec.defaultValue.isUndefined() ? tr("Default: not set (the server decides)")
                                                  : tr("Default: %1").arg(jsonText(row.spec.defaultValue)));
    if (!row.set)
        lines << tr("Not sent until you change it.");
    return lines.join(QLatin1Char('\n'));
}

void ParameterTable::styleRow(int index)
{
    Row &row = m_rows[index];
    const bool invalid = !row.problem.isEmpty();
    const QPalette base = QApplication::palette(row.editor);
    QPalette p = base;
    if (!row.set) {
        // The default, greyed until changed.
        const QColor grey = base.color(QPalette::PlaceholderText);
        p.setColor(QPalette::Text, grey);
        p.setColor(QPalette::ButtonText, grey);
        p.setColor(QPalette::WindowText, grey);
    }
    const QColor red(220, 40, 40);
    if (invalid) {
        p.setColor(QPalette::Base, blend(base.color(QPalette::Base), red, 0.35));
        p.setColor(QPalette::Button, blend(base.color(QPalette::Button), red, 0.35));
    }
    row.editor->setPalette(p);
    QPalette cellPalette = QApplication::palette(row.cell);
    if (invalid)
        cellPalette.setColor(QPalette::Window, blend(cellPalette.color(QPalette::Base), red, 0.5));
    else
        cellPalette.setColor(QPalette::Window, cellPalette.color(QPalette::Base));
    row.cell->setPalette(cellPalette);

    const QString tip = tooltipFor(row);
    row.editor->setToolTip(tip);
    if (QTableWidgetItem *item = m_table->item(index, NameColumn)) {
        item->setToolTip(tip);
        item->setBackground(
            invalid ? QBrush(blend(QApplication::palette(m_table).color(QPalette::Base), red, 0.35))
                    : QBrush());
        QFont f = item->font();
        f.setBold(row.set);
        item->setFont(f);
    }
    if (!row.extra)
        row.button->setEnabled(row.set);
    row.editor->setAccessibleDescription(invalid ? row.problem : row.spec.description);
}

} // namespace idesk
