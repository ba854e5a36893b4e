// start: wait for the device, refuse conflicts, check per policy, mount.
#include "agents/filesystem/filesystem.h"
#include "agents/filesystem/fsck.h"
#include "core/log/log.h"
#include "core/sys/mounts.h"
#include "core/sys/kernel_fs.h"

namespace sft::filesystem {
namespace {

constexpr sys::Millis k_device_poll{200};

// The device, once it exists: DRBD or iSCSI may still be bringing it up. Waits at most
// half of what is left, keeping the rest for fsck and mount.
Result<Device> wait_for_device(Context& cx) {
  const sys::Deadline wait = cx.deadline.slice(0.5);
  const auto budget = wait.remaining();
  for (;;) {
    auto device = find_device(cx, wait);
    if (device || device.error().code == Errc::configuration) return device;
    if (!wait.sleep_for(k_device_poll))
      return fail(Errc::not_installed, "device " + cx.params[param::device] + " did not appear within " +
                                           std::to_string(budget.count()) + " ms (" + device.error().message + ")");
  }
}

// Another device on the directory, this device elsewhere, or mounts below the
// directory: mounting would hide or double-mount data.
Result<bool> already_mounted(Context& cx, const std::vector<sys::MountEntry>& mounts, const std::string& dir,
                             dev_t dev) {
  if (auto on_dir = sys::mounted_on(mounts, dir)) {
    if (is_ours(cx.os, *on_dir, dev)) return true;
    return fail(Errc::generic, "directory " + dir + " already has " + on_dir->source + " mounted on it");
  }
  for (const auto& m : mounts) {
    if (m.root == "/" && is_ours(cx.os, m, dev))
      return fail(Errc::generic, "device " + cx.params[param::device] + " is already mounted on " + m.target);
  }
  if (auto below = sys::mounts_below(mounts, dir); !below.empty())
    return fail(Errc::generic, "directory " + dir + " has " + below.front().target +
                                   " mounted below it; mounting would hide it");
  return false;
}

// mount(2) would ask for the module itself, but through the kernel's usermode helper,
// without our deadline or a reason we could report.
Result<void> load_module(Context& cx, const std::string& fstype) {
  if (sys::filesystem_registered(cx.os, fstype)) return {};
  auto r = cx.run_program({"modprobe", "-q", "fs-" + fstype}, cx.deadline);
  if (!r) return std::unexpected(r.error());
  if (!r->ok()) return fail(Errc::not_installed, "modprobe fs-" + fstype + " failed: " + r->err);
  return {};
}

}  // namespace

Result<Exit> start(Context& cx) {
  const auto& p = cx.params;
  auto device = wait_for_device(cx);
  if (!device) return std::unexpected(device.error());
  auto mounts = sys::read_mounts(cx.os);
  if (!mounts) return std::unexpected(mounts.error());
  const std::string dir = mount_point(cx);
  auto mounted = already_mounted(cx, *mounts, dir, device->number);
  if (!mounted) return std::unexpected(mounted.error());
  if (*mounted) {
    log::info(p[param::device] + " is already mounted on " + dir);
    return PCMK_OCF_OK;
  }
  if (!cx.os.stat(dir)) {
    if (!p[param::create_directory])
      return fail(Errc::not_installed, "directory " + dir + " does not exist and create_directory is false");
    if (auto made = cx.os.make_dirs(dir, 0755); !made) return std::unexpected(made.error());
  }
  if (auto loaded = load_module(cx, p[param::fstype]); !loaded) return std::unexpected(loaded.error());
  if (auto checked = check_before_mount(cx, device->path, dir); !checked) return std::unexpected(checked.error());

  const sys::MountRequest request{device->path, dir, p[param::fstype], p[param::options]};
  if (auto done = cx.os.mount(request); !done) return std::unexpected(done.error());
  log::info("mounted " + device->path + " on " + dir);
  return PCMK_OCF_OK;
}

}  // namespace sft::filesystem
