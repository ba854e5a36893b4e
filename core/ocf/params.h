#pragma once
// Typed parameters from OCF_RESKEY_*: parsed once against the spec, one clear error
// per bad value ("parameter 'signal_delay': '5x' is not a time like 5s or 500ms").

#include <chrono>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/env.h"
#include "core/ocf/spec.h"
#include "core/result.h"

namespace sft::ocf {

class Params {
 public:
  using Value = std::variant<std::string, long long, bool, std::chrono::milliseconds>;

  enum class Mode {
    strict,     // a malformed value is an error
    forgiving,  // a malformed optional value falls back to its default, with a warning
  };

  // Parses OCF_RESKEY_<name> for every parameter of the spec, applying defaults.
  // Errc::configuration for a missing required value, or a malformed one when strict.
  // stop, monitor, demote and notify parse forgivingly (core/ocf/run.cpp): a failed stop
  // or demote gets the node fenced, and a value the action does not need (changed by a
  // reload, say) must not cause that.
  static Result<Params> parse(const AgentSpec& spec, const Environment& env, Mode mode = Mode::strict);

  // What a forgiving parse replaced by defaults, one line each.
  const std::vector<std::string>& warnings() const { return m_warnings; }

  // Accessors for parameters the spec declares; asking for an undeclared name or the
  // wrong type is a programming error (std::logic_error).
  const std::string& str(std::string_view name) const;
  long long integer(std::string_view name) const;
  bool boolean(std::string_view name) const;
  std::chrono::milliseconds duration(std::string_view name) const;
  // True when the user set it (not a default).
  bool given(std::string_view name) const;

 private:
  const Value& at(std::string_view name) const;
  std::map<std::string, Value, std::less<>> m_values;
  std::map<std::string, bool, std::less<>> m_given;
  std::vector<std::string> m_warnings;
};

}  // namespace sft::ocf
