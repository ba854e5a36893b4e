// Which device the resource means, and whether a mount is of it.
#include "agents/filesystem/filesystem.h"

namespace sft::filesystem {

Result<dev_t> device_number(Context& cx) {
  const std::string& spec = cx.params.str("device");
  auto path = cx.os.resolve_device(spec);
  if (!path) return std::unexpected(path.error());
  auto st = cx.os.stat(*path);
  if (!st) return fail(Errc::not_installed, "device " + spec + " does not exist: " + st.error().message);
  if (!st->is_block()) return fail(Errc::configuration, "device " + spec + " is not a block device");
  return st->rdev;
}

bool is_ours(sys::System& os, const sys::MountEntry& m, dev_t dev) {
  if (m.dev == dev) return true;
  if (!m.source.starts_with("/")) return false;
  auto st = os.stat(m.source);
  return st && st->is_block() && st->rdev == dev;
}

}  // namespace sft::filesystem
