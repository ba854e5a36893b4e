#pragma once
// Small text helpers shared by the parsers of kernel tables and parameter lists.

#include <charconv>
#include <string_view>
#include <vector>

namespace sft {

// Splits at every `sep`, keeping empty fields: split("a,,b", ',') is {"a", "", "b"},
// split("", ',') is {""}. The views point into `text`.
std::vector<std::string_view> split(std::string_view text, char sep);

// The whole of `text` as a number in `base`; false when anything is left over.
template <class T>
bool parse_number(std::string_view text, T& value, int base = 10) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return !text.empty() && ec == std::errc{} && ptr == text.data() + text.size();
}

}  // namespace sft
