#include "dtdl/DtdlReader.h"

#include "dtdl/DtdlMetamodel.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace twin::model::dtdl::detail {

namespace {

using json = nlohmann::json;

struct Scope
{
    int version = 0;
    bool quantitative = false;
    bool undefinedExtension = false;
};

bool isKnownPropertyTerm(const std::string &term)
{
    static const std::set<std::string> terms = {
        "comment",         "contents", "description", "displayName", "elementSchema", "enumValue",
        "enumValues",      "extends",  "fields",      "mapKey",      "mapValue",      "maxMultiplicity",
        "minMultiplicity", "name",     "properties",  "request",     "response",      "schema",
        "schemas",         "target",   "unit",        "valueSchema", "writable",      "commandType"};
    return terms.count(term) > 0;
}

std::string quote(const std::string &text)
{
    return "\"" + (text.size() > 80 ? text.substr(0, 80) + "..." : text) + "\"";
}

bool isLanguageTag(const std::string &tag)
{
    // BCP 47-ish: primary subtag of 2-8 letters, then "-" subtags of 1-8 alphanumerics.
    size_t i = 0;
    while (i < tag.size() && std::isalpha(static_cast<unsigned char>(tag[i])))
        ++i;
    if (i < 2 || i > 3)
        return false;
    while (i < tag.size()) {
        if (tag[i] != '-')
            return false;
        size_t j = ++i;
        while (j < tag.size() && std::isalnum(static_cast<unsigned char>(tag[j])))
            ++j;
        if (j == i || j - i > 8)
            return false;
        i = j;
    }
    return true;
}

class Reader
{
public:
    Reader(Model &model, Diagnostics &diag, const ImportOptions &options, std::string file)
        : m_model(model), m_diag(diag), m_options(options), m_file(std::move(file))
    {
    }

    void readRoot(const json &root)
    {
        if (root.is_object()) {
            readTop(root, "$");
        } else if (root.is_array()) {
            for (size_t i = 0; i < root.size(); ++i)
                readTop(root[i], "$[" + std::to_string(i) + "]");
        } else {
            error("$", "RootArrayOrObj", "a DTDL document must be a JSON object or array");
        }
    }

private:
    void error(const std::string &path, const std::string &rule, const std::string &message)
    {
        m_diag.error(m_file, path, rule, message);
    }

    void readTop(const json &value, const std::string &path)
    {
        if (!value.is_object()) {
            error(path, "TopLevelRootable", "top-level element must be a JSON object");
            return;
        }
        if (!value.contains("@context")) {
            error(path, "TopLevelDtdlContext", "top-level element has no @context with a DTDL context");
            return;
        }
        Scope scope;
        const int index = readElement(value, path, {"Interface"}, nullptr, scope, -1, true);
        if (index >= 0)
            m_model.topLevel.push_back(index);
    }

