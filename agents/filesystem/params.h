#pragma once
// Every parameter ocf:sft:Filesystem's code reads, typed. spec.cpp names the meta-data's
// parameters after these, and core/ocf checks the two against each other before any
// action runs.

#include <chrono>
#include <string>

#include "core/ocf/params.h"

namespace sft::filesystem {

ocf::ParamNames& param_names();

namespace param {
inline const ocf::Param<std::string> device{param_names(), "device"};
inline const ocf::Param<std::string> directory{param_names(), "directory"};
inline const ocf::Param<std::string> fstype{param_names(), "fstype"};
inline const ocf::Param<std::string> options{param_names(), "options"};
inline const ocf::Param<std::string> run_fsck{param_names(), "run_fsck"};
inline const ocf::Param<std::string> force_unmount{param_names(), "force_unmount"};
inline const ocf::Param<std::string> term_signals{param_names(), "term_signals"};
inline const ocf::Param<std::string> kill_signals{param_names(), "kill_signals"};
inline const ocf::Param<std::chrono::milliseconds> signal_delay{param_names(), "signal_delay"};
inline const ocf::Param<std::string> statusfile_prefix{param_names(), "statusfile_prefix"};
inline const ocf::Param<bool> create_directory{param_names(), "create_directory"};
}  // namespace param

}  // namespace sft::filesystem
