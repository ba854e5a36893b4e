#include "stonith/algorithm.h"

#include <boost/test/unit_test.hpp>

#include "stonith/options.h"
#include "tests/fakes/fake_device.h"
#include "tests/fakes/fake_system.h"

using namespace std::chrono_literals;
using sft::Errc;
using sft::Error;
using sft::fence::Power;
using sft::sys::Millis;

namespace {

std::unexpected<Error> api_error(const std::string& m) { return std::unexpected(Error{Errc::generic, m}); }

// One action on a fake device with the fake clock; options as stdin lines.
struct Fencing {
  sft::fakes::FakeSystem os;
  sft::fakes::FakeDevice device{os};
  sft::fence::Io io;

  int run(const std::string& lines, std::optional<Millis> budget = std::nullopt) {
    sft::fence::AgentSpec spec;
    spec.name = "fence_test";
    spec.supports_cycle = true;
    const auto options = sft::fence::all_options(spec);
    const auto o = sft::fence::parse_stdin(options, "plug=vm1\n" + lines).options;
    BOOST_REQUIRE_MESSAGE(sft::fence::check_options(options, o), "bad test options: " << lines);
    const sft::sys::Deadline d(os, budget.value_or(sft::fence::action_budget(o)));
    return sft::fence::fence_action(o, device, d, io);
  }
  Millis now() const { return os.elapsed(); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(fence_algorithm)

BOOST_FIXTURE_TEST_CASE(off_of_a_plug_already_off_changes_nothing_and_waits_for_nothing, Fencing) {
  device.statuses = {Power::off};
  BOOST_TEST(run("action=off\ndelay=10") == 0);
  BOOST_TEST(io.out == "Success: Already OFF\n");
  BOOST_TEST(io.err == "");
  BOOST_TEST(device.changes().empty());
  BOOST_TEST(now().count() == 0);
}

BOOST_FIXTURE_TEST_CASE(slow_off_polls_through_unknown_until_the_device_says_off, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{Power::unknown, Power::unknown, Power::unknown, Power::off}};
  BOOST_TEST(run("action=off") == 0);
  BOOST_TEST(io.out == "Success: Powered OFF\n");
  BOOST_TEST(io.err == "");
  BOOST_TEST((device.changes() == std::vector<std::string>{"before_power_change", "power_off"}));
  BOOST_TEST(device.count("status") == 5U);  // the first look, then four polls a second apart
  BOOST_TEST(device.last("status").count() == 3000);
}

BOOST_FIXTURE_TEST_CASE(a_plug_that_never_goes_off_fails_at_power_timeout_and_never_succeeds, Fencing) {
  device.statuses = {Power::on};
  BOOST_TEST(run("action=off\npower_timeout=20") == 1);
  BOOST_TEST(io.out == "");
  BOOST_TEST(io.err == "Failed: timed out powering OFF vm1: still ON after power_timeout 20 s\n");
  BOOST_TEST(device.last("status").count() == 20'000);
  BOOST_TEST(now().count() == 20'000);
  BOOST_TEST(device.count("status") == 22U);  // the first look, then polls at 0..20 s
}

BOOST_FIXTURE_TEST_CASE(unknown_never_counts_as_off, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{Power::unknown}};
  BOOST_TEST(run("action=off\npower_timeout=5") == 1);
  BOOST_TEST(io.out == "");
  BOOST_TEST(io.err == "Failed: timed out powering OFF vm1: still UNKNOWN after power_timeout 5 s\n");
}

BOOST_FIXTURE_TEST_CASE(flapping_between_on_and_unknown_is_never_off, Fencing) {
  device.statuses = {Power::on};
  std::vector<sft::Result<Power>> flaps;
  for (int i = 0; i < 40; ++i) flaps.push_back(i % 2 == 0 ? Power::unknown : Power::on);
  device.after_off = flaps;
  BOOST_TEST(run("action=off\npower_timeout=10") == 1);
  BOOST_TEST(io.out == "");
  BOOST_TEST(io.err.starts_with("Failed: timed out powering OFF vm1: still "));
  BOOST_TEST(now().count() == 10'000);
}

BOOST_FIXTURE_TEST_CASE(a_flap_through_off_is_taken_when_the_device_says_off, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{Power::on, Power::unknown, Power::on, Power::off, Power::on}};
  BOOST_TEST(run("action=off") == 0);
  BOOST_TEST(io.out == "Success: Powered OFF\n");
  BOOST_TEST(device.last("status").count() == 3000);
}

BOOST_FIXTURE_TEST_CASE(status_errors_while_polling_keep_the_poll_going, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{api_error("HTTP 503"), api_error("HTTP 429"), Power::off}};
  BOOST_TEST(run("action=off") == 0);
  BOOST_TEST(io.out == "Success: Powered OFF\n");
  BOOST_TEST(io.err == "");
}

BOOST_FIXTURE_TEST_CASE(status_errors_until_the_timeout_fail_with_the_last_error, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{api_error("GetInstance vm1: HTTP 500 InternalError, opc-request-id r1")}};
  BOOST_TEST(run("action=off\npower_timeout=3") == 1);
  BOOST_TEST(io.out == "");
  BOOST_TEST(io.err ==
             "Failed: timed out powering OFF vm1: not reported OFF after power_timeout 3 s; last status check failed: "
             "GetInstance vm1: HTTP 500 InternalError, opc-request-id r1\n");
}

BOOST_FIXTURE_TEST_CASE(a_failing_first_status_stops_before_any_power_change, Fencing) {
  device.statuses = {api_error("HTTP 401 NotAuthenticated")};
  BOOST_TEST(run("action=off") == 1);
  BOOST_TEST(io.err == "Failed: status of vm1: HTTP 401 NotAuthenticated\n");
  BOOST_TEST(device.changes().empty());
}

BOOST_FIXTURE_TEST_CASE(an_unknown_first_status_still_powers_off, Fencing) {
  device.statuses = {Power::unknown};
  device.after_off = {{Power::off}};
  BOOST_TEST(run("action=off") == 0);
  BOOST_TEST(io.out == "Success: Powered OFF\n");
}

BOOST_FIXTURE_TEST_CASE(a_power_off_error_fails_without_polling, Fencing) {
  device.statuses = {Power::on};
  device.off_result = api_error("InstanceAction STOP: HTTP 404 NotAuthorizedOrNotFound");
  BOOST_TEST(run("action=off") == 1);
  BOOST_TEST(io.out == "");
  BOOST_TEST(io.err == "Failed: power OFF vm1: InstanceAction STOP: HTTP 404 NotAuthorizedOrNotFound\n");
  BOOST_TEST(device.count("status") == 1U);
}

BOOST_FIXTURE_TEST_CASE(a_refused_race_check_fails_before_any_power_change, Fencing) {
  device.statuses = {Power::on};
  device.before_result = api_error("this node's own instance is STOPPING: not fencing vm1");
  BOOST_TEST(run("action=reboot") == 1);
  BOOST_TEST(io.out == "");
  BOOST_TEST(io.err == "Failed: this node's own instance is STOPPING: not fencing vm1\n");
  BOOST_TEST(device.count("power_off") == 0U);
  BOOST_TEST(device.count("power_on") == 0U);
}

BOOST_FIXTURE_TEST_CASE(delay_comes_before_the_race_check_and_power_wait_before_the_first_poll, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{Power::off}};
  BOOST_TEST(run("action=off\ndelay=5\npower_wait=3") == 0);
  BOOST_TEST(device.first("before_power_change").count() == 5000);
  BOOST_TEST(device.first("power_off").count() == 5000);
  BOOST_TEST(device.last("status").count() == 8000);
  BOOST_TEST(io.out == "Success: Powered OFF\n");
}

