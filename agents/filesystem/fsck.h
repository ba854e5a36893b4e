#pragma once
// The run_fsck policy: when a check runs, and which tool.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ocf/context.h"

namespace sft::filesystem {

using ocf::Context;

struct ExtSuperblock {
  bool clean = false;           // EXT2_VALID_FS set in s_state
  bool has_errors = false;      // EXT2_ERROR_FS set in s_state
  bool has_journal = false;     // COMPAT_HAS_JOURNAL
  bool needs_recovery = false;  // INCOMPAT_RECOVER: the journal replays on mount
};

// Parses the 1024-byte ext2/3/4 superblock (found at byte 1024 of the device).
// nullopt when the magic number is not ext's.
std::optional<ExtSuperblock> parse_ext_superblock(std::string_view block);

// The policy: auto checks ext* only when it has errors, or was not cleanly unmounted
// and has no journal to replay; xfs and btrfs never (their logs replay on mount).
bool auto_needs_check(const ExtSuperblock& sb);

// The command run_fsck=force (or auto, when needed) runs for fstype on device. `force`
// makes e2fsck check a filesystem marked clean too (-f): without it, e2fsck -p trusts the
// clean flag and checks nothing.
std::vector<std::string> fsck_command(std::string_view fstype, const std::string& device, bool force = false);

// Whether a checker's exit code means the filesystem may be mounted (e2fsck 0-1,
// xfs_repair and btrfs check 0).
bool fsck_succeeded(std::string_view fstype, int exit_code);

// Applies the policy to the device at `path`. An XFS log left dirty by a crash is
// replayed first by mounting the device on `dir` and unmounting it. Errc::generic with the checker's own
// words when it fails; Errc::timeout at the deadline.
Result<void> check_before_mount(Context& cx, const std::string& path, const std::string& dir);

}  // namespace sft::filesystem
