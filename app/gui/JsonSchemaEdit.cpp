#include "JsonSchemaEdit.h"

#include "ChatParameterCheck.h"
#include "JsonPrettyPrinter.h"
#include "ProblemText.h"
#include "WrappedLabel.h"
#include "views/JsonHighlighter.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace idesk {

JsonSchemaEdit::JsonSchemaEdit(QWidget *parent) : QWidget(parent)
{
    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("schemaText"));
    m_editor->setAccessibleName(tr("JSON Schema"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setTabChangesFocus(true);
    m_editor->setPlaceholderText(
        tr("{\"type\": \"object\", \"properties\": {\"location\": {\"type\": \"string\"}}}"));
    m_highlighter = new JsonHighlighter(m_editor->document(), m_editor->palette());

    m_format = new QPushButton(tr("&Format"), this);
    m_format->setObjectName(QStringLiteral("formatSchema"));
    m_format->setToolTip(tr("Indent the schema, one member a line"));

    m_status = new WrappedLabel(this);
    m_status->setObjectName(QStringLiteral("schemaStatus"));
    m_status->setAccessibleName(tr("Schema check"));

    auto *below = new QHBoxLayout;
    below->addWidget(m_status, 1);
    below->addWidget(m_format, 0, Qt::AlignTop);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_editor, 1);
    layout->addLayout(below);

    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        update();
        Q_EMIT changed();
    });
    connect(m_format, &QPushButton::clicked, this, &JsonSchemaEdit::format);
    update();
}

bool JsonSchemaEdit::parseJson(const QString &text, QJsonValue *value, QString *error)
{
    const QByteArray utf8 = text.toUtf8();
    QJsonParseError parseError;
    // Wrapped in a list so that any JSON value parses, not only objects and lists.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + utf8 + "\n]", &parseError);
    if (parseError.error == QJsonParseError::NoError && doc.array().size() == 1) {
        *value = doc.array().first();
        return true;
    }
    if (parseError.error == QJsonParseError::NoError) {
        *error = doc.array().isEmpty() ? tr("There is no JSON value.")
                                       : tr("There is more than one JSON value: keep one.");
        return false;
    }
    // The offset counts UTF-8 bytes of the wrapped text: back to a line and a column of `text`.
    const QByteArray before = utf8.left(std::max(0, parseError.offset - 1));
    const int line = int(before.count('\n')) + 1;
    const int column = int(QString::fromUtf8(before.mid(before.lastIndexOf('\n') + 1)).size()) + 1;
    *error = tr("Not valid JSON at line %1, column %2: %3. Names and text go in double quotes.")
                 .arg(line)
                 .arg(column)
                 .arg(parseError.errorString());
    return false;
}

QString JsonSchemaEdit::indented(const QByteArray &json)
{
    QString ignored;
    const QByteArray pretty = JsonPrettyPrinter::format(json, 2, &ignored);
    return pretty.isEmpty() ? QString::fromUtf8(json) : QString::fromUtf8(pretty).trimmed();
}

namespace {

QByteArray scalarJson(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

QByteArray orderedJson(const QJsonValue &value)
{
    if (value.isArray()) {
        QByteArrayList items;
        for (const QJsonValue &item : value.toArray())
            items << orderedJson(item);
        return '[' + items.join(',') + ']';
    }
    if (!value.isObject())
        return scalarJson(value);
    static const QStringList first{
        QStringLiteral("type"),        QStringLiteral("function"),    QStringLiteral("name"),
        QStringLiteral("title"),       QStringLiteral("description"), QStringLiteral("parameters"),
        QStringLiteral("json_schema"), QStringLiteral("schema"),      QStringLiteral("strict"),
        QStringLiteral("enum"),        QStringLiteral("properties"),  QStringLiteral("items"),
        QStringLiteral("required")};
    const QJsonObject object = value.toObject();
    QStringList keys = object.keys(); // sorted
    std::stable_sort(keys.begin(), keys.end(), [](const QString &a, const QString &b) {
        const auto rank = [](const QString &key) {
            const qsizetype i = first.indexOf(key);
            return i < 0 ? first.size() : i;
        };
        return rank(a) < rank(b);
    });
    QByteArrayList members;
    for (const QString &key : std::as_const(keys))
        members << scalarJson(key) + ':' + orderedJson(object.value(key));
    return '{' + members.join(',') + '}';
}

} // namespace

QString JsonSchemaEdit::indentedValue(const QJsonValue &value)
{
    if (value.isObject() || value.isArray())
        return indented(orderedJson(value));
    return QString::fromUtf8(scalarJson(value));
}

QLabel *JsonSchemaEdit::statusLabel() const
{
    return m_status;
}

void JsonSchemaEdit::setPath(const QString &path)
{
    m_path = path;
    update();
}

void JsonSchemaEdit::setEmptyAllowed(bool allowed)
{
    m_emptyAllowed = allowed;
    update();
}

void JsonSchemaEdit::setSchema(const QJsonValue &schema)
{
    m_editor->setPlainText(schema.isUndefined() || schema.isNull() ? QString() : indentedValue(schema));
}

QJsonValue JsonSchemaEdit::schema() const
{
    QJsonValue value;
    QString ignored;
    if (text().trimmed().isEmpty() || !parseJson(text(), &value, &ignored))
        return QJsonValue::Undefined;
    return value;
}

QString JsonSchemaEdit::text() const
{
    return m_editor->toPlainText();
}

void JsonSchemaEdit::setText(const QString &text)
{
    m_editor->setPlainText(text);
}

QStringList JsonSchemaEdit::problems() const
{
    return m_problems;
}

void JsonSchemaEdit::format()
{
    QJsonValue value;
    QString ignored;
    if (text().trimmed().isEmpty() || !parseJson(text(), &value, &ignored))
        return;
    const QString pretty = indented(text().trimmed().toUtf8());
    if (pretty != text())
        m_editor->setPlainText(pretty);
}

void JsonSchemaEdit::update()
{
    m_problems.clear();
    const QString typed = text();
    QJsonValue value;
    QString error;
    if (typed.trimmed().isEmpty()) {
        if (!m_emptyAllowed)
            m_problems << tr("%1 is empty: write a JSON Schema such as {\"type\": \"object\"}.").arg(m_path);
    } else if (!parseJson(typed, &value, &error)) {
        m_problems << tr("%1: %2").arg(m_path, error);
    } else {
        m_problems << ChatParameterCheck::checkSchema(value, m_path);
    }
    m_format->setEnabled(!typed.trimmed().isEmpty() && value.isObject());
    QString status;
    if (!m_problems.isEmpty())
        status = QStringLiteral("⚠ ") + m_problems.join(QStringLiteral("\n⚠ "));
    else if (typed.trimmed().isEmpty())
        status = tr("No schema: the function takes no arguments.");
    else
        status = tr("✓ A valid JSON Schema.");
    m_status->setWrappedText(status);
    markProblemText(m_status, !m_problems.isEmpty());
}

} // namespace idesk
