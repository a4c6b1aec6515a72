// sim-des validation: the engine against queueing formulas (M/M/1, M/M/c, M/M/1/K, machine repair M/M/k//N)
// with 99% confidence intervals from independent replications, reproducibility, and the distributions.
// Every replication runs through the Simulator interface (load -> setReal -> initialize -> step -> getReal).
#include "DesSimulator.h"
#include "Random.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace twin::simdes;
using twin::sdk::StepResult;

namespace {

constexpr int kReplications = 20;
constexpr double kT99 = 2.861; // Student t, 0.995 quantile, 19 degrees of freedom

struct Interval
{
    double mean, half;
    bool contains(double x) const { return std::abs(x - mean) <= half; }
    QByteArray text(double expected) const
    {
        return QByteArray::number(mean, 'g', 6) + " +- " + QByteArray::number(half, 'g', 4) +
               " (99% CI), formula " + QByteArray::number(expected, 'g', 6);
    }
};

Interval interval(const std::vector<double> &x)
{
    double m = 0, s = 0;
    for (double v : x)
        m += v;
    m /= double(x.size());
    for (double v : x)
        s += (v - m) * (v - m);
    const double sd = std::sqrt(s / double(x.size() - 1));
    return {m, kT99 * sd / std::sqrt(double(x.size()))};
}

// One run of `model` to its horizon in 10 steps; returns the named outputs.
std::map<std::string, double> runOnce(const std::string &model, const std::map<std::string, double> &params,
                                      const std::vector<std::string> &outputs,
                                      const std::string &config = "{}")
{
    DesSimulator sim;
    std::map<std::string, double> out;
    if (!sim.load(model, config))
        return out;
    for (const auto &[k, v] : params)
        if (!sim.setReal(k, v))
            return out;
    if (!sim.initialize(0))
        return out;
    double horizon = 0, reached = 0;
    sim.getReal("horizon", horizon);
    std::string message;
    for (int i = 0; i < 10; ++i)
        if (sim.step(horizon / 10, reached, message) != StepResult::Ok)
            return out;
    for (const auto &name : outputs) {
        double v = 0;
        if (sim.getReal(name, v))
            out[name] = v;
    }
    sim.terminate();
    return out;
}

// kReplications independent runs (seeds 1..R); one interval per output.
std::map<std::string, Interval> replicate(const std::string &model, std::map<std::string, double> params,
                                          const std::vector<std::string> &outputs)
{
    std::map<std::string, std::vector<double>> samples;
    for (int r = 1; r <= kReplications; ++r) {
        params["seed"] = r;
        const auto out = runOnce(model, params, outputs);
        for (const auto &name : outputs)
            if (out.count(name))
                samples[name].push_back(out.at(name));
    }
    std::map<std::string, Interval> result;
    for (const auto &[name, x] : samples)
        if (x.size() == kReplications)
            result[name] = interval(x);
    return result;
}

// Checks the formula lies in the CI and that the CI is tight enough to mean something.
#define CHECK_CI(ci, name, expected, maxRelHalf)                                                             \
    do {                                                                                                     \
        QVERIFY2((ci).count(name), "no output " name);                                                       \
        const Interval &iv = (ci).at(name);                                                                  \
        qInfo("%s: %s", name, iv.text(expected).constData());                                                \
        QVERIFY2(iv.contains(expected), (QByteArray(name) + ": " + iv.text(expected)).constData());          \
        QVERIFY2(iv.half <= (maxRelHalf)*std::abs(expected),                                                 \
                 (QByteArray(name) + " CI too wide: " + iv.text(expected)).constData());                     \
    } while (0)

double erlangC(int c, double a)
{
    double sum = 0, term = 1;
    for (int k = 0; k < c; ++k) {
        sum += term;
        term *= a / (k + 1);
    }
    const double top = term / (1 - a / c); // a^c / c! / (1 - rho)
    return top / (sum + top);
}

// Finite-source M/M/k//N: stationary distribution of the number of failed machines.
std::vector<double> machineRepair(int n, int k, double lambda, double mu)
{
    std::vector<double> p(std::size_t(n) + 1, 0);
    p[0] = 1;
    for (int i = 1; i <= n; ++i)
        p[std::size_t(i)] = p[std::size_t(i - 1)] * (n - i + 1) * lambda / (std::min(i, k) * mu);
    double s = 0;
    for (double v : p)
        s += v;
    for (double &v : p)
        v /= s;
    return p;
}

} // namespace

