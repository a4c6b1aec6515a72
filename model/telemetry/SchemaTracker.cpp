#include "twin/model/telemetry/SchemaTracker.h"

namespace twin::model {

const char *fieldTypeName(FieldType type)
{
    switch (type) {
    case FieldType::Null:
        return "null";
    case FieldType::Bool:
        return "boolean";
    case FieldType::Number:
        return "number";
    case FieldType::String:
        return "string";
    case FieldType::Object:
        return "object";
    case FieldType::Array:
        return "array";
    }
    return "?";
}

std::string SchemaChange::describe() const
{
    switch (kind) {
    case Added:
        return "new field '" + field + "' (" + fieldTypeName(after) + ")";
    case Missing:
        return "field '" + field + "' (" + fieldTypeName(before) + ") is missing";
    case Retyped:
        return "field '" + field + "' retyped from " + fieldTypeName(before) + " to " + fieldTypeName(after);
    }
    return {};
}

std::vector<SchemaChange> SchemaTracker::observe(TimeNs time, const FieldSet &fields)
{
    std::vector<SchemaChange> found;
    if (m_messages++ == 0) {
        m_current = fields;
        return found;
    }
    for (const auto &[name, type] : fields) {
        auto it = m_current.find(name);
        if (it == m_current.end())
            found.push_back({time, name, SchemaChange::Added, FieldType::Null, type});
        else if (it->second != type && type != FieldType::Null && it->second != FieldType::Null)
            found.push_back({time, name, SchemaChange::Retyped, it->second, type});
    }
    for (const auto &[name, type] : m_current)
        if (!fields.count(name))
            found.push_back({time, name, SchemaChange::Missing, type, FieldType::Null});
    // The message's schema becomes the current one; a null keeps the type it had.
    FieldSet next = fields;
    for (auto &[name, type] : next)
        if (type == FieldType::Null)
            if (auto it = m_current.find(name); it != m_current.end())
                type = it->second;
    m_current = std::move(next);
    m_changes.insert(m_changes.end(), found.begin(), found.end());
    return found;
}

} // namespace twin::model
