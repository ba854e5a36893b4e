#pragma once
// Finding helper programs (e2fsck, xfs_repair, modprobe) before relying on them, so a
// missing tool is reported as "not installed" at validation, not as a failed start.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/sys/system.h"

namespace sft::sys {

// The first executable `name` in the directories of `path_var` (":"-separated) and then
// the sbin directories, which Pacemaker's PATH may lack. Errc::not_installed otherwise.
Result<std::string> find_program(System& os, std::string_view name, std::string_view path_var);

// One line for a command that did not succeed: "drbdadm primary r0 exited 11: <the
// first line of its stderr, else of its stdout>", or "... was killed by signal 9".
// `shown` is the command as the line names it (usually without the program's path).
std::string describe_failure(const std::vector<std::string>& shown, const ProcessResult& r);

}  // namespace sft::sys
