#include "KestraYaml.h"

#include "LocalFile.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QStringList>
#include <algorithm>
#include <sstream>
#include <yaml-cpp/eventhandler.h>

namespace idesk {
namespace kestra {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("KestraFlow", text);
}
} // namespace

// ---- YAML scalar typing, as Kestra's Jackson YAML parser (SnakeYAML's YAML 1.1 resolver) does it ----

bool isYamlBool(const QString &v, bool *value)
{
    static const QStringList yes = {QStringLiteral("y"), QStringLiteral("yes"), QStringLiteral("true"),
                                    QStringLiteral("on")};
    static const QStringList no = {QStringLiteral("n"), QStringLiteral("no"), QStringLiteral("false"),
                                   QStringLiteral("off")};
    // SnakeYAML's resolver knows yes/no/true/false/on/off in lower, Capitalised and UPPER case.
    const QString lower = v.toLower();
    const bool caseOk =
        v == lower || v == lower.toUpper() || (v.size() > 1 && v.at(0).isUpper() && v.mid(1) == lower.mid(1));
    if (!caseOk)
        return false;
    if (v.size() == 1) // a lone y/n is a string for the resolver (only an explicit !!bool reads it)
        return false;
    if (yes.contains(lower)) {
        *value = true;
        return true;
    }
    if (no.contains(lower)) {
        *value = false;
        return true;
    }
    return false;
}

ScalarKind resolvePlain(const QString &v)
{
    static const QRegularExpression nullRe(QStringLiteral("^(?:~|null|Null|NULL)?$"));
    static const QRegularExpression intRe(
        QStringLiteral("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"));
    static const QRegularExpression floatRe(QStringLiteral(
        "^(?:[-+]?(?:\\.[0-9]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|"
        "\\.(?:nan|NaN|NAN))$"));
    bool b = false;
    if (nullRe.match(v).hasMatch())
        return ScalarKind::Null;
    if (isYamlBool(v, &b))
        return ScalarKind::Bool;
    if (intRe.match(v).hasMatch())
        return ScalarKind::Int;
    if (floatRe.match(v).hasMatch())
        return ScalarKind::Float;
    return ScalarKind::String;
}

QJsonValue intValue(QString v)
{
    v.remove(QLatin1Char('_'));
    bool negative = false;
    if (v.startsWith(QLatin1Char('-')) || v.startsWith(QLatin1Char('+'))) {
        negative = v.startsWith(QLatin1Char('-'));
        v = v.mid(1);
    }
    int base = 10;
    if (v.startsWith(QLatin1String("0x"))) {
        base = 16;
        v = v.mid(2);
    } else if (v.startsWith(QLatin1String("0b"))) {
        base = 2;
        v = v.mid(2);
    } else if (v.size() > 1 && v.startsWith(QLatin1Char('0'))) {
        base = 8;
    }
    bool ok = false;
    const qlonglong n = v.toLongLong(&ok, base);
    if (ok)
        return QJsonValue(negative ? -n : n);
    const double d = v.toDouble(&ok); // beyond 64 bits: a double, as JSON has no bigger integer
    return QJsonValue(negative ? -d : d);
}

QJsonValue floatValue(QString v)
{
    if (v.contains(QLatin1String("inf"), Qt::CaseInsensitive) ||
        v.contains(QLatin1String("nan"), Qt::CaseInsensitive))
        return QJsonValue(v); // JSON cannot carry them: keep the text
    v.remove(QLatin1Char('_'));
    return QJsonValue(v.toDouble());
}

bool isQuoted(const YAML::Node &node)
{
    // yaml-cpp tags: "?" a plain scalar, "!" a quoted or block scalar, else an explicit tag.
    return node.Tag() == "!";
}

QString explicitTag(const YAML::Node &node)
{
    const QString tag = qs(node.Tag());
    if (tag == QLatin1String("?") || tag == QLatin1String("!") || tag.isEmpty())
        return {};
    if (tag.startsWith(QLatin1String("tag:yaml.org,2002:")))
        return tag.mid(18);
    if (tag.startsWith(QLatin1String("!!")))
        return tag.mid(2);
    return tag;
}

int lineOf(const YAML::Node &node)
{
    return node.Mark().line + 1;
}

// ---- the budget: one pass over the parser's events, before any node is built ----

namespace {

struct Refused
{
    QString message;
};

bool isTaskListKey(const std::string &key)
{
    return key == "tasks" || key == "errors" || key == "finally" || key == "afterExecution";
}

class BudgetPass : public YAML::EventHandler
{
public:
    BudgetPass(const Limits &limits, const QString &source) : m_limits(limits), m_source(source) {}

