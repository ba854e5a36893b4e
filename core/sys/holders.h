#pragma once
// Which processes keep a filesystem busy, found by scanning /proc in-process (no fuser,
// no lsof). Works across mount namespaces: /proc/<pid>/{cwd,root,exe,fd/*} resolve in
// the process's own namespace, and memory maps carry the device number.

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/sys/system.h"

namespace sft::sys {

struct Holder {
  pid_t pid = 0;
  std::string command;  // /proc/<pid>/comm
  std::string how;      // "cwd", "root", "exe", "fd 3", "mmap"
};

// Processes using files on the filesystem with device number `dev`, except ourselves.
// Processes that vanish during the scan are skipped; unreadable ones too (we run as
// root; a race is the only way to fail there).
std::vector<Holder> find_holders(System& os, dev_t dev);

// "1234 (sleep, cwd), 99 (postgres, fd 7)" for logs and exit reasons, at most `limit`.
std::string describe(const std::vector<Holder>& holders, size_t limit = 5);

// Device numbers in a /proc/<pid>/maps text ("fd:01" fields), as dev_t.
std::vector<dev_t> mapped_devices(std::string_view maps);

}  // namespace sft::sys