    // Applies an @context value to the scope. Returns false on error.
    bool readContext(const json &value, const std::string &path, Scope &scope, bool top,
                     const PropertySpec *via = nullptr)
    {
        std::vector<std::string> contexts;
        if (value.is_string()) {
            contexts.push_back(value.get<std::string>());
        } else if (value.is_array()) {
            for (const auto &item : value) {
                if (!item.is_string()) {
                    error(path, "ContextArrayAllStrings", "@context array must contain only strings");
                    return false;
                }
                contexts.push_back(item.get<std::string>());
            }
        } else {
            error(path, "ContextStringOrArray", "@context must be a string or an array of strings");
            return false;
        }
        bool sawDtdl = false;
        bool sawExtension = false;
        for (const auto &context : contexts) {
            const ContextKind kind = classifyContext(context);
            switch (kind) {
            case ContextKind::DtdlV2:
            case ContextKind::DtdlV3:
                if (!top) {
                    // A v3 model may embed v2 elements where v2 classes are acceptable.
                    static const std::set<std::string> embeddable = {"contents", "extends", "schema",
                                                                     "elementSchema", "properties"};
                    if (scope.version != 3 || kind != ContextKind::DtdlV2 || !via ||
                        !embeddable.count(via->name)) {
                        error(path, "ContextConforms",
                              "DTDL context " + quote(context) + " is not allowed here");
                        return false;
                    }
                }
                if (sawExtension) {
                    error(path, "ContextDtdlPrecedesOrOnly",
                          "the DTDL context must precede extension contexts: " + quote(context));
                    return false;
                }
                scope.version = kind == ContextKind::DtdlV2 ? 2 : 3;
                sawDtdl = true;
                break;
            case ContextKind::QuantitativeTypes:
            case ContextKind::KnownExtension: {
                const bool iotCentral = context.rfind("dtmi:iotcentral:", 0) == 0;
                if (!iotCentral)
                    sawExtension = true;
                const int needed = iotCentral ? 2 : 3;
                if (scope.version != 0 && scope.version != needed) {
                    if (!m_options.allowUndefinedExtensions) {
                        error(path, "ContextConforms",
                              "extension " + quote(context) + " is not defined for DTDL v" +
                                  std::to_string(scope.version));
                        return false;
                    }
                    scope.undefinedExtension = true;
                }
                if (kind == ContextKind::QuantitativeTypes)
                    scope.quantitative = true;
                break;
            }
            case ContextKind::Undefined:
                sawExtension = true;
                if (!m_options.allowUndefinedExtensions) {
                    error(path, "ContextConforms", "undefined extension context " + quote(context));
                    return false;
                }
                scope.undefinedExtension = true;
                break;
            case ContextKind::Unsupported:
                error(path, "ContextConforms", "unsupported DTDL context " + quote(context));
                return false;
            case ContextKind::Invalid:
                error(path, "ContextDtmiWithVersion",
                      "context " + quote(context) + " is not a versioned DTMI");
                return false;
            }
        }
        if (top && !sawDtdl) {
            error(path, "TopLevelDtdlContext", "top-level @context must include a DTDL context");
            return false;
        }
        return true;
    }

    static std::string implicitClass(const PropertySpec *via)
    {
        if (!via || via->classes.size() != 1)
            return {};
        const std::string &cls = via->classes[0];
        static const std::set<std::string> implicit = {"Field",          "EnumValue",      "MapKey",
                                                       "MapValue",       "CommandPayload", "CommandRequest",
                                                       "CommandResponse"};
        return implicit.count(cls) ? cls : std::string();
    }

