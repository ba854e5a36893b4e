#pragma once
// DRBD's fence-peer and after-resync-target handlers (/usr/lib/drbd/sft-fence-peer and
// sft-unfence-peer), as functions of the cluster, this node's DRBD state and a deadline.
//
// fence-peer runs when DRBD loses a peer with `fencing resource-and-stonith` (a Primary's
// I/O is frozen until the handler answers) or `resource-only`, or promotes with a peer
// unknown. What each answer makes the kernel do (drbd_nl.c, conn_try_outdate_peer):
//   1  "helper broken": nothing changes, frozen I/O stays frozen, a promotion fails;
//   4  the peer's disk is taken as Outdated, I/O resumes;
//   5  the same when this node's disk is UpToDate, else nothing changes;
//   6  THIS node's disk becomes Outdated (never answered: it could outdate the only
//      good copy);
//   7  the peer's disk is taken as Outdated (it was fenced), I/O resumes.
// So this handler answers 4, 5 or 7 only with its constraint in the CIB, and only once
// the peer is known: 4 when the peer is online in the DC's view and its controller
// answers (it sees the constraint, which keeps it from being promoted), 7 when
// Pacemaker records it down (fenced, or shut down cleanly), 5 when it was lost in a
// cluster without fencing (stonith-enabled=false: nothing will ever confirm it, and the
// promise of no lost writes does not hold there). Everything else answers 1 and changes
// no disk: this node's data not UpToDate, no quorum or no DC until the deadline, a CIB
// that cannot be read or written, a constraint of ours that already reserves the
// Promoted role for other nodes (the peer fenced first: this node may be behind), and a
// peer still unclean at the deadline (a Primary stays frozen rather than acknowledge
// writes a peer that wins the fence race would never have). Consistent data with the
// peer confirmed online answers 4, as crm-fence-peer does.
// The constraint, sft-fence-peer-<resource>, forbids the Promoted role of the
// resource's promotable clone on every node but this one. It only ever narrows: an
// existing one that allows this node among others is narrowed to it.
//
// after-resync-target runs once this node's data is UpToDate again: it removes the
// constraint when every peer is Connected with UpToDate disks, else lets this node back
// into it while it is Connected to every node the constraint allows.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/pcmk/cluster.h"
#include "core/result.h"
#include "core/sys/clock.h"
#include "drbd-glue/promote_by.h"
#include "drbd-glue/state.h"

namespace sft::drbd {

inline constexpr int k_helper_failed = 1;
inline constexpr int k_peer_outdated = 4;
inline constexpr int k_peer_unreachable = 5;
inline constexpr int k_outdate_myself = 6;  // part of DRBD's contract; never answered
inline constexpr int k_peer_fenced = 7;

struct FenceRequest {
  std::string resource;
  std::vector<std::string> peers;  // their names in the cluster (DRBD's host names)
  std::vector<int> minors;         // this node's minors of the resource
  // How long fence-peer waits for a DC, and then for the peer to be confirmed; nullopt:
  // until twice the time fencing may take by the CIB (stonith-timeout plus the largest
  // pcmk_delay_max or pcmk_delay_base) plus 30 s, and at least 90 s.
  std::optional<sys::Millis> timeout;
  // The end of the promote that started this handler (ocf:sft:drbd's, read from
  // promote_by_path): fence-peer answers before it, so that a promote fails cleanly
  // rather than time out while DRBD still waits.
  std::optional<sys::Clock::time_point> answer_by;
};

// From DRBD's environment: DRBD_RESOURCE; the peers from DRBD_PEERS (blank-separated),
// else DRBD_PEER, else DRBD 9's DRBD_PEER_NODE_ID and DRBD_NODE_ID_<id>; the minors
// from DRBD_MINOR_<volume>, else DRBD_MINOR. args: --timeout=SECONDS (default: from the
// fencing configuration, above). Errc::invalid_argument naming what is missing or
// malformed. With no peer named, every other node of the cluster is a peer.
Result<FenceRequest> parse_request(const Environment& env, std::span<const std::string> args);

std::string constraint_id(const std::string& resource);

struct Verdict {
  int exit_code = k_helper_failed;
  std::string why;  // one line for the log
};

// `local` is this node's state of the resource (an error when it could not be read).
// Waits at most the request's timeout (see FenceRequest).
Verdict fence_peer(pcmk::Cluster& cluster, sys::TimeSource& time, const FenceRequest& request,
                   const Result<ResourceState>& local);
// Exit 0 when the constraint is gone or was left on purpose (this node's data not yet
// UpToDate, a peer not Connected and UpToDate), 1 when the CIB could not be read or
// changed.
Verdict unfence_peer(pcmk::Cluster& cluster, sys::TimeSource& time, const FenceRequest& request,
                     const Result<ResourceState>& local);

}  // namespace sft::drbd
