#pragma once
// Schema-change detection for one feed (a CSV file, an MQTT topic, a JSON-lines stream): each message's
// fields (name -> type) are compared with the feed's current schema; new, missing and retyped fields are
// reported with the time of the message where they changed, and the message's schema becomes the current one.
// A null value is compatible with every type (it neither retypes a field nor changes the current schema's
// type for it). Not thread-safe: one tracker per ingest thread (QualityPipeline owns them).
#include "twin/formats/Sample.h"

#include <map>
#include <string>
#include <vector>

namespace twin::model {

enum class FieldType
{
    Null,
    Bool,
    Number,
    String,
    Object,
    Array
};
const char *fieldTypeName(FieldType type);

using FieldSet = std::map<std::string, FieldType>;

struct SchemaChange
{
    enum Kind
    {
        Added,
        Missing,
        Retyped
    };
    TimeNs time = 0; // source time of the message that showed the change
    std::string field;
    Kind kind = Added;
    FieldType before = FieldType::Null; // Retyped / Missing: the previous type
    FieldType after = FieldType::Null;  // Added / Retyped: the new type
    std::string describe() const;       // e.g. "field 'temp' retyped from number to string"
};

class SchemaTracker
{
public:
    // The first message sets the schema and reports nothing. Returns the changes this message made.
    std::vector<SchemaChange> observe(TimeNs time, const FieldSet &fields);
    const FieldSet &current() const { return m_current; }
    const std::vector<SchemaChange> &changes() const { return m_changes; } // all, oldest first
    std::uint64_t messages() const { return m_messages; }

private:
    FieldSet m_current;
    std::vector<SchemaChange> m_changes;
    std::uint64_t m_messages = 0;
};

} // namespace twin::model
