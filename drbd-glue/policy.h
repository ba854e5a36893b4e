#pragma once
// Who may become Primary: the promotion score this node publishes to Pacemaker and the
// check promote makes before `drbdadm primary`. Pure functions of a ResourceState.
//
// Terms used below:
// - A peer *knows* volume v when its connection is Connected and it reports a disk
//   state for v that is recognised and not DUnknown. "Every peer knows v" holds
//   vacuously on a resource without peers.
// - *No quorum* is ResourceState::quorum == false. Unknown quorum (8.4, which has no
//   DRBD quorum) does not withhold anything.
// Replication states and suspended I/O enter neither decision: they are the monitor's
// business (degraded, not demoted).

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "drbd-glue/state.h"

namespace sft::drbd {

// The promotion scores, as ocf:linbit:drbd's adjust_master_score ("0 10 1000 10000"),
// lowest rung first.
struct Ladder {
  int consistent = 0;                // the best local data is Consistent
  int remote_uptodate = 10;          // Diskless here, read through a peer (see Policy)
  int uptodate_peer_unknown = 1000;  // UpToDate, a Secondary, some peer does not know it
  int uptodate = 10000;              // UpToDate, and Primary or every peer knows it
};

// adjust_master_score: four integers separated by blanks, in Ladder's order, each within
// Pacemaker's scores (-1000000..1000000). Errc::invalid_argument naming the parameter
// and the value otherwise. The rungs need not increase.
Result<Ladder> parse_ladder(std::string_view text);

struct Policy {
  Ladder ladder;
  // Promote only while every peer is Connected with every volume UpToDate, so a
  // promotion never leaves a peer behind.
  bool require_all_peers_uptodate_to_promote = false;
  // Let a Diskless node be Primary when a Connected peer has the volume UpToDate (DRBD 9
  // reads and writes through it). Off: Diskless means no score and no promotion.
  bool promote_diskless = false;
};

// The peer is Connected and has `volume` UpToDate.
bool has_uptodate(const Peer& peer, int volume);
bool some_peer_has_uptodate(const ResourceState& s, int volume);
// The first peer that is not Connected with every one of this node's volumes UpToDate
// (peers Diskless on purpose excepted), as a phrase; nullopt when there is none.
std::optional<std::string> peer_behind(const ResourceState& s);

// The score, or nullopt for none (the agent removes its promotion attribute):
// 1. No quorum: none, whatever the role (ocf:linbit:drbd removes it too).
// 2. No volumes: none.
// 3. Each volume takes a rung by its local disk state:
//    UpToDate: `uptodate` when this node is Primary or every peer knows the volume,
//              else `uptodate_peer_unknown` (a Primary keeps the top rung when its peer
//              goes away, so Pacemaker never moves it to data no better than its own);
//    Consistent: `consistent`;
//    Diskless: `remote_uptodate` when promote_diskless and a Connected peer has the
//              volume UpToDate, else none;
//    anything else (Outdated, Inconsistent, Failed, Attaching, Detaching, Negotiating,
//    DUnknown, unrecognised): none.
// 4. The resource takes its lowest volume's rung (in Ladder's order, not by value).
// 5. With require_all_peers_uptodate_to_promote, a node that is not Primary gets none
//    unless every peer is Connected with every volume UpToDate: a score Pacemaker
//    would act on while promote refuses would only fail the promote. A Primary keeps
//    its score.
// 6. Otherwise the rung's value from policy.ladder; a value of 0 or less is none, as
//    with ocf:linbit:drbd (Pacemaker promotes on an explicit 0).
std::optional<int> promotion_score(const ResourceState& state, const Policy& policy);

// Why promote must refuse, one line naming the resource and the volume or peer; nullopt
// when it may go ahead. Refused, in this order, regardless of the current role:
// - no quorum;
// - no volumes;
// - a volume whose local disk is not UpToDate, except Consistent when the ladder scores
//   it above 0 (DRBD then makes it UpToDate by fencing the peer during `drbdadm
//   primary`, or refuses), and Diskless under promote_diskless, scored above 0, with a
//   Connected peer that has it UpToDate;
// - with require_all_peers_uptodate_to_promote, a peer not Connected or a peer volume
//   not UpToDate (or missing);
// - for a node that is not Primary, a state whose rung the ladder sets to 0 or less.
// For a node that is not Primary, this allows exactly when promotion_score has a value
// under the same policy.
std::optional<std::string> promotion_refusal(const ResourceState& state, const Policy& policy);

// !promotion_refusal(state, policy).
bool may_promote(const ResourceState& state, const Policy& policy);

}  // namespace sft::drbd
