#include "twin/model/dtdl/DtdlMetamodel.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

namespace twin::model::dtdl::detail {

namespace {

using Specs = std::vector<PropertySpec>;

PropertySpec prop(const char *name, ValueKind kind, bool required = false)
{
    PropertySpec spec;
    spec.name = name;
    spec.kind = kind;
    spec.required = required;
    return spec;
}

PropertySpec element(const char *name, std::vector<std::string> classes, bool required, bool plural,
                     int minCount = 0, int maxCount = -1)
{
    PropertySpec spec = prop(name, ValueKind::Element, required);
    spec.classes = std::move(classes);
    spec.plural = plural;
    spec.minCount = minCount;
    spec.maxCount = maxCount;
    return spec;
}

Specs common(int version)
{
    PropertySpec comment = prop("comment", ValueKind::String);
    comment.maxLength = kMaxCommentLength;
    PropertySpec description = prop("description", ValueKind::LangString);
    description.maxLength = kMaxDescriptionLength;
    PropertySpec displayName = prop("displayName", ValueKind::LangString);
    displayName.maxLength = maxDisplayNameLength(version);
    return {comment, description, displayName};
}

Specs with(int version, std::initializer_list<PropertySpec> extra)
{
    Specs specs = common(version);
    specs.insert(specs.end(), extra.begin(), extra.end());
    return specs;
}

PropertySpec nameProp(int version)
{
    PropertySpec spec = prop("name", ValueKind::Name, true);
    spec.maxLength = maxNameLength(version);
    return spec;
}

const std::vector<std::string> kContents = {"Command", "Component", "Property", "Relationship", "Telemetry"};
const std::vector<std::string> kSchema = {"Schema"};
const std::vector<std::string> kComplex = {"Array", "Enum", "Map", "Object"};

std::map<std::string, Specs> buildTables(int version)
{
    const bool v2 = version == 2;
    std::map<std::string, Specs> t;
    const std::string payload = v2 ? "CommandPayload" : "CommandRequest";
    const std::string responseClass = v2 ? "CommandPayload" : "CommandResponse";
    t["Interface"] = with(version, {element("contents", kContents, false, true, 0, v2 ? 300 : -1),
                                    element("extends", {"Interface"}, false, true, 0, v2 ? 2 : -1),
                                    element("schemas", kComplex, false, true)});
    t["Telemetry"] = with(version, {nameProp(version), element("schema", kSchema, true, false),
                                    prop("unit", ValueKind::Literal)});
    t["Property"] = with(version, {nameProp(version), element("schema", kSchema, true, false),
                                   prop("writable", ValueKind::Boolean), prop("unit", ValueKind::Literal)});
    t["Command"] = with(version, {nameProp(version), prop("commandType", ValueKind::Literal),
                                  element("request", {payload}, false, false),
                                  element("response", {responseClass}, false, false)});
    if (v2) {
        t["CommandPayload"] = with(version, {nameProp(version), element("schema", kSchema, true, false)});
    } else {
        for (const char *cls : {"CommandRequest", "CommandResponse"})
            t[cls] = with(version, {nameProp(version), element("schema", kSchema, true, false),
                                    prop("nullable", ValueKind::Boolean), prop("unit", ValueKind::Literal)});
    }
    t["Relationship"] =
        with(version,
             {nameProp(version), prop("target", ValueKind::Dtmi), prop("minMultiplicity", ValueKind::Integer),
              prop("maxMultiplicity", ValueKind::Integer), prop("writable", ValueKind::Boolean),
              element("properties", {"Property"}, false, true, 0, v2 ? 300 : -1)});
    t["Component"] = with(version, {nameProp(version), element("schema", {"Interface"}, true, false)});
    t["Array"] = with(version, {element("elementSchema", kSchema, true, false)});
    t["Enum"] = with(version, {prop("valueSchema", ValueKind::Literal, true),
                               element("enumValues", {"EnumValue"}, v2, true, v2 ? 1 : 0, v2 ? 100 : -1)});
    t["EnumValue"] = with(version, {nameProp(version), prop("enumValue", ValueKind::EnumValue, true)});
    t["Map"] = with(version, {element("mapKey", {"MapKey"}, true, false),
                              element("mapValue", {"MapValue"}, true, false)});
    t["MapKey"] = with(version, {nameProp(version), element("schema", kSchema, true, false)});
    t["MapValue"] = with(version, {nameProp(version), element("schema", kSchema, true, false)});
    if (!v2)
        t["MapValue"].push_back(prop("unit", ValueKind::Literal));
    t["Object"] = with(version, {element("fields", {"Field"}, v2, true, v2 ? 1 : 0, v2 ? 30 : -1)});
    t["Field"] = with(version, {nameProp(version), element("schema", kSchema, true, false)});
    if (!v2)
        t["Field"].push_back(prop("unit", ValueKind::Literal));
    return t;
}

const std::map<std::string, Specs> &tables(int version)
{
    static const std::map<std::string, Specs> v2 = buildTables(2);
    static const std::map<std::string, Specs> v3 = buildTables(3); // v4 has the same classes and properties
    return version == 2 ? v2 : v3;
}

const std::set<std::string> kPrimitivesV2 = {
    "boolean", "date", "dateTime", "double",     "duration", "float",      "integer",         "long",
    "string",  "time", "point",    "lineString", "polygon",  "multiPoint", "multiLineString", "multiPolygon"};
const std::set<std::string> kPrimitivesV3Extra = {"byte",         "bytes",         "decimal",
                                                  "short",        "unsignedByte",  "unsignedInteger",
                                                  "unsignedLong", "unsignedShort", "uuid"};

bool isAsciiAlpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool isAsciiAlnum(char c)
{
    return isAsciiAlpha(c) || (c >= '0' && c <= '9');
}

// One path segment of a DTMI.
bool validSegment(const std::string &s, bool allowLeadingUnderscore)
{
    if (s.empty())
        return false;
    size_t i = 0;
    if (allowLeadingUnderscore && s[0] == '_') {
        while (i < s.size() && s[i] == '_')
            ++i;
        if (i == s.size() || !isAsciiAlnum(s[i]))
            return false;
    } else if (!isAsciiAlpha(s[0])) {
        return false;
    }
    for (; i < s.size(); ++i)
        if (!isAsciiAlnum(s[i]) && s[i] != '_')
            return false;
    return s.back() != '_';
}

bool validDigits(const std::string &s, size_t maxLen)
{
    if (s.empty() || s.size() > maxLen || s[0] == '0')
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

const std::vector<PropertySpec> *classProperties(int version, const std::string &cls)
{
    const auto &t = tables(version);
    auto it = t.find(cls);
    return it == t.end() ? nullptr : &it->second;
}

const PropertySpec *findProperty(int version, const std::string &cls, const std::string &name)
{
    const auto *specs = classProperties(version, cls);
    if (!specs)
        return nullptr;
    for (const auto &spec : *specs)
        if (spec.name == name)
            return &spec;
    return nullptr;
}

bool isMaterialClass(int version, const std::string &term)
{
    return classProperties(version, term) != nullptr;
}

bool isComplexSchemaClass(const std::string &cls)
{
    return cls == "Array" || cls == "Enum" || cls == "Map" || cls == "Object";
}

bool classMatches(const std::string &cls, const std::vector<std::string> &allowed)
{
    for (const auto &a : allowed)
        if (a == cls || (a == "Schema" && isComplexSchemaClass(cls)))
            return true;
    return false;
}

bool isPrimitiveSchema(int version, const std::string &term)
{
    return kPrimitivesV2.count(term) || (version >= 3 && kPrimitivesV3Extra.count(term)) ||
           (version >= 4 && term == "scaledDecimal");
}

bool isNumericSchema(const std::string &term)
{
    static const std::set<std::string> numeric = {
        "double", "float",        "integer",         "long",         "byte",         "decimal",
        "short",  "unsignedByte", "unsignedInteger", "unsignedLong", "unsignedShort"};
    return numeric.count(term) > 0;
}

bool isGeospatialSchema(const std::string &term)
{
    return term == "point" || term == "lineString" || term == "polygon" || term == "multiPoint" ||
           term == "multiLineString" || term == "multiPolygon";
}

static std::string stripPrefixVersion(const std::string &value, const std::string &prefix, int version)
{
    const std::string suffix = ";" + std::to_string(version);
    if (value.size() > prefix.size() + suffix.size() && value.compare(0, prefix.size(), prefix) == 0 &&
        value.compare(value.size() - suffix.size(), suffix.size(), suffix) == 0)
        return value.substr(prefix.size(), value.size() - prefix.size() - suffix.size());
    return {};
}

std::string termFromDtmi(int version, const std::string &value)
{
    if (value.rfind("dtmi:standard:schema:geospatial:", 0) == 0) {
        const std::string t = stripPrefixVersion(value, "dtmi:standard:schema:geospatial:", version);
        return t.empty() ? value : t;
    }
    if (value.rfind("dtmi:dtdl:", 0) != 0)
        return value;
    std::string t = stripPrefixVersion(value, "dtmi:dtdl:class:", version);
    if (!t.empty())
        return t;
    for (const char *p : {"dtmi:dtdl:instance:Schema:", "dtmi:dtdl:instance:CommandType:"}) {
        t = stripPrefixVersion(value, p, version);
        if (!t.empty())
            return t;
    }
    return value;
}

std::string propertyTermFromDtmi(int version, const std::string &key)
{
    return stripPrefixVersion(key, "dtmi:dtdl:property:", version);
}

bool isDtmi(const std::string &text, int version)
{
    if (text.rfind("dtmi:", 0) != 0)
        return false;
    std::string rest = text.substr(5);
    std::string versionPart;
    const size_t semi = rest.find(';');
    if (semi != std::string::npos) {
        versionPart = rest.substr(semi + 1);
        rest = rest.substr(0, semi);
    } else if (version == 2) {
        return false;
    }
    size_t start = 0;
    while (true) {
        const size_t colon = rest.find(':', start);
        const std::string seg =
            rest.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (!validSegment(seg, false))
            return false;
        if (colon == std::string::npos)
            break;
        start = colon + 1;
    }
    if (semi == std::string::npos)
        return true;
    if (version == 2)
        return validDigits(versionPart, 9);
    const size_t dot = versionPart.find('.');
    if (dot == std::string::npos)
        return validDigits(versionPart, 9);
    return validDigits(versionPart.substr(0, dot), 9) && validDigits(versionPart.substr(dot + 1), 6);
}

bool hasReservedPrefix(const std::string &dtmi)
{
    return dtmi.rfind("dtmi:dtdl:", 0) == 0 || dtmi.rfind("dtmi:standard:", 0) == 0;
}

size_t maxNameLength(int version)
{
    return version == 2 ? 64 : 512;
}
size_t maxDisplayNameLength(int version)
{
    return version == 2 ? 64 : 512;
}

bool isValidName(const std::string &name)
{
    if (name.empty() || !isAsciiAlpha(name[0]) || name.back() == '_')
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return isAsciiAlnum(c) || c == '_'; });
}

bool isKnownAdjunctType(const std::string &term)
{
    static const std::set<std::string> adjuncts = {"Historized", "ValueAnnotation", "Override", "Overridden"};
    return adjuncts.count(term) > 0;
}

Limits limitsFor(int version, LimitSet set)
{
    if (version < 4)
        return {5, 10, kMaxDescriptionLength};
    if (set == LimitSet::Onvif)
        return {24, 12, 4096};
    return {8, 12, kMaxDescriptionLength};
}

size_t maxLengthFor(const PropertySpec &spec, int version, LimitSet set)
{
    return spec.name == "description" ? limitsFor(version, set).description : spec.maxLength;
}

ContextInfo classifyContext(const std::string &context)
{
    ContextInfo info;
    static const std::map<std::string, int> dtdl = {{"dtmi:dtdl:context;2", 2},
                                                    {"dtmi:dtdl:context;3", 3},
                                                    {"dtmi:dtdl:context;4", 4},
                                                    {"dtmi:dtdl:context;4#limitless", 4},
                                                    {"dtmi:dtdl:context;4#limits", 4}};
    if (auto it = dtdl.find(context); it != dtdl.end()) {
        info.kind = ContextKind::Dtdl;
        info.version = it->second;
        info.limitless = context.find("#limitless") != std::string::npos;
        info.limitsOnly = context.find("#limits") != std::string::npos && !info.limitless;
        return info;
    }
    // The extensions each DTDL version defines (DTDL.Extensions.md of v3 and v4). MQTT and Requirement are
    // recognized, their terms not checked.
    struct Known
    {
        const char *context;
        std::vector<int> versions;
        bool quantitative, checked;
    };
    static const Known known[] = {
        {"dtmi:iotcentral:context;2", {2}, false, true},
        // the specification's v4 cases use QuantitativeTypes v1 with v4 too
        {"dtmi:dtdl:extension:quantitativeTypes;1", {3, 4}, true, true},
        {"dtmi:dtdl:extension:quantitativeTypes;2", {4}, true, true},
        {"dtmi:dtdl:extension:historization;1", {3}, false, true},
        {"dtmi:dtdl:extension:historization;2", {3, 4}, false, true},
        {"dtmi:dtdl:extension:annotation;1", {3}, false, true},
        {"dtmi:dtdl:extension:annotation;2", {3, 4}, false, true},
        {"dtmi:dtdl:extension:overriding;1", {3}, false, true},
        {"dtmi:dtdl:extension:overriding;2", {3, 4}, false, true},
        {"dtmi:dtdl:extension:mqtt;1", {3}, false, false},
        {"dtmi:dtdl:extension:mqtt;2", {3, 4}, false, false},
        {"dtmi:dtdl:extension:mqtt;3", {3, 4}, false, false},
        {"dtmi:dtdl:extension:requirement;1", {3, 4}, false, false},
    };
    for (const Known &k : known)
        if (context == k.context) {
            info.kind = ContextKind::Extension;
            info.usableIn = k.versions;
            info.quantitative = k.quantitative;
            info.termsChecked = k.checked;
            return info;
        }
    if (context == "dtmi:dtdl:limits:onvif;1") {
        info.kind = ContextKind::LimitExtension;
        info.usableIn = {4};
        info.limits = LimitSet::Onvif;
        return info;
    }
    if (!isDtmi(context, 2))
        info.kind = ContextKind::Invalid;
    else if (context.rfind("dtmi:dtdl:", 0) == 0)
        info.kind = ContextKind::Unsupported;
    else
        info.kind = ContextKind::Undefined;
    return info;
}

} // namespace twin::model::dtdl::detail
