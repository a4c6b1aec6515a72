#include "SspDescription.h"

#include <pugixml.hpp>

#include <cstring>

namespace twin::ssp {

namespace {

// SSP files use the ssd:/ssc:/ssv: prefixes by convention only: elements are matched by local name.
const char *localName(const pugi::xml_node &node)
{
    const char *name = node.name();
    const char *colon = std::strrchr(name, ':');
    return colon ? colon + 1 : name;
}
bool is(const pugi::xml_node &node, const char *local)
{
    return node.type() == pugi::node_element && std::strcmp(localName(node), local) == 0;
}
pugi::xml_node child(const pugi::xml_node &node, const char *local)
{
    for (const pugi::xml_node c : node.children())
        if (is(c, local))
            return c;
    return {};
}
template <class F> void each(const pugi::xml_node &node, const char *local, F &&f)
{
    for (const pugi::xml_node c : node.children())
        if (is(c, local))
            f(c);
}

std::string where(const pugi::xml_node &node)
{
    std::string name = node.attribute("name").as_string();
    return std::string("<") + node.name() + (name.empty() ? "" : " name=\"" + name + "\"") + "> (byte " +
           std::to_string(node.offset_debug()) + ")";
}

bool readConnectors(const pugi::xml_node &owner, std::vector<SspConnector> &out, std::string &error)
{
    bool ok = true;
    each(child(owner, "Connectors"), "Connector", [&](const pugi::xml_node &c) {
        SspConnector connector;
        connector.name = c.attribute("name").as_string();
        connector.kind = c.attribute("kind").as_string();
        if (connector.name.empty() || connector.kind.empty()) {
            if (ok)
                error = where(c) + ": a connector needs name and kind";
            ok = false;
            return;
        }
        for (const pugi::xml_node t : c.children())
            if (t.type() == pugi::node_element &&
                (is(t, "Real") || is(t, "Integer") || is(t, "Boolean") || is(t, "String") ||
                 is(t, "Enumeration") || is(t, "Binary"))) {
                connector.type = localName(t);
                connector.unit = t.attribute("unit").as_string();
            }
        out.push_back(std::move(connector));
    });
    return ok;
}

// The values of an ssv:ParameterSet element; `prefix` is removed from names that start with it.
void readParameterSet(const pugi::xml_node &set, const std::string &prefix,
                      std::vector<std::pair<std::string, double>> &out, std::vector<std::string> &warnings)
{
    each(child(set, "Parameters"), "Parameter", [&](const pugi::xml_node &p) {
        std::string name = p.attribute("name").as_string();
        if (!prefix.empty() && name.rfind(prefix, 0) == 0)
            name = name.substr(prefix.size());
        for (const pugi::xml_node v : p.children()) {
            if (is(v, "Real") || is(v, "Integer"))
                out.emplace_back(name, v.attribute("value").as_double());
            else if (is(v, "Boolean"))
                out.emplace_back(name, std::string(v.attribute("value").as_string()) == "true" ? 1.0 : 0.0);
            else if (v.type() == pugi::node_element)
                warnings.push_back("parameter \"" + name + "\": " + localName(v) +
                                   " values are not applied (numbers only)");
        }
    });
}

bool readParameterBindings(const pugi::xml_node &owner, const std::string &label,
                           const std::function<std::optional<std::string>(const std::string &)> &readFile,
                           std::vector<std::pair<std::string, double>> &out,
                           std::vector<std::string> &warnings, std::string &error)
{
    bool ok = true;
    each(child(owner, "ParameterBindings"), "ParameterBinding", [&](const pugi::xml_node &b) {
        if (!ok)
            return;
        const std::string prefix = b.attribute("prefix").as_string();
        if (const pugi::xml_node inline_ = child(child(b, "ParameterValues"), "ParameterSet")) {
            readParameterSet(inline_, prefix, out, warnings);
            return;
        }
        const std::string source = b.attribute("source").as_string();
        if (source.empty()) {
            warnings.push_back(where(b) + ": a parameter binding without values or source is ignored");
            return;
        }
        const auto text = readFile(source);
        if (!text) {
            error = where(b) + ": parameter file \"" + source + "\" is not in " + label;
            ok = false;
            return;
        }
        pugi::xml_document doc;
        if (const auto parsed = doc.load_buffer(text->data(), text->size()); !parsed) {
            error = source + ": malformed XML: " + parsed.description() + " at byte " +
                    std::to_string(parsed.offset);
            ok = false;
            return;
        }
        const pugi::xml_node set = doc.first_child();
        if (!is(set, "ParameterSet")) {
            error = source + ": not an ssv:ParameterSet";
            ok = false;
            return;
        }
        readParameterSet(set, prefix, out, warnings);
    });
    return ok;
}

} // namespace

const SspComponent *SspSystem::component(const std::string &name) const
{
    for (const auto &c : components)
        if (c.name == name)
            return &c;
    return nullptr;
}

const SspUnit *SspSystem::unit(const std::string &name) const
{
    for (const auto &u : units)
        if (u.name == name)
            return &u;
    return nullptr;
}

bool parseSystemStructure(const std::string &xml, const std::string &label,
                          const std::function<std::optional<std::string>(const std::string &)> &readFile,
                          SspSystem &out, std::string &error)
{
    pugi::xml_document doc;
    if (const auto parsed = doc.load_buffer(xml.data(), xml.size()); !parsed) {
        error = label + ": SystemStructure.ssd is malformed: " + parsed.description() + " at byte " +
                std::to_string(parsed.offset);
        return false;
    }
    const pugi::xml_node root = doc.first_child();
    if (!is(root, "SystemStructureDescription")) {
        error = label + ": SystemStructure.ssd has no ssd:SystemStructureDescription root";
        return false;
    }
    out.version = root.attribute("version").as_string();
    if (out.version.rfind("1.", 0) != 0 && out.version != "2.0")
        out.warnings.push_back(label + ": SSP version \"" + out.version + "\" is read as 1.0");
    const pugi::xml_node system = child(root, "System");
    if (!system) {
        error = label + ": SystemStructure.ssd has no ssd:System";
        return false;
    }
    out.name = system.attribute("name").as_string(root.attribute("name").as_string("system"));
    std::string problem;
    if (!readConnectors(system, out.connectors, problem)) {
        error = label + ": " + problem;
        return false;
    }
    bool ok = true;
    each(child(system, "Elements"), "Component", [&](const pugi::xml_node &c) {
        if (!ok)
            return;
        SspComponent component;
        component.name = c.attribute("name").as_string();
        component.source = c.attribute("source").as_string();
        const std::string type = c.attribute("type").as_string("application/x-fmu-sharedlibrary");
        if (component.name.empty() || component.source.empty()) {
            error = label + ": " + where(c) + ": a component needs name and source";
            ok = false;
        } else if (type != "application/x-fmu-sharedlibrary") {
            error =
                label + ": component \"" + component.name + "\" is of type \"" + type + "\"; only FMUs run";
            ok = false;
        } else if (!readConnectors(c, component.connectors, problem) ||
                   !readParameterBindings(c, label, readFile, component.parameters, out.warnings, problem)) {
            error = label + ": component \"" + component.name + "\": " + problem;
            ok = false;
        } else if (out.component(component.name)) {
            error = label + ": two components are named \"" + component.name + "\"";
            ok = false;
        } else {
            out.components.push_back(std::move(component));
        }
    });
    if (!ok)
        return false;
    each(child(system, "Elements"), "System", [&](const pugi::xml_node &s) {
        out.warnings.push_back(label + ": nested system \"" + std::string(s.attribute("name").as_string()) +
                               "\" is not supported and left out");
    });
    if (child(system, "SignalDictionaries"))
        out.warnings.push_back(label + ": signal dictionaries are not supported and left out");
    // System-level parameter values name "Component.variable".
    std::vector<std::pair<std::string, double>> systemValues;
    if (!readParameterBindings(system, label, readFile, systemValues, out.warnings, problem)) {
        error = label + ": " + problem;
        return false;
    }
    for (const auto &[name, value] : systemValues) {
        const auto dot = name.find('.');
        SspComponent *target = nullptr;
        for (auto &c : out.components)
            if (dot != std::string::npos && c.name == name.substr(0, dot))
                target = &c;
        if (!target)
            out.warnings.push_back(label + ": system parameter \"" + name + "\" names no component; ignored");
        else
            target->parameters.emplace_back(name.substr(dot + 1), value);
    }
    each(child(system, "Connections"), "Connection", [&](const pugi::xml_node &c) {
        if (!ok)
            return;
        SspConnection connection;
        connection.startElement = c.attribute("startElement").as_string();
        connection.startConnector = c.attribute("startConnector").as_string();
        connection.endElement = c.attribute("endElement").as_string();
        connection.endConnector = c.attribute("endConnector").as_string();
        connection.suppressUnitConversion = c.attribute("suppressUnitConversion").as_bool();
        if (connection.startConnector.empty() || connection.endConnector.empty()) {
            error = label + ": " + where(c) + ": a connection needs startConnector and endConnector";
            ok = false;
            return;
        }
        for (const std::string *element : {&connection.startElement, &connection.endElement})
            if (!element->empty() && !out.component(*element)) {
                error = label + ": connection " + connection.startElement + "." + connection.startConnector +
                        " -> " + connection.endElement + "." + connection.endConnector + ": no component \"" +
                        *element + "\"";
                ok = false;
                return;
            }
        if (const pugi::xml_node linear = child(c, "LinearTransformation"))
            connection.linear = std::make_pair(linear.attribute("factor").as_double(1),
                                               linear.attribute("offset").as_double(0));
        for (const pugi::xml_node t : c.children())
            if (is(t, "BooleanMappingTransformation") || is(t, "IntegerMappingTransformation") ||
                is(t, "EnumerationMappingTransformation"))
                out.warnings.push_back(label + ": " + localName(t) + " on " + connection.startConnector +
                                       " -> " + connection.endConnector + " is not applied");
        out.connections.push_back(std::move(connection));
    });
    if (!ok)
        return false;
    static const char *const kBase[8] = {"kg", "m", "s", "A", "K", "mol", "cd", "rad"};
    each(child(root, "Units"), "Unit", [&](const pugi::xml_node &u) {
        SspUnit unit;
        unit.name = u.attribute("name").as_string();
        const pugi::xml_node base = child(u, "BaseUnit");
        for (int k = 0; k < 8; ++k)
            unit.exponents[std::size_t(k)] = base.attribute(kBase[k]).as_int();
        unit.factor = base.attribute("factor").as_double(1);
        unit.offset = base.attribute("offset").as_double(0);
        out.units.push_back(std::move(unit));
    });
    if (const pugi::xml_node experiment = child(root, "DefaultExperiment")) {
        if (experiment.attribute("startTime"))
            out.startTime = experiment.attribute("startTime").as_double();
        if (experiment.attribute("stopTime"))
            out.stopTime = experiment.attribute("stopTime").as_double();
    }
    if (out.components.empty()) {
        error = label + ": the system has no FMU components";
        return false;
    }
    return true;
}

} // namespace twin::ssp
