// The checkout's tests/fixtures, from the build (SFT_FIXTURES, on this file only).
#include "tests/fakes/fixtures.h"

namespace sft::fakes {

const std::string& fixtures_dir() {
  static const std::string dir = SFT_FIXTURES;
  return dir;
}

}  // namespace sft::fakes
