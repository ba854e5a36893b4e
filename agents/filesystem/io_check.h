#pragma once
// Direct-I/O probes of the device and the mounted filesystem. They run in a forked
// child (System::run_in_child) because I/O to a hung device blocks uninterruptibly:
// the agent abandons the child at its deadline and still answers Pacemaker.

#include <string>

namespace sft::filesystem {

// Results the child returns as its exit code.
enum IoResult : int {
  io_ok = 0,
  io_open_failed = 1,
  io_read_failed = 2,
  io_write_failed = 3,
  io_mismatch = 4,
  io_mkdir_failed = 5,
  io_unsafe_dir = 6,
};
// Added to write_status_file's result when one child runs both probes, so the exit
// code says which of them failed.
constexpr int io_status_file = 10;

// Reads the first 4 KiB of `device` with O_DIRECT.
int read_device_block(const std::string& device);
// Writes a 4 KiB block carrying `stamp` to root/relative with O_DIRECT|O_SYNC (plain
// O_SYNC where the filesystem refuses O_DIRECT), then reads it back and compares. The
// directories of `relative` are created (0700) and must be root's; no symbolic link
// is followed below `root`, so a user of the filesystem cannot aim the write elsewhere.
int write_status_file(const std::string& root, const std::string& relative, const std::string& stamp);

std::string describe(IoResult r);

}  // namespace sft::filesystem