    // Reads the @type member; fills cls and co-types. Returns false on error.
    bool readTypes(const json &obj, const std::string &path, const std::vector<std::string> &allowed,
                   const PropertySpec *via, const Scope &scope, Node &node)
    {
        std::vector<std::string> types;
        if (obj.contains("@type")) {
            const json &t = obj["@type"];
            if (t.is_string()) {
                types.push_back(t.get<std::string>());
            } else if (t.is_array()) {
                for (const auto &item : t) {
                    if (!item.is_string()) {
                        error(path + ".@type", "TypeStringOrArray",
                              "@type must be a string or array of strings");
                        return false;
                    }
                    types.push_back(item.get<std::string>());
                }
            } else {
                error(path + ".@type", "TypeStringOrArray", "@type must be a string or array of strings");
                return false;
            }
        }
        const int version = scope.version;
        for (const auto &raw : types) {
            const std::string term = termFromDtmi(version, raw);
            if (isMaterialClass(version, term)) {
                if (!node.cls.empty() && node.cls != term) {
                    error(path + ".@type", "TypeIncludesMaterial",
                          "@type names two classes: " + node.cls + " and " + term);
                    return false;
                }
                node.cls = term;
                continue;
            }
            std::string semantic = isSemanticType(term) ? term : semanticTypeFromDtmi(version, raw);
            if (!semantic.empty() && (version == 2 || scope.quantitative)) {
                if (std::find(node.semanticTypes.begin(), node.semanticTypes.end(), semantic) !=
                    node.semanticTypes.end())
                    continue;
                node.semanticTypes.push_back(semantic);
                node.cotypes.push_back(semantic);
                continue;
            }
            if (isKnownAdjunctType(term) && version >= 3) {
                node.cotypes.push_back(term);
                continue;
            }
            if (raw.find(':') != std::string::npos) {
                if (raw.rfind("dtmi:", 0) != 0 && version >= 3) {
                    error(path + ".@type", "TypeIncludesNotDtmiNorTerm",
                          "@type value " + quote(raw) + " is neither a DTMI nor a term");
                    return false;
                }
                if (raw.rfind("dtmi:", 0) == 0 && !isDtmi(raw, version)) {
                    error(path + ".@type", "TypeIncludesInvalidDtmi",
                          "@type value " + quote(raw) + " is not a valid DTMI");
                    return false;
                }
            }
            const bool pureTerm = raw.find(':') == std::string::npos && !isPrimitiveSchema(version, raw) &&
                                  raw != "synchronous" && raw != "asynchronous" && !isKnownPropertyTerm(raw);
            const bool uri = raw.find(':') != std::string::npos && raw.rfind("dtmi:", 0) != 0;
            if ((version == 2 && (pureTerm || uri)) ||
                (m_options.allowUndefinedExtensions && scope.undefinedExtension)) {
                node.undefinedCotype = true;
                node.cotypes.push_back(raw);
                continue;
            }
            error(path + ".@type", "TypeIncludesUndefinedTerm", "undefined type " + quote(raw));
            return false;
        }
        if (node.cls.empty()) {
            if (types.empty())
                node.cls = implicitClass(via);
            if (node.cls.empty()) {
                error(path, types.empty() ? "RequiredProperties" : "TypeIncludesMaterial",
                      types.empty() ? "element has no @type" : "@type names no DTDL class");
                return false;
            }
        }
        if (!classMatches(node.cls, allowed)) {
            error(path, "TypeConformance",
                  node.cls + " is not allowed here" + (via ? " (" + via->name + ")" : std::string()));
            return false;
        }
        if (version == 2 && node.semanticTypes.size() > 1) {
            error(path + ".@type", "MultipleSemanticTypes", "more than one semantic type");
            return false;
        }
        return true;
    }

    bool readId(const json &obj, const std::string &path, Node &node)
    {
        if (!obj.contains("@id"))
            return true;
        const json &id = obj["@id"];
        if (id.is_array()) {
            error(path + ".@id", "IdNotArray", "@id must be a single DTMI");
            return false;
        }
        if (!id.is_string() || !isDtmi(id.get<std::string>(), node.version)) {
            error(path + ".@id", "IdIsDtmi",
                  "@id " + (id.is_string() ? quote(id.get<std::string>()) : id.dump()) +
                      " is not a valid DTMI");
            return false;
        }
        const std::string value = id.get<std::string>();
        if (hasReservedPrefix(value)) {
            error(path + ".@id", "DtmiReservedPrefixes", "@id " + quote(value) + " uses a reserved prefix");
            return false;
        }
        const size_t limit = node.cls == "Interface" ? kMaxInterfaceIdLength : kMaxIdLength;
        if (value.size() > limit) {
            error(path + ".@id", "IdLong", "@id is longer than " + std::to_string(limit) + " characters");
            return false;
        }
        node.id = value;
        node.explicitId = true;
        return true;
    }

public:
    int readElement(const json &obj, const std::string &path, const std::vector<std::string> &allowed,
                    const PropertySpec *via, Scope scope, int parent, bool top);

private:
    // Unwraps arrays of one value and JSON-LD value objects. Returns nullptr when absent or on error.
    const json *unwrapLiteral(const json &value, const std::string &path, const char *xsdType, bool &failed);
    bool readLangString(const json &value, const std::string &path, const PropertySpec &spec, LangMap &out);
    void readProperty(int index, const PropertySpec &spec, const json &value, const std::string &path,
                      const Scope &scope);
    bool readElementValues(int index, const PropertySpec &spec, const json &value, const std::string &path,
                           const Scope &scope);

