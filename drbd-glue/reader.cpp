#include "drbd-glue/reader.h"

#include <algorithm>
#include <vector>

#include "core/text.h"
#include "drbd-glue/events2.h"

namespace sft::drbd {

Result<KernelVersion> module_version(sys::System& os, const std::string& proc_path) {
  Result<std::string> text = os.read_file(proc_path);
  if (!text) return fail(Errc::not_running, "the DRBD module is not loaded (no " + proc_path + ")");
  Result<ProcDrbd> proc = parse_proc_drbd(*text);
  if (!proc) return std::unexpected(proc.error());
  return proc->version;
}

Result<ResourceState> read_resource(sys::System& os, const std::string& drbdsetup, const std::string& proc_path,
                                    const std::string& name, const sys::Deadline& d) {
  Result<KernelVersion> version = module_version(os, proc_path);
  if (!version) return std::unexpected(version.error());
  const std::string command = "drbdsetup events2 --now " + name;
  Result<sys::ProcessResult> r = os.run({drbdsetup, "events2", "--now", name}, d);
  if (!r) return std::unexpected(with_context(r.error(), command));
  if (!r->ok()) {
    std::string line = command + " exited " + std::to_string(r->exit_code);
    const std::string_view why = trim(r->err);
    if (!why.empty()) line += ": " + std::string(why.substr(0, why.find('\n')));
    return fail(Errc::generic, line);
  }
  Result<std::vector<ResourceState>> all =
      parse_events2(r->out, version->major >= 9 ? Dialect::drbd9 : Dialect::drbd84);
  if (!all) return std::unexpected(all.error());
  const auto it = std::ranges::find(*all, name, &ResourceState::name);
  if (it == all->end()) return fail(Errc::not_running, "DRBD resource " + name + " is not up");
  return *it;
}

}  // namespace sft::drbd
