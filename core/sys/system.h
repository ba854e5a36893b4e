#pragma once
// The operating system behind one narrow interface, passed in from main. Agents never
// call the OS directly, so every decision is testable with a fake (tests/fakes) and the
// same binary is testable for real. RealSystem (real_system.h) is the implementation.

#include <sys/types.h>

#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/sys/clock.h"
#include "core/sys/deadline.h"

namespace sft::sys {

struct FileStat {
  dev_t dev = 0;   // device of the filesystem holding the file
  dev_t rdev = 0;  // for device nodes: the device itself
  mode_t mode = 0;
  uid_t uid = 0;   // owner
  bool is_block() const;
  bool is_dir() const;
};

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
  bool ok() const { return exit_code == 0; }
};

struct MountRequest {
  std::string source;   // a device path
  std::string target;
  std::string fstype;
  std::string options;  // comma-separated, as in fstab; handed to libmount, never a shell
};

class System : public TimeSource {
 public:
  // Files. Paths are used as given; stat follows symbolic links.
  virtual Result<std::string> read_file(const std::string& path) = 0;
  virtual Result<FileStat> stat(const std::string& path) = 0;
  virtual Result<std::vector<std::string>> list_dir(const std::string& path) = 0;
  // Reads up to `size` bytes at `offset` (a superblock, say) without reading the rest.
  virtual Result<std::string> read_at(const std::string& path, off_t offset, size_t size) = 0;
  virtual Result<void> make_dirs(const std::string& path, mode_t mode) = 0;
  // Replaces path atomically with content (a new file in the same directory, written,
  // synced and renamed over it), created with `mode` and owned by the caller. The
  // directory must exist.
  virtual Result<void> write_file(const std::string& path, std::string_view content, mode_t mode) = 0;
  // Removes a file; a file that is already gone is not an error.
  virtual Result<void> remove_file(const std::string& path) = 0;
  // The absolute path with symbolic links, "." and ".." resolved (realpath(3)); fails
  // like stat when the path does not exist.
  virtual Result<std::string> real_path(const std::string& path) = 0;
  virtual std::string kernel_release() = 0;
  // Seconds since the epoch by the wall clock (dates in requests, token expiry);
  // now() is the monotonic clock every deadline uses.
  virtual std::time_t wall_time() = 0;
  virtual std::string hostname() = 0;

  // Runs argv[0] (searched in PATH) with argv, no shell. Output is captured. At the
  // deadline the process is killed and Errc::timeout returned.
  virtual Result<ProcessResult> run(const std::vector<std::string>& argv, const Deadline& d) = 0;
  // Runs fn in a forked child and returns its result (0-255). At the deadline the child
  // is killed and abandoned (it may sit in uninterruptible I/O) and Errc::timeout
  // returned, so a hung device cannot hold the caller.
  virtual Result<int> run_in_child(const std::function<int()>& fn, const Deadline& d) = 0;
  virtual Result<void> kill(pid_t pid, int signal) = 0;
  virtual pid_t self_pid() = 0;

  // Mounts through libmount. Errors name the device, the target and the kernel's reason.
  virtual Result<void> mount(const MountRequest& request) = 0;
  // Unmounts target (no lazy or forced unmount); Errc::busy when it is in use.
  virtual Result<void> umount(const std::string& target) = 0;
  // "LABEL=x" / "UUID=y" (or a path) -> a device path; Errc::not_installed when no
  // device carries it, Errc::timeout when finding out would take past the deadline.
  virtual Result<std::string> resolve_device(const std::string& spec, const Deadline& d) = 0;
};

}  // namespace sft::sys
