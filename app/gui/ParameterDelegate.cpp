#include "ParameterDelegate.h"

#include "ParameterModel.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QKeyEvent>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QWheelEvent>

#include <cmath>
#include <limits>

namespace idesk {

namespace {

const char kEdited[] = "ideskEdited";     // set by a person's edit, cleared once written to the model
const char kPrevious[] = "ideskPrevious"; // a spin box's value before the change

QColor blend(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

// The wheel over an unfocused editor scrolls the table (the event goes on to the viewport); it changes
// the value only once the editor has the keyboard focus.
template <typename Base> class WheelGuard : public Base
{
public:
    explicit WheelGuard(QWidget *parent) : Base(parent) { this->setFocusPolicy(Qt::StrongFocus); }

protected:
    void wheelEvent(QWheelEvent *event) override
    {
        if (this->hasFocus()) {
            Base::wheelEvent(event);
            return;
        }
        // Handed to the table's viewport, which scrolls (Qt does not pass synthesized wheel events on).
        event->ignore();
        for (QWidget *w = this->parentWidget(); w; w = w->parentWidget()) {
            if (auto *area = qobject_cast<QAbstractScrollArea *>(w)) {
                QCoreApplication::sendEvent(area->viewport(), event);
                return;
            }
        }
    }
};

// A spin box whose lowest value reads "(not set)": typing replaces that text instead of adding to it.
template <typename Spin> class ParameterSpin : public WheelGuard<Spin>
{
public:
    using WheelGuard<Spin>::WheelGuard;

protected:
    void keyPressEvent(QKeyEvent *event) override
    {
        const QString typed = event->text();
        if (!this->specialValueText().isEmpty() && this->value() == this->minimum() && !typed.isEmpty() &&
            typed.at(0).isPrint())
            this->selectAll();
        WheelGuard<Spin>::keyPressEvent(event);
    }
};

using ComboBox = WheelGuard<QComboBox>;
using SpinBox = ParameterSpin<QSpinBox>;
using DoubleSpinBox = ParameterSpin<QDoubleSpinBox>;

const ParameterModel *parameterModel(const QModelIndex &index)
{
    return qobject_cast<const ParameterModel *>(index.model());
}

// A spin box leaving "(not set)" by its arrows starts at the catalog's minimum (or 0), not at the
// sentinel's neighbour.
template <typename Spin, typename Value> bool leaveNotSet(Spin *spin, Value previous, double minimum)
{
    if (spin->specialValueText().isEmpty() || previous != spin->minimum())
        return false;
    if (spin->value() == spin->minimum() || spin->value() >= spin->minimum() + 1000)
        return false;
    const QSignalBlocker block(spin);
    spin->setValue(static_cast<Value>(minimum));
    return true;
}

// Shows `value` without touching what is being typed: a spin box rewrites its text on every setValue or
// setSpecialValueText, even to the same value ("0." would become "0.0000" under the cursor).
template <typename Spin, typename Value> void showInSpin(Spin *spin, bool unset, Value value)
{
    const QString special = unset ? ParameterDelegate::tr("(not set)") : QString();
    if (spin->specialValueText() != special)
        spin->setSpecialValueText(special);
    if (spin->value() != value)
        spin->setValue(value);
    spin->setProperty(kPrevious, spin->value());
}

} // namespace

ParameterDelegate::ParameterDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

void ParameterDelegate::edited(QWidget *editor) const
{
    editor->setProperty(kEdited, true);
    Q_EMIT const_cast<ParameterDelegate *>(this)->commitData(editor);
}

QWidget *ParameterDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                         const QModelIndex &index) const
{
    const ParameterModel *model = parameterModel(index);
    if (!model)
        return QStyledItemDelegate::createEditor(parent, option, index);
    const int row = index.row();
    if (index.column() == ParameterModel::NameColumn) {
        auto *name = new QLineEdit(parent);
        name->setObjectName(QStringLiteral("extraParameterName"));
        name->setPlaceholderText(tr("parameter name"));
        name->setAccessibleName(tr("Name of the extra parameter"));
        connect(name, &QLineEdit::textEdited, this, [this, name] { edited(name); });
        return name;
    }
    const bool extra = model->isExtra(row);
    const QString rowName = model->name(row);
    QWidget *editor = nullptr;
    switch (model->kind(row)) {
    case ParameterModel::Kind::Choice: {
        auto *combo = new ComboBox(parent);
        connect(combo, &QComboBox::activated, this, [this, combo] { edited(combo); });
        if (model->choiceTakesText(row)) {
            // One of the names, or a JSON object typed in (tool_choice: {"function": {...}}).
            combo->setEditable(true);
            combo->setInsertPolicy(QComboBox::NoInsert);
            connect(combo->lineEdit(), &QLineEdit::textEdited, this, [this, combo] { edited(combo); });
        }
        editor = combo;
        break;
    }
    case ParameterModel::Kind::Check: {
        auto *check = new QCheckBox(tr("on"), parent);
        connect(check, &QCheckBox::toggled, this, [this, check] { edited(check); });
        editor = check;
        break;
    }
    case ParameterModel::Kind::Integer: {
        auto *spin = new SpinBox(parent);
        // The spec's range is checked (red, with the reason), not clamped: a clamped value would hide
        // what the person typed.
        spin->setRange(std::numeric_limits<int>::min() + 1, std::numeric_limits<int>::max());
        spin->setAccelerated(true);
        const double minimum = model->spec(row).minimum ? std::ceil(*model->spec(row).minimum) : 0.0;
        connect(spin, &QSpinBox::valueChanged, this, [this, spin, minimum] {
            leaveNotSet(spin, spin->property(kPrevious).toInt(), minimum);
            spin->setProperty(kPrevious, spin->value());
            edited(spin);
        });
        editor = spin;
        break;
    }
    case ParameterModel::Kind::Number: {
        auto *spin = new DoubleSpinBox(parent);
        spin->setDecimals(4);
        spin->setRange(-1e12, 1e12);
        const auto &spec = model->spec(row);
        spin->setSingleStep(spec.maximum && *spec.maximum <= 2.0 ? 0.05 : 1.0);
        const double minimum = spec.minimum ? *spec.minimum : 0.0;
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, spin, minimum] {
            leaveNotSet(spin, spin->property(kPrevious).toDouble(), minimum);
            spin->setProperty(kPrevious, spin->value());
            edited(spin);
        });
        editor = spin;
        break;
    }
    case ParameterModel::Kind::Text:
    case ParameterModel::Kind::List:
    case ParameterModel::Kind::Json: {
        auto *line = new QLineEdit(parent);
        line->setClearButtonEnabled(true);
        connect(line, &QLineEdit::textEdited, this, [this, line] { edited(line); });
        editor = line;
        break;
    }
    }
    editor->setObjectName(QStringLiteral("param:") + (extra ? QStringLiteral("extra") : rowName));
    editor->setAccessibleName(extra ? tr("Value of the extra parameter") : tr("Value of %1").arg(rowName));
    return editor;
}

void ParameterDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    const ParameterModel *model = parameterModel(index);
    if (!model)
        return QStyledItemDelegate::setEditorData(editor, index);
    const int row = index.row();
    const QSignalBlocker block(editor);
    if (index.column() == ParameterModel::NameColumn) {
        auto *name = static_cast<QLineEdit *>(editor);
        if (name->text() != model->name(row))
            name->setText(model->name(row));
        styleEditor(editor, index);
        return;
    }
    const QJsonValue shown = model->shownValue(row);
    if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        const QSignalBlocker blockLine(combo->lineEdit());
        QStringList wanted;
        if (model->allowsUnset(row))
            wanted << QString();
        wanted << model->choices(row);
        const QString text = model->text(row);
        if (!text.isEmpty() && !wanted.contains(text) && !combo->isEditable())
            wanted << text; // a value from a preset or a flow the enum does not allow: shown, and marked
        QStringList present;
        for (int i = 0; i < combo->count(); ++i)
            present << combo->itemData(i).toString();
        if (present != wanted) {
            const QString typed = combo->currentText();
            combo->clear();
            for (const QString &value : std::as_const(wanted)) {
                combo->addItem(value.isEmpty() ? tr("(not set)") : value, value);
                if (value.startsWith(QLatin1Char('{')))
                    combo->setItemData(combo->count() - 1, tr("The model must call this function"),
                                       Qt::ToolTipRole);
            }
            if (combo->isEditable())
                combo->setEditText(typed);
        }
        const int at = combo->findData(text);
        if (at >= 0) {
            if (combo->currentIndex() != at ||
                (combo->isEditable() && combo->currentText() != combo->itemText(at)))
                combo->setCurrentIndex(at);
        } else if (combo->isEditable()) {
            if (combo->currentText() != text)
                combo->setEditText(text);
        } else {
            combo->setCurrentIndex(0);
        }
    } else if (auto *check = qobject_cast<QCheckBox *>(editor)) {
        check->setChecked(shown.toBool());
    } else if (auto *spin = qobject_cast<QSpinBox *>(editor)) {
        showInSpin(spin, model->allowsUnset(row), shown.isDouble() ? shown.toInt() : spin->minimum());
    } else if (auto *spin = qobject_cast<QDoubleSpinBox *>(editor)) {
        showInSpin(spin, model->allowsUnset(row), shown.isDouble() ? shown.toDouble() : spin->minimum());
    } else if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        if (line->text() != model->text(row))
            line->setText(model->text(row));
        line->setPlaceholderText(model->placeholder(row));
    }
    editor->setProperty(kEdited, false);
    styleEditor(editor, index);
}

void ParameterDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                     const QModelIndex &index) const
{
    const ParameterModel *parameters = parameterModel(index);
    if (!parameters)
        return QStyledItemDelegate::setModelData(editor, model, index);
    // Only what a person changed is written: focus passing through leaves a default a default.
    if (!editor->property(kEdited).toBool())
        return;
    editor->setProperty(kEdited, false);
    QVariant value;
    if (index.column() == ParameterModel::NameColumn) {
        value = static_cast<QLineEdit *>(editor)->text();
    } else if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        QString text = combo->currentText();
        const int at = combo->findText(text);
        if (at >= 0)
            text = combo->itemData(at).toString();
        else if (!combo->isEditable())
            text = combo->currentData().toString();
        value = text.isEmpty() && parameters->allowsUnset(index.row()) ? QVariant() : QVariant(text);
    } else if (auto *check = qobject_cast<QCheckBox *>(editor)) {
        value = check->isChecked();
    } else if (auto *spin = qobject_cast<QSpinBox *>(editor)) {
        if (spin->specialValueText().isEmpty() || spin->value() != spin->minimum())
            value = spin->value();
    } else if (auto *spin = qobject_cast<QDoubleSpinBox *>(editor)) {
        if (spin->specialValueText().isEmpty() || spin->value() != spin->minimum())
            value = spin->value();
    } else if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        value = line->text();
    }
    model->setData(index, value, Qt::EditRole);
}

void ParameterDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                                             const QModelIndex &index) const
{
    QRect rect = option.rect.adjusted(2, 1, -2, -1);
    if (qobject_cast<QCheckBox *>(editor)) // only its box and label take a click: no wider than those
        rect.setWidth(std::min(rect.width(), editor->sizeHint().width() + 4));
    editor->setGeometry(rect);
    Q_UNUSED(index);
}

QSize ParameterDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (index.column() == ParameterModel::NameColumn)
        size.rwidth() += 12;
    return size;
}

bool ParameterDelegate::eventFilter(QObject *object, QEvent *event)
{
    return QObject::eventFilter(object, event);
}

void ParameterDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.column() == ParameterModel::ValueColumn)
        option->text.clear(); // the open editor shows the value; nothing to peek out beside a check box
    if (index.data(ParameterModel::IsSetRole).toBool())
        option->font.setBold(true);
    if (!index.data(ParameterModel::ProblemRole).toString().isEmpty())
        option->backgroundBrush = blend(option->palette.color(QPalette::Base), QColor(220, 40, 40), 0.35);
}

void ParameterDelegate::styleEditor(QWidget *editor, const QModelIndex &index)
{
    const bool set = index.data(ParameterModel::IsSetRole).toBool();
    const QString problem = index.data(ParameterModel::ProblemRole).toString();
    const QPalette base = QApplication::palette(editor);
    QPalette p = base;
    if (!set) {
        // The default, greyed until changed.
        const QColor grey = base.color(QPalette::PlaceholderText);
        p.setColor(QPalette::Text, grey);
        p.setColor(QPalette::ButtonText, grey);
        p.setColor(QPalette::WindowText, grey);
    }
    if (!problem.isEmpty()) {
        const QColor red(220, 40, 40);
        p.setColor(QPalette::Base, blend(base.color(QPalette::Base), red, 0.35));
        p.setColor(QPalette::Button, blend(base.color(QPalette::Button), red, 0.35));
    }
    if (editor->palette() != p)
        editor->setPalette(p);
    editor->setToolTip(index.data(Qt::ToolTipRole).toString());
    const ParameterModel *model = parameterModel(index);
    editor->setAccessibleDescription(!problem.isEmpty() ? problem
                                     : model            ? model->spec(index.row()).description
                                                        : QString());
}

} // namespace idesk
