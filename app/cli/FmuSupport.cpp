#include "FmuSupport.h"

#include "CliOutput.h"
#include "Verbs.h"

#include "twin/formats/CsvReader.h"
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/util/Hex.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
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

// time,<input>... with a header row (RFC 4180 quoting). Numbers, or several space-separated in a cell for an
// array (the first row decides how many); with the model's description, a String column's cells are text as
// they are and a Binary column's hex digits.
bool readInputs(const std::string &path, model::sim::InputTable &table, std::string &error,
                const sdk::ModelInfo *model)
{
    model::CsvOptions options;
    options.delimiter = ',';
    options.header = model::CsvOptions::Header::Yes;
    auto reader = model::CsvReader::open(path, options);
    if (!reader) {
        error = reader.error();
        return false;
    }
    const std::vector<std::string> &header = reader->header();
    if (header.size() < 2) {
        error = path + ": the header needs time and at least one input column";
        return false;
    }
    auto isText = [&](const std::string &name) {
        if (model)
            for (const auto &v : model->variables)
                if (v.name == name)
                    return !sdk::isNumber(v.type);
        return false;
    };
    std::vector<std::size_t> width;  // per header column: its values per cell (an array's cell holds several)
    std::vector<std::size_t> column; // per header column: its index in table.columns or table.textColumns
    std::vector<bool> text;
    for (std::size_t i = 1; i < header.size(); ++i) {
        text.push_back(isText(header[i]));
        if (text.back()) {
            column.push_back(table.textColumns.size());
            table.textColumns.emplace_back(header[i], std::vector<std::string>());
        } else {
            column.push_back(0);
        }
    }
    const Status read = reader->read([&](const model::CsvRow &row) {
        const std::string at = path + ":" + std::to_string(row.line);
        std::vector<std::vector<double>> values(row.count);
        for (std::size_t i = 0; i < row.count; ++i) {
            if (i > 0 && text[i - 1])
                continue;
            std::istringstream words{std::string(row[i])};
            for (std::string word; words >> word;) {
                double v = 0;
                if (!parseNumber(word, v)) {
                    error = at + ": \"" + std::string(row[i]) + "\" is not a number";
                    return false;
                }
                values[i].push_back(v);
            }
            if (values[i].empty() || (i == 0 && values[i].size() != 1)) {
                error = at + ": \"" + std::string(row[i]) + "\" is not a number";
                return false;
            }
        }
        if (width.empty()) { // the first row decides: a cell of n values is an array, its elements name[1..n]
            for (std::size_t i = 1; i < header.size(); ++i) {
                width.push_back(values[i].size());
                if (text[i - 1])
                    continue;
                column[i - 1] = table.columns.size();
                for (std::size_t k = 0; k < values[i].size(); ++k)
                    table.columns.emplace_back(
                        values[i].size() == 1 ? header[i] : header[i] + "[" + std::to_string(k + 1) + "]",
                        std::vector<double>());
            }
        }
        for (std::size_t i = 1; i < header.size(); ++i)
            if (!text[i - 1] && values[i].size() != width[i - 1]) {
                error = at + ": column " + header[i] + " has " + std::to_string(values[i].size()) +
                        " values, the first row " + std::to_string(width[i - 1]);
                return false;
            }
        if (!table.time.empty() && values[0][0] < table.time.back()) {
            error = at + ": time goes backwards";
            return false;
        }
        table.time.push_back(values[0][0]);
        for (std::size_t i = 1; i < header.size(); ++i) {
            if (text[i - 1]) {
                table.textColumns[column[i - 1]].second.emplace_back(row[i]);
                continue;
            }
            for (std::size_t k = 0; k < values[i].size(); ++k)
                table.columns[column[i - 1] + k].second.push_back(values[i][k]);
        }
        return true;
    });
    if (!read) {
        error = read.error();
        return false;
    }
    if (!error.empty())
        return false;
    if (table.time.empty()) {
        error = path + ": no data rows";
        return false;
    }
    return true;
}

ModelRunOptions takeModelRunOptions(std::vector<std::string> &args)
{
    ModelRunOptions o;
    for (const char *name : {"--start", "--stop", "--step", "--timeout", "--memory"}) {
        const std::string text = takeOption(args, name);
        double v = 0;
        if (text.empty())
            continue;
        if (!parseNumber(text, v)) {
            o.error = std::string(name) + " \"" + text + "\" is not a number";
            return o;
        }
        const std::string option = name;
        if (option == "--start")
            o.start = v;
        else if (option == "--stop")
            o.stop = v;
        else if (option == "--step")
            o.step = v;
        else if (option == "--timeout")
            o.limits.answerSeconds = v;
        else
            o.limits.memoryBytes = std::uint64_t(v) << 20;
    }
    for (std::string s; !(s = takeOption(args, "--set")).empty();) {
        const auto eq = s.find('=');
        if (eq == std::string::npos || eq == 0) {
            o.error = "--set " + s + ": expected name=value";
            return o;
        }
        o.sets.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    }
    return o;
}

