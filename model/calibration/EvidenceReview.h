#pragma once
// An evidence record (Evidence.h) read into the shape a reviewer looks at: the verdicts, the parameters
// before -> after with their uncertainty, the correlation matrix, the metrics per output and window kind
// next to the acceptance criteria, and the observed / simulated / before-calibration series with the
// prediction band and the use of each observation (fitted, held out, excluded). The workbench's review view
// draws this; a field the record lacks is left empty or NaN, never guessed.
#include "twin/formats/Sample.h"
#include "twin/model/calibration/FitMetrics.h"
#include "twin/util/Result.h"

#include <string>
#include <utility>
#include <vector>

namespace twin::model::calibration {

struct ReviewParameter
{
    std::string name;
    double before = 0, after = 0; // the start value and the fitted value
    double stderror = 0;          // NaN when unknown
    double ci95[2] = {0, 0};
    double lower = 0, upper = 0;
    bool atBound = false, informed = true;
};

struct ReviewMetrics
{
    std::string output; // model variable
    bool holdout = false;
    FitMetrics after, before; // before: the model before calibration (n = 0 when the record has none)
};

struct ReviewCriterion
{
    std::string text, output, note;
    double value = 0;
    bool holdout = false, passed = false;
};

struct ReviewSeries
{
    std::string column, model, unit; // the twin's telemetry name, the model variable, the twin's unit
    std::vector<double> t;           // seconds from ReviewData::start
    std::vector<double> observed, simulated, before, lower, upper; // before/lower/upper may be empty
    std::string use; // per observation: F fitted, H held out, X excluded
    std::size_t bandSamples = 0;
};

// One tornado: a sensitivity method's measure of every parameter for one output.
struct ReviewSensitivity
{
    std::string method, output, measure; // measure: normalized (local), muStar (morris), total (sobol)
    std::vector<std::pair<std::string, double>> bars; // parameter, value
    std::vector<double> second;                       // sobol: first-order index per bar (else empty)
    std::size_t runs = 0, failed = 0;
    double seconds = 0;
};

struct ReviewData
{
    std::string asset, evidenceKey, createdAt, decision = "pending", reviewer, reason, decidedAt;
    std::string method, solverMessage, modelText;
    std::string trigger; // what set the calibration going (a drift alarm), empty when a person did
    TimeNs start = 0;    // the data's time zero (UTC)
    bool converged = false, identifiable = false, acceptanceDefined = false, accepted = false;
    int iterations = 0;
    std::size_t evaluations = 0;
    double seconds = 0, conditionNumber = 0;
    std::vector<ReviewParameter> parameters;
    std::vector<double> correlation; // row-major, parameters.size() squared; NaN where unknown
    std::vector<std::string> warnings;
    std::vector<ReviewMetrics> metrics;
    std::vector<ReviewCriterion> criteria;
    std::vector<ReviewSeries> series;
    // Sensitivity kept for the asset (withSensitivity adds it to a record); empty when none was run.
    std::vector<ReviewSensitivity> sensitivity;
};

// Errors: not JSON, or not an evidence record (no "result"). Everything else is read leniently.
Result<ReviewData> reviewFromRecord(const std::string &recordJson);

// Pairs of parameters whose |correlation| exceeds `limit` (the identifiability warning), as index pairs.
std::vector<std::pair<std::size_t, std::size_t>> stronglyCorrelated(const ReviewData &review,
                                                                    double limit = 0.95);

} // namespace twin::model::calibration
