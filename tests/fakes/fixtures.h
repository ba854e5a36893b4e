#pragma once
// Captured real data under tests/fixtures (SFT_FIXTURES is set by the test build).

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sft::fakes {

// The bytes of tests/fixtures/<relative>; throws when the file is missing.
inline std::string fixture(const std::string& relative) {
  const std::string path = std::string(SFT_FIXTURES) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace sft::fakes
