// ocf:sft:Filesystem's parameters and actions: the data core/ocf turns into meta-data,
// parsing and dispatch.
#include "agents/filesystem/filesystem.h"

namespace sft::filesystem {
namespace {

using ocf::ParamType;
using std::chrono::seconds;

ocf::AgentSpec make_spec() {
  ocf::AgentSpec s;
  s.name = "Filesystem";
  s.version = SFT_VERSION;
  s.shortdesc = "Mounts an XFS or ext4 filesystem (the one on a DRBD device, say)";
  s.longdesc =
      "Mounts a local filesystem (xfs, ext4, ext3, ext2, btrfs) on one node at a time. "
      "Monitor at depth 0 reads the kernel's mount table and compares device numbers, "
      "without starting any process; depth 10 also reads a block of the device and depth 20 "
      "writes and reads back a status file, both with direct I/O in a child process bounded "
      "by the operation's timeout. Stop finds the processes that keep the filesystem busy by "
      "scanning /proc (all mount namespaces), signals them in steps that fit the timeout, and "
      "never unmounts lazily.";
  s.params = {
      {.name = param::device.name(), .shortdesc = "block device",
       .longdesc = "The block device to mount: a path (/dev/drbd0, /dev/mapper/vg-lv), LABEL=name or UUID=uuid.",
       .required = true},
      {.name = param::directory.name(), .shortdesc = "mount point",
       .longdesc = "The absolute path to mount the filesystem on.", .required = true, .unique_group = "directory"},
      {.name = param::fstype.name(), .type = ParamType::select, .shortdesc = "filesystem type",
       .longdesc = "The filesystem type. Cluster filesystems are not supported: this agent refuses to run as a clone.",
       .required = true, .choices = {"xfs", "ext4", "ext3", "ext2", "btrfs"}},
      {.name = param::options.name(), .shortdesc = "mount options",
       .longdesc = "Mount options as in fstab, comma-separated (noatime,nodiratime). Handed to libmount as they "
                   "are, never to a shell. bind, move, remount and loop are refused."},
      {.name = param::run_fsck.name(), .type = ParamType::select, .shortdesc = "check before mounting",
       .longdesc = "auto: run e2fsck -p on ext2/3/4 only when the superblock says the filesystem has errors or "
                   "was not cleanly unmounted without a journal; never on xfs or btrfs, whose logs replay on "
                   "mount. force: always check, even a filesystem marked clean (e2fsck -f -p, xfs_repair, "
                   "btrfs check --readonly). no: never.",
       .default_value = "auto", .choices = {"auto", "force", "no"}},
      {.name = param::force_unmount.name(), .type = ParamType::select, .shortdesc = "kill processes that block stop",
       .longdesc = "true or safe: signal the processes that keep the filesystem busy (found by scanning /proc, "
                   "never with fuser, so a hung mount elsewhere cannot hang stop). false: fail the stop and "
                   "name them.",
       .default_value = "true", .reloadable = true, .choices = {"true", "safe", "false"}},
      {.name = param::term_signals.name(), .shortdesc = "signals sent first",
       .longdesc = "Signals sent to blocking processes during the first half of the stop timeout, comma- or "
                   "space-separated names or numbers.",
       .default_value = "TERM", .reloadable = true},
      {.name = param::kill_signals.name(), .shortdesc = "signals sent last",
       .longdesc = "Signals sent to processes still blocking in the second half of the stop timeout.",
       .default_value = "KILL", .reloadable = true},
      {.name = param::signal_delay.name(), .type = ParamType::time, .shortdesc = "wait after signalling",
       .longdesc = "How long to wait after each round of signals before trying to unmount again.",
       .default_value = "1s", .reloadable = true},
      {.name = param::statusfile_prefix.name(), .shortdesc = "status file location",
       .longdesc = "Relative path inside the filesystem where monitor depth 20 writes its status file "
                   "(<prefix><resource>_<node>).",
       .default_value = ".Filesystem_status/", .reloadable = true},
      {.name = param::create_directory.name(), .type = ParamType::boolean, .shortdesc = "create the mount point",
       .longdesc = "Create the mount point (mode 0755) when it does not exist.", .default_value = "true",
       .reloadable = true},
  };
  s.actions = {
      {.name = "start", .timeout = seconds(60)},
      {.name = "stop", .timeout = seconds(60)},
      {.name = "monitor", .timeout = seconds(40), .interval = seconds(20), .depth = 0},
      {.name = "validate-all", .timeout = seconds(20)},
      {.name = "reload-agent", .timeout = seconds(20)},
      {.name = "meta-data", .timeout = seconds(5)},
  };
  s.handlers = {{"start", start}, {"stop", stop}, {"monitor", monitor}};
  s.validate = validate;
  s.names = &param_names();
  return s;
}

}  // namespace

ocf::ParamNames& param_names() {
  static ocf::ParamNames names;
  return names;
}

const ocf::AgentSpec& spec() {
  static const ocf::AgentSpec s = make_spec();
  return s;
}

}  // namespace sft::filesystem
