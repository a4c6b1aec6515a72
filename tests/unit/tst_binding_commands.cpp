// Undoable simulation-binding edits (SetBindingCommand): undo/redo restores the exact stored JSON (even text
// the binding writer would not produce), removal and re-adding, a binding for a type that had none, and the
// command's type id winning over the binding's.
#include "twin/model/commands/BindingCommands.h"
#include "twin/model/commands/UndoStack.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/Project.h"

#include <QtTest>

using namespace twin::model;
using scenario::SimulationBinding;
using scenario::VariableBinding;

namespace {
const std::string kPump = "dtmi:twinworks:demo:Pump;1";
const std::string kTank = "dtmi:twinworks:demo:Tank;1";

std::optional<std::string> stored(const Project &p, const std::string &typeId)
{
    auto it = p.meta.find(SetBindingCommand::metaKey(typeId));
    return it == p.meta.end() ? std::nullopt : std::optional<std::string>(it->second);
}

SimulationBinding tankBinding()
{
    return {"ignored",
            "twin.sim-ode",
            "tank",
            "{}",
            {{"tank.level", "level", VariableBinding::Direction::Out, "metre"}}};
}
} // namespace

class TestBindingCommands : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_project = std::make_unique<Project>();
        QVERIFY(buildDemoTwin(*m_project).ok());
        m_stack = std::make_unique<UndoStack>(m_project->graph);
    }
    void metaKeyMatchesBindingStorage()
    {
        QVERIFY(stored(*m_project, kPump));
        QVERIFY(scenario::findBinding(*m_project, kPump));
    }
    void replaceUndoRedoRestoresExactJson()
    {
        // Text with odd spacing: undo must give it back byte for byte, not a re-serialised copy.
        auto odd = scenario::bindingToJson(*scenario::findBinding(*m_project, kPump));
        odd.insert(1, "  ");
        m_project->meta[SetBindingCommand::metaKey(kPump)] = odd;
        auto edited = *scenario::findBinding(*m_project, kPump);
        edited.variables[0].twin = "ratedHead";
        QVERIFY(m_stack->push(std::make_unique<SetBindingCommand>(*m_project, kPump, edited)).ok());
        QCOMPARE(scenario::findBinding(*m_project, kPump)->variables[0].twin, std::string("ratedHead"));
        QVERIFY(m_stack->undo());
        QCOMPARE(*stored(*m_project, kPump), odd);
        QVERIFY(m_stack->redo());
        QCOMPARE(*scenario::findBinding(*m_project, kPump), edited);
        QCOMPARE(m_stack->count(), 1);
    }
    void removeAndUndo()
    {
        const auto before = stored(*m_project, kPump);
        QVERIFY(m_stack->push(std::make_unique<SetBindingCommand>(*m_project, kPump, std::nullopt)).ok());
        QVERIFY(!stored(*m_project, kPump));
        QVERIFY(m_stack->undo());
        QCOMPARE(stored(*m_project, kPump), before);
        QVERIFY(m_stack->redo());
        QVERIFY(!stored(*m_project, kPump));
    }
    void newBindingTakesTheCommandsType()
    {
        QVERIFY(!stored(*m_project, kTank));
        QVERIFY(m_stack->push(std::make_unique<SetBindingCommand>(*m_project, kTank, tankBinding())).ok());
        const auto b = scenario::findBinding(*m_project, kTank);
        QVERIFY(b);
        QCOMPARE(b->typeId, kTank);
        QCOMPARE(b->modelId, std::string("tank"));
        QVERIFY(QString::fromStdString(m_stack->undoText()).contains("Edit simulation binding"));
        QVERIFY(m_stack->undo());
        QVERIFY(!stored(*m_project, kTank));
    }
    void removingAbsentBindingIsHarmless()
    {
        QVERIFY(m_stack->push(std::make_unique<SetBindingCommand>(*m_project, kTank, std::nullopt)).ok());
        QVERIFY(!stored(*m_project, kTank));
        QVERIFY(m_stack->undo());
        QVERIFY(!stored(*m_project, kTank));
    }
    void emptyTypeIsRefused()
    {
        const auto meta = m_project->meta;
        QVERIFY(!m_stack->push(std::make_unique<SetBindingCommand>(*m_project, "", tankBinding())).ok());
        QCOMPARE(m_project->meta, meta);
        QCOMPARE(m_stack->count(), 0);
    }

private:
    std::unique_ptr<Project> m_project;
    std::unique_ptr<UndoStack> m_stack;
};

QTEST_GUILESS_MAIN(TestBindingCommands)
#include "tst_binding_commands.moc"
