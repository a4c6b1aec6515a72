#pragma once
// DTDL v2 / v3 / v4 metamodel tables: classes, their properties, primitive schemas, limits, contexts.
#include <string>
#include <vector>

namespace twin::model::dtdl::detail {

enum class ValueKind
{
    Name,       // string matching the name pattern
    LangString, // string or language map (displayName, description)
    String,     // plain string (comment)
    Boolean,    // writable, nullable
    Integer,    // min/maxMultiplicity
    Element,    // inline element or reference (classes list the allowed classes)
    Dtmi,       // DTMI string that is not resolved (target)
    Literal,    // string from a fixed set: unit, commandType, valueSchema
    EnumValue   // integer or string
};

struct PropertySpec
{
    std::string name;
    ValueKind kind;
    bool required = false;
    bool plural = false;              // may hold several values
    std::vector<std::string> classes; // Element: allowed classes; "Schema" = any schema incl. primitives
    int minCount = 0;
    int maxCount = -1; // -1 = unlimited
    size_t maxLength = 0;
};

// Properties of a class in a DTDL version; nullptr if the class does not exist in that version.
const std::vector<PropertySpec> *classProperties(int version, const std::string &cls);
const PropertySpec *findProperty(int version, const std::string &cls, const std::string &name);
bool isMaterialClass(int version, const std::string &term);
bool isComplexSchemaClass(const std::string &cls); // Array, Enum, Map, Object
bool classMatches(const std::string &cls, const std::vector<std::string> &allowed);
bool isPrimitiveSchema(int version, const std::string &term);
bool isNumericSchema(const std::string &term);
bool isGeospatialSchema(const std::string &term);
// "dtmi:dtdl:class:Property;3" -> "Property", "dtmi:dtdl:instance:Schema:double;3" -> "double"; else
// unchanged.
std::string termFromDtmi(int version, const std::string &value);
// "dtmi:dtdl:property:comment;3" -> "comment" when it names a DTDL property of that version; else "".
std::string propertyTermFromDtmi(int version, const std::string &key);

bool isDtmi(const std::string &text, int version);
bool hasReservedPrefix(const std::string &dtmi);

size_t maxNameLength(int version);
size_t maxDisplayNameLength(int version);
constexpr size_t kMaxDescriptionLength = 512;
constexpr size_t kMaxCommentLength = 512;
constexpr size_t kMaxInterfaceIdLength = 128;
constexpr size_t kMaxIdLength = 2048;
constexpr int kMaxExtendsTotalV3 = 1024;

// Which limits apply: the core language's, or a v4 limit extension's (Onvif: deeper schemas, longer
// descriptions), chosen by the contexts "dtmi:dtdl:context;4#limitless" + "#limits" or the extension.
enum class LimitSet
{
    Core,
    Onvif
};
struct Limits
{
    int schemaDepth;    // nested complex schemas
    int extendsDepth;   // a chain of extends
    size_t description; // characters
};
Limits limitsFor(int version, LimitSet set);
// The length limit of a string property under these limits (0: none).
size_t maxLengthFor(const PropertySpec &spec, int version, LimitSet set);
// v4: complex schemas may refer to themselves, directly or through others.
inline bool allowsSelfReferentialSchemas(int version)
{
    return version >= 4;
}
bool isValidName(const std::string &name);

// Semantic types and units (DTDL v2 core, v3 QuantitativeTypes extension).
bool isSemanticType(const std::string &term);
std::string unitTypeOf(const std::string &semanticType);
bool isUnitOfType(const std::string &unit, const std::string &unitType);
std::string semanticTypeFromDtmi(int version, const std::string &value); // "" if not one
std::string unitFromDtmi(int version, const std::string &value);         // "" if not one

// Adjunct types of known extensions usable as co-types (Historized, ...).
bool isKnownAdjunctType(const std::string &term);

enum class ContextKind
{
    Dtdl,           // dtmi:dtdl:context;2, ;3, ;4 and ;4#limitless
    Extension,      // a feature or partner extension we know
    LimitExtension, // a limit extension (v4, after the limitless DTDL context)
    Undefined,
    Invalid,
    Unsupported
};
struct ContextInfo
{
    ContextKind kind = ContextKind::Undefined;
    int version = 0;           // Dtdl: the DTDL version
    bool limitless = false;    // Dtdl: the "#limitless" v4 context (the language without its limits)
    bool limitsOnly = false;   // the "#limits" v4 context: the core limits, after "#limitless"
    std::vector<int> usableIn; // Extension, LimitExtension: the DTDL versions it is defined for
    bool quantitative = false; // Extension: QuantitativeTypes (semantic types and units)
    bool termsChecked = true;  // Extension: false when its adjunct types and properties are taken unchecked
    LimitSet limits = LimitSet::Core; // LimitExtension
};
ContextInfo classifyContext(const std::string &context);

} // namespace twin::model::dtdl::detail
