#pragma once
// FakeSystem: the System seam in memory, for unit tests. Everything a test sees is a
// public member it can seed and inspect; a test that needs something else derives
// and overrides one method (the leveldb EnvWrapper way).
//
//   clock      now() starts at an arbitrary point and moves only through sleep_for()
//   files      path -> content (read_file, read_at) and path -> FileStat (stat);
//              list_dir() lists the children of a path found in either map;
//              links are symbolic links real_path() resolves (stat does not)
//   /proc      processes (pid -> FakeProcess) serve /proc, /proc/<pid>/{comm,maps},
//              stat() of /proc/<pid>/{cwd,root,exe,fd/N} and list_dir(/proc/<pid>/fd)
//   mounts     a mount table rendered as /proc/self/mountinfo; mount() appends to
//              it, umount() removes from it (Errc::busy while a process holds the
//              filesystem, through any of its mounts, or something is mounted below)
//   processes  run() records argv and answers from `programs` (exit 0 otherwise)
//   children   run_in_child() runs the function here, or returns `child_result`
//   signals    kill() records (pid, signal, time); a process dies on its signals

#include <sys/sysmacros.h>

#include <csignal>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "core/sys/mounts.h"
#include "core/sys/system.h"
#include "tests/fakes/printing.h"

namespace sft::fakes {

using sys::Clock;
using sys::Millis;

struct FakeProcess {
  std::string comm = "sleep";
  dev_t cwd = 0;  // device of the current directory (0: elsewhere)
  dev_t root = 0;
  dev_t exe = 0;
  std::map<int, dev_t> fds{};               // fd -> device of the open file
  std::string maps{};                       // /proc/<pid>/maps text
  std::set<int> dies_on{SIGTERM, SIGKILL};  // {SIGKILL}: ignores TERM; {}: stuck in D state
};

struct SentSignal {
  pid_t pid;
  int signal;
  Millis at;  // time since the fake clock started
  bool operator==(const SentSignal&) const = default;
  friend std::ostream& operator<<(std::ostream& os, const SentSignal& s) {
    return os << "{pid " << s.pid << ", signal " << s.signal << ", at " << s.at.count() << " ms}";
  }
};

class FakeSystem : public sys::System {
 public:
  // A block device node: stat() shows it with rdev = dev.
  void add_block_device(const std::string& path, dev_t dev);
  void add_dir(const std::string& path);
  // An executable regular file (a tool find_program can find).
  void add_program(const std::string& path);
  // A mount as the kernel would show it; the id and parent are made up.
  void add_mount(const std::string& source, const std::string& target, dev_t dev, const std::string& fstype,
                 const std::string& root = "/");
  // The mount table as mountinfo text (what read_file("/proc/self/mountinfo") returns).
  std::string mountinfo() const;
  // True when a process uses a file on dev (what makes umount busy).
  bool held(dev_t dev) const;
  // Time since the fake clock started.
  Millis elapsed() const { return std::chrono::duration_cast<Millis>(m_now - k_epoch); }
  // The recorded commands as lines: "e2fsck -p /dev/drbd0".
  std::vector<std::string> command_lines() const;

  Clock::time_point now() override { return m_now; }
  void sleep_for(Millis d) override { m_now += d; }

  Result<std::string> read_file(const std::string& path) override;
  Result<sys::FileStat> stat(const std::string& path) override;
  Result<std::vector<std::string>> list_dir(const std::string& path) override;
  Result<std::string> read_at(const std::string& path, off_t offset, size_t size) override;
  Result<void> make_dirs(const std::string& path, mode_t mode) override;
  // Stores into `files` with stats[path] = {regular file, mode, owner `uid`}.
  Result<void> write_file(const std::string& path, std::string_view content, mode_t mode) override;
  Result<void> remove_file(const std::string& path) override;
  std::time_t wall_time() override { return wall_epoch + elapsed().count() / 1000; }
  Result<std::string> real_path(const std::string& path) override;
  std::string kernel_release() override { return "6.1.0-fake"; }
  std::string hostname() override { return "node1"; }

  Result<sys::ProcessResult> run(const std::vector<std::string>& argv, const sys::Deadline& d) override;
  Result<int> run_in_child(const std::function<int()>& fn, const sys::Deadline& d) override;
  Result<void> kill(pid_t pid, int signal) override;
  pid_t self_pid() override { return self; }

  Result<void> mount(const sys::MountRequest& request) override;
  Result<void> umount(const std::string& target) override;
  Result<std::string> resolve_device(const std::string& spec, const sys::Deadline& d) override;

  // Seeds: what the system holds.
  std::map<std::string, std::string> files;
  std::map<std::string, sys::FileStat> stats;
  std::map<pid_t, FakeProcess> processes;
  std::vector<sys::MountEntry> mounts;
  std::map<std::string, std::string> tags;   // "LABEL=data" -> "/dev/drbd0"
  std::optional<Error> resolve_error;         // resolve_device of a tag fails with it
  std::map<std::string, std::string> links;  // symbolic links, absolute: "/data" -> "/srv/data"
  pid_t self = 4242;
  std::time_t wall_epoch = 1700000000;  // the wall clock at the fake clock's start
  uid_t uid = 0;  // the caller's user: owner of what write_file and make_dirs create

  // Scripts: how the system answers. `programs` is keyed by the basename of argv[0].
  std::map<std::string, Result<sys::ProcessResult>> programs;
  std::optional<Result<int>> child_result;  // nullopt: run the function in-process
  bool child_hangs = false;                 // run_in_child spends the deadline, then times out
  std::optional<Error> mount_error;

  // Records: what was asked of it.
  std::vector<std::vector<std::string>> commands;
  int children = 0;
  std::vector<SentSignal> signals;
  std::vector<sys::MountRequest> mount_requests;
  std::vector<std::string> umounts;
  std::vector<std::string> made_dirs;

 private:
  static constexpr Clock::time_point k_epoch{std::chrono::hours(1000)};
  Clock::time_point m_now = k_epoch;
  int m_next_mount_id = 100;
};

}  // namespace sft::fakes
