#pragma once
// The calibration report for sign-off meetings, from one evidence record (Evidence.h): one self-contained
// HTML file (styles inline, plots as inline SVG, no scripts, no external URLs). Sections, in the order an
// expert reviews them: the verdict, observed vs simulated plots (before and after calibration, prediction
// band, residuals), parameters before -> after with standard errors, 95 % intervals and warnings, the
// correlation heat map, fit metrics before and after with acceptance, what was calibrated (asset, model,
// versions, method), data provenance and quality (windows, SHA-256, sample counts), sensitivity (when the
// record has it), warnings, and the decision with the reviewer.
#include "twin/util/Result.h"

#include <string>

namespace twin::model::calibration {

// `evidenceKey` names the record in the project (shown in the header; empty: not recorded). Errors: the
// record is not a readable evidence record.
Result<std::string> reportHtml(const std::string &evidenceRecordJson, const std::string &evidenceKey = {});

} // namespace twin::model::calibration
