#include "twin/model/calibration/CalibrationDefinition.h"

#include "twin/formats/TimestampParser.h"
#include "twin/model/scenario/Scenario.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <ctime>

namespace twin::model::calibration {

using nlohmann::json;
namespace {
const std::string kPrefix = "calibration:";
const char *const kMetrics[] = {"rmse",     "nrmse", "mae",  "bias", "absBias",
                                "maxError", "r2",    "mape", "lag1", "coverage"};

bool knownMetric(const std::string &name)
{
    for (const char *m : kMetrics)
        if (name == m)
            return true;
    return false;
}

json windowsJson(const std::vector<TimeWindow> &windows)
{
    json a = json::array();
    for (const auto &w : windows)
        a.push_back({{"from", isoUtc(w.from)}, {"to", isoUtc(w.to)}});
    return a;
}

// Reading with errors that name the field.
struct Reader
{
    std::string error;
    bool failed() const { return !error.empty(); }
    void fail(const std::string &where, const std::string &what)
    {
        if (error.empty())
            error = where + ": " + what;
    }
    double number(const json &j, const char *key, const std::string &where, double fallback, bool required)
    {
        const auto it = j.find(key);
        if (it == j.end() || it->is_null()) {
            if (required)
                fail(where + "." + key, "missing");
            return fallback;
        }
        if (!it->is_number() || !std::isfinite(it->get<double>())) {
            fail(where + "." + key, "not a finite number");
            return fallback;
        }
        return it->get<double>();
    }
    std::optional<double> optionalNumber(const json &j, const char *key, const std::string &where)
    {
        if (!j.contains(key) || j[key].is_null())
            return std::nullopt;
        return number(j, key, where, 0, true);
    }
    std::string text(const json &j, const char *key, const std::string &where, std::string fallback,
                     bool required)
    {
        const auto it = j.find(key);
        if (it == j.end()) {
            if (required)
                fail(where + "." + key, "missing");
            return fallback;
        }
        if (!it->is_string()) {
            fail(where + "." + key, "not a string");
            return fallback;
        }
        return it->get<std::string>();
    }
    TimeNs time(const json &j, const char *key, const std::string &where)
    {
        const auto it = j.find(key);
        if (it == j.end()) {
            fail(where + "." + key, "missing");
            return 0;
        }
        if (it->is_number_integer())
            return it->get<TimeNs>();
        if (!it->is_string()) {
            fail(where + "." + key, "not a time (ISO 8601 text or nanoseconds)");
            return 0;
        }
        auto t = parseTime(it->get<std::string>());
        if (!t) {
            fail(where + "." + key, t.error());
            return 0;
        }
        return *t;
    }
    std::vector<TimeWindow> windows(const json &j, const char *key)
    {
        std::vector<TimeWindow> out;
        if (!j.contains(key))
            return out;
        if (!j[key].is_array()) {
            fail(key, "not an array");
            return out;
        }
        for (std::size_t i = 0; i < j[key].size(); ++i) {
            const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
            const json &w = j[key][i];
            if (!w.is_object()) {
                fail(where, "not an object {\"from\", \"to\"}");
                continue;
            }
            TimeWindow tw{time(w, "from", where), time(w, "to", where)};
            if (!failed() && tw.to <= tw.from)
                fail(where, "ends before it starts");
            out.push_back(tw);
        }
        return out;
    }
};

ParameterSpec readParameter(Reader &r, const json &p, const std::string &where)
{
    ParameterSpec s;
    s.name = r.text(p, "name", where, "", true);
    s.lower = r.number(p, "lower", where, 0, true);
    s.upper = r.number(p, "upper", where, 0, true);
    s.start = r.optionalNumber(p, "start", where);
    s.priorMean = r.optionalNumber(p, "priorMean", where);
    s.priorSd = r.optionalNumber(p, "priorSd", where);
    return s;
}

OutputSpec readOutput(Reader &r, const json &o, const std::string &where)
{
    OutputSpec s;
    s.twin = r.text(o, "twin", where, "", true);
    s.sigma = r.optionalNumber(o, "sigma", where);
    s.weight = r.number(o, "weight", where, 1, false);
    const std::string loss = r.text(o, "loss", where, "squared", false);
    if (auto l = lossFromName(loss))
        s.loss = *l;
    else
        r.fail(where + ".loss", "\"" + loss + "\" is not squared, huber or cauchy");
    return s;
}

AcceptanceCriterion readCriterion(Reader &r, const json &c, const std::string &where)
{
    AcceptanceCriterion a;
    a.metric = r.text(c, "metric", where, "", true);
    if (!r.failed() && !knownMetric(a.metric))
        r.fail(where + ".metric", "unknown metric \"" + a.metric + "\"");
    a.op = r.text(c, "op", where, "<=", false);
    if (a.op != "<=" && a.op != ">=")
        r.fail(where + ".op", "\"" + a.op + "\" is neither <= nor >=");
    a.value = r.number(c, "value", where, 0, true);
    a.output = r.text(c, "output", where, "", false);
    const std::string on = r.text(c, "on", where, "holdout", false);
    if (on != "holdout" && on != "calibration")
        r.fail(where + ".on", "\"" + on + "\" is neither holdout nor calibration");
    a.holdout = on == "holdout";
    return a;
}

template <class T, class F> std::vector<T> readArray(Reader &r, const json &j, const char *key, F read)
{
    std::vector<T> out;
    if (!j.contains(key))
        return out;
    if (!j[key].is_array()) {
        r.fail(key, "not an array");
        return out;
    }
    for (std::size_t i = 0; i < j[key].size(); ++i) {
        const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
        if (!j[key][i].is_object())
            r.fail(where, "not an object");
        else
            out.push_back(read(r, j[key][i], where));
    }
    return out;
}
} // namespace

std::string AcceptanceCriterion::describe() const
{
    char value_[32];
    std::snprintf(value_, sizeof value_, "%g", value);
    return metric + (output.empty() ? "" : "(" + output + ")") + " " + op + " " + value_ + " on " +
           (holdout ? "hold-out" : "calibration");
}

std::string definitionToJson(const CalibrationDefinition &d)
{
    json params = json::array(), outputs = json::array(), criteria = json::array();
    for (const auto &p : d.parameters) {
        json j = {{"name", p.name}, {"lower", p.lower}, {"upper", p.upper}};
        if (p.start)
            j["start"] = *p.start;
        if (p.priorMean && p.priorSd) {
            j["priorMean"] = *p.priorMean;
            j["priorSd"] = *p.priorSd;
        }
        params.push_back(j);
    }
    for (const auto &o : d.outputs) {
        json j = {{"twin", o.twin}, {"weight", o.weight}, {"loss", lossName(o.loss)}};
        if (o.sigma)
            j["sigma"] = *o.sigma;
        outputs.push_back(j);
    }
    for (const auto &c : d.acceptance) {
        json j = {{"metric", c.metric},
                  {"op", c.op},
                  {"value", c.value},
                  {"on", c.holdout ? "holdout" : "calibration"}};
        if (!c.output.empty())
            j["output"] = c.output;
        criteria.push_back(j);
    }
    const json j = {{"asset", d.asset},
                    {"parameters", params},
                    {"outputs", outputs},
                    {"inputs", d.inputs},
                    {"windows", windowsJson(d.windows)},
                    {"holdout", windowsJson(d.holdout)},
                    {"step", d.step},
                    {"restartEachWindow", d.restartEachWindow},
                    {"method", d.method},
                    {"seed", d.seed},
                    {"acceptance", criteria}};
    return j.dump(2);
}

Result<CalibrationDefinition> definitionFromJson(const std::string &text)
{
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded())
        return Error{"calibration: malformed JSON"};
    if (!j.is_object())
        return Error{"calibration: not a JSON object"};
    Reader r;
    CalibrationDefinition d;
    d.asset = r.text(j, "asset", "calibration", "", true);
    d.parameters = readArray<ParameterSpec>(r, j, "parameters", readParameter);
    d.outputs = readArray<OutputSpec>(r, j, "outputs", readOutput);
    d.acceptance = readArray<AcceptanceCriterion>(r, j, "acceptance", readCriterion);
    if (j.contains("inputs")) {
        if (!j["inputs"].is_array())
            r.fail("inputs", "not an array of twin references");
        else
            for (const auto &i : j["inputs"])
                if (i.is_string())
                    d.inputs.push_back(i.get<std::string>());
                else
                    r.fail("inputs", "not an array of twin references");
    }
    d.windows = r.windows(j, "windows");
    d.holdout = r.windows(j, "holdout");
    d.step = r.number(j, "step", "calibration", 0, false);
    if (j.contains("restartEachWindow")) {
        if (j["restartEachWindow"].is_boolean())
            d.restartEachWindow = j["restartEachWindow"].get<bool>();
        else
            r.fail("restartEachWindow", "not true or false");
    }
    d.method = r.text(j, "method", "calibration", "lm", false);
    if (d.method != "lm" && d.method != "global")
        r.fail("method", "\"" + d.method + "\" is neither lm nor global");
    const double seed = r.number(j, "seed", "calibration", 1, false);
    if (seed < 0 || seed != std::floor(seed) || seed > 4294967295.0)
        r.fail("seed", "not a whole number from 0 to 4294967295");
    d.seed = unsigned(seed);
    if (r.failed())
        return Error{"calibration: " + r.error};
    return d;
}

