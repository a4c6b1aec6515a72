// Composition: flat parameter/input/output/state arrays, connections resolved to indices, evaluation order
// from a topological sort over direct-feedthrough connections, level events.
#include "Network.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace twin::simode {

namespace {
std::string join(const std::string &prefix, const std::string &name)
{
    return prefix.empty() ? name : prefix + "." + name;
}

// Parses the config; it must be an object with a non-empty "components" array.
bool parseConfig(const std::string &jsonConfig, nlohmann::json &doc, std::string &error)
{
    try {
        doc = nlohmann::json::parse(jsonConfig);
    } catch (const nlohmann::json::exception &e) {
        error = std::string("malformed config JSON: ") + e.what();
        return false;
    }
    if (!doc.is_object() || !doc.contains("components") || !doc["components"].is_array() ||
        doc["components"].empty()) {
        error = "config needs a non-empty \"components\" array";
        return false;
    }
    return true;
}

// The level of an event and the direction of the crossing, from its "rises" or "falls" member.
bool readThreshold(const nlohmann::json &je, const std::string &eventName, double &threshold, int &direction,
                   std::string &error)
{
    if (je.contains("rises") && je["rises"].is_number()) {
        threshold = je["rises"].get<double>();
        direction = 1;
    } else if (je.contains("falls") && je["falls"].is_number()) {
        threshold = je["falls"].get<double>();
        direction = -1;
    } else {
        error = "event \"" + eventName + "\": needs a numeric \"rises\" or \"falls\"";
        return false;
    }
    return true;
}
} // namespace

struct Network::JsonValue
{
    const nlohmann::json &value;
};

bool Network::build(const std::string &jsonConfig, std::string &error)
{
    *this = Network();
    nlohmann::json doc;
    if (!parseConfig(jsonConfig, doc, error))
        return false;
    for (const auto &jc : doc["components"])
        if (!addComponent({jc}, error))
            return false;
    if (!addConnections({doc.value("connections", nlohmann::json::array())}, error) ||
        !orderComponents(error))
        return false;
    for (const auto &je : doc.value("events", nlohmann::json::array()))
        if (!addEvent({je}, error))
            return false;
    if (!applyParameters({doc.value("parameters", nlohmann::json::object())}, error))
        return false;
    m_x = m_x0;
    m_dxScratch.assign(m_x0.size(), 0.0);
    return true;
}

// One entry of "components": its variables get flat indices after those of the components before it.
bool Network::addComponent(const JsonValue &config, std::string &error)
{
    const nlohmann::json &jc = config.value;
    Component c;
    c.name = jc.value("name", std::string());
    const std::string typeId = jc.value("type", std::string());
    c.type = findComponentType(typeId);
    if (!c.type) {
        error = "component \"" + c.name + "\": unknown type \"" + typeId + "\"";
        return false;
    }
    for (const auto &other : m_components)
        if (other.name == c.name) {
            error = "duplicate component name \"" + c.name + "\"";
            return false;
        }
    c.p = int(m_p.size());
    c.u = int(m_u.size());
    c.y = int(m_y.size());
    c.x = int(m_x0.size());
    addComponentVariables(c);
    m_components.push_back(c);
    return true;
}

// Appends the component's parameters, inputs, outputs and states (as "<state>.state") to the flat arrays.
void Network::addComponentVariables(const Component &c)
{
    for (const auto &d : c.type->parameters) {
        addVar(c.name, d, sdk::Causality::Parameter, Kind::Parameter, int(m_p.size()));
        m_p.push_back(d.start);
    }
    for (const auto &d : c.type->inputs) {
        addVar(c.name, d, sdk::Causality::Input, Kind::Input, int(m_u.size()));
        m_u.push_back(d.start);
    }
    for (const auto &d : c.type->outputs) {
        addVar(c.name, d, sdk::Causality::Output, Kind::Output, int(m_y.size()));
        m_y.push_back(d.start);
    }
    for (const auto &d : c.type->states) {
        VarDef s = d;
        s.name += ".state";
        addVar(c.name, s, sdk::Causality::Local, Kind::State, int(m_x0.size()));
        m_x0.push_back(d.start);
    }
}

void Network::addVar(const std::string &prefix, const VarDef &def, sdk::Causality causality, Kind kind,
                     int index)
{
    addVariable({join(prefix, def.name), causality, def.unit, def.start, def.description}, {kind, index});
}

