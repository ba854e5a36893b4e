#pragma once
// What a handler gets: typed parameters, the OS seam, its deadline, and what Pacemaker
// said about this invocation (action, interval, check level, meta attributes).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/ocf/params.h"
#include "core/sys/system.h"

namespace sft::ocf {

class Context {
 public:
  Context(const Params& params, sys::System& os, sys::Deadline deadline, const Environment& env, std::string action);

  const Params& params;
  sys::System& os;
  sys::Deadline deadline;
  const Environment& env;
  std::string action;
  std::string instance;                // OCF_RESOURCE_INSTANCE, e.g. "fs1" or "drbd:0"
  std::chrono::milliseconds interval;  // OCF_RESKEY_CRM_meta_interval
  int check_level = 0;                 // OCF_CHECK_LEVEL (0, 10, 20)

  // A probe: a monitor with interval 0, asking "is it running here?" before any start.
  bool is_probe() const { return action == "monitor" && interval.count() == 0; }
  // OCF_RESKEY_CRM_meta_<name>, e.g. meta("clone_max").
  std::optional<std::string> meta(std::string_view name) const;
  bool is_clone() const { return meta("clone_max").has_value(); }
  // Any variable of the agent's environment.
  std::optional<std::string> variable(std::string_view name) const;
  // A helper program's path: PATH as Pacemaker gave it, then the sbin directories.
  // Errc::not_installed naming it when it is nowhere.
  Result<std::string> find_program(std::string_view name) const;
  // sys::run_program and sys::run_checked with that PATH.
  Result<sys::ProcessResult> run_program(std::vector<std::string> argv, const sys::Deadline& d) const;
  Result<std::string> run_checked(std::vector<std::string> argv, const sys::Deadline& d,
                                  std::vector<std::string> shown = {}) const;
};

}  // namespace sft::ocf