class TestDes : public QObject
{
    Q_OBJECT
private slots:
    void mm1_data();
    void mm1();
    void mm1DetectsWrongRates();
    void mmc_data();
    void mmc();
    void mm1kBlocking();
    void maintenanceMatchesMachineRepair_data();
    void maintenanceMatchesMachineRepair();
    void sameSeedIsBitIdentical();
    void stepSizeDoesNotChangeResults();
    void distributions_data();
    void distributions();
    void rngIsTheStandardSequence();
    void configErrorsAreReported();
    void malformedConfigNamesTheProblem_data();
    void malformedConfigNamesTheProblem();
    void sharedResourceNetwork();
};

void TestDes::mm1_data()
{
    QTest::addColumn<double>("rho");
    QTest::addColumn<double>("horizon");
    QTest::newRow("rho=0.5") << 0.5 << 50000.0;
    QTest::newRow("rho=0.8") << 0.8 << 200000.0;
    QTest::newRow("rho=0.9") << 0.9 << 500000.0;
}

void TestDes::mm1()
{
    QFETCH(double, rho);
    QFETCH(double, horizon);
    const double mu = 1, lambda = rho * mu;
    const auto ci = replicate("mm1", {{"lambda", lambda}, {"mu", mu}, {"horizon", horizon}, {"warmup", 5000}},
                              {"L", "Lq", "W", "Wq", "utilization"});
    CHECK_CI(ci, "L", rho / (1 - rho), 0.05);
    CHECK_CI(ci, "Lq", rho * rho / (1 - rho), 0.06);
    CHECK_CI(ci, "W", 1 / (mu - lambda), 0.05);
    CHECK_CI(ci, "Wq", rho / (mu - lambda), 0.06);
    CHECK_CI(ci, "utilization", rho, 0.02);
}

void TestDes::mm1DetectsWrongRates()
{
    // The same estimator with a service rate 5% off must exclude the formula: the CIs are tight enough to
    // catch an engine that draws the wrong rate.
    const double lambda = 0.8;
    const auto ci = replicate(
        "mm1", {{"lambda", lambda}, {"mu", 1.05}, {"horizon", 200000}, {"warmup", 5000}}, {"L", "Wq"});
    QVERIFY(!ci.at("L").contains(0.8 / 0.2));
    QVERIFY(!ci.at("Wq").contains(0.8 / 0.2));
}

void TestDes::mmc_data()
{
    QTest::addColumn<int>("c");
    QTest::addColumn<double>("lambda");
    QTest::newRow("c=2 rho=0.8") << 2 << 1.6;
    QTest::newRow("c=3 rho=0.7") << 3 << 2.1;
}

void TestDes::mmc()
{
    QFETCH(int, c);
    QFETCH(double, lambda);
    const double mu = 1, a = lambda / mu;
    const double pq = erlangC(c, a), wq = pq / (c * mu - lambda);
    const auto ci =
        replicate("mmc", {{"lambda", lambda}, {"mu", mu}, {"c", c}, {"horizon", 150000}, {"warmup", 2000}},
                  {"Pq", "Wq", "L", "utilization"});
    CHECK_CI(ci, "Pq", pq, 0.03);
    CHECK_CI(ci, "Wq", wq, 0.06);
    CHECK_CI(ci, "L", lambda * wq + a, 0.04);
    CHECK_CI(ci, "utilization", a / c, 0.02);
}

