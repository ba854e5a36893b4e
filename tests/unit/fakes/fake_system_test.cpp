// The fake must behave like the system it stands for, or the agent tests prove nothing.
#include "tests/fakes/fake_system.h"

#include <boost/test/unit_test.hpp>

#include "core/sys/mounts.h"

using sft::Errc;
using sft::fakes::FakeSystem;

BOOST_AUTO_TEST_SUITE(fake_system)

BOOST_AUTO_TEST_CASE(its_mountinfo_parses_back_into_the_seeded_table) {
  FakeSystem os;
  os.add_mount("/dev/sda1", "/", makedev(8, 1), "ext4");
  os.add_mount("/dev/disk/by-label/a b", "/srv/my data\\x", makedev(147, 0), "xfs", "/sub dir");
  const auto parsed = sft::sys::parse_mountinfo(os.mountinfo());
  BOOST_REQUIRE(parsed.has_value());
  BOOST_REQUIRE(parsed->size() == 2u);
  const auto& m = (*parsed)[1];
  BOOST_TEST(m.source == "/dev/disk/by-label/a b");
  BOOST_TEST(m.target == "/srv/my data\\x");
  BOOST_TEST(m.root == "/sub dir");
  BOOST_TEST(m.dev == makedev(147, 0));
  BOOST_TEST(m.fstype == "xfs");
}

BOOST_AUTO_TEST_CASE(umount_is_busy_while_a_process_holds_the_filesystem) {
  FakeSystem os;
  os.add_mount("/dev/drbd0", "/srv/data", makedev(147, 0), "ext4");
  os.processes[7] = {.comm = "sh", .cwd = makedev(147, 0)};
  const auto r = os.umount("/srv/data");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::busy);
  BOOST_TEST(os.kill(7, SIGTERM).has_value());
  BOOST_TEST(!os.processes.contains(7));
  BOOST_TEST(os.umount("/srv/data").has_value());
  BOOST_TEST(os.mounts.empty());
}

BOOST_AUTO_TEST_CASE(umount_is_busy_while_something_is_mounted_below) {
  FakeSystem os;
  os.add_mount("/dev/drbd0", "/srv/data", makedev(147, 0), "ext4");
  os.add_mount("tmpfs", "/srv/data/tmp", makedev(0, 40), "tmpfs");
  BOOST_TEST(os.umount("/srv/data").error().code == Errc::busy);
  BOOST_TEST(os.umount("/srv/data/tmp").has_value());
  BOOST_TEST(os.umount("/srv/data").has_value());
  BOOST_TEST(os.umount("/srv/data").error().code == Errc::generic);  // EINVAL: not mounted
}

BOOST_AUTO_TEST_CASE(a_process_survives_the_signals_it_ignores) {
  FakeSystem os;
  os.processes[7] = {.comm = "d-state", .dies_on = {}};
  os.sleep_for(std::chrono::milliseconds(1500));
  BOOST_TEST(os.kill(7, SIGKILL).has_value());
  BOOST_TEST(os.processes.contains(7));
  BOOST_TEST(os.signals == (std::vector<sft::fakes::SentSignal>{{7, SIGKILL, std::chrono::milliseconds(1500)}}));
}

BOOST_AUTO_TEST_CASE(proc_shows_processes_and_seeded_files) {
  FakeSystem os;
  os.files["/proc/filesystems"] = "\text4\n";
  os.processes[12] = {.comm = "bash", .fds = {{0, 1}, {3, 2}}};
  const auto names = os.list_dir("/proc");
  BOOST_REQUIRE(names.has_value());
  BOOST_TEST(*names == (std::vector<std::string>{"12", "filesystems"}));
  BOOST_TEST(os.list_dir("/proc/12/fd").value_or(std::vector<std::string>{}) == (std::vector<std::string>{"0", "3"}));
  BOOST_TEST(os.read_file("/proc/12/comm").value_or("") == "bash\n");
  BOOST_TEST(!os.read_file("/proc/13/comm").has_value());
}

BOOST_AUTO_TEST_CASE(real_path_follows_links_and_requires_the_target) {
  FakeSystem os;
  os.add_dir("/srv");
  os.add_dir("/srv/data");
  os.links["/data"] = "/srv/data";
  BOOST_TEST(os.real_path("/data/").value_or("") == "/srv/data");
  BOOST_TEST(os.real_path("/srv//data").value_or("") == "/srv/data");
  BOOST_TEST(!os.real_path("/data/missing").has_value());
  os.links["/loop"] = "/loop";
  BOOST_TEST(!os.real_path("/loop").has_value());
}

BOOST_AUTO_TEST_CASE(run_answers_from_the_script_by_program_name) {
  FakeSystem os;
  os.programs["e2fsck"] = sft::sys::ProcessResult{.exit_code = 4, .out = "", .err = "bad"};
  const sft::sys::Deadline d(os, std::chrono::seconds(1));
  BOOST_TEST(os.run({"/usr/sbin/e2fsck", "-p", "/dev/x"}, d)->exit_code == 4);
  BOOST_TEST(os.run({"true"}, d)->exit_code == 0);
  BOOST_TEST(os.command_lines() == (std::vector<std::string>{"/usr/sbin/e2fsck -p /dev/x", "true"}));
}

BOOST_AUTO_TEST_SUITE_END()
