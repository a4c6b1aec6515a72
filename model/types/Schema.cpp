#include "twin/model/types/Schema.h"

#include <array>
#include <utility>

namespace twin::model {
namespace {
struct KindName
{
    SchemaKind kind;
    const char *name;
};
constexpr std::array kKindNames{
    KindName{SchemaKind::Boolean, "boolean"},
    KindName{SchemaKind::Date, "date"},
    KindName{SchemaKind::DateTime, "dateTime"},
    KindName{SchemaKind::Double, "double"},
    KindName{SchemaKind::Duration, "duration"},
    KindName{SchemaKind::Float, "float"},
    KindName{SchemaKind::Integer, "integer"},
    KindName{SchemaKind::Long, "long"},
    KindName{SchemaKind::String, "string"},
    KindName{SchemaKind::Time, "time"},
    KindName{SchemaKind::Byte, "byte"},
    KindName{SchemaKind::Bytes, "bytes"},
    KindName{SchemaKind::Decimal, "decimal"},
    KindName{SchemaKind::Short, "short"},
    KindName{SchemaKind::UnsignedByte, "unsignedByte"},
    KindName{SchemaKind::UnsignedInteger, "unsignedInteger"},
    KindName{SchemaKind::UnsignedLong, "unsignedLong"},
    KindName{SchemaKind::UnsignedShort, "unsignedShort"},
    KindName{SchemaKind::Uuid, "uuid"},
    KindName{SchemaKind::ScaledDecimal, "scaledDecimal"},
    KindName{SchemaKind::Point, "point"},
    KindName{SchemaKind::LineString, "lineString"},
    KindName{SchemaKind::Polygon, "polygon"},
    KindName{SchemaKind::MultiPoint, "multiPoint"},
    KindName{SchemaKind::MultiLineString, "multiLineString"},
    KindName{SchemaKind::MultiPolygon, "multiPolygon"},
    KindName{SchemaKind::Enum, "Enum"},
    KindName{SchemaKind::Object, "Object"},
    KindName{SchemaKind::Map, "Map"},
    KindName{SchemaKind::Array, "Array"},
};
} // namespace

const char *schemaKindName(SchemaKind kind)
{
    for (const auto &k : kKindNames)
        if (k.kind == kind)
            return k.name;
    return "unknown";
}

SchemaKind schemaKindFromName(const std::string &name)
{
    for (const auto &k : kKindNames)
        if (name == k.name)
            return k.kind;
    return SchemaKind::Unknown;
}

bool isIntegral(SchemaKind kind)
{
    switch (kind) {
    case SchemaKind::Integer:
    case SchemaKind::Long:
    case SchemaKind::Byte:
    case SchemaKind::Short:
    case SchemaKind::UnsignedByte:
    case SchemaKind::UnsignedInteger:
    case SchemaKind::UnsignedLong:
    case SchemaKind::UnsignedShort:
        return true;
    default:
        return false;
    }
}

bool isNumeric(SchemaKind kind)
{
    return isIntegral(kind) || kind == SchemaKind::Double || kind == SchemaKind::Float ||
           kind == SchemaKind::Decimal;
}

SchemaPtr Schema::primitive(SchemaKind kind)
{
    auto schema = std::make_shared<Schema>();
    schema->kind = kind;
    return schema;
}

std::string Schema::describe() const
{
    switch (kind) {
    case SchemaKind::Enum: {
        std::string text = "Enum{";
        for (size_t i = 0; i < enumValues.size(); ++i)
            text += (i ? "," : "") + enumValues[i].name;
        return text + "}";
    }
    case SchemaKind::Array:
        return std::string("Array<") + (elementSchema ? elementSchema->describe() : "?") + ">";
    case SchemaKind::Map:
        return std::string("Map<string,") + (mapValue ? mapValue->describe() : "?") + ">";
    case SchemaKind::Object: {
        std::string text = "Object{";
        for (size_t i = 0; i < fields.size(); ++i)
            text += (i ? "," : "") + fields[i].name;
        return text + "}";
    }
    default:
        return schemaKindName(kind);
    }
}

} // namespace twin::model
