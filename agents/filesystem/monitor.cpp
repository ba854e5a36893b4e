// monitor: is the configured device mounted on the directory, and (deeper) does it
// still answer I/O.
#include <chrono>

#include "agents/filesystem/filesystem.h"
#include "agents/filesystem/io_check.h"
#include "core/log/log.h"
#include "core/sys/mounts.h"

namespace sft::filesystem {
namespace {

std::string status_file(Context& cx, const std::string& dir) {
  const std::string node = cx.meta("on_node").value_or(cx.os.hostname());
  const std::string name = (cx.instance.empty() ? std::string("Filesystem") : cx.instance) + "_" + node;
  return dir + "/" + cx.params.str("statusfile_prefix") + name;
}

Result<void> io_probe(Context& cx, std::string_view what, const std::function<int()>& probe) {
  const auto budget = cx.deadline.remaining();
  auto r = cx.os.run_in_child(probe, cx.deadline);
  if (!r) {
    if (r.error().code == Errc::timeout)
      return fail(Errc::generic, std::string(what) + " did not complete within " + std::to_string(budget.count()) +
                                     " ms; the device looks hung");
    return std::unexpected(with_context(r.error(), what));
  }
  if (*r != io_ok) return fail(Errc::generic, std::string(what) + ": " + describe(static_cast<IoResult>(*r)));
  return {};
}

}  // namespace

Result<Exit> monitor(Context& cx) {
  const std::string dir = sys::normalize_path(cx.params.str("directory"));
  const std::string& device = cx.params.str("device");
  auto mounts = sys::read_mounts(cx.os);
  if (!mounts) return std::unexpected(mounts.error());
  const auto on_dir = sys::mounted_on(*mounts, dir);
  auto dev = device_number(cx);
  if (!dev) {
    // No device node here (a probe on a node that never had it, or DRBD torn down).
    if (on_dir && on_dir->source == device)
      return fail(Errc::generic, device + " is mounted on " + dir + " but its device node is gone");
    return PCMK_OCF_NOT_RUNNING;
  }
  if (!on_dir) return PCMK_OCF_NOT_RUNNING;
  if (!is_ours(cx.os, *on_dir, *dev)) {
    log::warning(dir + " has " + on_dir->source + " mounted, not " + device);
    return PCMK_OCF_NOT_RUNNING;
  }
  if (cx.check_level >= 10) {
    auto path = cx.os.resolve_device(device);
    if (!path) return std::unexpected(path.error());
    const std::string p = *path;
    if (auto ok = io_probe(cx, "reading a block of " + p, [p] { return read_device_block(p); }); !ok)
      return std::unexpected(ok.error());
  }
  if (cx.check_level >= 20) {
    const std::string file = status_file(cx, dir);
    const std::string parent = file.substr(0, file.rfind('/'));
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const std::string stamp = cx.instance + " " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count());
    if (auto ok = io_probe(cx, "writing " + file, [=] { return write_status_file(parent, file, stamp); }); !ok)
      return std::unexpected(ok.error());
  }
  return PCMK_OCF_OK;
}

}  // namespace sft::filesystem