void TestDes::mm1kBlocking()
{
    // M/M/1/K with K = 5 in the system (4 waiting places): P_K = (1 - rho) rho^K / (1 - rho^(K+1)).
    const double rho = 0.9;
    const int K = 5;
    const double pk = (1 - rho) * std::pow(rho, K) / (1 - std::pow(rho, K + 1));
    const auto ci = replicate("mm1", {{"lambda", rho}, {"mu", 1}, {"capacity", K - 1}, {"horizon", 50000}},
                              {"blockingProbability"});
    CHECK_CI(ci, "blockingProbability", pk, 0.05);
}

void TestDes::maintenanceMatchesMachineRepair_data()
{
    QTest::addColumn<int>("crews");
    QTest::newRow("1 crew") << 1;
    QTest::newRow("2 crews") << 2;
}

void TestDes::maintenanceMatchesMachineRepair()
{
    QFETCH(int, crews);
    const int n = 10;
    const double lf = 0.05, mr = 0.25;
    const auto p = machineRepair(n, crews, lf, mr);
    double down = 0, busy = 0;
    for (int i = 0; i <= n; ++i) {
        down += i * p[std::size_t(i)];
        busy += std::min(i, crews) * p[std::size_t(i)];
    }
    const double availability = 1 - down / n;
    const double downtime = down / (lf * (n - down)); // Little's law on the failed machines
    const auto ci = replicate(
        "maintenance",
        {{"N", n}, {"lambdaF", lf}, {"muR", mr}, {"k", crews}, {"horizon", 100000}, {"warmup", 1000}},
        {"availability", "meanDowntime", "crewUtilization"});
    CHECK_CI(ci, "availability", availability, 0.01);
    CHECK_CI(ci, "meanDowntime", downtime, 0.03);
    CHECK_CI(ci, "crewUtilization", busy / crews, 0.02);
}

void TestDes::sameSeedIsBitIdentical()
{
    const std::vector<std::string> names{"L", "W", "Wq", "W_p95", "served", "events", "time"};
    const std::map<std::string, double> params{{"lambda", 2.5}, {"c", 3}, {"horizon", 20000}, {"seed", 7}};
    const auto a = runOnce("mmc", params, names), b = runOnce("mmc", params, names);
    QCOMPARE(a.size(), names.size());
    for (const auto &n : names)
        QVERIFY2(std::memcmp(&a.at(n), &b.at(n), sizeof(double)) == 0, n.c_str());
    auto other = params;
    other["seed"] = 8;
    const auto c = runOnce("mmc", other, names);
    QVERIFY(c.at("W") != a.at("W"));
    QVERIFY(c.at("served") != a.at("served"));
}

void TestDes::stepSizeDoesNotChangeResults()
{
    auto run = [](double step) {
        DesSimulator sim;
        sim.load("maintenance", R"({"N": 20, "k": 2, "horizon": 5000, "warmup": 100, "seed": 3})");
        sim.initialize(10);
        double reached = 0;
        std::string message;
        while (reached < 5010 && sim.step(step, reached, message) == StepResult::Ok) {
        }
        double v[3] = {};
        sim.getReal("availability", v[0]);
        sim.getReal("meanDowntime", v[1]);
        sim.getReal("time", v[2]);
        return std::vector<double>(v, v + 3);
    };
    const auto coarse = run(2500), fine = run(0.5);
    QCOMPARE(coarse[2], 5010.0);
    QCOMPARE(fine[2], 5010.0);
    QVERIFY(coarse[0] == fine[0] && coarse[1] == fine[1]);
}

