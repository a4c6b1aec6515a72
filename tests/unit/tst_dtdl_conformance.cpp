// Runs the DTDL v2/v3 conformance cases (shared/data/dtdl/conformance/index.csv) through the importer.
// Accept/reject must match the case's "valid" column; pass rates are printed per version and category
// and must stay above the floors below (set just under the rates reached when they were last raised).
// specFolder() runs a folder of the specification's own case files (e.g. opendigitaltwins-dtdl's
// DTDL/v4/spec) named by TWIN_DTDL_SPEC_DIR, and prints its pass rates; it skips without one.
#include "twin/model/dtdl/DtdlImporter.h"

#include "SharedData.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

using namespace twin::model::dtdl;

namespace {

constexpr double kFloorV2 = 99.5; // achieved 100.0 %
constexpr double kFloorV3 = 99.5; // achieved 100.0 %

struct Tally
{
    int passed = 0;
    int total = 0;
    double rate() const { return total ? 100.0 * passed / total : 0.0; }
};

std::vector<std::string> splitCsv(std::string line)
{
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
        line.pop_back();
    std::vector<std::string> cells;
    std::stringstream in(line);
    std::string cell;
    while (std::getline(in, cell, ','))
        cells.push_back(cell);
    if (!line.empty() && line.back() == ',')
        cells.emplace_back();
    return cells;
}

nlohmann::json loadCaseFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    if (text.rfind("\xEF\xBB\xBF", 0) == 0)
        text.erase(0, 3);
    return nlohmann::json::parse(text, nullptr, false);
}

} // namespace

class TestDtdlConformance : public QObject
{
    Q_OBJECT

private slots:
    void conformance();
    void specFolder();
};

void TestDtdlConformance::conformance()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    const std::string base = TWIN_SHARED_DATA "/dtdl/conformance/";
    std::ifstream index(base + "index.csv");
    if (!index)
        QSKIP("conformance data not available");
    std::string line;
    std::getline(index, line); // header
    std::map<std::string, nlohmann::json> files;
    std::map<std::string, Tally> perVersion, perCategory;
    Tally unresolvedChecks;
    std::vector<std::string> failures;
    QElapsedTimer timer;
    timer.start();
    while (std::getline(index, line)) {
        const auto cells = splitCsv(line);
        if (cells.size() < 8)
            continue;
        const std::string &version = cells[0], &file = cells[1], &category = cells[2];
        const int caseIndex = std::stoi(cells[3]);
        const bool valid = cells[4] == "True";
        const std::string expectUnresolved = cells.size() > 8 ? cells[8] : std::string();
        auto it = files.find(file);
        if (it == files.end())
            it = files.emplace(file, loadCaseFile(base + file)).first;
        QVERIFY2(it->second.is_array() && caseIndex < static_cast<int>(it->second.size()), file.c_str());
        const auto &testCase = it->second[caseIndex];

        std::vector<Document> docs;
        for (const auto &input : testCase["input"])
            docs.emplace_back("case" + std::to_string(docs.size()) + ".json", input.dump());
        ImportOptions options;
        options.allowUndefinedExtensions = cells[6] == "AllowUndefinedExtensions";
        options.requireResolvedReferences = true;
        options.strict = true; // the reference parser's limits are part of conformance
        const ImportResult result = importDocuments(docs, options);

        const bool pass = result.ok() == valid;
        for (Tally *t : {&perVersion[version], &perCategory[version + " " + category]}) {
            ++t->total;
            t->passed += pass ? 1 : 0;
        }
        if (!pass && failures.size() < 40)
            failures.push_back(
                file + "#" + std::to_string(caseIndex) + " expected " + (valid ? "valid" : "invalid") +
                (result.errors.empty() ? std::string() : ": " + result.errors.front().toString()));
        if (!expectUnresolved.empty()) {
            ++unresolvedChecks.total;
            const auto &u = result.unresolvedReferences;
            if (std::find(u.begin(), u.end(), expectUnresolved) != u.end())
                ++unresolvedChecks.passed;
        }
    }
    for (const auto &f : failures)
        qDebug("FAIL %s", f.c_str());
    for (const auto &[name, t] : perVersion)
        qDebug("DTDL %s: %d/%d = %.2f %%", name.c_str(), t.passed, t.total, t.rate());
    for (const auto &[name, t] : perCategory)
        qDebug("  %-22s %5d/%-5d = %6.2f %%", name.c_str(), t.passed, t.total, t.rate());
    qDebug("unresolved identifiers reported: %d/%d; %lld ms", unresolvedChecks.passed, unresolvedChecks.total,
           static_cast<long long>(timer.elapsed()));

    QVERIFY(perVersion["v2"].total > 6000);
    QVERIFY(perVersion["v3"].total > 6000);
    QVERIFY2(perVersion["v2"].rate() >= kFloorV2, "DTDL v2 conformance pass rate regressed");
    QVERIFY2(perVersion["v3"].rate() >= kFloorV3, "DTDL v3 conformance pass rate regressed");
    QCOMPARE(unresolvedChecks.passed, unresolvedChecks.total);
}

