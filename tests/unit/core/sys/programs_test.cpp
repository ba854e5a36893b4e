#include "core/sys/programs.h"

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_system.h"
#include "tests/fakes/printing.h"

using sft::fakes::FakeSystem;
using sft::sys::find_program;

BOOST_AUTO_TEST_SUITE(programs)

BOOST_AUTO_TEST_CASE(find_program_searches_path_in_order) {
  FakeSystem os;
  os.add_program("/opt/tools/bin/e2fsck");
  os.add_program("/usr/sbin/e2fsck");
  BOOST_TEST(find_program(os, "e2fsck", "/usr/local/bin:/opt/tools/bin").value_or("") == "/opt/tools/bin/e2fsck");
}

BOOST_AUTO_TEST_CASE(find_program_falls_back_to_the_sbin_directories_pacemaker_may_lack) {
  FakeSystem os;
  os.add_program("/sbin/modprobe");
  BOOST_TEST(find_program(os, "modprobe", "/usr/bin:/bin").value_or("") == "/sbin/modprobe");
  BOOST_TEST(find_program(os, "modprobe", "").value_or("") == "/sbin/modprobe");
}

BOOST_AUTO_TEST_CASE(find_program_skips_files_that_are_not_executable_and_directories) {
  FakeSystem os;
  os.stats["/usr/local/bin/xfs_repair"] = {.mode = S_IFREG | 0644};
  os.add_dir("/usr/bin/xfs_repair");
  os.add_program("/usr/sbin/xfs_repair");
  BOOST_TEST(find_program(os, "xfs_repair", "/usr/local/bin:/usr/bin").value_or("") == "/usr/sbin/xfs_repair");
}

BOOST_AUTO_TEST_CASE(find_program_ignores_empty_path_entries) {
  FakeSystem os;
  os.add_program("/bin/true");
  BOOST_TEST(find_program(os, "true", "::").value_or("") == "/bin/true");
}

BOOST_AUTO_TEST_CASE(a_missing_program_is_not_installed_and_named) {
  FakeSystem os;
  const auto r = find_program(os, "btrfs", "/usr/bin");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == sft::Errc::not_installed);
  BOOST_TEST(r.error().message.starts_with("btrfs: not found"));
}

BOOST_AUTO_TEST_SUITE_END()
