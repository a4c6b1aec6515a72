#include "FmuDescription.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace twin::fmi {

const FmuVariable *FmuDescription::find(const std::string &name) const
{
    for (const auto &v : variables)
        if (v.name == name)
            return &v;
    return nullptr;
}

std::string toValidUtf8(const std::string &text, bool *changed)
{
    std::string out;
    out.reserve(text.size());
    bool modified = false;
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = s[i];
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool valid = len > 0 && i + len <= n;
        for (std::size_t k = 1; valid && k < len; ++k)
            valid = (s[i + k] & 0xC0) == 0x80;
        if (valid && len == 2 && c < 0xC2)
            valid = false; // overlong
        if (valid) {
            out.append(text, i, len);
            i += len;
            continue;
        }
        modified = true; // Latin-1 byte: U+0080..U+00FF as two UTF-8 bytes
        out.push_back(char(0xC0 | (c >> 6)));
        out.push_back(char(0x80 | (c & 0x3F)));
        ++i;
    }
    if (changed)
        *changed = modified;
    return out;
}

namespace {

struct Reader
{
    const std::string &label;
    FmuDescription &out;
    bool sawBadText = false;

    std::string text(const pugi::xml_attribute &a)
    {
        bool changed = false;
        std::string value = toValidUtf8(a.as_string(), &changed);
        sawBadText = sawBadText || changed;
        return value;
    }
    std::optional<double> number(const pugi::xml_node &node, const char *name)
    {
        const pugi::xml_attribute a = node.attribute(name);
        if (!a)
            return std::nullopt;
        char *end = nullptr;
        errno = 0;
        const double value = std::strtod(a.as_string(), &end);
        if (end == a.as_string() || *end != '\0') {
            out.warnings.push_back(label + ": modelDescription.xml: " + node.name() + " attribute " + name +
                                   "=\"" + text(a) + "\" is not a number; ignored");
            return std::nullopt;
        }
        return value;
    }
};

bool readVariable(Reader &r, const pugi::xml_node &node, const pugi::xml_node &typed, FmuVariable &v,
                  std::string &error, const std::vector<std::pair<std::string, std::string>> &typeUnits)
{
    v.name = r.text(node.attribute("name"));
    if (v.name.empty()) {
        error = "a variable has no name";
        return false;
    }
    const pugi::xml_attribute vr = node.attribute("valueReference");
    char *end = nullptr;
    const unsigned long ref = std::strtoul(vr.as_string(), &end, 10);
    if (!vr || end == vr.as_string() || *end != '\0') {
        error = "variable \"" + v.name + "\" has no valid valueReference";
        return false;
    }
    v.valueReference = std::uint32_t(ref);
    v.type = typed.name();
    v.causality = node.attribute("causality") ? r.text(node.attribute("causality")) : "local";
    v.variability =
        node.attribute("variability")
            ? r.text(node.attribute("variability"))
            : (v.type == "Real" || v.type == "Float64" || v.type == "Float32" ? "continuous" : "discrete");
    v.initial = r.text(node.attribute("initial"));
    v.description = r.text(node.attribute("description"));
    v.isArray = bool(typed.child("Dimension"));
    for (const pugi::xml_node d : typed.children("Dimension")) {
        std::optional<std::size_t> start;
        std::optional<std::uint32_t> reference;
        if (d.attribute("start"))
            start = std::size_t(d.attribute("start").as_ullong());
        if (d.attribute("valueReference"))
            reference = d.attribute("valueReference").as_uint();
        v.rawDimensions.emplace_back(start, reference);
    }
    // Start values as numbers: Booleans are "true"/"false" (1 / 0); strings, binaries and arrays have none.
    const std::string start = typed.attribute("start").as_string();
    if (v.type == "Boolean" && (start == "true" || start == "false"))
        v.start = start == "true" ? 1.0 : 0.0;
    else if (v.isNumeric())
        v.start = r.number(typed, "start");
    // Text and bytes: a start attribute (FMI 1 / 2) or the first <Start value="..."/> (FMI 3; Binary as hex).
    if (v.type == "String" || v.type == "Binary") {
        if (typed.attribute("start"))
            v.startText = r.text(typed.attribute("start"));
        else if (const pugi::xml_node first = typed.child("Start"); first && first.attribute("value"))
            v.startText = r.text(first.attribute("value"));
    }
    v.unit = r.text(typed.attribute("unit"));
    if (v.unit.empty() && typed.attribute("declaredType")) {
        const std::string declared = typed.attribute("declaredType").as_string();
        for (const auto &[typeName, unit] : typeUnits)
            if (typeName == declared)
                v.unit = unit;
    }
    return true;
}

// FMI 3 arrays whose sizes are known (a Dimension's start, or its structural parameter's start value) get
// one numeric variable per element, "name[i]" or "name[i,j]", row-major from 1, with its start value.
void expandArrays(const pugi::xml_node &root, FmuDescription &d)
{
    std::vector<FmuVariable> elements;
    for (FmuVariable &v : d.variables) {
        if (!v.isArray || v.rawDimensions.empty())
            continue;
        std::size_t length = 1;
        for (const auto &[start, reference] : v.rawDimensions) {
            std::optional<std::size_t> size = start;
            if (!size && reference)
                for (const auto &p : d.variables)
                    if (p.valueReference == *reference && !p.isArray && p.start)
                        size = std::size_t(*p.start);
            if (!size) {
                v.dimensions.clear();
                break;
            }
            v.dimensions.push_back(*size);
            length *= *size;
        }
        if (v.dimensions.size() != v.rawDimensions.size() || length == 0 || length > 100000)
            continue;
        // The array's start values, space-separated in the variable's element.
        std::vector<double> starts;
        for (const pugi::xml_node node : root.child("ModelVariables").children())
            if (std::string(node.attribute("name").as_string()) == v.name) {
                std::istringstream list(node.attribute("start").as_string());
                for (std::string word; list >> word;)
                    starts.push_back(word == "true"    ? 1
                                     : word == "false" ? 0
                                                       : std::strtod(word.c_str(), nullptr));
            }
        for (std::size_t k = 0; k < length; ++k) {
            FmuVariable e = v;
            e.isArray = false;
            e.rawDimensions.clear();
            e.arrayLength = length;
            e.element = k;
            e.start = k < starts.size() ? std::optional<double>(starts[k]) : std::nullopt;
            std::string index;
            std::size_t rest = k, stride = length;
            for (std::size_t size : v.dimensions) {
                stride /= size;
                index += (index.empty() ? "" : ",") + std::to_string(rest / stride + 1);
                rest %= stride;
            }
            e.name = v.name + "[" + index + "]";
            elements.push_back(std::move(e));
        }
    }
    d.variables.insert(d.variables.end(), elements.begin(), elements.end());
}

// From ModelStructure: FMI 2 <Outputs><Unknown index dependencies="1 3"> (indices into ModelVariables, from
// 1), FMI 3 <Output valueReference dependencies="..."> (value references); a missing dependencies attribute
// means "may depend on everything". FMI 1.0 (DirectDependency) is taken as feedthrough.
bool hasDirectFeedthrough(const pugi::xml_node &root, const FmuDescription &d)
{
    const bool anyInput = std::any_of(d.variables.begin(), d.variables.end(),
                                      [](const FmuVariable &v) { return v.causality == "input"; });
    if (!anyInput)
        return false;
    if (d.fmiMajor == 1)
        return true;
    const pugi::xml_node structure = root.child("ModelStructure");
    auto isInput = [&](unsigned long key) {
        if (d.fmiMajor == 2)
            return key >= 1 && key <= d.variables.size() && d.variables[key - 1].causality == "input";
        return std::any_of(d.variables.begin(), d.variables.end(), [&](const FmuVariable &v) {
            return v.valueReference == key && v.causality == "input";
        });
    };
    const auto outputs =
        d.fmiMajor == 2 ? structure.child("Outputs").children("Unknown") : structure.children("Output");
    for (const pugi::xml_node output : outputs) {
        const pugi::xml_attribute deps = output.attribute("dependencies");
        if (!deps)
            return true;
        std::istringstream list(deps.as_string());
        for (unsigned long key; list >> key;)
            if (isInput(key))
                return true;
    }
    return false;
}

// FMI 1.0 variables in FMI 2.0 terms.
void mapFmi1Variable(const pugi::xml_node &node, const pugi::xml_node &typed, FmuVariable &v)
{
    const std::string variability = node.attribute("variability").as_string("continuous");
    const std::string causality = node.attribute("causality").as_string("internal");
    v.negated = std::string(node.attribute("alias").as_string()) == "negatedAlias";
    if (variability == "parameter") {
        v.causality = causality == "input" ? "input" : "parameter";
        v.variability = "fixed";
    } else {
        v.causality = causality == "input" || causality == "output" ? causality : "local";
        v.variability = variability;
    }
    if (typed.attribute("start"))
        v.initial = std::string(typed.attribute("fixed").as_string("true")) == "false" ? "approx" : "exact";
    else
        v.initial = v.causality == "input" ? "" : "calculated";
}

// FMI 1.0: identity on the root element; co-simulation when <Implementation> is there, else model exchange.
bool readFmi1Interfaces(Reader &r, const pugi::xml_node &root, FmuDescription &out, std::string &error)
{
    out.modelIdentifier = r.text(root.attribute("modelIdentifier"));
    if (out.modelIdentifier.empty()) {
        error = r.label + ": <fmiModelDescription> lacks the modelIdentifier attribute (FMI 1.0)";
        return false;
    }
    out.continuousStates = root.attribute("numberOfContinuousStates").as_uint();
    out.eventIndicators = root.attribute("numberOfEventIndicators").as_uint();
    const pugi::xml_node implementation = root.child("Implementation");
    if (!implementation) {
        out.modelExchange.present = true;
        out.modelExchange.modelIdentifier = out.modelIdentifier;
        return true;
    }
    pugi::xml_node slave = implementation.child("CoSimulation_StandAlone");
    if (!slave)
        slave = implementation.child("CoSimulation_Tool");
    if (!slave) {
        error = r.label + ": <Implementation> has neither <CoSimulation_StandAlone> nor <CoSimulation_Tool>";
        return false;
    }
    out.hasCoSimulation = true;
    const pugi::xml_node caps = slave.child("Capabilities");
    out.capabilities.canHandleVariableCommunicationStepSize =
        caps.attribute("canHandleVariableCommunicationStepSize").as_bool();
    out.capabilities.canBeInstantiatedOnlyOncePerProcess =
        caps.attribute("canBeInstantiatedOnlyOncePerProcess").as_bool();
    out.capabilities.canInterpolateInputs = caps.attribute("canInterpolateInputs").as_bool();
    out.capabilities.needsExecutionTool = std::string(slave.name()) == "CoSimulation_Tool";
    return true;
}

} // namespace