namespace {
std::optional<double> number(const std::string &text)
{
    if (text.empty())
        return std::nullopt;
    std::size_t used = 0;
    try {
        const double v = std::stod(text, &used);
        if (used == text.size() && std::isfinite(v))
            return v;
    } catch (...) {
    }
    return std::nullopt;
}
} // namespace

Result<ParameterSpec> parseParameterSpec(const std::string &text)
{
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        return Error{"--param \"" + text + "\": expected NAME=LO:HI[:START]"};
    ParameterSpec p;
    p.name = text.substr(0, eq);
    std::vector<std::string> parts;
    std::string rest = text.substr(eq + 1);
    for (std::size_t pos; (pos = rest.find(':')) != std::string::npos; rest = rest.substr(pos + 1))
        parts.push_back(rest.substr(0, pos));
    parts.push_back(rest);
    if (parts.size() < 2 || parts.size() > 3)
        return Error{"--param \"" + text + "\": expected NAME=LO:HI[:START]"};
    const auto lo = number(parts[0]), hi = number(parts[1]);
    if (!lo || !hi)
        return Error{"--param \"" + text + "\": bounds are not numbers"};
    p.lower = *lo;
    p.upper = *hi;
    if (parts.size() == 3) {
        if (!(p.start = number(parts[2])))
            return Error{"--param \"" + text + "\": start is not a number"};
    }
    return p;
}

