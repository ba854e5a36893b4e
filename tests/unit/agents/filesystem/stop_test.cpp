#include <boost/test/unit_test.hpp>

#include "tests/unit/agents/filesystem/node.h"

using namespace sft::filesystem::testing;
using sft::Errc;
using sft::fakes::SentSignal;
using sft::filesystem::stop;

namespace {

// A filesystem the kernel itself keeps busy (an NFS export, a loop device): no process holds it.
class KernelHeld : public sft::fakes::FakeSystem {
 public:
  sft::Result<void> umount(const std::string& target) override {
    umounts.push_back(target);
    return sft::fail(Errc::busy, "umount " + target + ": target is busy");
  }
};

std::vector<int> sent(const std::vector<SentSignal>& signals, pid_t pid) {
  std::vector<int> out;
  for (const auto& s : signals)
    if (s.pid == pid) out.push_back(s.signal);
  return out;
}

std::optional<sft::sys::Millis> first(const std::vector<SentSignal>& signals, int signal) {
  for (const auto& s : signals)
    if (s.signal == signal) return s.at;
  return std::nullopt;
}

std::optional<sft::sys::Millis> last(const std::vector<SentSignal>& signals, int signal) {
  std::optional<sft::sys::Millis> at;
  for (const auto& s : signals)
    if (s.signal == signal) at = s.at;
  return at;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(filesystem_stop)

BOOST_AUTO_TEST_CASE(stop_when_already_stopped_succeeds_and_touches_nothing) {
  Node node;
  const auto r = node.call(stop, "stop");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(node.os.umounts.empty());
  BOOST_TEST(node.os.signals.empty());
}

BOOST_AUTO_TEST_CASE(stop_unmounts_the_filesystem) {
  Node node;
  node.mount_ours();
  const auto r = node.call(stop, "stop");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(node.os.umounts == std::vector<std::string>{"/srv/data"});
  BOOST_TEST(!node.mounted_here());
  BOOST_TEST(node.os.mounts.size() == 1u);  // the root filesystem stays
}

BOOST_AUTO_TEST_CASE(stop_leaves_another_device_on_the_directory_alone) {
  Node node;
  node.os.add_mount("/dev/sdb1", "/srv/data", k_other, "xfs");
  const auto r = node.call(stop, "stop");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(node.os.umounts.empty());
  BOOST_TEST(node.os.mounts.size() == 2u);
}

BOOST_AUTO_TEST_CASE(stop_fails_rather_than_unmount_a_mount_that_hides_ours) {
  Node node;
  node.mount_ours();
  node.os.add_mount("/dev/sdb1", "/srv/data", k_other, "xfs");
  const auto r = node.call(stop, "stop");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::generic);
  BOOST_TEST(r.error().message.find("/dev/sdb1") != std::string::npos);
  BOOST_TEST(node.os.umounts.empty());
  BOOST_TEST(node.os.signals.empty());
}

BOOST_AUTO_TEST_CASE(stop_unmounts_sub_mounts_deepest_first_then_the_directory) {
  Node node;
  node.mount_ours();
  node.os.add_mount("tmpfs", "/srv/data/tmp", makedev(0, 40), "tmpfs");
  node.os.add_mount("/dev/sdb1", "/srv/data/db", k_other, "xfs");
  node.os.add_mount("tmpfs", "/srv/data/db/wal", makedev(0, 41), "tmpfs");
  BOOST_REQUIRE(node.call(stop, "stop").has_value());
  BOOST_TEST(node.os.umounts ==
             (std::vector<std::string>{"/srv/data/db/wal", "/srv/data/db", "/srv/data/tmp", "/srv/data"}));
  BOOST_TEST(node.os.mounts.size() == 1u);
}

BOOST_AUTO_TEST_CASE(stop_unmounts_bind_mounts_of_the_filesystem_before_the_directory) {
  Node node;
  node.mount_ours();
  node.os.add_mount("/dev/drbd0", "/export/web", k_drbd, "ext4", "/exports/web");
  BOOST_REQUIRE(node.call(stop, "stop").has_value());
  BOOST_TEST(node.os.umounts == (std::vector<std::string>{"/export/web", "/srv/data"}));
}

BOOST_AUTO_TEST_CASE(stop_works_when_the_device_node_is_already_gone) {
  Node node;
  node.mount_ours();
  node.remove_device();
  BOOST_REQUIRE(node.call(stop, "stop").has_value());
  BOOST_TEST(!node.mounted_here());
}

BOOST_AUTO_TEST_CASE(stop_without_the_device_node_leaves_a_bind_mount_of_another_filesystem_alone) {
  Node node;
  node.remove_device();
  node.os.add_mount("/dev/sda1", "/srv/data", k_root, "ext4", "/srv/elsewhere");
  BOOST_REQUIRE(node.call(stop, "stop").has_value());
  BOOST_TEST(node.os.umounts.empty());
  BOOST_TEST(node.os.signals.empty());
}

BOOST_AUTO_TEST_CASE(stop_without_the_device_node_unmounts_a_vanished_label_device) {
  Node node;
  node.env["OCF_RESKEY_device"] = "LABEL=data";
  node.mount_ours();
  node.remove_device();
  BOOST_REQUIRE(node.call(stop, "stop").has_value());
  BOOST_TEST(node.os.umounts == (std::vector<std::string>{"/srv/data"}));
}

BOOST_AUTO_TEST_CASE(stop_leaves_another_subvolume_of_the_same_filesystem_alone) {
  Node node;
  node.os.add_mount("/dev/drbd0", "/srv/data", k_drbd, "btrfs", "/a");
  node.os.add_mount("/dev/drbd0", "/srv/other", k_drbd, "btrfs", "/b");
  node.os.add_mount("/dev/drbd0", "/export/a-logs", k_drbd, "btrfs", "/a/logs");
  BOOST_REQUIRE(node.call(stop, "stop").has_value());
  BOOST_TEST(node.os.umounts == (std::vector<std::string>{"/export/a-logs", "/srv/data"}));
}

BOOST_AUTO_TEST_CASE(stop_fails_rather_than_unmount_what_covers_a_bind_mount_of_ours) {
  Node node;
  node.mount_ours();
  node.os.add_mount("/dev/drbd0", "/export/web", k_drbd, "ext4", "/web");
  node.os.add_mount("/dev/sdb1", "/export/web", k_other, "ext4");
  const auto r = node.call(stop, "stop");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("/dev/sdb1, which is mounted over it") != std::string::npos);
  BOOST_TEST(node.os.umounts.empty());
}

