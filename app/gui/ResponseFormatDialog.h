#pragma once

#include <QDialog>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>
#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Ui {
class ResponseFormatDialog;
}

namespace idesk {

class JsonSchemaEdit;
class WrappedLabel;

// Edits chat-completion's `response_format`: plain text, any JSON object, or JSON that follows a schema
// (name, description, strict, the schema). What is wrong is said live in ChatParameterCheck's sentences;
// OK stays disabled until nothing is.
class ResponseFormatDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ResponseFormatDialog(QWidget *parent = nullptr);
    ~ResponseFormatDialog() override;

    // The current value (Undefined or null: a JSON schema to start from). TGI's older
    // {"type": "json", "value": schema} is shown as a JSON schema (and saved in the spec's form).
    void setResponseFormat(const QJsonValue &format);
    QJsonObject responseFormat() const;
    QStringList problems() const { return m_problems; }

    // For tests and keyboard users.
    QComboBox *typeCombo() const { return m_type; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *descriptionEdit() const { return m_description; }
    QCheckBox *strictCheck() const { return m_strict; }
    JsonSchemaEdit *schemaEdit() const { return m_schema; }
    QPushButton *okButton() const;
    QLabel *problemLabel() const;

private:
    void validate();

    std::unique_ptr<Ui::ResponseFormatDialog> m_ui; // the layout (ui/ResponseFormatDialog.ui)
    QStringList m_problems;
    QJsonObject m_otherMembers; // members of json_schema this dialog does not edit, kept as they came
    QComboBox *m_type = nullptr;
    QLabel *m_typeHint = nullptr;
    QGroupBox *m_schemaBox = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_description = nullptr;
    QCheckBox *m_strict = nullptr;
    JsonSchemaEdit *m_schema = nullptr;
    WrappedLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace idesk
