#pragma once
// Time behind an interface so deadlines and back-off are testable with a fake clock.

#include <chrono>

namespace sft::sys {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

class TimeSource {
 public:
  virtual ~TimeSource() = default;
  virtual Clock::time_point now() = 0;
  // Sleeps for d (a fake advances its clock instead).
  virtual void sleep_for(Millis d) = 0;
};

}  // namespace sft::sys
