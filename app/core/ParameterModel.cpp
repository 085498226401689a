#include "ParameterModel.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace idesk {

namespace {

QString listText(const QJsonValue &value)
{
    if (!value.isArray())
        return ParameterModel::jsonText(value);
    QStringList items;
    for (const QJsonValue &v : value.toArray()) {
        if (v.isString() && v.toString().contains(QLatin1Char(',')))
            return ParameterModel::jsonText(value); // commas inside items: keep the JSON form
        items << (v.isString() ? v.toString() : ParameterModel::jsonText(v));
    }
    return items.join(QStringLiteral(", "));
}

QStringList typeParts(const ParameterSpec &spec)
{
    return spec.type.split(QLatin1Char('|'), Qt::SkipEmptyParts);
}

} // namespace

ParameterModel::ParameterModel(QObject *parent) : QAbstractTableModel(parent) {}

QString ParameterModel::jsonText(const QJsonValue &value)
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

bool ParameterModel::storesText(Kind kind)
{
    return kind == Kind::Choice || kind == Kind::Text || kind == Kind::List || kind == Kind::Json;
}

int ParameterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ParameterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ParameterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    if (section == NameColumn)
        return tr("Parameter");
    if (section == ValueColumn)
        return tr("Value");
    return QString();
}

Qt::ItemFlags ParameterModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Row &row = m_rows.at(index.row());
    if (index.column() == ValueColumn || (index.column() == NameColumn && row.extra))
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
    return Qt::ItemIsEnabled;
}

QVariant ParameterModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const int r = index.row();
    const Row &row = m_rows.at(r);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        if (index.column() == NameColumn)
            return row.name;
        if (index.column() != ValueColumn)
            return {};
        if (role == Qt::EditRole)
            return storesText(row.kind) ? QVariant(text(r)) : shownValue(r).toVariant();
        if (storesText(row.kind) && row.set)
            return row.text;
        return shownValue(r).isUndefined() ? tr("(not set)") : jsonText(shownValue(r));
    case Qt::ToolTipRole:
        return toolTip(r);
    case IsSetRole:
        return row.set;
    case IsExtraRole:
        return row.extra;
    case ProblemRole:
        return row.problem;
    case PlaceholderRole:
        return placeholder(r);
    default:
        return {};
    }
}

bool ParameterModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= m_rows.size())
        return false;
    const int r = index.row();
    if (index.column() == NameColumn) {
        if (!m_rows.at(r).extra)
            return false;
        setExtraName(r, value.toString());
        return true;
    }
    if (index.column() != ValueColumn)
        return false;
    if (!value.isValid())
        resetRow(r);
    else if (storesText(m_rows.at(r).kind))
        setText(r, value.toString());
    else
        setValue(r, QJsonValue::fromVariant(value));
    return true;
}

void ParameterModel::addSpecRows(const ParameterSpec &spec, const QString &prefix)
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
        row.kind = Kind::Choice;
    else if (spec.type == QLatin1String("boolean"))
        row.kind = Kind::Check;
    else if (spec.type == QLatin1String("integer"))
        row.kind = Kind::Integer;
    else if (spec.type == QLatin1String("number"))
        row.kind = Kind::Number;
    else if (spec.type == QLatin1String("string"))
        row.kind = Kind::Text;
    else if (spec.type == QLatin1String("array") && spec.itemType != QLatin1String("object"))
        row.kind = Kind::List; // a list of objects (tools) is edited as JSON
    else
        row.kind = Kind::Json;
    m_rows.append(row);
}

QString ParameterModel::choiceText(const QJsonValue &value) const
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isString())
        return value.toString();
    return jsonText(value);
}

void ParameterModel::apply(Row &row, const QJsonValue &value) const
{
    row.set = true;
    row.fresh = false;
    switch (row.kind) {
    case Kind::Choice:
        row.text = choiceText(value);
        break;
    case Kind::Text:
        row.text = value.isString() ? value.toString() : jsonText(value);
        break;
    case Kind::List:
        row.text = listText(value);
        break;
    case Kind::Json:
        row.text = jsonText(value);
        break;
    case Kind::Check:
    case Kind::Integer:
    case Kind::Number:
        row.value = value;
        break;
    }
}

void ParameterModel::clearRow(Row &row) const
{
    row.set = false;
    row.text.clear();
    row.value = QJsonValue(QJsonValue::Undefined);
}

QString ParameterModel::rowName(const Row &row) const
{
    if (!row.extra)
        return row.name;
    const QString name = row.name.trimmed();
    return name.isEmpty() ? tr("the extra parameter") : name;
}

