// Anomaly detection (docs/benchmarks.md, "Anomaly detection"):
//  1. skab: the SKAB protocol on the shared telemetry/skab files: the first 400 rows of each file train, the
//     rest are scored row by row as binary classification against the file's `anomaly` column, pooled over
//     the files; F1, false-alarm rate (FAR), missed-alarm rate (MAR) per method, one setting for every file.
//  2. speed: univariate charts over 10 M samples (samples/s on one core), and T2Q fit + scoring over 8
//     signals against numpy (peers/t2q_numpy.py) on the same data in the same run.
// Arguments: the parts (skab speed; default both). Env: BENCH_DETECT_SMOOTHING, BENCH_DETECT_PERSISTENCE,
// BENCH_DETECT_FAR (per mille), BENCH_DETECT_VARIANCE (percent) to try other settings.
#include "BenchUtil.h"

#include "twin/model/detect/AlarmLogic.h"
#include "twin/model/detect/CsvTable.h"
#include "twin/model/detect/Detector.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <string>

namespace detect = twin::model::detect;
namespace fs = std::filesystem;

namespace {

struct Confusion
{
    long tp = 0, fp = 0, fn = 0, tn = 0;
    double f1() const { return 2.0 * double(tp) / double(2 * tp + fp + fn); }
    double far() const { return double(fp) / double(fp + tn); }
    double mar() const { return double(fn) / double(fn + tp); }
};

detect::DetectorOptions detectorOptions(detect::Method method)
{
    detect::DetectorOptions o;
    o.method = method;
    o.falseAlarmRate = bench::envInt("BENCH_DETECT_FAR", 10) / 1000.0;
    o.varianceKept = bench::envInt("BENCH_DETECT_VARIANCE", 90) / 100.0;
    o.baselineSamples = bench::envInt("BENCH_DETECT_BASELINE", o.baselineSamples);
    return o;
}

detect::AlarmOptions alarmOptions()
{
    detect::AlarmOptions a;
    a.smoothing = bench::envInt("BENCH_DETECT_SMOOTHING", 10);
    a.persistence = bench::envInt("BENCH_DETECT_PERSISTENCE", 1);
    return a;
}

void skab()
{
    const std::string root = TWIN_SHARED_DATA "/telemetry/skab";
    std::vector<fs::path> files;
    for (const char *folder : {"valve1", "valve2", "other"})
        if (fs::is_directory(root + "/" + folder))
            for (const auto &e : fs::directory_iterator(root + "/" + folder))
                if (e.path().extension() == ".csv")
                    files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::printf("SKAB: no files under %s (the shared data is not here); skipped\n\n", root.c_str());
        return;
    }
    const auto alarms = alarmOptions();
    std::printf("SKAB protocol: %zu files, first 400 rows train, the rest scored; false-alarm rate %.3f, "
                "smoothing %d, persistence %d\n\n| method | F1 | FAR %% | MAR %% | rows scored "
                "|\n|---|---|---|---|---|\n",
                files.size(), detectorOptions(detect::Method::T2Q).falseAlarmRate, alarms.smoothing,
                alarms.persistence);
    for (detect::Method method : {detect::Method::T2Q, detect::Method::Mset, detect::Method::Ewma,
                                  detect::Method::Cusum, detect::Method::Ks, detect::Method::PageHinkley}) {
        Confusion pooled;
        for (const auto &file : files) {
            auto csv = detect::readCsvTable(file.string(), {"anomaly", "changepoint"});
            auto labels = detect::readCsvTable(file.string(), {}, "datetime");
            if (!csv || !labels) {
                std::fprintf(stderr, "%s: %s\n", file.c_str(),
                             csv ? labels.error().c_str() : csv.error().c_str());
                std::exit(1);
            }
            const auto &names = labels->table.names;
            const std::size_t label =
                std::size_t(std::find(names.begin(), names.end(), "anomaly") - names.begin());
            detect::Table train;
            train.names = csv->table.names;
            const std::size_t p = train.names.size(), n = csv->table.rows();
            train.values.assign(csv->table.values.begin(),
                                csv->table.values.begin() + std::ptrdiff_t(400 * p));
            auto detector = detect::Detector::train(train, detectorOptions(method));
            if (!detector) {
                std::fprintf(stderr, "%s: %s\n", file.c_str(), detector.error().c_str());
                std::exit(1);
            }
            detect::AlarmLogic logic(alarms);
            Confusion one;
            std::map<int, int> fpTop;
            for (std::size_t r = 0; r < n; ++r) {
                const auto s = detector->score(csv->table.row(r));
                const bool alarm = logic.push(s.score).alarm;
                if (r < 400)
                    continue;
                const bool truth = labels->table.row(r)[label] > 0.5;
                (truth ? (alarm ? one.tp : one.fn) : (alarm ? one.fp : one.tn))++;
                if (alarm && !truth)
                    ++fpTop[s.topSignal];
            }
            pooled.tp += one.tp;
            pooled.fp += one.fp;
            pooled.fn += one.fn;
            pooled.tn += one.tn;
            if (std::getenv("BENCH_DETECT_DEBUG")) {
                std::printf("  %s %s: tp %ld fp %ld fn %ld tn %ld; false alarms led by",
                            detect::methodName(method), file.filename().c_str(), one.tp, one.fp, one.fn,
                            one.tn);
                for (const auto &[signal, count] : fpTop)
                    std::printf(" %s=%d",
                                signal >= 0 ? detector->signalNames()[std::size_t(signal)].c_str() : "-",
                                count);
                std::printf("\n");
            }
        }
        std::printf("| %s | %.2f | %.1f | %.1f | %ld |\n", detect::methodName(method), pooled.f1(),
                    100 * pooled.far(), 100 * pooled.mar(), pooled.tp + pooled.fp + pooled.fn + pooled.tn);
    }
    std::printf("\n");
}