BOOST_AUTO_TEST_CASE(stop_never_signals_init_but_names_it) {
  Node node;
  node.mount_ours();
  node.os.processes[1] = {.comm = "systemd", .cwd = k_drbd};
  const auto r = node.call(stop, "stop", 6s);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(sent(node.os.signals, 1).empty());
  BOOST_TEST(r.error().message.find("1 (systemd, cwd)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stop_kills_holders_then_unmounts) {
  Node node;
  node.mount_ours();
  node.os.processes[31] = {.comm = "postgres", .cwd = k_drbd};
  node.os.processes[32] = {.comm = "bash", .cwd = k_root};
  const auto r = node.call(stop, "stop");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(node.os.signals == (std::vector<SentSignal>{{31, SIGTERM, 0ms}}));
  BOOST_TEST(!node.mounted_here());
  BOOST_TEST(node.os.processes.contains(32));
}

BOOST_AUTO_TEST_CASE(stop_sends_term_first_and_kill_only_after_half_the_budget) {
  Node node;
  node.mount_ours();
  node.os.processes[31] = {.comm = "stubborn", .cwd = k_drbd, .dies_on = {SIGKILL}};
  const auto r = node.call(stop, "stop", 60s);  // a budget of 55 s: TERM until 27.5 s
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(!node.mounted_here());
  const auto& s = node.os.signals;
  BOOST_REQUIRE(!s.empty());
  BOOST_TEST(s.front().signal == SIGTERM);
  BOOST_TEST(s.front().at.count() == 0);
  BOOST_REQUIRE(first(s, SIGKILL).has_value());
  BOOST_TEST(first(s, SIGKILL)->count() >= 27500);
  BOOST_TEST(last(s, SIGTERM)->count() < 27500);
  BOOST_TEST(s.back().signal == SIGKILL);
  BOOST_TEST(node.os.elapsed().count() < 55000);
}

BOOST_AUTO_TEST_CASE(stop_signals_again_after_each_signal_delay) {
  Node node;
  node.mount_ours();
  node.env["OCF_RESKEY_signal_delay"] = "5s";
  node.os.processes[31] = {.comm = "stubborn", .cwd = k_drbd, .dies_on = {SIGKILL}};
  BOOST_REQUIRE(node.call(stop, "stop", 60s).has_value());
  const auto& s = node.os.signals;
  BOOST_REQUIRE(s.size() >= 2u);
  BOOST_TEST(s[0].at.count() == 0);
  BOOST_TEST(s[1].at.count() == 5000);
}

BOOST_AUTO_TEST_CASE(stop_sends_every_configured_signal_in_a_round) {
  Node node;
  node.mount_ours();
  node.env["OCF_RESKEY_term_signals"] = "HUP,TERM";
  node.os.processes[31] = {.comm = "daemon", .cwd = k_drbd, .dies_on = {SIGTERM}};
  BOOST_REQUIRE(node.call(stop, "stop").has_value());
  BOOST_TEST(sent(node.os.signals, 31) == (std::vector<int>{SIGHUP, SIGTERM}));
}

BOOST_AUTO_TEST_CASE(stop_fails_at_its_deadline_naming_the_holder) {
  Node node;
  node.mount_ours();
  node.os.processes[31] = {.comm = "postgres", .cwd = k_drbd, .dies_on = {}};  // in D state
  const auto r = node.call(stop, "stop", 60s);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::timeout);
  BOOST_TEST(r.error().message ==
             "could not unmount /srv/data before the stop timeout; still held by 31 (postgres, cwd)");
  BOOST_TEST(node.os.elapsed().count() <= 55000);
  BOOST_TEST(first(node.os.signals, SIGTERM).has_value());
  BOOST_TEST(first(node.os.signals, SIGKILL).has_value());
  BOOST_TEST(node.mounted_here());
}

BOOST_AUTO_TEST_CASE(stop_with_force_unmount_false_fails_at_once_naming_the_holders) {
  Node node;
  node.mount_ours();
  node.env["OCF_RESKEY_force_unmount"] = "false";
  node.os.processes[31] = {.comm = "postgres", .fds = {{7, k_drbd}}};
  const auto r = node.call(stop, "stop");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::busy);
  BOOST_TEST(r.error().message == "/srv/data is busy and force_unmount=false; held by 31 (postgres, fd 7)");
  BOOST_TEST(node.os.signals.empty());
  BOOST_TEST(node.os.elapsed().count() == 0);
}

