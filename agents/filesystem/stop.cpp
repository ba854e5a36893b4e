// stop: unmount every mount of the filesystem here, escalating against holders.
#include <algorithm>
#include <csignal>

#include "agents/filesystem/filesystem.h"
#include "core/log/log.h"
#include "core/sys/holders.h"
#include "core/sys/mounts.h"
#include "core/sys/signals.h"

namespace sft::filesystem {
namespace {

constexpr sys::Millis k_retry{100};
constexpr int k_max_mounts = 256;  // a bound on the loop, far above any real stack

// Whether m shows the same filesystem as ours, at our subtree or below it (a bind
// mount of it, or of a directory in it). Another btrfs subvolume shares the device
// number but not the subtree.
bool same_subtree(const sys::MountEntry& m, const sys::MountEntry& ours) {
  if (m.dev != ours.dev) return false;
  return ours.root == "/" || m.root == ours.root || m.root.starts_with(ours.root + "/");
}

// The next mount to take away: sub-mounts deepest first, then other mounts of the same
// filesystem (bind mounts), then the one on the directory. nullopt when none is left.
// Errc::generic when the filesystem is mounted on dir under someone else's mount: it is
// not stopped, and unmounting the other mount is not ours to do.
Result<std::optional<sys::MountEntry>> next_to_unmount(Context& cx, const std::vector<sys::MountEntry>& mounts,
                                                       const std::string& dir, std::optional<dev_t> dev) {
  const auto on_dir = sys::mounted_on(mounts, dir);
  if (!on_dir) return std::nullopt;
  if (!is_configured(cx, *on_dir, dev)) {
    if (auto hidden = dev ? hidden_mount(cx.os, mounts, dir, *dev) : std::nullopt)
      return fail(Errc::generic, cx.params[param::device] + " is mounted on " + dir + " under " + on_dir->source +
                                     ", which is mounted over it; not unmounting another mount");
    log::warning("directory " + dir + " has " + on_dir->source + " mounted, not " + cx.params[param::device] +
                 "; leaving it alone");
    return std::nullopt;
  }
  if (auto below = sys::mounts_below(mounts, dir); !below.empty()) return below.front();
  for (auto it = mounts.rbegin(); it != mounts.rend(); ++it) {
    if (it->target == dir || !same_subtree(*it, *on_dir)) continue;
    // umount takes the top mount of a path: if another sits on our bind mount, the
    // call would remove that one instead.
    if (const auto top = sys::mounted_on(mounts, it->target); top && top->id != it->id)
      return fail(Errc::generic, it->target + " holds a bind mount of " + dir + " under " + top->source +
                                     ", which is mounted over it; not unmounting another mount");
    return *it;
  }
  return on_dir;
}

void signal_all(Context& cx, const std::vector<sys::Holder>& holders, const std::vector<int>& signals) {
  // Never init (SIGTERM makes systemd re-execute itself); it stays named as a holder.
  for (const auto& h : holders) {
    if (h.pid == 1) continue;
    for (int sig : signals) (void)cx.os.kill(h.pid, sig);
  }
  std::string names;
  for (int sig : signals) names += (names.empty() ? "" : ",") + sys::signal_name(sig);
  log::warning("sent " + names + " to " + sys::describe(holders, 20));
}

// Unmounts one mount. While it is busy, signals its holders: term_signals until
// `term_until`, kill_signals after, waiting signal_delay between rounds (retrying the
// unmount meanwhile), until the action's deadline.
Result<void> unmount(Context& cx, const sys::MountEntry& m, const sys::Deadline& term_until) {
  const auto& p = cx.params;
  // A bad list must not fail a stop (that means fencing): TERM and KILL then.
  const auto term = sys::parse_signals(p[param::term_signals]).value_or(std::vector<int>{SIGTERM});
  const auto kill = sys::parse_signals(p[param::kill_signals]).value_or(std::vector<int>{SIGKILL});
  const auto unmounted = [&](const Result<void>& r) {
    if (r) log::info("unmounted " + m.target);
    return r.has_value();
  };
  for (;;) {
    auto r = cx.os.umount(m.target);
    if (unmounted(r)) return {};
    if (r.error().code != Errc::busy) {
      // Someone else may have unmounted it since we read the table: then it is done.
      auto now = sys::read_mounts(cx.os);
      const bool gone = now && std::none_of(now->begin(), now->end(), [&](const sys::MountEntry& e) { return e.id == m.id; });
      if (gone) return {};
      return r;
    }
    const auto holders = sys::find_holders(cx.os, m.dev);
    const std::string held = holders.empty() ? "no process (a kernel user: NFS export, loop device, swap?)"
                                             : sys::describe(holders);
    if (p[param::force_unmount] == "false")
      return fail(Errc::busy, m.target + " is busy and force_unmount=false; held by " + held);
    if (cx.deadline.expired())
      return fail(Errc::timeout, "could not unmount " + m.target + " before the stop timeout; still held by " + held);
    if (!holders.empty()) signal_all(cx, holders, term_until.expired() ? kill : term);
    const sys::Deadline round = cx.deadline.within(std::max<sys::Millis>(p[param::signal_delay], k_retry));
    while (round.sleep_for(k_retry))
      if (unmounted(cx.os.umount(m.target))) return {};
  }
}

}  // namespace

Result<Exit> stop(Context& cx) {
  const std::string dir = mount_point(cx);
  // The device may be gone already (DRBD down); then the directory alone says what is
  // ours. A lookup that failed otherwise (libblkid timed out) says nothing, and a stop
  // that cannot tell must not claim the filesystem is unmounted. The lookup gets a
  // share of the budget, so a hung probe leaves time to unmount.
  std::optional<dev_t> dev;
  if (auto d = find_device(cx, cx.deadline.slice(0.2))) dev = d->number;
  else if (d.error().code != Errc::not_installed && d.error().code != Errc::configuration)
    return std::unexpected(with_context(d.error(), "stop: cannot tell which device " + cx.params[param::device] + " is"));
  const sys::Deadline term_until = cx.deadline.slice(0.5);
  for (int i = 0; i < k_max_mounts; ++i) {
    auto mounts = sys::read_mounts(cx.os);
    if (!mounts) return std::unexpected(mounts.error());
    const auto next = next_to_unmount(cx, *mounts, dir, dev);
    if (!next) return std::unexpected(next.error());
    if (!*next) return PCMK_OCF_OK;
    if (auto done = unmount(cx, **next, term_until); !done) return std::unexpected(done.error());
  }
  return fail(Errc::generic, "more than " + std::to_string(k_max_mounts) + " mounts on " + dir);
}

}  // namespace sft::filesystem
