#include <boost/test/unit_test.hpp>

#include "tests/unit/agents/filesystem/node.h"

using namespace sft::filesystem::testing;
using sft::Errc;
using sft::filesystem::start;

namespace {

// /dev/drbd0 shows up 3 s into the start (DRBD still connecting, say).
class LateDevice : public sft::fakes::FakeSystem {
 public:
  sft::Result<sft::sys::FileStat> stat(const std::string& path) override {
    if (path == "/dev/drbd0" && elapsed() < 3s)
      return sft::fail(Errc::generic, "/dev/drbd0: No such file or directory");
    return FakeSystem::stat(path);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(filesystem_start)

BOOST_AUTO_TEST_CASE(start_mounts_the_device_on_the_directory) {
  Node node;
  node.env["OCF_RESKEY_options"] = "noatime,commit=5";
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_REQUIRE(node.os.mount_requests.size() == 1u);
  const auto& m = node.os.mount_requests.front();
  BOOST_TEST(m.source == "/dev/drbd0");
  BOOST_TEST(m.target == "/srv/data");
  BOOST_TEST(m.fstype == "ext4");
  BOOST_TEST(m.options == "noatime,commit=5");
  BOOST_TEST(node.mounted_here());
  BOOST_TEST(node.os.commands.empty());  // clean ext4, fstype known: no e2fsck, no modprobe
}

BOOST_AUTO_TEST_CASE(start_mounts_on_the_normalized_directory) {
  Node node;
  node.env["OCF_RESKEY_directory"] = "/srv//data/";
  BOOST_REQUIRE(node.call(start, "start").has_value());
  BOOST_REQUIRE(node.os.mount_requests.size() == 1u);
  BOOST_TEST(node.os.mount_requests.front().target == "/srv/data");
}

BOOST_AUTO_TEST_CASE(start_is_idempotent_when_already_mounted) {
  Node node;
  node.mount_ours();
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(node.os.mount_requests.empty());
  BOOST_TEST(node.os.commands.empty());
}

BOOST_AUTO_TEST_CASE(start_resolves_a_label_to_its_device) {
  Node node;
  node.env["OCF_RESKEY_device"] = "LABEL=data";
  node.os.tags["LABEL=data"] = "/dev/drbd0";
  BOOST_REQUIRE(node.call(start, "start").has_value());
  BOOST_REQUIRE(node.os.mount_requests.size() == 1u);
  BOOST_TEST(node.os.mount_requests.front().source == "/dev/drbd0");
}

BOOST_AUTO_TEST_CASE(start_refuses_another_device_on_the_directory) {
  Node node;
  node.os.add_mount("/dev/sdb1", "/srv/data", k_other, "xfs");
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::generic);
  BOOST_TEST(r.error().message == "directory /srv/data already has /dev/sdb1 mounted on it");
  BOOST_TEST(node.os.mount_requests.empty());
}

BOOST_AUTO_TEST_CASE(start_refuses_the_device_mounted_elsewhere) {
  Node node;
  node.os.add_mount("/dev/drbd0", "/mnt/rescue", k_drbd, "ext4");
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "device /dev/drbd0 is already mounted on /mnt/rescue");
  BOOST_TEST(node.os.mount_requests.empty());
}

BOOST_AUTO_TEST_CASE(start_refuses_to_hide_mounts_below_the_directory) {
  Node node;
  node.os.add_mount("tmpfs", "/srv/data/cache", makedev(0, 40), "tmpfs");
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "directory /srv/data has /srv/data/cache mounted below it; mounting would hide it");
  BOOST_TEST(node.os.mount_requests.empty());
}

BOOST_AUTO_TEST_CASE(start_waits_for_a_device_that_appears_within_the_deadline) {
  BasicNode<LateDevice> node;
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(node.os.elapsed().count() >= 3000);
  BOOST_TEST(node.os.elapsed().count() < 4000);
  BOOST_TEST(node.os.mount_requests.size() == 1u);
}

BOOST_AUTO_TEST_CASE(start_gives_up_on_a_missing_device_at_half_its_deadline_with_a_reason) {
  Node node;
  node.remove_device();
  const auto r = node.call(start, "start", 60s);  // a budget of 55 s, half of it to wait
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::not_installed);
  BOOST_TEST(r.error().message == "device /dev/drbd0 did not appear within 27500 ms (/dev/drbd0: No such file or directory)");
  BOOST_TEST(node.os.elapsed().count() == 27500);
  BOOST_TEST(node.os.mount_requests.empty());
}

