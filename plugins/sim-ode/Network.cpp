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
} // namespace

bool Network::build(const std::string &jsonConfig, std::string &error)
{
    *this = Network();
    nlohmann::json doc;
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
    auto addVar = [&](const std::string &prefix, const VarDef &def, sdk::Causality c, Kind kind, int index) {
        m_vars.push_back({join(prefix, def.name), c, def.unit, def.start, def.description});
        m_varRefs.push_back({kind, index});
    };
    for (const auto &jc : doc["components"]) {
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
        m_components.push_back(c);
    }
    m_inputConnected.assign(m_u.size(), false);
    for (const auto &jc : doc.value("connections", nlohmann::json::array())) {
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
    // Components owning an output index / input index.
    auto ownerOf = [&](int index, bool output) {
        for (int i = int(m_components.size()) - 1; i >= 0; --i)
            if ((output ? m_components[i].y : m_components[i].u) <= index)
                return i;
        return 0;
    };
    auto isStateOnly = [&](int out) {
        const Component &c = m_components[ownerOf(out, true)];
        return c.type->outputs[out - c.y].stateOnly;
    };
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
    for (const auto &je : doc.value("events", nlohmann::json::array())) {
        Event e;
        e.name = je.value("name", "event" + std::to_string(m_events.size()));
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
        e.value = je.value("value", 0.0);
        double threshold = 0;
        if (je.contains("rises") && je["rises"].is_number()) {
            threshold = je["rises"].get<double>();
            e.direction = 1;
        } else if (je.contains("falls") && je["falls"].is_number()) {
            threshold = je["falls"].get<double>();
            e.direction = -1;
        } else {
            error = "event \"" + e.name + "\": needs a numeric \"rises\" or \"falls\"";
            return false;
        }
        e.param = int(m_p.size());
        m_p.push_back(threshold);
        m_vars.push_back({e.name + ".threshold", sdk::Causality::Parameter, "", threshold,
                          "level at which the event fires"});
        m_varRefs.push_back({Kind::Parameter, e.param});
        m_events.push_back(e);
    }
    const nlohmann::json params = doc.value("parameters", nlohmann::json::object());
    for (const auto &[name, value] : params.items())
        if (!value.is_number() || !set(name, value.get<double>(), error))
            return false;
    m_x = m_x0;
    m_dxScratch.assign(m_x0.size(), 0.0);
    return true;
}

std::vector<sdk::VariableInfo> Network::variables() const
{
    return m_vars;
}

bool Network::resolve(const std::string &name, Ref &ref) const
{
    for (std::size_t i = 0; i < m_vars.size(); ++i)
        if (m_vars[i].name == name) {
            ref = m_varRefs[i];
            return true;
        }
    return false;
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

OdeSystem Network::system()
{
    OdeSystem s;
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
