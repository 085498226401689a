#include "JsonTreeModel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace idesk {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

qsizetype skipSpace(const QByteArray &t, qsizetype pos)
{
    while (pos < t.size() && isSpace(t.at(pos)))
        ++pos;
    return pos;
}

// The end (one past) of the value starting at `pos`: strings to their closing quote, containers to their
// closing bracket (counted, no recursion), literals and numbers to the next delimiter.
qsizetype valueEnd(const QByteArray &t, qsizetype pos)
{
    const char *d = t.constData();
    const qsizetype size = t.size();
    if (pos >= size)
        return size;
    const char first = d[pos];
    if (first == '"') {
        for (qsizetype i = pos + 1; i < size; ++i) {
            if (d[i] == '\\')
                ++i;
            else if (d[i] == '"')
                return i + 1;
        }
        return size;
    }
    if (first == '{' || first == '[') {
        qint64 depth = 0;
        for (qsizetype i = pos; i < size; ++i) {
            const char c = d[i];
            if (c == '"') {
                for (++i; i < size && d[i] != '"'; ++i)
                    if (d[i] == '\\')
                        ++i;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return size;
    }
    qsizetype i = pos;
    while (i < size && d[i] != ',' && d[i] != ']' && d[i] != '}' && !isSpace(d[i]))
        ++i;
    return i;
}

// One child of the container whose child list goes on at `pos`: its key token (objects), its value, and
// where the next one starts (-1 after the last).
struct Child : JsonOutline::Span
{
    qsizetype next = -1;
};

// Reads the child at `pos` (just after '[' / '{' or a ','); false when the container ends there.
bool readChild(const QByteArray &t, qsizetype pos, bool object, Child *out)
{
    pos = skipSpace(t, pos);
    if (pos >= t.size() || t.at(pos) == ']' || t.at(pos) == '}')
        return false;
    if (object) {
        out->keyOffset = pos;
        const qsizetype keyEnd = valueEnd(t, pos);
        out->keyLength = keyEnd - pos;
        pos = skipSpace(t, keyEnd);
        if (pos < t.size() && t.at(pos) == ':')
            pos = skipSpace(t, pos + 1);
    }
    out->offset = pos;
    const qsizetype end = valueEnd(t, pos);
    out->length = end - pos;
    pos = skipSpace(t, end);
    out->next = pos < t.size() && t.at(pos) == ',' ? pos + 1 : -1;
    return out->length > 0;
}

// A JSON string token (quotes included) as text; a long one only its beginning (`cut` set then).
QString decodeString(const QByteArray &t, qsizetype offset, qsizetype length, qsizetype maxBytes,
                     bool *cut = nullptr)
{
    QByteArray inner = t.mid(offset + 1, std::max<qsizetype>(0, length - 2));
    if (cut)
        *cut = false;
    if (inner.size() > maxBytes) {
        qsizetype n = maxBytes;
        // Not inside an escape (\uXXXX is the longest) nor a UTF-8 sequence.
        const qsizetype slash = inner.lastIndexOf('\\', n - 1);
        if (slash >= 0 && slash >= n - 6)
            n = slash;
        while (n > 0 && (uchar(inner.at(n)) & 0xC0) == 0x80)
            --n;
        inner.truncate(n);
        if (cut)
            *cut = true;
    }
    if (!inner.contains('\\'))
        return QString::fromUtf8(inner);
    const QJsonDocument doc = QJsonDocument::fromJson("[\"" + inner + "\"]");
    return doc.array().at(0).toString();
}

// Up to `max` children from `pos` on; *after is where the next one starts (-1 when none is left).
std::vector<JsonOutline::Span> readPage(const QByteArray &t, qsizetype pos, bool object, int max,
                                        qsizetype *after)
{
    std::vector<JsonOutline::Span> page;
    Child c;
    while (pos >= 0 && int(page.size()) < max && readChild(t, pos, object, &c)) {
        page.push_back(c);
        pos = c.next;
    }
    *after = pos >= 0 && readChild(t, pos, object, &c) ? pos : -1;
    return page;
}

qint64 countChildren(const QByteArray &t, qsizetype pos, bool object)
{
    qint64 count = 0;
    Child c;
    for (; pos >= 0 && readChild(t, pos, object, &c); pos = c.next)
        ++count;
    return count;
}

QJsonValue parseValue(const QByteArray &bytes)
{
    const QJsonDocument doc = QJsonDocument::fromJson("[" + bytes + "]");
    return doc.isArray() ? doc.array().at(0) : QJsonValue();
}

} // namespace

JsonTreeModel::JsonTreeModel(QObject *parent) : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{
}

JsonTreeModel::~JsonTreeModel() = default;

JsonOutline JsonTreeModel::outline(const QByteArray &json)
{
    JsonOutline o;
    o.textSize = json.size();
    const qsizetype start = skipSpace(json, 0);
    if (start >= json.size())
        return o;
    o.start = start;
    o.length = valueEnd(json, start) - start;
    const char type = json.at(start);
    if (type == '{' || type == '[') {
        o.firstPage = readPage(json, start + 1, type == '{', pageSize, &o.afterFirstPage);
        o.total = o.afterFirstPage < 0
                      ? qint64(o.firstPage.size())
                      : qint64(o.firstPage.size()) + countChildren(json, o.afterFirstPage, type == '{');
    }
    return o;
}

void JsonTreeModel::setJsonText(const QByteArray &json)
{
    setJsonText(json, outline(json));
}

void JsonTreeModel::setJsonText(const QByteArray &json, const JsonOutline &outline)
{
    if (outline.textSize != json.size()) {
        setJsonText(json); // read from other text: read this one
        return;
    }
    beginResetModel();
    m_text = json;
    m_root = std::make_unique<Node>();
    m_nodes = 0;
    m_firstPage.clear();
    m_afterFirstPage = -1;
    if (outline.start >= 0) {
        // A hidden root holding one visible node for the whole answer.
        auto top = std::make_unique<Node>();
        top->key = QStringLiteral("$");
        top->offset = outline.start;
        top->length = outline.length;
        top->type = m_text.at(outline.start);
        top->parent = m_root.get();
        top->next = outline.start + 1;
        if (isContainer(top.get())) {
            top->total = outline.total;
            m_firstPage = outline.firstPage;
            m_afterFirstPage = outline.afterFirstPage;
        }
        m_root->children.push_back(std::move(top));
        m_nodes = 1;
    } else {
        m_text.clear();
    }
    m_root->listed = true;
    endResetModel();
}

void JsonTreeModel::setJson(const QJsonValue &value)
{
    if (value.isObject())
        setJsonText(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    else if (value.isArray())
        setJsonText(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    else if (value.isUndefined() || value.isNull()) // QJsonValue() is null: nothing to show, not "$ null"
        setJsonText(QByteArray());
    else
        setJsonText(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1));
}

QJsonValue JsonTreeModel::json() const
{
    return m_root->children.empty() ? QJsonValue() : valueAt(index(0, 0));
}

JsonTreeModel::Node *JsonTreeModel::nodeAt(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

qint64 JsonTreeModel::childTotal(const Node *n) const
{
    if (!isContainer(n))
        return 0;
    if (n->total < 0)
        n->total = countChildren(m_text, n->offset + 1, n->type == '{');
    return n->total;
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
    if (n == m_root.get())
        return !n->children.empty();
    if (!isContainer(n))
        return false;
    const qsizetype first = skipSpace(m_text, n->offset + 1);
    return first < m_text.size() && m_text.at(first) != ']' && m_text.at(first) != '}';
}

bool JsonTreeModel::canFetchMore(const QModelIndex &parent) const
{
    const Node *n = nodeAt(parent);
    return n != m_root.get() && !n->listed && hasChildren(parent);
}

void JsonTreeModel::fetchMore(const QModelIndex &parent)
{
    Node *n = nodeAt(parent);
    if (n == m_root.get() || n->listed)
        return;
    n->listed = true;
    listPage(n, parent);
}

bool JsonTreeModel::isMoreRow(const QModelIndex &index) const
{
    return index.isValid() && nodeAt(index)->type == 'm';
}

void JsonTreeModel::loadMore(const QModelIndex &moreRow)
{
    if (!isMoreRow(moreRow))
        return;
    Node *n = nodeAt(moreRow)->parent;
    const QModelIndex parent = moreRow.parent();
    const int row = int(n->children.size()) - 1;
    beginRemoveRows(parent, row, row);
    n->children.pop_back();
    --m_nodes;
    endRemoveRows();
    listPage(n, parent);
}

void JsonTreeModel::listPage(Node *n, const QModelIndex &parent)
{
    if (n->next < 0)
        return;
    if (n->parent == m_root.get() && n->next == n->offset + 1 && !m_firstPage.empty()) {
        // The top's first page, read with the outline.
        const std::vector<JsonOutline::Span> page = std::move(m_firstPage);
        m_firstPage.clear();
        insertPage(n, parent, page, m_afterFirstPage);
        return;
    }
    qsizetype after = -1;
    const std::vector<JsonOutline::Span> page = readPage(m_text, n->next, n->type == '{', pageSize, &after);
    insertPage(n, parent, page, after);
}

void JsonTreeModel::insertPage(Node *n, const QModelIndex &parent,
                               const std::vector<JsonOutline::Span> &spans, qsizetype after)
{
    const bool object = n->type == '{';
    std::vector<std::unique_ptr<Node>> page;
    for (const JsonOutline::Span &c : spans) {
        auto child = std::make_unique<Node>();
        child->key = object ? decodeString(m_text, c.keyOffset, c.keyLength, 4096)
                            : QStringLiteral("[%1]").arg(n->nextIndex);
        child->offset = c.offset;
        child->length = c.length;
        child->type = m_text.at(c.offset);
        child->parent = n;
        child->next = c.offset + 1;
        page.push_back(std::move(child));
        ++n->nextIndex;
    }
    n->next = after;
    if (n->next >= 0) {
        auto more = std::make_unique<Node>();
        more->type = 'm';
        more->parent = n;
        page.push_back(std::move(more));
    }
    if (page.empty())
        return;
    const int first = int(n->children.size());
    beginInsertRows(parent, first, first + int(page.size()) - 1);
    for (auto &child : page) {
        child->row = int(n->children.size());
        n->children.push_back(std::move(child));
        ++m_nodes;
    }
    endInsertRows();
}

QString JsonTreeModel::displayValue(const Node *n, bool tooltip) const
{
    switch (n->type) {
    case 'm': {
        const qint64 left = childTotal(n->parent) - n->parent->nextIndex;
        return tr("… %n more: double-click or press Enter to show the next %1", nullptr,
                  int(qMin<qint64>(left, INT_MAX)))
            .arg(qMin<qint64>(left, pageSize));
    }
    case '{':
        return tr("{%n key(s)}", nullptr, int(childTotal(n)));
    case '[':
        return tr("[%n item(s)]", nullptr, int(childTotal(n)));
    case '"': {
        bool cut = false;
        const QString s = decodeString(m_text, n->offset, n->length, tooltip ? 8000 : 1200, &cut);
        if (tooltip)
            return s.left(2000);
        if (cut || s.size() > 300)
            return tr("\"%1…\" (%2 of text)").arg(s.left(120), QLocale().formattedDataSize(n->length - 2));
        return QStringLiteral("\"%1\"").arg(s);
    }
    default:
        return QString::fromUtf8(m_text.constData() + n->offset, qMin<qsizetype>(n->length, 400));
    }
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const Node *n = nodeAt(index);
    switch (index.column()) {
    case 0:
        return n->type == 'm' ? QStringLiteral("…") : n->key;
    case 1:
        return displayValue(n, role == Qt::ToolTipRole);
    case 2:
        switch (n->type) {
        case 'm':
            return QString();
        case '{':
            return tr("object");
        case '[':
            return tr("array");
        case '"':
            return tr("string");
        case 't':
        case 'f':
            return tr("boolean");
        case 'n':
            return tr("null");
        default:
            return tr("number");
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

QByteArray JsonTreeModel::textAt(const QModelIndex &index) const
{
    const Node *n = index.isValid() ? nodeAt(index) : nullptr;
    if (!n)
        n = m_root->children.empty() ? nullptr : m_root->children.front().get();
    if (!n || n->type == 'm')
        return {};
    return m_text.mid(n->offset, n->length);
}

QJsonValue JsonTreeModel::valueAt(const QModelIndex &index) const
{
    const QByteArray text = textAt(index);
    return text.isEmpty() ? QJsonValue() : parseValue(text);
}

QString JsonTreeModel::pathAt(const QModelIndex &index) const
{
    QStringList parts;
    for (const Node *n = nodeAt(index); n && n != m_root.get(); n = n->parent) {
        if (n->type == 'm')
            continue;
        if (n->key.startsWith(QLatin1Char('[')) || n->key == QLatin1String("$"))
            parts.prepend(n->key);
        else
            parts.prepend(QLatin1Char('.') + n->key);
    }
    return parts.join(QString());
}

} // namespace idesk
