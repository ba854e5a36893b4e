#pragma once
// `drbdsetup status [RESOURCE] --json` (DRBD 9 only; drbdsetup-84 knows no --json):
// an array with one object per resource, its "devices" and its "connections", each with
// "peer_devices". Key names and types: tests/fixtures/drbd/9/SOURCES.md.

#include <string_view>
#include <vector>

#include "core/result.h"
#include "drbd-glue/state.h"

namespace sft::drbd {

// Every resource in the array, in its order. Counters and keys this model has no place
// for are skipped; a state word DRBD does not print parses to `unrecognised`; a device
// without "quorum" leaves quorum unknown. Errc::generic naming the key when the text is
// not JSON, is not an array of objects, or a name, volume, minor or node-id is missing
// or of the wrong type.
Result<std::vector<ResourceState>> parse_status_json(std::string_view text);

}  // namespace sft::drbd
