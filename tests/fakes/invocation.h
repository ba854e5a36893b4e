#pragma once
// One agent invocation for a handler test: the environment Pacemaker would set, the
// parameters parsed from it, and the Context a handler receives, on a given System.
//
//   Invocation call(spec(), env, os, "stop", sys::budget_for(60s));
//   auto r = stop(call.cx);

#include <stdexcept>
#include <string>

#include "core/ocf/context.h"
#include "core/ocf/params.h"
#include "core/ocf/spec.h"
#include "core/sys/system.h"

namespace sft::fakes {

class Invocation {
 public:
  Invocation(const ocf::AgentSpec& spec, Environment environment, sys::System& os, std::string action,
             sys::Millis budget)
      : env(std::move(environment)), params(parse(spec, env)), cx(params, os, sys::Deadline(os, budget), env, action) {}
  Invocation(const Invocation&) = delete;
  Invocation& operator=(const Invocation&) = delete;

  const Environment env;
  const ocf::Params params;
  ocf::Context cx;

 private:
  static ocf::Params parse(const ocf::AgentSpec& spec, const Environment& env) {
    auto p = ocf::Params::parse(spec, env);
    if (!p) throw std::invalid_argument("test environment: " + p.error().message);
    return *p;
  }
};

}  // namespace sft::fakes
