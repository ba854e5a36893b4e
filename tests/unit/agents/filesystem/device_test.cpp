#include <boost/test/unit_test.hpp>

#include "tests/unit/agents/filesystem/node.h"

using namespace sft::filesystem::testing;
using sft::Errc;
using sft::filesystem::find_device;
using sft::filesystem::is_ours;

namespace {

sft::Result<dev_t> number(Node& node) {
  sft::fakes::Invocation inv(sft::filesystem::spec(), node.env, node.os, "monitor", 20s);
  auto d = find_device(inv.cx, inv.cx.deadline);
  if (!d) return std::unexpected(d.error());
  return d->number;
}

sft::sys::MountEntry entry(const std::string& source, dev_t dev) {
  sft::sys::MountEntry m;
  m.source = source;
  m.dev = dev;
  m.target = "/srv/data";
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(filesystem_device)

BOOST_AUTO_TEST_CASE(the_device_number_is_the_rdev_of_the_device_node) {
  Node node;
  BOOST_TEST(number(node).value_or(0) == k_drbd);
  node.env["OCF_RESKEY_device"] = "LABEL=data";
  node.os.tags["LABEL=data"] = "/dev/drbd0";
  BOOST_TEST(number(node).value_or(0) == k_drbd);
}

BOOST_AUTO_TEST_CASE(a_missing_device_is_not_installed) {
  Node node;
  node.remove_device();
  const auto r = number(node);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::not_installed);
  BOOST_TEST(r.error().message == "/dev/drbd0: No such file or directory");
  node.env["OCF_RESKEY_device"] = "LABEL=gone";
  BOOST_TEST(number(node).error().code == Errc::not_installed);
}

BOOST_AUTO_TEST_CASE(a_regular_file_as_device_is_a_configuration_error) {
  Node node;
  node.os.stats["/dev/drbd0"] = {.mode = S_IFREG | 0644};
  const auto r = number(node);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::configuration);
}

BOOST_AUTO_TEST_CASE(is_ours_matches_the_number_or_the_source_node) {
  Node node;
  BOOST_TEST(is_ours(node.os, entry("/dev/drbd0", k_drbd), k_drbd));
  BOOST_TEST(is_ours(node.os, entry("/dev/drbd0", makedev(0, 47)), k_drbd));  // btrfs
  BOOST_TEST(is_ours(node.os, entry("whatever", k_drbd), k_drbd));
  BOOST_TEST(!is_ours(node.os, entry("/dev/sdb1", k_other), k_drbd));
  BOOST_TEST(!is_ours(node.os, entry("tmpfs", makedev(0, 40)), k_drbd));
  BOOST_TEST(!is_ours(node.os, entry("/dev/missing", makedev(0, 41)), k_drbd));
}

BOOST_AUTO_TEST_CASE(hidden_mount_finds_our_mount_under_a_later_one_on_the_same_directory) {
  Node node;
  std::vector<sft::sys::MountEntry> mounts{entry("/dev/drbd0", k_drbd), entry("/dev/sdb1", k_other)};
  mounts[0].id = 60;
  const auto hidden = sft::filesystem::hidden_mount(node.os, mounts, "/srv/data", k_drbd);
  BOOST_REQUIRE(hidden.has_value());
  BOOST_TEST(hidden->id == 60);
  BOOST_TEST(!sft::filesystem::hidden_mount(node.os, {mounts[0]}, "/srv/data", k_drbd).has_value());
  BOOST_TEST(!sft::filesystem::hidden_mount(node.os, {mounts[1], mounts[0]}, "/srv/data", k_drbd).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
