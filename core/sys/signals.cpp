#include "core/sys/signals.h"

#include "core/text.h"

#include <csignal>
#include <utility>

namespace sft::sys {
namespace {

constexpr std::pair<std::string_view, int> k_signals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"KILL", SIGKILL}, {"USR1", SIGUSR1},
    {"USR2", SIGUSR2}, {"TERM", SIGTERM}, {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"ABRT", SIGABRT},
};

}  // namespace

Result<std::vector<int>> parse_signals(std::string_view text) {
  std::vector<int> out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = std::min(text.find_first_of(", \t", pos), text.size());
    const std::string_view as_written = text.substr(pos, end - pos);
    pos = end + 1;
    if (as_written.empty()) continue;
    std::string_view word = as_written;
    if (word.starts_with("SIG")) word.remove_prefix(3);
    int signal = 0;
    for (const auto& [name, number] : k_signals)
      if (name == word) signal = number;
    if (signal == 0) {
      if (int n = 0; parse_number(word, n) && n > 0 && n < NSIG) signal = n;
    }
    if (signal == 0) return fail(Errc::configuration, "'" + std::string(as_written) + "' is not a signal");
    out.push_back(signal);
  }
  if (out.empty()) return fail(Errc::configuration, "no signal given");
  return out;
}

std::string signal_name(int signal) {
  for (const auto& [name, number] : k_signals)
    if (number == signal) return std::string(name);
  return std::to_string(signal);
}

}  // namespace sft::sys
