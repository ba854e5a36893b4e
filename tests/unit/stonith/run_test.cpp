#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <stdexcept>

#include "stonith/algorithm.h"
#include "stonith/fence.h"
#include "stonith/metadata.h"
#include "tests/fakes/capture.h"
#include "tests/fakes/fake_device.h"
#include "tests/fakes/fake_system.h"

using sft::Errc;
using sft::Error;
using sft::fence::Power;

namespace {

// The machine's syslog stays clean.
const std::pair<const std::string, std::string> k_quiet{"HA_LOGFACILITY", "none"};

// An agent whose open() and validate() record what they saw and hand out a fake device.
struct Agent {
  sft::fakes::FakeSystem os;
  sft::fakes::FakeDevice device{os};
  sft::fence::Io io;
  int opened = 0;
  int validated = 0;
  sft::sys::Millis budget{-1};
  std::string env_seen;
  sft::Result<void> validation{};
  std::optional<Error> open_error;

  sft::fence::AgentSpec spec() {
    sft::fence::AgentSpec s;
    s.name = "fence_test";
    s.shortdesc = "Test agent";
    s.options = {{.name = "region", .short_name = 'r', .value_hint = "[region]", .shortdesc = "Region"},
                 {.name = "skip_race_check", .type = sft::fence::Type::boolean, .shortdesc = "skip"}};
    s.validate = [this](const sft::fence::Options&) {
      ++validated;
      return validation;
    };
    s.open = [this](const sft::fence::Options&, sft::sys::System&, const sft::Environment& env,
                    const sft::sys::Deadline& d) -> sft::Result<std::unique_ptr<sft::fence::Device>> {
      ++opened;
      budget = d.remaining();
      if (auto it = env.find("OCI_CONFIG_FILE"); it != env.end()) env_seen = it->second;
      if (open_error) return std::unexpected(*open_error);
      return std::make_unique<sft::fakes::DeviceRef>(device);
    };
    return s;
  }

