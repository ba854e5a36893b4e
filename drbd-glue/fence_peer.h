#pragma once
// DRBD's fence-peer and after-resync-target handlers (/usr/lib/drbd/sft-fence-peer and
// sft-unfence-peer), as functions of the cluster, this node's DRBD state and a deadline.
//
// fence-peer runs when DRBD loses a peer with `fencing resource-only` or
// `resource-and-stonith`, or promotes with a peer unknown. Only a node with UpToDate data
// in a quorate partition fences: it forbids the Promoted role of the resource's
// promotable clone on every node but itself (constraint sft-fence-peer-<resource>),
// then tells DRBD what became of the peer:
//   4  the peer is online in the cluster (only DRBD's link broke): it is outdated by
//      the constraint, which keeps it from being promoted;
//   5  the peer is not online and Pacemaker has not confirmed it down before the
//      deadline; the constraint stays;
//   6  refused: this node's data is not UpToDate, its partition is not quorate, no
//      promotable clone manages the resource, or the CIB cannot be changed;
//   7  the peer is down (fenced or shut down cleanly), as Pacemaker records it.
// after-resync-target runs once this node's data is UpToDate again and removes the
// constraint (only ours, by its id).

#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/pcmk/cluster.h"
#include "core/result.h"
#include "core/sys/clock.h"
#include "drbd-glue/state.h"

namespace sft::drbd {

inline constexpr int k_peer_outdated = 4;
inline constexpr int k_peer_unreachable = 5;
inline constexpr int k_refused = 6;
inline constexpr int k_peer_fenced = 7;

struct FenceRequest {
  std::string resource;
  std::vector<std::string> peers;  // their names in the cluster (DRBD's host names)
  std::vector<int> minors;         // this node's minors of the resource
  sys::Millis timeout{60000};      // how long fence-peer waits for the peer to be confirmed down
};

// From DRBD's environment: DRBD_RESOURCE; the peers from DRBD_PEERS (blank-separated),
// else DRBD_PEER, else DRBD 9's DRBD_PEER_NODE_ID and DRBD_NODE_ID_<id>; the minors
// from DRBD_MINOR_<volume>, else DRBD_MINOR. args: --timeout=SECONDS (default 60; keep
// it below the promote timeout: DRBD runs the handler inside `drbdadm primary`). Errc::invalid_argument
// naming what is missing or malformed.
Result<FenceRequest> parse_request(const std::map<std::string, std::string>& env, std::span<const std::string> args);

std::string constraint_id(const std::string& resource);

struct Verdict {
  int exit_code = k_refused;
  std::string why;  // one line for the log
};

// `local` is this node's state of the resource (an error when it could not be read).
Verdict fence_peer(pcmk::Cluster& cluster, sys::TimeSource& time, const FenceRequest& request,
                   const Result<ResourceState>& local);
// Exit 0 when the constraint is gone (or this node's data is not yet UpToDate, and it
// stays), 1 when the CIB could not be changed.
Verdict unfence_peer(pcmk::Cluster& cluster, sys::TimeSource& time, const FenceRequest& request,
                     const Result<ResourceState>& local);

}  // namespace sft::drbd
