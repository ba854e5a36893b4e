#pragma once
// The one vocabulary for values people type, wherever they type them: OCF parameters,
// fence options, `sft` flags, the DRBD handlers' arguments, Pacemaker's own settings.
// One table of spellings each, so "on" or "2.5s" means the same everywhere.

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sft {

// yes/true/on/y/1 and no/false/off/n/0 (Pacemaker's and fence-agents' spellings), any
// case, surrounding blanks ignored. Errc::configuration "not a boolean: <text>".
Result<bool> parse_boolean(std::string_view text);

// A whole decimal integer, negative with a leading '-', surrounding blanks ignored.
// Errc::configuration "not an integer: <text>".
Result<long long> parse_integer(std::string_view text);

// The longest duration anything here takes: far below what deadline arithmetic overflows.
inline constexpr std::chrono::milliseconds k_max_duration{1LL << 40};  // about 34 years

// A duration: a number, optionally with a fraction, and optionally a unit; seconds when
// there is none. ms/msec, s/sec, m/min, h/hr, any case, blanks between allowed: "30",
// "30s", "2.5", "500ms", "2min", "1h" (Pacemaker's intervals and fence-agents' seconds
// alike). Digits past milliseconds count for nothing. Errc::configuration "not a time:
// <text>" for anything else, a sign, or more than `max`.
Result<std::chrono::milliseconds> parse_duration(std::string_view text,
                                                 std::chrono::milliseconds max = k_max_duration);

// A duration as seconds, the way people write them: "60", "2.5", "0.001".
std::string format_seconds(std::chrono::milliseconds d);

}  // namespace sft
