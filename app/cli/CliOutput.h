#pragma once
// How twinctl reports: human text or one JSON object on stdout (--json); errors on stderr.
#include <string>
#include <utility>
#include <vector>

namespace twin::cli {

struct Report
{
    bool ok = true;
    std::string verb;
    std::vector<std::pair<std::string, std::string>> fields; // key -> JSON value text
    std::vector<std::string> messages;                       // human lines
    std::string error;
    std::string extraJson; // optional raw JSON value merged as "details"
    bool badInput = false; // with !ok: exit code 2 (the input was wrong) instead of 1 (the work failed)
};

// Prints the report; returns the exit code (0 ok, 1 failed, 2 bad input). Not named "emit": Qt defines that
// as an empty macro, which silently turned calls in Qt-including files into "return (report, json);". A
// failed report for `verb` with the error text.
Report fail(const char *verb, std::string error);
Report badInput(const char *verb, std::string error);    // fail, exit code 2
Report usageReport(const char *verb, const char *usage); // the answer to --help
// The --plugins option when given, else PluginHost::defaultDirectory().
std::string pluginDirectoryOr(const std::string &given);

int emitReport(const Report &report, bool json);
std::string jsonString(const std::string &text);

} // namespace twin::cli
