#pragma once
// A detector over an asset's own history (twinctl detect p.twin --asset PATH): the telemetry of the asset and
// of the assets below it (a skid: its pump and its motor) on one time grid, trained on a window the user
// marks as healthy, then scored over a window. Samples flagged bad by data quality are missing; each signal
// holds its last good value until the next (at most a few grid steps). The result lists every row and the
// alarm episodes, each saying since when, how far and which signal led it.
#include "twin/formats/Sample.h"
#include "twin/model/detect/AlarmLogic.h"
#include "twin/model/detect/Detector.h"

#include <string>
#include <vector>

namespace twin::model {
struct Project;
class TimeSeriesStore;
} // namespace twin::model

namespace twin::model::detect {

struct AssetDetectRequest
{
    std::string asset; // its path
    TimeNs trainFrom = 0, trainTo = 0;
    TimeNs from = 0, to = 0; // the window scored; 0, 0: from the end of training to the end of the history
    double stepSeconds = 0;  // the grid; 0: the median spacing of the densest signal
    DetectorOptions detector;
    AlarmOptions alarm;
};

struct DetectRow
{
    TimeNs time = 0;
    double score = 0; // smoothed, as the alarm logic decides on it; NaN while a signal is missing
    bool alarm = false;
    int topSignal = -1;
};

struct AlarmEpisode
{
    TimeNs raised = 0, cleared = 0; // cleared 0: still active at the window's end
    double peak = 0;                // the highest smoothed score (1 = the limit)
    std::string first;              // the signal that led when it was raised
    std::string signal;             // the signal that led at the peak
};

struct AssetDetection
{
    std::vector<std::string> signalNames; // "Pump P-102.dischargePressure" (relative to the asset)
    std::vector<std::string> skipped;
    std::string detector;
    double stepSeconds = 0;
    std::size_t trainRows = 0;
    std::vector<DetectRow> rows; // the scored window
    std::vector<AlarmEpisode> episodes;
};

// A detector trained for an asset as detectAsset trains it, with its signals (in the detector's column order)
// and grid step: what a live or replay monitor scores (DetectorMonitor.h).
struct TrainedAssetDetector
{
    Detector detector;
    std::vector<SignalKey> keys;
    std::vector<std::string> names;
    TimeNs step = 0;
};
Result<TrainedAssetDetector> trainAssetDetector(const Project &project, const TimeSeriesStore &history,
                                                const AssetDetectRequest &request);

// Errors name the asset, the window and the history's range: an unknown asset, no history below it, a
// training window with too few rows, no signal that varies in it.
Result<AssetDetection> detectAsset(const Project &project, const AssetDetectRequest &request);

} // namespace twin::model::detect
