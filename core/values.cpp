#include "core/values.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>
#include <utility>

#include "core/names.h"
#include "core/text.h"

namespace sft {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr std::array<std::pair<std::string_view, bool>, 10> k_booleans = {{
    {"yes", true}, {"true", true}, {"on", true}, {"y", true}, {"1", true},
    {"no", false}, {"false", false}, {"off", false}, {"n", false}, {"0", false},
}};

constexpr std::array<std::pair<std::string_view, long long>, 9> k_units = {{
    {"", 1000}, {"s", 1000}, {"sec", 1000}, {"ms", 1}, {"msec", 1},
    {"m", 60'000}, {"min", 60'000}, {"h", 3'600'000}, {"hr", 3'600'000},
}};

}  // namespace

std::string_view describe(ValueKind kind) {
  switch (kind) {
    case ValueKind::text: return "text";
    case ValueKind::integer: return "an integer";
    case ValueKind::boolean: return "a boolean";
    case ValueKind::duration: return "a time";
  }
  return "a value";
}

Result<bool> parse_boolean(std::string_view text) {
  const std::string t = to_lower(trim(text));
  for (const auto& [word, value] : k_booleans)
    if (t == word) return value;
  return fail(Errc::configuration, "not a boolean: " + std::string(text));
}

Result<long long> parse_integer(std::string_view text) {
  long long v = 0;
  if (!parse_number(trim(text), v)) return fail(Errc::configuration, "not an integer: " + std::string(text));
  return v;
}

Result<std::chrono::milliseconds> parse_duration(std::string_view text, std::chrono::milliseconds max) {
  const auto bad = [&] { return fail(Errc::configuration, "not a time: " + std::string(text)); };
  const std::string t = to_lower(trim(text));
  const std::string_view all = t;
  const size_t whole_end = std::find_if_not(all.begin(), all.end(), is_digit) - all.begin();
  if (whole_end == 0) return bad();
  size_t number_end = whole_end;
  std::string_view fraction;
  if (number_end < all.size() && all[number_end] == '.') {
    const size_t from = number_end + 1;
    const size_t to = std::find_if_not(all.begin() + static_cast<std::ptrdiff_t>(from), all.end(), is_digit) - all.begin();
    if (to == from) return bad();  // "1." and "1.s"
    fraction = all.substr(from, to - from);
    number_end = to;
  }
  long long whole = 0;
  // An out-of-range number would leave `whole` at 0: refused, not read as 0.
  if (!parse_number(all.substr(0, whole_end), whole)) return bad();
  const std::string_view unit = trim(all.substr(number_end));
  const auto scale = std::find_if(k_units.begin(), k_units.end(), [&](const auto& u) { return u.first == unit; });
  if (scale == k_units.end()) return bad();
  if (whole > max.count() / scale->second) return bad();
  long long ms = whole * scale->second;
  // The fraction, in the unit, down to whole milliseconds: its first 9 digits as a
  // number over 10^digits (an hour is 3.6e6 ms, so the product stays far below 2^63).
  long long digits = 0, denominator = 1;
  for (char c : fraction.substr(0, 9)) {
    digits = digits * 10 + (c - '0');
    denominator *= 10;
  }
  ms += digits * scale->second / denominator;
  if (ms > max.count()) return bad();
  return std::chrono::milliseconds(ms);
}

std::string format_seconds(std::chrono::milliseconds d) {
  const long long ms = d.count();
  std::string s = (ms < 0 ? "-" : "") + std::to_string(std::llabs(ms) / 1000);
  long long rest = std::llabs(ms) % 1000;
  if (rest == 0) return s;
  std::string fraction = std::to_string(1000 + rest).substr(1);  // three digits
  while (fraction.back() == '0') fraction.pop_back();
  return s + "." + fraction;
}

}  // namespace sft
