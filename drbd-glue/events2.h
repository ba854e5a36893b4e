#pragma once
// `drbdsetup events2 --now [RESOURCE]`: one line per object, then "exists -".
//
//   exists resource name:r0 role:Primary suspended:no
//   exists connection name:r0 peer-node-id:1 conn-name:bravo connection:Connected role:Secondary
//   exists device name:r0 volume:0 minor:0 disk:UpToDate client:no quorum:yes
//   exists peer-device name:r0 peer-node-id:1 conn-name:bravo volume:0 replication:Established peer-disk:UpToDate
//   exists -
//
// drbd-utils 9 prints this for DRBD 9 and, through drbdsetup-84, for DRBD 8.4 too, so it
// is the one query the agent makes on either kernel. On 8.4 the one peer is always
// "peer-node-id:0 conn-name:peer" and devices carry no quorum; Dialect::drbd84 reads
// those as unknown rather than as a node-id and a name.

#include <string_view>
#include <vector>

#include "core/result.h"
#include "drbd-glue/state.h"

namespace sft::drbd {

enum class Dialect { drbd9, drbd84 };

// Every resource in the output, in its order; an empty vector when the output is just
// "exists -" (no such resource is up). Other objects (path) and unknown keys are
// skipped; a state word DRBD does not print parses to `unrecognised`.
// Errc::generic, naming the line, when the output is cut short (no "exists -"), a line
// is not "exists <object> key:value...", or a volume, minor or node-id is not a number.
Result<std::vector<ResourceState>> parse_events2(std::string_view text, Dialect dialect);

}  // namespace sft::drbd