void ParameterModel::setTask(const QString &taskId)
{
    const QJsonObject previous = parameters();
    QList<Row> extras;
    for (const Row &row : std::as_const(m_rows))
        if (row.extra)
            extras << row;
    beginResetModel();
    m_rows.clear();
    m_task = taskId;
    if (const TaskSpec *spec = TaskCatalog::instance().task(taskId)) {
        for (const ParameterSpec &p : spec->parameters)
            addSpecRows(p, QString());
    }
    // Keep what the new task also knows.
    for (Row &row : m_rows) {
        const QJsonValue v = row.name.contains(QLatin1Char('.'))
                                 ? previous.value(row.name.section(QLatin1Char('.'), 0, 0))
                                       .toObject()
                                       .value(row.name.section(QLatin1Char('.'), 1))
                                 : previous.value(row.name);
        if (!v.isUndefined())
            apply(row, v);
    }
    m_rows << extras;
    endResetModel();
    revalidate();
}

void ParameterModel::setHiddenParameters(const QStringList &names)
{
    if (names == m_hidden)
        return;
    m_hidden = names;
    revalidate();
}

bool ParameterModel::isHidden(int row) const
{
    return !m_rows.at(row).extra && m_hidden.contains(m_rows.at(row).name);
}

QJsonObject ParameterModel::parameters() const
{
    QJsonObject out;
    for (int i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows.at(i);
        if (!row.set || isHidden(i))
            continue;
        QString problem;
        const QJsonValue value = read(row, &problem);
        const QString name = row.extra ? row.name.trimmed() : row.name;
        if (value.isUndefined() || name.isEmpty())
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

void ParameterModel::setParameters(const QJsonObject &parameters)
{
    // The catalog rows stay (their editors too); extra rows are replaced.
    removeExtraRows();
    for (Row &row : m_rows)
        clearRow(row);
    QList<QPair<QString, QJsonValue>> extras;
    for (auto it = parameters.begin(); it != parameters.end(); ++it) {
        int r = rowOf(it.key());
        if (r >= 0 && !m_rows.at(r).name.contains(QLatin1Char('.'))) {
            apply(m_rows[r], it.value());
            continue;
        }
        bool placed = false;
        if (it.value().isObject()) {
            QJsonObject rest;
            const QJsonObject members = it.value().toObject();
            for (auto m = members.begin(); m != members.end(); ++m) {
                r = rowOf(it.key() + QLatin1Char('.') + m.key());
                if (r >= 0) {
                    apply(m_rows[r], m.value());
                    placed = true;
                } else {
                    rest.insert(m.key(), m.value());
                }
            }
            if (placed && !rest.isEmpty())
                extras.append({it.key(), rest}); // unknown members stay visible as an extra row
        }
        if (!placed && !m_hidden.contains(it.key()))
            extras.append({it.key(), it.value()});
    }
    valuesChanged();
    if (!extras.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(extras.size()) - 1);
        for (const auto &extra : std::as_const(extras)) {
            Row row;
            row.extra = true;
            row.name = extra.first;
            apply(row, extra.second);
            m_rows.append(row);
        }
        endInsertRows();
    }
    revalidate();
}

void ParameterModel::resetAll()
{
    removeExtraRows();
    for (Row &row : m_rows)
        clearRow(row);
    valuesChanged();
    revalidate();
}

void ParameterModel::removeExtraRows()
{
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (m_rows.at(i).extra) {
            beginRemoveRows(QModelIndex(), i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
}

void ParameterModel::valuesChanged()
{
    // One cell at a time: a view refreshes an open editor only for a single changed cell.
    for (int i = 0; i < m_rows.size(); ++i)
        Q_EMIT dataChanged(index(i, ValueColumn), index(i, ValueColumn));
}

void ParameterModel::resetRow(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    clearRow(m_rows[row]);
    edited(row, ValueColumn);
}

int ParameterModel::addExtraRow(const QString &name, const QJsonValue &value, bool fresh)
{
    const int r = int(m_rows.size());
    beginInsertRows(QModelIndex(), r, r);
    Row row;
    row.extra = true;
    row.name = name;
    apply(row, value);
    row.fresh = fresh;
    m_rows.append(row);
    endInsertRows();
    revalidate();
    return r;
}

void ParameterModel::removeExtraRow(int row)
{
    if (row < 0 || row >= m_rows.size() || !m_rows.at(row).extra)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    revalidate();
}

int ParameterModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows.at(i);
        if (row.extra ? row.name.trimmed() == name : row.name == name)
            return i;
    }
    return -1;
}

QString ParameterModel::name(int row) const
{
    return m_rows.at(row).extra ? m_rows.at(row).name.trimmed() : m_rows.at(row).name;
}

const ParameterSpec &ParameterModel::spec(int row) const
{
    return m_rows.at(row).spec;
}

ParameterModel::Kind ParameterModel::kind(int row) const
{
    return m_rows.at(row).kind;
}

bool ParameterModel::isExtra(int row) const
{
    return m_rows.at(row).extra;
}

bool ParameterModel::isSet(int row) const
{
    return m_rows.at(row).set;
}

bool ParameterModel::isFresh(int row) const
{
    return m_rows.at(row).fresh;
}

QString ParameterModel::problem(int row) const
{
    return m_rows.at(row).problem;
}

QJsonValue ParameterModel::value(int row) const
{
    if (!m_rows.at(row).set)
        return QJsonValue::Undefined;
    QString problem;
    return read(m_rows.at(row), &problem);
}

QJsonValue ParameterModel::shownValue(int row) const
{
    return m_rows.at(row).set ? value(row) : m_rows.at(row).spec.defaultValue;
}

QString ParameterModel::text(int row) const
{
    const Row &r = m_rows.at(row);
    if (r.set)
        return r.text;
    // A choice shows its default; text rows show it as their placeholder.
    return r.kind == Kind::Choice ? choiceText(r.spec.defaultValue) : QString();
}

void ParameterModel::setValue(int row, const QJsonValue &value)
{
    if (row < 0 || row >= m_rows.size())
        return;
    apply(m_rows[row], value);
    edited(row, ValueColumn);
}

void ParameterModel::setText(int row, const QString &text)
{
    if (row < 0 || row >= m_rows.size() || !storesText(m_rows.at(row).kind))
        return;
    Row &r = m_rows[row];
    r.text = text;
    r.set = true;
    r.fresh = false;
    edited(row, ValueColumn);
}

void ParameterModel::setExtraName(int row, const QString &name)
{
    if (row < 0 || row >= m_rows.size() || !m_rows.at(row).extra)
        return;
    m_rows[row].name = name;
    m_rows[row].fresh = false;
    edited(row, NameColumn);
}

void ParameterModel::edited(int row, int column)
{
    const QModelIndex at = index(row, column);
    Q_EMIT dataChanged(at, at);
    revalidate();
}

QStringList ParameterModel::choices(int row) const
{
    const Row &r = m_rows.at(row);
    QStringList out = r.spec.enumValues;
    if (!r.extra && r.name == QLatin1String("tool_choice"))
        out << m_toolChoices;
    return out;
}

bool ParameterModel::choiceTakesText(int row) const
{
    return row >= 0 && m_rows.at(row).kind == Kind::Choice &&
           typeParts(m_rows.at(row).spec).contains(QLatin1String("object"));
}

bool ParameterModel::allowsUnset(int row) const
{
    return m_rows.at(row).spec.defaultValue.isUndefined();
}

bool ParameterModel::hasDialog(int row) const
{
    const Row &r = m_rows.at(row);
    return !r.extra && r.kind == Kind::Json &&
           (r.name == QLatin1String("tools") || r.name == QLatin1String("response_format"));
}

QString ParameterModel::placeholder(int row) const
{
    const Row &r = m_rows.at(row);
    const QJsonValue def = r.spec.defaultValue;
    if (r.kind == Kind::Text)
        return def.isUndefined() ? tr("not set") : def.toString();
    if (!def.isUndefined())
        return r.kind == Kind::List ? listText(def) : jsonText(def);
    if (r.kind == Kind::List)
        return tr("comma-separated, or a JSON list");
    if (r.kind != Kind::Json)
        return QString();
    if (!r.extra && r.name == QLatin1String("tools"))
        return tr("[{\"type\": \"function\", \"function\": {...}}], or Edit…");
    if (!r.extra && r.name == QLatin1String("response_format"))
        return tr("{\"type\": \"json_object\"}, or Edit…");
    return tr("JSON value, e.g. 5, \"text\", true, [1, 2]");
}

QString ParameterModel::toolTip(int row) const
{
    const Row &r = m_rows.at(row);
    if (!r.problem.isEmpty())
        return r.problem;
    if (r.extra)
        return tr("A parameter the catalog does not list for this task, sent as written.");
    QStringList lines;
    if (!r.spec.description.isEmpty())
        lines << r.spec.description;
    QString type = r.spec.type;
    if (type == QLatin1String("array") && !r.spec.itemType.isEmpty())
        type = tr("list of %1").arg(r.spec.itemType);
    lines << tr("Type: %1").arg(type);
    if (r.spec.minimum && r.spec.maximum)
        lines << tr("Range: %1 to %2").arg(*r.spec.minimum).arg(*r.spec.maximum);
    else if (r.spec.minimum)
        lines << tr("At least %1").arg(*r.spec.minimum);
    else if (r.spec.maximum)
        lines << tr("At most %1").arg(*r.spec.maximum);
    lines << (r.spec.defaultValue.isUndefined() ? tr("Default: not set (the server decides)")
                                                : tr("Default: %1").arg(jsonText(r.spec.defaultValue)));
    if (!r.set)
        lines << tr("Not sent until you change it.");
    return lines.join(QLatin1Char('\n'));
}

} // namespace idesk
