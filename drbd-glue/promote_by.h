#pragma once
// What ocf:sft:drbd's promote tells sft-fence-peer: while `drbdadm primary` runs, the
// time by which the handler DRBD may start inside it must answer, so that the promote
// fails cleanly instead of timing out while DRBD still waits.

#include <optional>
#include <string>
#include <string_view>

#include "core/sys/clock.h"

namespace sft::drbd {

// /run/sft/drbd/RESOURCE.promote-by: the monotonic clock's milliseconds (every process
// on the host shares that clock), one number.
std::string promote_by_path(std::string_view resource);
std::string format_promote_by(sys::Clock::time_point t);
// nullopt for anything but one number.
std::optional<sys::Clock::time_point> parse_promote_by(std::string_view text);

}  // namespace sft::drbd
