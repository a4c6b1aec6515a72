#include "FmuDetails.h"

#include <nlohmann/json.hpp>

namespace twin::fmi {

namespace {
using nlohmann::json;

json optional(const std::optional<double> &v)
{
    return v ? json(*v) : json();
}
} // namespace

std::string detailsJson(const FmuDescription &d)
{
    json variables = json::array();
    for (const auto &v : d.variables)
        variables.push_back({{"name", v.name},
                             {"valueReference", v.valueReference},
                             {"type", v.type},
                             {"causality", v.causality},
                             {"variability", v.variability},
                             {"initial", v.initial},
                             {"start", v.startText ? json(*v.startText) : optional(v.start)},
                             {"unit", v.unit},
                             {"description", v.description}});
    json units = json::array();
    for (const auto &u : d.units)
        units.push_back({{"name", u.name}, {"baseUnits", u.baseUnits}});
    const auto &c = d.capabilities;
    json capabilities = {{"canHandleVariableCommunicationStepSize", c.canHandleVariableCommunicationStepSize},
                         {"canGetAndSetFMUState", c.canGetAndSetFMUState},
                         {"canSerializeFMUState", c.canSerializeFMUState},
                         {"canBeInstantiatedOnlyOncePerProcess", c.canBeInstantiatedOnlyOncePerProcess},
                         {"needsExecutionTool", c.needsExecutionTool},
                         {"canInterpolateInputs", c.canInterpolateInputs},
                         {"hasEventMode", c.hasEventMode},
                         {"mightReturnEarlyFromDoStep", c.mightReturnEarlyFromDoStep}};
    json interfaces = json::array();
    if (d.hasCoSimulation)
        interfaces.push_back("CoSimulation");
    if (d.modelExchange.present)
        interfaces.push_back("ModelExchange");
    const auto &m = d.modelExchange;
    const json modelExchange =
        m.present ? json{{"modelIdentifier", m.modelIdentifier},
                         {"needsCompletedIntegratorStep", m.needsCompletedIntegratorStep},
                         {"canGetAndSetFMUState", m.canGetAndSetFMUState},
                         {"canBeInstantiatedOnlyOncePerProcess", m.canBeInstantiatedOnlyOncePerProcess}}
                  : json();
    const json details = {{"fmiVersion", d.fmiVersion},
                          {"modelName", d.modelName},
                          {"modelIdentifier", d.modelIdentifier},
                          {"description", d.description},
                          {"generationTool", d.generationTool},
                          {"defaultExperiment",
                           {{"startTime", optional(d.startTime)},
                            {"stopTime", optional(d.stopTime)},
                            {"tolerance", optional(d.tolerance)},
                            {"stepSize", optional(d.stepSize)}}},
                          {"interfaces", interfaces},
                          {"capabilities", capabilities},
                          {"modelExchange", modelExchange},
                          {"continuousStates", d.continuousStates},
                          {"eventIndicators", d.eventIndicators},
                          {"units", units},
                          {"variables", variables},
                          {"warnings", d.warnings}};
    return details.dump();
}

} // namespace twin::fmi
