#pragma once
// Small text helpers shared by the parsers of kernel tables, parameter lists,
// config files and HTTP headers.

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace sft {

// Splits at every `sep`, keeping empty fields: split("a,,b", ',') is {"a", "", "b"},
// split("", ',') is {""}. The views point into `text`.
std::vector<std::string_view> split(std::string_view text, char sep);

// `text` without leading and trailing spaces, tabs, CRs and LFs.
std::string_view trim(std::string_view text);
// ASCII lower case (names, keys, headers: never locale-dependent).
std::string to_lower(std::string_view text);
// Equal ignoring ASCII case (HTTP header names).
bool iequals(std::string_view a, std::string_view b);

// Escapes &, <, >, " and ' for XML text and attributes.
std::string xml_escape(std::string_view text);

// The whole of `text` as a number in `base`; false when anything is left over.
template <class T>
bool parse_number(std::string_view text, T& value, int base = 10) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return !text.empty() && ec == std::errc{} && ptr == text.data() + text.size();
}

}  // namespace sft
