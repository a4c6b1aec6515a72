#include "twin/model/detect/CsvDetect.h"

#include "twin/model/detect/CsvTable.h"

#include <cmath>
#include <cstdio>
#include <fstream>

namespace twin::model::detect {

std::string csvField(const std::string &text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

namespace {

std::string number(double v)
{
    if (!std::isfinite(v))
        return {};
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
}

} // namespace

Result<CsvDetectSummary> detectCsv(const CsvDetectRequest &request)
{
    auto csv = readCsvTable(request.input, request.ignore, request.timestamp);
    if (!csv)
        return Error{csv.error()};
    const std::size_t n = csv->table.rows(), p = csv->table.names.size();
    if (request.trainRows < 2)
        return Error{csv->file + ": give the number of training rows (--train-rows N, at least 2)"};
    if (request.trainRows > n)
        return Error{csv->file + ": " + std::to_string(request.trainRows) +
                     " training rows asked, but the file has " + std::to_string(n) + " data rows"};
    Table training;
    training.names = csv->table.names;
    training.values.assign(csv->table.values.begin(),
                           csv->table.values.begin() + std::ptrdiff_t(request.trainRows * p));
    auto detector = Detector::train(training, request.detector);
    if (!detector)
        return Error{csv->file + ": " + detector.error()};
    std::ofstream out(request.output, std::ios::binary | std::ios::trunc);
    if (!out)
        return Error{request.output + ": cannot open for writing"};
    out << "timestamp,score,threshold,alarm,top_signal\n";
    CsvDetectSummary summary;
    summary.rows = n;
    summary.detector = detector->describe();
    summary.signalNames = detector->signalNames();
    summary.skipped = detector->skipped();
    summary.notes = csv->notes;
    AlarmLogic logic(request.alarm);
    for (std::size_t r = 0; r < n; ++r) {
        const SampleScore s = detector->score(csv->table.row(r));
        const AlarmLogic::Step step = logic.push(s.score);
        const bool scored = r >= request.trainRows;
        if (scored && step.alarm)
            ++summary.alarmRows;
        if (scored && step.raised) {
            ++summary.alarmsRaised;
            if (summary.firstAlarm.empty())
                summary.firstAlarm = csv->timestamps[r];
        }
        const std::string top = s.topSignal >= 0 && std::isfinite(s.score)
                                    ? detector->signalNames()[std::size_t(s.topSignal)]
                                    : std::string();
        out << csvField(csv->timestamps[r]) << ',' << number(step.smoothed) << ",1," << (step.alarm ? 1 : 0)
            << ',' << csvField(top) << '\n';
    }
    out.flush();
    if (!out)
        return Error{request.output + ": write failed"};
    return summary;
}

} // namespace twin::model::detect
