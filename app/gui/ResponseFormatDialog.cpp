#include "ResponseFormatDialog.h"

#include "ChatParameterCheck.h"
#include "JsonSchemaEdit.h"
#include "ProblemText.h"
#include "WrappedLabel.h"
#include "ui_ResponseFormatDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

namespace idesk {

namespace {

QJsonObject starterSchema()
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                       {QStringLiteral("properties"),
                        QJsonObject{{QStringLiteral("answer"),
                                     QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}},
                                    {QStringLiteral("confidence"),
                                     QJsonObject{{QStringLiteral("type"), QStringLiteral("number")}}}}},
                       {QStringLiteral("required"), QJsonArray{QStringLiteral("answer")}}};
}

} // namespace

ResponseFormatDialog::ResponseFormatDialog(QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::ResponseFormatDialog>())
{
    m_ui->setupUi(this); // the layout: ui/ResponseFormatDialog.ui
    m_type = m_ui->responseFormatType;
    m_type->addItem(tr("Text (no constraint)"), QStringLiteral("text"));
    m_type->addItem(tr("JSON object (any JSON)"), QStringLiteral("json_object"));
    m_type->addItem(tr("JSON that follows a schema"), QStringLiteral("json_schema"));
    m_typeHint = m_ui->typeHint;
    m_typeHint->setForegroundRole(QPalette::PlaceholderText);
    m_schemaBox = m_ui->schemaBox;
    m_name = m_ui->responseFormatName;
    m_description = m_ui->responseFormatDescription;
    m_strict = m_ui->responseFormatStrict;
    m_schema = m_ui->responseFormatSchema;
    m_schema->setPath(QStringLiteral("response_format.json_schema.schema"));
    m_schema->editor()->setAccessibleName(tr("Schema of the reply (JSON Schema)"));
    m_ui->schemaLabel->setBuddy(m_schema->editor());
    m_status = m_ui->responseFormatProblems;
    m_status->setAccessibleName(tr("Problems with the response format"));
    m_buttons = m_ui->buttons;
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_type, &QComboBox::currentIndexChanged, this, &ResponseFormatDialog::validate);
    connect(m_name, &QLineEdit::textChanged, this, &ResponseFormatDialog::validate);
    connect(m_description, &QLineEdit::textChanged, this, &ResponseFormatDialog::validate);
    connect(m_strict, &QCheckBox::toggled, this, &ResponseFormatDialog::validate);
    connect(m_schema, &JsonSchemaEdit::changed, this, &ResponseFormatDialog::validate);

    setResponseFormat(QJsonValue::Undefined);
}

ResponseFormatDialog::~ResponseFormatDialog() = default;

QLabel *ResponseFormatDialog::problemLabel() const
{
    return m_status;
}

QPushButton *ResponseFormatDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void ResponseFormatDialog::setResponseFormat(const QJsonValue &format)
{
    const QJsonObject o = format.toObject();
    QString type = o.value(QLatin1String("type")).toString();
    QJsonObject config = o.value(QLatin1String("json_schema")).toObject();
    if (type == QLatin1String("json")) {
        // TGI's older form: the schema in "value".
        type = QStringLiteral("json_schema");
        config.insert(QStringLiteral("schema"), o.value(QLatin1String("value")));
    }
    if (format.isUndefined() || format.isNull() || m_type->findData(type) < 0) {
        type = QStringLiteral("json_schema");
        config = QJsonObject{{QStringLiteral("name"), QStringLiteral("answer")},
                             {QStringLiteral("schema"), starterSchema()}};
    }
    m_name->setText(config.take(QStringLiteral("name")).toString());
    m_description->setText(config.take(QStringLiteral("description")).toString());
    m_strict->setChecked(config.take(QStringLiteral("strict")).toBool());
    m_schema->setSchema(config.take(QStringLiteral("schema")));
    m_otherMembers = config;
    m_type->setCurrentIndex(m_type->findData(type));
    validate();
}

QJsonObject ResponseFormatDialog::responseFormat() const
{
    const QString type = m_type->currentData().toString();
    QJsonObject out{{QStringLiteral("type"), type}};
    if (type != QLatin1String("json_schema"))
        return out;
    QJsonObject config = m_otherMembers;
    config.insert(QStringLiteral("name"), m_name->text().trimmed());
    if (!m_description->text().trimmed().isEmpty())
        config.insert(QStringLiteral("description"), m_description->text().trimmed());
    if (m_strict->isChecked())
        config.insert(QStringLiteral("strict"), true);
    const QJsonValue schema = m_schema->schema();
    if (!schema.isUndefined())
        config.insert(QStringLiteral("schema"), schema);
    out.insert(QStringLiteral("json_schema"), config);
    return out;
}

void ResponseFormatDialog::validate()
{
    const QString type = m_type->currentData().toString();
    const bool schema = type == QLatin1String("json_schema");
    m_schemaBox->setEnabled(schema);
    if (type == QLatin1String("text"))
        m_typeHint->setText(tr("The model answers in free text, as without a response format."));
    else if (type == QLatin1String("json_object"))
        m_typeHint->setText(tr("The model answers with a JSON object of its choosing. Say in the prompt "
                               "what it should contain."));
    else
        m_typeHint->setText(tr("The model answers with JSON that follows the schema below."));

    m_problems.clear();
    if (schema && !m_schema->text().trimmed().isEmpty() && m_schema->schema().isUndefined())
        m_problems << m_schema->problems(); // not JSON: the editor says where
    m_problems << ChatParameterCheck::checkResponseFormat(responseFormat());
    m_problems.removeDuplicates();

    okButton()->setEnabled(m_problems.isEmpty());
    okButton()->setToolTip(m_problems.isEmpty() ? QString() : tr("Fix the problems listed above first"));
    markProblemText(m_status, !m_problems.isEmpty());
    if (m_problems.isEmpty())
        m_status->setWrappedText(tr("✓ Ready to use."));
    else
        m_status->setWrappedText(QStringLiteral("⚠ ") + m_problems.join(QStringLiteral("\n⚠ ")));
}

} // namespace idesk
