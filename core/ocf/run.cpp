#include "core/ocf/run.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <exception>

#include "core/log/log.h"
#include "core/ocf/exit.h"
#include "core/ocf/metadata.h"
#include "core/sys/real_system.h"
#include "core/values.h"

extern char** environ;

namespace sft::ocf {
namespace {

bool advertised(const AgentSpec& spec, std::string_view action) {
  for (const auto& a : spec.actions)
    if (a.name == action) return true;
  return false;
}

Result<Exit> dispatch(const AgentSpec& spec, Context& cx) {
  if (spec.validate && validates_before(cx.action)) {
    if (auto ok = spec.validate(cx); !ok) return std::unexpected(ok.error());
  }
  const auto it = spec.handlers.find(cx.action);
  if (it != spec.handlers.end()) return it->second(cx);
  // Built-in: validation alone is the whole of validate-all, and a reload-agent only
  // has to accept the new values (handlers read parameters on every call).
  if (cx.action == "validate-all" || cx.action == "reload-agent") return PCMK_OCF_OK;
  return fail(Errc::unimplemented, "action '" + cx.action + "' is not implemented");
}

int finish(Result<Exit> r) {
  if (r) return *r;
  report(r.error());
  return to_ocf_exit(r.error());
}

}  // namespace

bool validates_before(std::string_view action) {
  return action == "start" || action == "validate-all" || action == "reload-agent" || action == "reload" ||
         action == "promote";
}

std::chrono::milliseconds action_timeout(const AgentSpec& spec, std::string_view action, const Environment& env) {
  if (auto it = env.find("OCF_RESKEY_CRM_meta_timeout"); it != env.end()) {
    // Capped at a day: a larger value would overflow the clock arithmetic.
    constexpr long long k_max = 24LL * 3600 * 1000;
    if (auto ms = parse_integer(it->second); ms && *ms > 0) return std::chrono::milliseconds(std::min(*ms, k_max));
  }
  for (const auto& a : spec.actions)
    if (a.name == action) return a.timeout;
  return std::chrono::seconds(20);
}

int run(const AgentSpec& spec, std::string_view action, const Environment& env, sys::System& os) {
  log::init(log::from_environment(env, spec.name, lookup(env, "OCF_RESOURCE_INSTANCE").value_or("")));
  // A parameter the code reads but the spec lacks is the agent's own bug: caught here,
  // before any action (meta-data included), not when a handler first asks for it.
  if (spec.names != nullptr)
    if (Result<void> ok = check_names(spec, *spec.names); !ok)
      return finish(fail(Errc::generic, "internal error: " + ok.error().message));
  if (action == "meta-data") {
    std::fputs(metadata_xml(spec).c_str(), stdout);
    return PCMK_OCF_OK;
  }
  if (action == "usage" || action == "help" || action == "--help") {
    std::fputs(usage(spec).c_str(), stdout);
    return PCMK_OCF_OK;
  }
  if (action.empty() || !advertised(spec, action)) {
    std::fputs(usage(spec).c_str(), stderr);
    return action.empty() ? PCMK_OCF_INVALID_PARAM : PCMK_OCF_UNIMPLEMENT_FEATURE;
  }

  // Actions that must not fail over a value they hardly need (a failed stop or demote
  // gets the node fenced; a notification reports what already happened).
  const bool must_not_fail = action == "stop" || action == "monitor" || action == "demote" || action == "notify";
  auto params = Params::parse(spec, env, must_not_fail ? Params::Mode::forgiving : Params::Mode::strict);
  if (!params) return finish(std::unexpected(params.error()));
  for (const auto& w : params->warnings()) log::warning(w);

  const sys::Deadline deadline(os, sys::budget_for(action_timeout(spec, action, env)));
  Context cx(*params, os, deadline, env, std::string(action));
  log::debug("action " + cx.action + " with " + std::to_string(deadline.remaining().count()) + " ms to spare");
  try {
    return finish(dispatch(spec, cx));
  } catch (const std::exception& e) {
    return finish(fail(Errc::generic, cx.action + ": internal error: " + e.what()));
  }
}

int run(const AgentSpec& spec, int argc, char** argv) {
  // Exit statuses of our children must reach us even if our parent ignored SIGCHLD.
  std::signal(SIGCHLD, SIG_DFL);
  sys::RealSystem os;
  const Environment env = read_environment(environ);
  const int rc = run(spec, argc > 1 ? argv[1] : "", env, os);
  log::close();
  return rc;
}

}  // namespace sft::ocf
