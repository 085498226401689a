#pragma once

#include <QStyledItemDelegate>

namespace idesk {

// The editors of ParameterModel's cells, by the row's kind: a combo box for an enum (editable when a JSON
// object may stand instead, as for tool_choice), a check box, spin boxes for numbers ("(not set)" at the
// bottom when there is no default), a line edit for text, lists and JSON; a line edit for an extra row's
// name. Every edit is written to the model as it happens. Spin boxes and combo boxes leave the mouse
// wheel to the table (it scrolls) unless they have the keyboard focus; typing into a spin box that shows
// "(not set)" replaces it.
class ParameterDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ParameterDelegate(QObject *parent = nullptr);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // An editor showing a default is greyed, one whose row has a problem turns red and tells why in its
    // tooltip.
    static void styleEditor(QWidget *editor, const QModelIndex &index);

protected:
    // Editors here stay open and write every change at once: Enter, Esc and Tab keep their usual
    // meaning (send, cancel, next field) instead of closing or reverting an editor.
    bool eventFilter(QObject *object, QEvent *event) override;
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    void edited(QWidget *editor) const;
};

} // namespace idesk
