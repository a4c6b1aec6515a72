#pragma once
// twinctl's reference generated from each verb's --help text (one source): a man page (`twinctl man`, troff,
// installed as share/man/man1/twinctl.1) and a bash completion script (`twinctl completion`, installed as
// share/bash-completion/completions/twinctl): verbs, then each verb's options as its help names them.
#include <string>
#include <utility>
#include <vector>

namespace twin::cli {

// `verbs`: name and --help text of each verb, in the order to list them.
std::string manPage(const std::vector<std::pair<std::string, std::string>> &verbs);
std::string bashCompletion(const std::vector<std::pair<std::string, std::string>> &verbs);

} // namespace twin::cli
