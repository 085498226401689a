#pragma once

#include "BatchInput.h"

#include <QObject>
#include <QPointer>
#include <functional>

class QAction;
class QWidget;
class QMenu;

namespace idesk {

class BatchDialog;
class CompareDialog;
class MainWindow;

// The main window's ways into a batch or a comparison: Request > "Batch…" opens the batch window with the
// current request as the template, several files or a folder dropped on the input editor offer a batch ("Run
// a batch of N inputs?"; one drop of a single file stays the editor's; on a text task's text box the lines of
// text, CSV and JSONL files are the inputs), and Request > "Compare with…" sends
// the current request to several models side by side (CompareDialog).
class BatchLauncher : public QObject
{
    Q_OBJECT
public:
    using TokenProvider = std::function<QString()>;
    BatchLauncher(MainWindow *window, QMenu *requestMenu, TokenProvider token);

    QAction *action() const { return m_action; }
    // Opens a batch window for the window's current request (with `inputs` when given).
    BatchDialog *open(const QList<BatchInput> &inputs = {}, const QString &source = QString());
    CompareDialog *openCompare();
    // Asked before a dropped batch runs; tests replace it (default: a question box).
    std::function<bool(int count)> confirm;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QList<BatchInput> linesOf(const QList<BatchInput> &files) const;

    MainWindow *m_window = nullptr;
    QPointer<QWidget> m_textBox; // the text task's text box (its viewport)
    TokenProvider m_token;
    QAction *m_action = nullptr;
};

} // namespace idesk
