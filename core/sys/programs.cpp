#include "core/sys/programs.h"

#include <sys/stat.h>

namespace sft::sys {

Result<std::string> find_program(System& os, std::string_view name, std::string_view path_var) {
  std::string dirs(path_var);
  dirs += ":/usr/sbin:/usr/bin:/sbin:/bin";
  size_t pos = 0;
  while (pos <= dirs.size()) {
    const size_t end = std::min(dirs.find(':', pos), dirs.size());
    const std::string dir = dirs.substr(pos, end - pos);
    pos = end + 1;
    if (dir.empty()) continue;
    const std::string candidate = dir + "/" + std::string(name);
    if (auto st = os.stat(candidate); st && S_ISREG(st->mode) && (st->mode & 0111) != 0) return candidate;
  }
  return fail(Errc::not_installed, std::string(name) + ": not found in " + std::string(path_var));
}

}  // namespace sft::sys