    void OnDocumentStart(const YAML::Mark &) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override { leaf(mark, anchor, nullptr); }
    void OnScalar(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                  const std::string &value) override
    {
        leaf(mark, anchor, &value);
    }
    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        for (const Frame &f : m_stack) {
            if (f.anchor == anchor) {
                const QString name = qs(m_names.value(anchor));
                refuse(
                    tr("%1 is refused: the alias *%2 at line %3 sits inside the value anchored as &%2, so it "
                       "refers to itself and never ends. Remove the alias, or point it at another anchor.")
                        .arg(m_source, name)
                        .arg(mark.line + 1));
            }
        }
        const Stats s = m_anchors.value(anchor);
        count(mark, s.nodes, s.text);
        if (qint64(m_stack.size()) + s.height > m_limits.maxDepth)
            refuseDepth(mark);
        addChild(mark, s, nullptr);
    }
    void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override
    {
        open(mark, anchor, false);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override
    {
        open(mark, anchor, true);
    }
    void OnMapEnd() override { close(); }
    void OnAnchor(const YAML::Mark &, const std::string &name) override { m_pendingName = name; }

private:
    // What a value expands to: its nodes, its bytes of text, how deep its lists and maps nest.
    struct Stats
    {
        qint64 nodes = 0;
        qint64 text = 0;
        qint64 height = 0;
    };
    struct Frame
    {
        YAML::anchor_t anchor = 0;
        bool map = false;
        bool taskList = false;
        qint64 children = 0;
        Stats stats;
        std::string key; // a map's last key
    };

    static QString tr(const char *text) { return QCoreApplication::translate("KestraFlow", text); }

    [[noreturn]] void refuse(const QString &message) { throw Refused{message}; }

    [[noreturn]] void refuseDepth(const YAML::Mark &mark)
    {
        refuse(tr("%1 is refused: its lists and maps nest more than %2 deep (line %3, aliases expanded). %4")
                   .arg(m_source)
                   .arg(m_limits.maxDepth)
                   .arg(mark.line + 1)
                   .arg(raiseHint("IDESK_FLOW_MAX_DEPTH", m_limits.maxDepth)));
    }

    void count(const YAML::Mark &mark, qint64 nodes, qint64 text)
    {
        m_nodes += nodes;
        m_text += text;
        if (m_nodes > m_limits.maxNodes)
            refuse(
                tr("%1 is refused: it expands to more than %2 YAML values (line %3; each use of an alias "
                   "counts the whole value it points to again, and a small flow that grows this much is an "
                   "alias bomb). %4")
                    .arg(m_source)
                    .arg(m_limits.maxNodes)
                    .arg(mark.line + 1)
                    .arg(raiseHint("IDESK_FLOW_MAX_NODES", m_limits.maxNodes)));
        if (m_text > m_limits.maxText)
            refuse(tr("%1 is refused: its values hold more than %2 of text once aliases are expanded (line "
                      "%3). %4")
                       .arg(m_source, LocalFile::humanSize(m_limits.maxText))
                       .arg(mark.line + 1)
                       .arg(raiseHint("IDESK_FLOW_MAX_TEXT", m_limits.maxText)));
    }

    void addChild(const YAML::Mark &mark, const Stats &s, const std::string *scalar)
    {
        if (!m_stack.isEmpty()) {
            Frame &parent = m_stack.last();
            const bool isKey = parent.map && parent.children % 2 == 0;
            ++parent.children;
            if (isKey)
                parent.key = scalar ? *scalar : std::string();
            parent.stats.nodes += s.nodes;
            parent.stats.text += s.text;
            parent.stats.height = std::max(parent.stats.height, s.height + 1);
            const qint64 entries = parent.map ? (parent.children + 1) / 2 : parent.children;
            if (entries > m_limits.maxElements)
                refuse(tr("%1 is refused: a %2 holding line %3 has more than %4 entries. %5")
                           .arg(m_source, parent.map ? tr("map") : tr("list"))
                           .arg(mark.line + 1)
                           .arg(m_limits.maxElements)
                           .arg(raiseHint("IDESK_FLOW_MAX_ELEMENTS", m_limits.maxElements)));
            if (parent.taskList && ++m_tasks > m_limits.maxTasks)
                refuse(tr("%1 is refused: it has more than %2 tasks (line %3). %4")
                           .arg(m_source)
                           .arg(m_limits.maxTasks)
                           .arg(mark.line + 1)
                           .arg(raiseHint("IDESK_FLOW_MAX_TASKS", m_limits.maxTasks)));
        }
    }

    void name(YAML::anchor_t anchor)
    {
        if (anchor != 0)
            m_names.insert(anchor, m_pendingName);
        m_pendingName.clear();
    }

    void leaf(const YAML::Mark &mark, YAML::anchor_t anchor, const std::string *value)
    {
        name(anchor);
        const Stats s{1, value ? qint64(value->size()) : 0, 0};
        count(mark, s.nodes, s.text);
        if (anchor != 0)
            m_anchors.insert(anchor, s);
        addChild(mark, s, value);
    }

    void open(const YAML::Mark &mark, YAML::anchor_t anchor, bool map)
    {
        name(anchor);
        count(mark, 1, 0);
        Frame f;
        f.anchor = anchor;
        f.map = map;
        f.stats = {1, 0, 1};
        if (!m_stack.isEmpty()) {
            const Frame &parent = m_stack.last();
            f.taskList = !map && parent.map && parent.children % 2 == 1 && isTaskListKey(parent.key);
        }
        m_stack.append(f);
        m_marks.append(mark);
        if (m_stack.size() > m_limits.maxDepth)
            refuseDepth(mark);
    }

    void close()
    {
        if (m_stack.isEmpty())
            return;
        const Frame f = m_stack.takeLast();
        const YAML::Mark mark = m_marks.takeLast();
        if (f.anchor != 0)
            m_anchors.insert(f.anchor, f.stats);
        addChild(mark, f.stats, nullptr);
    }

    const Limits &m_limits;
    const QString &m_source;
    QList<Frame> m_stack;
    QList<YAML::Mark> m_marks;
    QHash<YAML::anchor_t, Stats> m_anchors;
    QHash<YAML::anchor_t, std::string> m_names;
    std::string m_pendingName;
    qint64 m_nodes = 0;
    qint64 m_text = 0;
    qint64 m_tasks = 0;
};

} // namespace

