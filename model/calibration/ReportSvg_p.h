#pragma once
// Inline SVG for calibration reports: a time plot (observed, simulated, the model before calibration, the
// prediction band, calibration / hold-out shading) with a residual strip, and a correlation heat map. Plain
// SVG 1.1 text, no scripts, no external references.
#include <cmath>
#include <string>
#include <vector>

namespace twin::model::calibration::report {

struct PlotSeries
{
    std::string unit;
    std::vector<double> t;                                          // seconds from the start
    std::vector<double> observed, simulated, initial, lower, upper; // initial/lower/upper may be empty
    std::string use;                                                // 'F', 'H', 'X' per point
};

std::string timePlotSvg(const PlotSeries &series, const std::string &title);
std::string correlationSvg(const std::vector<std::string> &names,
                           const std::vector<std::vector<double>> &rho);
// Horizontal bars, largest on top: `value` per parameter (signed values extend left of zero), with an
// optional second, thinner bar (Sobol first order inside the total order).
struct TornadoBar
{
    std::string name;
    double value = 0;
    double inner = NAN;
};
std::string tornadoSvg(const std::string &title, std::vector<TornadoBar> bars, const std::string &valueLabel,
                       const std::string &innerLabel = {});
std::string escape(const std::string &text);
std::string number(double v, int digits = 4);

} // namespace twin::model::calibration::report
