#pragma once
// The time an action has left. Every wait and retry spends from one Deadline, so an
// agent always answers before Pacemaker's own timeout kills it.

#include <string>

#include "core/sys/clock.h"

namespace sft::sys {

class Deadline {
 public:
  Deadline(TimeSource& time, Millis budget) : m_time(&time), m_end(time.now() + budget) {}

  // Time left, never negative.
  Millis remaining() const;
  bool expired() const { return remaining() == Millis::zero(); }
  // A sub-deadline for one step: at most `share` of what is left, at least `floor`
  // (capped by what is left).
  Deadline slice(double share, Millis floor = Millis(0)) const;
  // A sub-deadline `d` from now, never later than this one.
  Deadline within(Millis d) const { return slice(0.0, d); }
  TimeSource& time() const { return *m_time; }
  // Sleeps min(d, remaining()); returns false when the deadline was reached.
  bool sleep_for(Millis d) const;

 private:
  Deadline(TimeSource* time, Clock::time_point end) : m_time(time), m_end(end) {}
  TimeSource* m_time;
  Clock::time_point m_end;
};

// The agent's own budget for an action whose Pacemaker timeout is `timeout`: it keeps
// a margin (10 %, at least 500 ms, at most 5 s) to report before being killed.
Millis budget_for(Millis timeout);

}  // namespace sft::sys
