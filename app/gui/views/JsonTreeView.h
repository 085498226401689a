#pragma once

#include "ResultRenderer.h"

class QLabel;
class QTreeView;

namespace idesk {

class JsonTreeModel;
struct JsonOutline;

// The answer's JSON as a collapsible tree. Also the fallback of every shape no other view knows.
class JsonTreeView : public ResultRenderer
{
    Q_OBJECT
public:
    explicit JsonTreeView(QWidget *parent = nullptr);
    QString kind() const override { return QStringLiteral("json"); }
    void showResult(const ResultContext &context) override;
    QString copyText() const override;

    void setJson(const QJsonValue &value, const QString &note = {});
    // The answer's JSON text, read into the tree on demand (ResultContext::jsonText).
    void setJsonText(const QByteArray &json, const QString &note = {});
    // The same with its outline already read (JsonTreeModel::outline), or read here when null.
    void setJsonText(const QByteArray &json, const QString &note, const JsonOutline *outline);
    JsonTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }

private:
    void showNote(const QString &note);
    void openTop();

    QLabel *m_note = nullptr;
    QTreeView *m_tree = nullptr;
    JsonTreeModel *m_model = nullptr;
};

} // namespace idesk
