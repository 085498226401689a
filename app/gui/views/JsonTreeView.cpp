#include "JsonTreeView.h"

#include "JsonTreeModel.h"

#include "JsonPrettyPrinter.h"

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
    // The "… N more" row of a long array lists the next page.
    connect(m_tree, &QTreeView::activated, m_model, &JsonTreeModel::loadMore);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addWidget(m_tree, 1);
}

void JsonTreeView::setJson(const QJsonValue &value, const QString &note)
{
    m_model->setJson(value);
    showNote(note);
    openTop();
}

void JsonTreeView::setJsonText(const QByteArray &json, const QString &note)
{
    setJsonText(json, note, nullptr);
}

void JsonTreeView::setJsonText(const QByteArray &json, const QString &note, const JsonOutline *outline)
{
    if (outline)
        m_model->setJsonText(json, *outline);
    else
        m_model->setJsonText(json);
    showNote(note);
    openTop();
}

void JsonTreeView::showNote(const QString &note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

void JsonTreeView::openTop()
{
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
    if (context.jsonText.isEmpty() && note.isEmpty())
        note = tr("The answer is not JSON; the Raw tab shows it as it came.");
    setJsonText(context.jsonText, note, context.jsonOutline.get());
}

QString JsonTreeView::copyText() const
{
    const QModelIndex current = m_tree->currentIndex();
    const QByteArray text = m_model->textAt(current);
    if (text.startsWith('{') || text.startsWith('['))
        return QString::fromUtf8(JsonPrettyPrinter::format(text, 2));
    const QJsonValue v = m_model->valueAt(current);
    if (v.isString())
        return v.toString();
    return QString::fromUtf8(text);
}

} // namespace idesk