void Network::addVariable(sdk::VariableInfo info, Ref ref)
{
    m_varIndex.emplace(info.name, m_vars.size()); // the first of a name wins, as for a search in order
    m_vars.push_back(std::move(info));
    m_varRefs.push_back(ref);
}

// Each connection links an output to an input; an input takes at most one connection.
bool Network::addConnections(const JsonValue &connections, std::string &error)
{
    m_inputConnected.assign(m_u.size(), false);
    for (const auto &jc : connections.value) {
        Ref from{}, to{};
        const std::string a = jc.value("from", std::string()), b = jc.value("to", std::string());
        if (!resolve(a, from) || from.kind != Kind::Output || !resolve(b, to) || to.kind != Kind::Input) {
            error = "connection \"" + a + "\" -> \"" + b + "\": needs an output and an input";
            return false;
        }
        if (m_inputConnected[to.index]) {
            error = "input \"" + b + "\" is connected twice";
            return false;
        }
        m_inputConnected[to.index] = true;
        m_connections.push_back({from.index, to.index});
    }
    return true;
}

int Network::ownerOf(int index, bool output) const
{
    for (int i = int(m_components.size()) - 1; i >= 0; --i)
        if ((output ? m_components[i].y : m_components[i].u) <= index)
            return i;
    return 0;
}

bool Network::isStateOnly(int output) const
{
    const Component &c = m_components[ownerOf(output, true)];
    return c.type->outputs[output - c.y].stateOnly;
}

// Fills m_order and m_prepass: components whose connected outputs are stateOnly are evaluated in a prepass.
bool Network::orderComponents(std::string &error)
{
    // Kahn's sort over feedthrough edges; a cycle there is an algebraic loop.
    const int n = int(m_components.size());
    std::vector<std::vector<int>> next(n);
    std::vector<int> indegree(n, 0);
    std::vector<bool> prepass(n, false);
    for (const auto &con : m_connections) {
        const int a = ownerOf(con.from, true), b = ownerOf(con.to, false);
        if (isStateOnly(con.from)) {
            prepass[a] = true;
        } else {
            next[a].push_back(b);
            ++indegree[b];
        }
    }
    for (int i = 0; i < n; ++i)
        if (indegree[i] == 0)
            m_order.push_back(i);
    for (std::size_t k = 0; k < m_order.size(); ++k)
        for (int b : next[m_order[k]])
            if (--indegree[b] == 0)
                m_order.push_back(b);
    if (int(m_order.size()) != n) {
        error = "algebraic loop: connections between direct-feedthrough outputs form a cycle";
        return false;
    }
    for (int i = 0; i < n; ++i)
        if (prepass[i])
            m_prepass.push_back(i);
    return true;
}

// One entry of "events"; its threshold becomes the parameter "<event>.threshold".
bool Network::addEvent(const JsonValue &config, std::string &error)
{
    const nlohmann::json &je = config.value;
    Event e;
    e.name = je.value("name", "event" + std::to_string(m_events.size()));
    if (!resolveEventTargets(config, e, error))
        return false;
    e.value = je.value("value", 0.0);
    double threshold = 0;
    if (!readThreshold(je, e.name, threshold, e.direction, error))
        return false;
    e.param = int(m_p.size());
    m_p.push_back(threshold);
    addVariable(
        {e.name + ".threshold", sdk::Causality::Parameter, "", threshold, "level at which the event fires"},
        {Kind::Parameter, e.param});
    m_events.push_back(e);
    return true;
}

// The variable an event watches ("when") and the unconnected input it sets ("set").
bool Network::resolveEventTargets(const JsonValue &config, Event &e, std::string &error) const
{
    const nlohmann::json &je = config.value;
    Ref when{}, set{};
    const std::string w = je.value("when", std::string()), s = je.value("set", std::string());
    if (!resolve(w, when) || when.kind == Kind::Parameter) {
        error = "event \"" + e.name + "\": \"when\" must name an output, state or input";
        return false;
    }
    if (!resolve(s, set) || set.kind != Kind::Input || m_inputConnected[set.index]) {
        error = "event \"" + e.name + "\": \"set\" must name an unconnected input";
        return false;
    }
    e.kind = when.kind == Kind::Output ? 'y' : when.kind == Kind::State ? 'x' : 'u';
    e.index = when.index;
    e.setInput = set.index;
    return true;
}

