#include "tests/fakes/fake_system.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include "core/sys/holders.h"

namespace sft::fakes {
namespace {

// "/proc/123/fd/4" -> {123, "fd/4"}; nullopt for paths outside a pid directory.
std::optional<std::pair<pid_t, std::string>> proc_path(std::string_view path) {
  if (!path.starts_with("/proc/")) return std::nullopt;
  path.remove_prefix(6);
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), pid);
  if (ec != std::errc{} || end == path.data()) return std::nullopt;
  std::string_view rest(end, static_cast<size_t>(path.data() + path.size() - end));
  if (!rest.empty() && rest.front() != '/') return std::nullopt;
  if (!rest.empty()) rest.remove_prefix(1);
  return std::pair{pid, std::string(rest)};
}

// mountinfo escapes white space and backslashes as octal.
std::string escape(const std::string& field) {
  std::string out;
  for (char c : field) {
    if (c == ' ')
      out += "\\040";
    else if (c == '\t')
      out += "\\011";
    else if (c == '\n')
      out += "\\012";
    else if (c == '\\')
      out += "\\134";
    else
      out += c;
  }
  return out;
}

std::unexpected<Error> missing(const std::string& path) { return errno_fail(path, ENOENT); }

}  // namespace

void FakeSystem::add_block_device(const std::string& path, dev_t dev) {
  stats[path] = sys::FileStat{.dev = makedev(0, 5), .rdev = dev, .mode = S_IFBLK | 0660};
}

void FakeSystem::add_dir(const std::string& path) { stats[path] = sys::FileStat{.mode = S_IFDIR | 0755}; }

void FakeSystem::add_program(const std::string& path) { stats[path] = sys::FileStat{.mode = S_IFREG | 0755}; }

void FakeSystem::add_mount(const std::string& source, const std::string& target, dev_t dev, const std::string& fstype,
                           const std::string& root) {
  sys::MountEntry m;
  m.id = m_next_mount_id++;
  m.parent_id = 1;
  m.dev = dev;
  m.root = root;
  m.target = target;
  m.fstype = fstype;
  m.source = source;
  m.vfs_options = "rw,relatime";
  m.fs_options = "rw";
  mounts.push_back(std::move(m));
}

std::string FakeSystem::mountinfo() const {
  std::string text;
  for (const auto& m : mounts) {
    text += std::to_string(m.id) + " " + std::to_string(m.parent_id) + " " + std::to_string(major(m.dev)) + ":" +
            std::to_string(minor(m.dev)) + " " + escape(m.root) + " " + escape(m.target) + " " +
            (m.vfs_options.empty() ? "rw" : m.vfs_options) + " - " + m.fstype + " " + escape(m.source) + " " +
            (m.fs_options.empty() ? "rw" : m.fs_options) + "\n";
  }
  return text;
}

std::vector<std::string> FakeSystem::command_lines() const {
  std::vector<std::string> lines;
  for (const auto& argv : commands) {
    std::string line;
    for (const auto& arg : argv) line += (line.empty() ? "" : " ") + arg;
    lines.push_back(line);
  }
  return lines;
}

bool FakeSystem::held(dev_t dev) const {
  return std::any_of(processes.begin(), processes.end(), [dev](const auto& entry) {
    const FakeProcess& p = entry.second;
    const auto devs = sys::mapped_devices(p.maps);
    return p.cwd == dev || p.root == dev || p.exe == dev ||
           std::any_of(p.fds.begin(), p.fds.end(), [dev](const auto& fd) { return fd.second == dev; }) ||
           std::find(devs.begin(), devs.end(), dev) != devs.end();
  });
}

Result<std::string> FakeSystem::read_file(const std::string& path) {
  if (path == "/proc/self/mountinfo") return mountinfo();
  if (auto pp = proc_path(path)) {
    const auto it = processes.find(pp->first);
    if (it == processes.end()) return missing(path);
    if (pp->second == "comm") return it->second.comm + "\n";
    if (pp->second == "maps") return it->second.maps;
    return missing(path);
  }
  const auto it = files.find(path);
  if (it == files.end()) return missing(path);
  return it->second;
}

Result<sys::FileStat> FakeSystem::stat(const std::string& path) {
  if (auto pp = proc_path(path)) {
    const auto it = processes.find(pp->first);
    if (it == processes.end()) return missing(path);
    const FakeProcess& p = it->second;
    const auto& what = pp->second;
    if (what == "cwd") return sys::FileStat{.dev = p.cwd, .mode = S_IFDIR | 0755};
    if (what == "root") return sys::FileStat{.dev = p.root, .mode = S_IFDIR | 0755};
    if (what == "exe") return sys::FileStat{.dev = p.exe, .mode = S_IFREG | 0755};
    if (what.starts_with("fd/")) {
      const auto fd = p.fds.find(std::atoi(what.c_str() + 3));
      if (fd == p.fds.end()) return missing(path);
      return sys::FileStat{.dev = fd->second, .mode = S_IFREG | 0644};
    }
    return missing(path);
  }
  if (const auto it = stats.find(path); it != stats.end()) return it->second;
  if (files.contains(path)) return sys::FileStat{.mode = S_IFREG | 0644};
  return missing(path);
}

