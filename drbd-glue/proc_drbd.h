#pragma once
// DRBD 8.4's own views: /proc/drbd and drbd-utils' `drbdadm role|cstate|dstate`.
//
// /proc/drbd names the kernel module's version on every DRBD; on 8.4 it also has a line
// per configured minor (DRBD 9 moved that to drbdsetup):
//
//   version: 8.4.11 (api:1/proto:86-101)
//   srcversion: F73C670A7EC572DB9CF3E5B
//    0: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----
//       ns:32728 nr:0 dw:0 dr:32728 al:8 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0
//
// A minor that is not configured leaves a blank line, or reads "cs:Unconfigured".

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "drbd-glue/state.h"

namespace sft::drbd {

struct KernelVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
  auto operator<=>(const KernelVersion&) const = default;
};

// "8.4.11"
std::string to_string(const KernelVersion& v);
// "8.4.11", "9.2.8-rc.1" (the three leading numbers), "9.2" (patch 0); nullopt otherwise.
std::optional<KernelVersion> parse_kernel_version(std::string_view text);

// 8.4's connection word (cs:, drbdadm cstate) as DRBD 9's pair: WFConnection and
// WFReportParams are connecting; Connected is connected and established; a replication
// word (SyncSource, PausedSyncT, Ahead...) is connected with that replication; the rest
// (StandAlone, Unconnected, NetworkFailure...) are that connection state, replication off.
// An unknown word gives unrecognised for both.
std::pair<ConnectionState, ReplicationState> parse_connection_84(std::string_view word);

// One minor's line.
struct MinorStatus {
  int minor = 0;
  std::pair<ConnectionState, ReplicationState> connection;
  Role role = Role::unrecognised;
  Role peer_role = Role::unrecognised;
  DiskState disk = DiskState::unrecognised;
  DiskState peer_disk = DiskState::unrecognised;
};

struct ProcDrbd {
  KernelVersion version;
  std::vector<MinorStatus> minors;  // configured minors only; always empty on DRBD 9
};

// Errc::generic naming the line when the version line is missing or malformed, or a
// minor's line lacks cs:, ro: or ds:. Progress and counter lines are skipped.
Result<ProcDrbd> parse_proc_drbd(std::string_view text);

// `drbdadm sh-minor RESOURCE`: one minor per line, its volumes in order. Errc::generic
// when a line is not a minor or there is none.
Result<std::vector<int>> parse_sh_minor(std::string_view text);

// An 8.4 resource made of `minors` (its volumes, in order: `drbdadm sh-minor`), from
// /proc/drbd: one peer without name or node-id, no DRBD quorum. Errc::not_running when
// none of the minors is configured; Errc::generic when only some are.
Result<ResourceState> resource_from_proc(std::string name, const ProcDrbd& proc, std::span<const int> minors);

// `drbdadm role|dstate RESOURCE` on 8.4: one "Mine/Peer" line per volume. dstate of a
// resource that is down reads the meta data and prints one word (e.g. "Consistent"):
// that is not a live state and is an Errc::not_running here.
Result<std::vector<std::pair<Role, Role>>> parse_drbdadm_role(std::string_view text);
Result<std::vector<std::pair<DiskState, DiskState>>> parse_drbdadm_dstate(std::string_view text);
// `drbdadm cstate RESOURCE` on 8.4: one word per volume, as parse_connection_84.
Result<std::vector<std::pair<ConnectionState, ReplicationState>>> parse_drbdadm_cstate(std::string_view text);

}  // namespace sft::drbd
