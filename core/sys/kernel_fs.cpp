#include "core/sys/kernel_fs.h"

#include "core/text.h"

namespace sft::sys {

bool filesystem_registered(System& os, std::string_view fstype) {
  const auto table = os.read_file("/proc/filesystems");
  if (!table) return false;
  // Lines are "nodev\ttmpfs" or "\text4".
  for (std::string_view line : split(*table, '\n')) {
    if (const size_t tab = line.rfind('\t'); tab != std::string_view::npos) line.remove_prefix(tab + 1);
    if (line == fstype) return true;
  }
  return false;
}

bool filesystem_loadable(System& os, std::string_view fstype) {
  const std::string dir = "/lib/modules/" + os.kernel_release() + "/";
  const std::string name(fstype);
  if (auto dep = os.read_file(dir + "modules.dep"); dep && dep->find("/" + name + ".ko") != std::string::npos)
    return true;
  auto alias = os.read_file(dir + "modules.alias");
  return alias && alias->find("alias fs-" + name + " ") != std::string::npos;
}

}  // namespace sft::sys