    Model &m_model;
    Diagnostics &m_diag;
    const ImportOptions &m_options;
    std::string m_file;
    int m_version = 3; // version of the element being read
};

const json *Reader::unwrapLiteral(const json &value, const std::string &path, const char *xsdType,
                                  bool &failed)
{
    const json *v = &value;
    failed = false;
    if (v->is_array()) {
        if (v->empty())
            return nullptr;
        if (v->size() > 1) {
            error(path, "SingleValue", "expected a single value, got " + std::to_string(v->size()));
            failed = true;
            return nullptr;
        }
        v = &(*v)[0];
    }
    if (v->is_object()) {
        if (!v->contains("@value")) {
            error(path, "RepresentationalHasValue", "value object has no @value");
            failed = true;
            return nullptr;
        }
        for (auto it = v->begin(); it != v->end(); ++it) {
            const std::string &key = it.key();
            if (key == "@value")
                continue;
            if (key == "@type") {
                const json *t = &*it;
                if (t->is_array() && t->size() == 1)
                    t = &(*t)[0];
                const std::string full = std::string("http://www.w3.org/2001/XMLSchema#") + (xsdType + 4);
                if (!t->is_string() || (t->get<std::string>() != xsdType && t->get<std::string>() != full)) {
                    error(path, "RepresentationalType", std::string("@type of the value must be ") + xsdType);
                    failed = true;
                    return nullptr;
                }
                continue;
            }
            if (m_version == 2 && key != "@id" && key != "@context" && key != "@graph")
                continue; // v2 ignores other keywords in value objects
            error(path, "RepresentationalOnlyValueAndType",
                  "value object may only have @value and @type, not " + key);
            failed = true;
            return nullptr;
        }
        v = &(*v)["@value"];
    }
    return v;
}

bool Reader::readLangString(const json &value, const std::string &path, const PropertySpec &spec,
                            LangMap &out)
{
    auto store = [&](const std::string &lang, const json &text) {
        if (!text.is_string()) {
            error(path, "LangString", spec.name + " text must be a string");
            return false;
        }
        const std::string s = text.get<std::string>();
        if (spec.maxLength && s.size() > spec.maxLength) {
            error(path, "StringLength",
                  spec.name + " is longer than " + std::to_string(spec.maxLength) + " characters");
            return false;
        }
        if (out.count(lang)) {
            error(path, "LanguageValueUnique", spec.name + " has two texts for language " + quote(lang));
            return false;
        }
        out[lang] = s;
        return true;
    };
    if (value.is_string())
        return store("en", value);
    if (value.is_object()) {
        if (value.contains("@value") || value.contains("@language")) {
            error(path, "LangString", spec.name + " value object must be inside an array");
            return false;
        }
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (!isLanguageTag(it.key())) {
                error(path, "LocalizableStringObjectMemberNameRegex",
                      "invalid language code " + quote(it.key()));
                return false;
            }
            if (!store(it.key(), *it))
                return false;
        }
        return true;
    }
    if (value.is_array()) {
        bool sawDefault = false;
        for (const auto &item : value) {
            if (item.is_string()) {
                if (sawDefault) {
                    error(path, "LocalizableStringArrayOnlyOneDefault",
                          spec.name + " has two texts without language");
                    return false;
                }
                sawDefault = true;
                if (!store("en", item))
                    return false;
            } else if (item.is_object()) {
                if (!item.contains("@value")) {
                    error(path, "LocalizableStringArrayElementHasValue",
                          spec.name + " element has no @value");
                    return false;
                }
                for (auto it = item.begin(); it != item.end(); ++it) {
                    const bool forbidden =
                        it.key() == "@id" || it.key() == "@context" || it.key() == "@graph";
                    if (it.key() != "@value" && it.key() != "@language" && (m_version != 2 || forbidden)) {
                        error(path, "LocalizableStringArrayElementOnlyKeywords",
                              spec.name + " element may only have @value and @language");
                        return false;
                    }
                }
                std::string lang = "en";
                if (item.contains("@language")) {
                    const json &l = item["@language"];
                    if (!l.is_string() || !isLanguageTag(l.get<std::string>())) {
                        error(path, "LocalizableStringArrayElementLanguageValueRegex", "invalid @language");
                        return false;
                    }
                    lang = l.get<std::string>();
                } else {
                    if (sawDefault) {
                        error(path, "LocalizableStringArrayOnlyOneDefault",
                              spec.name + " has two default texts");
                        return false;
                    }
                    sawDefault = true;
                }
                if (!store(lang, item["@value"]))
                    return false;
            } else {
                error(path, "LocalizableStringArrayElementStringOrObject",
                      spec.name + " elements must be strings or objects");
                return false;
            }
        }
        return true;
    }
    error(path, "LangString", spec.name + " must be a string or a language map");
    return false;
}

