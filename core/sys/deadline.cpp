#include "core/sys/deadline.h"

#include <algorithm>

namespace sft::sys {

Millis Deadline::remaining() const {
  const auto left = std::chrono::duration_cast<Millis>(m_end - m_time->now());
  return std::max(left, Millis::zero());
}

Deadline Deadline::slice(double share, Millis floor) const {
  const Millis left = remaining();
  auto part = Millis(static_cast<Millis::rep>(static_cast<double>(left.count()) * share));
  part = std::min(std::max(part, floor), left);
  return Deadline(m_time, m_time->now() + part);
}

bool Deadline::sleep_for(Millis d) const {
  const Millis left = remaining();
  m_time->sleep_for(std::min(d, left));
  return d < left;
}

Millis budget_for(Millis timeout) {
  const Millis margin = std::clamp(timeout / 10, Millis(500), Millis(5000));
  return std::max(timeout - margin, timeout / 2);
}

}  // namespace sft::sys
