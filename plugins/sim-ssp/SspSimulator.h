#pragma once
// An SSP 1.0 system as a Simulator (plugins/sdk): every component FMU runs as co-simulation (or model
// exchange, when that is all it has) through the FMI backend's own FmiSimulator, and a fixed-step master
// couples them through the system's connections, with linear transformations and unit conversion.
//
// Config JSON: {"ssp": "/path/system.ssp" (or a folder holding SystemStructure.ssd), "algorithm":
// "jacobi" (default) | "gauss-seidel", "loops": "solve" (default) | "delay"}.
// Jacobi: every component gets its inputs from the outputs of the last communication point, then all step.
// Gauss-Seidel: components step one after another in the order of their connections, each taking the
// outputs its predecessors have just computed; a feedback cycle is cut where it is entered (one step's
// delay). Cycles are reported (describe(), "loops"); a cycle of components whose outputs all depend directly
// on their inputs is an algebraic loop: with "loops": "solve" its connections' values are solved for at
// every communication point (LoopSolver.h; before each step, with the inputs just set, and after it), so
// the loop adds no delay; with "delay", or when a member runs as model exchange, it keeps the delay.
//
// Variables: "Component.variable" for every numeric variable of every component (a component of a nested
// system is "Sub.Component"), and the root system's own connectors by name (inputs to set, outputs to read).
// Parameters set before initialize() override the package's parameter values.
#include "LoopSolver.h"
#include "SspDescription.h"

#include "FmiSimulator.h"
#include "FmuArchive.h"

#include "twin/sdk/Simulator.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace twin::ssp {

class SspSimulator final : public sdk::Simulator
{
public:
    SspSimulator();
    ~SspSimulator() override;

    sdk::SimCapability capabilities() const override;
    std::vector<sdk::ModelInfo> models(const std::string &jsonConfig) override;
    // The system with its structure in detailsJson: components, connections (with their conversion),
    // stepping order, loops, warnings.
    sdk::Status describe(const std::string &jsonConfig, sdk::ModelInfo &out) override;
    sdk::Status load(const std::string &modelId, const std::string &jsonConfig) override;
    sdk::Status setReal(const std::string &name, double value) override;
    sdk::Status initialize(double startTime) override;
    sdk::StepResult step(double dt, double &reached, std::string &message) override;
    sdk::Status getReal(const std::string &name, double &value) const override;
    void terminate() override;

    // One resolved connection: from (component index or -1 for the system) to (component index or -1).
    struct Link
    {
        int from = -1, to = -1;
        std::string fromName, toName; // variable (component) or connector (system) names
        double factor = 1, offset = 0;
        std::string conversion; // how the value is converted, for describe(): "", "x2 + 1", "km -> m"
        std::string via;        // the nested systems' connectors and dictionary entries it passes
    };

private:
    struct Component
    {
        std::string name;
        fmi::FmuDescription description;
        std::unique_ptr<fmi::FmiSimulator> fmu;
    };
    // Reads the package (unpacked or a folder), its components' descriptions, and resolves the links.
    sdk::Status open(const std::string &jsonConfig, bool instantiate);
    sdk::Status fail(std::string message);
    // The component a "Component.variable" name belongs to (its index), or -1.
    int componentOf(const std::string &name) const;
    bool source(const Link &link, double &value, std::string &error) const;
    bool feed(const Link &link, std::string &error);
    bool feedInputsOf(int component, std::string &error);
    // Every solved algebraic loop at the current communication point; `note` says which did not converge
    // (once per loop). False with `error` when a component refused a value.
    bool solveLoops(std::string &error, std::string &note);
    std::string detailsJson() const;

    SspSystem m_system;
    std::string m_label, m_root, m_algorithm = "jacobi";
    std::unique_ptr<fmi::FmuArchive> m_archive; // Owned; the unpacked package
    std::vector<Component> m_components;
    std::vector<Link> m_links;
    std::vector<int> m_order;                      // stepping order (Gauss-Seidel)
    std::vector<std::vector<std::string>> m_loops; // feedback cycles, component names
    std::vector<bool> m_algebraic;                 // per loop: every member has direct feedthrough
    struct AlgebraicLoop
    {
        std::vector<int> members;       // component indices
        std::vector<std::size_t> links; // into m_links: the connections inside the loop (the unknowns)
        std::string name;               // "A -> B -> A"
        std::size_t iterations = 0;     // Newton iterations so far
        bool warned = false;
    };
    std::vector<AlgebraicLoop> m_solvedLoops;
    std::vector<bool> m_loopSolved; // per loop in m_loops: solved at each communication point
    bool m_solveLoops = true;
    std::string m_loopNote;                       // from initialize(), reported with the first step
    std::map<std::string, double> m_systemInputs; // system input connectors
    bool m_running = false, m_failed = false, m_warned = false;
    std::string m_failure;
    double m_time = 0;
};

} // namespace twin::ssp
