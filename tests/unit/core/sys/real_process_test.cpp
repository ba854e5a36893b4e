// RealSystem's processes with harmless programs: argv only, output captured, every
// wait bounded by the deadline (short real deadlines; nothing asserts on wall time).
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <csignal>

#include "core/sys/real_system.h"
#include "tests/fakes/printing.h"

using namespace std::chrono_literals;
using sft::Errc;
using sft::sys::Deadline;
using sft::sys::RealSystem;

BOOST_AUTO_TEST_SUITE(real_process)

BOOST_AUTO_TEST_CASE(run_captures_output_and_exit_code_without_a_shell) {
  RealSystem os;
  const auto r = os.run({"sh", "-c", "echo out; echo err >&2; exit 3"}, Deadline(os, 10s));
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->exit_code == 3);
  BOOST_TEST(r->out == "out\n");
  BOOST_TEST(r->err == "err\n");
  BOOST_TEST(!r->ok());
}

BOOST_AUTO_TEST_CASE(a_lost_exit_status_is_an_error_not_success) {
  // With SIGCHLD ignored the kernel reaps children itself and the status is gone:
  // reading it as 0 would make a failed fsck look like a clean one.
  RealSystem os;
  const auto previous = std::signal(SIGCHLD, SIG_IGN);
  const auto r = os.run({"sh", "-c", "exit 4"}, Deadline(os, 10s));
  const auto c = os.run_in_child([] { return 3; }, Deadline(os, 10s));
  std::signal(SIGCHLD, previous);
  BOOST_TEST(!r.has_value());
  BOOST_TEST(!c.has_value());
}

BOOST_AUTO_TEST_CASE(run_passes_arguments_as_they_are) {
  RealSystem os;
  const auto r = os.run({"printf", "%s|", "a b", "$HOME", ";rm"}, Deadline(os, 10s));
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->ok());
  BOOST_TEST(r->out == "a b|$HOME|;rm|");
}

BOOST_AUTO_TEST_CASE(run_reports_a_signal_that_killed_the_program) {
  RealSystem os;
  const auto r = os.run({"sh", "-c", "kill -TERM $$"}, Deadline(os, 10s));
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->exit_code == -1);
  BOOST_TEST(r->signal == SIGTERM);
}

BOOST_AUTO_TEST_CASE(run_of_a_missing_program_is_not_installed) {
  RealSystem os;
  const auto r = os.run({"sft-no-such-program"}, Deadline(os, 10s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::not_installed);
  BOOST_TEST(r.error().message.starts_with("sft-no-such-program: cannot run"));
}

BOOST_AUTO_TEST_CASE(run_kills_a_program_at_the_deadline) {
  RealSystem os;
  const auto r = os.run({"sleep", "30"}, Deadline(os, 200ms));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::timeout);
  BOOST_TEST(r.error().message == "sleep: did not finish before the deadline; killed");
}

BOOST_AUTO_TEST_CASE(run_kills_what_the_program_started_at_the_deadline) {
  // drbdadm starts drbdsetup, which may start a DRBD handler: none may outlive the deadline.
  RealSystem os;
  char dir[] = "/tmp/sft-run-group.XXXXXX";
  BOOST_REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string pidfile = std::string(dir) + "/grandchild";
  const auto r = os.run({"sh", "-c", "sleep 30 & echo $! >" + pidfile + "; wait"}, Deadline(os, 500ms));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == Errc::timeout));
  const auto text = os.read_file(pidfile);
  BOOST_REQUIRE(text.has_value());
  const pid_t grandchild = std::stoi(*text);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {  // SIGKILL is delivered at once; reaping by init may lag
    gone = ::kill(grandchild, 0) != 0 ||
           os.read_file("/proc/" + std::to_string(grandchild) + "/stat").value_or("").find(") Z ") != std::string::npos;
    if (!gone) ::usleep(10000);
  }
  BOOST_TEST(gone);
  ::unlink(pidfile.c_str());
  ::rmdir(dir);
}

BOOST_AUTO_TEST_CASE(run_refuses_an_empty_command) {
  RealSystem os;
  BOOST_TEST(os.run({}, Deadline(os, 1s)).error().code == Errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(run_in_child_returns_what_the_function_returns) {
  RealSystem os;
  const pid_t parent = ::getpid();
  const auto r = os.run_in_child([parent] { return ::getpid() != parent ? 42 : 1; }, Deadline(os, 10s));
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == 42);
}

BOOST_AUTO_TEST_CASE(run_in_child_abandons_a_child_that_hangs_at_the_deadline) {
  RealSystem os;
  const auto r = os.run_in_child(
      [] {
        ::pause();
        return 0;
      },
      Deadline(os, 200ms));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::timeout);
}

BOOST_AUTO_TEST_CASE(run_in_child_reports_a_child_killed_by_a_signal) {
  RealSystem os;
  const auto r = os.run_in_child(
      [] {
        ::raise(SIGKILL);
        return 0;
      },
      Deadline(os, 10s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "child killed by signal 9");
}

BOOST_AUTO_TEST_SUITE_END()
