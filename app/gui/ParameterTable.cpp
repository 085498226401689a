#include "ParameterTable.h"

#include "ParameterDelegate.h"
#include "ParameterModel.h"
#include "ResponseFormatDialog.h"
#include "ToolsDialog.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPersistentModelIndex>
#include <QPushButton>
#include <QResizeEvent>
#include <QShowEvent>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace idesk {

namespace {

const char kRowButton[] = "ideskRowButton";

} // namespace

ParameterTable::ParameterTable(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("parameterTable"));
    m_model = new ParameterModel(this);
    m_delegate = new ParameterDelegate(this);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("parameterGrid"));
    m_view->setAccessibleName(tr("Parameters"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(m_delegate);
    m_view->verticalHeader()->hide();
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(ParameterModel::NameColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ParameterModel::ValueColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(ParameterModel::ActionColumn, QHeaderView::ResizeToContents);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers); // the editors stay open in their cells
    m_view->setTabKeyNavigation(false);
    m_view->setFocusPolicy(Qt::NoFocus);
    m_view->setWordWrap(false);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    {
        QSpinBox probe;
        m_view->verticalHeader()->setDefaultSectionSize(probe.sizeHint().height() + 6);
        m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    }

    m_empty = new QLabel(tr("This task has no parameters. “Add parameter” sends any other one."), this);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("parameterProblems"));
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::PlainText);
    m_problems->setAccessibleName(tr("Parameter problems"));
    m_problems->hide();

    m_add = new QPushButton(tr("&Add parameter"), this);
    m_add->setObjectName(QStringLiteral("addParameter"));
    m_add->setToolTip(tr("Send a parameter the catalog does not list: its name and a JSON value"));
    m_reset = new QPushButton(tr("Reset a&ll"), this);
    m_reset->setObjectName(QStringLiteral("resetParameters"));
    m_reset->setToolTip(tr("Back to the defaults; extra parameters are removed"));
    connect(m_add, &QPushButton::clicked, this, &ParameterTable::addClicked);
    connect(m_reset, &QPushButton::clicked, this, &ParameterTable::resetAll);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_reset);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_empty);
    layout->addWidget(m_problems);
    layout->addLayout(buttons);

    // After the view's own handling of the same signals (it connected first, in setModel).
    connect(m_model, &QAbstractItemModel::modelReset, this,
            [this] { openEditors(0, m_model->rowCount() - 1); });
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { openEditors(first, last); });
    connect(m_model, &ParameterModel::changed, this, &ParameterTable::refresh);
    refresh();
}

void ParameterTable::setTask(const QString &taskId)
{
    m_model->setTask(taskId);
}

QString ParameterTable::task() const
{
    return m_model->task();
}

void ParameterTable::setHiddenParameters(const QStringList &names)
{
    m_model->setHiddenParameters(names);
}

QJsonObject ParameterTable::parameters() const
{
    return m_model->parameters();
}

void ParameterTable::setParameters(const QJsonObject &parameters)
{
    m_model->setParameters(parameters);
}

QStringList ParameterTable::problems() const
{
    QStringList out;
    for (const QString &message : problemMessages(m_model->problems()))
        if (!out.contains(message))
            out << message;
    return out;
}

void ParameterTable::resetAll()
{
    m_model->resetAll();
}

int ParameterTable::addExtraRow(const QString &name, const QJsonValue &value)
{
    return m_model->addExtraRow(name, value);
}

void ParameterTable::addClicked()
{
    // A fresh row: in sight, its name ready for typing, and not a problem before anything is typed.
    const int row = m_model->addExtraRow(QString(), QJsonValue::Undefined, true);
    const QModelIndex name = m_model->index(row, ParameterModel::NameColumn);
    m_view->scrollTo(name);
    if (QWidget *edit = m_view->indexWidget(name))
        edit->setFocus(Qt::OtherFocusReason);
}

