#pragma once
// Signal lists as users write them: "TERM", "SIGTERM,KILL", "15 9".

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sft::sys {

// Errc::configuration names the first word that is not a signal.
Result<std::vector<int>> parse_signals(std::string_view text);
// "TERM" for SIGTERM; the number as text for others.
std::string signal_name(int signal);

}  // namespace sft::sys
