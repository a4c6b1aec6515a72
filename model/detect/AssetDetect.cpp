#include "twin/model/detect/AssetDetect.h"

#include "twin/formats/TimeText.h"
#include "twin/model/calibration/ProjectCalibration.h"
#include "twin/model/project/Project.h"
#include "twin/model/scenario/Scenario.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace twin::model::detect {

namespace {

struct Signal
{
    SignalKey key;
    std::string name;
    std::vector<Sample> samples; // good ones, in time order
};

// The median spacing of the densest signal, in nanoseconds.
TimeNs medianStep(const std::vector<Signal> &signals)
{
    const Signal *densest = &signals.front();
    for (const Signal &s : signals)
        if (s.samples.size() > densest->samples.size())
            densest = &s;
    std::vector<TimeNs> gaps;
    for (std::size_t i = 1; i < densest->samples.size(); ++i)
        if (const TimeNs gap = densest->samples[i].sourceTime - densest->samples[i - 1].sourceTime; gap > 0)
            gaps.push_back(gap); // samples at one time (kept duplicates with other values) are not a spacing
    if (gaps.empty())
        return kNsPerSecond;
    std::nth_element(gaps.begin(), gaps.begin() + std::ptrdiff_t(gaps.size() / 2), gaps.end());
    return std::max<TimeNs>(gaps[gaps.size() / 2], 1);
}

// Each signal's last good value at each grid time, missing when older than `hold`.
Table onGrid(const std::vector<Signal> &signals, TimeNs from, TimeNs to, TimeNs step, TimeNs hold,
             std::vector<TimeNs> &times)
{
    Table t;
    for (const Signal &s : signals)
        t.names.push_back(s.name);
    std::vector<std::size_t> next(signals.size(), 0);
    for (TimeNs time = from; time <= to; time += step) {
        times.push_back(time);
        for (std::size_t k = 0; k < signals.size(); ++k) {
            const auto &samples = signals[k].samples;
            std::size_t &i = next[k];
            while (i < samples.size() && samples[i].sourceTime <= time)
                ++i;
            const bool have = i > 0 && time - samples[i - 1].sourceTime <= hold;
            t.values.push_back(have ? samples[i - 1].value : std::numeric_limits<double>::quiet_NaN());
        }
    }
    return t;
}

// The asset's signals and a detector trained on the request's window: what detectAsset and the replay's
// monitors share.
struct Prepared
{
    std::vector<Signal> signals;
    TimeNs step = 0, hold = 0, from = 0, to = 0;
    std::optional<Detector> detector;
    AssetDetection out;
};

Result<Prepared> prepare(const Project &project, const TimeSeriesStore *history,
                         const AssetDetectRequest &request)
{
    const AssetId root = scenario::findAssetByPath(project, request.asset);
    if (root == kNoAsset)
        return Error{"no asset '" + request.asset + "'"};
    if (!history)
        return Error{"the project has no history to detect on"};
    if (!(request.trainTo > request.trainFrom))
        return Error{"the training window must end after it starts"};
    std::vector<Signal> signals;
    TimeNs first = std::numeric_limits<TimeNs>::max(), last = std::numeric_limits<TimeNs>::min();
    const auto all = history->allSignals();
    for (SignalId id = 0; id < all.size(); ++id) {
        const AssetId owner = AssetId(all[id].key.asset);
        if (owner != root && !project.graph.isAncestor(root, owner))
            continue;
        Signal s;
        s.key = all[id].key;
        const std::string prefix =
            owner == root ? std::string() : project.graph.path(owner).substr(request.asset.size() + 1) + ".";
        s.name = prefix + all[id].key.telemetry;
        for (const Sample &sample :
             history->range(id, std::numeric_limits<TimeNs>::min(), std::numeric_limits<TimeNs>::max()))
            if (!(sample.quality & calibration::kExcludedQuality) && std::isfinite(sample.value))
                s.samples.push_back(sample);
        if (s.samples.empty())
            continue;
        first = std::min(first, s.samples.front().sourceTime);
        last = std::max(last, s.samples.back().sourceTime);
        signals.push_back(std::move(s));
    }
    if (signals.empty())
        return Error{"no telemetry history for '" + request.asset + "' or the assets below it"};
    std::sort(signals.begin(), signals.end(),
              [](const Signal &a, const Signal &b) { return a.name < b.name; });
    const std::string range = "the history runs from " + isoUtc(first) + " to " + isoUtc(last);
    if (request.trainFrom < first || request.trainTo > last)
        return Error{"the training window " + isoUtc(request.trainFrom) + "/" + isoUtc(request.trainTo) +
                     " is not inside the history (" + range + ")"};
    const TimeNs step =
        request.stepSeconds > 0 ? TimeNs(std::llround(request.stepSeconds * 1e9)) : medianStep(signals);
    const TimeNs hold = 3 * step;
    const TimeNs from = request.from || request.to ? request.from : request.trainTo + step;
    const TimeNs to = request.from || request.to ? request.to : last;
    if (!(to > from))
        return Error{"the window scored is empty (" + range + ")"};
    constexpr TimeNs kMaxRows = 20'000'000;
    if ((to - std::min(request.trainFrom, from)) / step > kMaxRows)
        return Error{"a grid step of " + std::to_string(double(step) / 1e9) + " s would make more than " +
                     std::to_string(kMaxRows) + " rows: give a larger step"};

    Prepared prepared;
    AssetDetection &out = prepared.out;
    out.stepSeconds = double(step) / 1e9;
    for (const Signal &s : signals)
        out.signalNames.push_back(s.name);
    std::vector<TimeNs> trainTimes;
    Table training = onGrid(signals, request.trainFrom, request.trainTo, step, hold, trainTimes);
    // rows with a missing signal do not train
    Table clean;
    clean.names = training.names;
    for (std::size_t r = 0; r < training.rows(); ++r) {
        const double *row = training.row(r);
        if (std::all_of(row, row + training.names.size(), [](double v) { return std::isfinite(v); }))
            clean.values.insert(clean.values.end(), row, row + training.names.size());
    }
    out.trainRows = clean.rows();
    auto detector = Detector::train(clean, request.detector);
    if (!detector)
        return Error{"'" + request.asset + "', training window " + isoUtc(request.trainFrom) + "/" +
                     isoUtc(request.trainTo) + ": " + detector.error()};
    prepared.detector.emplace(std::move(*detector));
    prepared.signals = std::move(signals);
    prepared.step = step;
    prepared.hold = hold;
    prepared.from = from;
    prepared.to = to;
    return prepared;
}

} // namespace