void ParameterTable::openEditors(int first, int last)
{
    for (int r = first; r <= last; ++r) {
        for (int column : {int(ParameterModel::NameColumn), int(ParameterModel::ValueColumn)}) {
            const QModelIndex index = m_model->index(r, column);
            if (column == ParameterModel::NameColumn && !m_model->isExtra(r))
                continue;
            m_view->openPersistentEditor(index);
            // The view selects an editor's text when it opens it; here every editor is open at once.
            if (QWidget *editor = m_view->indexWidget(index)) {
                if (auto *line = qobject_cast<QLineEdit *>(editor))
                    line->deselect();
                for (QLineEdit *line : editor->findChildren<QLineEdit *>())
                    line->deselect();
            }
        }

        auto *cell = new QWidget;
        auto *cellLayout = new QHBoxLayout(cell);
        cellLayout->setContentsMargins(2, 1, 2, 1);
        cellLayout->setSpacing(2);
        const QPersistentModelIndex at(m_model->index(r, ParameterModel::ValueColumn));
        const QString name = m_model->name(r);
        if (m_model->hasDialog(r)) {
            auto *edit = new QToolButton(cell);
            edit->setObjectName(QStringLiteral("edit:") + name);
            edit->setText(tr("Edit…"));
            edit->setToolButtonStyle(Qt::ToolButtonTextOnly);
            edit->setToolTip(name == QLatin1String("tools")
                                 ? tr("Edit the functions in a dialog, with checks")
                                 : tr("Choose the reply's format, and its schema"));
            edit->setAccessibleName(tr("Edit %1").arg(name));
            connect(edit, &QToolButton::clicked, this, [this, name] { openDialog(name); });
            cellLayout->addWidget(edit);
        }
        auto *button = new QToolButton(cell);
        button->setProperty(kRowButton, true);
        button->setAutoRaise(true);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        if (m_model->isExtra(r)) {
            button->setText(tr("Remove"));
            button->setToolTip(tr("Remove this parameter"));
            button->setAccessibleName(tr("Remove extra parameter"));
            connect(button, &QToolButton::clicked, this, [this, at] {
                if (at.isValid())
                    m_model->removeExtraRow(at.row());
            });
        } else {
            button->setText(tr("Reset"));
            button->setToolTip(tr("Back to the default of %1").arg(name));
            button->setAccessibleName(tr("Reset %1").arg(name));
            connect(button, &QToolButton::clicked, this, [this, at] {
                if (at.isValid())
                    m_model->resetRow(at.row());
            });
        }
        cellLayout->addWidget(button);
        m_view->setIndexWidget(m_model->index(r, ParameterModel::ActionColumn), cell);
    }
    fitActionColumn();
}

void ParameterTable::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    fitActionColumn();
}

void ParameterTable::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitActionColumn();
}

void ParameterTable::fitActionColumn()
{
    // Sized to the header alone, the column clipped "Reset"; the hint of a cell not yet polished by the
    // style is a few pixels short, so this runs again when the table is shown.
    int width = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (QWidget *cell = m_view->indexWidget(m_model->index(r, ParameterModel::ActionColumn)))
            width = qMax(width, qMax(cell->sizeHint().width(), cell->minimumSizeHint().width()) +
                                    6); // ParameterDelegate::updateEditorGeometry: 2 px each side, the grid
    }
    QHeaderView *header = m_view->horizontalHeader();
    int names = header->sectionSizeHint(ParameterModel::NameColumn);
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QModelIndex index = m_model->index(r, ParameterModel::NameColumn);
        const QWidget *editor = m_view->indexWidget(index);
        names = qMax(names, editor ? editor->sizeHint().width() + 6
                                   : m_view->fontMetrics().horizontalAdvance(index.data().toString()) + 16);
    }
    header->setSectionResizeMode(ParameterModel::NameColumn, QHeaderView::Fixed);
    header->resizeSection(ParameterModel::NameColumn,
                          qMin(names, qMax(120, m_view->viewport()->width() * 2 / 5)));
    header->setSectionResizeMode(ParameterModel::ActionColumn, QHeaderView::Fixed);
    header->resizeSection(ParameterModel::ActionColumn,
                          qMax(width, header->sectionSizeHint(ParameterModel::ActionColumn)));
}

void ParameterTable::refresh()
{
    int visible = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const bool hidden = m_model->isHidden(r);
        if (m_view->isRowHidden(r) != hidden)
            m_view->setRowHidden(r, hidden);
        visible += hidden ? 0 : 1;
        for (int column : {int(ParameterModel::NameColumn), int(ParameterModel::ValueColumn)}) {
            const QModelIndex index = m_model->index(r, column);
            if (QWidget *editor = m_view->indexWidget(index))
                ParameterDelegate::styleEditor(editor, index);
        }
        if (QToolButton *button = rowButton(r))
            button->setEnabled(m_model->isExtra(r) || m_model->isSet(r));
    }
    const QStringList all = problems();
    m_problems->setText(all.isEmpty() ? QString() : QStringLiteral("⚠ ") + all.join(QStringLiteral("\n⚠ ")));
    m_problems->setVisible(!all.isEmpty());
    // Never squeezed below three rows (or all of them, when fewer): the pane around it keeps room for them.
    m_view->setMinimumHeight(m_view->horizontalHeader()->sizeHint().height() + 2 * m_view->frameWidth() +
                             std::min(visible, 3) * m_view->verticalHeader()->defaultSectionSize());
    m_empty->setVisible(visible == 0);
    m_view->setVisible(visible > 0);
    m_reset->setEnabled(m_model->rowCount() > 0);
    fixTabOrder();
    Q_EMIT changed();
}

