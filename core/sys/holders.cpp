#include "core/sys/holders.h"

#include "core/text.h"

#include <sys/sysmacros.h>

#include <algorithm>

namespace sft::sys {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool on_device(System& os, const std::string& path, dev_t dev) {
  auto st = os.stat(path);
  return st && st->dev == dev;
}

// The first way pid holds dev, or "" when it does not.
std::string how_held(System& os, const std::string& proc, dev_t dev) {
  for (const char* link : {"cwd", "root", "exe"})
    if (on_device(os, proc + "/" + link, dev)) return link;
  if (auto fds = os.list_dir(proc + "/fd")) {
    for (const auto& fd : *fds)
      if (on_device(os, proc + "/fd/" + fd, dev)) return "fd " + fd;
  }
  if (auto maps = os.read_file(proc + "/maps")) {
    const auto devs = mapped_devices(*maps);
    if (std::find(devs.begin(), devs.end(), dev) != devs.end()) return "mmap";
  }
  return "";
}

}  // namespace

std::vector<dev_t> mapped_devices(std::string_view maps) {
  // address perms offset dev inode path: the fourth field is "major:minor" in hex.
  std::vector<dev_t> devs;
  for (const std::string_view line : split(maps, '\n')) {
    const auto fields = split(line, ' ');
    if (fields.size() < 4) continue;
    const auto numbers = split(fields[3], ':');
    unsigned major_no = 0, minor_no = 0;
    if (numbers.size() != 2 || !parse_number(numbers[0], major_no, 16) || !parse_number(numbers[1], minor_no, 16))
      continue;
    const dev_t d = makedev(major_no, minor_no);
    if (d != 0 && std::find(devs.begin(), devs.end(), d) == devs.end()) devs.push_back(d);
  }
  return devs;
}

std::vector<Holder> find_holders(System& os, dev_t dev) {
  std::vector<Holder> holders;
  auto entries = os.list_dir("/proc");
  if (!entries) return holders;
  const pid_t self = os.self_pid();
  for (const auto& name : *entries) {
    if (!all_digits(name)) continue;
    const pid_t pid = std::stoi(name);
    if (pid == self) continue;
    const std::string proc = "/proc/" + name;
    std::string how = how_held(os, proc, dev);
    if (how.empty()) continue;
    std::string comm = os.read_file(proc + "/comm").value_or("?");
    if (!comm.empty() && comm.back() == '\n') comm.pop_back();
    holders.push_back({pid, std::move(comm), std::move(how)});
  }
  return holders;
}

std::string describe(const std::vector<Holder>& holders, size_t limit) {
  std::string out;
  for (size_t i = 0; i < holders.size() && i < limit; ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(holders[i].pid) + " (" + holders[i].command + ", " + holders[i].how + ")";
  }
  if (holders.size() > limit) out += " and " + std::to_string(holders.size() - limit) + " more";
  return out;
}

}  // namespace sft::sys
