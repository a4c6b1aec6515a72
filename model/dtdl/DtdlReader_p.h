#pragma once
// Internal to the DTDL reader (DtdlReader.cpp, DtdlReaderValues.cpp): the Reader class and its helpers.
// Includes nlohmann/json; never include it from a public header.
#include "twin/model/dtdl/DtdlMetamodel.h"
#include "twin/model/dtdl/DtdlReader.h"

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace twin::model::dtdl::detail::reading {

using json = nlohmann::json;

// What the @context of an element and its ancestors enables.
struct Scope
{
    int version = 0;
    bool quantitative = false;
    bool undefinedExtension = false;
    bool uncheckedExtension = false; // a known extension whose terms we accept unchecked (MQTT, ...)
    LimitSet limits = LimitSet::Core;
};

bool isKnownPropertyTerm(const std::string &term);
// Quotes text for a message, shortened to 80 characters.
std::string quote(const std::string &text);
bool isLanguageTag(const std::string &tag);

// Reads the elements of one document into the model, reporting per-element rule violations.
// Structure (contexts, @type, @id, element members) in DtdlReader.cpp; property values and the check
// for required properties in DtdlReaderValues.cpp.
class Reader
{
public:
    Reader(Model &model, Diagnostics &diag, const ImportOptions &options, std::string file)
        : m_model(model), m_diag(diag), m_options(options), m_file(std::move(file))
    {
    }

    void readRoot(const json &root);
    int readElement(const json &obj, const std::string &path, const std::vector<std::string> &allowed,
                    const PropertySpec *via, Scope scope, int parent, bool top);

private:
    void error(const std::string &path, const std::string &rule, const std::string &message)
    {
        m_diag.error(m_file, path, rule, message);
    }

    // Which kinds of context an @context value has named so far.
    struct ContextsSeen
    {
        bool dtdl = false;
        bool extension = false;
        bool afterLimitless = false; // the previous context was v4's "#limitless": limits must come next
    };
    // A member of an element that names a property; read once all members are known to be valid.
    struct Member
    {
        const PropertySpec *spec;
        const json *value;
        std::string path;
    };
    // What becomes of an element member: read as a property, skipped, or rejected (error reported).
    enum class MemberAction
    {
        Read,
        Skip,
        Fail
    };

    void readTop(const json &value, const std::string &path);

    // Applies an @context value to the scope. Returns false on error.
    bool readContext(const json &value, const std::string &path, Scope &scope, bool top,
                     const PropertySpec *via = nullptr);
    // The context DTMIs of an @context value (a string or an array of strings).
    bool contextStrings(const json &value, const std::string &path, std::vector<std::string> &contexts);
    bool applyContext(const std::string &context, const std::string &path, Scope &scope, bool top,
                      const PropertySpec *via, ContextsSeen &seen);
    // A DTDL context: sets the version; inside an element only an earlier version, where elements of it may
    // be embedded.
    bool applyDtdlContext(const std::string &context, const ContextInfo &info, const std::string &path,
                          Scope &scope, bool top, const PropertySpec *via, ContextsSeen &seen);
    // A known extension (iotcentral for v2, the others for v3/v4) or a v4 limit extension.
    bool applyExtensionContext(const std::string &context, const ContextInfo &info, const std::string &path,
                               Scope &scope, ContextsSeen &seen);

    static std::string implicitClass(const PropertySpec *via);
    // Reads the @type member; fills cls and co-types. Returns false on error.
    bool readTypes(const json &obj, const std::string &path, const std::vector<std::string> &allowed,
                   const PropertySpec *via, const Scope &scope, Node &node);
    // The values of @type (a string or an array of strings); none when it is absent.
    bool typeStrings(const json &obj, const std::string &path, std::vector<std::string> &types);
    // One @type value: the material class, a semantic type or another co-type.
    bool readType(const std::string &raw, const std::string &path, const Scope &scope, Node &node);
    // A @type value with a colon: v3 allows only DTMIs there, and a DTMI must be valid.
    bool checkTypeIri(const std::string &raw, const std::string &path, int version);
    // After all @type values: a class (implicit when untyped) that is allowed here.
    bool checkClass(bool untyped, const std::string &path, const std::vector<std::string> &allowed,
                    const PropertySpec *via, int version, Node &node);
    bool readId(const json &obj, const std::string &path, Node &node);
    bool checkIdRequired(const Node &node, const PropertySpec *via, const std::string &path);

    // Appends the element to the model (generating an id when it has none); returns its index.
    int storeNode(Node node);
    // The element's members that name properties, checked against its class; false on the first error.
    bool collectMembers(const json &obj, const std::string &path, const Scope &scope, const Node &node,
                        std::vector<Member> &members);
    // A JSON-LD keyword member other than @context, @id and @type: v2 ignores it (except @graph).
    bool checkKeyword(const std::string &key, const std::string &keyPath, const Scope &scope);
    // The property a member other than a keyword names; `seen` catches one given as term and as DTMI.
    MemberAction memberProperty(const std::string &key, const std::string &keyPath, const Scope &scope,
                                const Node &node, std::set<std::string> &seen, const PropertySpec *&spec);
    // The property term of a member named by a DTMI.
    MemberAction termOfDtmiMember(const std::string &key, const std::string &keyPath, const Scope &scope,
                                  const Node &node, std::string &term);
    // Reads all members' values; false when any of them reported an error.
    bool readMembers(int index, const std::vector<Member> &members, const Scope &scope);
    // Required properties of the class, and the unit a semantic type needs.
    bool checkRequiredProperties(int index, const std::string &path, const Scope &scope);

    // Unwraps arrays of one value and JSON-LD value objects. Returns nullptr when absent or on error.
    const json *unwrapLiteral(const json &value, const std::string &path, const char *xsdType, bool &failed);
    void readProperty(int index, const PropertySpec &spec, const json &value, const std::string &path,
                      const Scope &scope);

    // A localizable string: a plain string (English), a language map or an array of strings and value
    // objects with @language.
    bool readLangString(const json &value, const std::string &path, const PropertySpec &spec, LangMap &out);
    // Adds the text for one language; it must be a string within the length limit, one per language.
    bool storeLangText(const std::string &path, const PropertySpec &spec, const std::string &lang,
                       const json &text, LangMap &out);
    bool readLangMap(const json &value, const std::string &path, const PropertySpec &spec, LangMap &out);
    bool readLangArray(const json &value, const std::string &path, const PropertySpec &spec, LangMap &out);
    // A {"@value", "@language"} item of an array; one without @language is the default text.
    bool readLangValueObject(const json &item, const std::string &path, const PropertySpec &spec,
                             bool &sawDefault, LangMap &out);

    // Element-valued properties: inline elements and references (DTMIs, primitive schemas).
    bool readElementValues(int index, const PropertySpec &spec, const json &value, const std::string &path,
                           const Scope &scope);
    // The number of values against the property's plurality and min/max counts.
    bool checkValueCount(const PropertySpec &spec, size_t count, const std::string &path);
    bool readElementValue(int index, const PropertySpec &spec, const json &item, const std::string &path,
                          const Scope &scope, Ref &ref);
    bool readReference(const PropertySpec &spec, const std::string &text, const std::string &path,
                       int version, Ref &ref);

    // Literal-valued properties, stored into the node at `index`.
    void readBoolean(int index, const PropertySpec &spec, const json &value, const std::string &path);
    void readInteger(int index, const PropertySpec &spec, const json &value, const std::string &path);
    // An integer or a string, typed by its value object's @value when there is one.
    void readEnumValue(int index, const PropertySpec &spec, const json &value, const std::string &path);
    void readDtmiValue(int index, const PropertySpec &spec, const json &value, const std::string &path,
                       int version);
    // Names, strings and literals (unit, commandType, valueSchema as terms).
    void readStringValue(int index, const PropertySpec &spec, const json &value, const std::string &path,
                         int version);
    // Turns a literal given as a DTMI into its term and checks the values commandType and valueSchema allow.
    bool normalizeLiteral(const PropertySpec &spec, const std::string &path, int version, std::string &s);

    Model &m_model;
    Diagnostics &m_diag;
    const ImportOptions &m_options;
    std::string m_file;
    int m_version = 3; // version of the element being read
    LimitSet m_limits = LimitSet::Core;
};

} // namespace twin::model::dtdl::detail::reading
