#include "twin/model/calibration/CalibrationRun.h"

namespace twin::model::calibration {

Result<CalibrationRun> runCalibration(const CalibrationPlan &plan, ModelEvaluator &evaluator,
                                      CalibrationOptions options, const BandOptions &bandOptions)
{
    options.method = plan.definition.method == "global" ? Method::Global : Method::LevenbergMarquardt;
    options.seed = plan.definition.seed;
    auto fit = calibrate(plan.problem, evaluator, options);
    if (!fit)
        return Error{fit.error()};
    CalibrationRun run;
    run.result = std::move(fit.value());
    std::vector<double> start;
    for (const auto &p : plan.problem.parameters)
        start.push_back(p.start);
    if (const auto before = evaluator.evaluate({start}); !before.empty() && before[0].ok)
        for (std::size_t k = 0; k < plan.problem.outputs.size() && k < before[0].outputs.size(); ++k) {
            const FitOutput &o = plan.problem.outputs[k];
            OutputFit f;
            f.variable = o.variable;
            f.simulated = before[0].outputs[k];
            f.calibration = computeMetrics(o, f.simulated, Use::Fit);
            f.holdout = computeMetrics(o, f.simulated, Use::Holdout);
            run.initial.push_back(std::move(f));
        }
    if (bandOptions.samples <= 0) {
        run.bandProblem = "no prediction band asked for";
    } else if (!run.result.identifiable) {
        run.bandProblem = "no prediction band: the parameters are not identifiable";
    } else {
        BandOptions o = bandOptions;
        o.seed = plan.definition.seed;
        auto band = predictionBand(plan.problem, run.result, evaluator, o);
        if (band) {
            setCoverage(plan.problem, *band, run.result);
            run.band = std::move(band.value());
        } else if (evaluator.cancelled()) {
            return Error{"cancelled"};
        } else {
            run.bandProblem = band.error();
        }
    }
    run.acceptance = evaluateAcceptance(plan, run.result);
    return run;
}

} // namespace twin::model::calibration
