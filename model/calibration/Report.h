#pragma once
// The calibration report for sign-off meetings, from one evidence record (Evidence.h): one self-contained
// HTML file (styles inline, plots as inline SVG, no scripts, no external URLs). Sections: what was
// calibrated (asset, model, versions, method), data provenance and quality (windows, SHA-256, sample counts),
// parameters before -> after with standard errors, 95 % intervals and warnings, the correlation heat map,
// fit metrics before and after calibration with acceptance, observed vs simulated plots with the prediction
// band and residuals, sensitivity (when the record has it), and the decision with the reviewer.
#include "twin/util/Result.h"

#include <string>

namespace twin::model::calibration {

// Errors: the record is not a readable evidence record.
Result<std::string> reportHtml(const std::string &evidenceRecordJson);

} // namespace twin::model::calibration
