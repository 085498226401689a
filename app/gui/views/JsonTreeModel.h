#pragma once

#include <QAbstractItemModel>
#include <QByteArray>
#include <QJsonValue>

#include <memory>
#include <vector>

namespace idesk {

// What the tree shows first of a JSON value, found by scanning its bytes: the top value's extent, how many
// children it has and where its first page of them lies. JsonTreeModel::outline() builds it on any thread,
// so a large answer is scanned on a worker (ResultView::prepare) and shown without a scan on the UI thread.
struct JsonOutline
{
    struct Span
    {
        qsizetype keyOffset = -1, keyLength = 0; // an object member's key token
        qsizetype offset = 0, length = 0;        // the value
    };
    qsizetype textSize = -1; // the size of the text it was read from
    qsizetype start = -1;    // the top value; -1 when the text is empty or blank
    qsizetype length = 0;
    qint64 total = 0;              // the top value's children, 0 for a scalar
    std::vector<Span> firstPage;   // up to JsonTreeModel::pageSize of them
    qsizetype afterFirstPage = -1; // where the next child starts, -1 when the page holds them all
};

// A JSON answer as a collapsible tree (Key, Value, Type), read from its text on demand: a node's children
// are found by scanning its bytes only when it is expanded, a page of pageSize at a time, with a "… N more"
// row that shows the next page when activated. No document is built, so an answer of 4,000 arrays nested
// 1,000 deep or an array of a million numbers costs the answer's bytes plus the rows a person opened.
// Keys are shown in the order received, numbers as written.
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    // The JSON text of one value (an object or array; the answer's bytes are shared, not copied). Text
    // that is not JSON leaves the tree empty.
    void setJsonText(const QByteArray &json);
    // The same, with the outline already read from `json` (on another thread): no scan of the text here.
    void setJsonText(const QByteArray &json, const JsonOutline &outline);
    static JsonOutline outline(const QByteArray &json);
    // A value already parsed (small values: it is written compact first).
    void setJson(const QJsonValue &value);
    QJsonValue json() const;

    // Children listed per page; the rest stay behind a "… N more" row.
    static constexpr int pageSize = 1000;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // True for the "… N more" row of a long array or object; loadMore() on it lists the next page.
    bool isMoreRow(const QModelIndex &index) const;
    void loadMore(const QModelIndex &moreRow);

    // The JSON value, its text as received and its path ($.a[0].b) at an index (the root for an invalid
    // one). valueAt builds that value: for Copy of what a person selected.
    QJsonValue valueAt(const QModelIndex &index) const;
    QByteArray textAt(const QModelIndex &index) const;
    QString pathAt(const QModelIndex &index) const;

    // Rows created so far (what the tree costs beyond the answer's bytes).
    qint64 nodeCount() const { return m_nodes; }

private:
    struct Node
    {
        QString key;          // object key, "[i]" for array items, "$" for the answer; "" for a more row
        qsizetype offset = 0; // the value's bytes in m_text
        qsizetype length = 0;
        char type = 0; // first byte: '{', '[', '"', 't', 'f', 'n', a digit or '-'; 'm' for a more row
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children; // listed so far (the more row last, if any)
        bool listed = false;                         // the first page was listed
        qsizetype next = -1;       // where the next unlisted child starts, -1 when all are listed
        int nextIndex = 0;         // its index
        mutable qint64 total = -1; // children in all, counted when first shown
    };
    Node *nodeAt(const QModelIndex &index) const;
    bool isContainer(const Node *n) const { return n->type == '{' || n->type == '['; }
    qint64 childTotal(const Node *n) const;
    // Lists up to pageSize children of `n` from n->next, ending with a more row when some are left.
    void listPage(Node *n, const QModelIndex &parent);
    void insertPage(Node *n, const QModelIndex &parent, const std::vector<JsonOutline::Span> &spans,
                    qsizetype after);
    QString displayValue(const Node *n, bool tooltip) const;

    QByteArray m_text;
    std::unique_ptr<Node> m_root;
    std::vector<JsonOutline::Span> m_firstPage; // the outline's first page, until the top is listed
    qsizetype m_afterFirstPage = -1;
    qint64 m_nodes = 0;
};

} // namespace idesk