void ParameterTable::fixTabOrder()
{
    // Editors join the focus chain when created; put them in row order where the table is. Start from
    // the last widget before this table that is not one of its own (earlier rows).
    QWidget *previous = m_view->previousInFocusChain();
    while (previous && previous != m_view &&
           (isAncestorOf(previous) || previous->focusPolicy() == Qt::NoFocus))
        previous = previous->previousInFocusChain();
    if (previous == m_view)
        previous = nullptr; // nothing focusable before: the chain order does not matter then
    for (int r = 0; r < m_model->rowCount(); ++r) {
        QList<QWidget *> widgets{m_view->indexWidget(m_model->index(r, ParameterModel::NameColumn)),
                                 m_view->indexWidget(m_model->index(r, ParameterModel::ValueColumn))};
        if (QWidget *cell = m_view->indexWidget(m_model->index(r, ParameterModel::ActionColumn)))
            for (QToolButton *button : cell->findChildren<QToolButton *>())
                widgets << button;
        for (QWidget *w : std::as_const(widgets)) {
            if (w && w->focusPolicy() != Qt::NoFocus) {
                if (previous)
                    setTabOrder(previous, w);
                previous = w;
            }
        }
    }
}

int ParameterTable::preferredHeight(int maxRows) const
{
    int visible = 0;
    for (int r = 0; r < m_model->rowCount(); ++r)
        visible += m_model->isHidden(r) ? 0 : 1;
    const int spacing = std::max(0, layout()->spacing());
    int height = m_add->sizeHint().height() + spacing;
    if (visible == 0) {
        height += m_empty->sizeHint().height() + spacing;
    } else {
        height += m_view->horizontalHeader()->sizeHint().height() +
                  std::min(visible, maxRows) * m_view->verticalHeader()->defaultSectionSize() +
                  2 * m_view->frameWidth() + spacing;
    }
    if (!m_problems->isHidden())
        height += m_problems->sizeHint().height() + spacing;
    return height;
}

int ParameterTable::rowOf(const QString &name) const
{
    return m_model->rowOf(name);
}

QWidget *ParameterTable::editor(const QString &name) const
{
    const int r = rowOf(name);
    return r >= 0 ? m_view->indexWidget(m_model->index(r, ParameterModel::ValueColumn)) : nullptr;
}

QToolButton *ParameterTable::dialogButton(const QString &name) const
{
    const int r = rowOf(name);
    QWidget *cell = r >= 0 ? m_view->indexWidget(m_model->index(r, ParameterModel::ActionColumn)) : nullptr;
    return cell ? cell->findChild<QToolButton *>(QStringLiteral("edit:") + name) : nullptr;
}

QToolButton *ParameterTable::rowButton(int row) const
{
    QWidget *cell = m_view->indexWidget(m_model->index(row, ParameterModel::ActionColumn));
    if (!cell)
        return nullptr;
    for (QToolButton *button : cell->findChildren<QToolButton *>())
        if (button->property(kRowButton).toBool())
            return button;
    return nullptr;
}

QString ParameterTable::rowProblem(const QString &name) const
{
    const int r = rowOf(name);
    return r >= 0 ? m_model->problem(r) : QString();
}

bool ParameterTable::isChanged(const QString &name) const
{
    const int r = rowOf(name);
    return r >= 0 && m_model->isSet(r);
}

void ParameterTable::openDialog(const QString &name)
{
    const int r = rowOf(name);
    if (r < 0 || !m_model->hasDialog(r))
        return;
    const QString typed = m_model->text(r).trimmed();
    const QJsonValue current = m_model->value(r);
    const bool unreadable = m_model->isSet(r) && !typed.isEmpty() && current.isUndefined();
    QDialog *dialog = nullptr;
    if (name == QLatin1String("tools")) {
        auto *tools = new ToolsDialog(this);
        if (unreadable)
            tools->setJsonText(typed); // not JSON yet: shown as typed, with the reason
        else
            tools->setTools(current);
        connect(tools, &QDialog::accepted, this, [this, tools] {
            m_model->setText(rowOf(QStringLiteral("tools")), ParameterModel::jsonText(tools->tools()));
        });
        dialog = tools;
    } else {
        auto *format = new ResponseFormatDialog(this);
        format->setResponseFormat(current);
        connect(format, &QDialog::accepted, this, [this, format] {
            m_model->setText(rowOf(QStringLiteral("response_format")),
                             ParameterModel::jsonText(format->responseFormat()));
        });
        dialog = format;
    }
    connect(dialog, &QDialog::finished, dialog, &QObject::deleteLater);
    dialog->open();
}

} // namespace idesk
