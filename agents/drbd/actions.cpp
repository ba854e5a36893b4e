// The actions of ocf:sft:drbd.
#include <algorithm>
#include <string>

#include "agents/drbd/drbd.h"
#include "core/log/log.h"
#include "core/text.h"

namespace sft::drbd_agent {

namespace {

using drbd::DiskState;
using drbd::Role;
using sys::Millis;

constexpr Millis k_poll{500};

// A Connected peer has this volume UpToDate.
bool peer_has_uptodate(const ResourceState& s, int volume) {
  for (const drbd::Peer& p : s.peers) {
    const drbd::PeerVolume* v = drbd::find_volume(p, volume);
    if (p.connection == drbd::ConnectionState::connected && v && v->disk == DiskState::up_to_date) return true;
  }
  return false;
}

bool all_peers_connected(const ResourceState& s) {
  return std::ranges::all_of(s.peers,
                             [](const drbd::Peer& p) { return p.connection == drbd::ConnectionState::connected; });
}

// The module version the parameter asks for, or nullopt for any.
Result<std::optional<drbd::KernelVersion>> required_version(Context& cx) {
  const std::string& text = cx.params.str("require_drbd_module_version");
  if (text.empty()) return std::optional<drbd::KernelVersion>();
  const std::vector<std::string_view> parts = split(text, '.');
  drbd::KernelVersion v;
  int* fields[] = {&v.major, &v.minor, &v.patch};
  if (parts.size() < 2 || parts.size() > 3)
    return fail(Errc::configuration, "require_drbd_module_version '" + text + "': expected a version like 8.4.11");
  for (size_t i = 0; i < parts.size(); ++i)
    if (!parse_number(parts[i], *fields[i]))
      return fail(Errc::configuration, "require_drbd_module_version '" + text + "': expected a version like 8.4.11");
  return std::optional<drbd::KernelVersion>(v);
}

// The state now; a monitor or stop on a node where DRBD is missing altogether reads as
// not running.
Result<ResourceState> state_or_not_running(Context& cx, const sys::Deadline& d) {
  Result<ResourceState> s = read_state(cx, d);
  if (!s && s.error().code == Errc::not_installed)
    return fail(Errc::not_running, s.error().message + "; DRBD is not installed here");
  return s;
}

// Runs `drbdadm ACTION` until the resource has `role` or the deadline passes, pausing
// between attempts. DRBD refuses a role change for a while after a peer changed (a
// Primary peer still disconnecting, a state change pending); those pass.
Result<void> change_role(Context& cx, std::string_view action, Role role) {
  Error last{Errc::timeout, ""};
  for (int attempt = 1;; ++attempt) {
    Result<void> r = drbdadm(cx, {action}, cx.deadline.slice(0.5));
    Result<ResourceState> now = read_state(cx, cx.deadline.slice(0.5));
    if (now && now->role == role) return {};
    if (!r)
      last = r.error();
    else if (!now)
      last = now.error();
    else
      last = Error{Errc::generic, "drbdadm " + std::string(action) + " succeeded but the role is still " +
                                      std::string(drbd::name(now->role))};
    log::warning("attempt " + std::to_string(attempt) + ": " + last.message);
    if (cx.deadline.remaining() < Millis(2000) || !cx.deadline.sleep_for(Millis(1000))) break;
  }
  return fail(Errc::generic, last.message + " (still failing when the time ran out)");
}

}  // namespace

Result<drbd::Policy> policy_of(Context& cx) {
  drbd::Policy p;
  Result<drbd::Ladder> ladder = drbd::parse_ladder(cx.params.str("adjust_master_score"));
  if (!ladder) return fail(Errc::configuration, ladder.error().message);
  p.ladder = *ladder;
  p.require_all_peers_uptodate_to_promote = cx.params.boolean("require_all_peers_uptodate_to_promote");
  return p;
}

bool degraded(const ResourceState& s, const drbd::Policy& policy) {
  if (s.suspended || s.quorum == false) return true;
  for (const drbd::Volume& v : s.volumes) {
    const bool reachable = policy.promote_diskless && v.disk == DiskState::diskless && peer_has_uptodate(s, v.volume);
    if (v.disk != DiskState::up_to_date && !reachable) return true;
  }
  for (const drbd::Peer& p : s.peers) {
    if (p.connection != drbd::ConnectionState::connected) return true;
    for (const drbd::Volume& v : s.volumes) {
      const drbd::PeerVolume* pv = drbd::find_volume(p, v.volume);
      if (!pv || pv->disk != DiskState::up_to_date) return true;
    }
  }
  return false;
}

Result<Exit> monitor_exit(const ResourceState& s, const drbd::Policy& policy) {
  const bool bad = degraded(s, policy);
  switch (s.role) {
    case Role::primary:
      for (const drbd::Volume& v : s.volumes)
        if (v.disk != DiskState::up_to_date && !peer_has_uptodate(s, v.volume)) return PCMK_OCF_FAILED_PROMOTED;
      return bad ? PCMK_OCF_DEGRADED_PROMOTED : PCMK_OCF_RUNNING_PROMOTED;
    case Role::secondary:
      return bad ? PCMK_OCF_DEGRADED : PCMK_OCF_OK;
    default:
      return fail(Errc::generic, "DRBD resource " + s.name + " reports role " + std::string(drbd::name(s.role)));
  }
}

Result<void> validate(Context& cx) {
  if (Result<drbd::Policy> p = policy_of(cx); !p) return std::unexpected(p.error());
  if (Result<std::optional<drbd::KernelVersion>> v = required_version(cx); !v) return std::unexpected(v.error());
  if (cx.is_clone()) {
    if (!cx.meta("promotable") && !cx.meta("promoted_max") && !cx.meta("master_max"))
      log::warning("the clone is not promotable: no node will become Primary");
    for (const char* key : {"clone_node_max", "promoted_node_max"})
      if (const std::optional<std::string> v = cx.meta(key); v && *v != "1")
        return fail(Errc::configuration, std::string(key) + "=" + *v + ": must be 1 for DRBD");
  }
  // The resource must be in this node's configuration: drbdadm parses it for us.
  if (Result<void> r = drbdadm(cx, {"sh-minor"}, cx.deadline.slice(0.5)); !r) {
    if (r.error().code == Errc::not_installed) return std::unexpected(r.error());
    return fail(Errc::not_installed, "DRBD resource " + cx.params.str("drbd_resource") + " is not configured here (" +
                                         r.error().message + ")");
  }
  return {};
}

Result<Exit> start(Context& cx) {
  Result<drbd::Policy> policy = policy_of(cx);
  if (!policy) return std::unexpected(policy.error());
  if (Result<void> r = drbdadm(cx, {"adjust"}, cx.deadline.slice(0.5)); !r) return std::unexpected(r.error());
  // The module is loaded now (adjust loads it); check what was asked of it.
  Result<std::optional<drbd::KernelVersion>> want = required_version(cx);
  if (!want) return std::unexpected(want.error());
  if (*want) {
    Result<drbd::KernelVersion> have = module_version(cx);
    if (!have) return std::unexpected(have.error());
    if (*have < **want)
      return fail(Errc::not_installed, "the DRBD module is " + drbd::to_string(*have) + ", older than " +
                                           drbd::to_string(**want) + " (require_drbd_module_version)");
  }
  // Wait, bounded, for the peers: a start that returns before they connect gives
  // Pacemaker a score computed with every peer unknown.
  const sys::Deadline wait = cx.deadline.within(cx.params.duration("wfc_timeout"));
  Result<ResourceState> s = read_state(cx, cx.deadline.slice(0.3));
  while (s && !all_peers_connected(*s) && wait.sleep_for(k_poll)) s = read_state(cx, cx.deadline.slice(0.3));
  if (!s)
    return fail(s.error().code == Errc::not_running ? Errc::generic : s.error().code,
                "after drbdadm adjust: " + s.error().message);
  if (!all_peers_connected(*s)) log::info("starting without every peer connected (wfc_timeout passed)");
  publish(cx, *s, *policy, /*force=*/true);
  return PCMK_OCF_OK;
}

Result<Exit> stop(Context& cx) {
  Result<ResourceState> s = state_or_not_running(cx, cx.deadline.slice(0.2));
  if (!s) {
    if (s.error().code != Errc::not_running) return std::unexpected(s.error());
    withdraw(cx);
    return PCMK_OCF_OK;
  }
  if (s->role == Role::primary) {
    if (Result<void> r = change_role(cx, "secondary", Role::secondary); !r) return std::unexpected(r.error());
  }
  const bool outdate =
      cx.params.boolean("stop_outdates_secondary") && std::ranges::any_of(s->peers, [](const drbd::Peer& p) {
        return p.role == Role::primary && p.connection == drbd::ConnectionState::connected;
      });
  if (Result<void> r = drbdadm(cx, {"down"}, cx.deadline.slice(0.6)); !r) return std::unexpected(r.error());
  if (outdate) {
    if (Result<void> r = drbdadm(cx, {"outdate"}, cx.deadline.slice(0.5)); !r)
      log::warning("could not outdate after stop: " + r.error().message);
    else
      log::info("marked the local data Outdated: the peer stays Primary");
  }
  withdraw(cx);
  Result<ResourceState> after = read_state(cx, cx.deadline.slice(0.5));
  if (after) return fail(Errc::generic, "drbdadm down succeeded but DRBD resource " + after->name + " is still up");
  if (after.error().code != Errc::not_running) return std::unexpected(after.error());
  return PCMK_OCF_OK;
}

Result<Exit> promote(Context& cx) {
  Result<drbd::Policy> policy = policy_of(cx);
  if (!policy) return std::unexpected(policy.error());
  Result<ResourceState> s = read_state(cx, cx.deadline.slice(0.2));
  if (!s) return fail(Errc::generic, "cannot promote: " + s.error().message);
  if (s->role != Role::primary) {
    if (const std::optional<std::string> why = drbd::promotion_refusal(*s, *policy)) {
      publish(cx, *s, *policy, /*force=*/false);
      return fail(Errc::generic, "refusing to promote: " + *why);
    }
    if (Result<void> r = change_role(cx, "primary", Role::primary); !r) return std::unexpected(r.error());
    s = read_state(cx, cx.deadline.slice(0.5));
    if (!s) return std::unexpected(s.error());
  }
  publish(cx, *s, *policy, /*force=*/false);
  return PCMK_OCF_OK;
}

Result<Exit> demote(Context& cx) {
  Result<drbd::Policy> policy = policy_of(cx);
  if (!policy) return std::unexpected(policy.error());
  Result<ResourceState> s = read_state(cx, cx.deadline.slice(0.2));
  if (!s) return fail(Errc::generic, "cannot demote: " + s.error().message);
  if (s->role == Role::primary) {
    if (Result<void> r = change_role(cx, "secondary", Role::secondary); !r) return std::unexpected(r.error());
    s = read_state(cx, cx.deadline.slice(0.5));
    if (!s) return std::unexpected(s.error());
  }
  publish(cx, *s, *policy, /*force=*/false);
  return PCMK_OCF_OK;
}

Result<Exit> notify(Context& cx) {
  const std::string type = cx.meta("notify_type").value_or("");
  const std::string operation = cx.meta("notify_operation").value_or("");
  log::debug("notify " + type + "-" + operation);
  // After any operation in the clone, a peer came, went or changed role: the score may
  // have changed. Notifications never fail the operation they report.
  if (type != "post") return PCMK_OCF_OK;
  Result<drbd::Policy> policy = policy_of(cx);
  Result<ResourceState> s = read_state(cx, cx.deadline.slice(0.5));
  if (policy && s) publish(cx, *s, *policy, /*force=*/false);
  return PCMK_OCF_OK;
}

Result<Exit> monitor(Context& cx) {
  Result<ResourceState> s = state_or_not_running(cx, cx.deadline.slice(0.5));
  if (!s) {
    if (s.error().code == Errc::not_running) return PCMK_OCF_NOT_RUNNING;
    return std::unexpected(s.error());
  }
  Result<drbd::Policy> policy = policy_of(cx);
  if (!policy) {
    log::warning(policy.error().message + "; using the default scores");
    policy = drbd::Policy{};
  }
  Result<Exit> e = monitor_exit(*s, *policy);
  // A probe after a Pacemaker restart finds the resource up: publish again whatever
  // was remembered, since the attribute manager may have lost it.
  publish(cx, *s, *policy, /*force=*/cx.is_probe());
  return e;
}

}  // namespace sft::drbd_agent