bool Reader::readElementValues(int index, const PropertySpec &spec, const json &value,
                               const std::string &path, const Scope &scope)
{
    std::vector<const json *> items;
    std::vector<std::string> paths;
    if (value.is_array()) {
        for (size_t i = 0; i < value.size(); ++i) {
            items.push_back(&value[i]);
            paths.push_back(path + "[" + std::to_string(i) + "]");
        }
    } else {
        items.push_back(&value);
        paths.push_back(path);
    }
    if (!spec.plural && items.size() > 1) {
        error(path, "SingleValue", spec.name + " takes a single value");
        return false;
    }
    if (spec.maxCount >= 0 && static_cast<int>(items.size()) > spec.maxCount) {
        error(path, "MaxCount", spec.name + " has more than " + std::to_string(spec.maxCount) + " values");
        return false;
    }
    if (static_cast<int>(items.size()) < spec.minCount) {
        error(path, "MinCount", spec.name + " needs at least " + std::to_string(spec.minCount) + " values");
        return false;
    }
    const int version = scope.version;
    const bool schemaAllowed =
        std::find(spec.classes.begin(), spec.classes.end(), "Schema") != spec.classes.end();
    std::vector<Ref> refs;
    for (size_t i = 0; i < items.size(); ++i) {
        const json &item = *items[i];
        Ref ref;
        ref.path = paths[i];
        if (item.is_string()) {
            const std::string text = item.get<std::string>();
            const std::string term = termFromDtmi(version, text);
            if (schemaAllowed && isPrimitiveSchema(version, term)) {
                ref.id = term;
                ref.primitive = true;
            } else if (isDtmi(text, version)) {
                ref.id = text;
            } else {
                error(paths[i], text.rfind("dtmi:", 0) == 0 ? "InvalidDtmi" : "ElementReference",
                      spec.name + " value " + quote(text) + " is not a valid reference or schema");
                return false;
            }
        } else if (item.is_object()) {
            ref.node = readElement(item, paths[i], spec.classes, &spec, scope, index, false);
            if (ref.node < 0)
                return false;
        } else {
            error(paths[i], "ElementValue", spec.name + " value must be an element or a DTMI");
            return false;
        }
        refs.push_back(ref);
    }
    auto &list = m_model.nodes[index].refs[spec.name];
    list.insert(list.end(), refs.begin(), refs.end());
    return true;
}

