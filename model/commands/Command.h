#pragma once
// Undoable edits of a twin graph. Every change a user makes goes through a Command.
#include "twin/model/graph/TwinGraph.h"
#include "twin/util/Result.h"

#include <memory>
#include <string>
#include <vector>

namespace twin::model {

using Selection = std::vector<AssetId>;

class Command
{
public:
    virtual ~Command() = default;
    virtual std::string text() const = 0;
    // Applies the edit. A failing redo must leave the graph unchanged.
    virtual Status redo(TwinGraph &graph) = 0;
    virtual void undo(TwinGraph &graph) = 0;
    // Consecutive commands with the same non-negative mergeId may merge (drags, slider moves).
    virtual int mergeId() const { return -1; }
    virtual bool mergeWith(const Command & /*next*/) { return false; }

    Selection selectionBefore; // restored after undo
    Selection selectionAfter;  // restored after redo
};

struct Project;

// A command that edits the project beyond its graph (rules, meta). It keeps the project it was made for;
// the project's undo stack owns it and is discarded with the project, so the reference never dangles.
class ProjectCommand : public Command
{
public:
    explicit ProjectCommand(Project &project) : m_project(project) {}

protected:
    Project &m_project; // Not owned.
};

// Several commands as one undo step.
class MacroCommand final : public Command
{
public:
    explicit MacroCommand(std::string text) : m_text(std::move(text)) {}
    std::string text() const override { return m_text; }
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;
    Status add(std::unique_ptr<Command> command, TwinGraph &graph); // runs it now
    bool empty() const { return m_children.empty(); }
    void rollback(TwinGraph &graph) { undo(graph); }

private:
    std::string m_text;
    std::vector<std::unique_ptr<Command>> m_children; // Owned.
};

} // namespace twin::model