void TestDes::distributions_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::newRow("exponential") << int(DistKind::Exponential) << 2.0 << 0.0;
    QTest::newRow("uniform") << int(DistKind::Uniform) << -1.0 << 3.0;
    QTest::newRow("normal") << int(DistKind::Normal) << 5.0 << 2.0;
    QTest::newRow("lognormal") << int(DistKind::Lognormal) << 0.2 << 0.5;
    QTest::newRow("weibull") << int(DistKind::Weibull) << 1.5 << 2.0;
    QTest::newRow("weibull k<1") << int(DistKind::Weibull) << 0.8 << 100.0;
    QTest::newRow("deterministic") << int(DistKind::Deterministic) << 4.0 << 0.0;
}

void TestDes::distributions()
{
    QFETCH(int, kind);
    QFETCH(double, a);
    QFETCH(double, b);
    const Distribution d{DistKind(kind), a, b};
    QVERIFY(d.check().empty());
    Stream s(mixSeed(42, 9, std::uint64_t(kind)));
    const int n = 400000;
    double m = 0, m2 = 0;
    for (int i = 1; i <= n; ++i) {
        const double x = d.sample(s), delta = x - m;
        m += delta / i;
        m2 += delta * (x - m);
    }
    const double var = m2 / (n - 1);
    const double se = std::sqrt(d.variance() / n);
    qInfo("mean %.6g (expected %.6g, se %.3g), variance %.6g (expected %.6g)", m, d.mean(), se, var,
          d.variance());
    QVERIFY(std::abs(m - d.mean()) <= 4.5 * se + 1e-12);
    QVERIFY(std::abs(var - d.variance()) <= 0.03 * d.variance() + 1e-12);
}

void TestDes::rngIsTheStandardSequence()
{
    // [rand.predef]: the 10000th output of a default-constructed mt19937_64 is 9981545732273789042.
    Stream s(5489u);
    std::uint64_t x = 0;
    for (int i = 0; i < 10000; ++i)
        x = s.raw();
    QCOMPARE(x, std::uint64_t(9981545732273789042ull));
    Stream t(5489u);
    QCOMPARE(t.uniform01(), double(std::mt19937_64(5489u)() >> 11) * 0x1.0p-53);
}

void TestDes::configErrorsAreReported()
{
    auto loadError = [](const std::string &model, const std::string &config) {
        DesSimulator sim;
        const auto st = sim.load(model, config);
        if (!st)
            return st.message();
        const auto init = sim.initialize(0);
        return init ? std::string() : init.message();
    };
    QVERIFY(loadError("mm2", "{}").find("unknown model") != std::string::npos);
    QVERIFY(loadError("mm1", "{lambda: 1}").find("not valid JSON") != std::string::npos);
    QVERIFY(loadError("mm1", R"({"lamda": 1})").find("'lamda'") != std::string::npos);
    QVERIFY(loadError("mm1", R"({"service": {"dist": "gamma"}})").find("unknown distribution") !=
            std::string::npos);
    QVERIFY(loadError("network", R"({"sources": [{"id": "s", "to": "nowhere"}], "sinks": ["out"]})")
                .find("nowhere") != std::string::npos);
    QVERIFY(loadError("network", R"({"sinks": ["out"]})").find("nothing would happen") != std::string::npos);
    DesSimulator sim;
    QVERIFY(sim.load("mm1", ""));
    QVERIFY(!sim.setReal("c", 2)); // no such parameter for mm1: terminal
    double reached = 0;
    std::string message;
    QCOMPARE(sim.step(1, reached, message), StepResult::Error);
    QVERIFY(message.find("'c'") != std::string::npos);
}

