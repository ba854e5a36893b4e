#pragma once
// What DRBD's configuration says about fencing, read from `drbdadm dump all` (the
// configuration as drbdadm parsed it: global, common, then each resource), and whether
// that configuration can keep every acknowledged write when the nodes lose each other.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sft::drbd {

// One resource's fencing as configured, its own sections over common's. Empty fields
// were not set (DRBD's defaults: fencing dont-care, no handler, quorum off).
struct FencingConfig {
  std::string fencing;       // dont-care | resource-only | resource-and-stonith
  std::string fence_peer;    // the fence-peer handler's command line
  std::string quorum;        // DRBD 9: off | majority | all | a number
  std::string on_no_quorum;  // DRBD 9: io-error | suspend-io
};

// The resource's fencing from `drbdadm dump all`. Errc::not_installed when the dump has
// no such resource; Errc::generic naming the line when it cannot be read.
Result<FencingConfig> fencing_config(std::string_view dump, std::string_view resource);

// sft-fence-peer's one argument, --timeout=TIME: how long it waits for Pacemaker, from
// 1 s to an hour, read as sft reads every time ("15", "15s", "2min").
// Errc::invalid_argument naming the argument otherwise.
Result<std::chrono::milliseconds> parse_timeout_argument(std::string_view arg);

// The --timeout the fence-peer handler's command line gives sft-fence-peer; nullopt
// without one. Errc::configuration for one the handler refuses: every fence-peer call
// would then fail and leave the Primary's I/O frozen.
Result<std::optional<std::chrono::milliseconds>> handler_timeout(const FencingConfig& config);

// Why `config` cannot keep acknowledged writes when the nodes lose each other, in one
// line naming what to set, or nullopt when it can: `fencing resource-and-stonith` with a
// fence-peer handler (a Primary freezes I/O until the handler knows the peer is
// outdated or powered off), or on DRBD 9 a DRBD quorum. `stonith_enabled` is the
// cluster's property when it could be read: without STONITH nothing powers a lost peer
// off, so nothing can be confirmed.
std::optional<std::string> fencing_problem(const FencingConfig& config, std::string_view resource, int module_major,
                                           std::optional<bool> stonith_enabled);

}  // namespace sft::drbd
