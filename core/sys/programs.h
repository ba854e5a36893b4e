#pragma once
// Finding helper programs (e2fsck, xfs_repair, modprobe) before relying on them, so a
// missing tool is reported as "not installed" at validation, not as a failed start.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/sys/deadline.h"
#include "core/sys/system.h"

namespace sft::sys {

// The first executable `name` in the directories of `path_var` (":"-separated) and then
// the sbin directories, which Pacemaker's PATH may lack. Errc::not_installed otherwise.
Result<std::string> find_program(System& os, std::string_view name, std::string_view path_var);

// One line for a command that did not succeed: "drbdadm primary r0 exited 11: <the
// first line of its stderr, else of its stdout>", or "... was killed by signal 9".
// `shown` is the command as the line names it (usually without the program's path).
std::string describe_failure(const std::vector<std::string>& shown, const ProcessResult& r);

// A helper program, run the one way every piece runs one: `argv[0]` is its name, found
// by find_program; it runs under `d` (its process group killed when d passes). The
// result whatever the exit code; Errc::not_installed naming the program when it is
// nowhere, or the run's own error (".../drbdadm: did not finish before the deadline").
Result<ProcessResult> run_program(System& os, std::vector<std::string> argv, std::string_view path_var,
                                  const Deadline& d);

// The same where anything but exit 0 is a failure: its stdout, or Errc::generic with
// describe_failure's line, the command shown as `shown` (default: argv as given).
Result<std::string> run_checked(System& os, std::vector<std::string> argv, std::string_view path_var,
                                const Deadline& d, std::vector<std::string> shown = {});

}  // namespace sft::sys
