#include "KeyboardShortcuts.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace idesk::KeyboardShortcuts {

namespace {

QString plain(QString text)
{
    text.remove(QLatin1Char('&'));
    text.remove(QStringLiteral("…"));
    return text.trimmed();
}

void collect(const QMenu *menu, const QString &path, QList<QPair<QString, QString>> *out)
{
    for (const QAction *a : menu->actions()) {
        if (a->isSeparator())
            continue;
        const QString name = path + QStringLiteral(" › ") + plain(a->text());
        if (a->menu()) {
            collect(a->menu(), name, out);
            continue;
        }
        QStringList keys;
        for (const QKeySequence &k : a->shortcuts())
            keys << k.toString(QKeySequence::NativeText);
        if (!keys.isEmpty())
            out->append({name, keys.join(QStringLiteral(", "))});
    }
}

} // namespace

QList<QPair<QString, QString>> list(const QMenuBar *bar)
{
    QList<QPair<QString, QString>> out;
    for (const QAction *a : bar->actions())
        if (a->menu())
            collect(a->menu(), plain(a->text()), &out);
    return out;
}

void show(QWidget *parent, const QMenuBar *bar)
{
    const auto rows = list(bar);
    auto *dialog = new QDialog(parent);
    dialog->setObjectName(QStringLiteral("keyboardShortcutsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QCoreApplication::translate("KeyboardShortcuts", "Keyboard shortcuts"));
    auto *table = new QTableWidget(int(rows.size()), 2, dialog);
    table->setHorizontalHeaderLabels({QCoreApplication::translate("KeyboardShortcuts", "Command"),
                                      QCoreApplication::translate("KeyboardShortcuts", "Keys")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    for (int i = 0; i < rows.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(rows.at(i).first));
        table->setItem(i, 1, new QTableWidgetItem(rows.at(i).second));
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog->resize(460, 420);
    dialog->open();
}

} // namespace idesk::KeyboardShortcuts
