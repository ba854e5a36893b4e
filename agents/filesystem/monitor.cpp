// monitor: is the configured device mounted on the directory, and (deeper) does it
// still answer I/O.
#include <chrono>

#include "agents/filesystem/filesystem.h"
#include "agents/filesystem/io_check.h"
#include "core/log/log.h"
#include "core/sys/mounts.h"
#include "core/text.h"

namespace sft::filesystem {
namespace {

// The status file's path relative to the mount point: <prefix><resource>_<node>.
std::string status_file(Context& cx) {
  const std::string node = cx.meta("on_node").value_or(cx.os.hostname());
  const std::string name = (cx.instance.empty() ? std::string("Filesystem") : cx.instance) + "_" + node;
  return cx.params[param::statusfile_prefix] + name;
}

// Whether the configured options leave the filesystem read-only (the last of ro/rw wins).
bool mounted_read_only(std::string_view options) {
  bool ro = false;
  for (const std::string_view opt : split(options, ',')) {
    if (opt == "ro") ro = true;
    if (opt == "rw") ro = false;
  }
  return ro;
}

}  // namespace

Result<Exit> monitor(Context& cx) {
  const std::string dir = mount_point(cx);
  const std::string& device = cx.params[param::device];
  auto mounts = sys::read_mounts(cx.os);
  if (!mounts) return std::unexpected(mounts.error());
  const auto on_dir = sys::mounted_on(*mounts, dir);
  const auto found = find_device(cx, cx.deadline.slice(0.2));
  // Only a device that is not there is "not running"; a lookup that failed is an error.
  if (!found && found.error().code != Errc::not_installed) return std::unexpected(found.error());
  if (!found) {
    // No device node here (a probe on a node that never had it, or DRBD torn down).
    if (on_dir && is_configured(cx, *on_dir, std::nullopt))
      return fail(Errc::generic, device + " is mounted on " + dir +
                                     (on_dir->source == device ? "" : " (as " + on_dir->source + ")") +
                                     " but its device node is gone");
    return PCMK_OCF_NOT_RUNNING;
  }
  if (!on_dir) return PCMK_OCF_NOT_RUNNING;
  if (!is_ours(cx.os, *on_dir, found->number)) {
    if (auto hidden = hidden_mount(cx.os, *mounts, dir, found->number))
      return fail(Errc::generic, device + " is mounted on " + dir + " but hidden by " + on_dir->source +
                                     " mounted over it");
    log::warning(dir + " has " + on_dir->source + " mounted, not " + device);
    return PCMK_OCF_NOT_RUNNING;
  }
  if (cx.check_level < 10) return PCMK_OCF_OK;

  const bool write = cx.check_level >= 20 && !mounted_read_only(cx.params[param::options]);
  if (cx.check_level >= 20 && !write) log::debug(dir + " is mounted read-only as configured: no status file");
  const std::string relative = status_file(cx);
  const std::string file = dir + "/" + relative;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const std::string stamp =
      cx.instance + " " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count());
  // One child for both probes: a fork each would double what depth 20 costs.
  const std::string p = found->path;
  const auto probe = [=]() -> int {
    const int r = read_device_block(p);
    if (r != io_ok || !write) return r;
    const int w = write_status_file(dir, relative, stamp);
    return w == io_ok ? io_ok : io_status_file + w;
  };
  const auto budget = cx.deadline.remaining();
  auto r = cx.os.run_in_child(probe, cx.deadline);
  if (!r && r.error().code == Errc::timeout)
    return fail(Errc::generic, (write ? "reading a block of " + p + " and writing " + file : "reading a block of " + p) +
                                   " did not complete within " + std::to_string(budget.count()) +
                                   " ms; the device looks hung");
  if (!r) return std::unexpected(with_context(r.error(), "I/O check of " + p));
  if (*r >= io_status_file)
    return fail(Errc::generic, "status file " + file + ": " + describe(static_cast<IoResult>(*r - io_status_file)));
  if (*r != io_ok) return fail(Errc::generic, "reading a block of " + p + ": " + describe(static_cast<IoResult>(*r)));
  return PCMK_OCF_OK;
}

}  // namespace sft::filesystem
