// RealSystem: files, clock and identity.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <thread>

#include "core/sys/real_system.h"

namespace sft::sys {

bool FileStat::is_block() const { return S_ISBLK(mode); }
bool FileStat::is_dir() const { return S_ISDIR(mode); }

Clock::time_point RealSystem::now() { return Clock::now(); }
void RealSystem::sleep_for(Millis d) { std::this_thread::sleep_for(d); }

Result<std::string> RealSystem::read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_fail(path, errno);
  // Large reads: /proc tables are generated per read() call, so one big read sees
  // one consistent snapshot where small reads could interleave with changes.
  // Not zero-filled: only the pages the kernel writes into are ever touched.
  constexpr size_t k_chunk = 1 << 20;
  const auto buf = std::make_unique_for_overwrite<char[]>(k_chunk);
  std::string data;
  for (;;) {
    const ssize_t n = ::read(fd, buf.get(), k_chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return errno_fail(path, err);
    }
    if (n == 0) break;
    data.append(buf.get(), static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

std::time_t RealSystem::wall_time() { return ::time(nullptr); }

Result<void> RealSystem::write_file(const std::string& path, std::string_view content, mode_t mode) {
  // A unique name beside the target, so rename() is atomic and a reader sees either
  // the old file or the whole new one.
  std::string tmp = path + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return errno_fail(path, errno);
  auto fail_with = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return errno_fail(path, err);
  };
  if (::fchmod(fd, mode) != 0) return fail_with(errno);
  for (size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_with(errno);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail_with(errno);
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return errno_fail(path, err);
  }
  return {};
}

Result<void> RealSystem::remove_file(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errno_fail(path, errno);
  return {};
}

Result<std::string> RealSystem::read_at(const std::string& path, off_t offset, size_t size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_fail(path, errno);
  std::string data(size, '\0');
  const ssize_t n = ::pread(fd, data.data(), size, offset);
  const int err = errno;
  ::close(fd);
  if (n < 0) return errno_fail(path, err);
  data.resize(static_cast<size_t>(n));
  return data;
}

Result<FileStat> RealSystem::stat(const std::string& path) {
  // Cached attributes only (AT_STATX_DONT_SYNC): type and device numbers never change,
  // and a hung NFS or FUSE server must not hang a holder scan of /proc/*/fd.
  struct statx st {};
  if (::statx(AT_FDCWD, path.c_str(), AT_STATX_DONT_SYNC | AT_NO_AUTOMOUNT, STATX_TYPE | STATX_MODE | STATX_UID, &st) != 0)
    return errno_fail(path, errno);
  return FileStat{makedev(st.stx_dev_major, st.stx_dev_minor), makedev(st.stx_rdev_major, st.stx_rdev_minor),
                  st.stx_mode, st.stx_uid};
}

Result<std::vector<std::string>> RealSystem::list_dir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return errno_fail(path, errno);
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(dir)) {
    const std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(dir);
  return names;
}

Result<void> RealSystem::make_dirs(const std::string& path, mode_t mode) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    const std::string part = path.substr(0, pos);
    if (::mkdir(part.c_str(), mode) != 0 && errno != EEXIST) return errno_fail(part, errno);
  }
  return {};
}

Result<std::string> RealSystem::real_path(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return errno_fail(path, errno);
  std::string out(resolved);
  std::free(resolved);
  return out;
}

std::string RealSystem::kernel_release() {
  struct utsname u {};
  return ::uname(&u) == 0 ? u.release : "";
}

Result<void> RealSystem::kill(pid_t pid, int signal) {
  if (::kill(pid, signal) != 0 && errno != ESRCH)
    return errno_fail("kill " + std::to_string(pid), errno);
  return {};
}

std::string RealSystem::hostname() {
  struct utsname u {};
  return ::uname(&u) == 0 ? u.nodename : "";
}

pid_t RealSystem::self_pid() { return ::getpid(); }

}  // namespace sft::sys
