#include "drbd-glue/reader.h"

#include <algorithm>
#include <vector>

#include "core/sys/programs.h"
#include "core/text.h"
#include "drbd-glue/events2.h"

namespace sft::drbd {

Result<KernelVersion> module_version(sys::System& os, const std::string& proc_path) {
  // Only a missing file means no module; one that cannot be read is not a clean stop.
  if (!os.stat(proc_path)) return fail(Errc::not_running, "the DRBD module is not loaded (no " + proc_path + ")");
  Result<std::string> text = os.read_file(proc_path);
  if (!text) return std::unexpected(text.error());
  Result<ProcDrbd> proc = parse_proc_drbd(*text);
  if (!proc) return std::unexpected(proc.error());
  return proc->version;
}

Result<std::string> drbdsetup_for(sys::System& os, const KernelVersion& module, std::string_view path_var) {
  if (module.major < 9) {
    const std::string dirs = std::string(path_var) + ":/lib/drbd:/usr/lib/drbd";
    if (Result<std::string> p = sys::find_program(os, "drbdsetup-84", dirs)) return p;
  }
  return sys::find_program(os, "drbdsetup", path_var);
}

Result<ResourceState> read_resource(sys::System& os, const std::string& drbdsetup, const KernelVersion& module,
                                    const std::string& name, const sys::Deadline& d) {
  const std::vector<std::string> shown{drbdsetup.substr(drbdsetup.rfind('/') + 1), "events2", "--now", name};
  Result<sys::ProcessResult> r = os.run({drbdsetup, "events2", "--now", name}, d);
  if (!r) return std::unexpected(with_context(r.error(), shown[0] + " events2 --now " + name));
  if (!r->ok()) return fail(Errc::generic, sys::describe_failure(shown, *r));
  Result<std::vector<ResourceState>> all = parse_events2(r->out, module.major >= 9 ? Dialect::drbd9 : Dialect::drbd84);
  if (!all) return std::unexpected(all.error());
  const auto it = std::ranges::find(*all, name, &ResourceState::name);
  if (it == all->end()) return fail(Errc::not_running, "DRBD resource " + name + " is not up");
  return *it;
}

}  // namespace sft::drbd