// The "parameters" object: values for parameters, unconnected inputs and states (start values). A value that
// is not a number fails without a message.
bool Network::applyParameters(const JsonValue &parameters, std::string &error)
{
    for (const auto &[name, value] : parameters.value.items())
        if (!value.is_number() || !set(name, value.get<double>(), error))
            return false;
    return true;
}

std::vector<sdk::VariableInfo> Network::variables() const
{
    return m_vars;
}

bool Network::resolve(const std::string &name, Ref &ref) const
{
    // A hash lookup: runs set inputs and read outputs by name at every step.
    const auto found = m_varIndex.find(name);
    if (found == m_varIndex.end())
        return false;
    ref = m_varRefs[found->second];
    return true;
}

bool Network::set(const std::string &name, double value, std::string &error)
{
    Ref ref{};
    if (!resolve(name, ref)) {
        error = "no variable \"" + name + "\"";
        return false;
    }
    switch (ref.kind) {
    case Kind::Parameter:
        m_p[ref.index] = value;
        return true;
    case Kind::Input:
        if (m_inputConnected[ref.index]) {
            error = "input \"" + name + "\" is connected and cannot be set";
            return false;
        }
        m_u[ref.index] = value;
        return true;
    case Kind::State:
        m_x0[ref.index] = value;
        m_x[ref.index] = value;
        return true;
    case Kind::Output: // an output mirroring a state (tank.level): set the state's start value
        if (resolve(name + ".state", ref))
            return set(name + ".state", value, error);
        break;
    }
    error = "\"" + name + "\" is an output";
    return false;
}

bool Network::get(const std::string &name, double &value) const
{
    Ref ref{};
    if (!resolve(name, ref))
        return false;
    const std::vector<double> *arrays[] = {&m_p, &m_u, &m_y, &m_x};
    value = (*arrays[int(ref.kind)])[ref.index];
    return true;
}

void Network::rhs(double, const double *x, double *dx)
{
    for (int i : m_prepass) {
        const Component &c = m_components[i];
        c.type->eval(&m_p[c.p], &m_u[c.u], x + c.x, &m_y[c.y], dx + c.x);
    }
    for (int i : m_order) {
        const Component &c = m_components[i];
        for (const auto &con : m_connections)
            if (con.to >= c.u && con.to < c.u + int(c.type->inputs.size()))
                m_u[con.to] = m_y[con.from];
        c.type->eval(&m_p[c.p], &m_u[c.u], x + c.x, &m_y[c.y], dx + c.x);
    }
}

void Network::evaluate(double t, const double *x)
{
    if (!m_x.empty())
        std::copy(x, x + m_x.size(), m_x.begin());
    rhs(t, m_x.data(), m_dxScratch.data());
}

double Network::eventValue(const Event &e) const
{
    return e.kind == 'y' ? m_y[e.index] : e.kind == 'x' ? m_x[e.index] : m_u[e.index];
}

std::vector<double> Network::values() const
{
    std::vector<double> v;
    v.reserve(m_p.size() + m_u.size() + m_x.size());
    v.insert(v.end(), m_p.begin(), m_p.end());
    v.insert(v.end(), m_u.begin(), m_u.end());
    v.insert(v.end(), m_x.begin(), m_x.end());
    return v;
}

bool Network::setValues(const std::vector<double> &v)
{
    if (v.size() != m_p.size() + m_u.size() + m_x.size())
        return false;
    auto at = v.begin();
    std::copy(at, at + std::ptrdiff_t(m_p.size()), m_p.begin());
    at += std::ptrdiff_t(m_p.size());
    std::copy(at, at + std::ptrdiff_t(m_u.size()), m_u.begin());
    at += std::ptrdiff_t(m_u.size());
    std::copy(at, v.end(), m_x.begin());
    return true;
}

ode::OdeSystem Network::system()
{
    ode::OdeSystem s;
    s.size = int(m_x0.size());
    s.rhs = [this](double t, const double *x, double *dx) { rhs(t, x, dx); };
    s.eventCount = int(m_events.size());
    for (const auto &e : m_events)
        s.eventDirection.push_back(e.direction);
    s.events = [this](double t, const double *x, double *g) {
        evaluate(t, x);
        for (std::size_t i = 0; i < m_events.size(); ++i)
            g[i] = eventValue(m_events[i]) - m_p[m_events[i].param];
    };
    s.onEvent = [this](int i, double, double *) {
        m_u[m_events[i].setInput] = m_events[i].value;
        ++m_eventsFired;
        return false;
    };
    return s;
}

} // namespace twin::simode
