#include "ToolsDialog.h"
#include "ui_ToolsDialog.h"

#include "ChatParameterCheck.h"
#include "JsonSchemaEdit.h"
#include "ProblemText.h"
#include "WrappedLabel.h"
#include "views/JsonHighlighter.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

namespace idesk {

namespace {

enum Tab { FunctionsTab = 0, JsonTab = 1 };

// Problems shown under the tabs: the first few, and how many more.
QString problemText(const QStringList &problems)
{
    constexpr int shown = 4;
    QStringList lines;
    for (int i = 0; i < problems.size() && i < shown; ++i)
        lines << QStringLiteral("⚠ ") + problems.at(i);
    if (problems.size() > shown)
        lines << QCoreApplication::translate("idesk::ToolsDialog", "…and %n more.", nullptr,
                                             int(problems.size() - shown));
    return lines.join(QLatin1Char('\n'));
}

} // namespace

ToolsDialog::ToolsDialog(QWidget *parent) : QDialog(parent), m_ui(std::make_unique<Ui::ToolsDialog>())
{
    m_ui->setupUi(this); // the layout: ui/ToolsDialog.ui
    m_functionsTab = m_ui->functionsTab;
    m_list = m_ui->functionList;
    m_add = m_ui->addFunction;
    m_duplicate = m_ui->duplicateFunction;
    m_remove = m_ui->removeFunction;
    m_form = m_ui->functionForm;
    m_name = m_ui->functionName;
    m_description = m_ui->functionDescription;
    m_description->setFixedHeight( // three lines
        m_description->fontMetrics().lineSpacing() * 3 +
        2 * (m_description->frameWidth() + int(m_description->document()->documentMargin())));
    m_parameters = m_ui->functionParameters;
    m_parameters->setEmptyAllowed(true);
    m_parameters->editor()->setAccessibleName(tr("Parameters of the function (JSON Schema)"));
    m_ui->parametersLabel->setBuddy(m_parameters->editor());
    m_json = m_ui->toolsJson;
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_jsonHighlighter = new JsonHighlighter(m_json->document(), m_json->palette());
    m_tabs = m_ui->toolsTabs;
    m_status = m_ui->toolsProblems;
    m_status->setAccessibleName(tr("Problems with the tools"));
    m_buttons = m_ui->buttons;
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (m_loading)
            return;
        m_current = row;
        showCurrent();
        validate();
    });
    connect(m_add, &QPushButton::clicked, this, [this] { addFunction(starterTool(names())); });
    connect(m_duplicate, &QPushButton::clicked, this, &ToolsDialog::duplicateCurrent);
    connect(m_remove, &QPushButton::clicked, this, &ToolsDialog::removeCurrent);
    connect(m_name, &QLineEdit::textEdited, this, &ToolsDialog::storeCurrent);
    connect(m_description, &QPlainTextEdit::textChanged, this, &ToolsDialog::storeCurrent);
    connect(m_parameters, &JsonSchemaEdit::changed, this, &ToolsDialog::storeCurrent);
    connect(m_json, &QPlainTextEdit::textChanged, this, &ToolsDialog::jsonEdited);
    connect(m_tabs, &QTabWidget::currentChanged, this, &ToolsDialog::tabChanged);

    setTools(QJsonValue::Undefined);
}

ToolsDialog::~ToolsDialog() = default;

QPushButton *ToolsDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QLabel *ToolsDialog::problemLabel() const
{
    return m_status;
}

QJsonObject ToolsDialog::starterTool(const QStringList &taken)
{
    QString name = QStringLiteral("get_weather");
    for (int n = 2; taken.contains(name); ++n)
        name = QStringLiteral("get_weather_%1").arg(n);
    const QJsonObject parameters{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("properties"),
         QJsonObject{
             {QStringLiteral("location"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                          {QStringLiteral("description"), tr("The city and country, e.g. Paris, France")}}},
             {QStringLiteral("unit"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                          {QStringLiteral("enum"),
                           QJsonArray{QStringLiteral("celsius"), QStringLiteral("fahrenheit")}}}}}},
        {QStringLiteral("required"), QJsonArray{QStringLiteral("location")}}};
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("function")},
        {QStringLiteral("function"),
         QJsonObject{{QStringLiteral("name"), name},
                     {QStringLiteral("description"), tr("Get the current weather in a given location.")},
                     {QStringLiteral("parameters"), parameters}}}};
}

ToolsDialog::Function ToolsDialog::fromJson(const QJsonValue &tool)
{
    Function f;
    f.otherToolMembers = tool.toObject();
    const QJsonObject function = f.otherToolMembers.take(QStringLiteral("function")).toObject();
    f.otherFunctionMembers = function;
    const QJsonValue name = f.otherFunctionMembers.take(QStringLiteral("name"));
    f.name = name.isString() ? name.toString() : QString();
    f.description = f.otherFunctionMembers.take(QStringLiteral("description")).toString();
    const QJsonValue parameters = f.otherFunctionMembers.take(QStringLiteral("parameters"));
    if (!parameters.isUndefined() && !parameters.isNull())
        f.parametersText = JsonSchemaEdit::indentedValue(parameters);
    if (!f.otherToolMembers.contains(QStringLiteral("type")))
        f.otherToolMembers.insert(QStringLiteral("type"), QStringLiteral("function"));
    return f;
}

