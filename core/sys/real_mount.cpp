// RealSystem: mounting through libmount, device tags through libblkid.
#include <blkid/blkid.h>
#include <libmount/libmount.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/sys/real_system.h"

namespace sft::sys {
namespace {

struct ContextFree {
  void operator()(libmnt_context* c) const { mnt_free_context(c); }
};
using ContextPtr = std::unique_ptr<libmnt_context, ContextFree>;

// libmount reports the syscall's errno as a negative return or through the context.
std::string mount_reason(libmnt_context* cxt, int rc) {
  char buf[BUFSIZ] = {};
  if (mnt_context_get_excode(cxt, rc, buf, sizeof buf) != 0 && buf[0] != '\0') return buf;
  const int err = mnt_context_get_syscall_errno(cxt);
  return std::strerror(err != 0 ? err : (rc < 0 ? -rc : EIO));
}

Errc kind_of(libmnt_context* cxt, int rc) {
  const int err = mnt_context_syscall_called(cxt) ? mnt_context_get_syscall_errno(cxt) : -rc;
  switch (err) {
    case EBUSY: return Errc::busy;
    case EPERM:
    case EACCES: return Errc::permission;
    case ENODEV: return Errc::not_installed;
    default: return Errc::generic;
  }
}

}  // namespace

Result<void> RealSystem::mount(const MountRequest& r) {
  ContextPtr cxt(mnt_new_context());
  if (!cxt) return fail(Errc::generic, "libmount: cannot allocate a context");
  // No /etc/fstab lookups, no mount helpers (/sbin/mount.*), no utab writes: exactly
  // this device, on this directory, with these options.
  mnt_context_disable_helpers(cxt.get(), 1);
  mnt_context_disable_mtab(cxt.get(), 1);
  mnt_context_set_source(cxt.get(), r.source.c_str());
  mnt_context_set_target(cxt.get(), r.target.c_str());
  mnt_context_set_fstype(cxt.get(), r.fstype.c_str());
  if (!r.options.empty()) mnt_context_set_options(cxt.get(), r.options.c_str());
  const int rc = mnt_context_mount(cxt.get());
  if (rc == 0) return {};
  return fail(kind_of(cxt.get(), rc),
              "mount " + r.source + " on " + r.target + ": " + mount_reason(cxt.get(), rc));
}

Result<void> RealSystem::umount(const std::string& target) {
  ContextPtr cxt(mnt_new_context());
  if (!cxt) return fail(Errc::generic, "libmount: cannot allocate a context");
  mnt_context_disable_helpers(cxt.get(), 1);
  mnt_context_disable_mtab(cxt.get(), 1);
  mnt_context_set_target(cxt.get(), target.c_str());
  const int rc = mnt_context_umount(cxt.get());
  if (rc == 0) return {};
  return fail(kind_of(cxt.get(), rc), "umount " + target + ": " + mount_reason(cxt.get(), rc));
}

Result<std::string> RealSystem::resolve_device(const std::string& spec) {
  if (spec.starts_with("/")) return spec;
  // blkid_evaluate_tag reads the udev symlinks first and probes devices only if needed.
  char* path = blkid_evaluate_tag(spec.c_str(), nullptr, nullptr);
  if (path == nullptr) return fail(Errc::not_installed, "no device carries " + spec);
  std::string result(path);
  std::free(path);
  return result;
}

}  // namespace sft::sys