Result<AcceptanceCriterion> parseCriterion(const std::string &text)
{
    AcceptanceCriterion c;
    std::string body = text;
    if (const auto at = body.rfind('@'); at != std::string::npos) {
        const std::string on = body.substr(at + 1);
        if (on != "holdout" && on != "calibration")
            return Error{"criterion \"" + text + "\": \"@" + on + "\" is neither @holdout nor @calibration"};
        c.holdout = on == "holdout";
        body = body.substr(0, at);
    }
    const auto opPos = body.find_first_of("<>");
    if (opPos == std::string::npos || opPos + 1 >= body.size() || body[opPos + 1] != '=')
        return Error{"criterion \"" + text + "\": expected METRIC<=VALUE or METRIC>=VALUE"};
    c.op = body.substr(opPos, 2);
    c.metric = body.substr(0, opPos);
    std::string value = body.substr(opPos + 2);
    if (const auto colon = value.find(':'); colon != std::string::npos) {
        c.output = value.substr(colon + 1);
        value = value.substr(0, colon);
    }
    if (!knownMetric(c.metric))
        return Error{"criterion \"" + text + "\": unknown metric \"" + c.metric + "\""};
    const auto v = number(value);
    if (!v)
        return Error{"criterion \"" + text + "\": \"" + value + "\" is not a number"};
    c.value = *v;
    return c;
}

std::string definitionKey(const std::string &assetPath)
{
    return kPrefix + assetPath;
}

void setDefinition(Project &project, const CalibrationDefinition &definition)
{
    project.meta[definitionKey(definition.asset)] = definitionToJson(definition);
}

namespace {
// The definition stored under `key` (unreadable text counts as none).
std::optional<CalibrationDefinition> storedDefinition(const Project &project, const std::string &key)
{
    const auto it = project.meta.find(key);
    if (it == project.meta.end())
        return std::nullopt;
    auto d = definitionFromJson(it->second);
    if (!d)
        return std::nullopt;
    return d.value();
}
} // namespace

std::optional<CalibrationDefinition> findDefinition(const Project &project, const std::string &assetPath)
{
    return storedDefinition(project, definitionKey(assetPath));
}

std::vector<std::string> calibratedAssets(const Project &project)
{
    std::vector<std::string> out;
    for (auto it = project.meta.lower_bound(kPrefix);
         it != project.meta.end() && it->first.rfind(kPrefix, 0) == 0; ++it)
        out.push_back(it->first.substr(kPrefix.size()));
    return out;
}

std::string typeDefinitionKey(const std::string &typeId)
{
    return "calibration-type:" + typeId;
}

void setTypeDefinition(Project &project, const std::string &typeId, CalibrationDefinition definition)
{
    definition.asset.clear();
    project.meta[typeDefinitionKey(typeId)] = definitionToJson(definition);
}

std::optional<CalibrationDefinition> findTypeDefinition(const Project &project, const std::string &typeId)
{
    return storedDefinition(project, typeDefinitionKey(typeId)); // its asset is empty, which reads fine
}

std::optional<CalibrationDefinition> definitionForAsset(const Project &project, const std::string &assetPath,
                                                        std::string *fromType)
{
    if (fromType)
        fromType->clear();
    if (auto own = findDefinition(project, assetPath))
        return own;
    const Asset *asset = project.graph.find(scenario::findAssetByPath(project, assetPath));
    if (!asset)
        return std::nullopt;
    std::vector<std::string> types{asset->typeId};
    for (const auto &base : project.types.ancestors(asset->typeId))
        types.push_back(base);
    for (const auto &type : types)
        if (auto d = findTypeDefinition(project, type)) {
            d->asset = assetPath;
            if (fromType)
                *fromType = type;
            return d;
        }
    return std::nullopt;
}

std::vector<std::string> assetsOfType(const Project &project, const std::string &typeId)
{
    std::vector<std::string> out;
    for (AssetId id : project.graph.allIds())
        if (const Asset *a = project.graph.find(id); a && project.types.isA(a->typeId, typeId))
            out.push_back(project.graph.path(id));
    return out;
}

} // namespace twin::model::calibration
