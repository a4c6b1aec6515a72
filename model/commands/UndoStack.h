#pragma once
// The undo history of one project. Thin Qt adapters in ui/ forward its notifications.
#include "twin/model/commands/Command.h"

#include <functional>
#include <memory>
#include <vector>

namespace twin::model {

class UndoStack
{
public:
    explicit UndoStack(TwinGraph &graph) : m_graph(graph) {}

    // Runs the command and records it; merges with the previous one when both agree.
    Status push(std::unique_ptr<Command> command);
    // Compound edits: everything pushed between begin and end is one step. A failing
    // command inside rolls back what the macro did so far and ends it.
    void beginMacro(const std::string &text);
    Status endMacro();
    bool inMacro() const { return m_macro != nullptr; }
    // Prevents the next push from merging into the last command (end of a drag).
    void seal() { m_sealed = true; }

    bool canUndo() const { return m_index > 0 && !m_macro; }
    bool canRedo() const { return m_index < int(m_commands.size()) && !m_macro; }
    std::string undoText() const;
    std::string redoText() const;
    bool undo();
    bool redo();
    int index() const { return m_index; }
    int count() const { return int(m_commands.size()); }
    void clear();

    bool isClean() const { return m_index == m_cleanIndex; }
    void setClean() { m_cleanIndex = m_index; }

    // Selection to show after the last undo/redo.
    const Selection &restoredSelection() const { return m_restoredSelection; }

    std::function<void()> onChanged; // index, clean state or texts changed
    // A step was recorded ("edit": pushed, not merged into the last; a macro when it ends), undone ("undo")
    // or redone ("redo"), with its text: what an audit trail keeps.
    std::function<void(const std::string &action, const std::string &text)> onRecorded;

private:
    void changed();

    TwinGraph &m_graph;
    std::vector<std::unique_ptr<Command>> m_commands; // Owned.
    std::unique_ptr<MacroCommand> m_macro;            // Owned, open macro.
    int m_macroDepth = 0;
    int m_index = 0;
    int m_cleanIndex = 0;
    bool m_sealed = false;
    Selection m_restoredSelection;
};

} // namespace twin::model
