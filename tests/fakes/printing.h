#pragma once
// How Boost.Test prints project values in failed assertions.

#include <ostream>

#include "core/result.h"

namespace sft {

inline std::ostream& operator<<(std::ostream& os, Errc code) {
  switch (code) {
    case Errc::generic:
      return os << "Errc::generic";
    case Errc::invalid_argument:
      return os << "Errc::invalid_argument";
    case Errc::unimplemented:
      return os << "Errc::unimplemented";
    case Errc::permission:
      return os << "Errc::permission";
    case Errc::not_installed:
      return os << "Errc::not_installed";
    case Errc::configuration:
      return os << "Errc::configuration";
    case Errc::not_running:
      return os << "Errc::not_running";
    case Errc::timeout:
      return os << "Errc::timeout";
    case Errc::busy:
      return os << "Errc::busy";
  }
  return os << "Errc(" << static_cast<int>(code) << ")";
}

}  // namespace sft
