#pragma once

#include <QJsonValue>
#include <QStringList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace idesk {

class JsonHighlighter;
class WrappedLabel;

// A JSON Schema typed as text: coloured (JsonHighlighter), a Format button that indents it, and a line
// under it that says whether it parses and passes ChatParameterCheck::checkSchema (with the path given by
// setPath, e.g. tools[0].function.parameters). Shared by ToolsDialog and ResponseFormatDialog.
class JsonSchemaEdit : public QWidget
{
    Q_OBJECT
public:
    explicit JsonSchemaEdit(QWidget *parent = nullptr);

    // Where the schema sits in the request, for the messages.
    void setPath(const QString &path);
    // Whether an empty text is fine (means "no schema"; function parameters are optional).
    void setEmptyAllowed(bool allowed);

    // The schema written indented (key order kept); Undefined or null clears the editor.
    void setSchema(const QJsonValue &schema);
    // The parsed text; Undefined when it is empty or not JSON.
    QJsonValue schema() const;
    QString text() const;
    void setText(const QString &text);
    // Not JSON, empty when that is not allowed, or the schema check's sentences. Empty: all is well.
    QStringList problems() const;
    // Indents the text, if it parses.
    void format();

    // Parses JSON text typed by a person: false with a sentence that gives the line and column.
    static bool parseJson(const QString &text, QJsonValue *value, QString *error);
    // Written indented by two spaces, in the key order given.
    static QString indented(const QByteArray &compactOrTyped);
    // A value written indented, its keys in a readable order: type, function, name, description first
    // ({"type": "object", "properties": ...} rather than Qt's alphabetical order), the rest sorted.
    static QString indentedValue(const QJsonValue &value);

    QPlainTextEdit *editor() const { return m_editor; }
    QLabel *statusLabel() const;

Q_SIGNALS:
    void changed();

private:
    void update();

    QString m_path = QStringLiteral("schema");
    bool m_emptyAllowed = false;
    QPlainTextEdit *m_editor = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    QPushButton *m_format = nullptr;
    WrappedLabel *m_status = nullptr;
    QStringList m_problems;
};

} // namespace idesk
