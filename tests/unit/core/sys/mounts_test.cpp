#include "core/sys/mounts.h"

#include <sys/sysmacros.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_system.h"
#include "tests/fakes/fixtures.h"

using sft::fakes::fixture;
using sft::sys::MountEntry;
using sft::sys::parse_mountinfo;

namespace {

std::vector<MountEntry> parsed(const std::string& name) {
  auto m = parse_mountinfo(fixture("mountinfo/" + name));
  if (!m) throw std::runtime_error(name + ": " + m.error().message);
  return *m;
}

std::vector<std::string> targets(const std::vector<MountEntry>& mounts) {
  std::vector<std::string> out;
  for (const auto& m : mounts) out.push_back(m.target);
  return out;
}

std::vector<int> ids(const std::vector<MountEntry>& mounts) {
  std::vector<int> out;
  for (const auto& m : mounts) out.push_back(m.id);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mounts)

BOOST_AUTO_TEST_CASE(this_machines_mountinfo_parses_into_one_entry_per_line) {
  const std::string text = fixture("mountinfo/this_machine.txt");
  const auto mounts = parsed("this_machine.txt");
  BOOST_TEST(mounts.size() == static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
  const auto root = sft::sys::mounted_on(mounts, "/");
  BOOST_REQUIRE(root.has_value());
  BOOST_TEST(root->source == "/dev/vda");
  BOOST_TEST(root->fstype == "ext4");
  BOOST_TEST(root->dev == makedev(254, 0));
  BOOST_TEST(root->id == 27);
  BOOST_TEST(root->parent_id == 1);
  BOOST_TEST(root->vfs_options == "rw,relatime");
  BOOST_TEST(root->fs_options.starts_with("rw,discard"));
}

BOOST_AUTO_TEST_CASE(all_fields_of_an_entry_are_read) {
  const auto mounts = parsed("escaped_spaces.txt");
  BOOST_REQUIRE(mounts.size() == 3u);
  const MountEntry& m = mounts[1];
  BOOST_TEST(m.id == 60);
  BOOST_TEST(m.parent_id == 21);
  BOOST_TEST(m.dev == makedev(147, 0));
  BOOST_TEST(m.root == "/");
  BOOST_TEST(m.fstype == "xfs");
  BOOST_TEST(m.source == "/dev/drbd0");
  BOOST_TEST(m.vfs_options == "rw,noatime");
  BOOST_TEST(m.fs_options == "rw,attr2,inode64,logbufs=8,logbsize=32k,noquota");
}

BOOST_AUTO_TEST_CASE(octal_escapes_in_targets_and_sources_are_unescaped) {
  const auto mounts = parsed("escaped_spaces.txt");
  BOOST_REQUIRE(mounts.size() == 3u);
  BOOST_TEST(mounts[1].target == "/srv/my data");
  BOOST_TEST(mounts[2].target == "/mnt/tab\tand\\backslash");
  BOOST_TEST(mounts[2].source == "/dev/disk/by-label/my label");
  BOOST_TEST(sft::sys::mounted_on(mounts, "/srv/my data").has_value());
}

BOOST_AUTO_TEST_CASE(an_empty_source_is_an_empty_field_not_a_malformed_line) {
  // What the kernel writes for `mount -t tmpfs "" /mnt/x`: two spaces after the type.
  const auto m = parse_mountinfo("40 1 0:52 / /mnt/x rw,relatime shared:20 - tmpfs  rw,inode64\n");
  BOOST_REQUIRE(m.has_value());
  BOOST_REQUIRE(m->size() == 1u);
  BOOST_TEST((*m)[0].source == "");
  BOOST_TEST((*m)[0].fstype == "tmpfs");
  BOOST_TEST((*m)[0].fs_options == "rw,inode64");
}

BOOST_AUTO_TEST_CASE(bind_mounts_show_their_subtree_as_root) {
  const auto mounts = parsed("bind_mounts.txt");
  BOOST_REQUIRE(mounts.size() == 4u);
  BOOST_TEST(mounts[2].root == "/exports/web");
  BOOST_TEST(mounts[2].target == "/export/web");
  BOOST_TEST(mounts[2].dev == mounts[1].dev);
  BOOST_TEST(mounts[3].root == "/");
}

BOOST_AUTO_TEST_CASE(btrfs_subvolumes_share_an_anonymous_device_number) {
  const auto mounts = parsed("btrfs_subvolumes.txt");
  BOOST_REQUIRE(mounts.size() == 4u);
  BOOST_TEST(mounts[1].root == "/@home");
  BOOST_TEST(mounts[1].dev == makedev(0, 30));
  BOOST_TEST(mounts[1].dev == mounts[0].dev);
  BOOST_TEST(mounts[3].dev == makedev(0, 47));
  BOOST_TEST(mounts[3].source == "/dev/drbd0");
  BOOST_TEST(mounts[1].fs_options.find("subvol=/@home") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_malformed_line_fails_the_whole_table_and_is_named) {
  const auto m = parse_mountinfo(fixture("mountinfo/malformed.txt"));
  BOOST_REQUIRE(!m.has_value());
  BOOST_TEST(m.error().message == "mountinfo: malformed line 2");
}

BOOST_AUTO_TEST_CASE(a_truncated_line_fails_the_whole_table) {
  const auto m = parse_mountinfo(fixture("mountinfo/truncated.txt"));
  BOOST_REQUIRE(!m.has_value());
  BOOST_TEST(m.error().message.find("malformed line 2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_empty_table_is_empty_not_an_error) {
  const auto m = parse_mountinfo("");
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->empty());
}

BOOST_AUTO_TEST_CASE(read_mounts_reads_proc_self_mountinfo_through_the_seam) {
  sft::fakes::FakeSystem os;
  os.add_mount("/dev/sda1", "/", makedev(8, 1), "ext4");
  os.add_mount("/dev/drbd0", "/srv/my data", makedev(147, 0), "xfs");
  const auto m = sft::sys::read_mounts(os);
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(targets(*m) == (std::vector<std::string>{"/", "/srv/my data"}));
  BOOST_TEST((*m)[1].dev == makedev(147, 0));
}

BOOST_AUTO_TEST_CASE(mounted_on_returns_the_visible_mount_of_a_stack) {
  const auto mounts = parsed("stacked.txt");
  const auto top = sft::sys::mounted_on(mounts, "/srv/data");
  BOOST_REQUIRE(top.has_value());
  BOOST_TEST(top->id == 70);
  BOOST_TEST(top->source == "/dev/sdb1");
}

BOOST_AUTO_TEST_CASE(mounted_on_normalizes_the_directory_it_is_given) {
  const auto mounts = parsed("bind_mounts.txt");
  for (const char* dir : {"/srv/data/", "/srv//data", "/srv/./data", "/srv/x/../data"}) {
    const auto m = sft::sys::mounted_on(mounts, dir);
    BOOST_TEST(m.has_value(), dir);
    if (m) BOOST_TEST(m->id == 60);
  }
  BOOST_TEST(!sft::sys::mounted_on(mounts, "/srv").has_value());
  BOOST_TEST(!sft::sys::mounted_on(mounts, "/srv/dat").has_value());
}

BOOST_AUTO_TEST_CASE(mounts_below_lists_deepest_first_and_later_mounts_first) {
  const auto below = sft::sys::mounts_below(parsed("submounts.txt"), "/srv/data");
  BOOST_TEST(ids(below) == (std::vector<int>{63, 64, 62, 61}));
}

BOOST_AUTO_TEST_CASE(mounts_below_excludes_the_directory_itself_and_its_name_siblings) {
  const auto below = sft::sys::mounts_below(parsed("submounts.txt"), "/srv/data/");
  for (const auto& m : below) {
    BOOST_TEST(m.target != "/srv/data");
    BOOST_TEST(m.target != "/srv/database");
  }
  BOOST_TEST(sft::sys::mounts_below(parsed("stacked.txt"), "/srv/data").empty());
}

BOOST_AUTO_TEST_CASE(mounts_below_the_root_are_all_but_the_root) {
  const auto below = sft::sys::mounts_below(parsed("bind_mounts.txt"), "/");
  BOOST_TEST(below.size() == 3u);
  BOOST_TEST(below.front().target == "/var/lib/mirror");
}

BOOST_AUTO_TEST_CASE(normalize_path_removes_dots_and_repeated_or_trailing_slashes) {
  const struct {
    const char* in;
    const char* out;
  } table[] = {
      {"/srv//data/", "/srv/data"},
      {"/srv/./data", "/srv/data"},
      {"/srv/a/../data", "/srv/data"},
      {"/", "/"},
      {"", "/"},
      {"//", "/"},
      {"/..", "/"},
      {"/../srv", "/srv"},
      {"/srv/data/..", "/srv"},
      {"/a b/c", "/a b/c"},
      {"/srv/.hidden", "/srv/.hidden"},
      {"/srv/...", "/srv/..."},
  };
  for (const auto& row : table) BOOST_TEST(sft::sys::normalize_path(row.in) == row.out, "'" << row.in << "'");
}

BOOST_AUTO_TEST_SUITE_END()
