#pragma once
// A detector over a CSV file without a project (twinctl detect FILE.csv): the first trainRows data rows train
// it, then every row is scored in order and written with its alarm state, one output row per input row:
// timestamp,score,threshold,alarm,top_signal (score: the smoothed score the alarm logic decides on;
// threshold: 1, the detector's limit).
#include "twin/model/detect/AlarmLogic.h"
#include "twin/model/detect/Detector.h"

#include <cstddef>
#include <string>
#include <vector>

namespace twin::model::detect {

struct CsvDetectRequest
{
    std::string input, output;
    std::size_t trainRows = 0;
    std::vector<std::string> ignore; // columns that are not signals
    std::string timestamp;           // its column; "" to detect
    DetectorOptions detector;
    AlarmOptions alarm;
};

struct CsvDetectSummary
{
    std::size_t rows = 0, alarmRows = 0, alarmsRaised = 0;
    std::string firstAlarm; // timestamp of the first raised alarm after the training rows, "" when none
    std::string detector;   // Detector::describe()
    std::vector<std::string> signalNames, skipped, notes;
};

// A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break.
std::string csvField(const std::string &text);

// Errors name the file: unreadable or malformed CSV, no numeric column, more training rows than the file has,
// no signal that varies in the training rows, an output that cannot be written.
Result<CsvDetectSummary> detectCsv(const CsvDetectRequest &request);

} // namespace twin::model::detect
