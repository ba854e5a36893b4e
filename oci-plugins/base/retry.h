#pragma once
// When and how long to wait before trying an OCI call again. Pure arithmetic, so the
// policy is testable without a clock; Client applies it within the caller's deadline.

#include <ctime>
#include <optional>
#include <string_view>

#include "core/sys/clock.h"

namespace sft::oci {

using sys::Millis;

struct RetryPolicy {
  int max_attempts = 8;      // as the OCI SDKs
  Millis first_delay{1000};  // the back-off before the second attempt
  Millis max_delay{30000};   // no single wait is longer
};

// Worth another attempt: 429, any 5xx, 409 IncorrectState or LockConflict. Not 401
// (the caller refreshes credentials once), not other 4xx (the request is wrong).
bool retryable(int status, std::string_view code);

// The wait before attempt `failures + 1`: exponential (first_delay * 2^(failures-1)),
// capped at max_delay, with "equal jitter": half fixed, half uniform from `unit`
// (a number in [0, 1)). failures >= 1.
Millis backoff(const RetryPolicy& policy, int failures, double unit);

// Retry-After as seconds ("3") or an HTTP date, relative to `now`; nullopt when it
// is neither. Never negative; capped at max_delay by the caller.
std::optional<Millis> parse_retry_after(std::string_view value, std::time_t now);

}  // namespace sft::oci
