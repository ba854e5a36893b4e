#pragma once
// A cluster node as the Filesystem handlers see it, in memory: /dev/drbd0 (147:0)
// holding an ext4 filesystem with a clean superblock, the mount point /srv/data, the
// root filesystem mounted, e2fsck and modprobe installed, ext4 and xfs in the kernel.
// Tests change what they need, then call a handler through call()/check().

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <chrono>
#include <memory>

#include "agents/filesystem/filesystem.h"
#include "core/sys/deadline.h"
#include "tests/fakes/fake_system.h"
#include "tests/fakes/fixtures.h"
#include "tests/fakes/invocation.h"

namespace sft::filesystem::testing {

using namespace std::chrono_literals;

inline const dev_t k_drbd = makedev(147, 0);
inline const dev_t k_other = makedev(8, 17);
inline const dev_t k_root = makedev(8, 1);

// Os is FakeSystem or a test's class derived from it.
template <class Os>
struct BasicNode {
  Os os;
  Environment env{
      {"OCF_RESKEY_device", "/dev/drbd0"}, {"OCF_RESKEY_directory", "/srv/data"},
      {"OCF_RESKEY_fstype", "ext4"},       {"OCF_RESOURCE_INSTANCE", "fs1"},
      {"PATH", "/usr/bin:/bin"},
  };

  BasicNode() {
    os.files["/proc/filesystems"] = "nodev\tsysfs\nnodev\tproc\nnodev\ttmpfs\n\text4\n\txfs\n";
    os.files["/lib/modules/6.1.0-fake/modules.dep"] = "kernel/fs/btrfs/btrfs.ko: kernel/lib/raid6/raid6_pq.ko\n";
    os.add_block_device("/dev/drbd0", k_drbd);
    os.add_block_device("/dev/sdb1", k_other);
    set_superblock("ext4_clean.bin");
    os.add_dir("/srv");
    os.add_dir("/srv/data");
    os.add_program("/usr/sbin/e2fsck");
    os.add_program("/usr/sbin/xfs_repair");
    os.add_program("/usr/sbin/modprobe");
    os.add_mount("/dev/sda1", "/", k_root, "ext4");
  }

  // The device's first 2 KiB: zeros, then one of tests/fixtures/superblocks/.
  void set_superblock(const std::string& name) {
    os.files["/dev/drbd0"] = std::string(1024, '\0') + fakes::fixture("superblocks/" + name);
  }
  void remove_device() {
    os.stats.erase("/dev/drbd0");
    os.files.erase("/dev/drbd0");
  }
  void mount_ours() { os.add_mount("/dev/drbd0", "/srv/data", k_drbd, "ext4"); }

  // Runs a handler as Pacemaker would with OCF_RESKEY_CRM_meta_timeout = timeout.
  Result<ocf::Exit> call(Result<ocf::Exit> (*handler)(ocf::Context&), const std::string& action,
                         sys::Millis timeout = 60s) {
    fakes::Invocation inv(spec(), env, os, action, sys::budget_for(timeout));
    return handler(inv.cx);
  }
  Result<void> check() {
    fakes::Invocation inv(spec(), env, os, "validate-all", sys::budget_for(20s));
    return validate(inv.cx);
  }
  bool mounted_here() const {
    auto m = sys::mounted_on(os.mounts, "/srv/data");
    return m && m->dev == k_drbd;
  }
};

using Node = BasicNode<fakes::FakeSystem>;

}  // namespace sft::filesystem::testing