  int run_stdin(const std::string& text) {
    io.stdin_text = text;
    return sft::fence::run(spec(), {}, io, os, {{"OCI_CONFIG_FILE", "/etc/oci"}, k_quiet});
  }
  int run_args(const std::vector<std::string>& args) { return sft::fence::run(spec(), args, io, os, {k_quiet}); }
};

size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

BOOST_AUTO_TEST_SUITE(fence_run)

BOOST_FIXTURE_TEST_CASE(metadata_from_stdin_as_the_fencer_asks_needs_no_device, Agent) {
  BOOST_TEST(run_stdin("action=metadata\nnodename=node2\n") == 0);
  BOOST_TEST(io.out == sft::fence::metadata_xml(spec()));
  BOOST_TEST(io.err == "");
  BOOST_TEST(opened == 0);
  BOOST_TEST(validated == 0);
}

BOOST_FIXTURE_TEST_CASE(metadata_works_whatever_else_is_wrong, Agent) {
  BOOST_TEST(run_stdin("action=meta-data\nverbose=maybe\npower_timeout=soon\n") == 0);
  BOOST_TEST(io.out.starts_with("<?xml"));
}

BOOST_FIXTURE_TEST_CASE(metadata_and_manpage_from_the_command_line, Agent) {
  BOOST_TEST(run_args({"-o", "metadata"}) == 0);
  BOOST_TEST(io.out == sft::fence::metadata_xml(spec()));
  io = {};
  BOOST_TEST(run_args({"--action=manpage"}) == 0);
  BOOST_TEST(io.out == sft::fence::manpage(spec()));
  BOOST_TEST(opened == 0);
}

BOOST_FIXTURE_TEST_CASE(help_and_version_print_and_exit_0, Agent) {
  BOOST_TEST(run_args({"-h"}) == 0);
  BOOST_TEST(io.out == sft::fence::usage(spec()));
  io = {};
  BOOST_TEST(run_args({"--version"}) == 0);
  BOOST_TEST(io.out == "fence_test " SFT_VERSION "\n");
  BOOST_TEST(opened == 0);
}

BOOST_FIXTURE_TEST_CASE(with_arguments_stdin_is_not_read, Agent) {
  io.stdin_text = "action=off\nplug=other\n";
  device.statuses = {Power::on};
  BOOST_TEST(run_args({"-o", "status", "-n", "vm1"}) == 0);
  BOOST_TEST(io.out == "Status: ON\n");
  BOOST_TEST(device.count("power_off") == 0U);
  BOOST_TEST(device.calls.back().plug == "vm1");
}

BOOST_FIXTURE_TEST_CASE(status_from_stdin_exits_2_when_off, Agent) {
  device.statuses = {Power::off};
  BOOST_TEST(run_stdin("action=status\nport=vm1\nnodename=node2\n") == 2);
  BOOST_TEST(io.out == "Status: OFF\n");
  BOOST_TEST(io.err == "");
  BOOST_TEST(validated == 1);
  BOOST_TEST(env_seen == "/etc/oci");
}

BOOST_FIXTURE_TEST_CASE(an_unknown_command_line_option_is_one_line_and_exit_1, Agent) {
  BOOST_TEST(run_args({"-o", "off", "-n", "vm1", "--frobnicate"}) == 1);
  BOOST_TEST(io.out == "");
  BOOST_TEST(io.err == "Failed: unrecognised option '--frobnicate' (see fence_test --help)\n");
  BOOST_TEST(opened == 0);
}

BOOST_FIXTURE_TEST_CASE(unknown_stdin_names_are_warned_about_and_the_action_goes_on, Agent) {
  device.statuses = {Power::on};
  device.after_off = {{Power::off}};
  BOOST_TEST(run_stdin("action=off\nplug=vm1\npassword=hunter2\n") == 0);
  BOOST_TEST(io.out == "Success: Powered OFF\n");
  BOOST_TEST(io.err == "Warning: ignoring unknown option 'password'\n");
}

BOOST_FIXTURE_TEST_CASE(quiet_keeps_warnings_off_stderr_but_not_failures, Agent) {
  device.statuses = {Power::on};
  BOOST_TEST(run_stdin("action=status\nplug=vm1\nquiet=1\nbogus=1\n") == 0);
  BOOST_TEST(io.out == "Status: ON\n");
  BOOST_TEST(io.err == "");
  io = {};
  BOOST_TEST(run_stdin("action=status\nquiet=1\n") == 1);
  BOOST_TEST(io.err == "Failed: no plug given: set plug (-n, --plug) to the machine to check\n");
}

BOOST_FIXTURE_TEST_CASE(a_misspelt_option_name_in_the_code_is_caught_before_any_action, Agent) {
  // The agent's code reads "regoin": no action runs, metadata included, and the one
  // line names the option.
  sft::fence::OptionNames names;
  [[maybe_unused]] const sft::fence::Opt<std::string> region{names, "regoin"};
  sft::fence::AgentSpec s = spec();
  s.names = &names;
  for (const char* input : {"action=off\nplug=p1\n", "action=metadata\n", "action=validate-all\n"}) {
    BOOST_TEST_CONTEXT(input) {
      io = {};
      io.stdin_text = input;
      BOOST_TEST(sft::fence::run(s, {}, io, os, {k_quiet}) == 1);
      BOOST_TEST(io.out.empty());
      BOOST_TEST(io.err == "Failed: internal error: fence_test reads option 'regoin', which its metadata does not declare\n");
    }
  }
  BOOST_TEST(opened == 0);
  BOOST_TEST(validated == 0);
  // Typed otherwise than the option is: also caught.
  sft::fence::OptionNames mistyped;
  [[maybe_unused]] const sft::fence::Opt<sft::sys::Millis> skip{mistyped, "skip_race_check"};
  s.names = &mistyped;
  io = {};
  io.stdin_text = "action=list\n";
  BOOST_TEST(sft::fence::run(s, {}, io, os, {k_quiet}) == 1);
  BOOST_TEST(io.err == "Failed: internal error: fence_test reads option 'skip_race_check' as a time, but its metadata "
                       "makes it a boolean\n");
}

BOOST_FIXTURE_TEST_CASE(validate_all_checks_options_and_the_agent_without_opening_the_device, Agent) {
  BOOST_TEST(run_stdin("action=validate-all\nregion=r1\n") == 0);
  BOOST_TEST(io.out == "");
  BOOST_TEST(io.err == "");
  BOOST_TEST(validated == 1);
  BOOST_TEST(opened == 0);

  io = {};
  validation = sft::fail(Errc::configuration, "region 'r1': not a region this realm knows");
  BOOST_TEST(run_stdin("action=validate-all\nregion=r1\n") == 1);
  BOOST_TEST(io.err == "Failed: region 'r1': not a region this realm knows\n");

  io = {};
  validation = {};
  BOOST_TEST(run_stdin("action=validate-all\nskip_race_check=perhaps\n") == 1);
  BOOST_TEST(io.err ==
             "Failed: skip_race_check (--skip-race-check): 'perhaps' is not a boolean (1/yes/on/true/y or "
             "0/no/off/false/n)\n");
  BOOST_TEST(opened == 0);
}

BOOST_FIXTURE_TEST_CASE(an_invalid_configuration_stops_before_the_device_is_opened, Agent) {
  validation = sft::fail(Errc::configuration, "config_file '/x': no such file");
  BOOST_TEST(run_stdin("action=off\nplug=vm1\n") == 1);
  BOOST_TEST(io.err == "Failed: config_file '/x': no such file\n");
  BOOST_TEST(opened == 0);
}

BOOST_FIXTURE_TEST_CASE(off_without_a_plug_fails_before_opening_the_device, Agent) {
  BOOST_TEST(run_stdin("action=off\n") == 1);
  BOOST_TEST(io.err == "Failed: no plug given: set plug (-n, --plug) to the machine to fence\n");
  BOOST_TEST(opened == 0);
}

BOOST_FIXTURE_TEST_CASE(an_unknown_action_fails, Agent) {
  BOOST_TEST(run_stdin("action=explode\nplug=vm1\n") == 1);
  BOOST_TEST(io.err == "Failed: unrecognised action 'explode'\n");
  BOOST_TEST(opened == 0);
}

BOOST_FIXTURE_TEST_CASE(a_device_that_cannot_be_opened_fails_in_one_line, Agent) {
  open_error = Error{Errc::permission, "instance principal: HTTP 401 NotAuthenticated, opc-request-id r9"};
  BOOST_TEST(run_stdin("action=off\nplug=vm1\n") == 1);
  BOOST_TEST(io.err == "Failed: instance principal: HTTP 401 NotAuthenticated, opc-request-id r9\n");
  BOOST_TEST(lines(io.err) == 1U);
}

BOOST_FIXTURE_TEST_CASE(log_lines_stay_off_stderr_unless_verbose, Agent) {
  open_error = Error{Errc::generic, "cannot reach the API"};
  {
    sft::fakes::Capture stderr_text(STDERR_FILENO);
    BOOST_TEST(run_stdin("action=off\nplug=vm1\n") == 1);
    BOOST_TEST(stderr_text.text() == "");
  }
  BOOST_TEST(io.err == "Failed: cannot reach the API\n");
  io = {};
  sft::fakes::Capture stderr_text(STDERR_FILENO);
  BOOST_TEST(run_stdin("action=off\nplug=vm1\nverbose=1\n") == 1);
  BOOST_TEST(stderr_text.text().find("cannot reach the API") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(the_device_gets_the_whole_budget_of_the_action, Agent) {
  device.statuses = {Power::off};
  BOOST_TEST(run_stdin("action=off\nplug=vm1\ndelay=5\npower_wait=2\npower_timeout=40\n") == 0);
  BOOST_TEST(budget.count() == 5'000 + 2'000 + 40'000 + sft::fence::k_api_margin.count());
}

BOOST_FIXTURE_TEST_CASE(the_default_action_is_reboot, Agent) {
  device.statuses = {Power::on};
  device.after_off = {{Power::off}};
  device.after_on = {{Power::on}};
  BOOST_TEST(run_stdin("plug=vm1\n") == 0);
  BOOST_TEST(io.out == "Success: Rebooted\n");
}

BOOST_FIXTURE_TEST_CASE(a_broken_agent_definition_fails_every_action, Agent) {
  auto s = spec();
  s.options.push_back({.name = "other", .short_name = 'n'});
  BOOST_TEST(sft::fence::run(s, {"-o", "metadata"}, io, os, {k_quiet}) == 1);
  BOOST_TEST(io.err == "Failed: fence_test: other: getopt letter -n is plug's already\n");
}

BOOST_FIXTURE_TEST_CASE(an_exception_is_a_failure_not_a_crash, Agent) {
  auto s = spec();
  s.open = [](const sft::fence::Options&, sft::sys::System&, const sft::Environment&,
              const sft::sys::Deadline&) -> sft::Result<std::unique_ptr<sft::fence::Device>> {
    throw std::runtime_error("boom");
  };
  io.stdin_text = "action=off\nplug=vm1\n";
  BOOST_TEST(sft::fence::run(s, {}, io, os, {k_quiet}) == 1);
  BOOST_TEST(io.err == "Failed: off: internal error: boom\n");
}

BOOST_AUTO_TEST_SUITE_END()