void ToolsDialog::setTools(const QJsonValue &tools)
{
    QList<Function> functions;
    if (tools.isArray() && !tools.toArray().isEmpty()) {
        for (const QJsonValue &tool : tools.toArray())
            functions << fromJson(tool);
    } else if (tools.isUndefined() || tools.isNull() || tools.isArray()) {
        functions << fromJson(starterTool());
    }
    m_tabs->setCurrentIndex(FunctionsTab);
    setFunctions(functions);
    if (!tools.isUndefined() && !tools.isNull() && !tools.isArray()) {
        // Not a list at all: shown as it is in the JSON tab, with the reason.
        m_tabs->setCurrentIndex(JsonTab);
        m_json->setPlainText(JsonSchemaEdit::indentedValue(tools));
    }
}

void ToolsDialog::setJsonText(const QString &text)
{
    setFunctions({});
    m_tabs->setCurrentIndex(JsonTab);
    m_json->setPlainText(text);
}

void ToolsDialog::setFunctions(const QList<Function> &functions)
{
    listFunctions(functions);
    showCurrent();
    validate();
}

void ToolsDialog::listFunctions(const QList<Function> &functions)
{
    m_loading = true;
    m_functions = functions;
    m_list->clear();
    for (const Function &f : std::as_const(m_functions))
        m_list->addItem(f.name.isEmpty() ? tr("(no name)") : f.name);
    m_current = m_functions.isEmpty() ? -1 : std::clamp(m_current, 0, int(m_functions.size()) - 1);
    m_list->setCurrentRow(m_current);
    m_loading = false;
}

QStringList ToolsDialog::names() const
{
    QStringList out;
    for (const Function &f : m_functions)
        out << f.name;
    return out;
}

void ToolsDialog::showCurrent()
{
    const bool has = m_current >= 0 && m_current < m_functions.size();
    m_loading = true;
    m_form->setEnabled(has);
    m_name->setText(has ? m_functions.at(m_current).name : QString());
    m_description->setPlainText(has ? m_functions.at(m_current).description : QString());
    m_parameters->setPath(QStringLiteral("tools[%1].function.parameters").arg(std::max(0, m_current)));
    m_parameters->setText(has ? m_functions.at(m_current).parametersText : QString());
    m_loading = false;
    m_duplicate->setEnabled(has);
    m_remove->setEnabled(has);
}

void ToolsDialog::storeCurrent()
{
    if (m_loading || m_current < 0 || m_current >= m_functions.size())
        return;
    Function &f = m_functions[m_current];
    f.name = m_name->text();
    f.description = m_description->toPlainText();
    f.parametersText = m_parameters->text();
    if (QListWidgetItem *item = m_list->item(m_current))
        item->setText(f.name.isEmpty() ? tr("(no name)") : f.name);
    validate();
}

void ToolsDialog::addFunction(const QJsonObject &tool)
{
    m_functions << fromJson(tool);
    m_current = int(m_functions.size()) - 1;
    setFunctions(m_functions);
    m_name->setFocus();
    m_name->selectAll();
}

void ToolsDialog::duplicateCurrent()
{
    if (m_current < 0)
        return;
    Function copy = m_functions.at(m_current);
    const QStringList taken = names();
    const QString base = (copy.name.isEmpty() ? QStringLiteral("function") : copy.name).left(58);
    QString name = base + QStringLiteral("_copy");
    for (int n = 2; taken.contains(name); ++n)
        name = base + QStringLiteral("_copy%1").arg(n);
    copy.name = name;
    m_functions.insert(m_current + 1, copy);
    ++m_current;
    setFunctions(m_functions);
    m_name->setFocus();
    m_name->selectAll();
}

void ToolsDialog::removeCurrent()
{
    if (m_current < 0)
        return;
    m_functions.removeAt(m_current);
    setFunctions(m_functions);
}

bool ToolsDialog::build(QJsonArray *out, QString *error) const
{
    error->clear();
    for (int i = 0; i < m_functions.size(); ++i) {
        const Function &f = m_functions.at(i);
        QJsonObject function = f.otherFunctionMembers;
        function.insert(QStringLiteral("name"), f.name);
        if (!f.description.trimmed().isEmpty())
            function.insert(QStringLiteral("description"), f.description);
        if (!f.parametersText.trimmed().isEmpty()) {
            QJsonValue parameters;
            QString why;
            if (JsonSchemaEdit::parseJson(f.parametersText, &parameters, &why))
                function.insert(QStringLiteral("parameters"), parameters);
            else if (error->isEmpty())
                *error = tr("tools[%1].function.parameters: %2").arg(i).arg(why);
        }
        QJsonObject tool = f.otherToolMembers;
        tool.insert(QStringLiteral("function"), function);
        out->append(tool);
    }
    return error->isEmpty();
}

