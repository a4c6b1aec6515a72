#pragma once
// Internal to the detectors: the statistic models behind Detector (DetectPca.cpp, DetectMset.cpp,
// DetectCharts.cpp). They see standardized signals only (zero mean, unit deviation on the training data).
#include "twin/model/detect/Detector.h"

#include <Eigen/Dense>

#include <memory>
#include <string>

namespace twin::model::detect::detail {

// One or more raw statistics per sample (larger = more unusual), each with the signal contributing most.
class Statistic
{
public:
    virtual ~Statistic() = default;
    virtual int count() const = 0; // how many statistics (T2Q: 2, others: 1)
    // z: one standardized sample (the used signals). out[k], top[k] for k < count().
    virtual void evaluate(const double *z, double *out, int *top) = 0;
    // Many samples at once (rows of z), statistics into the columns of out (rows x count()); false when
    // the statistic has no faster way than evaluate() per row. Charts go through the rows in order.
    virtual bool evaluateMany(const Eigen::MatrixXd &z, Eigen::MatrixXd &out) { return false; }
    virtual void reset() {}
    virtual bool stateful() const { return false; } // charts: scores depend on earlier samples
    virtual std::string describe() const = 0;
};

// z: training samples (rows) of the used signals, standardized.
std::unique_ptr<Statistic> fitT2Q(const Eigen::MatrixXd &z, const DetectorOptions &options);
// T2Q from the moments of the samples (count, sums, sums of products): a fold's fit is the whole's moments
// less the fold's, without another pass over the data.
struct Moments
{
    double n = 0;
    Eigen::VectorXd sum;
    Eigen::MatrixXd outer;
};
Moments moments(const Eigen::MatrixXd &z);
std::unique_ptr<Statistic> fitT2Q(const Moments &moments, const DetectorOptions &options);
std::unique_ptr<Statistic> fitMset(const Eigen::MatrixXd &z, const DetectorOptions &options);
std::unique_ptr<Statistic> fitEwma(const Eigen::MatrixXd &z, const DetectorOptions &options);
std::unique_ptr<Statistic> fitCusum(const Eigen::MatrixXd &z, const DetectorOptions &options);
std::unique_ptr<Statistic> fitPageHinkley(const Eigen::MatrixXd &z, const DetectorOptions &options);
std::unique_ptr<Statistic> fitKs(const Eigen::MatrixXd &z, const DetectorOptions &options);

} // namespace twin::model::detect::detail
