// The actions of ocf:sft:drbd.
#include <algorithm>
#include <string>

#include "agents/drbd/drbd.h"
#include "core/log/log.h"
#include "core/ocf/params.h"
#include "core/sys/programs.h"
#include "core/text.h"
#include "core/values.h"
#include "drbd-glue/drbd_conf.h"
#include "drbd-glue/promote_by.h"
#include "drbd-glue/proc_drbd.h"

namespace sft::drbd_agent {

namespace {

using drbd::DiskState;
using drbd::Role;
using sys::Millis;

constexpr Millis k_poll{500};
constexpr Millis k_pause{1000};         // between attempts of a refused role change
constexpr Millis k_reserve{1500};       // kept back from an attempt for reading the outcome
constexpr int k_no_uptodate_data = 17;  // drbdadm primary: "(-2) Need access to UpToDate data"
constexpr int k_minor_not_allocated = 10;

bool all_peers_connected(const ResourceState& s) {
  return std::ranges::all_of(s.peers,
                             [](const drbd::Peer& p) { return p.connection == drbd::ConnectionState::connected; });
}

// The local volume reaches UpToDate data: its own, or a Connected peer's while it is
// Diskless on purpose (a DRBD 9 client) or by failure.
bool reaches_uptodate(const ResourceState& s, const drbd::Volume& v) {
  return v.disk == DiskState::up_to_date || drbd::some_peer_has_uptodate(s, v.volume);
}

// The module version the parameter asks for, or nullopt for any.
Result<std::optional<drbd::KernelVersion>> required_version(Context& cx) {
  const std::string& text = cx.params[param::require_drbd_module_version];
  if (text.empty()) return std::optional<drbd::KernelVersion>();
  std::optional<drbd::KernelVersion> v = drbd::parse_kernel_version(text);
  if (!v)
    return fail(Errc::configuration, "require_drbd_module_version '" + text + "': expected a version like 8.4.11");
  return v;
}

// Runs `drbdadm ACTION` until the resource has `role` or the time runs out. DRBD refuses a
// role change for a while after a peer changed (a Primary peer still disconnecting, a
// device briefly held open); those pass. Each attempt may use what is left but a
// reserve for reading the outcome, so a primary that waits on DRBD's fence-peer handler
// is not cut short. No UpToDate data to promote, and a resource that is not up, end it.
Result<void> change_role(Context& cx, std::string_view action, Role role) {
  std::string last = "drbdadm " + std::string(action) + " was not tried";
  for (int attempt = 1;; ++attempt) {
    const Millis budget = cx.deadline.remaining() - k_reserve;
    if (budget <= Millis::zero()) break;
    std::vector<std::string> shown;
    Result<sys::ProcessResult> r = drbdadm_run(cx, {action}, cx.deadline.within(budget), shown);
    Result<ResourceState> now = read_state(cx, cx.deadline.slice(0.5));
    if (now && now->role == role) return {};
    if (!r) return std::unexpected(r.error());  // could not run it, or it ran out of time
    if (!r->ok())
      last = sys::describe_failure(shown, *r);
    else if (!now)
      last = now.error().message;
    else
      last = "drbdadm " + std::string(action) + " succeeded but the role is " + std::string(drbd::name(now->role));
    if (r->exit_code == k_no_uptodate_data || r->exit_code == k_minor_not_allocated) return fail(Errc::generic, last);
    log::warning("attempt " + std::to_string(attempt) + ": " + last);
    if (cx.deadline.remaining() < k_pause + k_reserve || !cx.deadline.sleep_for(k_pause)) break;
  }
  return fail(Errc::generic, last + " (still failing when the time ran out)");
}

// Whether the resource is down as 8.4's /proc/drbd shows it (its minors, from the
// configuration, unconfigured): for a stop that could not read the state through
// drbdsetup. nullopt where it cannot tell (DRBD 9 lists no resources there).
std::optional<bool> down_in_proc(Context& cx) {
  Result<drbd::KernelVersion> v = module_version(cx);
  if (!v) return v.error().code == Errc::not_running ? std::optional<bool>(true) : std::nullopt;
  if (v->major >= 9) return std::nullopt;
  std::vector<std::string> shown;
  Result<sys::ProcessResult> minors = drbdadm_run(cx, {"sh-minor"}, cx.deadline.slice(0.2), shown);
  Result<std::string> text = cx.os.read_file(proc_drbd_path(cx));
  if (!minors || !minors->ok() || !text) return std::nullopt;
  Result<std::vector<int>> numbers = drbd::parse_sh_minor(minors->out);
  Result<drbd::ProcDrbd> proc = drbd::parse_proc_drbd(*text);
  if (!proc || !numbers) return std::nullopt;
  Result<ResourceState> r = drbd::resource_from_proc(cx.params[param::drbd_resource], *proc, *numbers);
  return !r && r.error().code == Errc::not_running;
}

// `drbdadm down` until the resource is down or the time runs out: a Secondary may be held
// open for a moment after a demote (udev's blkid, an LVM scan). Down is confirmed by
// drbdsetup, or where it cannot answer, by /proc/drbd.
Result<void> take_down(Context& cx) {
  std::string last = "drbdadm down was not tried";
  for (int attempt = 1;; ++attempt) {
    const Millis budget = cx.deadline.remaining() - k_reserve;
    if (budget <= Millis::zero()) break;
    Result<void> r = drbdadm(cx, {"down"}, cx.deadline.within(budget));
    Result<ResourceState> now = read_state(cx, cx.deadline.slice(0.5));
    if (!now && now.error().code == Errc::not_running) return {};
    if (r && !now && down_in_proc(cx) == true) {
      log::info("drbdadm down succeeded and /proc/drbd shows the resource down (" + now.error().message + ")");
      return {};
    }
    last = !r ? r.error().message : now ? "drbdadm down succeeded but the resource is still up" : now.error().message;
    log::warning("attempt " + std::to_string(attempt) + ": " + last);
    if (cx.deadline.remaining() < k_pause + k_reserve || !cx.deadline.sleep_for(k_pause)) break;
  }
  return fail(Errc::generic, last + " (still failing when the time ran out)");
}

// A cluster option as the CIB holds it; nullopt when unset or the CIB cannot be asked
// (outside a cluster).
std::optional<std::string> cluster_option(Context& cx, const std::string& name) {
  Result<std::string> out =
      cx.run_checked({"crm_attribute", "--type", "crm_config", "--name", name, "--query", "--quiet"},
                     cx.deadline.slice(0.3));
  if (!out || trim(*out).empty()) return std::nullopt;
  return std::string(trim(*out));
}

// The cluster's stonith-enabled, when the CIB can be asked.
std::optional<bool> stonith_enabled(Context& cx) {
  const std::optional<std::string> option = cluster_option(cx, "stonith-enabled");
  if (!option) return std::nullopt;
  Result<bool> enabled = parse_boolean(*option);
  if (!enabled) return std::nullopt;
  return *enabled;
}

// A fence-peer handler told to wait less than a fence may take gives up first: a Primary
// cut off from its peer then keeps its I/O frozen until an administrator resumes it.
// Logged, not refused: nothing is lost.
void warn_short_handler(Context& cx, const drbd::FencingConfig& config) {
  const Result<std::optional<Millis>> timeout = drbd::handler_timeout(config);
  if (!timeout || !*timeout) return;  // none, or refused (fencing_problem says so)
  const std::optional<Millis>& wait = *timeout;
  const std::string setting = cluster_option(cx, "stonith-timeout").value_or("60s");  // Pacemaker's default
  Result<Millis> fencing = parse_duration(setting);
  if (!fencing || *wait >= *fencing) return;
  log::warning("the fence-peer handler waits " + format_seconds(*wait) + " s (--timeout), less than stonith-timeout=" +
               setting + ": a Primary cut off from its peer keeps its I/O frozen after the handler gives up, until "
               "drbdadm resume-io");
}

// Refuses (or, with unsafe_without_fencing, logs) a configuration that cannot keep
// acknowledged writes when the nodes lose each other (drbd::fencing_problem).
Result<void> check_fencing(Context& cx, const std::string& resource) {
  // "all": a single resource's dump leaves out what it inherits from common.
  Result<std::string> dump = cx.run_checked({"drbdadm", "-c", cx.params[param::drbdconf], "dump", "all"},
                                            cx.deadline.slice(0.3), {"drbdadm", "dump", "all"});
  if (!dump) return std::unexpected(dump.error());
  Result<drbd::FencingConfig> config = drbd::fencing_config(*dump, resource);
  if (!config) return std::unexpected(config.error());
  // Before start no module may be loaded: a quorum then counts as DRBD 9's (8.4's
  // drbdadm does not read one).
  Result<drbd::KernelVersion> module = module_version(cx);
  const int major = module ? module->major : 9;
  const std::optional<std::string> problem = drbd::fencing_problem(*config, resource, major, stonith_enabled(cx));
  if (!problem) {
    warn_short_handler(cx, *config);
    return {};
  }
  if (!cx.params[param::unsafe_without_fencing]) return fail(Errc::configuration, *problem);
  log::warning(*problem + " (running anyway: unsafe_without_fencing=true)");
  return {};
}

bool is_true(const std::optional<std::string>& v) {
  return v && (*v == "true" || *v == "yes" || *v == "1" || *v == "on");
}

}  // namespace

Result<drbd::Policy> policy_of(Context& cx) {
  drbd::Policy p;
  Result<drbd::Ladder> ladder = drbd::parse_ladder(cx.params[param::adjust_master_score]);
  if (!ladder) return fail(Errc::configuration, ladder.error().message);
  p.ladder = *ladder;
  p.require_all_peers_uptodate_to_promote = cx.params[param::require_all_peers_uptodate_to_promote];
  p.promote_diskless = cx.params[param::promote_diskless];
  return p;
}

drbd::Policy policy_or_default(Context& cx) {
  Result<drbd::Policy> p = policy_of(cx);
  if (p) return *p;
  log::warning(p.error().message + "; using the default scores");
  drbd::Policy fallback;
  fallback.require_all_peers_uptodate_to_promote = cx.params[param::require_all_peers_uptodate_to_promote];
  fallback.promote_diskless = cx.params[param::promote_diskless];
  return fallback;
}

bool degraded(const ResourceState& s, const drbd::Policy& policy) {
  if (s.suspended || s.quorum == false) return true;
  for (const drbd::Volume& v : s.volumes) {
    if (v.disk == DiskState::up_to_date) continue;
    const bool diskless_by_design = v.disk == DiskState::diskless && (v.client || policy.promote_diskless);
    if (!(diskless_by_design && drbd::some_peer_has_uptodate(s, v.volume))) return true;
  }
  return drbd::peer_behind(s).has_value();
}

Result<Exit> monitor_exit(const ResourceState& s) {
  switch (s.role) {
    case Role::primary:
      for (const drbd::Volume& v : s.volumes)
        if (!reaches_uptodate(s, v)) return PCMK_OCF_FAILED_PROMOTED;
      return PCMK_OCF_RUNNING_PROMOTED;
    case Role::secondary:
      return PCMK_OCF_OK;
    default:
      return fail(Errc::generic, "DRBD resource " + s.name + " reports role " + std::string(drbd::name(s.role)));
  }
}

Result<void> validate(Context& cx) {
  if (Result<std::string> name = resource_name(cx); !name) return std::unexpected(name.error());
  if (const std::string& conf = cx.params[param::drbdconf]; !conf.starts_with("/"))
    return fail(Errc::configuration, "drbdconf '" + conf + "': must be an absolute path");
  if (Result<drbd::Policy> p = policy_of(cx); !p) return std::unexpected(p.error());
  if (Result<std::optional<drbd::KernelVersion>> v = required_version(cx); !v) return std::unexpected(v.error());
  if (cx.is_clone()) {
    if (!is_true(cx.meta("promotable")) && !cx.meta("promoted_max") && !cx.meta("master_max"))
      log::warning("the clone is not promotable: no node will become Primary");
    if (is_true(cx.meta("globally_unique")))
      return fail(Errc::configuration, "globally-unique=true: a DRBD resource has one instance per node");
    for (const char* key : {"clone_node_max", "promoted_node_max", "master_node_max"})
      if (const std::optional<std::string> v = cx.meta(key); v && *v != "1")
        return fail(Errc::configuration, std::string(key) + "=" + *v + ": must be 1 for DRBD");
  }
  // The resource must be in this node's configuration: drbdadm parses it for us.
  std::vector<std::string> shown;
  Result<sys::ProcessResult> r = drbdadm_run(cx, {"sh-minor"}, cx.deadline.slice(0.5), shown);
  if (!r) return std::unexpected(r.error());
  if (r->ok()) return check_fencing(cx, cx.params[param::drbd_resource]);
  const std::string why = sys::describe_failure(shown, *r);
  // drbdadm: "'r9' not defined in your config (for this host)." (exit 1; 10 for some commands)
  if ((r->exit_code == 1 || r->exit_code == 10) && r->err.find("not defined in your config") != std::string::npos)
    return fail(Errc::not_installed,
                "DRBD resource " + cx.params[param::drbd_resource] + " is not configured here (" + why + ")");
  return fail(Errc::generic, why);
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
  Result<ResourceState> s = read_state(cx, cx.deadline.slice(0.3));
  if (!s) return fail(Errc::generic, "after drbdadm adjust: " + s.error().message);
  // Started means Unpromoted: a resource left Primary (by hand, or by an earlier life of
  // this node) is demoted, or its monitor would report 8 to a Pacemaker expecting 0.
  if (s->role == Role::primary) {
    log::info("DRBD resource " + s->name + " was Primary at start: demoting it");
    if (Result<void> r = change_role(cx, "secondary", Role::secondary); !r) return std::unexpected(r.error());
  }
  // Wait, bounded, for the peers: a start that returns before they connect gives
  // Pacemaker a score computed with every peer unknown.
  const sys::Deadline wait = cx.deadline.within(cx.params[param::wfc_timeout]);
  s = read_state(cx, cx.deadline.slice(0.3));
  while (s && !all_peers_connected(*s) && wait.sleep_for(k_poll)) s = read_state(cx, cx.deadline.slice(0.3));
  if (!s) return fail(Errc::generic, "after drbdadm adjust: " + s.error().message);
  if (!all_peers_connected(*s)) log::info("starting without every peer connected (wfc_timeout passed)");
  publish(cx, *s, *policy, /*force=*/true);
  return PCMK_OCF_OK;
}

Result<Exit> stop(Context& cx) {
  Result<ResourceState> s = read_state(cx, cx.deadline.slice(0.2));
  if (!s && (s.error().code == Errc::configuration || s.error().code == Errc::not_installed))
    return std::unexpected(s.error());
  if (!s && s.error().code == Errc::not_running) {
    withdraw(cx);
    return PCMK_OCF_OK;
  }
  if (!s) {
    // drbdsetup timed out (another command held DRBD's lock) or printed what cannot be
    // read. A failed stop gets this node fenced: demote and take it down all the same.
    log::warning("cannot read DRBD resource " + cx.params[param::drbd_resource] + " (" + s.error().message +
                 "): demoting and taking it down anyway");
    if (Result<void> r = drbdadm(cx, {"secondary"}, cx.deadline.slice(0.4)); !r) log::warning(r.error().message);
    if (Result<void> r = take_down(cx); !r) return std::unexpected(r.error());
    withdraw(cx);
    return PCMK_OCF_OK;
  }
  if (s->role == Role::primary) {
    if (Result<void> r = change_role(cx, "secondary", Role::secondary); !r) return std::unexpected(r.error());
  }
  const bool outdate =
      cx.params[param::stop_outdates_secondary] && std::ranges::any_of(s->peers, [](const drbd::Peer& p) {
        return p.role == Role::primary && p.connection == drbd::ConnectionState::connected;
      });
  if (Result<void> r = take_down(cx); !r) return std::unexpected(r.error());
  if (outdate) {
    if (Result<void> r = drbdadm(cx, {"outdate"}, cx.deadline.slice(0.5)); !r)
      log::warning("could not outdate after stop: " + r.error().message);
    else
      log::info("marked the local data Outdated: the peer stays Primary");
  }
  withdraw(cx);
  return PCMK_OCF_OK;
}

Result<Exit> promote(Context& cx) {
  Result<drbd::Policy> policy = policy_of(cx);
  if (!policy) return std::unexpected(policy.error());
  Result<ResourceState> s = read_state(cx, cx.deadline.slice(0.2));
  if (!s && s.error().code == Errc::configuration) return std::unexpected(s.error());
  if (!s) return fail(Errc::generic, "cannot promote: " + s.error().message);
  if (s->role != Role::primary) {
    if (const std::optional<std::string> why = drbd::promotion_refusal(*s, *policy)) {
      publish(cx, *s, *policy, /*force=*/false);
      return fail(Errc::generic, "refusing to promote: " + *why);
    }
    // DRBD may run its fence-peer handler inside `drbdadm primary`: sft-fence-peer
    // answers by this promote's end, keeping a reserve to read the outcome.
    const std::string by = drbd::promote_by_path(cx.params[param::drbd_resource]);
    const bool told = cx.os.make_dirs("/run/sft/drbd", 0700) &&
                      cx.os.write_file(by, drbd::format_promote_by(cx.os.now() + cx.deadline.remaining() - 3 * k_reserve), 0600);
    if (!told) log::warning("cannot leave the promote's end for sft-fence-peer in " + by);
    Result<void> changed = change_role(cx, "primary", Role::primary);
    if (told) (void)cx.os.remove_file(by);
    if (!changed) return std::unexpected(changed.error());
    s = read_state(cx, cx.deadline.slice(0.5));
    if (!s) return std::unexpected(s.error());
  }
  publish(cx, *s, *policy, /*force=*/false);
  return PCMK_OCF_OK;
}

Result<Exit> demote(Context& cx) {
  Result<ResourceState> s = read_state(cx, cx.deadline.slice(0.2));
  if (!s && s.error().code == Errc::configuration) return std::unexpected(s.error());
  if (!s) return fail(Errc::generic, "cannot demote: " + s.error().message);
  if (s->role == Role::primary) {
    if (Result<void> r = change_role(cx, "secondary", Role::secondary); !r) return std::unexpected(r.error());
    s = read_state(cx, cx.deadline.slice(0.5));
    if (!s) return std::unexpected(s.error());
  }
  publish(cx, *s, policy_or_default(cx), /*force=*/false);
  return PCMK_OCF_OK;
}

Result<Exit> notify(Context& cx) {
  const std::string type = cx.meta("notify_type").value_or("");
  const std::string operation = cx.meta("notify_operation").value_or("");
  log::debug("notify " + type + "-" + operation);
  // After any operation in the clone, a peer came, went or changed role: the score may
  // have changed. Notifications never fail the operation they report.
  if (type != "post") return PCMK_OCF_OK;
  Result<ResourceState> s = read_state(cx, cx.deadline.slice(0.5));
  if (s) publish(cx, *s, policy_or_default(cx), /*force=*/false);
  return PCMK_OCF_OK;
}

Result<Exit> monitor(Context& cx) {
  Result<ResourceState> s = read_state(cx, cx.deadline.slice(0.5));
  if (!s) {
    if (s.error().code == Errc::not_running) return PCMK_OCF_NOT_RUNNING;
    return std::unexpected(s.error());
  }
  const drbd::Policy policy = policy_or_default(cx);
  Result<Exit> e = monitor_exit(*s);
  // A probe after a Pacemaker restart finds the resource up: publish again whatever
  // was remembered, since the attribute manager may have lost it.
  publish(cx, *s, policy, /*force=*/cx.is_probe());
  return e;
}

}  // namespace sft::drbd_agent