void Reader::readProperty(int index, const PropertySpec &spec, const json &value, const std::string &path,
                          const Scope &scope)
{
    const int version = scope.version;
    bool failed = false;
    switch (spec.kind) {
    case ValueKind::Element:
        readElementValues(index, spec, value, path, scope);
        return;
    case ValueKind::LangString: {
        LangMap text;
        if (readLangString(value, path, spec, text))
            m_model.nodes[index].texts[spec.name] = text;
        return;
    }
    case ValueKind::Boolean: {
        const json *v = unwrapLiteral(value, path, "xsd:boolean", failed);
        if (failed)
            return;
        if (v && !v->is_boolean()) {
            error(path, "Boolean", spec.name + " must be a boolean");
            return;
        }
        if (v)
            m_model.nodes[index].bools[spec.name] = v->get<bool>();
        return;
    }
    case ValueKind::Integer: {
        const json *v = unwrapLiteral(value, path, "xsd:integer", failed);
        if (failed)
            return;
        if (v && !v->is_number_integer()) {
            error(path, "Integer", spec.name + " must be an integer");
            return;
        }
        if (v)
            m_model.nodes[index].ints[spec.name] = v->get<long long>();
        return;
    }
    case ValueKind::EnumValue: {
        const json *probe = value.is_array() && value.size() == 1 ? &value[0] : &value;
        const bool integerValue =
            probe->is_object() && probe->contains("@value") && (*probe)["@value"].is_number();
        const json *v = unwrapLiteral(value, path, integerValue ? "xsd:integer" : "xsd:string", failed);
        if (failed || !v)
            return;
        Node &node = m_model.nodes[index];
        if (v->is_number_integer()) {
            node.strings[spec.name] = std::to_string(v->get<long long>());
            node.enumValueIsInt = true;
        } else if (v->is_string()) {
            node.strings[spec.name] = v->get<std::string>();
        } else {
            error(path, "EnumValue", "enumValue must be an integer or a string");
        }
        return;
    }
    case ValueKind::Dtmi: {
        const json *v = &value;
        if (v->is_array() && v->size() == 1)
            v = &(*v)[0];
        if (v->is_array() && v->empty())
            return;
        if (!v->is_string() || !isDtmi(v->get<std::string>(), version)) {
            error(path, "DtmiIsString", spec.name + " must be a DTMI string");
            return;
        }
        m_model.nodes[index].strings[spec.name] = v->get<std::string>();
        return;
    }
    case ValueKind::Name:
    case ValueKind::String:
    case ValueKind::Literal: {
        const json *v = unwrapLiteral(value, path, "xsd:string", failed);
        if (failed || !v)
            return;
        if (!v->is_string()) {
            error(path, "String", spec.name + " must be a string");
            return;
        }
        std::string s = v->get<std::string>();
        if (spec.maxLength && s.size() > spec.maxLength) {
            error(path, "StringLength",
                  spec.name + " is longer than " + std::to_string(spec.maxLength) + " characters");
            return;
        }
        if (spec.kind == ValueKind::Name && !isValidName(s)) {
            error(path, "NamePattern",
                  "name " + quote(s) + " does not match [A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?");
            return;
        }
        if (spec.kind == ValueKind::Dtmi && !isDtmi(s, version)) {
            error(path, "TargetIsDtmi", spec.name + " " + quote(s) + " is not a valid DTMI");
            return;
        }
        if (spec.kind == ValueKind::Literal) {
            if (spec.name == "unit") {
                const std::string fromDtmi = unitFromDtmi(version, s);
                if (!fromDtmi.empty())
                    s = fromDtmi;
            } else {
                s = termFromDtmi(version, s);
            }
            if (spec.name == "commandType" && s != "synchronous" && s != "asynchronous") {
                error(path, "CommandTypeSpecificValues", "commandType must be synchronous or asynchronous");
                return;
            }
            if (spec.name == "valueSchema" && s != "integer" && s != "string") {
                error(path, "ValueSchemaSpecificValues", "valueSchema must be integer or string");
                return;
            }
        }
        m_model.nodes[index].strings[spec.name] = s;
        return;
    }
    }
}

