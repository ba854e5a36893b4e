#pragma once
// ocf:sft:drbd: one DRBD resource as a promotable clone. The agent reads DRBD's state
// with one query (`drbdsetup events2 --now RESOURCE`, which drbd-utils 9 answers for
// DRBD 9 and 8.4 alike), decides with drbd-glue's policy, and changes DRBD only through
// drbdadm. The promotion score and the role and disk attributes crm_mon -A shows are
// written only when they change.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agents/drbd/params.h"
#include "core/ocf/context.h"
#include "core/ocf/spec.h"
#include "drbd-glue/policy.h"
#include "drbd-glue/proc_drbd.h"
#include "drbd-glue/state.h"

namespace sft::drbd_agent {

using drbd::ResourceState;
using ocf::Context;
using ocf::Exit;

const ocf::AgentSpec& spec();

// The policy the parameters describe (adjust_master_score, require_all_peers_...,
// promote_diskless); policy_or_default warns and falls back to the defaults where an
// action must not fail for a bad value (demote, notify, monitor).
Result<drbd::Policy> policy_of(Context& cx);
drbd::Policy policy_or_default(Context& cx);

// What monitor reports for a resource that is up, by role:
// - Primary: 9 (failed) when some volume reaches no UpToDate data, here or through a
//   Connected peer; else 8.
// - Secondary: 0.
// - any other role: Errc::generic naming it.
// A degraded replication is not an exit code: Pacemaker records 190/191 as the
// monitor's last failure, and a DC elected after the old one died then waits its
// action timeout for the cancel of that monitor (up to 80 s before fencing and
// promotion, Pacemaker 2.1.5 to 3.0). It is the node attribute
// drbd-<resource>-replication instead (publish).
Result<Exit> monitor_exit(const ResourceState& state);
// Degraded: I/O suspended, no quorum, a local disk that is not UpToDate (Diskless under
// promote_diskless aside), or a peer that is not Connected or has a volume not UpToDate.
bool degraded(const ResourceState& state, const drbd::Policy& policy);

// /proc/drbd, or where no module is loaded the file SFT_PROC_DRBD names (the stand-ins').
std::string proc_drbd_path(Context& cx);

// The loaded module's version from /proc/drbd; Errc::not_running when no module is
// loaded (no /proc/drbd), another error when it cannot be read.
Result<drbd::KernelVersion> module_version(Context& cx);

// The resource as DRBD reports it now; Errc::not_running when it is not up here (or no
// module is loaded), Errc::not_installed when the module is loaded but drbdsetup is
// missing, Errc::generic when drbdsetup fails or prints what cannot be read.
Result<ResourceState> read_state(Context& cx, const sys::Deadline& d);

// drbd_resource, once it is a name DRBD could have (drbd::resource_name_problem);
// Errc::configuration naming what is wrong, so no tool ever reads it as an option.
Result<std::string> resource_name(Context& cx);

// drbdadm -c <drbdconf> ARGS... <drbd_resource>, bounded by d. Errc::generic naming the
// command, its exit code and the first line of its stderr when it fails.
Result<void> drbdadm(Context& cx, std::initializer_list<std::string_view> args, const sys::Deadline& d);
// The same, returning what drbdadm did; `shown` gets the command as logs name it.
Result<sys::ProcessResult> drbdadm_run(Context& cx, std::initializer_list<std::string_view> args,
                                       const sys::Deadline& d, std::vector<std::string>& shown);

// Publishes the score the policy gives `state` (removing it for none), and the role,
// disk and replication (ok or degraded) attributes, each only when it differs from what
// this node last published (remembered under /run/sft/drbd) unless `force`. Failures
// are logged, not returned: a stale score is corrected by the next monitor.
void publish(Context& cx, const ResourceState& state, const drbd::Policy& policy, bool force);
// Removes the score and the attributes (stop).
void withdraw(Context& cx);

Result<void> validate(Context& cx);
Result<Exit> start(Context& cx);
Result<Exit> stop(Context& cx);
Result<Exit> promote(Context& cx);
Result<Exit> demote(Context& cx);
Result<Exit> notify(Context& cx);
Result<Exit> monitor(Context& cx);

}  // namespace sft::drbd_agent
