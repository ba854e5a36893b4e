#include "drbd-glue/promote_by.h"

#include "core/text.h"

namespace sft::drbd {

std::string promote_by_path(std::string_view resource) {
  return "/run/sft/drbd/" + std::string(resource) + ".promote-by";
}

std::string format_promote_by(sys::Clock::time_point t) {
  return std::to_string(std::chrono::duration_cast<sys::Millis>(t.time_since_epoch()).count()) + "\n";
}

std::optional<sys::Clock::time_point> parse_promote_by(std::string_view text) {
  long long ms = 0;
  if (!parse_number(trim(text), ms) || ms < 0) return std::nullopt;
  return sys::Clock::time_point(std::chrono::duration_cast<sys::Clock::duration>(sys::Millis(ms)));
}

}  // namespace sft::drbd
