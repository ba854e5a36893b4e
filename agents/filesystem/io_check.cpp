#include "agents/filesystem/io_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

namespace sft::filesystem {
namespace {

constexpr size_t k_block = 4096;

struct AlignedFree {
  void operator()(char* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<char, AlignedFree>;

Buffer aligned_block() {
  void* p = nullptr;
  if (posix_memalign(&p, k_block, k_block) != 0) return nullptr;
  std::memset(p, 0, k_block);
  return Buffer(static_cast<char*>(p));
}

int open_direct(int dir_fd, const std::string& name, int flags) {
  int fd = ::openat(dir_fd, name.c_str(), flags | O_DIRECT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0 && errno == EINVAL) fd = ::openat(dir_fd, name.c_str(), flags | O_CLOEXEC | O_NOFOLLOW, 0600);
  return fd;
}

// Walks (creating) the directories of `relative` below the open directory `fd`; returns
// the last one's descriptor or -IoResult.
int open_status_dir(int fd, std::string_view relative) {
  while (true) {
    const size_t slash = relative.find('/');
    if (slash == std::string_view::npos) return fd;
    const std::string part(relative.substr(0, slash));
    relative.remove_prefix(slash + 1);
    if (part.empty() || part == ".") continue;
    if (::mkdirat(fd, part.c_str(), 0700) != 0 && errno != EEXIST) return ::close(fd), -io_mkdir_failed;
    const int next = ::openat(fd, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    ::close(fd);
    struct stat st {};
    if (next < 0 || ::fstat(next, &st) != 0 || st.st_uid != 0 || (st.st_mode & 022) != 0) {
      if (next >= 0) ::close(next);
      return -io_unsafe_dir;
    }
    fd = next;
  }
}

}  // namespace

int read_device_block(const std::string& device) {
  const Buffer buf = aligned_block();
  const int fd = open_direct(AT_FDCWD, device, O_RDONLY);
  if (!buf || fd < 0) return io_open_failed;
  const ssize_t n = ::pread(fd, buf.get(), k_block, 0);
  ::close(fd);
  return n == static_cast<ssize_t>(k_block) ? io_ok : io_read_failed;
}

int write_status_file(const std::string& root, const std::string& relative, const std::string& stamp) {
  const Buffer out = aligned_block();
  const Buffer in = aligned_block();
  if (!out || !in) return io_open_failed;
  std::memcpy(out.get(), stamp.data(), std::min(stamp.size(), k_block - 1));
  const int root_fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) return io_open_failed;
  const int dir = open_status_dir(root_fd, relative);
  if (dir < 0) return -dir;
  const std::string name = relative.substr(relative.rfind('/') + 1);
  int fd = open_direct(dir, name, O_WRONLY | O_CREAT | O_TRUNC | O_SYNC);
  if (fd < 0) return ::close(dir), io_open_failed;
  const ssize_t written = ::pwrite(fd, out.get(), k_block, 0);
  ::close(fd);
  if (written != static_cast<ssize_t>(k_block)) return ::close(dir), io_write_failed;
  fd = open_direct(dir, name, O_RDONLY);
  ::close(dir);
  if (fd < 0) return io_open_failed;
  const ssize_t read_back = ::pread(fd, in.get(), k_block, 0);
  ::close(fd);
  if (read_back != static_cast<ssize_t>(k_block)) return io_read_failed;
  return std::memcmp(out.get(), in.get(), k_block) == 0 ? io_ok : io_mismatch;
}

std::string describe(IoResult r) {
  switch (r) {
    case io_ok: return "ok";
    case io_open_failed: return "could not open";
    case io_read_failed: return "read failed";
    case io_write_failed: return "write failed";
    case io_mismatch: return "read back different data";
    case io_mkdir_failed: return "could not create the status directory";
    case io_unsafe_dir: return "a status directory is a symbolic link, or not root's, or writable by others";
  }
  return "failed";
}

}  // namespace sft::filesystem
