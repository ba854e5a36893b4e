// Which device the resource means, and whether a mount is of it.
#include "agents/filesystem/filesystem.h"

namespace sft::filesystem {

Result<Device> find_device(Context& cx, const sys::Deadline& d) {
  const std::string& spec = cx.params[param::device];
  auto path = cx.os.resolve_device(spec, d);
  if (!path) return std::unexpected(path.error());
  auto st = cx.os.stat(*path);
  if (!st) return fail(Errc::not_installed, (*path == spec ? "" : spec + " is ") + st.error().message);
  if (!st->is_block()) return fail(Errc::configuration, "device " + spec + " is not a block device");
  return Device{*path, st->rdev};
}

bool is_ours(sys::System& os, const sys::MountEntry& m, dev_t dev) {
  if (m.dev == dev) return true;
  if (!m.source.starts_with("/")) return false;
  auto st = os.stat(m.source);
  return st && st->is_block() && st->rdev == dev;
}

std::string mount_point(Context& cx) {
  // The longest existing prefix is resolved, the rest (a mount point start will
  // create) appended as written.
  std::string path = sys::normalize_path(cx.params[param::directory]);
  std::string rest;
  for (;;) {
    if (auto real = cx.os.real_path(path)) return sys::normalize_path(*real + rest);
    if (path == "/") return sys::normalize_path(rest);
    const size_t slash = path.rfind('/');
    rest = path.substr(slash) + rest;
    path = slash == 0 ? "/" : path.substr(0, slash);
  }
}

bool is_configured(Context& cx, const sys::MountEntry& m, std::optional<dev_t> dev) {
  if (dev) return is_ours(cx.os, m, *dev);
  const std::string& device = cx.params[param::device];
  if (m.source == device) return true;
  // LABEL=/UUID= cannot be compared as text: a mount whose source node has vanished
  // is taken as ours, one of a device that still exists is not.
  const bool tag = !device.starts_with("/");
  return tag && m.source.starts_with("/") && !cx.os.stat(m.source);
}

std::optional<sys::MountEntry> hidden_mount(sys::System& os, const std::vector<sys::MountEntry>& mounts,
                                            const std::string& dir, dev_t dev) {
  // Later entries are mounted on top of earlier ones; the last one on dir is visible.
  std::optional<sys::MountEntry> found;
  const sys::MountEntry* top = nullptr;
  for (const auto& m : mounts) {
    if (m.target != dir) continue;
    if (top != nullptr && is_ours(os, *top, dev)) found = *top;
    top = &m;
  }
  return found;
}

}  // namespace sft::filesystem
