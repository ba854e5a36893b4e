#pragma once
// Finding helper programs (e2fsck, xfs_repair, modprobe) before relying on them, so a
// missing tool is reported as "not installed" at validation, not as a failed start.

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/sys/system.h"

namespace sft::sys {

// The first executable `name` in the directories of `path_var` (":"-separated) and then
// the sbin directories, which Pacemaker's PATH may lack. Errc::not_installed otherwise.
Result<std::string> find_program(System& os, std::string_view name, std::string_view path_var);

}  // namespace sft::sys
