#include <boost/test/unit_test.hpp>

#include "tests/unit/agents/filesystem/node.h"

using sft::Errc;
using sft::filesystem::testing::Node;

namespace {

// The validation error for the node with `key` set to `value` (must fail).
sft::Error refused(const std::string& key, const std::string& value) {
  Node node;
  node.env[key] = value;
  const auto r = node.check();
  if (r) throw std::runtime_error(key + "=" + value + " was accepted");
  return r.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(filesystem_validate)

BOOST_AUTO_TEST_CASE(every_parameter_the_code_reads_is_declared_with_its_type) {
  const sft::ocf::AgentSpec& s = sft::filesystem::spec();
  BOOST_REQUIRE(s.names != nullptr);
  BOOST_TEST(s.names->uses().size() == s.params.size());  // each parameter has its handle
  const auto ok = sft::ocf::check_names(s, *s.names);
  BOOST_TEST(ok.has_value(), (ok ? "" : ok.error().message));
}

BOOST_AUTO_TEST_CASE(a_plain_configuration_is_valid) {
  Node node;
  const auto r = node.check();
  BOOST_TEST(r.has_value(), (r ? "" : r.error().message));
}

BOOST_AUTO_TEST_CASE(validate_changes_nothing_on_the_node) {
  Node node;
  node.env["OCF_RESKEY_run_fsck"] = "force";
  BOOST_TEST(node.check().has_value());
  BOOST_TEST(node.os.commands.empty());
  BOOST_TEST(node.os.mount_requests.empty());
  BOOST_TEST(node.os.made_dirs.empty());
}

BOOST_AUTO_TEST_CASE(a_relative_directory_is_refused) {
  const auto e = refused("OCF_RESKEY_directory", "srv/data");
  BOOST_TEST(e.code == Errc::configuration);
  BOOST_TEST(e.message == "directory: 'srv/data' is not an absolute path");
}

BOOST_AUTO_TEST_CASE(the_root_directory_is_refused_however_spelled) {
  for (const char* dir : {"/", "//", "/srv/..", "/./"}) {
    const auto e = refused("OCF_RESKEY_directory", dir);
    BOOST_TEST(e.code == Errc::configuration);
    BOOST_TEST(e.message == "directory: refusing to mount on /", dir);
  }
}

BOOST_AUTO_TEST_CASE(a_device_that_is_neither_a_path_nor_a_tag_is_refused) {
  const auto e = refused("OCF_RESKEY_device", "drbd0");
  BOOST_TEST(e.code == Errc::configuration);
  BOOST_TEST(e.message == "device: 'drbd0' is neither an absolute path nor LABEL=/UUID=");
}

BOOST_AUTO_TEST_CASE(label_uuid_and_partition_tags_are_accepted) {
  for (const char* device : {"LABEL=data", "UUID=5f1c3c1e-0d3a-4a8e-9b61-3f6a1c2b7d10", "PARTLABEL=d", "PARTUUID=x"}) {
    Node node;
    node.env["OCF_RESKEY_device"] = device;
    BOOST_TEST(node.check().has_value(), device);
  }
}

BOOST_AUTO_TEST_CASE(options_that_change_what_is_mounted_are_refused) {
  for (const char* opt : {"bind", "rbind", "move", "remount", "loop"}) {
    const auto e = refused("OCF_RESKEY_options", std::string("noatime,") + opt + ",nodev");
    BOOST_TEST(e.code == Errc::configuration);
    BOOST_TEST(e.message == "options: '" + std::string(opt) + "' is not supported by this agent");
  }
  BOOST_TEST(refused("OCF_RESKEY_options", "loop=/dev/loop0").message ==
             "options: 'loop' is not supported by this agent");
}

BOOST_AUTO_TEST_CASE(options_with_white_space_are_refused) {
  const auto e = refused("OCF_RESKEY_options", "noatime, nodev");
  BOOST_TEST(e.message == "options: ' nodev' contains white space");
}

BOOST_AUTO_TEST_CASE(ordinary_options_are_accepted) {
  Node node;
  node.env["OCF_RESKEY_options"] = "noatime,nodiratime,commit=5,data=ordered";
  BOOST_TEST(node.check().has_value());
}

BOOST_AUTO_TEST_CASE(bad_signal_lists_are_refused_naming_the_parameter) {
  auto e = refused("OCF_RESKEY_term_signals", "TERM,TREM");
  BOOST_TEST(e.code == Errc::configuration);
  BOOST_TEST(e.message == "term_signals: 'TREM' is not a signal");
  e = refused("OCF_RESKEY_kill_signals", "NINE");
  BOOST_TEST(e.message == "kill_signals: 'NINE' is not a signal");
}

BOOST_AUTO_TEST_CASE(a_statusfile_prefix_outside_the_filesystem_is_refused) {
  for (const char* prefix : {"/tmp/status", "../status", "a/../../b", ".."}) {
    const auto e = refused("OCF_RESKEY_statusfile_prefix", prefix);
    BOOST_TEST(e.code == Errc::configuration);
    BOOST_TEST(e.message.starts_with("statusfile_prefix: '" + std::string(prefix) + "' must be a relative path"));
  }
}

BOOST_AUTO_TEST_CASE(running_as_a_clone_is_refused) {
  const auto e = refused("OCF_RESKEY_CRM_meta_clone_max", "2");
  BOOST_TEST(e.code == Errc::configuration);
  BOOST_TEST(e.message.find("must not run as a clone") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_filesystem_the_kernel_cannot_mount_is_not_installed) {
  Node node;
  node.env["OCF_RESKEY_fstype"] = "ext3";  // neither in /proc/filesystems nor in modules.dep
  const auto r = node.check();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::not_installed);
  BOOST_TEST(r.error().message == "fstype: the kernel neither supports ext3 nor has a module for it");
}

BOOST_AUTO_TEST_CASE(a_filesystem_another_module_serves_by_alias_is_accepted) {
  Node node;
  node.env["OCF_RESKEY_fstype"] = "ext3";  // as on EL kernels: the ext4 module serves ext3
  node.os.files["/lib/modules/6.1.0-fake/modules.alias"] = "alias fs-ext3 ext4\nalias fs-ext4 ext4\n";
  BOOST_TEST(node.check().has_value());
}

BOOST_AUTO_TEST_CASE(a_filesystem_with_a_loadable_module_is_accepted) {
  Node node;
  node.env["OCF_RESKEY_fstype"] = "btrfs";  // only in modules.dep
  node.os.add_program("/usr/bin/btrfs");
  BOOST_TEST(node.check().has_value());
}

BOOST_AUTO_TEST_CASE(a_missing_fsck_tool_is_not_installed) {
  Node node;
  node.os.stats.erase("/usr/sbin/e2fsck");
  const auto r = node.check();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::not_installed);
  BOOST_TEST(r.error().message == "run_fsck=auto needs e2fsck, which is not installed");
}

BOOST_AUTO_TEST_CASE(fsck_tools_are_needed_only_by_the_policy_that_runs_them) {
  Node node;
  node.os.stats.erase("/usr/sbin/e2fsck");
  node.os.stats.erase("/usr/sbin/xfs_repair");
  node.env["OCF_RESKEY_run_fsck"] = "no";
  BOOST_TEST(node.check().has_value());
  node.env["OCF_RESKEY_fstype"] = "xfs";
  node.env["OCF_RESKEY_run_fsck"] = "auto";
  BOOST_TEST(node.check().has_value());
  node.env["OCF_RESKEY_run_fsck"] = "force";
  const auto r = node.check();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "run_fsck=force needs xfs_repair, which is not installed");
}

BOOST_AUTO_TEST_CASE(a_missing_directory_is_refused_when_it_may_not_be_created) {
  Node node;
  node.os.stats.erase("/srv/data");
  BOOST_TEST(node.check().has_value());
  node.env["OCF_RESKEY_create_directory"] = "false";
  const auto r = node.check();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::not_installed);
  BOOST_TEST(r.error().message == "directory: /srv/data does not exist and create_directory is false");
}

BOOST_AUTO_TEST_CASE(a_directory_that_is_a_file_is_refused_when_it_may_not_be_created) {
  Node node;
  node.os.stats["/srv/data"] = {.mode = S_IFREG | 0644};
  node.env["OCF_RESKEY_create_directory"] = "no";
  const auto r = node.check();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "directory: /srv/data is not a directory");
}

BOOST_AUTO_TEST_SUITE_END()
