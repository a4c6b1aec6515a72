#pragma once
// Asset model library and composition for sim-ode. A Network is a graph of components (pump, motor, tank,
// valve, pipe, thermalNode) whose inputs are connected to other components' outputs, plus level events
// ("when tank.level rises through 2.5, set valve.command = 0"). It builds one OdeSystem over all states.
//
// Config JSON (what the host composes from the twin's relationships, e.g. a pump that `feeds` a tank):
//   {"components": [{"name": "p1", "type": "pump", "parameters": {"H0": 40}}, ...],
//    "connections": [{"from": "p1.Q", "to": "t1.Qin"}, ...],
//    "events": [{"name": "close", "when": "t1.level", "rises": 2.5, "set": "v1.command", "value": 0}]}
// "falls" instead of "rises" for falling crossings. Variable names are "component.variable"; a network of one
// component named "" has unprefixed names. Event thresholds are parameters named "<event>.threshold".
//
// Threads: one thread at a time.
#include "twin/ode/OdeSolver.h"

#include "twin/sdk/Simulator.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace twin::simode {

struct VarDef
{
    std::string name, unit;
    double start = 0;
    std::string description;
    bool stateOnly = false; // outputs: depends on states and parameters only (no direct feedthrough)
};

struct ComponentType
{
    std::string id, description;
    std::vector<VarDef> parameters, inputs, outputs, states;
    // Computes outputs y and state derivatives dx from parameters p, inputs u and states x.
    void (*eval)(const double *p, const double *u, const double *x, double *y, double *dx) = nullptr;
};

const std::vector<ComponentType> &componentTypes();
const ComponentType *findComponentType(const std::string &id);
// Built-in composed model: pump (+ motor) feeds a tank through a valve; the tank drains; the valve closes
// when the level rises to a setpoint and reopens when it falls to a lower one.
const char *pumpStationConfig();

class Network
{
public:
    // Builds from the config JSON; false with `error` set on unknown types/variables or algebraic loops.
    bool build(const std::string &jsonConfig, std::string &error);
    std::vector<sdk::VariableInfo> variables() const;

    // Parameters and unconnected inputs can be set; states only before initialization (as start values).
    bool set(const std::string &name, double value, std::string &error);
    // Any variable; call evaluate() first so outputs match the current state.
    bool get(const std::string &name, double &value) const;

    ode::OdeSystem system(); // captures `this`: the Network must outlive solvers using it
    const std::vector<double> &initialState() const { return m_x0; }
    // Evaluates all outputs at (t, x) and stores x as the current state for get().
    void evaluate(double t, const double *x);
    // What a saved state needs beyond the solver's: parameters, inputs (events set some) and states.
    std::vector<double> values() const;
    // Puts back what values() gave for the same network; false when the sizes do not match.
    bool setValues(const std::vector<double> &values);
    int eventsFired() const { return m_eventsFired; }

private:
    struct Component
    {
        std::string name;
        const ComponentType *type = nullptr;
        int p = 0, u = 0, y = 0, x = 0; // offsets into the flat arrays
    };
    struct Connection
    {
        int from = 0, to = 0; // output index -> input index
    };
    struct Event
    {
        std::string name;
        char kind = 'y'; // which array `index` points into: y (output), x (state), u (input)
        int index = 0, direction = 1, param = 0, setInput = 0;
        double value = 0;
    };
    enum class Kind
    {
        Parameter,
        Input,
        Output,
        State
    };
    struct Ref
    {
        Kind kind;
        int index;
    };
    // A value of the config JSON, defined in Network.cpp so that nlohmann/json stays out of this header.
    struct JsonValue;

    // The steps of build(), in the order it runs them.
    bool addComponent(const JsonValue &config, std::string &error);
    void addComponentVariables(const Component &c);
    void addVar(const std::string &prefix, const VarDef &def, sdk::Causality causality, Kind kind, int index);
    void addVariable(sdk::VariableInfo info, Ref ref);
    bool addConnections(const JsonValue &connections, std::string &error);
    bool orderComponents(std::string &error);
    bool addEvent(const JsonValue &config, std::string &error);
    bool resolveEventTargets(const JsonValue &config, Event &e, std::string &error) const;
    bool applyParameters(const JsonValue &parameters, std::string &error);
    int ownerOf(int index, bool output) const; // component owning an output index / input index
    bool isStateOnly(int output) const;

    bool resolve(const std::string &name, Ref &ref) const;
    void rhs(double t, const double *x, double *dx);
    double eventValue(const Event &e) const;

    std::vector<Component> m_components;
    std::vector<int> m_order,
        m_prepass; // component evaluation order; components with connected stateOnly outputs
    std::vector<Connection> m_connections;
    std::vector<Event> m_events;
    std::vector<double> m_p, m_u, m_y, m_x0, m_x, m_dxScratch;
    std::vector<bool> m_inputConnected;
    std::vector<sdk::VariableInfo> m_vars;
    std::vector<Ref> m_varRefs;
    std::unordered_map<std::string, std::size_t> m_varIndex; // name -> index in m_vars
    int m_eventsFired = 0;
};

} // namespace twin::simode
