#pragma once
// The whole modelDescription of an FMU as one JSON object, handed to hosts in sdk::ModelInfo::detailsJson
// (twinctl fmu-info shows it): fmiVersion, modelName, modelIdentifier, description, generationTool,
// defaultExperiment {startTime, stopTime, tolerance, stepSize} (null where absent), capabilities {flag:
// bool}, units [{name, baseUnits}], variables [{name, valueReference, type, causality, variability, initial,
// start, unit, description}], warnings [text].
#include "FmuDescription.h"

#include <string>

namespace twin::fmi {

std::string detailsJson(const FmuDescription &description);

} // namespace twin::fmi
