#pragma once
// Captured real data under tests/fixtures.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sft::fakes {

// The absolute path of tests/fixtures. Defined in fixtures.cpp, the one file the build
// gives the path to, so that every other test file compiles the same in any checkout.
const std::string& fixtures_dir();

// The bytes of tests/fixtures/<relative>; throws when the file is missing.
inline std::string fixture(const std::string& relative) {
  const std::string path = fixtures_dir() + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace sft::fakes
