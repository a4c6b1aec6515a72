#pragma once
// Anomaly and drift detectors an expert can read: trained on a window the user marks as healthy, they
// score each new sample and say which signal contributes most.
//  - T2Q: principal components of the standardized signals; Hotelling's T² (unusual within the normal
//    correlation structure) and Q / SPE (the correlation structure broken), each against its limit.
//  - Mset: a similarity-based estimator (MSET-style): each sample is estimated from remembered healthy
//  states;
//    the score is the standardized residual.
//  - Ewma, Cusum, PageHinkley: univariate mean-shift charts, one per signal; the score is the most shifted
//    signal's (Page-Hinkley against the stream's own running mean, CUSUM against the training mean).
//  - Ks: a two-window test per signal for distribution drift (mean, spread or shape): the last ksWindow
//    samples against the training distribution, by the Kolmogorov-Smirnov distance.
// Limits come from a target false-alarm rate: the (1 - rate) quantile of scores the trained model gives to
// training samples it was not fitted to (blocked cross-validation), not magic numbers. Scores are divided by
// that limit, so 1 is the threshold for every method. The alarm logic (smoothing, persistence, hysteresis)
// is in AlarmLogic.h.
#include "twin/util/Result.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace twin::model::detect {

enum class Method
{
    Auto, // T2Q for two or more signals, Ewma for one
    T2Q,
    Mset,
    Ewma,
    Cusum,
    Ks,
    PageHinkley
};
const char *methodName(Method method);
bool methodFromName(const std::string &name, Method &method);

struct DetectorOptions
{
    Method method = Method::Auto;
    double falseAlarmRate = 0.01;   // per sample, on healthy data: sets each limit
    double varianceKept = 0.90;     // T2Q: principal components explaining this share of the variance
    std::size_t memoryStates = 120; // Mset: remembered healthy states (at most)
    double ewmaLambda = 0.2;
    double cusumSlack = 0.5; // in standard deviations (also Page-Hinkley's tolerance)
    int ksWindow = 100;      // Ks: samples in the recent window
    int folds = 5;           // blocked cross-validation for the limits
    // A signal that drifts through the training rows (|correlation with time| above driftCorrelation, e.g.
    // a loop warming up) is taken relative to its own slow baseline, an exponential moving average over
    // about baselineSamples samples: the detectors see its changes, not its drift. 0 samples: never.
    int baselineSamples = 600;
    double driftCorrelation = 0.5;
};

// Rows of equal-length samples, row-major.
struct Table
{
    std::vector<std::string> names;
    std::vector<double> values; // rows * names.size()
    std::size_t rows() const { return names.empty() ? 0 : values.size() / names.size(); }
    const double *row(std::size_t r) const { return values.data() + r * names.size(); }
};

struct SampleScore
{
    double score = 0;     // 1 = at the limit
    int topSignal = -1;   // index into the detector's signals, -1 when none stands out
    double t2 = 0, q = 0; // T2Q only, each divided by its own limit
};

struct DetectorState;

class Detector
{
public:
    // Trains on `training` (healthy data). Constant or non-finite columns are left out and listed in
    // skipped(); an error when no signal is left or there are too few rows.
    static Result<Detector> train(const Table &training, const DetectorOptions &options = {});
    Detector(Detector &&) noexcept;
    Detector &operator=(Detector &&) noexcept;
    ~Detector();

    Method method() const;
    // The signals used (names of the training table's columns), and those left out with the reason.
    const std::vector<std::string> &signalNames() const;
    const std::vector<std::string> &skipped() const;
    // The used signals that follow a baseline (they drifted through the training rows).
    std::vector<std::string> drifting() const;
    // Scores one sample given in the training table's column order (all columns, skipped ones too). A
    // non-finite value in a used signal gives a score of NaN. Univariate charts keep state between calls.
    SampleScore score(const double *row);
    // The scores of `count` rows (all columns, as for score()) in order, as score() would give them one by
    // one, without the contributions; much faster for T2Q and for one-signal charts (blocks of rows at once).
    void scoreRows(const double *rows, std::size_t count, double *scores);
    void reset();                 // forget the state between samples (baselines, EWMA, CUSUM)
    std::string describe() const; // "T2Q: 8 signals, 3 components (91 % of variance)"

private:
    explicit Detector(std::unique_ptr<DetectorState> state);
    std::unique_ptr<DetectorState> m_state;
};

} // namespace twin::model::detect
