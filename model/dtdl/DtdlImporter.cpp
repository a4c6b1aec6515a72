#include "twin/model/dtdl/DtdlImporter.h"

#include "twin/model/dtdl/DtdlMapper.h"
#include "twin/model/dtdl/DtdlModel.h"
#include "twin/model/dtdl/DtdlReader.h"
#include "twin/model/dtdl/DtdlValidator.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace twin::model::dtdl {

std::string Issue::toString() const
{
    std::string text = file.empty() ? std::string("<input>") : file;
    if (!jsonPath.empty())
        text += ": " + jsonPath;
    if (!rule.empty())
        text += ": " + rule;
    return text + ": " + message;
}

namespace detail {

const std::vector<Ref> &Node::refList(const std::string &property) const
{
    static const std::vector<Ref> empty;
    auto it = refs.find(property);
    return it == refs.end() ? empty : it->second;
}

const Ref *Node::ref(const std::string &property) const
{
    const auto &list = refList(property);
    return list.empty() ? nullptr : &list.front();
}

int Model::find(const std::string &id) const
{
    auto it = byId.find(id);
    return it == byId.end() ? -1 : it->second;
}

namespace {
// Limits of the reference parser, not rules of meaning (see ImportOptions::strict).
bool isLimit(const std::string &rule)
{
    static const std::set<std::string> limits = {"StringLength", "IdLong", "SchemaMaxDepth",
                                                 "ExtendsMaxDepth", "ExtendsMaxCount"};
    return limits.count(rule) > 0;
}
} // namespace

void Diagnostics::error(const std::string &file, const std::string &path, const std::string &rule,
                        const std::string &message)
{
    if (!m_strict && isLimit(rule))
        m_result.warnings.push_back(
            {file, path, rule,
             message + " (a limit of the DTDL reference parser: imported anyway; strict refuses)"});
    else
        m_result.errors.push_back({file, path, rule, message});
}

void Diagnostics::warning(const std::string &file, const std::string &path, const std::string &rule,
                          const std::string &message)
{
    m_result.warnings.push_back({file, path, rule, message});
}

} // namespace detail

ImportResult importDocuments(const std::vector<Document> &docs, const ImportOptions &options)
{
    ImportResult result;
    detail::Model model;
    detail::Diagnostics diag(result, options.strict);
    for (const auto &[file, text] : docs)
        detail::readDocument(model, diag, options, file, text);
    detail::validateModel(model, diag);
    result.unresolvedReferences.assign(diag.unresolvedIds().begin(), diag.unresolvedIds().end());
    if (options.requireResolvedReferences)
        for (const auto &id : result.unresolvedReferences)
            result.errors.push_back({"", "", "DependencyResolved", "reference " + id + " is not defined"});
    result.types = detail::mapInterfaces(model);
    return result;
}

ImportResult importPaths(const std::vector<std::string> &filesOrDirs, const ImportOptions &options)
{
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    std::vector<Issue> readErrors;
    for (const auto &entry : filesOrDirs) {
        std::error_code ec;
        if (fs::is_directory(entry, ec)) {
            for (fs::recursive_directory_iterator it(entry, ec), end; !ec && it != end; it.increment(ec)) {
                if (it->is_regular_file() && it->path().extension() == ".json")
                    files.push_back(it->path().string());
            }
            if (ec)
                readErrors.push_back({entry, "", "Io", "cannot list directory: " + ec.message()});
        } else if (fs::is_regular_file(entry, ec)) {
            files.push_back(entry);
        } else {
            readErrors.push_back({entry, "", "Io", "no such file or directory"});
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<Document> docs;
    docs.reserve(files.size());
    for (const auto &file : files) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            readErrors.push_back({file, "", "Io", "cannot open file"});
            continue;
        }
        std::ostringstream text;
        text << in.rdbuf();
        docs.emplace_back(file, text.str());
    }
    ImportResult result = importDocuments(docs, options);
    result.errors.insert(result.errors.begin(), readErrors.begin(), readErrors.end());
    return result;
}

} // namespace twin::model::dtdl
