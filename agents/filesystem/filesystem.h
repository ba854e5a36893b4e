#pragma once
// ocf:sft:Filesystem: mounts an XFS/ext4 (also ext3, ext2, btrfs) filesystem, the layer
// that sits on the DRBD device. Handlers take the context (typed parameters, the OS
// seam, the deadline) and return an OCF exit or an Error with the admin's one line.

#include <optional>
#include <string>
#include <vector>

#include "agents/filesystem/params.h"
#include "core/ocf/context.h"
#include "core/ocf/spec.h"
#include "core/sys/mounts.h"

namespace sft::filesystem {

using ocf::Context;
using ocf::Exit;

const ocf::AgentSpec& spec();

// Checks every parameter and this node: absolute directory, a known fstype (kernel or
// loadable module), consistent options, parseable signals, the fsck tools the policy
// needs, not a clone. Errc::configuration or Errc::not_installed with one line.
Result<void> validate(Context& cx);

// Mounts the device (waiting, within the deadline, for it to appear; checking it per
// run_fsck first). Refuses when another device is on the directory, this device is
// mounted elsewhere, or something is mounted below the directory. Idempotent.
Result<Exit> start(Context& cx);

// Unmounts every mount of the filesystem here, sub-mounts first. A busy mount gets its
// holders signalled (term_signals, then kill_signals) in steps that fit the deadline;
// the exit reason names the processes that still block. Never a lazy unmount.
Result<Exit> stop(Context& cx);

// Depth 0: mountinfo only, device compared by number, no child process. Depth 10:
// reads a block of the device with O_DIRECT; depth 20: also writes and reads back a
// status file with O_DIRECT|O_SYNC; both in a child bounded by the deadline.
Result<Exit> monitor(Context& cx);

struct Device {
  std::string path;  // LABEL=/UUID= resolved
  dev_t number = 0;
};

// The configured device as it is now. Errc::not_installed when it does not exist,
// Errc::configuration when it is not a block device, Errc::timeout when its tag
// cannot be looked up before d; only not_installed means "no device here".
Result<Device> find_device(Context& cx, const sys::Deadline& d);

// The mount of `dev` on `directory`, if that is what the table shows. A mount whose
// number differs is still ours when its source is our device node (btrfs reports an
// anonymous device number).
bool is_ours(sys::System& os, const sys::MountEntry& m, dev_t dev);

// Whether mount `m` is of the configured device: by device number when the device
// node exists (`dev`), else by the source the kernel recorded, since the node may be
// gone (DRBD down) while the filesystem is still mounted.
bool is_configured(Context& cx, const sys::MountEntry& m, std::optional<dev_t> dev);

// The directory as the kernel writes it in mountinfo: symbolic links resolved (in the
// part of the path that exists), "." / ".." / repeated slashes removed. A mount on a
// symlinked directory is listed under the link's target.
std::string mount_point(Context& cx);

// A mount of `dev` on `dir` that a later mount on the same directory hides, if any.
std::optional<sys::MountEntry> hidden_mount(sys::System& os, const std::vector<sys::MountEntry>& mounts,
                                            const std::string& dir, dev_t dev);

}  // namespace sft::filesystem
