#pragma once
// Reading the CIB (its XML text, as Cluster::query returns it) and writing the
// constraints the DRBD fence-peer handlers place. Pure functions: tests feed them CIBs.

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
  online,   // in the membership and its controller up
  down,     // out of the membership and expected down (shut down cleanly or fenced), or
            // out of it in a cluster without fencing (stonith-enabled=false)
  unclean,  // out of the membership but not known to be down: fencing is due
  unknown,  // no status entry: never seen since the cluster started
};
std::string_view name(NodeState s);
Result<NodeState> node_state(std::string_view cib, std::string_view node);

// Whether the constraints section holds an element with this id.
Result<bool> has_constraint(std::string_view cib, std::string_view id);

// <rsc_location id=ID rsc=RSC> with one rule: `role` scores -INFINITY on every node
// whose name is not in `allowed`.
std::string ban_role_except(std::string_view id, std::string_view rsc, std::string_view role,
                            const std::vector<std::string>& allowed);

}  // namespace sft::pcmk
