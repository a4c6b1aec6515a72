#include "twin/model/commands/UndoStack.h"

namespace twin::model {

Status MacroCommand::redo(TwinGraph &graph)
{
    for (size_t i = 0; i < m_children.size(); ++i) {
        auto status = m_children[i]->redo(graph);
        if (!status) {
            for (size_t j = i; j-- > 0;)
                m_children[j]->undo(graph);
            return status;
        }
    }
    return okStatus();
}

void MacroCommand::undo(TwinGraph &graph)
{
    for (auto it = m_children.rbegin(); it != m_children.rend(); ++it)
        (*it)->undo(graph);
}

Status MacroCommand::add(std::unique_ptr<Command> command, TwinGraph &graph)
{
    auto status = command->redo(graph);
    if (!status)
        return status;
    if (m_children.empty())
        selectionBefore = command->selectionBefore;
    selectionAfter = command->selectionAfter;
    m_children.push_back(std::move(command));
    return okStatus();
}

Status UndoStack::push(std::unique_ptr<Command> command)
{
    if (m_macro) {
        auto status = m_macro->add(std::move(command), m_graph);
        if (!status) {
            m_macro->rollback(m_graph);
            m_macro.reset();
            m_macroDepth = 0;
            changed();
        }
        return status;
    }
    auto status = command->redo(m_graph);
    if (!status)
        return status;
    m_commands.resize(m_index); // drop the redo tail
    if (m_cleanIndex > m_index)
        m_cleanIndex = -1;
    Command *last = m_commands.empty() ? nullptr : m_commands.back().get();
    if (!m_sealed && last && m_index != m_cleanIndex && command->mergeId() >= 0 &&
        command->mergeId() == last->mergeId() && last->mergeWith(*command)) {
        last->selectionAfter = command->selectionAfter;
    } else {
        const std::string text = command->text();
        m_commands.push_back(std::move(command));
        m_index = int(m_commands.size());
        if (onRecorded)
            onRecorded("edit", text);
    }
    m_sealed = false;
    changed();
    return okStatus();
}

void UndoStack::beginMacro(const std::string &text)
{
    if (m_macroDepth++ == 0)
        m_macro = std::make_unique<MacroCommand>(text);
}

Status UndoStack::endMacro()
{
    if (m_macroDepth == 0)
        return Error{"endMacro without beginMacro"};
    if (--m_macroDepth > 0)
        return okStatus();
    auto macro = std::move(m_macro);
    if (!macro || macro->empty())
        return okStatus();
    m_commands.resize(m_index);
    if (m_cleanIndex > m_index)
        m_cleanIndex = -1;
    const std::string text = macro->text();
    m_commands.push_back(std::move(macro));
    m_index = int(m_commands.size());
    m_sealed = true;
    if (onRecorded)
        onRecorded("edit", text);
    changed();
    return okStatus();
}

std::string UndoStack::undoText() const
{
    return canUndo() ? m_commands[m_index - 1]->text() : std::string();
}

std::string UndoStack::redoText() const
{
    return canRedo() ? m_commands[m_index]->text() : std::string();
}

bool UndoStack::undo()
{
    if (!canUndo())
        return false;
    Command &command = *m_commands[--m_index];
    command.undo(m_graph);
    m_restoredSelection = command.selectionBefore;
    m_sealed = true;
    if (onRecorded)
        onRecorded("undo", command.text());
    changed();
    return true;
}

bool UndoStack::redo()
{
    if (!canRedo())
        return false;
    Command &command = *m_commands[m_index];
    if (!command.redo(m_graph))
        return false;
    ++m_index;
    m_restoredSelection = command.selectionAfter;
    m_sealed = true;
    if (onRecorded)
        onRecorded("redo", command.text());
    changed();
    return true;
}

void UndoStack::clear()
{
    m_commands.clear();
    m_macro.reset();
    m_macroDepth = 0;
    m_index = 0;
    m_cleanIndex = 0;
    changed();
}

void UndoStack::changed()
{
    if (onChanged)
        onChanged();
}

} // namespace twin::model