void TestDes::malformedConfigNamesTheProblem_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("config");
    QTest::addColumn<QStringList>("fragments"); // each must appear in the load error
    // Syntax errors carry the byte position (1-based) and what the parser expected.
    QTest::newRow("unquoted key") << "mm1"
                                  << R"({lambda: 1})"
                                  << QStringList{"not valid JSON", "byte 2", "object key"};
    QTest::newRow("trailing comma") << "mm1"
                                    << R"({"lambda": 1,})"
                                    << QStringList{"not valid JSON", "byte 14", "object key"};
    QTest::newRow("unterminated object")
        << "mm1"
        << R"({"lambda": 1)" << QStringList{"not valid JSON", "byte 13", "end of input"};
    QTest::newRow("not an object") << "mm1"
                                   << "[1, 2]" << QStringList{"must be a JSON object"};
    // Well-formed JSON with a wrong value: the message names the value by its path.
    QTest::newRow("parameter type") << "mm1"
                                    << R"({"lambda": "fast"})"
                                    << QStringList{"config 'lambda' must be a number"};
    QTest::newRow("number overflow") << "mm1"
                                     << R"({"service": {"dist": "exponential", "rate": 1e999}})"
                                     << QStringList{"'service.rate'", "overflow"};
    const char *station = R"({"sources": [{"id": "in", "to": "a"}], "sinks": ["out"], "stations":
        [{"id": "a", "to": "b"}, {"id": "b", "capacity": "ten", "to": "out"}]})";
    QTest::newRow("station field") << "network" << station
                                   << QStringList{"'stations[1].capacity'", "station 'b'",
                                                  "must be a number"};
    QTest::newRow("distribution field")
        << "network"
        << R"({"assets": [{"id": "pumps", "repair": {"dist": "normal", "mean": 1}}]})"
        << QStringList{"'assets[0].repair'", "asset group 'pumps'", "normal needs 'sd'"};
}

void TestDes::malformedConfigNamesTheProblem()
{
    QFETCH(QString, model);
    QFETCH(QString, config);
    QFETCH(QStringList, fragments);
    DesSimulator sim;
    const auto st = sim.load(model.toStdString(), config.toStdString());
    QVERIFY(!st);
    const QString message = QString::fromStdString(st.message());
    for (const auto &f : fragments)
        QVERIFY2(message.contains(f), qPrintable("'" + f + "' not in: " + message));
}

void TestDes::sharedResourceNetwork()
{
    // Two stations share one operator; one crew repairs 4 machines; deterministic interarrivals.
    const char *config = R"({"seed": 5, "horizon": 20000, "warmup": 100,
      "resources": [{"id": "operator", "capacity": 1}, {"id": "crew", "capacity": 1}],
      "sources": [{"id": "orders", "interarrival": {"dist": "exponential", "mean": 4}, "to": "cut"}],
      "stations": [
        {"id": "cut", "servers": 2, "service": {"dist": "uniform", "min": 0.5, "max": 1.5}, "resource": "operator",
         "to": "weld"},
        {"id": "weld", "servers": 1, "capacity": 10, "service": {"dist": "lognormal", "mean": 1, "sd": 0.3},
         "resource": "operator", "to": "done"}],
      "assets": [{"id": "machines", "count": 4, "life": {"dist": "weibull", "shape": 2, "scale": 50},
                  "repair": 5, "resource": "crew"}],
      "sinks": [{"id": "done"}]})";
    const auto out = runOnce("network", {},
                             {"operator.utilization", "done.count", "done.meanTime", "cut.busy", "weld.busy",
                              "machines.availability", "crew.utilization"},
                             config);
    QCOMPARE(out.size(), std::size_t(7));
    // One operator: the two stations together never have more than one customer in service.
    QVERIFY(out.at("cut.busy") + out.at("weld.busy") <= 1.0 + 1e-9);
    QVERIFY(std::abs(out.at("operator.utilization") - (out.at("cut.busy") + out.at("weld.busy"))) < 1e-9);
    QVERIFY(std::abs(out.at("operator.utilization") - 0.5) < 0.03); // 2 services of mean 1 per 4 time units
    QVERIFY(out.at("done.count") > 4500 && out.at("done.meanTime") > 2);
    QVERIFY(out.at("machines.availability") > 0.8 && out.at("machines.availability") < 1);
}

QTEST_GUILESS_MAIN(TestDes)
#include "tst_des.moc"
