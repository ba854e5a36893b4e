#pragma once
// Which filesystem types this kernel has, or can load.

#include <string>
#include <string_view>

#include "core/sys/system.h"

namespace sft::sys {

// Listed in /proc/filesystems (built in, or its module loaded).
bool filesystem_registered(System& os, std::string_view fstype);

// A module of this kernel provides it: <fstype>.ko in modules.dep, or an "fs-<fstype>"
// alias in modules.alias (EL kernels serve ext2 and ext3 from the ext4 module). The
// kernel asks modprobe for "fs-<fstype>" itself when mounting.
bool filesystem_loadable(System& os, std::string_view fstype);

}  // namespace sft::sys
