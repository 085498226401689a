#pragma once

#include <QAbstractItemModel>
#include <QJsonValue>

#include <memory>
#include <vector>

namespace idesk {

// A JSON value as a collapsible tree (Key, Value, Type). Children are created when a node is expanded,
// in batches, so that an array of a million numbers costs nothing until it is opened.
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    void setJson(const QJsonValue &value);
    QJsonValue json() const;

    static constexpr int batchSize = 500;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // The JSON value and its path ($.a[0].b) at an index.
    QJsonValue valueAt(const QModelIndex &index) const;
    QString pathAt(const QModelIndex &index) const;

private:
    struct Node
    {
        QString key; // object key, or "[i]" for array items
        QJsonValue value;
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children; // fetched so far
    };
    Node *nodeAt(const QModelIndex &index) const;
    static int childTotal(const Node *node);

    std::unique_ptr<Node> m_root;
};

} // namespace idesk
