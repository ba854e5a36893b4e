#pragma once
// Reading the CIB (its XML text, as Cluster::query returns it) and writing the
// constraints the DRBD fence-peer handlers place. Pure functions: tests feed them CIBs.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sft::pcmk {

// The id of the promotable clone around the ocf:<provider>:<type> primitive whose
// instance attribute `param` is `value` (e.g. ocf:sft:drbd with drbd_resource=r0).
// Errc::not_running when there is none; Errc::configuration when there are several
// (or the primitive is not in a promotable clone); Errc::generic when the text is not a CIB.
Result<std::string> promotable_clone(std::string_view cib, std::string_view provider, std::string_view type,
                                     std::string_view param, std::string_view value);

// A node as the CIB's status section shows it.
enum class NodeState {
  online,   // in the membership, its controller up and joined (join="member")
  joining,  // in the membership, but its controller is not (or not yet) joined
  down,     // out of the membership and expected down: fenced, or shut down cleanly
  unclean,  // out of the membership but not known to be down: fencing is due
  lost,     // out of the membership without a clean shutdown in a cluster without
            // fencing (stonith-enabled=false): nothing will ever confirm it down
  unknown,  // no status entry: never seen since the cluster started
};
std::string_view name(NodeState s);
Result<NodeState> node_state(std::string_view cib, std::string_view node);

// Whether the constraints section holds an element with this id.
Result<bool> has_constraint(std::string_view cib, std::string_view id);

// The nodes of the configuration (<nodes>), by name.
Result<std::vector<std::string>> node_names(std::string_view cib);

// How the running CIB spells the promoted role in a rule: "Promoted" from schema
// pacemaker-3.7 (Pacemaker 2.1) on, "Master" before it (older Pacemakers read
// "Promoted" as no role at all, so the rule would ban nothing).
Result<std::string> promoted_role(std::string_view cib);

// What a constraint written by ban_role_except allows: the node names it exempts.
// nullopt when the CIB has no element with this id; Errc::configuration when the
// element with this id is not of that shape (someone else's, or edited by hand).
Result<std::optional<std::vector<std::string>>> role_allowed_on(std::string_view cib, std::string_view id);

// How long fencing a node may take as the configuration says: the cluster's
// stonith-timeout (default 60 s) plus the largest pcmk_delay_max or pcmk_delay_base of
// any fence device, in seconds.
Result<long long> fencing_seconds(std::string_view cib);

// <rsc_location id=ID rsc=RSC> with one rule: `role` scores -INFINITY on every node
// whose name is not in `allowed`.
std::string ban_role_except(std::string_view id, std::string_view rsc, std::string_view role,
                            const std::vector<std::string>& allowed);

}  // namespace sft::pcmk
