#include "PresetUndoCommand.h"

namespace idesk {

PresetUndoCommand::PresetUndoCommand(const QString &text, Step undoStep, Step redoStep)
    : QUndoCommand(text), m_undo(std::move(undoStep)), m_redo(std::move(redoStep))
{
}

void PresetUndoCommand::undo()
{
    if (!m_undo())
        setObsolete(true);
}

void PresetUndoCommand::redo()
{
    if (m_first) {
        m_first = false;
        return;
    }
    if (!m_redo())
        setObsolete(true);
}

} // namespace idesk
