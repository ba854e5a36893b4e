// sft-fence-peer and sft-unfence-peer: DRBD's fence-peer and after-resync-target
// handlers (drbd-glue/fence_peer.h). DRBD runs them with no arguments of its own and the
// resource in its environment; drbd.conf may add --timeout=SECONDS.
#include <unistd.h>

#include <string>
#include <vector>

#include "core/env.h"
#include "core/log/log.h"
#include "core/pcmk/cluster.h"
#include "core/sys/programs.h"
#include "core/sys/real_system.h"
#include "core/text.h"
#include "drbd-glue/fence_peer.h"
#include "drbd-glue/proc_drbd.h"
#include "drbd-glue/reader.h"

extern char** environ;

namespace {

using namespace sft;

// The resource's minors from the configuration (`drbdadm sh-minor`, which reads
// drbd.conf and asks the kernel nothing), for an 8.4 DRBD that named none.
Result<std::vector<int>> configured_minors(sys::System& os, const std::string& resource, const Environment& env) {
  std::vector<std::string> argv{"drbdadm"};
  if (auto conf = lookup(env, "DRBD_CONF")) argv.insert(argv.end(), {"-c", *conf});
  argv.insert(argv.end(), {"sh-minor", resource});  // parse_request checked the name
  Result<std::string> out = sys::run_checked(os, std::move(argv), lookup(env, "PATH").value_or(""),
                                             sys::Deadline(os, sys::Millis(10000)), {"drbdadm", "sh-minor", resource});
  if (!out) return std::unexpected(out.error());
  return drbd::parse_sh_minor(*out);
}

// This node's state of the resource. On 8.4 it comes from /proc/drbd: DRBD waits for
// this handler inside a state change, and a netlink query could wait for DRBD.
Result<drbd::ResourceState> local_state(sys::System& os, const drbd::FenceRequest& request, const Environment& env) {
  const std::string proc = lookup(env, "SFT_PROC_DRBD").value_or("/proc/drbd");
  Result<std::string> text = os.read_file(proc);
  if (!text) return fail(Errc::not_running, "the DRBD module is not loaded (no " + proc + ")");
  Result<drbd::ProcDrbd> parsed = drbd::parse_proc_drbd(*text);
  if (!parsed) return std::unexpected(parsed.error());
  if (parsed->version.major < 9) {
    if (!request.minors.empty()) return drbd::resource_from_proc(request.resource, *parsed, request.minors);
    Result<std::vector<int>> minors = configured_minors(os, request.resource, env);
    if (!minors) return std::unexpected(minors.error());
    return drbd::resource_from_proc(request.resource, *parsed, *minors);
  }
  Result<std::string> drbdsetup = drbd::drbdsetup_for(os, parsed->version, lookup(env, "PATH").value_or(""));
  if (!drbdsetup) return std::unexpected(drbdsetup.error());
  return drbd::read_resource(os, *drbdsetup, parsed->version, request.resource, sys::Deadline(os, sys::Millis(10000)));
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const Environment env = read_environment(environ);
  const char* self = SFT_UNFENCE ? "sft-unfence-peer" : "sft-fence-peer";
  log::Config logging = log::from_environment(env, self, lookup(env, "DRBD_RESOURCE").value_or(""));
  logging.to_stderr = isatty(STDERR_FILENO) != 0;
  log::init(logging);
  Result<drbd::FenceRequest> request = drbd::parse_request(env, args);
  if (!request) {
    log::error(request.error().message);
    log::close();
    return 1;
  }
  sys::RealSystem os;
  // A promote of ocf:sft:drbd waiting on this answer (past ends are stale files).
  if (Result<std::string> by = os.read_file(drbd::promote_by_path(request->resource)); by && !SFT_UNFENCE)
    if (std::optional<sys::Clock::time_point> t = drbd::parse_promote_by(*by); t && *t > os.now())
      request->answer_by = t;
  const Result<drbd::ResourceState> local = local_state(os, *request, env);
  std::unique_ptr<pcmk::Cluster> cluster = pcmk::connect_cluster();
  const drbd::Verdict v =
      SFT_UNFENCE ? drbd::unfence_peer(*cluster, os, *request, local) : drbd::fence_peer(*cluster, os, *request, local);
  (v.exit_code == drbd::k_helper_failed ? log::warning : log::info)(v.why + " (exit " +
                                                                                  std::to_string(v.exit_code) + ")");
  log::close();
  return v.exit_code;
}
