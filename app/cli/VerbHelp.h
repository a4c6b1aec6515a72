#pragma once
// What `twinctl VERB --help` and `twinctl help VERB` print for the verbs that do not answer --help
// themselves, and the usage line those verbs give with a wrong call (exit 2). One text per verb.
#include <string>

namespace twin::cli {

// "usage: twinctl VERB ..." for a verb of the table, else nullptr (the verb answers --help itself).
const char *verbUsage(const std::string &verb);
// The usage line, what the verb does and its options; empty for a verb not in the table.
std::string verbHelp(const std::string &verb);

} // namespace twin::cli
