#include "Models.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace twin::simdes {

namespace {

struct ParamDef
{
    const char *name;
    double start;
    const char *unit;
    const char *description;
};

const std::vector<ParamDef> &paramDefs(const std::string &id)
{
    static const std::vector<ParamDef> mm1{
        {"lambda", 0.8, "1/s", "arrival rate"},
        {"mu", 1.0, "1/s", "service rate per server"},
        {"capacity", -1, "", "waiting places (-1: unlimited); arrivals finding them full are lost"},
        {"horizon", 100000, "second", "end of the run, relative to the start"},
        {"warmup", 1000, "second", "statistics restart at start + warmup"},
        {"seed", 1, "", "random seed (an integer)"}};
    static const std::vector<ParamDef> mmc = [] {
        auto v = mm1;
        v[0].start = 1.6;
        v.insert(v.begin() + 2, {"c", 2, "", "number of parallel servers"});
        return v;
    }();
    static const std::vector<ParamDef> maintenance{
        {"N", 10, "", "number of pumps"},
        {"lambdaF", 0.01, "1/h", "failure rate of one running pump"},
        {"muR", 0.125, "1/h", "repair rate of one crew"},
        {"k", 1, "", "number of repair crews"},
        {"horizon", 100000, "hour", "end of the run, relative to the start"},
        {"warmup", 1000, "hour", "statistics restart at start + warmup"},
        {"seed", 1, "", "random seed (an integer)"}};
    static const std::vector<ParamDef> network{{"horizon", 1000, "", "end of the run, relative to the start"},
                                               {"warmup", 0, "", "statistics restart at start + warmup"},
                                               {"seed", 1, "", "random seed (an integer)"}};
    if (id == "mm1")
        return mm1;
    if (id == "mmc")
        return mmc;
    if (id == "maintenance")
        return maintenance;
    return network;
}

const std::vector<std::pair<const char *, const char *>> &maintenanceAliases()
{
    static const std::vector<std::pair<const char *, const char *>> a{
        {"availability", "pumps.availability"}, {"down", "pumps.down"},
        {"meanDowntime", "pumps.meanDowntime"}, {"failures", "pumps.failures"},
        {"repairs", "pumps.repairs"},           {"crewUtilization", "crews.utilization"},
        {"meanWaitForCrew", "crews.meanWait"},  {"waitingForCrew", "crews.waiting"}};
    return a;
}

const char *const kQueueAliases[] = {
    "L",     "Lq",     "W",       "Wq",         "utilization",         "busy",
    "Pq",    "served", "blocked", "throughput", "blockingProbability", "W_p95",
    "Wq_p95"};

// Objects keep document order, so of several wrong keys the first one in the text is reported.
using Json = nlohmann::ordered_json;

// Member `key` of `o`, or nullptr (also when `o` is not an object).
const Json *member(const Json &o, const char *key)
{
    if (!o.is_object())
        return nullptr;
    const auto it = o.find(key);
    return it == o.end() ? nullptr : &*it;
}

// Member `key` as a finite number: false when it is absent (err untouched) or not one (err says so).
bool number(const Json &o, const char *key, double &out, std::string &err)
{
    const Json *v = member(o, key);
    if (!v)
        return false;
    if (!v->is_number() || !std::isfinite(v->get<double>())) {
        err = std::string("'") + key + "' must be a number";
        return false;
    }
    out = v->get<double>();
    return true;
}

std::string text(const Json &o, const char *key)
{
    const Json *v = member(o, key);
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

// nlohmann's messages start with "[json.exception.<kind>.<id>] "; the rest says what is wrong.
std::string reason(const nlohmann::json::exception &e)
{
    std::string s = e.what();
    if (s.rfind("[json.exception.", 0) == 0)
        if (const auto end = s.find("] "); end != std::string::npos)
            s.erase(0, end + 2);
    return s;
}

// Follows the parser through the document ("stations[0].service.rate"), so that an error which comes without
// a byte position (a number too large for a double) can still name the value it is about.
class PathTracker
{
public:
    bool operator()(int /*depth*/, Json::parse_event_t event, const Json &parsed)
    {
        switch (event) {
        case Json::parse_event_t::object_start:
            m_levels.push_back({false, 0, {}});
            break;
        case Json::parse_event_t::array_start:
            m_levels.push_back({true, 0, {}});
            break;
        case Json::parse_event_t::key:
            m_levels.back().key = parsed.get<std::string>();
            break;
        case Json::parse_event_t::object_end:
        case Json::parse_event_t::array_end:
            m_levels.pop_back();
            [[fallthrough]];
        case Json::parse_event_t::value: // an array element is complete: the next one is being read
            if (!m_levels.empty() && m_levels.back().array)
                ++m_levels.back().index;
            break;
        }
        return true; // keep every value
    }
    std::string path() const
    {
        std::string s;
        for (const auto &l : m_levels)
            s += l.array ? "[" + std::to_string(l.index) + "]" : (s.empty() ? "" : ".") + l.key;
        return s;
    }

private:
    struct Level
    {
        bool array;
        std::size_t index; // arrays: elements read so far
        std::string key;   // objects: the last key read
    };
    std::vector<Level> m_levels;
};

// Reads {"dist": "...", ...} or a plain number (deterministic). Empty string or the reason it is invalid.
std::string parseDistribution(const Json &v, Distribution &out)
{
    if (v.is_number()) {
        out = Distribution::deterministic(v.get<double>());
        return out.check();
    }
    if (!v.is_object())
        return "a distribution is a number or an object {\"dist\": ...}";
    const std::string kind = text(v, "dist");
    std::string err;
    double a = 0, b = 0;
    auto need = [&](const char *key, double &x) {
        if (!number(v, key, x, err) && err.empty())
            err = kind + " needs '" + key + "'";
        return err.empty();
    };
    if (kind == "deterministic" || kind == "constant") {
        if (need("value", a))
            out = Distribution::deterministic(a);
    } else if (kind == "exponential") {
        if (number(v, "mean", a, err))
            out = Distribution::exponential(a > 0 ? 1 / a : 0);
        else if (err.empty() && need("rate", a))
            out = Distribution::exponential(a);
    } else if (kind == "uniform") {
        if (need("min", a) && need("max", b))
            out = Distribution::uniform(a, b);
    } else if (kind == "normal") {
        if (need("mean", a) && need("sd", b))
            out = Distribution::normal(a, b);
    } else if (kind == "lognormal") {
        if (member(v, "mean")) { // by the mean and standard deviation of the value itself
            if (need("mean", a) && need("sd", b)) {
                if (a <= 0)
                    return "lognormal mean must be > 0";
                const double s2 = std::log(1 + b * b / (a * a));
                out = Distribution::lognormal(std::log(a) - s2 / 2, std::sqrt(s2));
            }
        } else if (need("mu", a) && need("sigma", b)) {
            out = Distribution::lognormal(a, b);
        }
    } else if (kind == "weibull") {
        if (need("shape", a) && need("scale", b))
            out = Distribution::weibull(a, b);
    } else {
        return "unknown distribution '" + kind +
               "' (deterministic, exponential, uniform, normal, lognormal, weibull)";
    }
    return err.empty() ? out.check() : err;
}

// One element of a network list, to name a wrong value by its JSON path and the block's id:
// "config 'stations[1].service' (station 'weld')".
struct Block
{
    const char *list;
    const char *kind;
    std::size_t index;
    std::string id;

    std::string path(const char *key) const
    {
        std::string s = std::string("config '") + list + "[" + std::to_string(index) + "]." + key + "'";
        return id.empty() ? s : s + " (" + kind + " '" + id + "')";
    }
};

// Reads the network keys of a config into `spec` (replaces its blocks). Lists that are not arrays are
// ignored. Empty string or the first thing that is wrong.
std::string parseNetwork(const Json &config, NetworkSpec &spec)
{
    spec.sources.clear();
    spec.stations.clear();
    spec.resources.clear();
    spec.assets.clear();
    spec.sinks.clear();
    auto list = [&](const char *key) -> const Json * {
        const Json *v = member(config, key);
        return v && v->is_array() ? v : nullptr;
    };
    std::string err;
    auto num = [&](const Json &o, const Block &b, const char *key, double &x) {
        std::string e;
        const bool ok = number(o, key, x, e);
        if (!e.empty())
            err = b.path(key) + " must be a number";
        return ok;
    };
    auto dist = [&](const Json &o, const Block &b, const char *key, Distribution &d) {
        if (const Json *v = member(o, key))
            if (auto e = parseDistribution(*v, d); !e.empty())
                err = b.path(key) + ": " + e;
    };
    double x = 0;
    if (const Json *l = list("resources"))
        for (std::size_t i = 0; i < l->size(); ++i) {
            const Json &o = (*l)[i];
            const Block b{"resources", "resource", i, text(o, "id")};
            ResourceSpec r{b.id, 1};
            if (num(o, b, "capacity", x))
                r.capacity = int(x);
            if (!err.empty())
                return err;
            spec.resources.push_back(r);
        }
    if (const Json *l = list("sources"))
        for (std::size_t i = 0; i < l->size(); ++i) {
            const Json &o = (*l)[i];
            const Block b{"sources", "source", i, text(o, "id")};
            SourceSpec s{b.id, Distribution::exponential(1), text(o, "to"), 0};
            if (num(o, b, "limit", x))
                s.limit = std::uint64_t(x);
            if (err.empty())
                dist(o, b, "interarrival", s.interarrival);
            if (!err.empty())
                return err;
            spec.sources.push_back(s);
        }
    if (const Json *l = list("stations"))
        for (std::size_t i = 0; i < l->size(); ++i) {
            const Json &o = (*l)[i];
            const Block b{"stations", "station", i, text(o, "id")};
            StationSpec s;
            s.id = b.id;
            s.to = text(o, "to");
            s.resource = text(o, "resource");
            if (num(o, b, "servers", x))
                s.servers = int(x);
            if (err.empty() && num(o, b, "capacity", x))
                s.capacity = (long long)x;
            if (err.empty())
                dist(o, b, "service", s.service);
            if (!err.empty())
                return err;
            spec.stations.push_back(s);
        }
    if (const Json *l = list("assets"))
        for (std::size_t i = 0; i < l->size(); ++i) {
            const Json &o = (*l)[i];
            const Block b{"assets", "asset group", i, text(o, "id")};
            AssetSpec a;
            a.id = b.id;
            a.resource = text(o, "resource");
            if (num(o, b, "count", x))
                a.count = int(x);
            if (err.empty())
                dist(o, b, "life", a.life);
            if (err.empty())
                dist(o, b, "repair", a.repair);
            if (!err.empty())
                return err;
            spec.assets.push_back(a);
        }
    if (const Json *l = list("sinks"))
        for (const Json &o : *l)
            spec.sinks.push_back(o.is_string() ? o.get<std::string>() : text(o, "id"));
    if (spec.sources.empty() && spec.assets.empty())
        return "the network has no source and no asset group: nothing would happen";
    return {};
}

} // namespace

const std::vector<std::string> &ModelSetup::modelIds()
{
    static const std::vector<std::string> ids{"mm1", "mmc", "maintenance", "network"};
    return ids;
}

std::string ModelSetup::init(const std::string &modelId, const std::string &jsonConfig)
{
    bool known = false;
    for (const auto &id : modelIds())
        known = known || id == modelId;
    if (!known)
        return "unknown model '" + modelId + "' (mm1, mmc, maintenance, network)";
    m_id = modelId;
    m_params.clear();
    m_dists.clear();
    for (const auto &p : paramDefs(modelId))
        m_params[p.name] = p.start;
    Json config = Json::object(); // a blank config is an empty object
    if (jsonConfig.find_first_not_of(" \t\r\n") != std::string::npos) {
        PathTracker where;
        try {
            config = Json::parse(jsonConfig, [&where](int depth, Json::parse_event_t event, Json &parsed) {
                return where(depth, event, parsed);
            });
        } catch (const nlohmann::json::parse_error &e) {
            return "config is not valid JSON at byte " + std::to_string(e.byte) + ": " + reason(e);
        } catch (const nlohmann::json::exception &e) { // e.g. a number too large for a double
            const std::string path = where.path();
            return (path.empty() ? std::string("config: ") : "config '" + path + "': ") + reason(e);
        }
    }
    if (!config.is_object())
        return "config must be a JSON object";
    const bool queue = modelId == "mm1" || modelId == "mmc";
    try { // every value is type-checked before it is read: a nlohmann exception here is not expected
        for (const auto &[key, value] : config.items()) {
            if (m_params.count(key)) {
                if (!value.is_number())
                    return "config '" + key + "' must be a number";
                if (auto e = setParameter(key, value.get<double>()); !e.empty())
                    return "config: " + e;
            } else if ((queue && (key == "interarrival" || key == "service")) ||
                       (modelId == "maintenance" && (key == "life" || key == "repair"))) {
                if (auto e = parseDistribution(value, m_dists[key]); !e.empty())
                    return "config '" + key + "': " + e;
            } else if (!(modelId == "network" && (key == "resources" || key == "sources" ||
                                                  key == "stations" || key == "assets" || key == "sinks"))) {
                return "config key '" + key + "' is not known for model '" + modelId + "'";
            }
        }
        if (modelId == "network")
            return parseNetwork(config, m_network);
        return {};
    } catch (const nlohmann::json::exception &e) {
        return "config: " + reason(e);
    }
}

std::string ModelSetup::setParameter(const std::string &name, double value)
{
    auto it = m_params.find(name);
    if (it == m_params.end())
        return "'" + name + "' is not a parameter of model '" + m_id + "'";
    if (!std::isfinite(value))
        return "parameter '" + name + "' must be finite";
    const bool count = name == "c" || name == "N" || name == "k" || name == "seed" || name == "capacity";
    if (count && value != std::floor(value))
        return "parameter '" + name + "' must be an integer";
    if ((name == "seed" && value < 0) || (name == "capacity" && value < -1) ||
        ((name == "c" || name == "N" || name == "k") && value < 1) || (name == "warmup" && value < 0) ||
        (name == "horizon" && value < 0))
        return "parameter '" + name + "' is out of range";
    if ((name == "lambda" || name == "mu" || name == "lambdaF" || name == "muR") && !(value > 0))
        return "parameter '" + name + "' must be > 0";
    it->second = value;
    return {};
}

std::string ModelSetup::buildSpec(NetworkSpec &spec) const
{
    const auto p = [&](const char *n) { return m_params.at(n); };
    const auto dist = [&](const char *key, Distribution fallback) {
        auto it = m_dists.find(key);
        return it == m_dists.end() ? fallback : it->second;
    };
    if (m_id == "network") {
        spec = m_network;
    } else if (m_id == "maintenance") {
        spec = NetworkSpec();
        spec.resources.push_back({"crews", int(p("k"))});
        spec.assets.push_back({"pumps", int(p("N")), dist("life", Distribution::exponential(p("lambdaF"))),
                               dist("repair", Distribution::exponential(p("muR"))), "crews"});
    } else {
        spec = NetworkSpec();
        spec.sources.push_back(
            {"arrivals", dist("interarrival", Distribution::exponential(p("lambda"))), "server", 0});
        StationSpec st;
        st.id = "server";
        st.servers = m_id == "mmc" ? int(p("c")) : 1;
        st.capacity = (long long)p("capacity");
        st.service = dist("service", Distribution::exponential(p("mu")));
        st.to = "sink";
        spec.stations.push_back(st);
        spec.sinks.push_back("sink");
    }
    spec.seed = std::uint64_t(p("seed"));
    spec.warmup = p("warmup");
    return {};
}

std::string ModelSetup::resolve(const std::string &name) const
{
    if (name.find('.') != std::string::npos || name == "time" || name == "events")
        return name;
    if (m_id == "maintenance") {
        for (const auto &[alias, full] : maintenanceAliases())
            if (name == alias)
                return full;
    } else if (m_id == "mm1" || m_id == "mmc") {
        return "server." + name;
    }
    return name;
}

sdk::ModelInfo ModelSetup::describe() const
{
    sdk::ModelInfo info;
    info.id = m_id;
    info.version = "1.0.0";
    info.defaultStart = 0;
    info.defaultStop = m_params.at("horizon");
    info.defaultStep = info.defaultStop / 100;
    if (m_id == "mm1" || m_id == "mmc")
        info.description = m_id == "mm1" ? "M/M/1 queue: Poisson arrivals, one exponential server"
                                         : "M/M/c queue: Poisson arrivals, c exponential servers";
    else if (m_id == "maintenance")
        info.description = "N pumps fail at rate lambdaF; k repair crews repair at rate muR (M/M/k//N)";
    else
        info.description = "a network from the config: sources, stations, resources, assets, sinks";
    for (const auto &p : paramDefs(m_id))
        info.variables.push_back(
            {p.name, sdk::Causality::Parameter, p.unit, m_params.at(p.name), p.description});
    auto output = [&](const std::string &name, const std::string &description) {
        info.variables.push_back({name, sdk::Causality::Output, "", 0, description});
    };
    if (m_id == "mm1" || m_id == "mmc")
        for (const char *a : kQueueAliases)
            output(a, std::string("server.") + a);
    if (m_id == "maintenance")
        for (const auto &[alias, full] : maintenanceAliases())
            output(alias, full);
    NetworkSpec spec;
    Engine engine;
    if (buildSpec(spec).empty() && engine.build(spec, 0).empty())
        for (const auto &n : engine.outputNames())
            output(n, {});
    return info;
}

} // namespace twin::simdes
