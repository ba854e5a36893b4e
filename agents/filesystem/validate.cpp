// validate-all: everything that can be known before touching the device.
#include <sys/stat.h>

#include "agents/filesystem/filesystem.h"
#include "core/sys/kernel_fs.h"
#include "core/sys/mounts.h"
#include "core/sys/signals.h"
#include "core/text.h"

namespace sft::filesystem {
namespace {

Result<void> check_options(const std::string& options) {
  static constexpr std::string_view k_refused[] = {"bind", "rbind", "move", "remount", "loop"};
  if (options.empty()) return {};
  for (const std::string_view field : split(options, ',')) {
    const std::string opt(field);
    const std::string name = opt.substr(0, opt.find('='));
    for (auto refused : k_refused)
      if (name == refused)
        return fail(Errc::configuration, "options: '" + name + "' is not supported by this agent");
    if (opt.find_first_of(" \t\n") != std::string::npos)
      return fail(Errc::configuration, "options: '" + opt + "' contains white space");
  }
  return {};
}

Result<void> check_device_spec(const std::string& device) {
  if (device.starts_with("/") || device.starts_with("LABEL=") || device.starts_with("UUID=") ||
      device.starts_with("PARTLABEL=") || device.starts_with("PARTUUID="))
    return {};
  return fail(Errc::configuration, "device: '" + device + "' is neither an absolute path nor LABEL=/UUID=");
}

Result<void> check_fsck_tools(Context& cx) {
  const auto& p = cx.params;
  const std::string& fstype = p[param::fstype];
  const std::string& policy = p[param::run_fsck];
  const char* tool = nullptr;
  if (fstype.starts_with("ext") && policy != "no") tool = "e2fsck";
  if (fstype == "xfs" && policy == "force") tool = "xfs_repair";
  if (fstype == "btrfs" && policy == "force") tool = "btrfs";
  if (tool == nullptr) return {};
  if (auto found = cx.find_program(tool); !found)
    return fail(Errc::not_installed, std::string("run_fsck=") + policy + " needs " + tool + ", which is not installed");
  return {};
}

}  // namespace

Result<void> validate(Context& cx) {
  const auto& p = cx.params;
  const std::string& dir = p[param::directory];
  if (!dir.starts_with("/")) return fail(Errc::configuration, "directory: '" + dir + "' is not an absolute path");
  if (sys::normalize_path(dir) == "/") return fail(Errc::configuration, "directory: refusing to mount on /");
  if (auto ok = check_device_spec(p[param::device]); !ok) return ok;
  if (auto ok = check_options(p[param::options]); !ok) return ok;
  for (const ocf::Param<std::string>* signals : {&param::term_signals, &param::kill_signals}) {
    if (auto sigs = sys::parse_signals(p[*signals]); !sigs)
      return fail(Errc::configuration, signals->name() + ": " + sigs.error().message);
  }
  const std::string& prefix = p[param::statusfile_prefix];
  if (prefix.starts_with("/") || prefix.find("..") != std::string::npos)
    return fail(Errc::configuration, "statusfile_prefix: '" + prefix + "' must be a relative path inside the filesystem");
  const std::string& fstype = p[param::fstype];
  if (cx.is_clone())
    return fail(Errc::configuration, fstype + " is not a cluster filesystem: Filesystem must not run as a clone");
  if (!sys::filesystem_registered(cx.os, fstype) && !sys::filesystem_loadable(cx.os, fstype))
    return fail(Errc::not_installed, "fstype: the kernel neither supports " + fstype + " nor has a module for it");
  if (auto ok = check_fsck_tools(cx); !ok) return ok;
  if (!p[param::create_directory]) {
    auto st = cx.os.stat(dir);
    if (!st) return fail(Errc::not_installed, "directory: " + dir + " does not exist and create_directory is false");
    if (!st->is_dir()) return fail(Errc::not_installed, "directory: " + dir + " is not a directory");
  }
  return {};
}

}  // namespace sft::filesystem