// One case object of a specification case file: {"valid", "options", "input", "expect"}.
bool runSpecCase(const nlohmann::json &testCase, std::string &why)
{
    std::vector<Document> docs;
    for (const auto &input : testCase.value("input", nlohmann::json::array()))
        docs.emplace_back("case" + std::to_string(docs.size()) + ".json", input.dump());
    ImportOptions options;
    const auto caseOptions = testCase.value("options", nlohmann::json::array());
    options.allowUndefinedExtensions =
        std::find(caseOptions.begin(), caseOptions.end(), "AllowUndefinedExtensions") != caseOptions.end();
    options.requireResolvedReferences = true;
    options.strict = true;
    const ImportResult result = importDocuments(docs, options);
    const bool valid = testCase.value("valid", false);
    if (result.ok() != valid) {
        why = std::string("expected ") + (valid ? "valid" : "invalid") +
              (result.errors.empty() ? std::string() : ": " + result.errors.front().toString());
        return false;
    }
    for (const auto &id : testCase.value("expect", nlohmann::json::object())
                              .value("unresolvedIdentifiers", nlohmann::json::array())) {
        const auto &u = result.unresolvedReferences;
        if (std::find(u.begin(), u.end(), id.get<std::string>()) == u.end()) {
            why = "expected " + id.get<std::string>() + " among the unresolved identifiers";
            return false;
        }
    }
    return true;
}

void TestDtdlConformance::specFolder()
{
    const QByteArray dir = qgetenv("TWIN_DTDL_SPEC_DIR");
    if (dir.isEmpty())
        QSKIP("TWIN_DTDL_SPEC_DIR not set (a folder of DTDL specification case files)");
    const QStringList names = QDir(QString::fromUtf8(dir)).entryList({"*.json"}, QDir::Files, QDir::Name);
    QVERIFY2(!names.isEmpty(), "no case files in TWIN_DTDL_SPEC_DIR");
    std::map<std::string, Tally> perCategory;
    Tally all;
    for (const QString &name : names) {
        const std::string file = name.toStdString();
        const nlohmann::json cases = loadCaseFile(QDir(QString::fromUtf8(dir)).filePath(name).toStdString());
        QVERIFY2(cases.is_array(), file.c_str());
        const std::string category = file.substr(0, file.find('-'));
        for (std::size_t i = 0; i < cases.size(); ++i) {
            std::string why;
            const bool pass = runSpecCase(cases[i], why);
            for (Tally *t : {&all, &perCategory[category]}) {
                ++t->total;
                t->passed += pass ? 1 : 0;
            }
            if (!pass)
                qDebug("FAIL %s#%zu %s", file.c_str(), i, why.c_str());
        }
    }
    qDebug("spec folder: %d/%d = %.2f %% in %lld files", all.passed, all.total, all.rate(),
           static_cast<long long>(names.size()));
    for (const auto &[name, t] : perCategory)
        qDebug("  %-16s %5d/%-5d = %6.2f %%", name.c_str(), t.passed, t.total, t.rate());
}

QTEST_GUILESS_MAIN(TestDtdlConformance)
#include "tst_dtdl_conformance.moc"
