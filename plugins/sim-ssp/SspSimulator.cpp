#include "SspSimulator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace twin::ssp {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Config
{
    std::string ssp, algorithm = "jacobi", loops = "solve", error;
};

Config readConfig(const std::string &text)
{
    Config c;
    const json doc = json::parse(text.empty() ? "{}" : text, nullptr, false);
    if (!doc.is_object()) {
        c.error = "SSP config is not a JSON object";
        return c;
    }
    c.ssp = doc.value("ssp", std::string());
    c.algorithm = doc.value("algorithm", std::string("jacobi"));
    c.loops = doc.value("loops", std::string("solve"));
    if (c.ssp.empty())
        c.error = "SSP config lacks \"ssp\" (the path of the .ssp file)";
    else if (c.algorithm != "jacobi" && c.algorithm != "gauss-seidel")
        c.error = "SSP config: \"algorithm\" is \"" + c.algorithm + "\"; use \"jacobi\" or \"gauss-seidel\"";
    else if (c.loops != "solve" && c.loops != "delay")
        c.error = "SSP config: \"loops\" is \"" + c.loops + "\"; use \"solve\" or \"delay\"";
    return c;
}

std::optional<std::string> readText(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string number(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

struct UnitDef
{
    std::array<int, 8> exponents{};
    double factor = 1, offset = 0;
};

// The strongly connected components of a directed graph over 0..n-1 (Tarjan), in topological order of the
// condensation; each component's members ascending.
std::vector<std::vector<int>> stronglyConnected(int n, const std::vector<std::pair<int, int>> &edges)
{
    std::vector<std::vector<int>> next(static_cast<std::size_t>(n));
    for (const auto &[from, to] : edges)
        next[std::size_t(from)].push_back(to);
    std::vector<int> index(static_cast<std::size_t>(n), -1), low(static_cast<std::size_t>(n), 0), stack;
    std::vector<bool> onStack(static_cast<std::size_t>(n), false);
    std::vector<std::vector<int>> components; // found in reverse topological order
    int counter = 0;
    std::function<void(int)> visit = [&](int v) {
        index[std::size_t(v)] = low[std::size_t(v)] = counter++;
        stack.push_back(v);
        onStack[std::size_t(v)] = true;
        for (int w : next[std::size_t(v)]) {
            if (index[std::size_t(w)] < 0) {
                visit(w);
                low[std::size_t(v)] = std::min(low[std::size_t(v)], low[std::size_t(w)]);
            } else if (onStack[std::size_t(w)]) {
                low[std::size_t(v)] = std::min(low[std::size_t(v)], index[std::size_t(w)]);
            }
        }
        if (low[std::size_t(v)] == index[std::size_t(v)]) {
            std::vector<int> scc;
            int w = -1;
            do {
                w = stack.back();
                stack.pop_back();
                onStack[std::size_t(w)] = false;
                scc.push_back(w);
            } while (w != v);
            std::sort(scc.begin(), scc.end());
            components.push_back(scc);
        }
    };
    for (int v = 0; v < n; ++v)
        if (index[std::size_t(v)] < 0)
            visit(v);
    std::reverse(components.begin(), components.end());
    return components;
}

} // namespace

SspSimulator::SspSimulator() = default;
SspSimulator::~SspSimulator()
{
    terminate();
}

sdk::SimCapability SspSimulator::capabilities() const
{
    return sdk::SimCapability::FixedStep | sdk::SimCapability::Inputs;
}

sdk::Status SspSimulator::fail(std::string message)
{
    m_failed = true;
    m_failure = message;
    for (auto &c : m_components)
        if (c.fmu)
            c.fmu->terminate();
    return sdk::Status::error(std::move(message));
}

sdk::Status SspSimulator::open(const std::string &jsonConfig, bool instantiate)
{
    const Config config = readConfig(jsonConfig);
    if (!config.error.empty())
        return sdk::Status::error(config.error);
    m_algorithm = config.algorithm;
    m_solveLoops = config.loops == "solve";
    m_label = fs::path(config.ssp).filename().string();
    std::error_code ec;
    std::string error;
    if (fs::is_directory(config.ssp, ec)) {
        m_root = config.ssp;
    } else {
        m_archive = std::make_unique<fmi::FmuArchive>();
        if (!m_archive->unpack(config.ssp, error))
            return sdk::Status::error(error);
        m_root = m_archive->directory();
    }
    const auto ssd = readText(fs::path(m_root) / "SystemStructure.ssd");
    if (!ssd)
        return sdk::Status::error(m_label + ": no SystemStructure.ssd in the package");
    const auto readFile = [&](const std::string &relative) { return readText(fs::path(m_root) / relative); };
    if (!parseSystemStructure(*ssd, m_label, readFile, m_system, error))
        return sdk::Status::error(error);

    for (const SspComponent &c : m_system.components) {
        Component component;
        component.name = c.name;
        const std::string fmu = (fs::path(m_root) / c.source).string();
        if (!fs::exists(fmu, ec))
            return sdk::Status::error(m_label + ": component \"" + c.name + "\": " + c.source +
                                      " is not in the package");
        if (!fmi::FmiSimulator::readDescription(fmu, component.description, error))
            return sdk::Status::error(m_label + ": component \"" + c.name + "\": " + error);
        if (instantiate) {
            component.fmu = std::make_unique<fmi::FmiSimulator>();
            if (const auto loaded = component.fmu->load("", json{{"fmu", fmu}}.dump()); !loaded)
                return sdk::Status::error(m_label + ": component \"" + c.name + "\": " + loaded.message());
            for (const auto &[name, value] : c.parameters)
                if (const auto set = component.fmu->setReal(name, value); !set)
                    return sdk::Status::error(m_label + ": parameter " + c.name + "." + name + ": " +
                                              set.message());
        }
        m_components.push_back(std::move(component));
    }

    // Links, with the conversion each connection implies.
    auto indexOf = [&](const std::string &element) {
        for (std::size_t i = 0; i < m_components.size(); ++i)
            if (m_components[i].name == element)
                return int(i);
        return -1;
    };
    auto unitOf = [&](int component, const std::string &connector,
                      std::string &unit) -> std::optional<UnitDef> {
        const std::vector<SspConnector> &declared =
            component < 0 ? m_system.connectors : m_system.components[std::size_t(component)].connectors;
        for (const auto &c : declared)
            if (c.name == connector && !c.unit.empty())
                unit = c.unit;
        if (unit.empty() && component >= 0)
            if (const auto *v = m_components[std::size_t(component)].description.find(connector))
                unit = v->unit;
        if (unit.empty())
            return std::nullopt;
        if (const SspUnit *u = m_system.unit(unit))
            return UnitDef{u->exponents, u->factor, u->offset};
        if (component >= 0)
            for (const auto &u : m_components[std::size_t(component)].description.units)
                if (u.name == unit && u.hasBaseUnit)
                    return UnitDef{u.exponents, u.factor, u.offset};
        return std::nullopt;
    };
    // A unit met on the way (a nested system's connector, a dictionary entry): the package's definition,
    // else one of its FMUs'.
    auto junctionUnit = [&](const std::string &unit) -> std::optional<UnitDef> {
        if (const SspUnit *u = m_system.unit(unit))
            return UnitDef{u->exponents, u->factor, u->offset};
        for (const Component &component : m_components)
            for (const auto &u : component.description.units)
                if (u.name == unit && u.hasBaseUnit)
                    return UnitDef{u.exponents, u.factor, u.offset};
        return std::nullopt;
    };
    for (const SspConnection &c : m_system.connections) {
        Link link;
        link.from = c.startElement.empty() ? -1 : indexOf(c.startElement);
        link.to = c.endElement.empty() ? -1 : indexOf(c.endElement);
        link.fromName = c.startConnector;
        link.toName = c.endConnector;
        std::string text = (c.startElement.empty() ? "" : c.startElement + ".") + c.startConnector + " -> ";
        for (const auto &junction : c.via)
            text += junction + " -> ";
        text += (c.endElement.empty() ? "" : c.endElement + ".") + c.endConnector;
        for (const auto &[index, name, end] :
             {std::tuple{link.from, link.fromName, "start"}, std::tuple{link.to, link.toName, "end"}})
            if (index >= 0 && !m_components[std::size_t(index)].description.find(name))
                return sdk::Status::error(m_label + ": connection " + text + ": the " + end +
                                          " FMU has no variable \"" + name + "\"");
        // Each connection on the way converts from the unit the value is in to the unit of its far end (a
        // junction without a unit passes the value on as it is), or applies its linear transformation.
        std::string unit;
        std::optional<UnitDef> unitDef = unitOf(link.from, link.fromName, unit);
        std::string lastUnit;
        const std::optional<UnitDef> lastDef = unitOf(link.to, link.toName, lastUnit);
        for (std::size_t k = 0; k < c.hops.size(); ++k) {
            const auto &hop = c.hops[k];
            const bool last = k + 1 == c.hops.size();
            const std::string next = last ? lastUnit : c.viaUnits[k];
            const std::optional<UnitDef> nextDef = last ? lastDef : junctionUnit(next);
            double f = 1, o = 0;
            std::string how;
            if (hop.linear) {
                f = hop.linear->first;
                o = hop.linear->second;
                how = "x" + number(f) + (o != 0 ? " + " + number(o) : "");
            } else if (!hop.suppressUnitConversion && !unit.empty() && !next.empty() && unit != next) {
                if (!unitDef || !nextDef)
                    m_system.warnings.push_back(m_label + ": connection " + text + " joins " + unit +
                                                " and " + next + " but " + (unitDef ? next : unit) +
                                                " is not defined: not converted");
                else if (unitDef->exponents != nextDef->exponents)
                    return sdk::Status::error(m_label + ": connection " + text + " joins " + unit + " and " +
                                              next + ", which measure different quantities");
                else {
                    f = unitDef->factor / nextDef->factor;
                    o = (unitDef->offset - nextDef->offset) / nextDef->factor;
                    how = unit + " -> " + next;
                }
            }
            link.factor *= f;
            link.offset = f * link.offset + o;
            if (!how.empty())
                link.conversion += (link.conversion.empty() ? "" : ", ") + how;
            if (!next.empty()) {
                unit = next;
                unitDef = nextDef;
            }
        }
        for (const auto &junction : c.via)
            link.via += (link.via.empty() ? "" : ", ") + junction;
        m_links.push_back(std::move(link));
    }

    // Stepping order and feedback cycles.
    std::vector<std::pair<int, int>> edges;
    for (const Link &l : m_links)
        if (l.from >= 0 && l.to >= 0)
            edges.emplace_back(l.from, l.to);
    for (const auto &scc : stronglyConnected(int(m_components.size()), edges)) {
        m_order.insert(m_order.end(), scc.begin(), scc.end());
        const bool selfLoop =
            scc.size() == 1 && std::count(edges.begin(), edges.end(), std::make_pair(scc[0], scc[0])) > 0;
        if (scc.size() > 1 || selfLoop) {
            std::vector<std::string> names;
            bool algebraic = true, coSimulation = true;
            for (int v : scc) {
                const fmi::FmuDescription &d = m_components[std::size_t(v)].description;
                names.push_back(m_components[std::size_t(v)].name);
                algebraic = algebraic && d.directFeedthrough;
                coSimulation = coSimulation && d.hasCoSimulation;
            }
            m_loops.push_back(names);
            m_algebraic.push_back(algebraic);
            std::string members;
            for (const auto &name : names)
                members += (members.empty() ? "" : " -> ") + name;
            // A model-exchange component takes a new input only with its next step, so its outputs cannot
            // answer within one communication point: such a loop keeps the delay.
            const bool solved = algebraic && m_solveLoops && coSimulation;
            m_loopSolved.push_back(solved);
            if (solved) {
                AlgebraicLoop loop{scc, {}, members + " -> " + names.front()};
                for (std::size_t i = 0; i < m_links.size(); ++i)
                    if (std::count(scc.begin(), scc.end(), m_links[i].from) &&
                        std::count(scc.begin(), scc.end(), m_links[i].to))
                        loop.links.push_back(i);
                m_solvedLoops.push_back(std::move(loop));
            }
            m_system.warnings.push_back(
                m_label + ": " + (algebraic ? "algebraic loop" : "feedback loop") + " through " + members +
                " -> " + names.front() +
                (solved ? ": every output in it depends directly on an input; solved at every communication "
                          "point (Newton iteration on the values its connections carry)"
                 : algebraic
                     ? std::string(
                           ": every output in it depends directly on an input; the master resolves it "
                           "with one communication step's delay") +
                           (!m_solveLoops ? " (loops: delay)" : " (a component in it runs as model exchange)")
                     : ": resolved with one communication step's delay"));
        }
    }
    return sdk::Status::ok();
}

std::vector<sdk::ModelInfo> SspSimulator::models(const std::string &jsonConfig)
{
    sdk::ModelInfo info;
    if (!describe(jsonConfig, info))
        return {};
    return {info};
}

sdk::Status SspSimulator::describe(const std::string &jsonConfig, sdk::ModelInfo &out)
{
    SspSimulator probe;
    if (const auto opened = probe.open(jsonConfig, false); !opened)
        return opened;
    out.id = probe.m_system.name;
    out.description = "SSP system of " + std::to_string(probe.m_components.size()) + " FMUs";
    out.version = "SSP " + probe.m_system.version;
    for (const auto &c : probe.m_system.connectors) {
        const sdk::Causality causality = c.kind == "input"       ? sdk::Causality::Input
                                         : c.kind == "parameter" ? sdk::Causality::Parameter
                                                                 : sdk::Causality::Output;
        out.variables.push_back({c.name, causality, c.unit, 0, "system connector"});
    }
    for (const auto &c : probe.m_components)
        for (const auto &v : c.description.variables) {
            if (!v.isNumeric() || v.causality == "independent")
                continue;
            const bool fed = std::any_of(probe.m_links.begin(), probe.m_links.end(), [&](const Link &l) {
                return l.to >= 0 && probe.m_components[std::size_t(l.to)].name == c.name &&
                       l.toName == v.name;
            });
            const sdk::Causality causality = fed ? sdk::Causality::Local : fmi::FmiSimulator::causalityOf(v);
            out.variables.push_back(
                {c.name + "." + v.name, causality, v.unit, v.start.value_or(0), v.description});
        }
    out.defaultStart = probe.m_system.startTime.value_or(0);
    out.defaultStop = probe.m_system.stopTime.value_or(out.defaultStart + 10);
    out.defaultStep = (out.defaultStop - out.defaultStart) / 500;
    out.detailsJson = probe.detailsJson();
    return sdk::Status::ok();
}

std::string SspSimulator::detailsJson() const
{
    json components = json::array();
    for (std::size_t i = 0; i < m_components.size(); ++i) {
        const auto &c = m_components[i];
        json parameters = json::object();
        for (const auto &[name, value] : m_system.components[i].parameters)
            parameters[name] = value;
        components.push_back({{"name", c.name},
                              {"source", m_system.components[i].source},
                              {"fmiVersion", c.description.fmiVersion},
                              {"modelIdentifier", c.description.modelIdentifier},
                              {"parameters", parameters}});
    }
    auto end = [&](int index, const std::string &name) {
        return index < 0 ? name : m_components[std::size_t(index)].name + "." + name;
    };
    json links = json::array();
    for (const Link &l : m_links)
        links.push_back({{"from", end(l.from, l.fromName)},
                         {"to", end(l.to, l.toName)},
                         {"factor", l.factor},
                         {"offset", l.offset},
                         {"conversion", l.conversion},
                         {"via", l.via}});
    json order = json::array(), loops = json::array();
    for (int i : m_order)
        order.push_back(m_components[std::size_t(i)].name);
    for (std::size_t i = 0; i < m_loops.size(); ++i)
        loops.push_back({{"components", m_loops[i]},
                         {"algebraic", bool(m_algebraic[i])},
                         {"solved", bool(m_loopSolved[i])}});
    json connectors = json::array();
    for (const auto &c : m_system.connectors)
        connectors.push_back({{"name", c.name}, {"kind", c.kind}, {"unit", c.unit}});
    return json{{"name", m_system.name},
                {"version", m_system.version},
                {"connectors", connectors},
                {"components", components},
                {"connections", links},
                {"gaussSeidelOrder", order},
                {"loops", loops},
                {"defaultExperiment",
                 {{"startTime", m_system.startTime ? json(*m_system.startTime) : json()},
                  {"stopTime", m_system.stopTime ? json(*m_system.stopTime) : json()}}},
                {"warnings", m_system.warnings}}
        .dump();
}

sdk::Status SspSimulator::load(const std::string &modelId, const std::string &jsonConfig)
{
    if (!m_components.empty() || m_failed)
        return sdk::Status::error("load() called twice; create a new simulator instead");
    if (const auto opened = open(jsonConfig, true); !opened)
        return fail(opened.message());
    if (!modelId.empty() && modelId != m_system.name)
        return fail(m_label + ": the package holds system \"" + m_system.name + "\", not \"" + modelId +
                    "\"");
    return sdk::Status::ok();
}

int SspSimulator::componentOf(const std::string &name) const
{
    // Nested components have dotted names ("Sub.C"), and so may FMU variables: the longest component name
    // that prefixes `name` and whose FMU has the rest as a variable, else the longest that prefixes it.
    int best = -1, bestWithVariable = -1;
    for (std::size_t i = 0; i < m_components.size(); ++i) {
        const std::string &c = m_components[i].name;
        if (name.size() <= c.size() + 1 || name.compare(0, c.size(), c) != 0 || name[c.size()] != '.')
            continue;
        if (best < 0 || c.size() > m_components[std::size_t(best)].name.size())
            best = int(i);
        if (m_components[i].description.find(name.substr(c.size() + 1)) &&
            (bestWithVariable < 0 || c.size() > m_components[std::size_t(bestWithVariable)].name.size()))
            bestWithVariable = int(i);
    }
    return bestWithVariable >= 0 ? bestWithVariable : best;
}

sdk::Status SspSimulator::setReal(const std::string &name, double value)
{
    if (m_failed)
        return sdk::Status::error(m_failure);
    for (const auto &c : m_system.connectors)
        if (c.name == name) {
            if (c.kind != "input" && c.kind != "parameter")
                return sdk::Status::error(m_label + ": system connector \"" + name + "\" is an " + c.kind);
            m_systemInputs[name] = value;
            return sdk::Status::ok();
        }
    if (const int c = componentOf(name); c >= 0)
        return m_components[std::size_t(c)].fmu->setReal(
            name.substr(m_components[std::size_t(c)].name.size() + 1), value);
    return sdk::Status::error(m_label + ": no system connector or Component.variable \"" + name + "\"");
}

bool SspSimulator::source(const Link &link, double &value, std::string &error) const
{
    if (link.from < 0) {
        const auto it = m_systemInputs.find(link.fromName);
        value = it == m_systemInputs.end() ? 0 : it->second;
        return true;
    }
    if (const auto got = m_components[std::size_t(link.from)].fmu->getReal(link.fromName, value); !got) {
        error = m_components[std::size_t(link.from)].name + ": " + got.message();
        return false;
    }
    return true;
}

bool SspSimulator::feed(const Link &link, std::string &error)
{
    if (link.to < 0)
        return true; // a system output: read when asked
    double value = 0;
    if (!source(link, value, error))
        return false;
    const Component &target = m_components[std::size_t(link.to)];
    if (const auto set = target.fmu->setReal(link.toName, link.factor * value + link.offset); !set) {
        error = target.name + ": " + set.message();
        return false;
    }
    return true;
}

bool SspSimulator::feedInputsOf(int component, std::string &error)
{
    for (const Link &l : m_links)
        if (l.to == component && !feed(l, error))
            return false;
    return true;
}

bool SspSimulator::solveLoops(std::string &error, std::string &note)
{
    for (AlgebraicLoop &loop : m_solvedLoops) {
        const auto member = [&](int c) {
            return std::count(loop.members.begin(), loop.members.end(), c) > 0;
        };
        // What enters the loop from outside it, at this communication point.
        for (const Link &l : m_links)
            if (l.to >= 0 && member(l.to) && !(l.from >= 0 && member(l.from)) && !feed(l, error))
                return false;
        std::vector<double> z(loop.links.size());
        for (std::size_t i = 0; i < z.size(); ++i) {
            const Link &l = m_links[loop.links[i]];
            if (!source(l, z[i], error))
                return false;
            z[i] = l.factor * z[i] + l.offset;
        }
        auto apply = [&](const std::vector<double> &values, std::string &why) {
            for (std::size_t i = 0; i < values.size(); ++i) {
                const Link &l = m_links[loop.links[i]];
                const Component &target = m_components[std::size_t(l.to)];
                if (const auto set = target.fmu->setReal(l.toName, values[i]); !set) {
                    why = target.name + ": " + set.message();
                    return false;
                }
            }
            return true;
        };
        const LoopFunction g = [&](const std::vector<double> &at, std::vector<double> &out,
                                   std::string &why) {
            if (!apply(at, why))
                return false;
            for (std::size_t i = 0; i < at.size(); ++i) {
                const Link &l = m_links[loop.links[i]];
                if (!source(l, out[i], why))
                    return false;
                out[i] = l.factor * out[i] + l.offset;
            }
            return true;
        };
        LoopSolution solution;
        if (!solveLoop(z, g, solution, error) || !apply(z, error))
            return false;
        loop.iterations += std::size_t(solution.iterations);
        if (!solution.converged && !loop.warned) {
            loop.warned = true;
            note += (note.empty() ? "" : "\n") + m_label + ": the algebraic loop through " + loop.name +
                    " did not converge at t=" + number(m_time) + " (residual " + number(solution.residual) +
                    " after " + std::to_string(solution.iterations) +
                    " Newton iterations); its values are the last iterate";
        }
    }
    return true;
}

sdk::Status SspSimulator::initialize(double startTime)
{
    if (m_failed)
        return sdk::Status::error(m_failure);
    if (m_components.empty() || m_running)
        return sdk::Status::error("initialize() needs a loaded, not yet initialized system");
    std::string error;
    // Values from the system's inputs and from component parameters reach connected inputs before
    // initialization; component outputs only exist after it, so they are passed on once all are initialized.
    for (const Link &l : m_links)
        if (l.from < 0 && !feed(l, error))
            return fail(m_label + ": " + error);
    for (auto &c : m_components)
        if (const auto init = c.fmu->initialize(startTime); !init)
            return fail(m_label + ": component \"" + c.name + "\": " + init.message());
    for (int c : m_order)
        if (!feedInputsOf(c, error))
            return fail(m_label + ": " + error);
    m_time = startTime;
    std::string note;
    if (!solveLoops(error, note))
        return fail(m_label + ": " + error);
    m_loopNote = note;
    m_running = true;
    return sdk::Status::ok();
}

sdk::StepResult SspSimulator::step(double dt, double &reached, std::string &message)
{
    reached = m_time;
    if (!m_running) {
        message = m_failed ? m_failure : "step() before initialize()";
        return sdk::StepResult::Error;
    }
    if (cancelRequested.load(std::memory_order_relaxed))
        return sdk::StepResult::Cancelled;
    std::string error;
    auto stepOne = [&](Component &c) {
        double got = m_time;
        std::string why;
        const sdk::StepResult r = c.fmu->step(dt, got, why);
        if (r != sdk::StepResult::Ok) {
            message = m_label + ": component \"" + c.name + "\": " + why;
            reached = std::min(reached == m_time ? got : reached, got);
            return r;
        }
        if (!why.empty())
            message += (message.empty() ? "" : "\n") + c.name + ": " + why;
        return r;
    };
    // Loops solved again with the inputs the caller has just set (held over the step).
    if (std::string note; !solveLoops(error, note)) {
        fail(m_label + ": " + error);
        message = m_failure;
        return sdk::StepResult::Error;
    } else if (!note.empty()) {
        message += note;
    }
    if (m_algorithm == "jacobi") {
        // Every input from the outputs at the current communication point, then every component steps.
        std::vector<std::pair<const Link *, double>> values;
        for (const Link &l : m_links) {
            double v = 0;
            if (l.to >= 0 && !source(l, v, error)) {
                fail(m_label + ": " + error);
                message = m_failure;
                return sdk::StepResult::Error;
            }
            values.emplace_back(&l, v);
        }
        for (const auto &[link, v] : values)
            if (link->to >= 0)
                if (const auto set = m_components[std::size_t(link->to)].fmu->setReal(
                        link->toName, link->factor * v + link->offset);
                    !set) {
                    fail(m_label + ": " + m_components[std::size_t(link->to)].name + ": " + set.message());
                    message = m_failure;
                    return sdk::StepResult::Error;
                }
        for (auto &c : m_components)
            if (const sdk::StepResult r = stepOne(c); r != sdk::StepResult::Ok) {
                if (r == sdk::StepResult::Error)
                    fail(message);
                return r;
            }
    } else {
        for (int i : m_order) {
            if (!feedInputsOf(i, error)) {
                fail(m_label + ": " + error);
                message = m_failure;
                return sdk::StepResult::Error;
            }
            if (const sdk::StepResult r = stepOne(m_components[std::size_t(i)]); r != sdk::StepResult::Ok) {
                if (r == sdk::StepResult::Error)
                    fail(message);
                return r;
            }
        }
    }
    m_time += dt;
    reached = m_time;
    // And at the new communication point, so that the outputs read there agree with each other.
    if (std::string note; !solveLoops(error, note)) {
        fail(m_label + ": " + error);
        message = m_failure;
        return sdk::StepResult::Error;
    } else if (!note.empty()) {
        message += (message.empty() ? "" : "\n") + note;
    }
    if (!m_warned) { // what reading the package found (loops, unconverted units): once, with the first step
        m_warned = true;
        for (const auto &w : m_system.warnings)
            message += (message.empty() ? "" : "\n") + w;
        if (!m_loopNote.empty())
            message += (message.empty() ? "" : "\n") + m_loopNote;
    }
    return sdk::StepResult::Ok;
}

sdk::Status SspSimulator::getReal(const std::string &name, double &value) const
{
    for (const auto &c : m_system.connectors)
        if (c.name == name) {
            if (c.kind == "input" || c.kind == "parameter") {
                const auto it = m_systemInputs.find(name);
                value = it == m_systemInputs.end() ? 0 : it->second;
                return sdk::Status::ok();
            }
            for (const Link &l : m_links)
                if (l.to < 0 && l.toName == name) {
                    std::string error;
                    if (!source(l, value, error))
                        return sdk::Status::error(error);
                    value = l.factor * value + l.offset;
                    return sdk::Status::ok();
                }
            return sdk::Status::error(m_label + ": system output \"" + name + "\" is not connected");
        }
    if (const int c = componentOf(name); c >= 0 && m_components[std::size_t(c)].fmu)
        return m_components[std::size_t(c)].fmu->getReal(
            name.substr(m_components[std::size_t(c)].name.size() + 1), value);
    return sdk::Status::error(m_label + ": no system connector or Component.variable \"" + name + "\"");
}

void SspSimulator::terminate()
{
    for (auto &c : m_components)
        if (c.fmu)
            c.fmu->terminate();
    m_running = false;
}

} // namespace twin::ssp
