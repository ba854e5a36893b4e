#pragma once
// The System seam on the real operating system (Linux).

#include "core/sys/system.h"

namespace sft::sys {

class RealSystem : public System {
 public:
  Clock::time_point now() override;
  void sleep_for(Millis d) override;

  Result<std::string> read_file(const std::string& path) override;
  Result<FileStat> stat(const std::string& path) override;
  Result<std::vector<std::string>> list_dir(const std::string& path) override;
  Result<std::string> read_at(const std::string& path, off_t offset, size_t size) override;
  Result<void> make_dirs(const std::string& path, mode_t mode) override;
  Result<void> write_file(const std::string& path, std::string_view content, mode_t mode) override;
  Result<void> remove_file(const std::string& path) override;
  std::time_t wall_time() override;
  Result<std::string> real_path(const std::string& path) override;
  std::string kernel_release() override;
  std::string hostname() override;

  Result<ProcessResult> run(const std::vector<std::string>& argv, const Deadline& d) override;
  Result<int> run_in_child(const std::function<int()>& fn, const Deadline& d) override;
  Result<void> kill(pid_t pid, int signal) override;
  pid_t self_pid() override;

  Result<void> mount(const MountRequest& request) override;
  Result<void> umount(const std::string& target) override;
  Result<std::string> resolve_device(const std::string& spec, const Deadline& d) override;
};

}  // namespace sft::sys