Result<TrainedAssetDetector> trainAssetDetector(const Project &project, const TimeSeriesStore &history,
                                                const AssetDetectRequest &request)
{
    auto prepared = prepare(project, &history, request);
    if (!prepared)
        return Error{prepared.error()};
    TrainedAssetDetector t{std::move(*prepared->detector), {}, {}, prepared->step};
    for (const Signal &s : prepared->signals) {
        t.keys.push_back(s.key);
        t.names.push_back(s.name);
    }
    return t;
}

Result<AssetDetection> detectAsset(const Project &project, const AssetDetectRequest &request)
{
    auto prepared = prepare(project, project.history.get(), request);
    if (!prepared)
        return Error{prepared.error()};
    std::vector<Signal> &signals = prepared->signals;
    auto &detector = prepared->detector;
    AssetDetection out = std::move(prepared->out);
    const TimeNs step = prepared->step, hold = prepared->hold, from = prepared->from, to = prepared->to;
    out.detector = detector->describe();
    out.skipped = detector->skipped();
    // The baselines and charts run on from the start of training, so the window sees them settled.
    std::vector<TimeNs> times;
    const Table scored = onGrid(signals, std::min(request.trainFrom, from), to, step, hold, times);
    AlarmLogic logic(request.alarm);
    AlarmEpisode episode;
    TimeNs raisedAt = 0; // an alarm raised before the window and still active is an episode since then
    std::string raisedBy;
    for (std::size_t r = 0; r < scored.rows(); ++r) {
        const SampleScore s = detector->score(scored.row(r));
        const AlarmLogic::Step st = logic.push(s.score);
        const std::string leader =
            s.topSignal >= 0 ? detector->signalNames()[std::size_t(s.topSignal)] : std::string();
        if (st.raised) {
            raisedAt = times[r];
            raisedBy = leader;
        }
        if (times[r] < from)
            continue;
        out.rows.push_back({times[r], st.smoothed, st.alarm, s.topSignal});
        if (st.raised || (st.alarm && out.rows.size() == 1))
            episode = {raisedAt, 0, 0, raisedBy, {}};
        if (st.alarm && st.smoothed > episode.peak) {
            episode.peak = st.smoothed;
            episode.signal = leader;
        }
        if (st.cleared) {
            episode.cleared = times[r];
            out.episodes.push_back(episode);
        }
    }
    if (logic.active())
        out.episodes.push_back(episode);
    return out;
}

} // namespace twin::model::detect
