#pragma once

#include "TaskCatalog.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QToolButton;

namespace idesk {

// The task's parameters from the catalog, one row each with a typed editor (spin box, combo for an
// enum, check box, list, JSON), the default shown greyed until changed, a reset button and the
// description as tooltip; chat's tools and response_format also have an "Edit…" button that opens
// ToolsDialog / ResponseFormatDialog, and tool_choice offers the functions defined in tools; extra rows for
// parameters the catalog does not know (name + JSON value). Invalid values turn their row red and say why
// (TaskCatalog::validate plus the editors' own checks).
class ParameterTable : public QWidget
{
    Q_OBJECT
public:
    explicit ParameterTable(QWidget *parent = nullptr);

    // Rebuilds the rows for a catalog task ("" = no task: only extra rows). Values of parameters the
    // new task also has are kept, and so are the extra rows.
    void setTask(const QString &taskId);
    QString task() const { return m_task; }
    // Parameters filled elsewhere (candidate_labels by the input editor): their rows are hidden.
    void setHiddenParameters(const QStringList &names);

    // The changed parameters and the extra rows, as sent.
    QJsonObject parameters() const;
    void setParameters(const QJsonObject &parameters);
    // One sentence per invalid value; empty when all is well.
    QStringList problems() const;

    void resetAll();
    int addExtraRow(const QString &name = QString(), const QJsonValue &value = QJsonValue::Undefined);

    // For tests and keyboard users: the row of a parameter (-1 when absent) and its editor.
    int rowOf(const QString &name) const;
    QWidget *editor(const QString &name) const;
    // The "Edit…" button of tools and response_format (nullptr for other rows).
    QToolButton *dialogButton(const QString &name) const;
    QString rowProblem(const QString &name) const;
    bool isChanged(const QString &name) const;
    QTableWidget *table() const { return m_table; }
    // Height that shows the visible rows (at most `maxRows`), the buttons and the problems.
    int preferredHeight(int maxRows = 8) const;

Q_SIGNALS:
    void changed();

private:
    enum class EditorKind { Combo, Check, Integer, Number, Text, List, Json };
    struct Row
    {
        QString name;
        ParameterSpec spec;
        bool extra = false;
        bool set = false;
        EditorKind kind = EditorKind::Json;
        QWidget *cell = nullptr;
        QWidget *editor = nullptr;
        QLineEdit *nameEdit = nullptr;
        QToolButton *button = nullptr;
        QToolButton *editButton = nullptr; // tools, response_format: opens their dialog
        QString problem;
    };

    void addSpecRows(const ParameterSpec &spec, const QString &prefix);
    void addRow(Row row);
    void showDefault(Row &row);
    void setEditorValue(Row &row, const QJsonValue &value);
    QJsonValue editorValue(const Row &row, QString *problem) const;
    void edited(QWidget *editor);
    void resetRow(int index);
    void removeRow(int index);
    void refresh();
    void styleRow(int index);
    int indexOfEditor(const QObject *editor) const;
    QString rowName(const Row &row) const;
    QString tooltipFor(const Row &row) const;
    // tools and response_format: the dialog that edits them; on OK the row holds its compact JSON.
    void openDialog(const QString &name);
    void setRowText(const QString &name, const QString &text);
    // tool_choice offers the functions defined in tools.
    void updateToolChoices();

    QString m_task;
    QStringList m_hidden;
    QList<Row> m_rows;
    bool m_loading = false;
    QTableWidget *m_table = nullptr;
    QLabel *m_problems = nullptr;
    QLabel *m_empty = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_reset = nullptr;
};

} // namespace idesk
