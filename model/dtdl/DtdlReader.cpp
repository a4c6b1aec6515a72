#include "twin/model/dtdl/DtdlReader_p.h"

#include <algorithm>
#include <set>

namespace twin::model::dtdl::detail {

namespace reading {

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

void Reader::readRoot(const json &root)
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

void Reader::readTop(const json &value, const std::string &path)
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

bool Reader::readContext(const json &value, const std::string &path, Scope &scope, bool top,
                         const PropertySpec *via)
{
    std::vector<std::string> contexts;
    if (!contextStrings(value, path, contexts))
        return false;
    ContextsSeen seen;
    for (const auto &context : contexts)
        if (!applyContext(context, path, scope, top, via, seen))
            return false;
    if (seen.afterLimitless) {
        error(path, "LimitlessContextFollowedByLimits",
              "the limitless DTDL context must be followed by a limits context (dtmi:dtdl:context;4#limits "
              "or a "
              "limit extension)");
        return false;
    }
    if (top && !seen.dtdl) {
        error(path, "TopLevelDtdlContext", "top-level @context must include a DTDL context");
        return false;
    }
    return true;
}

bool Reader::contextStrings(const json &value, const std::string &path, std::vector<std::string> &contexts)
{
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
    return true;
}

bool Reader::applyContext(const std::string &context, const std::string &path, Scope &scope, bool top,
                          const PropertySpec *via, ContextsSeen &seen)
{
    const ContextInfo info = classifyContext(context);
    // v4's "#limitless" is followed at once by the limits to use: the core ones ("#limits", or the whole
    // "dtmi:dtdl:context;4") or a limit extension; those come only right after it.
    const bool setsLimits = info.limitsOnly || info.kind == ContextKind::LimitExtension;
    if (seen.afterLimitless && !setsLimits && !(info.kind == ContextKind::Dtdl && info.version == 4)) {
        error(path, "LimitlessContextFollowedByLimits",
              "the limitless DTDL context must be followed by a limits context, not " + quote(context));
        return false;
    }
    if (setsLimits && !seen.afterLimitless) {
        error(path, info.limitsOnly ? "CoreLimitsFollowsLimitless" : "ExtensionLimitsFollowsLimitless",
              quote(context) + " must come right after dtmi:dtdl:context;4#limitless");
        return false;
    }
    seen.afterLimitless = false;
    if (info.limitsOnly) {
        scope.limits = LimitSet::Core;
        return true;
    }
    switch (info.kind) {
    case ContextKind::Dtdl:
        return applyDtdlContext(context, info, path, scope, top, via, seen);
    case ContextKind::Extension:
    case ContextKind::LimitExtension:
        return applyExtensionContext(context, info, path, scope, seen);
    case ContextKind::Undefined:
        seen.extension = true;
        if (!m_options.allowUndefinedExtensions) {
            error(path, "ContextConforms", "undefined extension context " + quote(context));
            return false;
        }
        scope.undefinedExtension = true;
        return true;
    case ContextKind::Unsupported:
        error(path, "ContextConforms", "unsupported DTDL context " + quote(context));
        return false;
    case ContextKind::Invalid:
        error(path, "ContextDtmiWithVersion", "context " + quote(context) + " is not a versioned DTMI");
        return false;
    }
    return true;
}

bool Reader::applyDtdlContext(const std::string &context, const ContextInfo &info, const std::string &path,
                              Scope &scope, bool top, const PropertySpec *via, ContextsSeen &seen)
{
    if (!top) {
        // A model may embed elements of an earlier DTDL version where those classes are acceptable.
        static const std::set<std::string> embeddable = {"contents", "extends", "schema", "elementSchema",
                                                         "properties"};
        if (scope.version < 3 || info.version >= scope.version || !via || !embeddable.count(via->name)) {
            error(path, "ContextConforms", "DTDL context " + quote(context) + " is not allowed here");
            return false;
        }
    }
    if (seen.extension) {
        error(path, "ContextDtdlPrecedesOrOnly",
              "the DTDL context must precede extension contexts: " + quote(context));
        return false;
    }
    scope.version = info.version;
    scope.limits = LimitSet::Core;
    seen.afterLimitless = info.limitless;
    seen.dtdl = true;
    return true;
}

bool Reader::applyExtensionContext(const std::string &context, const ContextInfo &info,
                                   const std::string &path, Scope &scope, ContextsSeen &seen)
{
    const bool iotCentral = context.rfind("dtmi:iotcentral:", 0) == 0;
    if (!iotCentral)
        seen.extension = true;
    const bool defined =
        std::find(info.usableIn.begin(), info.usableIn.end(), scope.version) != info.usableIn.end();
    if (scope.version != 0 && !defined) {
        if (!m_options.allowUndefinedExtensions || info.kind == ContextKind::LimitExtension) {
            error(path, "ContextConforms",
                  "extension " + quote(context) + " is not defined for DTDL v" +
                      std::to_string(scope.version));
            return false;
        }
        scope.undefinedExtension = true;
    }
    if (info.kind == ContextKind::LimitExtension) {
        scope.limits = info.limits;
        return true;
    }
    if (info.quantitative)
        scope.quantitative = true;
    if (!info.termsChecked)
        scope.uncheckedExtension = true;
    return true;
}

std::string Reader::implicitClass(const PropertySpec *via)
{
    if (!via || via->classes.size() != 1)
        return {};
    const std::string &cls = via->classes[0];
    static const std::set<std::string> implicit = {
        "Field", "EnumValue", "MapKey", "MapValue", "CommandPayload", "CommandRequest", "CommandResponse"};
    return implicit.count(cls) ? cls : std::string();
}

bool Reader::readTypes(const json &obj, const std::string &path, const std::vector<std::string> &allowed,
                       const PropertySpec *via, const Scope &scope, Node &node)
{
    std::vector<std::string> types;
    if (!typeStrings(obj, path, types))
        return false;
    for (const auto &raw : types)
        if (!readType(raw, path, scope, node))
            return false;
    return checkClass(types.empty(), path, allowed, via, scope.version, node);
}

bool Reader::typeStrings(const json &obj, const std::string &path, std::vector<std::string> &types)
{
    if (!obj.contains("@type"))
        return true;
    const json &t = obj["@type"];
    if (t.is_string()) {
        types.push_back(t.get<std::string>());
    } else if (t.is_array()) {
        for (const auto &item : t) {
            if (!item.is_string()) {
                error(path + ".@type", "TypeStringOrArray", "@type must be a string or array of strings");
                return false;
            }
            types.push_back(item.get<std::string>());
        }
    } else {
        error(path + ".@type", "TypeStringOrArray", "@type must be a string or array of strings");
        return false;
    }
    return true;
}

bool Reader::readType(const std::string &raw, const std::string &path, const Scope &scope, Node &node)
{
    const int version = scope.version;
    const std::string term = termFromDtmi(version, raw);
    if (isMaterialClass(version, term)) {
        if (!node.cls.empty() && node.cls != term) {
            error(path + ".@type", "TypeIncludesMaterial",
                  "@type names two classes: " + node.cls + " and " + term);
            return false;
        }
        node.cls = term;
        return true;
    }
    std::string semantic = isSemanticType(term) ? term : semanticTypeFromDtmi(version, raw);
    if (!semantic.empty() && (version == 2 || scope.quantitative)) {
        if (std::find(node.semanticTypes.begin(), node.semanticTypes.end(), semantic) !=
            node.semanticTypes.end())
            return true;
        node.semanticTypes.push_back(semantic);
        node.cotypes.push_back(semantic);
        return true;
    }
    if (isKnownAdjunctType(term) && version >= 3) {
        node.cotypes.push_back(term);
        return true;
    }
    if (!checkTypeIri(raw, path, version))
        return false;
    const bool pureTerm = raw.find(':') == std::string::npos && !isPrimitiveSchema(version, raw) &&
                          raw != "synchronous" && raw != "asynchronous" && !isKnownPropertyTerm(raw);
    const bool uri = raw.find(':') != std::string::npos && raw.rfind("dtmi:", 0) != 0;
    if ((version == 2 && (pureTerm || uri)) || (scope.uncheckedExtension && pureTerm) ||
        (m_options.allowUndefinedExtensions && scope.undefinedExtension)) {
        node.undefinedCotype = true;
        node.cotypes.push_back(raw);
        return true;
    }
    error(path + ".@type", "TypeIncludesUndefinedTerm", "undefined type " + quote(raw));
    return false;
}

bool Reader::checkTypeIri(const std::string &raw, const std::string &path, int version)
{
    if (raw.find(':') == std::string::npos)
        return true;
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
    return true;
}

bool Reader::checkClass(bool untyped, const std::string &path, const std::vector<std::string> &allowed,
                        const PropertySpec *via, int version, Node &node)
{
    if (node.cls.empty()) {
        if (untyped)
            node.cls = implicitClass(via);
        if (node.cls.empty()) {
            error(path, untyped ? "RequiredProperties" : "TypeIncludesMaterial",
                  untyped ? "element has no @type" : "@type names no DTDL class");
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

bool Reader::readId(const json &obj, const std::string &path, Node &node)
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
              "@id " + (id.is_string() ? quote(id.get<std::string>()) : id.dump()) + " is not a valid DTMI");
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

bool Reader::checkIdRequired(const Node &node, const PropertySpec *via, const std::string &path)
{
    if (node.explicitId)
        return true;
    const bool required = node.cls == "Interface" || (via && via->name == "schemas");
    if (required) {
        error(path, "IdRequired", node.cls + " requires an @id");
        return false;
    }
    return true;
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
    node.limits = scope.limits;
    node.file = m_file;
    node.path = path;
    node.parent = parent;
    node.viaProperty = via ? via->name : std::string();
    if (!readTypes(obj, path, allowed, via, scope, node) || !readId(obj, path, node) ||
        !checkIdRequired(node, via, path))
        return -1;
    const int index = storeNode(node);
    m_version = scope.version;
    m_limits = scope.limits;
    std::vector<Member> members;
    if (!collectMembers(obj, path, scope, node, members) || !readMembers(index, members, scope) ||
        !checkRequiredProperties(index, path, scope))
        return -1;
    return index;
}

int Reader::storeNode(Node node)
{
    const int index = static_cast<int>(m_model.nodes.size());
    if (!node.explicitId)
        node.id = (node.parent >= 0 ? m_model.nodes[node.parent].id : std::string("_:") + m_file) + "/" +
                  node.viaProperty + "#" + std::to_string(index);
    if (node.explicitId)
        m_model.byId.emplace(node.id, index);
    m_model.nodes.push_back(std::move(node));
    return index;
}

bool Reader::collectMembers(const json &obj, const std::string &path, const Scope &scope, const Node &node,
                            std::vector<Member> &members)
{
    std::set<std::string> seen;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string &key = it.key();
        const std::string keyPath = path + "." + key;
        if (!key.empty() && key[0] == '@') {
            if (!checkKeyword(key, keyPath, scope))
                return false;
            continue;
        }
        const PropertySpec *spec = nullptr;
        const MemberAction action = memberProperty(key, keyPath, scope, node, seen, spec);
        if (action == MemberAction::Fail)
            return false;
        if (action == MemberAction::Read)
            members.push_back({spec, &it.value(), keyPath});
    }
    return true;
}

bool Reader::checkKeyword(const std::string &key, const std::string &keyPath, const Scope &scope)
{
    if (key == "@context" || key == "@id" || key == "@type")
        return true;
    if (scope.version == 2 && key != "@graph")
        return true; // v2 ignores other JSON-LD keywords
    error(keyPath, "InvalidKeywords", "keyword " + key + " is not allowed in DTDL");
    return false;
}

Reader::MemberAction Reader::memberProperty(const std::string &key, const std::string &keyPath,
                                            const Scope &scope, const Node &node, std::set<std::string> &seen,
                                            const PropertySpec *&spec)
{
    std::string term = key;
    if (key.find(':') != std::string::npos) {
        const MemberAction action = termOfDtmiMember(key, keyPath, scope, node, term);
        if (action != MemberAction::Read)
            return action;
    }
    if (!seen.insert(term).second) {
        error(keyPath, "PropertyTermAndDtmi", "property " + term + " is given both as term and as DTMI");
        return MemberAction::Fail;
    }
    spec = findProperty(scope.version, node.cls, term);
    if (spec && spec->name == "unit" && node.semanticTypes.empty())
        spec = nullptr;
    if (!spec) {
        if (node.undefinedCotype)
            return MemberAction::Skip;
        error(keyPath, "PropertyUndefinedTerm", "property " + quote(key) + " is not defined for " + node.cls);
        return MemberAction::Fail;
    }
    return MemberAction::Read;
}

Reader::MemberAction Reader::termOfDtmiMember(const std::string &key, const std::string &keyPath,
                                              const Scope &scope, const Node &node, std::string &term)
{
    const bool lenient = node.undefinedCotype;
    if (lenient && scope.version == 2)
        return MemberAction::Skip;
    if (key.rfind("dtmi:", 0) != 0) {
        error(keyPath, "PropertyNotDtmiNorTerm", "property " + quote(key) + " is neither a DTMI nor a term");
        return MemberAction::Fail;
    }
    if (!isDtmi(key, scope.version)) {
        error(keyPath, "PropertyInvalidDtmi", "property " + quote(key) + " is not a valid DTMI");
        return MemberAction::Fail;
    }
    term = propertyTermFromDtmi(scope.version, key);
    if (term.empty()) {
        if (lenient)
            return MemberAction::Skip;
        error(keyPath, "PropertyIrrelevantDtmiOrTerm",
              "property " + quote(key) + " is not defined for " + node.cls);
        return MemberAction::Fail;
    }
    return MemberAction::Read;
}

} // namespace reading

using reading::json;
using reading::Reader;

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
