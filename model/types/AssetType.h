#pragma once
// An asset type: a DTDL Interface plus the presentation hints the workbench needs.
#include "twin/model/types/Schema.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace twin::model {

using LangMap = std::map<std::string, std::string>; // language tag -> text

std::string pickText(const LangMap &text, const std::string &fallback = {}); // "en" first, then any

struct PropertyDescriptor
{
    std::string name;
    std::string id;
    LangMap displayName;
    LangMap description;
    SchemaPtr schema;
    std::string semanticType; // e.g. "Temperature"
    std::string unit;         // e.g. "degreeCelsius"
    bool writable = false;
    std::optional<double> minimum; // from DTDL QuantitativeTypes/annotations or twin extension
    std::optional<double> maximum;
    std::string defaultValue; // textual default, may be empty
};

struct TelemetryDescriptor
{
    std::string name;
    std::string id;
    LangMap displayName;
    LangMap description;
    SchemaPtr schema;
    std::string semanticType;
    std::string unit;
    std::optional<double> minimum; // plausible range for data-quality checks (not in DTDL; set by the model)
    std::optional<double> maximum;
};

struct CommandDescriptor
{
    std::string name;
    std::string id;
    LangMap displayName;
    LangMap description;
    std::string requestName;
    SchemaPtr request;
    std::string responseName;
    SchemaPtr response;
};

struct RelationshipDescriptor
{
    std::string name;
    std::string id;
    LangMap displayName;
    LangMap description;
    std::string target; // interface DTMI; empty = any asset
    std::optional<int> minMultiplicity;
    std::optional<int> maxMultiplicity;
    bool writable = false;
    std::vector<PropertyDescriptor> properties;
};

struct ComponentDescriptor
{
    std::string name;
    std::string id;
    LangMap displayName;
    LangMap description;
    std::string schema; // interface DTMI
};

struct AssetType
{
    std::string id; // DTMI, e.g. "dtmi:twinworks:demo:Pump;1"
    int dtdlVersion = 3;
    LangMap displayName;
    LangMap description;
    std::vector<std::string> extends;
    std::vector<PropertyDescriptor> properties;
    std::vector<TelemetryDescriptor> telemetry;
    std::vector<CommandDescriptor> commands;
    std::vector<RelationshipDescriptor> relationships;
    std::vector<ComponentDescriptor> components;
    std::string sourceFile; // where it was imported from, for error messages

    std::string label() const; // display name or the last DTMI segment
};

} // namespace twin::model