BOOST_FIXTURE_TEST_CASE(on_has_no_delay, Fencing) {
  device.statuses = {Power::off};
  device.after_on = {{Power::unknown, Power::on}};
  BOOST_TEST(run("action=on\ndelay=5\npower_wait=2") == 0);
  BOOST_TEST(io.out == "Success: Powered ON\n");
  BOOST_TEST(device.first("power_on").count() == 0);
  BOOST_TEST(device.last("status").count() == 3000);
}

BOOST_FIXTURE_TEST_CASE(stonith_status_sleep_spaces_the_polls, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{Power::unknown, Power::unknown, Power::off}};
  BOOST_TEST(run("action=off\nstonith_status_sleep=2.5") == 0);
  BOOST_TEST(device.last("status").count() == 5000);
}

BOOST_FIXTURE_TEST_CASE(a_zero_status_sleep_still_leaves_time_between_polls, Fencing) {
  device.statuses = {Power::on};
  BOOST_TEST(run("action=off\nstonith_status_sleep=0\npower_timeout=1") == 1);
  BOOST_TEST(device.count("status") == 12U);  // the first look, then every 100 ms for 1 s
}

BOOST_FIXTURE_TEST_CASE(polls_never_sleep_past_the_deadline, Fencing) {
  device.statuses = {Power::on};
  BOOST_TEST(run("action=off\npower_timeout=60", Millis(7'500)) == 1);
  BOOST_TEST(now().count() == 7'500);
  BOOST_TEST(io.err == "Failed: timed out powering OFF vm1: still ON when the action's time ran out\n");
}

BOOST_FIXTURE_TEST_CASE(power_timeout_zero_polls_until_the_deadline, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{Power::unknown}};
  BOOST_TEST(run("action=off\npower_timeout=0", Millis(90'000)) == 1);
  BOOST_TEST(now().count() == 90'000);
}

BOOST_FIXTURE_TEST_CASE(reboot_is_a_verified_off_then_on, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{Power::unknown, Power::off}};
  device.after_on = {{Power::unknown, Power::on}};
  BOOST_TEST(run("action=reboot") == 0);
  BOOST_TEST(io.out == "Success: Rebooted\n");
  BOOST_TEST(io.err == "");
  BOOST_TEST((device.changes() == std::vector<std::string>{"before_power_change", "power_off", "power_on"}));
  BOOST_TEST(device.first("power_on").count() == 1000);
}

BOOST_FIXTURE_TEST_CASE(reboot_whose_on_fails_after_a_verified_off_succeeds_with_a_warning, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{Power::off}};
  device.on_results = {api_error("InstanceAction START: HTTP 500 InternalError")};
  BOOST_TEST(run("action=reboot\nretry_on=2") == 0);
  BOOST_TEST(io.out == "Success: Rebooted\n");
  BOOST_TEST(io.err ==
             "Warning: vm1 is off (fenced) but did not power on: power ON vm1: InstanceAction START: HTTP 500 "
             "InternalError\n");
  BOOST_TEST(device.count("power_on") == 2U);  // retry_on attempts
}

BOOST_FIXTURE_TEST_CASE(reboot_whose_on_never_verifies_succeeds_with_a_warning, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{Power::off}};
  BOOST_TEST(run("action=reboot\npower_timeout=5") == 0);
  BOOST_TEST(io.out == "Success: Rebooted\n");
  BOOST_TEST(io.err ==
             "Warning: vm1 is off (fenced) but did not power on: timed out powering ON vm1: still OFF "
             "after power_timeout 5 s\n");
}

BOOST_FIXTURE_TEST_CASE(reboot_whose_off_is_not_verified_fails_and_never_powers_on, Fencing) {
  device.statuses = {Power::on};
  device.after_off = {{Power::unknown}};
  BOOST_TEST(run("action=reboot\npower_timeout=5") == 1);
  BOOST_TEST(io.out == "");
  BOOST_TEST(io.err == "Failed: timed out powering OFF vm1: still UNKNOWN after power_timeout 5 s\n");
  BOOST_TEST(device.count("power_on") == 0U);
}

BOOST_FIXTURE_TEST_CASE(reboot_of_a_plug_already_off_only_powers_it_on, Fencing) {
  device.statuses = {Power::off};
  device.after_on = {{Power::on}};
  BOOST_TEST(run("action=reboot\ndelay=5") == 0);
  BOOST_TEST(io.out == "Success: Rebooted\n");
  BOOST_TEST((device.changes() == std::vector<std::string>{"before_power_change", "power_on"}));
  BOOST_TEST(now().count() == 0);
}

BOOST_FIXTURE_TEST_CASE(reboot_by_cycle_resets_once_and_waits_for_on, Fencing) {
  device.cycles = true;
  device.statuses = {Power::on};
  device.after_cycle = {{Power::unknown, Power::unknown, Power::on}};
  BOOST_TEST(run("action=reboot\nmethod=cycle\ndelay=2") == 0);
  BOOST_TEST(io.out == "Success: Rebooted\n");
  BOOST_TEST((device.changes() == std::vector<std::string>{"before_power_change", "power_cycle"}));
  BOOST_TEST(device.first("power_cycle").count() == 2000);
  BOOST_TEST(device.last("status").count() == 4000);
}

BOOST_FIXTURE_TEST_CASE(reboot_by_cycle_that_never_comes_back_on_fails, Fencing) {
  device.cycles = true;
  device.statuses = {Power::on};
  device.after_cycle = {{Power::unknown}};
  BOOST_TEST(run("action=reboot\nmethod=cycle\npower_timeout=4") == 1);
  BOOST_TEST(io.err == "Failed: timed out powering ON vm1: still UNKNOWN after power_timeout 4 s\n");
}

BOOST_FIXTURE_TEST_CASE(reboot_by_cycle_reports_a_failed_reset, Fencing) {
  device.cycles = true;
  device.statuses = {Power::on};
  device.cycle_result = api_error("InstanceAction RESET: HTTP 409 IncorrectState");
  BOOST_TEST(run("action=reboot\nmethod=cycle") == 1);
  BOOST_TEST(io.err == "Failed: power cycle vm1: InstanceAction RESET: HTTP 409 IncorrectState\n");
  BOOST_TEST(device.count("status") == 1U);
}

BOOST_FIXTURE_TEST_CASE(method_cycle_is_refused_by_a_device_that_cannot_cycle, Fencing) {
  device.statuses = {Power::on};
  BOOST_TEST(run("action=reboot\nmethod=cycle") == 1);
  BOOST_TEST(io.err == "Failed: method=cycle: this device cannot power-cycle vm1; use method=onoff\n");
  BOOST_TEST(device.changes().empty());
}

BOOST_FIXTURE_TEST_CASE(on_retries_up_to_retry_on_attempts, Fencing) {
  device.statuses = {Power::off};
  device.on_results = {api_error("HTTP 500"), {}};
  device.after_on = {{Power::on}};
  BOOST_TEST(run("action=on\nretry_on=2") == 0);
  BOOST_TEST(io.out == "Success: Powered ON\n");
  BOOST_TEST(device.count("power_on") == 2U);
}

BOOST_FIXTURE_TEST_CASE(on_fails_when_every_attempt_fails, Fencing) {
  device.statuses = {Power::off};
  device.on_results = {api_error("HTTP 500")};
  BOOST_TEST(run("action=on\nretry_on=3") == 1);
  BOOST_TEST(io.err == "Failed: power ON vm1: HTTP 500\n");
  BOOST_TEST(device.count("power_on") == 3U);
}

BOOST_FIXTURE_TEST_CASE(on_of_a_plug_already_on_changes_nothing, Fencing) {
  device.statuses = {Power::on};
  BOOST_TEST(run("action=on") == 0);
  BOOST_TEST(io.out == "Success: Already ON\n");
  BOOST_TEST(device.changes().empty());
}

BOOST_AUTO_TEST_CASE(status_exits_0_on_2_off_and_1_unknown) {
  struct Row {
    sft::Result<Power> power;
    int exit;
    std::string out;
    std::string err;
  };
  const std::vector<Row> rows = {
      {Power::on, 0, "Status: ON\n", ""},
      {Power::off, 2, "Status: OFF\n", ""},
      {Power::unknown, 1, "",
       "Failed: vm1 is neither on nor off: the device reports a transitional or unknown state\n"},
      {api_error("HTTP 404"), 1, "", "Failed: status of vm1: HTTP 404\n"},
  };
  for (const auto& r : rows) {
    Fencing f;
    f.device.statuses = {r.power};
    BOOST_TEST(f.run("action=status") == r.exit);
    BOOST_TEST(f.io.out == r.out);
    BOOST_TEST(f.io.err == r.err);
    BOOST_TEST(f.device.changes().empty());
  }
}

BOOST_FIXTURE_TEST_CASE(the_plug_is_resolved_before_anything_else, Fencing) {
  device.names = {{"db1", "ocid1.instance.db1"}};
  device.statuses = {Power::on};
  device.after_off = {{Power::off}};
  sft::fence::AgentSpec spec;
  const auto options = sft::fence::all_options(spec);
  const auto o = sft::fence::parse_stdin(options, "action=off\nplug=db1").options;
  const sft::sys::Deadline d(os, sft::fence::action_budget(o));
  BOOST_TEST(sft::fence::fence_action(o, device, d, io) == 0);
  BOOST_REQUIRE(device.calls.size() >= 3u);  // resolve, status, the race check, off, polls
  BOOST_TEST(device.calls.front().what == "resolve_plug");
  for (size_t i = 1; i < device.calls.size(); ++i) BOOST_TEST(device.calls[i].plug == "ocid1.instance.db1");
}

BOOST_FIXTURE_TEST_CASE(an_unresolvable_plug_fails_naming_it, Fencing) {
  device.resolve_error = Error{Errc::configuration, "no instance named db9 in the compartment"};
  BOOST_TEST(run("action=off") == 1);
  BOOST_TEST(io.err == "Failed: plug 'vm1': no instance named db9 in the compartment\n");
  BOOST_TEST(device.count("status") == 0U);
}

BOOST_FIXTURE_TEST_CASE(list_prints_id_and_alias_and_list_status_the_power_too, Fencing) {
  device.outlets = std::vector<sft::fence::Outlet>{
      {"ocid1.a", "db1", Power::on}, {"ocid1.b", "", Power::off}, {"ocid1.c", "db3", Power::unknown}};
  BOOST_TEST(run("action=list") == 0);
  BOOST_TEST(io.out == "ocid1.a,db1\nocid1.b,\nocid1.c,db3\n");
  io = {};
  BOOST_TEST(run("action=list-status") == 0);
  BOOST_TEST(io.out == "ocid1.a,db1,ON\nocid1.b,,OFF\nocid1.c,db3,UNKNOWN\n");
  BOOST_TEST(device.count("list") == 1U);
  BOOST_TEST(device.count("list-status") == 1U);
  BOOST_TEST(device.count("status") == 0U);
}

BOOST_FIXTURE_TEST_CASE(list_and_monitor_failures_are_one_line, Fencing) {
  device.outlets = api_error("ListInstances: HTTP 401");
  BOOST_TEST(run("action=list") == 1);
  BOOST_TEST(io.err == "Failed: list: ListInstances: HTTP 401\n");
  io = {};
  device.monitor_result = api_error("ListInstances: HTTP 403");
  BOOST_TEST(run("action=monitor") == 1);
  BOOST_TEST(io.err == "Failed: monitor: ListInstances: HTTP 403\n");
  io = {};
  device.monitor_result = {};
  BOOST_TEST(run("action=monitor") == 0);
  BOOST_TEST(io.out == "");
  BOOST_TEST(io.err == "");
}

BOOST_AUTO_TEST_CASE(the_budget_covers_delay_waits_and_timeouts_of_every_power_change) {
  sft::fence::AgentSpec spec;
  const auto options = sft::fence::all_options(spec);
  const auto budget = [&](const std::string& lines) {
    return sft::fence::action_budget(sft::fence::parse_stdin(options, lines).options).count();
  };
  BOOST_TEST(budget("action=off\ndelay=5\npower_wait=3\npower_timeout=20") == 58'000);
  BOOST_TEST(budget("action=on\ndelay=5\npower_wait=3\npower_timeout=20\nretry_on=2") == 76'000);
  BOOST_TEST(budget("action=reboot\ndelay=5\npower_wait=3\npower_timeout=20\nretry_on=2") == 104'000);
  BOOST_TEST(budget("action=status\ndelay=5") == 30'000);
  BOOST_TEST(budget("action=off\npower_timeout=0") == 24LL * 3600 * 1000 + 30'000);
}

BOOST_AUTO_TEST_SUITE_END()
