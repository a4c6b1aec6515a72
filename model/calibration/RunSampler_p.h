#pragma once
// Internal to the calibration: a run's rows turned into an Evaluation as they come, without keeping them.
// Gives what toEvaluation(problem, joinSegments(runs)) gives for the same rows (the same interpolation, the
// later of two rows at one time winning, the same messages), for the runs a fit makes inside the worker.
#include "twin/model/calibration/ModelEvaluator.h"

#include <string>
#include <vector>

namespace twin::model::calibration::detail {

class RunSampler
{
public:
    // `columns`: the problem output each row value is, in row order (the job's outputs).
    RunSampler(const CalibrationProblem &problem, const std::vector<std::string> &columns);
    // Rows of every run of one evaluation, in time order (the segments one after another).
    void row(double t, const std::vector<double> &values);
    // The Evaluation once every run completed.
    Evaluation finish();

private:
    void settleBefore(double t); // observations before t are decided by the last row

    const CalibrationProblem &m_problem;
    std::size_t m_columnCount;
    std::vector<std::size_t> m_column;         // per output: its index in the rows' values
    std::vector<std::size_t> m_next;           // per output: the first observation not yet decided
    std::vector<std::vector<double>> m_values; // per output: decided values
    std::vector<std::size_t> m_early;          // per output: observations before the first row
    double m_firstTime = 0, m_lastTime = 0;
    std::vector<double> m_last; // the last row's values
    bool m_haveRow = false, m_backwards = false;
};

} // namespace twin::model::calibration::detail
