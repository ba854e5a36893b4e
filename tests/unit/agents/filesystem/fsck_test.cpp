#include "agents/filesystem/fsck.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fixtures.h"
#include "tests/unit/agents/filesystem/node.h"

using namespace sft::filesystem;
using namespace std::chrono_literals;
using sft::fakes::fixture;
using sft::filesystem::testing::Node;

namespace {

ExtSuperblock superblock(const std::string& name) {
  const auto sb = parse_ext_superblock(fixture("superblocks/" + name));
  if (!sb) throw std::runtime_error(name + ": not an ext superblock");
  return *sb;
}

// check_before_mount on the node's device with the given run_fsck policy.
sft::Result<void> check(Node& node, const std::string& policy) {
  node.env["OCF_RESKEY_run_fsck"] = policy;
  sft::fakes::Invocation inv(spec(), node.env, node.os, "start", sft::sys::budget_for(60s));
  return check_before_mount(inv.cx, "/dev/drbd0", "/srv/data");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(filesystem_fsck)

BOOST_AUTO_TEST_CASE(a_fresh_ext2_is_clean_without_journal) {
  const auto sb = superblock("ext2_clean.bin");
  BOOST_TEST(sb.clean);
  BOOST_TEST(!sb.has_errors);
  BOOST_TEST(!sb.has_journal);
  BOOST_TEST(!sb.needs_recovery);
  BOOST_TEST(!auto_needs_check(sb));
}

BOOST_AUTO_TEST_CASE(a_fresh_ext4_is_clean_with_a_journal) {
  const auto sb = superblock("ext4_clean.bin");
  BOOST_TEST(sb.clean);
  BOOST_TEST(!sb.has_errors);
  BOOST_TEST(sb.has_journal);
  BOOST_TEST(!sb.needs_recovery);
  BOOST_TEST(!auto_needs_check(sb));
}

BOOST_AUTO_TEST_CASE(an_ext2_not_cleanly_unmounted_needs_a_check) {
  const auto sb = superblock("ext2_not_clean.bin");
  BOOST_TEST(!sb.clean);
  BOOST_TEST(auto_needs_check(sb));
}

BOOST_AUTO_TEST_CASE(an_ext4_with_errors_needs_a_check) {
  const auto sb = superblock("ext4_errors.bin");
  BOOST_TEST(sb.has_errors);
  BOOST_TEST(auto_needs_check(sb));
}

BOOST_AUTO_TEST_CASE(an_ext4_whose_journal_needs_replay_is_left_to_the_mount) {
  const auto sb = superblock("ext4_needs_recovery.bin");
  BOOST_TEST(sb.needs_recovery);
  BOOST_TEST(sb.has_journal);
  BOOST_TEST(!auto_needs_check(sb));
}

BOOST_AUTO_TEST_CASE(parse_ext_superblock_refuses_other_magic_and_short_blocks) {
  std::string block = fixture("superblocks/ext4_clean.bin");
  BOOST_TEST(!parse_ext_superblock(block.substr(0, 0x50)).has_value());
  block[0x38] = 0x00;
  BOOST_TEST(!parse_ext_superblock(block).has_value());
  BOOST_TEST(!parse_ext_superblock(std::string(1024, '\0')).has_value());
}

BOOST_AUTO_TEST_CASE(fsck_command_picks_the_checker_of_the_filesystem) {
  using V = std::vector<std::string>;
  BOOST_TEST(fsck_command("ext4", "/dev/drbd0") == (V{"e2fsck", "-p", "/dev/drbd0"}));
  BOOST_TEST(fsck_command("ext2", "/dev/drbd0") == (V{"e2fsck", "-p", "/dev/drbd0"}));
  BOOST_TEST(fsck_command("xfs", "/dev/drbd0") == (V{"xfs_repair", "/dev/drbd0"}));
  BOOST_TEST(fsck_command("btrfs", "/dev/drbd0") == (V{"btrfs", "check", "--readonly", "/dev/drbd0"}));
}

BOOST_AUTO_TEST_CASE(fsck_succeeded_follows_each_checkers_exit_codes) {
  BOOST_TEST(fsck_succeeded("ext4", 0));
  BOOST_TEST(fsck_succeeded("ext4", 1));  // errors corrected
  BOOST_TEST(!fsck_succeeded("ext4", 2));
  BOOST_TEST(!fsck_succeeded("ext3", 4));
  BOOST_TEST(fsck_succeeded("xfs", 0));
  BOOST_TEST(!fsck_succeeded("xfs", 1));
  BOOST_TEST(!fsck_succeeded("btrfs", 1));
}

BOOST_AUTO_TEST_CASE(auto_runs_no_checker_on_a_clean_ext4) {
  Node node;
  BOOST_TEST(check(node, "auto").has_value());
  BOOST_TEST(node.os.commands.empty());
}

BOOST_AUTO_TEST_CASE(auto_runs_e2fsck_when_the_superblock_has_errors) {
  Node node;
  node.set_superblock("ext4_errors.bin");
  BOOST_TEST(check(node, "auto").has_value());
  BOOST_TEST(node.os.command_lines() == std::vector<std::string>{"/usr/sbin/e2fsck -p /dev/drbd0"});
}

BOOST_AUTO_TEST_CASE(auto_never_checks_xfs) {
  Node node;
  node.env["OCF_RESKEY_fstype"] = "xfs";
  node.os.files["/dev/drbd0"] = std::string(2048, '\0');
  BOOST_TEST(check(node, "auto").has_value());
  BOOST_TEST(node.os.commands.empty());
}

BOOST_AUTO_TEST_CASE(no_never_checks_even_with_errors) {
  Node node;
  node.set_superblock("ext4_errors.bin");
  BOOST_TEST(check(node, "no").has_value());
  BOOST_TEST(node.os.commands.empty());
}

BOOST_AUTO_TEST_CASE(force_always_checks_with_the_filesystems_checker) {
  Node node;
  node.env["OCF_RESKEY_fstype"] = "xfs";
  BOOST_TEST(check(node, "force").has_value());
  BOOST_TEST(node.os.command_lines() == std::vector<std::string>{"/usr/sbin/xfs_repair /dev/drbd0"});
}

BOOST_AUTO_TEST_CASE(force_checks_even_an_ext4_marked_clean) {
  Node node;
  BOOST_TEST(check(node, "force").has_value());
  BOOST_TEST(node.os.command_lines() == std::vector<std::string>{"/usr/sbin/e2fsck -f -p /dev/drbd0"});
}

BOOST_AUTO_TEST_CASE(a_failing_checker_stops_the_mount_with_its_last_words) {
  Node node;
  node.set_superblock("ext2_not_clean.bin");
  node.env["OCF_RESKEY_fstype"] = "ext2";
  node.os.programs["e2fsck"] = sft::sys::ProcessResult{
      .exit_code = 4,
      .out = "",
      .err = "/dev/drbd0: Inode 12 has illegal blocks.\n\n/dev/drbd0: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.\n"};
  const auto r = check(node, "auto");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == sft::Errc::generic);
  BOOST_TEST(r.error().message ==
             "e2fsck /dev/drbd0 failed with exit code 4: /dev/drbd0: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.; "
             "not mounting");
}

BOOST_AUTO_TEST_CASE(a_checker_that_times_out_fails_the_check) {
  Node node;
  node.os.programs["e2fsck"] = sft::fail(sft::Errc::timeout, "e2fsck: did not finish before the deadline; killed");
  const auto r = check(node, "force");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == sft::Errc::timeout);
}

BOOST_AUTO_TEST_CASE(auto_refuses_a_device_that_holds_no_ext_filesystem) {
  Node node;
  node.os.files["/dev/drbd0"] = std::string(2048, '\0');
  const auto r = check(node, "auto");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "/dev/drbd0 holds no ext4 filesystem");
  BOOST_TEST(node.os.commands.empty());
}

BOOST_AUTO_TEST_CASE(an_unreadable_superblock_is_reported_as_such) {
  Node node;
  node.os.files.erase("/dev/drbd0");
  const auto r = check(node, "auto");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.starts_with("reading the superblock: /dev/drbd0"));
}

BOOST_AUTO_TEST_SUITE_END()
