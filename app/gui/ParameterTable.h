#pragma once

#include "TaskCatalog.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QWidget>

class QLabel;
class QModelIndex;
class QPushButton;
class QTableView;
class QToolButton;

namespace idesk {

class ParameterDelegate;
class ParameterModel;

// The task's parameters shown for editing: a table view on ParameterModel whose value cells hold
// ParameterDelegate's editors (spin box, combo for an enum, check box, list, JSON), the default greyed
// until changed, a reset button per row and the description as tooltip; chat's tools and response_format
// also have an "Edit…" button that opens ToolsDialog / ResponseFormatDialog. "Add parameter" adds an
// extra row (name + JSON value), scrolled into view with its name ready for typing; it is not a problem
// until edited. Rows with a problem (marked by the model, by path) turn red and say why. The wheel
// scrolls the table; it never changes a value it passes over.
class ParameterTable : public QWidget
{
    Q_OBJECT
public:
    explicit ParameterTable(QWidget *parent = nullptr);

    // Rebuilds the rows for a catalog task ("" = no task: only extra rows). Values of parameters the
    // new task also has are kept, and so are the extra rows.
    void setTask(const QString &taskId);
    QString task() const;
    // Parameters filled elsewhere (candidate_labels by the input editor): their rows are hidden.
    void setHiddenParameters(const QStringList &names);

    // The changed parameters and the extra rows, as sent.
    QJsonObject parameters() const;
    void setParameters(const QJsonObject &parameters);
    // One sentence per invalid value; empty when all is well.
    QStringList problems() const;

    void resetAll();
    int addExtraRow(const QString &name = QString(), const QJsonValue &value = QJsonValue::Undefined);

    // For tests and keyboard users: the row of a parameter (-1 when absent) and its value editor.
    int rowOf(const QString &name) const;
    QWidget *editor(const QString &name) const;
    // The "Edit…" button of tools and response_format (nullptr for other rows).
    QToolButton *dialogButton(const QString &name) const;
    // The reset (catalog rows) or remove (extra rows) button of a row.
    QToolButton *rowButton(int row) const;
    QString rowProblem(const QString &name) const;
    bool isChanged(const QString &name) const;
    QTableView *table() const { return m_view; }
    ParameterModel *model() const { return m_model; }
    // Height that shows the visible rows (at most `maxRows`), the buttons and the problems.
    int preferredHeight(int maxRows = 12) const;

Q_SIGNALS:
    void changed();

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    // The action column as wide as its widest buttons (measured once the style has polished them); the
    // name column as wide as its names but at most two fifths of the table, so the values keep room.
    void fitActionColumn();
    void addClicked();
    void rowsChanged();
    void openEditors(int first, int last);
    void refresh();
    void fixTabOrder();
    // tools and response_format: the dialog that edits them; on OK the row holds its compact JSON.
    void openDialog(const QString &name);

    ParameterModel *m_model = nullptr;
    ParameterDelegate *m_delegate = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_problems = nullptr;
    QLabel *m_empty = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_reset = nullptr;
};

} // namespace idesk
