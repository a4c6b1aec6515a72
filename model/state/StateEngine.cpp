#include "twin/model/state/StateEngine.h"

#include "twin/model/detect/DetectorMonitor.h"

#include "twin/model/project/Project.h"
#include "twin/model/state/RuleEditing.h"

#include <muParser.h>

#include <cmath>
#include <deque>
#include <limits>
#include <map>

namespace twin::model {
namespace {
constexpr TimeNs kNotPending = std::numeric_limits<TimeNs>::min();

// Variables of one asset: telemetry, numeric properties and stateTime, with stable addresses.
struct VariableSpace
{
    const Project *project = nullptr;
    const Asset *asset = nullptr;
    std::deque<double> slots;
    std::map<std::string, double *, std::less<>> byName;
    std::string unknown; // set when the factory meets a name that is not allowed

    double *slot(const std::string &name)
    {
        if (auto it = byName.find(name); it != byName.end())
            return it->second;
        bool allowed = name == "stateTime";
        double initial = std::numeric_limits<double>::quiet_NaN();
        const std::string derivedFrom = shadowSignalBase(name); // a shadow simulation's signal of a telemetry
        for (const auto *t : project->types.telemetry(asset->typeId))
            allowed |= t->name == name || t->name == derivedFrom;
        if (project->types.property(asset->typeId, name)) {
            allowed = true;
            if (auto it = asset->properties.find(name); it != asset->properties.end())
                valueToDouble(it->second, initial);
        }
        if (!allowed) {
            unknown = name;
            return nullptr;
        }
        slots.push_back(initial);
        byName[name] = &slots.back();
        return &slots.back();
    }
};

double *variableFactory(const mu::char_type *name, void *user)
{
    auto *space = static_cast<VariableSpace *>(user);
    double *slot = space->slot(name);
    if (!slot)
        throw mu::ParserError("unknown variable '" + std::string(name) + "'");
    return slot;
}

struct Condition
{
    mu::Parser parser;
    TimeNs pendingSince = kNotPending;
    bool empty = true;
    bool holds()
    {
        const double v = parser.Eval();
        return !std::isnan(v) && v != 0.0;
    }
};
} // namespace

struct StateEngine::AssetRuntime
{
    AssetId asset = kNoAsset;
    const RuleSet *rules = nullptr;
    VariableSpace vars;
    double *stateTime = nullptr;
    std::string state;
    TimeNs stateSince = 0;
    std::vector<Condition> transitions;
    std::vector<Condition> raise;
    std::vector<Condition> clear;
    std::vector<std::uint64_t> activeAlarm; // per alarm rule: alarm id or 0
};

StateEngine::StateEngine() = default;
StateEngine::~StateEngine() = default;

Result<std::unique_ptr<StateEngine>> StateEngine::create(const Project &project,
                                                         const std::vector<RuleSet> &rules)
{
    std::unique_ptr<StateEngine> engine(new StateEngine);
    engine->m_rules = rules;
    auto compile = [](Condition &c, VariableSpace &vars, const std::string &expr,
                      const std::string &where) -> Status {
        c.empty = expr.empty();
        if (c.empty)
            return okStatus();
        try {
            c.parser.SetVarFactory(variableFactory, &vars);
            c.parser.SetExpr(expr);
            c.parser.Eval(); // parses now, binding every variable
        } catch (const mu::ParserError &e) {
            return Error{where + ": '" + expr + "': " + e.GetMsg() +
                         (e.GetPos() >= 0 ? " (at position " + std::to_string(e.GetPos()) + ")" : "")};
        }
        return okStatus();
    };
    for (AssetId id : project.graph.allIds()) {
        const Asset *asset = project.graph.find(id);
        const RuleSet *match = nullptr;
        for (const RuleSet &r : engine->m_rules) // the most specific type wins: exact match first
            if (r.typeId == asset->typeId || (!match && project.types.isA(asset->typeId, r.typeId)))
                match = &r;
        if (!match)
            continue;
        auto rt = std::make_unique<AssetRuntime>();
        rt->asset = id;
        rt->rules = match;
        rt->vars.project = &project;
        rt->vars.asset = asset;
        rt->stateTime = rt->vars.slot("stateTime");
        rt->state = match->initialState;
        const std::string where = "rules of " + match->typeId + " on '" + asset->name + "'";
        rt->transitions.resize(match->transitions.size());
        for (size_t i = 0; i < match->transitions.size(); ++i)
            if (auto s = compile(rt->transitions[i], rt->vars, match->transitions[i].condition,
                                 where + ", transition " + match->transitions[i].from + "->" +
                                     match->transitions[i].to);
                !s)
                return Error{s.error()};
        rt->raise.resize(match->alarms.size());
        rt->clear.resize(match->alarms.size());
        rt->activeAlarm.assign(match->alarms.size(), 0);
        for (size_t i = 0; i < match->alarms.size(); ++i) {
            const std::string alarmWhere = where + ", alarm '" + match->alarms[i].name + "'";
            if (auto s = compile(rt->raise[i], rt->vars, match->alarms[i].condition, alarmWhere); !s)
                return Error{s.error()};
            if (auto s =
                    compile(rt->clear[i], rt->vars, match->alarms[i].clearCondition, alarmWhere + " (clear)");
                !s)
                return Error{s.error()};
        }
        if (engine->m_index.size() <= id)
            engine->m_index.resize(id + 1, -1);
        engine->m_index[id] = int(engine->m_assets.size());
        engine->m_assets.push_back(std::move(rt));
    }
    return engine;
}

bool StateEngine::hasRules(AssetId asset) const
{
    return asset < m_index.size() && m_index[asset] >= 0;
}

std::string StateEngine::stateOf(AssetId asset) const
{
    return hasRules(asset) ? m_assets[size_t(m_index[asset])]->state : std::string();
}

std::vector<std::string> StateEngine::watchKeptDetectors(const Project &project,
                                                         const TimeSeriesStore &history)
{
    std::vector<std::string> problems;
    m_monitors = detect::DetectorMonitor::forProject(project, history, problems);
    m_monitorAlarm.assign(m_monitors.size(), 0);
    return problems;
}

void StateEngine::feedMonitors(AssetId asset, std::string_view telemetry, TimeNs time, double value)
{
    for (std::size_t m = 0; m < m_monitors.size(); ++m) {
        const auto event = m_monitors[m]->push(asset, telemetry, time, value);
        if (!event)
            continue;
        if (event->raised && m_monitorAlarm[m] == 0) {
            AlarmRecord record;
            record.id = m_nextAlarmId++;
            record.asset = m_monitors[m]->asset();
            record.name = "Anomaly";
            record.severity = AlarmSeverity::Warning;
            record.message = event->message;
            record.raised = time;
            m_monitorAlarm[m] = record.id;
            m_alarms.push_back(std::move(record));
        } else if (!event->raised && m_monitorAlarm[m] != 0) {
            for (auto &record : m_alarms)
                if (record.id == m_monitorAlarm[m])
                    record.cleared = time;
            m_monitorAlarm[m] = 0;
        }
    }
}

void StateEngine::setInput(AssetId asset, std::string_view telemetry, TimeNs time, double value)
{
    if (!m_monitors.empty())
        feedMonitors(asset, telemetry, time, value);
    if (!hasRules(asset))
        return;
    AssetRuntime &rt = *m_assets[size_t(m_index[asset])];
    auto it = rt.vars.byName.find(telemetry);
    if (it == rt.vars.byName.end())
        return; // no rule reads this telemetry
    *it->second = value;
    evaluate(rt, time);
}

void StateEngine::advance(TimeNs time)
{
    for (auto &rt : m_assets)
        evaluate(*rt, time);
}

void StateEngine::evaluate(AssetRuntime &rt, TimeNs time)
{
    ++m_evaluations;
    const RuleSet &rules = *rt.rules;
    // Transitions: the first whose condition has held long enough fires; chains settle in a few steps.
    for (int step = 0; step < 8; ++step) {
        *rt.stateTime = double(time - rt.stateSince) / double(kNsPerSecond);
        bool fired = false;
        for (size_t i = 0; i < rules.transitions.size() && !fired; ++i) {
            const StateTransition &t = rules.transitions[i];
            Condition &c = rt.transitions[i];
            if ((t.from != "*" && t.from != rt.state) || t.to == rt.state) {
                c.pendingSince = kNotPending;
                continue;
            }
            if (!c.holds()) {
                c.pendingSince = kNotPending;
                continue;
            }
            if (c.pendingSince == kNotPending)
                c.pendingSince = time;
            if (double(time - c.pendingSince) / double(kNsPerSecond) + 1e-9 < t.minDurationS)
                continue;
            m_changes.push_back({rt.asset, time, rt.state, t.to});
            rt.state = t.to;
            rt.stateSince = time;
            for (Condition &other : rt.transitions)
                other.pendingSince = kNotPending;
            fired = true;
        }
        if (!fired)
            break;
    }
    for (size_t i = 0; i < rules.alarms.size(); ++i) {
        const AlarmRule &a = rules.alarms[i];
        Condition &raise = rt.raise[i];
        if (rt.activeAlarm[i] == 0) {
            if (!raise.holds()) {
                raise.pendingSince = kNotPending;
                continue;
            }
            if (raise.pendingSince == kNotPending)
                raise.pendingSince = time;
            if (double(time - raise.pendingSince) / double(kNsPerSecond) + 1e-9 < a.minDurationS)
                continue;
            AlarmRecord record;
            record.id = m_nextAlarmId++;
            record.asset = rt.asset;
            record.name = a.name;
            record.severity = a.severity;
            record.message = a.message;
            record.raised = time;
            rt.activeAlarm[i] = record.id;
            m_alarms.push_back(std::move(record));
        } else {
            const bool cleared = rt.clear[i].empty ? !raise.holds() : rt.clear[i].holds();
            if (!cleared)
                continue;
            for (auto &record : m_alarms)
                if (record.id == rt.activeAlarm[i])
                    record.cleared = time;
            rt.activeAlarm[i] = 0;
            raise.pendingSince = kNotPending;
        }
    }
}

bool StateEngine::acknowledge(std::uint64_t alarmId)
{
    for (auto &record : m_alarms)
        if (record.id == alarmId) {
            record.acknowledged = true;
            return true;
        }
    return false;
}

void StateEngine::reset()
{
    for (auto &rt : m_assets) {
        rt->state = rt->rules->initialState;
        rt->stateSince = 0;
        for (auto &c : rt->transitions)
            c.pendingSince = kNotPending;
        for (auto &c : rt->raise)
            c.pendingSince = kNotPending;
        std::fill(rt->activeAlarm.begin(), rt->activeAlarm.end(), 0);
        for (const auto *t : rt->vars.project->types.telemetry(rt->vars.asset->typeId))
            if (auto it = rt->vars.byName.find(t->name); it != rt->vars.byName.end())
                *it->second = std::numeric_limits<double>::quiet_NaN();
    }
    for (auto &monitor : m_monitors)
        monitor->reset();
    std::fill(m_monitorAlarm.begin(), m_monitorAlarm.end(), 0);
    m_changes.clear();
    m_alarms.clear();
}

std::vector<AlarmRecord> StateEngine::activeAlarms() const
{
    std::vector<AlarmRecord> out;
    for (const auto &record : m_alarms)
        if (record.active())
            out.push_back(record);
    return out;
}

StateSnapshot StateEngine::snapshot() const
{
    StateSnapshot snap;
    for (const auto &rt : m_assets)
        snap.states.emplace_back(rt->asset, rt->state);
    snap.alarms = m_alarms;
    return snap;
}

} // namespace twin::model
