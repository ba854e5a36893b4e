#include <boost/test/unit_test.hpp>

#include "agents/filesystem/io_check.h"
#include "tests/unit/agents/filesystem/node.h"

using namespace sft::filesystem::testing;
using sft::Errc;
using sft::filesystem::monitor;

namespace {

// The node at a given OCF_CHECK_LEVEL, with the I/O children answering `child`.
Node at_depth(int depth, int child = sft::filesystem::io_ok) {
  Node node;
  node.mount_ours();
  node.env["OCF_CHECK_LEVEL"] = std::to_string(depth);
  node.env["OCF_RESKEY_CRM_meta_interval"] = "20000";
  node.os.child_result = child;
  return node;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(filesystem_monitor)

BOOST_AUTO_TEST_CASE(depth_0_reports_running_without_spawning_anything) {
  Node node;
  node.mount_ours();
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(node.os.commands.empty());
  BOOST_TEST(node.os.children == 0);
  BOOST_TEST(node.os.umounts.empty());
}

BOOST_AUTO_TEST_CASE(not_mounted_is_not_running) {
  Node node;
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_NOT_RUNNING);
}

BOOST_AUTO_TEST_CASE(another_device_on_the_directory_is_not_running) {
  Node node;
  node.os.add_mount("/dev/sdb1", "/srv/data", k_other, "xfs");
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_NOT_RUNNING);
}

BOOST_AUTO_TEST_CASE(the_device_mounted_only_elsewhere_is_not_running_here) {
  Node node;
  node.os.add_mount("/dev/drbd0", "/mnt/rescue", k_drbd, "ext4");
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_NOT_RUNNING);
}

BOOST_AUTO_TEST_CASE(a_probe_on_a_node_without_the_device_is_not_running) {
  Node node;
  node.remove_device();
  node.env["OCF_RESKEY_CRM_meta_interval"] = "0";
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_NOT_RUNNING);
}

BOOST_AUTO_TEST_CASE(a_probe_with_an_unresolvable_label_is_not_running) {
  Node node;
  node.env["OCF_RESKEY_device"] = "LABEL=data";
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_NOT_RUNNING);
}

BOOST_AUTO_TEST_CASE(a_mounted_device_whose_node_is_gone_is_an_error) {
  Node node;
  node.mount_ours();
  node.remove_device();
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::generic);
  BOOST_TEST(r.error().message == "/dev/drbd0 is mounted on /srv/data but its device node is gone");
}

BOOST_AUTO_TEST_CASE(a_btrfs_mount_is_recognized_by_its_source_despite_its_anonymous_number) {
  Node node;
  node.env["OCF_RESKEY_fstype"] = "btrfs";
  node.os.add_mount("/dev/drbd0", "/srv/data", makedev(0, 47), "btrfs");
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
}

BOOST_AUTO_TEST_CASE(a_label_resolves_to_the_mounted_device) {
  Node node;
  node.mount_ours();
  node.env["OCF_RESKEY_device"] = "UUID=5f1c3c1e-0d3a-4a8e-9b61-3f6a1c2b7d10";
  node.os.tags["UUID=5f1c3c1e-0d3a-4a8e-9b61-3f6a1c2b7d10"] = "/dev/drbd0";
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
}

BOOST_AUTO_TEST_CASE(a_label_device_whose_node_is_gone_while_mounted_is_an_error) {
  Node node;
  node.env["OCF_RESKEY_device"] = "LABEL=data";
  node.mount_ours();
  node.remove_device();
  const auto r = node.call(monitor, "monitor");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "LABEL=data is mounted on /srv/data (as /dev/drbd0) but its device node is gone");
}

BOOST_AUTO_TEST_CASE(depth_10_reads_the_device_in_one_child) {
  Node node = at_depth(10);
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(node.os.children == 1);
  BOOST_TEST(node.os.commands.empty());
}

BOOST_AUTO_TEST_CASE(depth_20_also_writes_the_status_file_in_the_same_child) {
  Node node = at_depth(20);
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(node.os.children == 1);
}

BOOST_AUTO_TEST_CASE(depth_20_names_the_status_file_when_its_write_fails) {
  Node node = at_depth(20, sft::filesystem::io_status_file + sft::filesystem::io_write_failed);
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.starts_with("status file /srv/data/.Filesystem_status/"));
  BOOST_TEST(r.error().message.ends_with(": write failed"));
}

BOOST_AUTO_TEST_CASE(depth_10_fails_with_the_reason_the_child_gives) {
  Node node = at_depth(10, sft::filesystem::io_read_failed);
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::generic);
  BOOST_TEST(r.error().message == "reading a block of /dev/drbd0: read failed");
}

BOOST_AUTO_TEST_CASE(depth_20_names_the_status_file_it_could_not_write) {
  Node node = at_depth(20, sft::filesystem::io_mismatch);
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(!r.has_value());
  // The read child fails first with the same scripted result; what matters is a reason.
  BOOST_TEST(r.error().message.find("read back different data") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(depth_10_child_timeout_is_an_error_saying_the_device_looks_hung) {
  Node node = at_depth(10);
  node.os.child_hangs = true;
  const auto r = node.call(monitor, "monitor", 40s);  // a budget of 36 s
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::generic);
  BOOST_TEST(r.error().message ==
             "reading a block of /dev/drbd0 did not complete within 36000 ms; the device looks hung");
  BOOST_TEST(node.os.elapsed().count() <= 36000);
}

BOOST_AUTO_TEST_CASE(depth_20_child_timeout_is_an_error_too) {
  Node node = at_depth(20);
  node.os.child_hangs = true;
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("the device looks hung") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(our_filesystem_hidden_under_another_mount_is_an_error) {
  Node node;
  node.mount_ours();
  node.os.add_mount("/dev/sdb1", "/srv/data", k_other, "xfs");
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::generic);
  BOOST_TEST(r.error().message.find("/dev/sdb1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(depth_20_writes_no_status_file_on_a_read_only_mount) {
  Node node = at_depth(20);
  node.env["OCF_RESKEY_options"] = "noatime,ro";
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_OK);
  BOOST_TEST(node.os.children == 1);
}

BOOST_AUTO_TEST_CASE(deeper_checks_do_not_run_when_not_mounted) {
  Node node;
  node.env["OCF_CHECK_LEVEL"] = "20";
  const auto r = node.call(monitor, "monitor", 40s);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == PCMK_OCF_NOT_RUNNING);
  BOOST_TEST(node.os.children == 0);
}

BOOST_AUTO_TEST_CASE(a_failed_tag_lookup_is_an_error_not_stopped) {
  Node node;
  node.env["OCF_RESKEY_device"] = "LABEL=data";
  node.os.resolve_error = sft::Error{Errc::timeout, "looking up LABEL=data: no answer before the deadline"};
  node.mount_ours();
  const auto r = node.call(monitor, "monitor");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::timeout);
}

BOOST_AUTO_TEST_SUITE_END()
