// DTDL import benchmark: the full RealEstateCore v3 ontology (767 files, BOMs, deep extends) through
// dtdl::importPaths (read + parse + validate + resolve + map), against its own floor in the same run:
// reading and JSON-parsing the same files with nlohmann::json and nothing else. Prints medians and the ratio.
#include "twin/model/dtdl/DtdlImporter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace {
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

size_t parseOnly(const std::vector<std::string> &files)
{
    size_t objects = 0;
    for (const auto &path : files) {
        std::ifstream in(path, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        if (text.rfind("\xEF\xBB\xBF", 0) == 0)
            text.erase(0, 3);
        auto json = nlohmann::json::parse(text, nullptr, false);
        objects += json.is_discarded() ? 0 : json.size();
    }
    return objects;
}
} // namespace

int main(int argc, char **argv)
{
    const std::string dir = argc > 1 ? argv[1] : TWIN_SHARED_DATA "/dtdl/realestatecore-v3/Ontology";
    const int runs = argc > 2 ? std::atoi(argv[2]) : 7;
    std::vector<std::string> files;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(dir))
        if (entry.path().extension() == ".json")
            files.push_back(entry.path().string());
    std::vector<double> full, floor;
    size_t interfaces = 0, errors = 0;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        auto result = twin::model::dtdl::importPaths({dir});
        auto t1 = Clock::now();
        volatile size_t n = parseOnly(files);
        (void)n;
        auto t2 = Clock::now();
        interfaces = result.types.size();
        errors = result.errors.size();
        full.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        floor.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::printf("| case | files | interfaces | errors | median ms (%d runs) |\n|---|---|---|---|---|\n",
                runs);
    std::printf("| twin dtdl::importPaths (full import) | %zu | %zu | %zu | %.1f |\n", files.size(),
                interfaces, errors, median(full));
    std::printf("| peer: read + nlohmann::json::parse only | %zu | - | - | %.1f |\n", files.size(),
                median(floor));
    std::printf("\nratio full import / parse-only floor: %.2fx\n", median(full) / median(floor));
    return errors == 0 ? 0 : 1;
}