std::optional<YAML::Node> loadYaml(const QByteArray &yaml, const Limits &limits, const QString &source,
                                   QString *error)
{
    auto fail = [&](const QString &message) -> std::optional<YAML::Node> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (yaml.size() > limits.maxFlowBytes)
        return fail(tr("%1 is %2, over the limit of %3 for a flow. %4")
                        .arg(source, LocalFile::humanSize(yaml.size()),
                             LocalFile::humanSize(limits.maxFlowBytes),
                             raiseHint("IDESK_FLOW_MAX_BYTES", limits.maxFlowBytes)));
    const std::string text = yaml.toStdString();
    try {
        {
            std::istringstream in(text);
            YAML::Parser parser(in);
            BudgetPass pass(limits, source);
            parser.HandleNextDocument(pass); // YAML::Load reads the first document only, and so does this
        }
        return YAML::Load(text);
    } catch (const Refused &r) {
        return fail(r.message);
    } catch (const YAML::ParserException &e) {
        return fail(tr("%1 is not valid YAML: %2 at line %3, column %4. Fix the indentation or quoting there "
                       "and try again.")
                        .arg(source, qs(e.msg))
                        .arg(e.mark.line + 1)
                        .arg(e.mark.column + 1));
    } catch (const YAML::Exception &e) {
        return fail(tr("%1 could not be read as YAML: %2.").arg(source, qs(e.msg)));
    }
}

std::optional<QJsonValue> toJson(const YAML::Node &node, const QString &property, const RenderText &render,
                                 qint64 maxDepth, QString *error, qint64 depth)
{
    if (depth > maxDepth) {
        if (error && error->isEmpty())
            *error = tr("%1 (line %2) nests more than %3 deep. %4")
                         .arg(property)
                         .arg(lineOf(node))
                         .arg(maxDepth)
                         .arg(raiseHint("IDESK_FLOW_MAX_DEPTH", maxDepth));
        return std::nullopt;
    }
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return QJsonValue(QJsonValue::Null);
    case YAML::NodeType::Sequence: {
        QJsonArray a;
        for (const YAML::Node &item : node) {
            const auto v = toJson(item, property, render, maxDepth, error, depth + 1);
            if (!v)
                return std::nullopt;
            a.append(*v);
        }
        return QJsonValue(a);
    }
    case YAML::NodeType::Map: {
        QJsonObject o;
        for (const auto &kv : node) {
            const QString key = qs(kv.first.Scalar());
            const auto v =
                toJson(kv.second, property + QLatin1Char('.') + key, render, maxDepth, error, depth + 1);
            if (!v)
                return std::nullopt;
            o.insert(key, *v);
        }
        return QJsonValue(o);
    }
    case YAML::NodeType::Scalar:
        break;
    }
    const QString text = qs(node.Scalar());
    const QString tag = explicitTag(node);
    if (tag == QLatin1String("str") || (tag.isEmpty() && isQuoted(node))) {
        const auto rendered = render(text, property);
        if (!rendered)
            return std::nullopt;
        return QJsonValue(*rendered);
    }
    ScalarKind kind = ScalarKind::String;
    if (tag.isEmpty())
        kind = resolvePlain(text);
    else if (tag == QLatin1String("int"))
        kind = ScalarKind::Int;
    else if (tag == QLatin1String("float"))
        kind = ScalarKind::Float;
    else if (tag == QLatin1String("bool"))
        kind = ScalarKind::Bool;
    else if (tag == QLatin1String("null"))
        kind = ScalarKind::Null;
    switch (kind) {
    case ScalarKind::Null:
        return QJsonValue(QJsonValue::Null);
    case ScalarKind::Bool: {
        bool b = false;
        if (isYamlBool(text, &b) || text.size() == 1) {
            if (text.size() == 1)
                b = text.compare(QLatin1String("y"), Qt::CaseInsensitive) == 0;
            return QJsonValue(b);
        }
        return QJsonValue(text);
    }
    case ScalarKind::Int:
        return intValue(text);
    case ScalarKind::Float:
        return floatValue(text);
    case ScalarKind::String:
        break;
    }
    const auto rendered = render(text, property);
    if (!rendered)
        return std::nullopt;
    return QJsonValue(*rendered);
}

} // namespace kestra
} // namespace idesk
