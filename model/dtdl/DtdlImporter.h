#pragma once
// DTDL v2 / v3 importer: JSON documents -> validated AssetTypes (Interfaces only).
#include "twin/model/types/AssetType.h"

#include <string>
#include <utility>
#include <vector>

namespace twin::model::dtdl {

struct Issue
{
    std::string file;
    std::string jsonPath; // e.g. "$[0].contents[2].schema"
    std::string rule;     // e.g. "NamePattern"
    std::string message;
    std::string toString() const; // "file: $.contents[2].schema: rule: message"
};

struct ImportOptions
{
    // Conformance option "AllowUndefinedExtensions": unknown extension contexts are tolerated and,
    // within their scope, undefined co-types and the properties of co-typed elements are ignored.
    bool allowUndefinedExtensions = true;
    // Unresolved references (extends, schema, ...) become errors instead of being listed only.
    bool requireResolvedReferences = false;
    // Limits and conventions the reference parser enforces but published models sometimes exceed (string
    // lengths, @id length, schema nesting and extends depth/count, an @id defined twice *identically*) are
    // errors only when strict (conformance); otherwise warnings naming file and JSON path, and the import
    // goes on. What breaks meaning is an error either way.
    bool strict = false;
};

struct ImportResult
{
    std::vector<AssetType> types; // top-level and inline Interfaces, sorted by id
    std::vector<Issue> errors;
    std::vector<Issue> warnings;
    std::vector<std::string> unresolvedReferences; // DTMIs referenced but not defined, sorted, unique
    bool ok() const { return errors.empty(); }
};

using Document = std::pair<std::string /*fileName*/, std::string /*text*/>;

ImportResult importDocuments(const std::vector<Document> &docs, const ImportOptions &options = {});
// Files and directories (recursively, *.json), imported together so references resolve across them.
ImportResult importPaths(const std::vector<std::string> &filesOrDirs, const ImportOptions &options = {});

} // namespace twin::model::dtdl