BOOST_AUTO_TEST_CASE(start_gives_up_on_a_label_no_device_carries) {
  Node node;
  node.env["OCF_RESKEY_device"] = "LABEL=nowhere";
  const auto r = node.call(start, "start", 20s);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "device LABEL=nowhere did not appear within 9000 ms (no device carries LABEL=nowhere)");
}

BOOST_AUTO_TEST_CASE(start_refuses_a_device_that_is_not_a_block_device) {
  Node node;
  node.os.stats["/dev/drbd0"] = {.mode = S_IFREG | 0644};
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::configuration);
  BOOST_TEST(r.error().message == "device /dev/drbd0 is not a block device");
}

BOOST_AUTO_TEST_CASE(start_runs_no_checker_on_a_clean_filesystem) {
  Node node;
  BOOST_REQUIRE(node.call(start, "start").has_value());
  BOOST_TEST(node.os.commands.empty());
}

BOOST_AUTO_TEST_CASE(start_runs_e2fsck_before_mounting_when_the_superblock_needs_it) {
  Node node;
  node.set_superblock("ext4_errors.bin");
  BOOST_REQUIRE(node.call(start, "start").has_value());
  BOOST_TEST(node.os.command_lines() == std::vector<std::string>{"/usr/sbin/e2fsck -p /dev/drbd0"});
  BOOST_TEST(node.mounted_here());
}

BOOST_AUTO_TEST_CASE(start_does_not_mount_when_e2fsck_fails) {
  Node node;
  node.set_superblock("ext4_errors.bin");
  node.os.programs["e2fsck"] = sft::sys::ProcessResult{.exit_code = 8, .out = "", .err = "e2fsck: Bad magic number\n"};
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("e2fsck /dev/drbd0 failed with exit code 8") != std::string::npos);
  BOOST_TEST(node.os.mount_requests.empty());
}

BOOST_AUTO_TEST_CASE(start_creates_a_missing_mount_point) {
  Node node;
  node.os.stats.erase("/srv/data");
  BOOST_REQUIRE(node.call(start, "start").has_value());
  BOOST_TEST(node.os.made_dirs == std::vector<std::string>{"/srv/data"});
  BOOST_TEST(node.mounted_here());
}

BOOST_AUTO_TEST_CASE(start_fails_on_a_missing_mount_point_it_may_not_create) {
  Node node;
  node.os.stats.erase("/srv/data");
  node.env["OCF_RESKEY_create_directory"] = "false";
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::not_installed);
  BOOST_TEST(node.os.made_dirs.empty());
  BOOST_TEST(node.os.mount_requests.empty());
}

BOOST_AUTO_TEST_CASE(start_loads_the_module_of_a_filesystem_the_kernel_lacks) {
  Node node;
  node.env["OCF_RESKEY_fstype"] = "btrfs";
  BOOST_REQUIRE(node.call(start, "start").has_value());
  BOOST_TEST(node.os.command_lines() == std::vector<std::string>{"/usr/sbin/modprobe -q fs-btrfs"});
  BOOST_TEST(node.os.mount_requests.size() == 1u);
}

BOOST_AUTO_TEST_CASE(start_fails_when_the_module_does_not_load) {
  Node node;
  node.env["OCF_RESKEY_fstype"] = "btrfs";
  node.os.programs["modprobe"] =
      sft::sys::ProcessResult{.exit_code = 1, .out = "", .err = "modprobe: FATAL: Module btrfs not found"};
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::not_installed);
  BOOST_TEST(r.error().message.starts_with("modprobe fs-btrfs failed: modprobe: FATAL"));
  BOOST_TEST(node.os.mount_requests.empty());
}

BOOST_AUTO_TEST_CASE(start_reports_the_kernels_reason_when_the_mount_fails) {
  Node node;
  node.os.mount_error = sft::Error{Errc::generic, "mount /dev/drbd0 on /srv/data: wrong fs type, bad option"};
  const auto r = node.call(start, "start");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "mount /dev/drbd0 on /srv/data: wrong fs type, bad option");
}

BOOST_AUTO_TEST_SUITE_END()
