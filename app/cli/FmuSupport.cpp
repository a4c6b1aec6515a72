#include "FmuSupport.h"

#include "twin/model/pluginhost/PluginHost.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace twin::cli {

namespace fs = std::filesystem;
using nlohmann::json;

bool parseNumber(const std::string &text, double &value)
{
    char *end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return !text.empty() && end && *end == '\0';
}

// The FMU's description from the FMI plugin in `pluginDir`.
Result<sdk::ModelInfo> describeFmu(const std::string &pluginDir, const std::string &fmu)
{
    model::PluginHost host;
    if (auto scanned = host.scan(pluginDir); !scanned)
        return Error{scanned.error()};
    return host.describeModel("twin.sim-fmi", json{{"fmu", fs::absolute(fmu).string()}}.dump());
}

// time,<input>... with a header row; numbers only.
bool readInputs(const std::string &path, model::sim::InputTable &table, std::string &error)
{
    std::ifstream in(path);
    if (!in) {
        error = path + ": cannot open the inputs file";
        return false;
    }
    std::string line;
    std::vector<std::string> header;
    for (int lineNo = 1; std::getline(in, line); ++lineNo) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');)
            cells.push_back(cell.size() >= 2 && cell.front() == '"' ? cell.substr(1, cell.size() - 2) : cell);
        if (header.empty()) {
            header = cells;
            if (header.size() < 2) {
                error = path + ": the header needs time and at least one input column";
                return false;
            }
            for (std::size_t i = 1; i < header.size(); ++i)
                table.columns.emplace_back(header[i], std::vector<double>());
            continue;
        }
        if (cells.size() != header.size()) {
            error = path + ":" + std::to_string(lineNo) + ": expected " + std::to_string(header.size()) +
                    " cells";
            return false;
        }
        std::vector<double> row(cells.size());
        for (std::size_t i = 0; i < cells.size(); ++i)
            if (!parseNumber(cells[i], row[i])) {
                error = path + ":" + std::to_string(lineNo) + ": \"" + cells[i] + "\" is not a number";
                return false;
            }
        if (!table.time.empty() && row[0] < table.time.back()) {
            error = path + ":" + std::to_string(lineNo) + ": time goes backwards";
            return false;
        }
        table.time.push_back(row[0]);
        for (std::size_t i = 1; i < row.size(); ++i)
            table.columns[i - 1].second.push_back(row[i]);
    }
    if (table.time.empty()) {
        error = path + ": no data rows";
        return false;
    }
    return true;
}

} // namespace twin::cli
