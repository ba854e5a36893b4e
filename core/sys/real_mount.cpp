// RealSystem: mounting through libmount, device tags through libblkid. Both are
// opened on first use: monitor, the hot path, needs neither.
#include <blkid/blkid.h>
#include <libmount/libmount.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

#include "core/sys/real_system.h"
#include "core/sys/shared_library.h"

namespace sft::sys {
namespace {

struct MountApi {
  decltype(&mnt_new_context) new_context = nullptr;
  decltype(&mnt_free_context) free_context = nullptr;
  decltype(&mnt_context_disable_helpers) disable_helpers = nullptr;
  decltype(&mnt_context_disable_mtab) disable_mtab = nullptr;
  decltype(&mnt_context_set_source) set_source = nullptr;
  decltype(&mnt_context_set_target) set_target = nullptr;
  decltype(&mnt_context_set_fstype) set_fstype = nullptr;
  decltype(&mnt_context_set_options) set_options = nullptr;
  decltype(&mnt_context_mount) mount = nullptr;
  decltype(&mnt_context_umount) umount = nullptr;
  decltype(&mnt_context_get_excode) get_excode = nullptr;
  decltype(&mnt_context_get_syscall_errno) syscall_errno = nullptr;
  decltype(&mnt_context_syscall_called) syscall_called = nullptr;
};

Result<const MountApi*> mount_api() {
  static SharedLibrary lib({"libmount.so.1"});
  static MountApi api;
  static Result<void> loaded = [] () -> Result<void> {
    for (auto r : {lib.bind(api.new_context, "mnt_new_context"), lib.bind(api.free_context, "mnt_free_context"),
                   lib.bind(api.disable_helpers, "mnt_context_disable_helpers"),
                   lib.bind(api.disable_mtab, "mnt_context_disable_mtab"),
                   lib.bind(api.set_source, "mnt_context_set_source"),
                   lib.bind(api.set_target, "mnt_context_set_target"),
                   lib.bind(api.set_fstype, "mnt_context_set_fstype"),
                   lib.bind(api.set_options, "mnt_context_set_options"), lib.bind(api.mount, "mnt_context_mount"),
                   lib.bind(api.umount, "mnt_context_umount"), lib.bind(api.get_excode, "mnt_context_get_excode"),
                   lib.bind(api.syscall_errno, "mnt_context_get_syscall_errno"),
                   lib.bind(api.syscall_called, "mnt_context_syscall_called")})
      if (!r) return r;
    return {};
  }();
  if (!loaded) return std::unexpected(loaded.error());
  return &api;
}

// A libmount context that does exactly what it is told: no /etc/fstab lookups, no
// mount helpers (/sbin/mount.*), no utab writes.
using Context = std::unique_ptr<libmnt_context, void (*)(libmnt_context*)>;
Result<Context> new_context(const MountApi& m) {
  Context cxt(m.new_context(), m.free_context);
  if (!cxt) return fail(Errc::generic, "libmount: cannot allocate a context");
  m.disable_helpers(cxt.get(), 1);
  m.disable_mtab(cxt.get(), 1);
  return cxt;
}

// libmount reports the syscall's errno as a negative return or through the context.
Error mount_error(const MountApi& m, libmnt_context* cxt, int rc, const std::string& what) {
  const int err = m.syscall_called(cxt) ? m.syscall_errno(cxt) : (rc < 0 ? -rc : 0);
  const Errc code = err == EBUSY                    ? Errc::busy
                    : (err == EPERM || err == EACCES) ? Errc::permission
                    : err == ENODEV                   ? Errc::not_installed
                                                      : Errc::generic;
  char buf[BUFSIZ] = {};
  std::string reason;
  if (m.get_excode(cxt, rc, buf, sizeof buf) != 0 && buf[0] != '\0') reason = buf;
  if (reason.empty()) reason = std::strerror(err != 0 ? err : EIO);
  return Error{code, what + ": " + reason};
}

}  // namespace

Result<void> RealSystem::mount(const MountRequest& r) {
  auto m = mount_api();
  if (!m) return std::unexpected(m.error());
  auto cxt = new_context(**m);
  if (!cxt) return std::unexpected(cxt.error());
  (*m)->set_source(cxt->get(), r.source.c_str());
  (*m)->set_target(cxt->get(), r.target.c_str());
  (*m)->set_fstype(cxt->get(), r.fstype.c_str());
  if (!r.options.empty()) (*m)->set_options(cxt->get(), r.options.c_str());
  const int rc = (*m)->mount(cxt->get());
  if (rc == 0) return {};
  return std::unexpected(mount_error(**m, cxt->get(), rc, "mount " + r.source + " on " + r.target));
}

Result<void> RealSystem::umount(const std::string& target) {
  auto m = mount_api();
  if (!m) return std::unexpected(m.error());
  auto cxt = new_context(**m);
  if (!cxt) return std::unexpected(cxt.error());
  (*m)->set_target(cxt->get(), target.c_str());
  const int rc = (*m)->umount(cxt->get());
  if (rc == 0) return {};
  return std::unexpected(mount_error(**m, cxt->get(), rc, "umount " + target));
}

Result<std::string> RealSystem::resolve_device(const std::string& spec, const Deadline& d) {
  if (spec.starts_with("/")) return spec;
  // udev's links first: no library, no probing. libblkid only where there is no udev.
  static constexpr std::pair<std::string_view, std::string_view> k_links[] = {
      {"LABEL=", "by-label"}, {"UUID=", "by-uuid"}, {"PARTLABEL=", "by-partlabel"}, {"PARTUUID=", "by-partuuid"}};
  for (const auto& [tag, dir] : k_links) {
    if (!spec.starts_with(tag) || spec.find('/') != std::string::npos) continue;
    if (auto path = real_path("/dev/disk/" + std::string(dir) + "/" + spec.substr(tag.size()))) return *path;
  }
  static SharedLibrary lib({"libblkid.so.1"});
  decltype(&blkid_evaluate_tag) evaluate_tag = nullptr;
  if (auto ok = lib.bind(evaluate_tag, "blkid_evaluate_tag"); !ok) return std::unexpected(ok.error());
  // Without those links libblkid may probe every block device, and one hung device
  // would hang us: the lookup runs in a child bounded by the deadline, which hands
  // the path back through a pipe (a path fits in the pipe's buffer, so it never blocks).
  int out[2];
  if (::pipe2(out, O_CLOEXEC | O_NONBLOCK) != 0) return errno_fail("pipe", errno);
  auto r = run_in_child(
      [&] {
        char* path = evaluate_tag(spec.c_str(), nullptr, nullptr);
        if (path == nullptr) return 1;
        const ssize_t n = ::write(out[1], path, std::strlen(path));
        return n > 0 ? 0 : 2;
      },
      d);
  ::close(out[1]);
  char buf[PATH_MAX] = {};
  const ssize_t n = ::read(out[0], buf, sizeof buf - 1);
  ::close(out[0]);
  if (!r && r.error().code == Errc::timeout)
    return fail(Errc::timeout, "looking up " + spec + ": libblkid did not answer in time (a hung block device?)");
  if (!r) return std::unexpected(with_context(r.error(), "looking up " + spec));
  if (*r != 0 || n <= 0) return fail(Errc::not_installed, "no device carries " + spec);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace sft::sys
