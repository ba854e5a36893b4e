#pragma once
// A process's environment as a value: read once in main, handed down, looked up by name.
// Agents, fence agents, the DRBD handlers and `sft` all take it this way, so tests give
// their own.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sft {

using Environment = std::map<std::string, std::string, std::less<>>;

// `envp` (environ) as a map: split at the first '='; an entry without one is skipped.
Environment read_environment(char** envp);

// The value of `name`, when it is set (to anything, "" included).
std::optional<std::string> lookup(const Environment& env, std::string_view name);

}  // namespace sft
