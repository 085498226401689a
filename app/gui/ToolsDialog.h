#pragma once

#include <QDialog>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QStringList>
#include <memory>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QWidget;

namespace Ui {
class ToolsDialog;
}

namespace idesk {

class JsonHighlighter;
class JsonSchemaEdit;
class WrappedLabel;

// Edits chat-completion's `tools`: a list of functions (add, duplicate, remove), each with a name, a
// description and a JSON Schema of its parameters; a JSON tab shows and takes the whole array. What is
// wrong is said live, in ChatParameterCheck's sentences, and OK stays disabled until nothing is.
class ToolsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ToolsDialog(QWidget *parent = nullptr);
    ~ToolsDialog() override;

    // The current value of the tools parameter (Undefined, null or an empty list: one starter function).
    void setTools(const QJsonValue &tools);
    // Text that is not JSON yet (typed in the parameter table): shown in the JSON tab with the reason.
    void setJsonText(const QString &text);
    // The array as it would be sent (valid only when problems() is empty).
    QJsonArray tools() const;
    QStringList problems() const { return m_problems; }

    // The starter function: get_weather with a location (and a unit), named uniquely among `taken`.
    static QJsonObject starterTool(const QStringList &taken = {});

    // For tests and keyboard users.
    QListWidget *functionList() const { return m_list; }
    QLineEdit *nameEdit() const { return m_name; }
    QPlainTextEdit *descriptionEdit() const { return m_description; }
    JsonSchemaEdit *parametersEdit() const { return m_parameters; }
    QPlainTextEdit *jsonEdit() const { return m_json; }
    QTabWidget *tabs() const { return m_tabs; }
    QPushButton *okButton() const;
    QPushButton *addButton() const { return m_add; }
    QPushButton *duplicateButton() const { return m_duplicate; }
    QPushButton *removeButton() const { return m_remove; }
    QLabel *problemLabel() const;

private:
    // One function as edited: the schema kept as typed so that half-written JSON is not lost.
    struct Function
    {
        QString name;
        QString description;
        QString parametersText;
        QJsonObject otherFunctionMembers; // e.g. "strict": kept as they came
        QJsonObject otherToolMembers;     // "type" and anything else next to "function"
    };

    static Function fromJson(const QJsonValue &tool);
    void setFunctions(const QList<Function> &functions);
    // The functions into the list (current row kept in range), without showing or validating.
    void listFunctions(const QList<Function> &functions);
    // The whole array, or the first reason it cannot be built (a schema that is not JSON).
    bool build(QJsonArray *out, QString *error) const;
    void showCurrent();
    void storeCurrent();
    void addFunction(const QJsonObject &tool);
    void duplicateCurrent();
    void removeCurrent();
    void tabChanged(int index);
    void jsonEdited();
    void validate();
    QStringList names() const;

    QList<Function> m_functions;
    int m_current = -1;
    bool m_loading = false;
    QStringList m_problems;

    std::unique_ptr<Ui::ToolsDialog> m_ui; // the layout (ui/ToolsDialog.ui)
    QTabWidget *m_tabs = nullptr;
    QWidget *m_functionsTab = nullptr;
    QListWidget *m_list = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_remove = nullptr;
    QWidget *m_form = nullptr;
    QLineEdit *m_name = nullptr;
    QPlainTextEdit *m_description = nullptr;
    JsonSchemaEdit *m_parameters = nullptr;
    QPlainTextEdit *m_json = nullptr;
    JsonHighlighter *m_jsonHighlighter = nullptr;
    QString m_jsonError;
    WrappedLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace idesk