QJsonArray ToolsDialog::tools() const
{
    if (m_tabs->currentIndex() == JsonTab) {
        QJsonValue value;
        QString ignored;
        if (JsonSchemaEdit::parseJson(m_json->toPlainText(), &value, &ignored) && value.isArray())
            return value.toArray();
    }
    QJsonArray out;
    QString ignored;
    build(&out, &ignored);
    return out;
}

void ToolsDialog::tabChanged(int index)
{
    if (index == JsonTab) {
        QJsonArray array;
        QString error;
        if (build(&array, &error)) {
            const QSignalBlocker block(m_json);
            m_json->setPlainText(JsonSchemaEdit::indentedValue(array));
        }
        m_jsonError.clear();
    } else {
        showCurrent();
    }
    validate();
}

void ToolsDialog::jsonEdited()
{
    QJsonValue value;
    m_jsonError.clear();
    if (!JsonSchemaEdit::parseJson(m_json->toPlainText(), &value, &m_jsonError)) {
        m_jsonError = tr("tools: %1").arg(m_jsonError);
    } else if (value.isArray()) {
        // Taken over by the Functions tab when every item is an object it can show.
        bool objects = true;
        for (const QJsonValue &tool : value.toArray())
            objects = objects && tool.isObject() &&
                      (tool.toObject().value(QLatin1String("function")).isObject() ||
                       tool.toObject().value(QLatin1String("function")).isUndefined());
        if (objects) {
            QList<Function> functions;
            for (const QJsonValue &tool : value.toArray())
                functions << fromJson(tool);
            listFunctions(functions); // the Functions tab follows; the JSON tab keeps its text
        }
    }
    validate();
}

void ToolsDialog::validate()
{
    m_problems.clear();
    const bool onJson = m_tabs->currentIndex() == JsonTab;
    bool functionsShowable = true;
    bool jsonShowable = true;
    if (onJson) {
        QJsonValue value;
        QString ignored;
        if (!m_jsonError.isEmpty()) {
            m_problems << m_jsonError;
            functionsShowable = false;
        } else if (JsonSchemaEdit::parseJson(m_json->toPlainText(), &value, &ignored)) {
            m_problems << ChatParameterCheck::checkTools(value);
            if (!value.isArray())
                functionsShowable = false;
            for (const QJsonValue &tool : value.toArray())
                if (!tool.isObject() || !(tool.toObject().value(QLatin1String("function")).isObject() ||
                                          tool.toObject().value(QLatin1String("function")).isUndefined()))
                    functionsShowable = false;
        }
    } else {
        QJsonArray array;
        QString error;
        if (!build(&array, &error)) {
            m_problems << error;
            jsonShowable = false;
        }
        m_problems << ChatParameterCheck::checkTools(array);
    }
    m_tabs->setTabEnabled(FunctionsTab, functionsShowable || !onJson);
    m_tabs->setTabToolTip(FunctionsTab,
                          functionsShowable ? QString() : tr("Make the JSON a list of tools first"));
    m_tabs->setTabEnabled(JsonTab, jsonShowable || onJson);
    m_tabs->setTabToolTip(JsonTab,
                          jsonShowable ? QString() : tr("Fix the parameters that are not JSON first"));

    // Mark the functions that have something wrong.
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int i = 0; i < m_list->count(); ++i) {
        const QString prefix = QStringLiteral("tools[%1]").arg(i);
        bool bad = false;
        for (const QString &p : std::as_const(m_problems))
            bad = bad || p.startsWith(prefix);
        m_list->item(i)->setIcon(bad ? warning : QIcon());
        m_list->item(i)->setToolTip(bad ? tr("This function has a problem: see below") : QString());
    }

    okButton()->setEnabled(m_problems.isEmpty());
    okButton()->setToolTip(m_problems.isEmpty() ? QString() : tr("Fix the problems listed above first"));
    markProblemText(m_status, !m_problems.isEmpty());
    if (m_problems.isEmpty()) {
        const int count = onJson ? int(tools().size()) : int(m_functions.size());
        m_status->setWrappedText(count == 1 ? tr("✓ One function, ready to use.")
                                            : tr("✓ %1 functions, ready to use.").arg(count));
    } else {
        // What the schema editor of the shown function already says is not repeated here.
        QStringList rest = m_problems;
        if (!onJson && m_current >= 0) {
            for (const QString &shown : m_parameters->problems())
                rest.removeAll(shown);
        }
        m_status->setWrappedText(rest.isEmpty() ? tr("⚠ Fix the parameters schema above to enable OK.")
                                                : problemText(rest));
    }
}

} // namespace idesk
