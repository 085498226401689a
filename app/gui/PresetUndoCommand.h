#pragma once

#include <QUndoCommand>
#include <functional>

namespace idesk {

// One step of the presets panel's undo stack (delete, rename, duplicate): the operation was already
// done when the command is pushed, so the first redo() does nothing. An undo or redo that fails (the
// file system said no) makes the command obsolete, so that the stack drops it.
class PresetUndoCommand : public QUndoCommand
{
public:
    using Step = std::function<bool()>;

    PresetUndoCommand(const QString &text, Step undoStep, Step redoStep);

    void undo() override;
    void redo() override;

private:
    Step m_undo;
    Step m_redo;
    bool m_first = true;
};

} // namespace idesk