bool parseModelDescription(const std::string &xml, const std::string &label, FmuDescription &out,
                           std::string &error)
{
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
    if (!parsed) {
        error = label + ": modelDescription.xml is malformed: " + parsed.description() + " at byte offset " +
                std::to_string(parsed.offset);
        return false;
    }
    const pugi::xml_node root = doc.child("fmiModelDescription");
    if (!root) {
        error = label + ": modelDescription.xml has no <fmiModelDescription> root element";
        return false;
    }
    Reader r{label, out};
    out.fmiVersion = r.text(root.attribute("fmiVersion"));
    if (out.fmiVersion.rfind("1.", 0) == 0)
        out.fmiMajor = 1;
    else if (out.fmiVersion.rfind("2.", 0) == 0)
        out.fmiMajor = 2;
    else if (out.fmiVersion.rfind("3.", 0) == 0)
        out.fmiMajor = 3;
    else {
        error = label + ": unsupported fmiVersion \"" + out.fmiVersion +
                "\" (FMI 1.0, 2.0 and 3.0 are supported)";
        return false;
    }
    out.modelName = r.text(root.attribute("modelName"));
    out.token = r.text(root.attribute(out.fmiMajor == 3 ? "instantiationToken" : "guid"));
    out.description = r.text(root.attribute("description"));
    out.generationTool = r.text(root.attribute("generationTool"));

    if (out.fmiMajor == 1 && !readFmi1Interfaces(r, root, out, error))
        return false;
    const pugi::xml_node cs = root.child("CoSimulation"), me = root.child("ModelExchange");
    if (out.fmiMajor == 1) {
        // nothing more: the interface was read from <Implementation>
    } else {
        if (!cs && !me) {
            error = label + ": neither <CoSimulation> nor <ModelExchange> in modelDescription.xml";
            return false;
        }
        for (const pugi::xml_node node : {cs, me})
            if (node && r.text(node.attribute("modelIdentifier")).empty()) {
                error = label + ": <" + node.name() + "> lacks the modelIdentifier attribute";
                return false;
            }
        out.hasCoSimulation = bool(cs);
        if (me) {
            FmuModelExchange &m = out.modelExchange;
            m.present = true;
            m.modelIdentifier = r.text(me.attribute("modelIdentifier"));
            m.needsCompletedIntegratorStep = out.fmiMajor == 2
                                                 ? !me.attribute("completedIntegratorStepNotNeeded").as_bool()
                                                 : me.attribute("needsCompletedIntegratorStep").as_bool();
            m.canGetAndSetFMUState =
                me.attribute(out.fmiMajor == 2 ? "canGetAndSetFMUstate" : "canGetAndSetFMUState").as_bool();
            m.canSerializeFMUState =
                me.attribute(out.fmiMajor == 2 ? "canSerializeFMUstate" : "canSerializeFMUState").as_bool();
            m.canBeInstantiatedOnlyOncePerProcess =
                me.attribute("canBeInstantiatedOnlyOncePerProcess").as_bool();
        }
        out.modelIdentifier = r.text((cs ? cs : me).attribute("modelIdentifier"));
        const pugi::xml_node structure = root.child("ModelStructure");
        if (out.fmiMajor == 2) {
            for ([[maybe_unused]] const pugi::xml_node u : structure.child("Derivatives").children("Unknown"))
                ++out.continuousStates;
            out.eventIndicators = root.attribute("numberOfEventIndicators").as_uint();
        } else {
            for ([[maybe_unused]] const pugi::xml_node u : structure.children("ContinuousStateDerivative"))
                ++out.continuousStates;
            for ([[maybe_unused]] const pugi::xml_node u : structure.children("EventIndicator"))
                ++out.eventIndicators;
        }
    }
    if (out.fmiMajor != 1) {
        FmuCapabilities &caps = out.capabilities;
        caps.canHandleVariableCommunicationStepSize =
            cs.attribute("canHandleVariableCommunicationStepSize").as_bool();
        caps.canGetAndSetFMUState =
            cs.attribute(out.fmiMajor == 2 ? "canGetAndSetFMUstate" : "canGetAndSetFMUState").as_bool();
        caps.canSerializeFMUState =
            cs.attribute(out.fmiMajor == 2 ? "canSerializeFMUstate" : "canSerializeFMUState").as_bool();
        caps.canBeInstantiatedOnlyOncePerProcess =
            cs.attribute("canBeInstantiatedOnlyOncePerProcess").as_bool();
        caps.needsExecutionTool = cs.attribute("needsExecutionTool").as_bool();
        caps.canInterpolateInputs = cs.attribute("canInterpolateInputs").as_bool();
        caps.hasEventMode = cs.attribute("hasEventMode").as_bool();
        caps.mightReturnEarlyFromDoStep = cs.attribute("mightReturnEarlyFromDoStep").as_bool();
        caps.fixedInternalStepSize = r.number(cs, "fixedInternalStepSize");
    }

    for (const pugi::xml_node unit : root.child("UnitDefinitions").children("BaseUnit")) // FMI 1.0
        out.units.push_back({r.text(unit.attribute("unit")), {}});
    for (const pugi::xml_node unit : root.child("UnitDefinitions").children("Unit")) {
        FmuUnit u{r.text(unit.attribute("name")), {}};
        static const char *const kBase[8] = {"kg", "m", "s", "A", "K", "mol", "cd", "rad"};
        u.hasBaseUnit = bool(unit.child("BaseUnit"));
        for (const pugi::xml_attribute a : unit.child("BaseUnit").attributes()) {
            u.baseUnits += (u.baseUnits.empty() ? "" : ", ") + std::string(a.name()) + "=" + a.as_string();
            const std::string name = a.name();
            if (name == "factor")
                u.factor = a.as_double(1);
            else if (name == "offset")
                u.offset = a.as_double(0);
            for (int k = 0; k < 8; ++k)
                if (name == kBase[k])
                    u.exponents[std::size_t(k)] = a.as_int();
        }
        out.units.push_back(std::move(u));
    }
    // Declared types carry units: FMI 2 <SimpleType name><Real unit/>, FMI 3 <Float64Type name unit/>.
    std::vector<std::pair<std::string, std::string>> typeUnits;
    for (const pugi::xml_node type : root.child("TypeDefinitions").children()) {
        const pugi::xml_node unitHolder = out.fmiMajor == 3 ? type : type.first_child();
        if (unitHolder.attribute("unit"))
            typeUnits.emplace_back(type.attribute("name").as_string(), r.text(unitHolder.attribute("unit")));
    }
    if (const pugi::xml_node exp = root.child("DefaultExperiment")) {
        out.startTime = r.number(exp, "startTime");
        out.stopTime = r.number(exp, "stopTime");
        out.tolerance = r.number(exp, "tolerance");
        out.stepSize = r.number(exp, "stepSize");
    }
    const pugi::xml_node vars = root.child("ModelVariables");
    if (!vars) {
        error = label + ": modelDescription.xml has no <ModelVariables> element";
        return false;
    }
    for (const pugi::xml_node node : vars.children()) {
        FmuVariable v;
        std::string problem;
        const bool ok = out.fmiMajor != 3
                            ? std::string(node.name()) == "ScalarVariable" &&
                                  readVariable(r, node, node.first_child(), v, problem, typeUnits)
                            : readVariable(r, node, node, v, problem, typeUnits);
        if (ok && out.fmiMajor == 1)
            mapFmi1Variable(node, node.first_child(), v);
        if (!ok) {
            error = label + ": modelDescription.xml: <" + node.name() + "> at byte offset " +
                    std::to_string(node.offset_debug()) + ": " +
                    (problem.empty() ? "is not a ScalarVariable" : problem);
            return false;
        }
        out.variables.push_back(std::move(v));
    }
    expandArrays(root, out);
    out.directFeedthrough = hasDirectFeedthrough(root, out);
    if (r.sawBadText)
        out.warnings.push_back(label + ": modelDescription.xml has text that is not valid UTF-8; it was read "
                                       "as Latin-1");
    return true;
}

} // namespace twin::fmi
