#include "agents/filesystem/io_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

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

int open_direct(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_DIRECT | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EINVAL) fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  return fd;
}

}  // namespace

int read_device_block(const std::string& device) {
  const Buffer buf = aligned_block();
  const int fd = open_direct(device, O_RDONLY);
  if (!buf || fd < 0) return io_open_failed;
  const ssize_t n = ::pread(fd, buf.get(), k_block, 0);
  ::close(fd);
  return n == static_cast<ssize_t>(k_block) ? io_ok : io_read_failed;
}

int write_status_file(const std::string& dir, const std::string& path, const std::string& stamp) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return io_mkdir_failed;
  const Buffer out = aligned_block();
  const Buffer in = aligned_block();
  if (!out || !in) return io_open_failed;
  std::memcpy(out.get(), stamp.data(), std::min(stamp.size(), k_block - 1));
  int fd = open_direct(path, O_WRONLY | O_CREAT | O_TRUNC | O_SYNC);
  if (fd < 0) return io_open_failed;
  const ssize_t written = ::pwrite(fd, out.get(), k_block, 0);
  ::close(fd);
  if (written != static_cast<ssize_t>(k_block)) return io_write_failed;
  fd = open_direct(path, O_RDONLY);
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
  }
  return "failed";
}

}  // namespace sft::filesystem
