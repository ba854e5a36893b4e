#pragma once
// The fence algorithm, once for every device:
//
//   off     status; already off -> "Success: Already OFF". Else delay, then
//           before_power_change, power_off, power_wait, and status every
//           stonith_status_sleep until the device reports off ("Success: Powered OFF")
//           or power_timeout passes (a failure). Only a status of off counts: unknown
//           states and failed status calls keep the poll going.
//   on      the same towards on, without the delay, with up to retry_on attempts.
//   reboot  method=onoff: a verified off (as above), then on with up to retry_on
//           attempts; an on that fails after the verified off is a warning, not a
//           failure (the machine is fenced). method=cycle: delay, before_power_change,
//           power_cycle, power_wait, then poll until on. A plug already off is only
//           powered on.
//   status  "Status: ON" (0) / "Status: OFF" (2); unknown or an error is a failure.
//   list, list-status, monitor: the device's own.
//
// Results go to io.out, failures to io.err as one line "Failed: <why>", warnings as
// "Warning: <why>"; all are logged too.

#include "core/sys/deadline.h"
#include "stonith/fence.h"

namespace sft::fence {

// The time an action may take in all: the delay (off, reboot) plus power_wait and
// power_timeout for every power change it may make (retry_on of them for on, one more
// for reboot) plus k_api_margin for the device calls themselves. A power_timeout of 0
// (wait until killed, as fence-agents under Pacemaker) counts as a day.
sys::Millis action_budget(const Options& o);
inline constexpr sys::Millis k_api_margin{30'000};

// Runs the device action o.action() (on, off, reboot, status, list, list-status,
// monitor) on o.get("plug") as the device resolves it. Sleeps and polls never go past
// `d`; at `d` a power change not yet verified is a failure. Returns the exit code.
int fence_action(const Options& o, Device& device, const sys::Deadline& d, Io& io);

}  // namespace sft::fence