int Reader::readElement(const json &obj, const std::string &path, const std::vector<std::string> &allowed,
                        const PropertySpec *via, Scope scope, int parent, bool top)
{
    if (!obj.is_object()) {
        error(path, "ElementObject", "element must be a JSON object");
        return -1;
    }
    if (obj.contains("@context")) {
        if (!readContext(obj["@context"], path + ".@context", scope, top, via))
            return -1;
    }
    Node node;
    node.version = scope.version;
    node.file = m_file;
    node.path = path;
    node.parent = parent;
    node.viaProperty = via ? via->name : std::string();
    if (!readTypes(obj, path, allowed, via, scope, node))
        return -1;
    if (!readId(obj, path, node))
        return -1;
    if (!node.explicitId) {
        const bool required = node.cls == "Interface" || (via && via->name == "schemas");
        if (required) {
            error(path, "IdRequired", node.cls + " requires an @id");
            return -1;
        }
    }
    const int index = static_cast<int>(m_model.nodes.size());
    if (!node.explicitId)
        node.id = (parent >= 0 ? m_model.nodes[parent].id : std::string("_:") + m_file) + "/" +
                  node.viaProperty + "#" + std::to_string(index);
    m_model.nodes.push_back(node);
    if (node.explicitId)
        m_model.byId.emplace(node.id, index);

    const bool lenient = node.undefinedCotype;
    m_version = scope.version;
    const std::string cls = node.cls;
    const bool hasSemantic = !node.semanticTypes.empty();
    std::set<std::string> seen;
    std::vector<std::pair<const PropertySpec *, const json *>> props;
    std::vector<std::string> propPaths;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string &key = it.key();
        const std::string keyPath = path + "." + key;
        if (!key.empty() && key[0] == '@') {
            if (key == "@context" || key == "@id" || key == "@type")
                continue;
            if (scope.version == 2 && key != "@graph")
                continue; // v2 ignores other JSON-LD keywords
            error(keyPath, "InvalidKeywords", "keyword " + key + " is not allowed in DTDL");
            return -1;
        }
        std::string term = key;
        if (key.find(':') != std::string::npos) {
            if (lenient && scope.version == 2)
                continue;
            if (key.rfind("dtmi:", 0) != 0) {
                error(keyPath, "PropertyNotDtmiNorTerm",
                      "property " + quote(key) + " is neither a DTMI nor a term");
                return -1;
            }
            if (!isDtmi(key, scope.version)) {
                error(keyPath, "PropertyInvalidDtmi", "property " + quote(key) + " is not a valid DTMI");
                return -1;
            }
            term = propertyTermFromDtmi(scope.version, key);
            if (term.empty()) {
                if (lenient)
                    continue;
                error(keyPath, "PropertyIrrelevantDtmiOrTerm",
                      "property " + quote(key) + " is not defined for " + cls);
                return -1;
            }
        }
        if (!seen.insert(term).second) {
            error(keyPath, "PropertyTermAndDtmi", "property " + term + " is given both as term and as DTMI");
            return -1;
        }
        const PropertySpec *spec = findProperty(scope.version, cls, term);
        if (spec && spec->name == "unit" && !hasSemantic)
            spec = nullptr;
        if (!spec) {
            if (lenient)
                continue;
            error(keyPath, "PropertyUndefinedTerm", "property " + quote(key) + " is not defined for " + cls);
            return -1;
        }
        props.emplace_back(spec, &it.value());
        propPaths.push_back(keyPath);
    }
    const size_t errorsBefore = m_diag.errorCount();
    for (size_t i = 0; i < props.size(); ++i) {
        m_version = scope.version;
        readProperty(index, *props[i].first, *props[i].second, propPaths[i], scope);
    }
    if (m_diag.errorCount() != errorsBefore)
        return -1;
    const Node &stored = m_model.nodes[index];
    for (const auto &spec : *classProperties(scope.version, cls)) {
        bool present = false;
        switch (spec.kind) {
        case ValueKind::Element:
            present = !stored.refList(spec.name).empty();
            break;
        case ValueKind::LangString:
            present = stored.texts.count(spec.name) > 0;
            break;
        case ValueKind::Boolean:
            present = stored.bools.count(spec.name) > 0;
            break;
        case ValueKind::Integer:
            present = stored.ints.count(spec.name) > 0;
            break;
        default:
            present = stored.strings.count(spec.name) > 0;
        }
        if (spec.required && !present) {
            error(path, "RequiredProperties", cls + " requires property " + spec.name);
            return -1;
        }
    }
    if (hasSemantic && !stored.strings.count("unit") && !lenient) {
        error(path, "CotypePropertyPresent", "semantic type " + stored.semanticTypes[0] + " requires a unit");
        return -1;
    }
    return index;
}

} // namespace

void readDocument(Model &model, Diagnostics &diag, const ImportOptions &options, const std::string &file,
                  const std::string &text)
{
    std::string_view body(text);
    if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF")
        body.remove_prefix(3);
    json root;
    try {
        root = json::parse(body.begin(), body.end());
    } catch (const json::exception &e) {
        diag.error(file, "$", "JsonSyntax", e.what());
        return;
    }
    Reader reader(model, diag, options, file);
    try {
        reader.readRoot(root);
    } catch (const json::exception &e) {
        diag.error(file, "$", "Internal", e.what());
    }
}

} // namespace twin::model::dtdl::detail
