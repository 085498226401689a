#pragma once

#include "ParameterProblem.h"
#include "TaskCatalog.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace idesk {

// The parameters of one request, widget-free: one row per catalog parameter of the task (an object with
// known members, such as target_size, gives one row per member: "target_size.width"), plus extra rows for
// parameters the catalog does not list (a name and a JSON value). Each row holds what was edited, whether
// it is set (changed: only set rows are sent; others show their default), and its problem, found by path
// from TaskCatalog::check and the row's own reading of what was typed. ParameterTable shows it through
// ParameterDelegate; tests drive it directly.
class ParameterModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn = 0, ValueColumn = 1, ActionColumn = 2, ColumnCount = 3 };
    // How a row's value is edited; the delegate picks its editor by it.
    enum class Kind { Choice, Check, Integer, Number, Text, List, Json };
    enum Role { IsSetRole = Qt::UserRole + 1, IsExtraRole, ProblemRole, PlaceholderRole };

    explicit ParameterModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // Value column, EditRole: a string for Choice/Text/List/Json rows (as typed), else the JSON value as a
    // variant; an invalid QVariant resets the row. Name column of an extra row: its name.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Rebuilds the rows for a catalog task ("" = no task: only extra rows). Values of parameters the new
    // task also has are kept, and so are the extra rows, as typed.
    void setTask(const QString &taskId);
    QString task() const { return m_task; }
    // Parameters filled elsewhere (candidate_labels by the input editor): not sent, not checked.
    void setHiddenParameters(const QStringList &names);
    bool isHidden(int row) const;

    // The set rows, as sent (members joined into their object).
    QJsonObject parameters() const;
    void setParameters(const QJsonObject &parameters);
    // Every problem, in row order, then those no row holds.
    QList<ParameterProblem> problems() const;

    void resetAll();        // back to the defaults; extra rows removed
    void resetRow(int row); // back to the default (an extra row keeps its place)
    // An extra row. `fresh`: just added by the person, empty: not a problem until edited.
    int addExtraRow(const QString &name = QString(), const QJsonValue &value = QJsonValue::Undefined,
                    bool fresh = false);
    void removeExtraRow(int row);

    int rowOf(const QString &name) const; // -1 when absent; an extra row by its name
    QString name(int row) const;          // the catalog name, or what the extra row's name says
    const ParameterSpec &spec(int row) const;
    Kind kind(int row) const;
    bool isExtra(int row) const;
    bool isSet(int row) const;
    bool isFresh(int row) const;
    QString problem(int row) const;
    QString toolTip(int row) const;
    QString placeholder(int row) const;

    // What would be sent (Undefined: not set, empty or not readable).
    QJsonValue value(int row) const;
    // What an editor shows: the value when set, else the default (Undefined: "(not set)").
    QJsonValue shownValue(int row) const;
    // Choice/Text/List/Json rows: the text as typed (kept when it does not parse); "" when not set.
    QString text(int row) const;
    // Edits as a person makes them: the row becomes set.
    void setValue(int row, const QJsonValue &value);
    void setText(int row, const QString &text);
    void setExtraName(int row, const QString &name);

    // Choice rows: the values offered, as text (the enum; for tool_choice also each function defined in
    // tools, as compact JSON). allowsUnset: no default, so "(not set)" is offered too.
    QStringList choices(int row) const;
    bool choiceTakesText(int row) const; // an enum or a typed JSON object (tool_choice)
    bool allowsUnset(int row) const;
    bool hasDialog(int row) const; // tools, response_format: edited in their dialogs too

    static bool storesText(Kind kind);
    static QString jsonText(const QJsonValue &value);

Q_SIGNALS:
    // parameters() or problems() may have changed.
    void changed();

private:
    struct Row
    {
        QString name;
        ParameterSpec spec;
        Kind kind = Kind::Json;
        bool extra = false;
        bool set = false;
        bool fresh = false;
        QJsonValue value; // Check, Integer, Number
        QString text;     // Choice, Text, List, Json
        QString problem;
    };

    void addSpecRows(const ParameterSpec &spec, const QString &prefix);
    void apply(Row &row, const QJsonValue &value) const;
    void clearRow(Row &row) const;
    QJsonValue read(const Row &row, QString *problem) const;
    QString rowName(const Row &row) const;
    QString choiceText(const QJsonValue &value) const;
    int rowForPath(const QString &path) const;
    void edited(int row, int column);
    void removeExtraRows();
    void valuesChanged();
    void revalidate();

    QString m_task;
    QStringList m_hidden;
    QList<Row> m_rows;
    QStringList m_toolChoices;
    QList<ParameterProblem> m_unplaced;
};

} // namespace idesk
