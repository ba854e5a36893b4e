#pragma once
// Reading a resource's state on this node, for the agent and the handlers alike.

#include <string>

#include "core/result.h"
#include "core/sys/system.h"
#include "drbd-glue/proc_drbd.h"
#include "drbd-glue/state.h"

namespace sft::drbd {

// The loaded module's version from /proc/drbd (or the file at proc_path); Errc::not_running
// when the file does not exist (no module is loaded), another error when it cannot be read.
Result<KernelVersion> module_version(sys::System& os, const std::string& proc_path);

// The drbdsetup to ask about a module of this version. drbd-utils 9's drbdsetup hands
// an 8.x module over to drbdsetup-84 with an exec of its own; running drbdsetup-84
// directly (PATH, then /lib/drbd and /usr/lib/drbd, where drbd-utils 9 keeps it) saves
// that step. Else drbdsetup; Errc::not_installed when neither is found.
Result<std::string> drbdsetup_for(sys::System& os, const KernelVersion& module, std::string_view path_var);

// `drbdsetup events2 --now NAME` (drbdsetup at the given path, drbdsetup_for) read in
// the dialect of the loaded module (module_version). Errc::not_running when the resource
// is not up; Errc::generic, naming the command, when drbdsetup fails or prints what
// cannot be read.
Result<ResourceState> read_resource(sys::System& os, const std::string& drbdsetup, const KernelVersion& module,
                                    const std::string& name, const sys::Deadline& d);

}  // namespace sft::drbd
