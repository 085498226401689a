#include "JsonTreeView.h"

#include "JsonTreeModel.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

namespace idesk {

JsonTreeView::JsonTreeView(QWidget *parent) : ResultRenderer(parent)
{
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setContentsMargins(6, 4, 6, 4);
    m_note->hide();
    m_model = new JsonTreeModel(this);
    m_tree = new QTreeView(this);
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setAccessibleName(tr("Answer as a JSON tree"));
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_tree->setColumnWidth(0, 200);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addWidget(m_tree, 1);
}

void JsonTreeView::setJson(const QJsonValue &value, const QString &note)
{
    m_model->setJson(value);
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    // Open the top level and, when small, the level below.
    const QModelIndex top = m_model->index(0, 0);
    if (top.isValid()) {
        if (m_model->canFetchMore(top))
            m_model->fetchMore(top);
        m_tree->expand(top);
        const int rows = m_model->rowCount(top);
        if (rows <= 20)
            for (int r = 0; r < rows; ++r)
                m_tree->expand(m_model->index(r, 0, top));
    }
}

void JsonTreeView::showResult(const ResultContext &context)
{
    QString note = context.shape.problem;
    if (context.json.isUndefined() && note.isEmpty())
        note = tr("The answer is not JSON; the Raw tab shows it as it came.");
    setJson(context.json, note);
}

QString JsonTreeView::copyText() const
{
    const QJsonValue v = m_model->valueAt(m_tree->currentIndex());
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented));
    if (v.isString())
        return v.toString();
    return v.isUndefined() ? QString()
                           : QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

} // namespace idesk
