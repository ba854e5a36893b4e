#pragma once
// Typed parameters from OCF_RESKEY_*: parsed once against the spec, one clear error
// per bad value ("parameter 'signal_delay': '5x' is not a time like 5s or 500ms"), and
// read by handlers only through typed handles the agent declares once:
//
//   ocf::ParamNames& names();                                      // the agent's list
//   inline const ocf::Param<std::string> device{names(), "device"};
//   inline const ocf::Param<bool> create_directory{names(), "create_directory"};
//   ...
//   cx.params[device]                                              // a const std::string&
//
// The spec table takes its names from the handles (.name = device.name()), and
// check_names, run before any action, refuses a handle the spec lacks or types
// differently: a misspelt name cannot reach run time.

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "core/env.h"
#include "core/names.h"
#include "core/ocf/spec.h"
#include "core/result.h"

namespace sft::ocf {

// One parameter as the agent's code names it (ParamNames: core/ocf/spec.h).
template <class T>
using Param = Named<T, ParamDomain>;

// Every handle of `names` against the spec: Errc::invalid_argument naming the first
// that the spec does not declare, or declares with another type.
Result<void> check_names(const AgentSpec& spec, const ParamNames& names);

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

  // The value of a declared parameter (check_names has made sure it is declared, with
  // this type; otherwise std::logic_error, a programming error).
  template <class T>
  const T& operator[](const Param<T>& p) const {
    if (const T* v = std::get_if<T>(&at(p.name()))) return *v;
    throw std::logic_error("parameter " + p.name() + " is not read as its spec types it");
  }
  // True when the user set it (not a default).
  template <class T>
  bool given(const Param<T>& p) const {
    return given_name(p.name());
  }

 private:
  const Value& at(std::string_view name) const;
  bool given_name(std::string_view name) const;
  std::map<std::string, Value, std::less<>> m_values;
  std::map<std::string, bool, std::less<>> m_given;
  std::vector<std::string> m_warnings;
};

}  // namespace sft::ocf
