#include "twin/model/dtdl/DtdlReader_p.h"

#include <algorithm>
#include <cctype>

namespace twin::model::dtdl::detail::reading {

namespace {
// Whether the element has a value for the property, in the map that holds values of its kind.
bool hasValue(const Node &node, const PropertySpec &spec)
{
    switch (spec.kind) {
    case ValueKind::Element:
        return !node.refList(spec.name).empty();
    case ValueKind::LangString:
        return node.texts.count(spec.name) > 0;
    case ValueKind::Boolean:
        return node.bools.count(spec.name) > 0;
    case ValueKind::Integer:
        return node.ints.count(spec.name) > 0;
    default:
        return node.strings.count(spec.name) > 0;
    }
}
} // namespace

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
    if (value.is_string())
        return storeLangText(path, spec, "en", value, out);
    if (value.is_object())
        return readLangMap(value, path, spec, out);
    if (value.is_array())
        return readLangArray(value, path, spec, out);
    error(path, "LangString", spec.name + " must be a string or a language map");
    return false;
}

bool Reader::storeLangText(const std::string &path, const PropertySpec &spec, const std::string &lang,
                           const json &text, LangMap &out)
{
    if (!text.is_string()) {
        error(path, "LangString", spec.name + " text must be a string");
        return false;
    }
    const std::string s = text.get<std::string>();
    if (const size_t most = maxLengthFor(spec, m_version, m_limits); most && s.size() > most) {
        error(path, "StringLength", spec.name + " is longer than " + std::to_string(most) + " characters");
        return false;
    }
    if (out.count(lang)) {
        error(path, "LanguageValueUnique", spec.name + " has two texts for language " + quote(lang));
        return false;
    }
    out[lang] = s;
    return true;
}

bool Reader::readLangMap(const json &value, const std::string &path, const PropertySpec &spec, LangMap &out)
{
    if (value.contains("@value") || value.contains("@language")) {
        error(path, "LangString", spec.name + " value object must be inside an array");
        return false;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (!isLanguageTag(it.key())) {
            error(path, "LocalizableStringObjectMemberNameRegex", "invalid language code " + quote(it.key()));
            return false;
        }
        if (!storeLangText(path, spec, it.key(), *it, out))
            return false;
    }
    return true;
}

bool Reader::readLangArray(const json &value, const std::string &path, const PropertySpec &spec, LangMap &out)
{
    bool sawDefault = false;
    for (const auto &item : value) {
        if (item.is_string()) {
            if (sawDefault) {
                error(path, "LocalizableStringArrayOnlyOneDefault",
                      spec.name + " has two texts without language");
                return false;
            }
            sawDefault = true;
            if (!storeLangText(path, spec, "en", item, out))
                return false;
        } else if (item.is_object()) {
            if (!readLangValueObject(item, path, spec, sawDefault, out))
                return false;
        } else {
            error(path, "LocalizableStringArrayElementStringOrObject",
                  spec.name + " elements must be strings or objects");
            return false;
        }
    }
    return true;
}

bool Reader::readLangValueObject(const json &item, const std::string &path, const PropertySpec &spec,
                                 bool &sawDefault, LangMap &out)
{
    if (!item.contains("@value")) {
        error(path, "LocalizableStringArrayElementHasValue", spec.name + " element has no @value");
        return false;
    }
    for (auto it = item.begin(); it != item.end(); ++it) {
        const bool forbidden = it.key() == "@id" || it.key() == "@context" || it.key() == "@graph";
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
            error(path, "LocalizableStringArrayOnlyOneDefault", spec.name + " has two default texts");
            return false;
        }
        sawDefault = true;
    }
    return storeLangText(path, spec, lang, item["@value"], out);
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
    if (!checkValueCount(spec, items.size(), path))
        return false;
    std::vector<Ref> refs;
    for (size_t i = 0; i < items.size(); ++i) {
        Ref ref;
        ref.path = paths[i];
        if (!readElementValue(index, spec, *items[i], paths[i], scope, ref))
            return false;
        refs.push_back(ref);
    }
    auto &list = m_model.nodes[index].refs[spec.name];
    list.insert(list.end(), refs.begin(), refs.end());
    return true;
}

bool Reader::checkValueCount(const PropertySpec &spec, size_t count, const std::string &path)
{
    if (!spec.plural && count > 1) {
        error(path, "SingleValue", spec.name + " takes a single value");
        return false;
    }
    if (spec.maxCount >= 0 && static_cast<int>(count) > spec.maxCount) {
        error(path, "MaxCount", spec.name + " has more than " + std::to_string(spec.maxCount) + " values");
        return false;
    }
    if (static_cast<int>(count) < spec.minCount) {
        error(path, "MinCount", spec.name + " needs at least " + std::to_string(spec.minCount) + " values");
        return false;
    }
    return true;
}

bool Reader::readElementValue(int index, const PropertySpec &spec, const json &item, const std::string &path,
                              const Scope &scope, Ref &ref)
{
    if (item.is_string())
        return readReference(spec, item.get<std::string>(), path, scope.version, ref);
    if (item.is_object()) {
        ref.node = readElement(item, path, spec.classes, &spec, scope, index, false);
        return ref.node >= 0;
    }
    error(path, "ElementValue", spec.name + " value must be an element or a DTMI");
    return false;
}

