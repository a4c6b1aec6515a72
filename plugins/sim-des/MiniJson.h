#pragma once
// A small JSON reader for the plugin's configuration (the plugin links nothing but the SDK). Parses RFC 8259
// text into a tree; \u escapes are decoded to UTF-8 (surrogate pairs included). Never throws.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace twin::simdes::json {

struct Value
{
    enum class Type
    {
        Null,
        Bool,
        Number,
        String,
        Array,
        Object
    };
    Type type = Type::Null;
    bool boolean = false;
    double number = 0;
    std::string string;
    std::vector<Value> array;
    std::vector<std::pair<std::string, Value>> object; // in document order

    bool isNumber() const { return type == Type::Number; }
    bool isString() const { return type == Type::String; }
    bool isObject() const { return type == Type::Object; }
    bool isArray() const { return type == Type::Array; }
    // Member by key, or nullptr (also when this is not an object).
    const Value *find(const std::string &key) const;
};

// Parses `text`; on failure returns false and sets `error` (with the byte offset).
bool parse(const std::string &text, Value &out, std::string &error);

} // namespace twin::simdes::json
