#include "core/sys/holders.h"

#include <sys/sysmacros.h>

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_system.h"
#include "tests/fakes/fixtures.h"

using sft::fakes::FakeProcess;
using sft::fakes::FakeSystem;
using sft::sys::Holder;

namespace {

const dev_t k_drbd = makedev(147, 0);
const dev_t k_root = makedev(254, 0);

std::string hows(const std::vector<Holder>& holders) {
  std::string out;
  for (const auto& h : holders) out += std::to_string(h.pid) + ":" + h.how + ";";
  return out;
}

// A /proc where pid 77 is listed but gone by the time its files are read.
class VanishingProc : public FakeSystem {
 public:
  sft::Result<std::vector<std::string>> list_dir(const std::string& path) override {
    auto names = FakeSystem::list_dir(path);
    if (names && path == "/proc") names->push_back("77");
    return names;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(holders)

BOOST_AUTO_TEST_CASE(find_holders_sees_each_way_a_process_can_hold_a_filesystem) {
  FakeSystem os;
  os.processes[10] = {.comm = "bash", .cwd = k_drbd};
  os.processes[11] = {.comm = "chroot", .root = k_drbd};
  os.processes[12] = {.comm = "app", .exe = k_drbd};
  os.processes[13] = {.comm = "postgres", .fds = {{0, k_root}, {7, k_drbd}}};
  os.processes[14] = {.comm = "postgres", .maps = sft::fakes::fixture("proc/maps_postgres_on_drbd.txt")};
  os.processes[15] = {.comm = "init", .cwd = k_root, .root = k_root, .exe = k_root, .fds = {{3, k_root}}};
  const auto holders = sft::sys::find_holders(os, k_drbd);
  BOOST_TEST(hows(holders) == "10:cwd;11:root;12:exe;13:fd 7;14:mmap;");
  BOOST_REQUIRE(holders.size() == 5u);
  BOOST_TEST(holders[3].command == "postgres");
}

BOOST_AUTO_TEST_CASE(a_process_is_listed_once_with_the_first_way_it_holds) {
  FakeSystem os;
  os.processes[20] = {.comm = "vim", .cwd = k_drbd, .fds = {{4, k_drbd}, {5, k_drbd}}};
  const auto holders = sft::sys::find_holders(os, k_drbd);
  BOOST_TEST(hows(holders) == "20:cwd;");
}

BOOST_AUTO_TEST_CASE(find_holders_skips_the_agent_itself) {
  FakeSystem os;
  os.self = 4242;
  os.processes[4242] = {.comm = "Filesystem", .cwd = k_drbd};
  os.processes[30] = {.comm = "sleep", .cwd = k_drbd};
  BOOST_TEST(hows(sft::sys::find_holders(os, k_drbd)) == "30:cwd;");
}

BOOST_AUTO_TEST_CASE(find_holders_skips_processes_that_vanish_during_the_scan) {
  VanishingProc os;
  os.processes[30] = {.comm = "sleep", .cwd = k_drbd};
  BOOST_TEST(hows(sft::sys::find_holders(os, k_drbd)) == "30:cwd;");
}

BOOST_AUTO_TEST_CASE(find_holders_ignores_entries_of_proc_that_are_not_processes) {
  FakeSystem os;
  os.files["/proc/filesystems"] = "\text4\n";
  os.files["/proc/self/mountinfo"] = "";
  os.processes[30] = {.comm = "sleep", .cwd = k_drbd};
  BOOST_TEST(hows(sft::sys::find_holders(os, k_drbd)) == "30:cwd;");
}

BOOST_AUTO_TEST_CASE(find_holders_finds_nobody_on_an_idle_filesystem_or_without_proc) {
  FakeSystem os;
  BOOST_TEST(sft::sys::find_holders(os, k_drbd).empty());
  os.processes[1] = {.comm = "init", .cwd = k_root};
  BOOST_TEST(sft::sys::find_holders(os, k_drbd).empty());
}

BOOST_AUTO_TEST_CASE(mapped_devices_reads_the_device_field_of_captured_maps) {
  const auto devs = sft::sys::mapped_devices(sft::fakes::fixture("proc/maps_cat.txt"));
  BOOST_TEST(devs == std::vector<dev_t>{k_root});
}

BOOST_AUTO_TEST_CASE(mapped_devices_lists_each_device_once_and_skips_anonymous_maps) {
  const auto devs = sft::sys::mapped_devices(sft::fakes::fixture("proc/maps_postgres_on_drbd.txt"));
  BOOST_TEST(devs == (std::vector<dev_t>{k_root, makedev(0, 1), k_drbd}));
}

BOOST_AUTO_TEST_CASE(mapped_devices_skips_lines_it_cannot_read) {
  const auto devs = sft::sys::mapped_devices(
      "garbage\n"
      "7f00-7f01 r--p 00000000 zz:00 1 /x\n"
      "7f00-7f01 r--p 00000000 0800 1 /x\n"
      "\n"
      "7f00-7f01 r--p 00000000 08:11 1 /ok");
  BOOST_TEST(devs == std::vector<dev_t>{makedev(8, 17)});
}

BOOST_AUTO_TEST_CASE(describe_names_pid_command_and_how) {
  const std::vector<Holder> holders{{1234, "sleep", "cwd"}, {99, "postgres", "fd 7"}};
  BOOST_TEST(sft::sys::describe(holders) == "1234 (sleep, cwd), 99 (postgres, fd 7)");
  BOOST_TEST(sft::sys::describe({}) == "");
}

BOOST_AUTO_TEST_CASE(describe_stops_at_the_limit_and_counts_the_rest) {
  std::vector<Holder> holders;
  for (pid_t pid = 1; pid <= 7; ++pid) holders.push_back({pid, "w", "cwd"});
  BOOST_TEST(sft::sys::describe(holders, 2) == "1 (w, cwd), 2 (w, cwd) and 5 more");
  BOOST_TEST(sft::sys::describe(holders).ends_with("5 (w, cwd) and 2 more"));
}

BOOST_AUTO_TEST_SUITE_END()
