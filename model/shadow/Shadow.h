#pragma once
// Shadow simulation: an asset's bound model runs alongside its measured data, driven by the measured inputs
// (In bindings to telemetry, from history, in model units), from the twin's state at the start, and is
// compared with what was observed (Out bindings to telemetry). It advances with the twin's clock in chunks:
// each chunk is one job on a kept worker process that continues from the model state the last chunk saved
// (SDK saveState / restoreState), so the model never runs again from the start. What it gives per output:
// the simulated value at each good observation and the residual observed - simulated, in twin units, which
// storeShadow keeps in history as derived signals "<telemetry>_shadow" and "<telemetry>_residual".
//
// The data (inputs, observations) are planned once for the session's window from the project's history, as
// a calibration over that window would (calibration/ProjectCalibration.h, planModelData).
//
// Threads: open() reads the project (the thread that owns it); the session then works on plain data and may
// live on any one thread; advanceTo blocks while the chunks run.
#include "twin/formats/TimeText.h"
#include "twin/model/graph/Asset.h"
#include "twin/util/Result.h"

#include <memory>
#include <string>
#include <vector>

namespace twin::model {
struct Project;
class TimeSeriesStore;
} // namespace twin::model

namespace twin::model::shadow {

struct ShadowRequest
{
    std::string asset; // asset path
    TimeWindow window;
    double chunkSeconds = 60; // model time per chunk (the clock advances the model this far at a time)
    double step = 0;          // communication step; 0: the median spacing of the observations
    std::string pluginDir, projectDir, workerPath;
};

struct ShadowOutput
{
    std::string twin; // the Out binding's twin reference ("windingTemperature", "^drives/current")
    AssetId asset = kNoAsset;
    std::string telemetry, unit; // on `asset`, in the twin unit
    std::vector<TimeNs> time;    // good observations up to the session's position
    std::vector<double> observed, simulated, residual;
    double rmse() const;
    double bias() const; // mean residual
};

class ShadowSession
{
public:
    // Plans the data of the window; starts no process. Errors: unknown asset, no binding, no data, a model
    // that cannot save its state (the first chunk says so).
    static Result<std::unique_ptr<ShadowSession>> open(const Project &project, const ShadowRequest &request);
    ~ShadowSession();

    // Runs the model on to `t` (clamped to the window) in chunks of at most chunkSeconds; the outputs grow
    // by the observations passed. An error (the model failed, or cannot save or restore its state) names
    // the model and the time; the session then stays where it was.
    Status advanceTo(TimeNs t);
    TimeNs position() const;
    TimeNs end() const;
    std::size_t chunks() const; // jobs run so far
    const std::vector<ShadowOutput> &outputs() const;
    const std::vector<std::string> &warnings() const;

private:
    struct Impl;
    explicit ShadowSession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The simulated series and residuals of `outputs` as derived signals of their assets: "<telemetry>_shadow"
// (the twin unit) and "<telemetry>_residual", samples at the observation times. History is append-only:
// only samples after what a signal already holds are added (a session going on appends; the same span
// shadowed again adds nothing). Returns the samples added.
std::size_t storeShadow(TimeSeriesStore &store, const std::vector<ShadowOutput> &outputs);

} // namespace twin::model::shadow
