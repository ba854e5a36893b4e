#pragma once
// The mount table: /proc/self/mountinfo (proc(5)'s format) parsed into plain values.

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/sys/system.h"

namespace sft::sys {

struct MountEntry {
  int id = 0;
  int parent_id = 0;
  dev_t dev = 0;            // the filesystem's device number (major:minor field)
  std::string root;         // the mounted subtree (a bind mount's root is not "/")
  std::string target;       // mount point, unescaped
  std::string fstype;
  std::string source;       // e.g. /dev/mapper/vg-lv, unescaped
  std::string vfs_options;  // rw,noatime,...
  std::string fs_options;   // per-filesystem options
};

// Parses mountinfo text. Errc::generic names the first line libmount rejected.
Result<std::vector<MountEntry>> parse_mountinfo(std::string_view text);

// Reads and parses /proc/self/mountinfo through the seam.
Result<std::vector<MountEntry>> read_mounts(System& os);

// The entry mounted last on `target` (the visible one), if any.
std::optional<MountEntry> mounted_on(const std::vector<MountEntry>& mounts, std::string_view target);

// Mounts strictly below `target` (sub-mounts), deepest first: the order to unmount them.
std::vector<MountEntry> mounts_below(const std::vector<MountEntry>& mounts, std::string_view target);

// Directory path with "." / ".." / repeated and trailing slashes removed (no symlinks
// resolved). "/srv//data/" -> "/srv/data".
std::string normalize_path(std::string_view path);

}  // namespace sft::sys
