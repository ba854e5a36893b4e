#pragma once
// Reading a fence agent's options as fence-agents does: key=value lines on stdin (how
// pacemaker-fenced calls an agent) or getopt-style arguments, then defaults and the
// checks every agent shares (action, types, select values, required options).

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "stonith/fence.h"

namespace sft::fence {

// Every action an agent answers, in the order metadata lists them.
const std::vector<std::string>& actions();

// Every option the agent accepts, in metadata order: action, method (when the agent
// supports cycle), plug, the agent's own, quiet, verbose, debug_file, version, help,
// delay, power_timeout, power_wait, stonith_status_sleep, retry_on. An agent option
// named like a common one takes that one's place.
std::vector<Option> all_options(const AgentSpec& spec);

// Mistakes in an agent's definition: two options with one name (or one's name another's
// obsolete name), two with one getopt letter, a select without choices or with a
// default that is not one of them. Errc::invalid_argument naming the option.
Result<void> check_spec(const std::vector<Option>& options);

// The option `name` denotes: its name, its long form ('-' for '_'), a name it
// obsoletes ("port" -> plug) or an old alias ("option" -> action, "debug" ->
// debug_file); nullptr when there is none.
const Option* find_option(const std::vector<Option>& options, std::string_view name);

struct Input {
  Options options;                    // canonical names, defaults filled in
  std::vector<std::string> warnings;  // one line each, for stderr; never a value
};

// key=value lines: '#' comments and blank lines skipped, one pair of surrounding
// double quotes stripped from a value, the last duplicate wins, `nodename` dropped
// silently and other unknown names dropped with a warning. Never fails: values are
// checked later by check_options, so metadata works whatever else was sent.
Input parse_stdin(const std::vector<Option>& options, std::string_view text);

// getopt style (GNU: options and operands may mix, "--" ends options): -o off, -ooff,
// -qv, --action=off, --action off, and unique prefixes of long names. Boolean options
// are flags and take no value. Errc::invalid_argument, one line, for an unknown option,
// an ambiguous prefix, a missing value or a value given to a flag; operands are
// ignored with a warning.
Result<Input> parse_argv(const std::vector<Option>& options, const std::vector<std::string>& args);

// The checks fencing.py makes before any device action and for validate-all: a known
// action, booleans, seconds (non-negative, "2.5" allowed), integers, select values,
// retry_on >= 1, required options and, for on, off, reboot and status, a plug.
// Errc::configuration naming the option and its long form.
Result<void> check_options(const std::vector<Option>& options, const Options& values);

// Every handle of the library's and the agent's code against the agent's options:
// Errc::invalid_argument naming the first the options lack or type otherwise
// ("fence_x reads option 'plgu', which its metadata does not declare").
Result<void> check_names(const AgentSpec& spec, const std::vector<Option>& options);

// "-n, --plug=[id]", "-q, --quiet", "--delay=[seconds]": the getopt line of metadata
// and usage.
std::string getopt_mixed(const Option& option);

// The long option ("power-timeout") of a name ("power_timeout").
std::string long_name(std::string_view name);

// The longest time a second option takes (a day: no fence waits longer). Its values are
// read by sft::parse_duration, as every time sft reads: "2.5", "30", "30s", "500ms".
inline constexpr sys::Millis k_max_option_time{24LL * 3600 * 1000};

}  // namespace sft::fence