BOOST_AUTO_TEST_CASE(stop_with_force_unmount_safe_still_signals) {
  Node node;
  node.mount_ours();
  node.env["OCF_RESKEY_force_unmount"] = "safe";
  node.os.processes[31] = {.comm = "postgres", .cwd = k_drbd};
  BOOST_REQUIRE(node.call(stop, "stop").has_value());
  BOOST_TEST(sent(node.os.signals, 31) == std::vector<int>{SIGTERM});
}

BOOST_AUTO_TEST_CASE(stop_names_a_kernel_user_when_no_process_holds_the_mount) {
  BasicNode<KernelHeld> node;
  node.mount_ours();
  const auto r = node.call(stop, "stop", 20s);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("still held by no process (a kernel user") != std::string::npos);
  BOOST_TEST(node.os.signals.empty());
  BOOST_TEST(node.os.elapsed().count() <= 18000);
}

BOOST_AUTO_TEST_CASE(stop_fails_when_a_tag_lookup_fails_rather_than_claim_it_unmounted) {
  // LABEL= lookup timing out (libblkid stuck on another device) while the filesystem
  // is mounted from a device node that still exists: stop cannot tell, and says so.
  Node node;
  node.env["OCF_RESKEY_device"] = "LABEL=data";
  node.os.resolve_error = sft::Error{Errc::timeout, "looking up LABEL=data: no answer before the deadline"};
  node.mount_ours();
  const auto r = node.call(stop, "stop");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("cannot tell which device LABEL=data is") != std::string::npos, r.error().message);
  BOOST_TEST(node.os.umounts.empty());
}

BOOST_AUTO_TEST_CASE(stop_of_a_tag_that_no_device_carries_goes_by_the_directory) {
  Node node;
  node.env["OCF_RESKEY_device"] = "LABEL=data";
  node.remove_device();
  const auto r = node.call(stop, "stop");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
}

BOOST_AUTO_TEST_SUITE_END()
