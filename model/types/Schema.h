#pragma once
// DTDL-compatible value schemas: primitives plus Enum, Object, Map, Array.
#include <memory>
#include <string>
#include <vector>

namespace twin::model {

enum class SchemaKind
{
    Boolean,
    Date,
    DateTime,
    Double,
    Duration,
    Float,
    Integer,
    Long,
    String,
    Time,
    Byte,
    Bytes,
    Decimal,
    Short,
    UnsignedByte,
    UnsignedInteger,
    UnsignedLong,
    UnsignedShort,
    Uuid,
    ScaledDecimal, // DTDL v4: {"scale": short, "value": decimal string}
    Point,
    LineString,
    Polygon,
    MultiPoint,
    MultiLineString,
    MultiPolygon,
    Enum,
    Object,
    Map,
    Array,
    Unknown
};

const char *schemaKindName(SchemaKind kind);        // DTDL name, e.g. "double", "Enum"
SchemaKind schemaKindFromName(const std::string &); // Unknown if not a DTDL primitive / complex name
bool isNumeric(SchemaKind kind);
bool isIntegral(SchemaKind kind);

struct Schema;
using SchemaPtr = std::shared_ptr<const Schema>;

struct EnumValue
{
    std::string name;
    std::string displayName;
    std::string value; // enumValue as text (integer or string)
};

struct Field
{
    std::string name;
    std::string displayName;
    SchemaPtr schema;
};

struct Schema
{
    SchemaKind kind = SchemaKind::Unknown;
    std::string id;                              // @id of a named complex schema, may be empty
    SchemaKind valueSchema = SchemaKind::String; // Enum: integer or string
    std::vector<EnumValue> enumValues;           // Enum
    std::vector<Field> fields;                   // Object
    std::string mapKeyName;                      // Map
    SchemaPtr mapValue;                          // Map
    std::string mapValueName;                    // Map
    SchemaPtr elementSchema;                     // Array

    static SchemaPtr primitive(SchemaKind kind);
    std::string describe() const; // "double", "Enum{On,Off}", "Array<double>"
};

} // namespace twin::model
