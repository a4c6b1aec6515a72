// A SimulationJob on the wire (the 'J' frame, WorkerProtocol.h) and back.
#include "RunLoop_p.h"

#include "twin/util/Hex.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace twin::model::sim::detail {

std::string jobToJson(const SimulationJob &job)
{
    nlohmann::json j = {{"pluginDir", job.pluginDir}, {"plugin", job.pluginId}, {"model", job.modelId},
                        {"config", job.config},       {"label", job.label},     {"stepName", job.stepName},
                        {"start", job.start},         {"stop", job.stop},       {"step", job.step},
                        {"outputs", job.outputs}};
    j["parameters"] = nlohmann::json::array();
    for (const auto &[name, value] : job.parameters)
        j["parameters"].push_back({name, value});
    if (!job.textParameters.empty())
        j["textParameters"] = job.textParameters;
    if (!job.binaryParameters.empty()) {
        j["binaryParameters"] = nlohmann::json::array();
        for (const auto &[name, bytes] : job.binaryParameters)
            j["binaryParameters"].push_back({name, toHex(bytes)});
    }
    if (!job.textOutputs.empty())
        j["textOutputs"] = job.textOutputs;
    nlohmann::json columns = nlohmann::json::object();
    for (const auto &[name, values] : job.inputs.columns)
        columns[name] = values;
    j["inputs"] = {{"time", job.inputs.time}, {"columns", columns}};
    if (!job.inputs.textColumns.empty()) {
        nlohmann::json text = nlohmann::json::object();
        for (const auto &[name, values] : job.inputs.textColumns)
            text[name] = values;
        j["inputs"]["textColumns"] = text;
    }
    if (job.saveStateAt)
        j["saveStateAt"] = *job.saveStateAt;
    if (!job.restoreState.empty())
        j["restoreState"] = job.restoreState; // an array of bytes: states are small next to the input table
    std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!job.extension.empty()) // spliced in as it is: it can be large, and is JSON already
        text.insert(text.size() - 1, ",\"extension\":" + job.extension);
    return text;
}

SimulationJob jobFromJson(const std::string &text, nlohmann::json &extension)
{
    nlohmann::json j = nlohmann::json::parse(text);
    SimulationJob job;
    job.pluginDir = j.value("pluginDir", std::string());
    job.pluginId = j.value("plugin", std::string());
    job.modelId = j.value("model", std::string());
    job.config = j.value("config", std::string());
    job.label = j.value("label", std::string("the model"));
    job.stepName = j.value("stepName", std::string("step"));
    job.start = j.value("start", 0.0);
    job.stop = j.value("stop", 1.0);
    job.step = j.value("step", 0.1);
    job.outputs = j.value("outputs", std::vector<std::string>());
    for (const auto &p : j.value("parameters", nlohmann::json::array()))
        job.parameters.emplace_back(p.at(0).get<std::string>(), p.at(1).get<double>());
    for (const auto &p : j.value("textParameters", nlohmann::json::array()))
        job.textParameters.emplace_back(p.at(0).get<std::string>(), p.at(1).get<std::string>());
    for (const auto &p : j.value("binaryParameters", nlohmann::json::array())) {
        std::vector<std::uint8_t> bytes;
        if (!fromHex(p.at(1).get<std::string>(), bytes))
            throw std::invalid_argument("binary parameter \"" + p.at(0).get<std::string>() + "\" is not hex");
        job.binaryParameters.emplace_back(p.at(0).get<std::string>(), std::move(bytes));
    }
    job.textOutputs = j.value("textOutputs", std::vector<std::string>());
    if (const auto inputs = j.find("inputs"); inputs != j.end()) {
        job.inputs.time = inputs->value("time", std::vector<double>());
        if (const auto columns = inputs->find("columns"); columns != inputs->end())
            for (const auto &[name, values] : columns->items())
                job.inputs.columns.emplace_back(name, values.get<std::vector<double>>());
        if (const auto text = inputs->find("textColumns"); text != inputs->end())
            for (const auto &[name, values] : text->items())
                job.inputs.textColumns.emplace_back(name, values.get<std::vector<std::string>>());
    }
    if (j.contains("saveStateAt"))
        job.saveStateAt = j["saveStateAt"].get<double>();
    if (j.contains("restoreState"))
        job.restoreState = j["restoreState"].get<std::vector<std::uint8_t>>();
    if (const auto it = j.find("extension"); it != j.end())
        extension = std::move(*it);
    else
        extension = nullptr;
    return job;
}

} // namespace twin::model::sim::detail
