#include "SspDescription.h"

#include "SspWiring.h"
#include "SspXml.h"

#include <map>
#include <memory>

namespace twin::ssp {

namespace {

using namespace xml;

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

// The values of an ssv:ParameterSet element; `prefix` (a binding's) is prepended to every name.
void readParameterSet(const pugi::xml_node &set, const std::string &prefix,
                      std::vector<std::pair<std::string, double>> &out, std::vector<std::string> &warnings)
{
    each(child(set, "Parameters"), "Parameter", [&](const pugi::xml_node &p) {
        const std::string name = prefix + p.attribute("name").as_string();
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

// `base`: the folder `readFile` resolves names against, for messages.
bool readParameterBindings(const pugi::xml_node &owner, const std::string &label, const std::string &base,
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
            error = where(b) + ": parameter file \"" + base + source + "\" is not in " + label;
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

using ReadFile = std::function<std::optional<std::string>(const std::string &)>;

// A signal dictionary in scope: its unique key and its entries' units.
struct Dictionary
{
    std::string key;
    std::map<std::string, std::string> entries; // name -> unit ("" when none)
};

// The elements of one system, as its connections name them.
struct Scope
{
    const Scope *parent = nullptr;
    std::string path; // "" for the root, "A.B" for system B in system A
    std::string
        base; // folder of the description it is read from, relative to the package root ("" or "sub/")
    std::vector<SspConnector> connectors;
    std::map<std::string, Dictionary> dictionaries;
    struct Element
    {
        wiring::Owner owner = wiring::Owner::Component;
        std::string fullName; // component or system path, or the dictionary's key
        std::vector<SspConnector> connectors;
        const Dictionary *dictionary = nullptr;
    };
    std::map<std::string, Element> elements;

    std::string prefix() const { return path.empty() ? "" : path + "."; }
    const Dictionary *dictionary(const std::string &name) const
    {
        for (const Scope *s = this; s; s = s->parent)
            if (const auto it = s->dictionaries.find(name); it != s->dictionaries.end())
                return &it->second;
        return nullptr;
    }
};

const SspConnector *findConnector(const std::vector<SspConnector> &connectors, const std::string &name)
{
    for (const auto &c : connectors)
        if (c.name == name)
            return &c;
    return nullptr;
}

// Reading a hierarchy: the package's files, what has been read so far, and the connections to resolve.
struct Reader
{
    std::string label;
    const ReadFile &readFile;
    const pugi::xml_node root; // of SystemStructure.ssd, for "#id" references
    SspSystem &out;
    std::vector<wiring::Edge> edges;
    std::vector<std::unique_ptr<pugi::xml_document>> documents; // referenced .ssd files, kept while read
    std::string error;
    int depth = 0;

    bool fail(std::string message)
    {
        if (error.empty())
            error = label + ": " + std::move(message);
        return false;
    }
    bool system(const pugi::xml_node &node, Scope &scope);
    bool dictionaries(const pugi::xml_node &node, Scope &scope);
    bool elements(const pugi::xml_node &node, Scope &scope);
    bool component(const pugi::xml_node &c, Scope &scope);
    pugi::xml_node referencedSystem(const pugi::xml_node &c, const std::string &base,
                                    const std::string &source);
    // readFile for names relative to the description `scope` was read from.
    ReadFile in(const Scope &scope) const
    {
        return [this, base = scope.base](const std::string &name) { return readFile(base + name); };
    }
    void applyValues(const std::vector<std::pair<std::string, double>> &values, const Scope &scope);
    bool connections(const pugi::xml_node &node, const Scope &scope);
    void units(const pugi::xml_node &description);
};

bool Reader::dictionaries(const pugi::xml_node &node, Scope &scope)
{
    bool ok = true;
    each(child(node, "SignalDictionaries"), "SignalDictionary", [&](const pugi::xml_node &d) {
        if (!ok)
            return;
        const std::string name = d.attribute("name").as_string();
        pugi::xml_node content = child(d, "SignalDictionary");
        pugi::xml_document file;
        if (const std::string source = d.attribute("source").as_string(); !source.empty()) {
            const auto text = readFile(scope.base + source);
            if (!text) {
                ok = fail(where(d) + ": signal dictionary file \"" + source + "\" is not in the package");
                return;
            }
            if (const auto parsed = file.load_buffer(text->data(), text->size()); !parsed) {
                ok = fail(source + ": malformed XML: " + parsed.description() + " at byte " +
                          std::to_string(parsed.offset));
                return;
            }
            content = file.first_child();
        }
        if (name.empty() || !is(content, "SignalDictionary")) {
            ok = fail(where(d) + ": a signal dictionary needs a name and an ssb:SignalDictionary");
            return;
        }
        Dictionary dictionary{scope.prefix() + name, {}};
        each(content, "DictionaryEntry", [&](const pugi::xml_node &e) {
            std::string unit;
            for (const pugi::xml_node t : e.children())
                if (t.type() == pugi::node_element && t.attribute("unit"))
                    unit = t.attribute("unit").as_string();
            dictionary.entries[e.attribute("name").as_string()] = unit;
        });
        scope.dictionaries[name] = std::move(dictionary);
    });
    return ok;
}

pugi::xml_node Reader::referencedSystem(const pugi::xml_node &c, const std::string &base,
                                        const std::string &source)
{
    if (source.rfind('#', 0) == 0) { // an embedded system of this document, by its id
        const std::string id = source.substr(1);
        const pugi::xml_node found = root.find_node(
            [&](const pugi::xml_node &n) { return is(n, "System") && id == n.attribute("id").as_string(); });
        if (!found)
            fail(where(c) + ": no system with id \"" + id + "\" in SystemStructure.ssd");
        return found;
    }
    const auto text = readFile(base + source);
    if (!text) {
        fail(where(c) + ": system description \"" + base + source + "\" is not in the package");
        return {};
    }
    documents.push_back(std::make_unique<pugi::xml_document>());
    if (const auto parsed = documents.back()->load_buffer(text->data(), text->size()); !parsed) {
        fail(source + ": malformed XML: " + parsed.description() + " at byte " +
             std::to_string(parsed.offset));
        return {};
    }
    const pugi::xml_node description = documents.back()->first_child();
    const pugi::xml_node system = child(description, "System");
    if (!is(description, "SystemStructureDescription") || !system) {
        fail(source + ": not an ssd:SystemStructureDescription with an ssd:System");
        return {};
    }
    units(description);
    return system;
}

bool Reader::component(const pugi::xml_node &c, Scope &scope)
{
    const std::string name = c.attribute("name").as_string(), source = c.attribute("source").as_string();
    const std::string type = c.attribute("type").as_string("application/x-fmu-sharedlibrary");
    if (name.empty() || source.empty())
        return fail(where(c) + ": a component needs name and source");
    if (scope.elements.count(name))
        return fail("two elements of system \"" + scope.path + "\" are named \"" + name + "\"");
    std::string problem;
    if (type == "application/x-ssp-definition") { // a system described elsewhere, instantiated here
        const pugi::xml_node system = referencedSystem(c, scope.base, source);
        if (!system)
            return false;
        Scope inner{&scope, scope.prefix() + name, scope.base, {}, {}, {}};
        if (source.rfind('#', 0) != 0) // its own file: what it names is relative to that file
            inner.base = scope.base + source.substr(0, source.rfind('/') + 1);
        if (!this->system(system, inner))
            return false;
        // The component's own bindings count as the referenced system's, after its own.
        std::vector<std::pair<std::string, double>> values;
        if (!readParameterBindings(c, label, scope.base, in(scope), values, out.warnings, problem))
            return fail("component \"" + name + "\": " + problem);
        applyValues(values, inner);
        std::vector<SspConnector> connectors = inner.connectors;
        if (!readConnectors(c, connectors, problem)) // declared again on the component: the same names
            return fail("component \"" + name + "\": " + problem);
        scope.elements[name] = {wiring::Owner::System, inner.path, std::move(connectors), nullptr};
        return true;
    }
    if (type != "application/x-fmu-sharedlibrary")
        return fail(
            "component \"" + name + "\" is of type \"" + type + "\"; FMUs and system descriptions run" +
            (type == "application/x-ssp-package" ? " (unpack the nested package into this one)" : ""));
    SspComponent component;
    component.name = scope.prefix() + name;
    component.source = scope.base + source;
    if (!readConnectors(c, component.connectors, problem) ||
        !readParameterBindings(c, label, scope.base, in(scope), component.parameters, out.warnings, problem))
        return fail("component \"" + component.name + "\": " + problem);
    if (out.component(component.name))
        return fail("two components are named \"" + component.name + "\"");
    scope.elements[name] = {wiring::Owner::Component, component.name, component.connectors, nullptr};
    out.components.push_back(std::move(component));
    return true;
}

bool Reader::elements(const pugi::xml_node &node, Scope &scope)
{
    for (const pugi::xml_node e : child(node, "Elements").children()) {
        if (is(e, "Component")) {
            if (!component(e, scope))
                return false;
        } else if (is(e, "System")) {
            const std::string name = e.attribute("name").as_string();
            if (name.empty() || scope.elements.count(name))
                return fail(where(e) + ": a nested system needs a name of its own in \"" + scope.path + "\"");
            Scope inner{&scope, scope.prefix() + name, scope.base, {}, {}, {}};
            if (!system(e, inner))
                return false;
            scope.elements[name] = {wiring::Owner::System, inner.path, inner.connectors, nullptr};
        } else if (is(e, "SignalDictionaryReference")) {
            const std::string name = e.attribute("name").as_string();
            const std::string dictionary = e.attribute("dictionary").as_string();
            const Dictionary *d = scope.dictionary(dictionary);
            if (!d)
                return fail(where(e) + ": no signal dictionary \"" + dictionary +
                            "\" in this system or above");
            std::vector<SspConnector> connectors;
            std::string problem;
            if (!readConnectors(e, connectors, problem))
                return fail(problem);
            for (const auto &c : connectors)
                if (!d->entries.count(c.name))
                    return fail(where(e) + ": connector \"" + c.name +
                                "\" names no entry of signal dictionary \"" + dictionary + "\"");
            if (name.empty() || scope.elements.count(name))
                return fail(where(e) + ": a signal dictionary reference needs a name of its own");
            scope.elements[name] = {wiring::Owner::Dictionary, d->key, std::move(connectors), d};
        }
    }
    return true;
}

// Values bound on a system name variables hierarchically ("B.C.p" in system A is p of component C in
// system B). Applied after those of lower levels, so that they take precedence as the standard asks.
void Reader::applyValues(const std::vector<std::pair<std::string, double>> &values, const Scope &scope)
{
    for (const auto &[name, value] : values) {
        const std::string full = scope.prefix() + name;
        SspComponent *target = nullptr;
        for (auto &c : out.components)
            if (full.rfind(c.name + ".", 0) == 0 && (!target || c.name.size() > target->name.size()))
                target = &c;
        if (!target)
            out.warnings.push_back(label + ": parameter \"" + full +
                                   "\" names no component variable; ignored");
        else
            target->parameters.emplace_back(full.substr(target->name.size() + 1), value);
    }
}

bool Reader::connections(const pugi::xml_node &node, const Scope &scope)
{
    bool ok = true;
    each(child(node, "Connections"), "Connection", [&](const pugi::xml_node &c) {
        if (!ok)
            return;
        wiring::Edge edge;
        const std::string startElement = c.attribute("startElement").as_string(),
                          endElement = c.attribute("endElement").as_string();
        const std::string text =
            (startElement.empty() ? "" : startElement + ".") + c.attribute("startConnector").as_string() +
            " -> " + (endElement.empty() ? "" : endElement + ".") + c.attribute("endConnector").as_string();
        auto end = [&](const std::string &element, const char *attribute, wiring::End &e) {
            e.connector = c.attribute(attribute).as_string();
            if (e.connector.empty())
                return fail(where(c) + ": a connection needs startConnector and endConnector");
            const std::vector<SspConnector> *declared = nullptr;
            if (element.empty()) {
                e.owner = wiring::Owner::System;
                e.element = scope.path;
                e.label = scope.prefix() + e.connector;
                declared = &scope.connectors;
                if (!scope.path.empty() && !findConnector(scope.connectors, e.connector))
                    return fail("connection " + text + " in system \"" + scope.path +
                                "\": the system has no connector \"" + e.connector + "\"");
            } else {
                const auto found = scope.elements.find(element);
                if (found == scope.elements.end())
                    return fail("connection " + text +
                                (scope.path.empty() ? "" : " in system \"" + scope.path + "\"") +
                                ": no component \"" + element + "\"");
                const Scope::Element &el = found->second;
                e.owner = el.owner;
                e.element = el.fullName;
                e.outside = true;
                declared = &el.connectors;
                e.label = el.owner == wiring::Owner::Dictionary
                              ? e.connector + " of signal dictionary " + el.fullName
                              : el.fullName + "." + e.connector;
                if (el.owner != wiring::Owner::Component && !findConnector(el.connectors, e.connector))
                    return fail("connection " + text + ": \"" + element + "\" has no connector \"" +
                                e.connector + "\"");
                if (el.dictionary)
                    e.unit = el.dictionary->entries.at(e.connector);
            }
            if (const SspConnector *d = findConnector(*declared, e.connector)) {
                e.kind = d->kind;
                if (!d->unit.empty())
                    e.unit = d->unit;
            }
            return true;
        };
        if (!end(startElement, "startConnector", edge.start) || !end(endElement, "endConnector", edge.end)) {
            ok = false;
            return;
        }
        edge.suppressUnitConversion = c.attribute("suppressUnitConversion").as_bool();
        if (const pugi::xml_node linear = child(c, "LinearTransformation"))
            edge.linear = std::make_pair(linear.attribute("factor").as_double(1),
                                         linear.attribute("offset").as_double(0));
        for (const pugi::xml_node t : c.children())
            if (is(t, "BooleanMappingTransformation") || is(t, "IntegerMappingTransformation") ||
                is(t, "EnumerationMappingTransformation"))
                out.warnings.push_back(label + ": " + localName(t) + " on " + text + " is not applied");
        edges.push_back(std::move(edge));
    });
    return ok;
}

bool Reader::system(const pugi::xml_node &node, Scope &scope)
{
    if (++depth > 32)
        return fail("systems nested more than 32 deep (does a system description refer to itself?)");
    std::string problem;
    if (!readConnectors(node, scope.connectors, problem))
        return fail(problem);
    if (!dictionaries(node, scope) || !elements(node, scope))
        return false;
    std::vector<std::pair<std::string, double>> values;
    if (!readParameterBindings(node, label, scope.base, in(scope), values, out.warnings, problem))
        return fail(problem);
    applyValues(values, scope);
    if (!connections(node, scope))
        return false;
    --depth;
    return true;
}

void Reader::units(const pugi::xml_node &description)
{
    static const char *const kBase[8] = {"kg", "m", "s", "A", "K", "mol", "cd", "rad"};
    each(child(description, "Units"), "Unit", [&](const pugi::xml_node &u) {
        SspUnit unit;
        unit.name = u.attribute("name").as_string();
        if (out.unit(unit.name))
            return;
        const pugi::xml_node base = child(u, "BaseUnit");
        for (int k = 0; k < 8; ++k)
            unit.exponents[std::size_t(k)] = base.attribute(kBase[k]).as_int();
        unit.factor = base.attribute("factor").as_double(1);
        unit.offset = base.attribute("offset").as_double(0);
        out.units.push_back(std::move(unit));
    });
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

bool parseSystemStructure(const std::string &xml, const std::string &label, const ReadFile &readFile,
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
    Reader reader{label, readFile, root, out, {}, {}, {}, 0};
    reader.units(root);
    Scope scope;
    if (!reader.system(system, scope)) {
        error = reader.error;
        return false;
    }
    out.connectors = scope.connectors;
    std::string problem;
    std::vector<std::string> notes;
    if (!wiring::resolve(reader.edges, out.connections, notes, problem)) {
        error = label + ": " + problem;
        return false;
    }
    for (auto &n : notes)
        out.warnings.push_back(label + ": " + n);
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
