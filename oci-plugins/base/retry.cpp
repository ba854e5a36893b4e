#include "oci-plugins/base/retry.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <string>

#include "core/text.h"

namespace sft::oci {

bool retryable(int status, std::string_view code) {
  if (status == 429 || status >= 500) return true;
  return status == 409 && (code == "IncorrectState" || code == "LockConflict");
}

Millis backoff(const RetryPolicy& policy, int failures, double unit) {
  double exp = static_cast<double>(policy.first_delay.count()) * std::pow(2.0, std::max(0, failures - 1));
  double capped = std::min(exp, static_cast<double>(policy.max_delay.count()));
  unit = std::clamp(unit, 0.0, 1.0);
  return Millis(static_cast<long long>(capped / 2 + capped / 2 * unit));
}

std::optional<Millis> parse_retry_after(std::string_view value, std::time_t now) {
  // A day is more than any deadline; clamping first keeps the arithmetic defined.
  constexpr long long k_day = 86400;
  long long seconds = 0;
  if (parse_number(value, seconds)) return Millis(std::clamp(seconds, 0LL, k_day) * 1000);
  struct tm tm {};
  std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  long long delta = static_cast<long long>(timegm(&tm)) - static_cast<long long>(now);
  return Millis(std::clamp(delta, 0LL, k_day) * 1000);
}

}  // namespace sft::oci