bool applyModelRunOptions(const ModelRunOptions &options, model::sim::SimulationJob &job, std::string &error,
                          const sdk::ModelInfo *model)
{
    job.start = options.start.value_or(job.start);
    job.stop = options.stop.value_or(job.stop);
    job.step = options.step.value_or(job.step);
    if (!(job.step > 0) || !(job.stop >= job.start)) {
        error = "need --step > 0 and --stop >= --start";
        return false;
    }
    for (const auto &[name, text] : options.sets) {
        sdk::ValueType type = sdk::ValueType::Real;
        if (model)
            for (const auto &v : model->variables)
                if (v.name == name)
                    type = v.type;
        if (type == sdk::ValueType::String) {
            job.textParameters.emplace_back(name, text);
        } else if (type == sdk::ValueType::Binary) {
            std::vector<std::uint8_t> bytes;
            if (!fromHex(text, bytes)) {
                error = "--set " + name + "=" + text + ": " + name + " is a Binary variable: give hex digits";
                return false;
            }
            job.binaryParameters.emplace_back(name, std::move(bytes));
        } else if (double v = 0; parseNumber(text, v)) {
            job.parameters.emplace_back(name, v);
        } else {
            error = "--set " + name + "=" + text + ": expected a number" +
                    (model ? " (" + name + " is " +
                                 (type == sdk::ValueType::Real ? "a number or unknown"
                                                               : sdk::valueTypeName(type)) +
                                 ")"
                           : "");
            return false;
        }
    }
    return true;
}

bool writeStateFile(const std::string &path, const std::vector<std::uint8_t> &state, double time,
                    std::string &error)
{
    std::ofstream f(path, std::ios::binary);
    char header[64];
    std::snprintf(header, sizeof header, "twinworks-state 1\ntime=%.17g\n", time);
    f << header;
    f.write(reinterpret_cast<const char *>(state.data()), std::streamsize(state.size()));
    if (!f)
        error = path + ": cannot write the state";
    return bool(f);
}

bool readStateFile(const std::string &path, std::vector<std::uint8_t> &state, double &time,
                   std::string &error)
{
    std::ifstream f(path, std::ios::binary);
    std::string magic, timeLine;
    if (!f || !std::getline(f, magic) || magic != "twinworks-state 1" || !std::getline(f, timeLine) ||
        timeLine.rfind("time=", 0) != 0 || !parseNumber(timeLine.substr(5), time)) {
        error = path + ": not a saved model state (twinctl fmu-run --save-state writes them)";
        return false;
    }
    state.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    return true;
}

Report runAndWrite(const char *verb, const model::sim::SimulationJob &job,
                   const model::sim::RunLimits &limits, const std::string &file, const std::string &out,
                   model::sim::SimulationResult *resultOut)
{
    model::sim::SimulationRunner runner;
    model::sim::SimulationResult local;
    model::sim::SimulationResult &result = resultOut ? *resultOut : local;
    result = runner.run(job, limits);
    std::ofstream csv(out);
    for (std::size_t i = 0; i < result.columns.size(); ++i)
        csv << (i ? "," : "") << result.columns[i];
    for (const std::string &name : result.textColumns)
        csv << "," << name;
    csv << "\n";
    char cell[40];
    for (std::size_t r = 0; r < result.rows.size(); ++r) {
        const auto &row = result.rows[r];
        for (std::size_t i = 0; i < row.size(); ++i) {
            std::snprintf(cell, sizeof cell, "%.17g", row[i]);
            csv << (i ? "," : "") << cell;
        }
        // String outputs quoted as RFC 4180 asks (quotes doubled); Binary ones as hex digits.
        for (std::size_t i = 0; i < result.textColumns.size(); ++i) {
            const std::string value =
                r < result.textRows.size() && i < result.textRows[r].size() ? result.textRows[r][i] : "";
            std::string quoted = "\"";
            for (char c : value)
                quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
            csv << "," << quoted << "\"";
        }
        csv << "\n";
    }
    if (!csv)
        return fail(verb, out + ": cannot write");
    Report r;
    r.verb = verb;
    // An FMU that stops early (a discarded step, or terminateSimulation) gave a result up to where it got,
    // as other importers treat it: the rows are kept and the run succeeds with a note.
    const bool stoppedEarly = result.outcome == model::sim::RunOutcome::Discarded;
    r.ok = result.ok() || stoppedEarly;
    r.error = result.message;
    r.fields = {{verb == std::string("ssp-run") ? "ssp" : "fmu", jsonString(file)},
                {"out", jsonString(out)},
                {"outcome", jsonString(model::sim::outcomeName(result.outcome))},
                {"reached", json(result.reached).dump()},
                {"rows", std::to_string(result.rows.size())},
                {"warnings", json(result.warnings).dump()},
                {"stoppedEarly", json(stoppedEarly).dump()}};
    if (stoppedEarly)
        r.fields.emplace_back("note",
                              jsonString("the FMU stopped at t=" + std::to_string(result.reached) + ": " +
                                         (result.message.empty() ? "no reason given" : result.message)));
    r.messages.push_back(job.label + ": " + model::sim::outcomeName(result.outcome) +
                         " at t=" + std::to_string(result.reached) + ", " +
                         std::to_string(result.rows.size()) + " rows written to " + out);
    if (stoppedEarly)
        r.messages.push_back("note: the FMU stopped early" +
                             (result.message.empty() ? std::string() : ": " + result.message) +
                             "; the rows up to there are the result");
    for (const auto &w : result.warnings)
        r.messages.push_back("warning: " + w);
    return r;
}

} // namespace twin::cli
