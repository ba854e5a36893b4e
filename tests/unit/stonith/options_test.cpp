#include "stonith/options.h"

#include <boost/test/unit_test.hpp>

#include "stonith/fence_oci/spec.h"
#include "tests/fakes/printing.h"

using sft::Errc;
using sft::fence::AgentSpec;
using sft::fence::Option;
using sft::fence::Type;

namespace {

AgentSpec test_spec() {
  AgentSpec s;
  s.name = "fence_test";
  s.options = {
      {.name = "compartment", .value_hint = "[ocid]", .shortdesc = "where"},
      {.name = "auth", .type = Type::select, .default_value = "api_key", .choices = {"api_key", "instance_principal"}},
      {.name = "skip_race_check", .type = Type::boolean, .default_value = "0"},
      {.name = "region", .short_name = 'r', .value_hint = "[region]"},
  };
  s.default_power_timeout = "60";
  s.supports_cycle = true;
  return s;
}

const std::vector<Option>& options() {
  static const std::vector<Option> o = sft::fence::all_options(test_spec());
  return o;
}

sft::fence::Options from_stdin(const std::string& text) { return sft::fence::parse_stdin(options(), text).options; }

struct Row {
  std::string input;
  std::string name;
  std::string value;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(fence_options)

BOOST_AUTO_TEST_CASE(stdin_lines_are_read_as_fence_agents_reads_them) {
  const std::vector<Row> rows = {
      {"action=off", "action", "off"},
      {"# action=on\n\naction=off\n", "action", "off"},
      {"action=\"off\"", "action", "off"},
      {"action=on\naction=off", "action", "off"},  // the last duplicate wins
      {"  action=off  \r\n", "action", "off"},
      {"action=Reboot", "action", "reboot"},
      {"action=meta-data", "action", "metadata"},
      {"option=status", "action", "status"},  // the old name of action
      {"port=ocid1.a", "plug", "ocid1.a"},
      {"plug=a\nport=b", "plug", "b"},
      {"port=a\nplug=b", "plug", "b"},
      {"power-timeout=5", "power_timeout", "5"},
      {"power_timeout=5", "power_timeout", "5"},
      {"stonith-status-sleep=2.5", "stonith_status_sleep", "2.5"},
      {"skip-race-check=yes", "skip_race_check", "1"},
      {"compartment=a=b", "compartment", "a=b"},  // split at the first '='
      {"compartment=\"\"", "compartment", ""},
      {"compartment='x'", "compartment", "'x'"},  // only double quotes are stripped
      {"compartment=\"x", "compartment", "\"x"},
      {"verbose=yes", "verbose", "1"},
      {"verbose=TRUE", "verbose", "1"},
      {"verbose=on", "verbose", "1"},
      {"verbose=Off", "verbose", "0"},
      {"verbose=no", "verbose", "0"},
      {"verbose=0", "verbose", "0"},
      {"method=CYCLE", "method", "cycle"},
      {"auth=Instance_Principal", "auth", "instance_principal"},
      {"debug=/tmp/f", "debug_file", "/tmp/f"},
      {"debug-file=/tmp/f", "debug_file", "/tmp/f"},
      {"region=eu-frankfurt-1", "region", "eu-frankfurt-1"},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT("stdin: " << r.input) {
      const auto o = from_stdin(r.input);
      BOOST_TEST(o.has(r.name));
      BOOST_TEST(o.get(r.name) == r.value);
    }
  }
}

BOOST_AUTO_TEST_CASE(defaults_fill_what_stdin_leaves_out) {
  const auto o = from_stdin("");
  BOOST_TEST(o.action() == "reboot");
  BOOST_TEST(o.get("power_timeout") == "60");  // the spec's default
  BOOST_TEST(o.get("power_wait") == "0");
  BOOST_TEST(o.get("delay") == "0");
  BOOST_TEST(o.get("stonith_status_sleep") == "1");
  BOOST_TEST(o.get("retry_on") == "1");
  BOOST_TEST(o.get("method") == "onoff");
  BOOST_TEST(o.get("auth") == "api_key");
  BOOST_TEST(!o.has("plug"));
  BOOST_TEST(!o.has("compartment"));
  BOOST_TEST(o[sft::fence::opt::power_timeout].count() == 60'000);
  BOOST_TEST(o[sft::fence::opt::retry_on] == 1);
  BOOST_TEST(o.get("skip_race_check") == "0");
}

BOOST_AUTO_TEST_CASE(nodename_is_dropped_silently_and_unknown_names_with_a_warning) {
  const auto in = sft::fence::parse_stdin(options(), "nodename=node1\naction=off\npasswd=hunter2\nbogus\n");
  BOOST_TEST(in.options.action() == "off");
  BOOST_TEST(!in.options.has("nodename"));
  BOOST_REQUIRE_EQUAL(in.warnings.size(), 2U);
  BOOST_TEST(in.warnings[0] == "ignoring unknown option 'passwd'");
  BOOST_TEST(in.warnings[1] == "ignoring unknown option 'bogus'");
  for (const auto& w : in.warnings) BOOST_TEST(w.find("hunter2") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(command_lines_are_read_as_getopt_reads_them) {
  struct ArgRow {
    std::vector<std::string> args;
    std::string name;
    std::string value;
  };
  const std::vector<ArgRow> rows = {
      {{"-o", "off"}, "action", "off"},
      {{"-ooff"}, "action", "off"},
      {{"--action=off"}, "action", "off"},
      {{"--action", "off"}, "action", "off"},
      {{"--act=off"}, "action", "off"},  // a unique prefix
      {{"-o", "META-DATA"}, "action", "metadata"},
      {{"-n", "ocid1.x"}, "plug", "ocid1.x"},
      {{"--plug=ocid1.x"}, "plug", "ocid1.x"},
      {{"--port", "ocid1.x"}, "plug", "ocid1.x"},
      {{"-n", "-o"}, "plug", "-o"},  // a value may look like an option
      {{"-q"}, "quiet", "1"},
      {{"-qv"}, "verbose", "1"},
      {{"-qv"}, "quiet", "1"},
      {{"-vo", "status"}, "action", "status"},
      {{"--verbose"}, "verbose", "1"},
      {{"--power-timeout=7"}, "power_timeout", "7"},
      {{"--power_timeout", "7"}, "power_timeout", "7"},
      {{"--skip-race-check"}, "skip_race_check", "1"},
      {{"-m", "cycle"}, "method", "cycle"},
      {{"-r", "us-ashburn-1"}, "region", "us-ashburn-1"},
      {{"-D", "/tmp/d"}, "debug_file", "/tmp/d"},
      {{"-o", "on", "-o", "off"}, "action", "off"},
      {{"status-word", "-o", "off"}, "action", "off"},  // operands mix with options
      {{"--", "-o", "off"}, "action", "reboot"},        // "--" ends the options
  };
  for (const auto& r : rows) {
    std::string shown;
    for (const auto& a : r.args) shown += a + " ";
    BOOST_TEST_CONTEXT("argv: " << shown) {
      auto in = sft::fence::parse_argv(options(), r.args);
      BOOST_REQUIRE_MESSAGE(in, (in ? "" : in.error().message));
      BOOST_TEST(in->options.get(r.name) == r.value);
    }
  }
}

BOOST_AUTO_TEST_CASE(operands_are_ignored_with_a_warning) {
  auto in = sft::fence::parse_argv(options(), {"-o", "off", "extra", "--", "-n"});
  BOOST_REQUIRE(in);
  BOOST_REQUIRE_EQUAL(in->warnings.size(), 1U);
  BOOST_TEST(in->warnings[0] == "ignoring arguments that are not options: 'extra', '-n'");
  BOOST_TEST(!in->options.has("plug"));
}

BOOST_AUTO_TEST_CASE(unreadable_command_lines_are_one_line_errors) {
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Bad> rows = {
      {{"--bogus"}, "unrecognised option '--bogus'"},
      {{"-x"}, "unrecognised option '-x'"},
      {{"-qx"}, "unrecognised option '-x'"},
      {{"-o"}, "option '-o' needs a value"},
      {{"--action"}, "option '--action' needs a value"},
      {{"--verbose=1"}, "option '--verbose' does not take a value"},
      {{"--p=x"}, "option '--p' is ambiguous"},  // plug, power-timeout, power-wait
      {{"--nodename=x"}, "unrecognised option '--nodename'"},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT("argv: " << r.args[0]) {
      auto in = sft::fence::parse_argv(options(), r.args);
      BOOST_REQUIRE(!in);
      BOOST_TEST(in.error().code == Errc::invalid_argument);
      BOOST_TEST(in.error().message == r.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(checks_accept_good_values_and_name_the_option_of_a_bad_one) {
  struct Check {
    std::string input;
    std::string error;  // "" = accepted
  };
  const std::vector<Check> rows = {
      {"action=off\nplug=x", ""},
      {"action=status\nplug=x\npower_timeout=2.5\nstonith_status_sleep=0.1\nretry_on=3", ""},
      {"action=list", ""},  // list, monitor and validate-all need no plug
      {"action=monitor", ""},
      {"action=validate-all", ""},
      {"action=metadata", ""},
      {"action=off", "no plug given: set plug (-n, --plug) to the machine to fence"},
      {"action=reboot\nplug=", "no plug given: set plug (-n, --plug) to the machine to fence"},
      {"action=status", "no plug given: set plug (-n, --plug) to the machine to check"},
      {"action=dance\nplug=x", "unrecognised action 'dance'"},
      {"action=\nplug=x", "unrecognised action ''"},
      {"action=list\nverbose=maybe", "verbose (--verbose): 'maybe' is not a boolean (1/yes/on/true/y or 0/no/off/false/n)"},
      {"action=list\nskip_race_check=2",
       "skip_race_check (--skip-race-check): '2' is not a boolean (1/yes/on/true/y or 0/no/off/false/n)"},
      {"action=list\npower_timeout=abc", "power_timeout (--power-timeout): 'abc' is not a number of seconds"},
      {"action=list\npower_timeout=-1", "power_timeout (--power-timeout): '-1' is not a number of seconds"},
      {"action=list\ndelay=5s\npower_wait=500ms\npower_timeout=86400", ""},  // every time sft reads
      {"action=list\ndelay=86401", "delay (--delay): '86401' is not a number of seconds"},
      {"action=list\ndelay=1.", "delay (--delay): '1.' is not a number of seconds"},
      {"action=list\nverbose=y\nquiet=N", ""},
      {"action=list\nretry_on=x", "retry_on (--retry-on): 'x' is not an integer"},
      {"action=list\nretry_on=0", "retry_on (--retry-on): must be at least 1"},
      {"action=list\nmethod=sideways", "method (--method): 'sideways' is not one of onoff, cycle"},
      {"action=list\nauth=password", "auth (--auth): 'password' is not one of api_key, instance_principal"},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT("stdin: " << r.input) {
      auto ok = sft::fence::check_options(options(), from_stdin(r.input));
      BOOST_TEST(ok.has_value() == r.error.empty());
      if (!ok) {
        BOOST_TEST(ok.error().message == r.error);
        BOOST_TEST(ok.error().code == Errc::configuration);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_required_agent_option_must_be_given) {
  AgentSpec s = test_spec();
  s.options.push_back({.name = "tenancy", .shortdesc = "t", .required = true});
  const auto all = sft::fence::all_options(s);
  auto missing = sft::fence::check_options(all, sft::fence::parse_stdin(all, "action=list").options);
  BOOST_REQUIRE(!missing);
  BOOST_TEST(missing.error().message == "tenancy (--tenancy) is required");
  BOOST_TEST(
      sft::fence::check_options(all, sft::fence::parse_stdin(all, "action=list\ntenancy=t").options).has_value());
}

BOOST_AUTO_TEST_CASE(common_options_come_in_fence_agents_order_with_their_getopt_lines) {
  std::vector<std::string> names;
  for (const auto& o : options()) names.push_back(o.name);
  const std::vector<std::string> want = {
      "action", "method",        "plug",       "compartment",          "auth",    "skip_race_check",
      "region", "quiet",         "verbose",    "debug_file",           "version", "help",
      "delay",  "power_timeout", "power_wait", "stonith_status_sleep", "retry_on"};
  BOOST_TEST(names == want, boost::test_tools::per_element());
  const auto mixed = [](const std::string& name) {
    return sft::fence::getopt_mixed(*sft::fence::find_option(options(), name));
  };
  BOOST_TEST(mixed("action") == "-o, --action=[action]");
  BOOST_TEST(mixed("plug") == "-n, --plug=[id]");
  BOOST_TEST(mixed("quiet") == "-q, --quiet");
  BOOST_TEST(mixed("delay") == "--delay=[seconds]");
  BOOST_TEST(mixed("power_timeout") == "--power-timeout=[seconds]");
  BOOST_TEST(mixed("retry_on") == "--retry-on=[attempts]");
  BOOST_TEST(mixed("skip_race_check") == "--skip-race-check");
  BOOST_TEST(mixed("region") == "-r, --region=[region]");
}

BOOST_AUTO_TEST_CASE(method_is_offered_only_to_agents_that_can_cycle) {
  AgentSpec s = test_spec();
  s.supports_cycle = false;
  BOOST_TEST(sft::fence::find_option(sft::fence::all_options(s), "method") == nullptr);
  s.supports_cycle = true;
  s.default_method = "cycle";
  const auto options = sft::fence::all_options(s);  // find_option points into it
  const auto* m = sft::fence::find_option(options, "method");
  BOOST_REQUIRE(m != nullptr);
  BOOST_TEST(m->default_value == "cycle");
}

BOOST_AUTO_TEST_CASE(an_agent_option_with_a_common_name_replaces_it_in_place) {
  AgentSpec s = test_spec();
  s.options.insert(s.options.begin(), {.name = "plug",
                                       .short_name = 'n',
                                       .value_hint = "[ocid]",
                                       .shortdesc = "Instance OCID",
                                       .required = true,
                                       .obsoletes = "port"});
  s.options.push_back({.name = "power_timeout",
                       .value_hint = "[seconds]",
                       .type = Type::second,
                       .default_value = "90",
                       .shortdesc = "long"});
  const auto all = sft::fence::all_options(s);
  BOOST_TEST(all.size() == options().size());
  BOOST_TEST(all[2].name == "plug");
  BOOST_TEST(all[2].shortdesc == "Instance OCID");
  BOOST_TEST(sft::fence::find_option(all, "port")->value_hint == "[ocid]");
  BOOST_TEST(sft::fence::find_option(all, "power_timeout")->default_value == "90");
  BOOST_TEST(sft::fence::check_spec(all).has_value());
}

BOOST_AUTO_TEST_CASE(mistakes_in_an_agent_definition_are_found) {
  const std::vector<std::pair<Option, std::string>> rows = {
      {{.name = "x", .short_name = 'n'}, "x: getopt letter -n is plug's already"},
      {{.name = "port"}, "option name 'port' is used twice"},
      {{.name = "quiet"}, ""},  // replaces the common one: not a duplicate
      {{.name = "y", .type = Type::select}, "y: a select option needs choices"},
      {{.name = "z", .type = Type::select, .default_value = "c", .choices = {"a", "b"}},
       "z: default 'c' is not one of the choices"},
  };
  for (const auto& [option, error] : rows) {
    BOOST_TEST_CONTEXT(option.name) {
      AgentSpec s = test_spec();
      s.options.push_back(option);
      auto ok = sft::fence::check_spec(sft::fence::all_options(s));
      BOOST_TEST(ok.has_value() == error.empty());
      if (!ok) BOOST_TEST(ok.error().message == error);
    }
  }
}

BOOST_AUTO_TEST_CASE(options_are_found_by_name_long_form_and_older_names) {
  BOOST_TEST(sft::fence::find_option(options(), "power-wait")->name == "power_wait");
  BOOST_TEST(sft::fence::find_option(options(), "port")->name == "plug");
  BOOST_TEST(sft::fence::find_option(options(), "option")->name == "action");
  BOOST_TEST(sft::fence::find_option(options(), "debug")->name == "debug_file");
  BOOST_TEST(sft::fence::find_option(options(), "nodename") == nullptr);
  BOOST_TEST(sft::fence::find_option(options(), "Action") == nullptr);  // names are case-sensitive
}

BOOST_AUTO_TEST_CASE(every_option_fence_oci_and_the_library_read_is_declared_with_its_type) {
  const sft::fence::AgentSpec& s = sft::fence_oci::spec();
  BOOST_REQUIRE(s.names != nullptr);
  BOOST_TEST(s.names->uses().size() == s.options.size());  // each of its own options has its handle
  const auto ok = sft::fence::check_names(s, sft::fence::all_options(s));
  BOOST_TEST(ok.has_value(), (ok ? "" : ok.error().message));
}

BOOST_AUTO_TEST_CASE(fence_oci_refuses_a_config_file_its_auth_would_ignore_but_never_a_fence) {
  const sft::fence::AgentSpec& s = sft::fence_oci::spec();
  const auto all = sft::fence::all_options(s);
  const auto validated = [&](const std::string& text) { return s.validate(sft::fence::parse_stdin(all, text).options); };
  BOOST_TEST(!validated("action=validate-all\nconfig_file=/etc/oci/config"));
  BOOST_TEST(!validated("action=monitor\nprofile=OTHER"));
  BOOST_TEST(!validated("action=status\nplug=x\nconfig_file=/etc/oci/config"));
  BOOST_TEST(validated("action=validate-all\nauth=api_key\nconfig_file=/etc/oci/config").has_value());
  BOOST_TEST(validated("action=validate-all\nprofile=DEFAULT").has_value());
  BOOST_TEST(validated("action=validate-all\nprofile=").has_value());
  // A fence goes ahead (the instance principal may work), with a warning.
  for (const char* action : {"off", "on", "reboot"})
    BOOST_TEST(validated(std::string("action=") + action + "\nplug=x\nconfig_file=/etc/oci/config").has_value(),
               action);
}

BOOST_AUTO_TEST_SUITE_END()
