#pragma once
// Every parameter ocf:sft:drbd's code reads, typed. spec.cpp names the meta-data's
// parameters after these, and core/ocf checks the two against each other before any
// action runs.

#include <chrono>
#include <string>

#include "core/ocf/params.h"

namespace sft::drbd_agent {

ocf::ParamNames& param_names();

namespace param {
inline const ocf::Param<std::string> drbd_resource{param_names(), "drbd_resource"};
inline const ocf::Param<std::string> drbdconf{param_names(), "drbdconf"};
inline const ocf::Param<std::string> adjust_master_score{param_names(), "adjust_master_score"};
inline const ocf::Param<std::chrono::milliseconds> wfc_timeout{param_names(), "wfc_timeout"};
inline const ocf::Param<bool> stop_outdates_secondary{param_names(), "stop_outdates_secondary"};
inline const ocf::Param<std::string> require_drbd_module_version{param_names(), "require_drbd_module_version"};
inline const ocf::Param<bool> promote_diskless{param_names(), "promote_diskless"};
inline const ocf::Param<bool> unsafe_without_fencing{param_names(), "unsafe_without_fencing"};
inline const ocf::Param<bool> require_all_peers_uptodate_to_promote{param_names(),
                                                                    "require_all_peers_uptodate_to_promote"};
}  // namespace param

}  // namespace sft::drbd_agent