// Synthetic plant data: `cols` signals driven by three latent factors plus noise, row-major.
std::vector<double> plantData(std::size_t rows, std::size_t cols, unsigned seed)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal;
    std::vector<double> loadings(3 * cols);
    for (double &l : loadings)
        l = normal(random);
    std::vector<double> v(rows * cols);
    for (std::size_t r = 0; r < rows; ++r) {
        const double f[3] = {normal(random), normal(random), normal(random)};
        for (std::size_t c = 0; c < cols; ++c)
            v[r * cols + c] = 10 * double(c + 1) + f[0] * loadings[c] + f[1] * loadings[cols + c] +
                              f[2] * loadings[2 * cols + c] + 0.3 * normal(random);
    }
    return v;
}

void univariateSpeed()
{
    const std::size_t n = 10'000'000;
    std::printf(
        "Univariate charts: one signal, %zu samples scored with Detector::scoreRows (trained on the first "
        "100 000), 5 repetitions\n\n| chart | median s | M samples/s | min s |\n|---|---|---|---|\n",
        n);
    const std::vector<double> data = plantData(n, 1, 5);
    detect::Table train;
    train.names = {"x"};
    train.values.assign(data.begin(), data.begin() + 100'000);
    std::vector<double> scores(n);
    for (detect::Method method : {detect::Method::Ewma, detect::Method::Cusum}) {
        auto d = detect::Detector::train(train, detectorOptions(method));
        std::vector<double> times;
        for (int rep = 0; rep < 5; ++rep) {
            d->reset();
            const auto t0 = bench::Clock::now();
            d->scoreRows(data.data(), n, scores.data());
            times.push_back(bench::secondsSince(t0));
        }
        std::printf("| %s | %.4f | %.0f | %.4f |\n", detect::methodName(method), bench::median(times),
                    double(n) / bench::median(times) / 1e6, *std::min_element(times.begin(), times.end()));
    }
    std::printf("\n");
}

// T2Q fit + scoring over 8 signals, ours and numpy's, interleaved.
void t2qSpeed()
{
    const std::size_t rows = 1'000'000, cols = 8, train = 100'000;
    const int reps = bench::envInt("BENCH_DETECT_REPS", 5);
    const std::vector<double> data = plantData(rows, cols, 6);
    const std::string file = bench::dataDir() + "/detect-t2q.f64";
    {
        FILE *out = std::fopen(file.c_str(), "wb");
        std::fwrite(data.data(), sizeof(double), data.size(), out);
        std::fclose(out);
    }
    detect::Table training;
    for (std::size_t c = 0; c < cols; ++c)
        training.names.push_back("s" + std::to_string(c + 1));
    training.values.assign(data.begin(), data.begin() + std::ptrdiff_t(train * cols));
    const detect::DetectorOptions options = detectorOptions(detect::Method::T2Q);
    std::vector<double> ours, oursTrain, numpy, scores(rows);
    double oursOver = 0, numpyOver = 0;
    int components = 0;
    for (int rep = 0; rep < reps; ++rep) {
        const auto t0 = bench::Clock::now();
        auto d = detect::Detector::train(training, options);
        oursTrain.push_back(bench::secondsSince(t0));
        d->scoreRows(data.data(), rows, scores.data());
        ours.push_back(bench::secondsSince(t0));
        oursOver =
            double(std::count_if(scores.begin() + train, scores.end(), [](double s) { return s > 1; })) /
            double(rows - train);
        char command[1024];
        std::snprintf(command, sizeof command, "/usr/bin/python3 %s/peers/t2q_numpy.py %s %zu %zu %zu %g %g",
                      bench::benchDir().c_str(), file.c_str(), rows, cols, train, options.varianceKept,
                      options.falseAlarmRate);
        FILE *pipe = popen(command, "r");
        char line[512] = {};
        if (!pipe || !std::fgets(line, sizeof line, pipe)) {
            std::printf("numpy peer did not run (python3-numpy missing?)\n\n");
            if (pipe)
                pclose(pipe);
            return;
        }
        pclose(pipe);
        double seconds = 0, over = 0;
        std::sscanf(std::strstr(line, "\"seconds\":") + 10, "%lf", &seconds);
        std::sscanf(std::strstr(line, "\"components\":") + 13, "%d", &components);
        std::sscanf(std::strstr(line, "\"over\":") + 7, "%lf", &over);
        numpy.push_back(seconds);
        numpyOver = over;
    }
    const double mo = bench::median(ours), mn = bench::median(numpy);
    std::printf(
        "T2Q: %zu signals, fit on %zu rows, %zu rows scored; %d repetitions interleaved (median, min in "
        "s)\n\n"
        "| | median s | min s | rows over the limit after training |\n|---|---|---|---|\n"
        "| ours (Detector::train with 5-fold limits + scoreRows) | %.4f | %.4f | %.2f %% |\n"
        "| numpy (one fit, in-sample limits, vectorized) | %.4f | %.4f | %.2f %% (%d components) |\n\n"
        "numpy / ours = %.1f (ours: %.4f s of it training, median)\n\n",
        cols, train, rows, reps, mo, *std::min_element(ours.begin(), ours.end()), 100 * oursOver, mn,
        *std::min_element(numpy.begin(), numpy.end()), 100 * numpyOver, components, mn / mo,
        bench::median(oursTrain));
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<std::string> parts(argv + 1, argv + argc);
    auto wanted = [&](const char *part) {
        return parts.empty() || std::find(parts.begin(), parts.end(), part) != parts.end();
    };
    std::printf("Run %s\n\n", bench::today().c_str());
    if (wanted("skab"))
        skab();
    if (wanted("speed")) {
        univariateSpeed();
        t2qSpeed();
    }
    return 0;
}