Result<std::vector<std::string>> FakeSystem::list_dir(const std::string& path) {
  if (auto pp = proc_path(path)) {
    const auto it = processes.find(pp->first);
    if (it == processes.end() || pp->second != "fd") return missing(path);
    std::vector<std::string> fds;
    for (const auto& [fd, dev] : it->second.fds) fds.push_back(std::to_string(fd));
    return fds;
  }
  std::set<std::string> names;
  if (path == "/proc")
    for (const auto& [pid, p] : processes) names.insert(std::to_string(pid));
  const std::string prefix = path == "/" ? "/" : path + "/";
  const auto child = [&](const std::string& key) {
    if (key.size() > prefix.size() && key.starts_with(prefix))
      names.insert(key.substr(prefix.size(), key.find('/', prefix.size()) - prefix.size()));
  };
  for (const auto& [key, content] : files) child(key);
  for (const auto& [key, st] : stats) child(key);
  const auto self_stat = stats.find(path);
  if (names.empty() && (self_stat == stats.end() || !self_stat->second.is_dir())) return missing(path);
  return std::vector<std::string>(names.begin(), names.end());
}

Result<std::string> FakeSystem::read_at(const std::string& path, off_t offset, size_t size) {
  auto content = read_file(path);
  if (!content) return content;
  const auto from = std::min(static_cast<size_t>(offset), content->size());
  return content->substr(from, size);
}

Result<void> FakeSystem::write_file(const std::string& path, std::string_view content, mode_t mode) {
  files[path] = std::string(content);
  stats[path] = sys::FileStat{.mode = static_cast<mode_t>(S_IFREG | mode), .uid = uid};
  return {};
}

Result<void> FakeSystem::remove_file(const std::string& path) {
  files.erase(path);
  stats.erase(path);
  return {};
}

Result<void> FakeSystem::make_dirs(const std::string& path, mode_t mode) {
  made_dirs.push_back(path);
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    const std::string part = path.substr(0, pos);
    if (!stats.contains(part)) stats[part] = sys::FileStat{.mode = static_cast<mode_t>(S_IFDIR | mode), .uid = uid};
  }
  return {};
}

Result<std::string> FakeSystem::real_path(const std::string& path) {
  std::string p = sys::normalize_path(path);
  for (int hops = 0; hops < 40; ++hops) {  // as the kernel, give up on link loops
    const auto link = std::find_if(links.begin(), links.end(),
                                   [&](const auto& l) { return p == l.first || p.starts_with(l.first + "/"); });
    if (link == links.end()) {
      if (p != "/" && !stat(p)) return missing(path);
      return p;
    }
    p = sys::normalize_path(link->second + p.substr(link->first.size()));
  }
  return errno_fail(path, ELOOP);
}

Result<sys::ProcessResult> FakeSystem::run(const std::vector<std::string>& argv, const sys::Deadline&) {
  commands.push_back(argv);
  if (argv.empty()) return fail(Errc::invalid_argument, "run: empty command");
  const std::string name = argv[0].substr(argv[0].rfind('/') + 1);
  if (const auto it = programs.find(name); it != programs.end()) return it->second;
  return sys::ProcessResult{.exit_code = 0, .out = "", .err = ""};
}

Result<int> FakeSystem::run_in_child(const std::function<int()>& fn, const sys::Deadline& d) {
  ++children;
  if (child_hangs) {
    sleep_for(d.remaining());
    return fail(Errc::timeout, "child 31337 did not finish before the deadline");
  }
  if (child_result) return *child_result;
  return fn() & 0xff;
}

Result<void> FakeSystem::kill(pid_t pid, int signal) {
  signals.push_back({pid, signal, elapsed()});
  if (const auto it = processes.find(pid); it != processes.end() && it->second.dies_on.contains(signal))
    processes.erase(it);
  return {};
}

Result<void> FakeSystem::mount(const sys::MountRequest& r) {
  mount_requests.push_back(r);
  if (mount_error) return std::unexpected(*mount_error);
  if (!stat(r.target)) return errno_fail("mount " + r.source + " on " + r.target, ENOENT);
  const auto st = stat(r.source);
  add_mount(r.source, r.target, st && st->is_block() ? st->rdev : 0, r.fstype);
  return {};
}

Result<void> FakeSystem::umount(const std::string& target) {
  umounts.push_back(target);
  const std::string dir = sys::normalize_path(target);
  const auto top = std::find_if(mounts.rbegin(), mounts.rend(), [&](const auto& m) { return m.target == dir; });
  if (top == mounts.rend()) return errno_fail("umount " + target, EINVAL);
  if (!sys::mounts_below(mounts, dir).empty() || held(top->dev)) return errno_fail("umount " + target, EBUSY);
  mounts.erase(std::next(top).base());
  return {};
}

Result<std::string> FakeSystem::resolve_device(const std::string& spec, const sys::Deadline&) {
  if (spec.starts_with("/")) return spec;
  if (resolve_error) return std::unexpected(*resolve_error);
  const auto it = tags.find(spec);
  if (it == tags.end()) return fail(Errc::not_installed, "no device carries " + spec);
  return it->second;
}

}  // namespace sft::fakes
