#pragma once
// `sft oci ...`: the commands that talk to the OCI API.
//   sft oci raw-request --http-method M --target-uri URL [--request-body JSON]
//   sft oci check [--zone NAME [--zone-scope private --view-id OCID]]
// Exit codes: 0 done; 1 the API said no or could not be reached; 2 bad usage or
// configuration; check: 3 when any check failed.

#include <string>
#include <vector>

#include "core/sys/system.h"
#include "oci-plugins/session.h"
#include "tools/sft/cli.h"

namespace sft::tool {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failed = 1;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_check_failed = 3;

// The options every `sft oci` command takes, like the OCI CLI's global options.
std::vector<OptionSpec> session_option_specs();
// Errc::invalid_argument naming the option when a value is wrong.
Result<oci::SessionOptions> session_options(const Args& args);

// --timeout (default 60 s) as a budget, in Pacemaker's time spellings ("30", "30s",
// "500ms"); Errc::invalid_argument when it is not one, is 0, or is over a day.
Result<sys::Millis> command_timeout(const Args& args);
// Opens the session the options describe; on failure prints "sft oci <command>: why"
// and returns the exit code to use.
Result<oci::Session> open_or_report(const Args& args, sys::System& os, const Environment& env, const sys::Deadline& d,
                                    const std::string& command, int& exit_code);
// The exit code for an error: usage, configuration, key-file problems 2, the rest 1.
int exit_code_for(const Error& e);

int oci_main(const std::vector<std::string>& argv, sys::System& os, const Environment& env);
int raw_request(const Args& args, sys::System& os, const Environment& env);
int check(const Args& args, sys::System& os, const Environment& env);

}  // namespace sft::tool
