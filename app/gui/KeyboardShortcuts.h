#pragma once

#include <QList>
#include <QPair>
#include <QString>

class QMenuBar;
class QWidget;

namespace idesk {

// Help > Keyboard shortcuts: every menu command that has a shortcut, read from the menu bar itself so the
// list cannot drift from what the keys do.
namespace KeyboardShortcuts {

// (menu path without accelerators, e.g. "Request › Send"; the shortcuts as the platform writes them)
QList<QPair<QString, QString>> list(const QMenuBar *bar);
// The list in a window-modal dialog (objectName "keyboardShortcutsDialog").
void show(QWidget *parent, const QMenuBar *bar);

} // namespace KeyboardShortcuts

} // namespace idesk
