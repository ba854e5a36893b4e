// sft-fence-peer and sft-unfence-peer: DRBD's fence-peer and after-resync-target
// handlers (drbd-glue/fence_peer.h). DRBD runs them with no arguments of its own and the
// resource in its environment; drbd.conf may add --timeout=SECONDS.
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

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

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string kv = *e;
    const size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

// The resource's minors from the configuration (`drbdadm sh-minor`, which reads
// drbd.conf and asks the kernel nothing), for an 8.4 DRBD that named none.
Result<std::vector<int>> configured_minors(sys::System& os, const std::string& resource,
                                           const std::map<std::string, std::string>& env) {
  Result<std::string> drbdadm = sys::find_program(os, "drbdadm", env.contains("PATH") ? env.at("PATH") : "");
  if (!drbdadm) return std::unexpected(drbdadm.error());
  std::vector<std::string> argv{*drbdadm};
  if (env.contains("DRBD_CONF")) argv.insert(argv.end(), {"-c", env.at("DRBD_CONF")});
  argv.insert(argv.end(), {"sh-minor", resource});  // parse_request checked the name
  Result<sys::ProcessResult> r = os.run(argv, sys::Deadline(os, sys::Millis(10000)));
  if (!r) return std::unexpected(r.error());
  if (!r->ok()) return fail(Errc::generic, sys::describe_failure({"drbdadm", "sh-minor", resource}, *r));
  return drbd::parse_sh_minor(r->out);
}

// This node's state of the resource. On 8.4 it comes from /proc/drbd: DRBD waits for
// this handler inside a state change, and a netlink query could wait for DRBD.
Result<drbd::ResourceState> local_state(sys::System& os, const drbd::FenceRequest& request,
                                        const std::map<std::string, std::string>& env) {
  const std::string proc = env.contains("SFT_PROC_DRBD") ? env.at("SFT_PROC_DRBD") : "/proc/drbd";
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
  Result<std::string> drbdsetup = drbd::drbdsetup_for(os, parsed->version, env.contains("PATH") ? env.at("PATH") : "");
  if (!drbdsetup) return std::unexpected(drbdsetup.error());
  return drbd::read_resource(os, *drbdsetup, parsed->version, request.resource, sys::Deadline(os, sys::Millis(10000)));
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const std::map<std::string, std::string> env = environment();
  const char* self = SFT_UNFENCE ? "sft-unfence-peer" : "sft-fence-peer";
  const auto resource = env.find("DRBD_RESOURCE");
  log::init(self, resource == env.end() ? "" : resource->second, isatty(STDERR_FILENO) != 0);
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