bool Reader::readReference(const PropertySpec &spec, const std::string &text, const std::string &path,
                           int version, Ref &ref)
{
    const bool schemaAllowed =
        std::find(spec.classes.begin(), spec.classes.end(), "Schema") != spec.classes.end();
    const std::string term = termFromDtmi(version, text);
    if (schemaAllowed && isPrimitiveSchema(version, term)) {
        ref.id = term;
        ref.primitive = true;
    } else if (isDtmi(text, version)) {
        ref.id = text;
    } else {
        error(path, text.rfind("dtmi:", 0) == 0 ? "InvalidDtmi" : "ElementReference",
              spec.name + " value " + quote(text) + " is not a valid reference or schema");
        return false;
    }
    return true;
}

bool Reader::readMembers(int index, const std::vector<Member> &members, const Scope &scope)
{
    const size_t errorsBefore = m_diag.errorCount();
    for (const Member &member : members) {
        m_version = scope.version;
        m_limits = scope.limits;
        readProperty(index, *member.spec, *member.value, member.path, scope);
    }
    return m_diag.errorCount() == errorsBefore;
}

bool Reader::checkRequiredProperties(int index, const std::string &path, const Scope &scope)
{
    const Node &stored = m_model.nodes[index];
    for (const auto &spec : *classProperties(scope.version, stored.cls))
        if (spec.required && !hasValue(stored, spec)) {
            error(path, "RequiredProperties", stored.cls + " requires property " + spec.name);
            return false;
        }
    if (!stored.semanticTypes.empty() && !stored.strings.count("unit") && !stored.undefinedCotype) {
        error(path, "CotypePropertyPresent", "semantic type " + stored.semanticTypes[0] + " requires a unit");
        return false;
    }
    return true;
}

void Reader::readProperty(int index, const PropertySpec &spec, const json &value, const std::string &path,
                          const Scope &scope)
{
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
    case ValueKind::Boolean:
        readBoolean(index, spec, value, path);
        return;
    case ValueKind::Integer:
        readInteger(index, spec, value, path);
        return;
    case ValueKind::EnumValue:
        readEnumValue(index, spec, value, path);
        return;
    case ValueKind::Dtmi:
        readDtmiValue(index, spec, value, path, scope.version);
        return;
    case ValueKind::Name:
    case ValueKind::String:
    case ValueKind::Literal:
        readStringValue(index, spec, value, path, scope.version);
        return;
    }
}

void Reader::readBoolean(int index, const PropertySpec &spec, const json &value, const std::string &path)
{
    bool failed = false;
    const json *v = unwrapLiteral(value, path, "xsd:boolean", failed);
    if (failed)
        return;
    if (v && !v->is_boolean()) {
        error(path, "Boolean", spec.name + " must be a boolean");
        return;
    }
    if (v)
        m_model.nodes[index].bools[spec.name] = v->get<bool>();
}

void Reader::readInteger(int index, const PropertySpec &spec, const json &value, const std::string &path)
{
    bool failed = false;
    const json *v = unwrapLiteral(value, path, "xsd:integer", failed);
    if (failed)
        return;
    if (v && !v->is_number_integer()) {
        error(path, "Integer", spec.name + " must be an integer");
        return;
    }
    if (v)
        m_model.nodes[index].ints[spec.name] = v->get<long long>();
}

void Reader::readEnumValue(int index, const PropertySpec &spec, const json &value, const std::string &path)
{
    const json *probe = value.is_array() && value.size() == 1 ? &value[0] : &value;
    const bool integerValue =
        probe->is_object() && probe->contains("@value") && (*probe)["@value"].is_number();
    bool failed = false;
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
}

void Reader::readDtmiValue(int index, const PropertySpec &spec, const json &value, const std::string &path,
                           int version)
{
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
}

void Reader::readStringValue(int index, const PropertySpec &spec, const json &value, const std::string &path,
                             int version)
{
    bool failed = false;
    const json *v = unwrapLiteral(value, path, "xsd:string", failed);
    if (failed || !v)
        return;
    if (!v->is_string()) {
        error(path, "String", spec.name + " must be a string");
        return;
    }
    std::string s = v->get<std::string>();
    if (const size_t most = maxLengthFor(spec, m_version, m_limits); most && s.size() > most) {
        error(path, "StringLength", spec.name + " is longer than " + std::to_string(most) + " characters");
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
    if (spec.kind == ValueKind::Literal && !normalizeLiteral(spec, path, version, s))
        return;
    m_model.nodes[index].strings[spec.name] = s;
}

bool Reader::normalizeLiteral(const PropertySpec &spec, const std::string &path, int version, std::string &s)
{
    if (spec.name == "unit") {
        const std::string fromDtmi = unitFromDtmi(version, s);
        if (!fromDtmi.empty())
            s = fromDtmi;
    } else {
        s = termFromDtmi(version, s);
    }
    if (spec.name == "commandType" && s != "synchronous" && s != "asynchronous") {
        error(path, "CommandTypeSpecificValues", "commandType must be synchronous or asynchronous");
        return false;
    }
    if (spec.name == "valueSchema" && s != "integer" && s != "string") {
        error(path, "ValueSchemaSpecificValues", "valueSchema must be integer or string");
        return false;
    }
    return true;
}
} // namespace twin::model::dtdl::detail::reading
