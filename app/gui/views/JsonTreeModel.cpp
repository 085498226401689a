#include "JsonTreeModel.h"

#include <QJsonArray>
#include <QJsonObject>

namespace idesk {

JsonTreeModel::JsonTreeModel(QObject *parent) : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::setJson(const QJsonValue &value)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    // A hidden root holding one visible node for the whole answer.
    auto top = std::make_unique<Node>();
    top->key = QStringLiteral("$");
    top->value = value;
    top->parent = m_root.get();
    if (!value.isUndefined())
        m_root->children.push_back(std::move(top));
    m_root->value = QJsonArray{value};
    endResetModel();
}

QJsonValue JsonTreeModel::json() const
{
    return m_root->children.empty() ? QJsonValue() : m_root->children.front()->value;
}

JsonTreeModel::Node *JsonTreeModel::nodeAt(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

int JsonTreeModel::childTotal(const Node *node)
{
    if (node->value.isArray())
        return int(node->value.toArray().size());
    if (node->value.isObject())
        return int(node->value.toObject().size());
    return 0;
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const Node *p = nodeAt(parent);
    if (row < 0 || column < 0 || column >= 3 || row >= int(p->children.size()))
        return {};
    return createIndex(row, column, p->children.at(size_t(row)).get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *n = nodeAt(child);
    if (!n->parent || n->parent == m_root.get())
        return {};
    return createIndex(n->parent->row, 0, n->parent);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeAt(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return 3;
}

bool JsonTreeModel::hasChildren(const QModelIndex &parent) const
{
    const Node *n = nodeAt(parent);
    return n == m_root.get() ? !n->children.empty() : childTotal(n) > 0;
}

bool JsonTreeModel::canFetchMore(const QModelIndex &parent) const
{
    const Node *n = nodeAt(parent);
    return n != m_root.get() && int(n->children.size()) < childTotal(n);
}

void JsonTreeModel::fetchMore(const QModelIndex &parent)
{
    Node *n = nodeAt(parent);
    if (n == m_root.get())
        return;
    const int have = int(n->children.size());
    const int total = childTotal(n);
    const int take = std::min(batchSize, total - have);
    if (take <= 0)
        return;
    beginInsertRows(parent, have, have + take - 1);
    if (n->value.isArray()) {
        const QJsonArray a = n->value.toArray();
        for (int i = have; i < have + take; ++i) {
            auto c = std::make_unique<Node>();
            c->key = QStringLiteral("[%1]").arg(i);
            c->value = a.at(i);
            c->parent = n;
            c->row = i;
            n->children.push_back(std::move(c));
        }
    } else {
        const QJsonObject o = n->value.toObject();
        auto it = o.begin() + have;
        for (int i = have; i < have + take; ++i, ++it) {
            auto c = std::make_unique<Node>();
            c->key = it.key();
            c->value = it.value();
            c->parent = n;
            c->row = i;
            n->children.push_back(std::move(c));
        }
    }
    endInsertRows();
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *n = nodeAt(index);
    const QJsonValue &v = n->value;
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case 0:
            return n->key;
        case 1:
            switch (v.type()) {
            case QJsonValue::Object:
                return tr("{%n key(s)}", nullptr, int(v.toObject().size()));
            case QJsonValue::Array:
                return tr("[%n item(s)]", nullptr, int(v.toArray().size()));
            case QJsonValue::String: {
                const QString s = v.toString();
                if (role == Qt::ToolTipRole)
                    return s.left(2000);
                if (s.size() > 300)
                    return tr("\"%1…\" (%2 characters)").arg(s.left(120)).arg(s.size());
                return QStringLiteral("\"%1\"").arg(s);
            }
            case QJsonValue::Double:
                return QString::number(v.toDouble(), 'g', 17);
            case QJsonValue::Bool:
                return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
            case QJsonValue::Null:
                return QStringLiteral("null");
            case QJsonValue::Undefined:
                return {};
            }
            return {};
        case 2:
            switch (v.type()) {
            case QJsonValue::Object:
                return tr("object");
            case QJsonValue::Array:
                return tr("array");
            case QJsonValue::String:
                return tr("string");
            case QJsonValue::Double:
                return tr("number");
            case QJsonValue::Bool:
                return tr("boolean");
            case QJsonValue::Null:
                return tr("null");
            case QJsonValue::Undefined:
                return {};
            }
            return {};
        }
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case 0:
        return tr("Key");
    case 1:
        return tr("Value");
    case 2:
        return tr("Type");
    }
    return {};
}

QJsonValue JsonTreeModel::valueAt(const QModelIndex &index) const
{
    return index.isValid() ? nodeAt(index)->value : json();
}

QString JsonTreeModel::pathAt(const QModelIndex &index) const
{
    QStringList parts;
    for (const Node *n = nodeAt(index); n && n != m_root.get(); n = n->parent) {
        if (n->key.startsWith(QLatin1Char('[')) || n->key == QLatin1String("$"))
            parts.prepend(n->key);
        else
            parts.prepend(QLatin1Char('.') + n->key);
    }
    return parts.join(QString());
}

} // namespace idesk
