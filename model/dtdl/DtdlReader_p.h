#pragma once
// Internal to the DTDL reader (DtdlReader.cpp, DtdlReaderValues.cpp): the Reader class and its helpers.
// Includes nlohmann/json; never include it from a public header.
#include "dtdl/DtdlMetamodel.h"
#include "dtdl/DtdlReader.h"

#include <nlohmann/json.hpp>

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
};

bool isKnownPropertyTerm(const std::string &term);
// Quotes text for a message, shortened to 80 characters.
std::string quote(const std::string &text);
bool isLanguageTag(const std::string &tag);

// Reads the elements of one document into the model, reporting per-element rule violations.
// Structure (contexts, @type, @id, element members) in DtdlReader.cpp; property values in
// DtdlReaderValues.cpp.
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

    void readTop(const json &value, const std::string &path);
    // Applies an @context value to the scope. Returns false on error.
    bool readContext(const json &value, const std::string &path, Scope &scope, bool top,
                     const PropertySpec *via = nullptr);
    static std::string implicitClass(const PropertySpec *via);
    // Reads the @type member; fills cls and co-types. Returns false on error.
    bool readTypes(const json &obj, const std::string &path, const std::vector<std::string> &allowed,
                   const PropertySpec *via, const Scope &scope, Node &node);
    bool readId(const json &obj, const std::string &path, Node &node);

    // Unwraps arrays of one value and JSON-LD value objects. Returns nullptr when absent or on error.
    const json *unwrapLiteral(const json &value, const std::string &path, const char *xsdType, bool &failed);
    bool readLangString(const json &value, const std::string &path, const PropertySpec &spec, LangMap &out);
    void readProperty(int index, const PropertySpec &spec, const json &value, const std::string &path,
                      const Scope &scope);
    bool readElementValues(int index, const PropertySpec &spec, const json &value, const std::string &path,
                           const Scope &scope);

    Model &m_model;
    Diagnostics &m_diag;
    const ImportOptions &m_options;
    std::string m_file;
    int m_version = 3; // version of the element being read
};

} // namespace twin::model::dtdl::detail::reading
