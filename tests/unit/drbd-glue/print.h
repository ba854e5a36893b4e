#pragma once
// Boost.Test prints values that differ; DRBD's spelling is the readable one.

#include <ostream>

#include "drbd-glue/state.h"

namespace sft::drbd {
inline std::ostream& operator<<(std::ostream& os, Role v) { return os << name(v); }
inline std::ostream& operator<<(std::ostream& os, DiskState v) { return os << name(v); }
inline std::ostream& operator<<(std::ostream& os, ConnectionState v) { return os << name(v); }
inline std::ostream& operator<<(std::ostream& os, ReplicationState v) { return os << name(v); }
}  // namespace sft::drbd
