#include "core/ocf/run.h"

#include <boost/test/unit_test.hpp>
#include <stdexcept>

#include "core/log/log.h"
#include "core/ocf/context.h"
#include "tests/fakes/capture.h"
#include "tests/fakes/fake_system.h"

using namespace std::chrono_literals;
using sft::Errc;
using sft::ocf::AgentSpec;
using sft::ocf::Context;
using sft::Environment;
using sft::ocf::ParamType;

namespace {

// An agent whose handlers and validator record what they saw.
struct Recorder {
  std::vector<std::string> calls;
  sft::sys::Millis remaining{-1};
  int check_level = -1;
  bool probe = false;
  sft::Result<void> validation{};
  sft::Result<sft::ocf::Exit> answer = PCMK_OCF_OK;

  AgentSpec spec() {
    AgentSpec s;
    s.name = "Dummy";
    s.version = "1.0";
    s.params = {{.name = "path", .required = true},
                {.name = "count", .type = ParamType::integer, .default_value = "1"}};
    s.actions = {{.name = "start", .timeout = 90s},
                 {.name = "stop", .timeout = 60s},
                 {.name = "monitor", .timeout = 30s},
                 {.name = "validate-all"},
                 {.name = "reload-agent"},
                 {.name = "promote"},
                 {.name = "meta-data", .timeout = 5s},
                 {.name = "boom"}};
    const auto handler = [this](Context& cx) -> sft::Result<sft::ocf::Exit> {
      calls.push_back(cx.action);
      remaining = cx.deadline.remaining();
      check_level = cx.check_level;
      probe = cx.is_probe();
      return answer;
    };
    s.handlers = {{"start", handler},
                  {"stop", handler},
                  {"monitor", handler},
                  {"boom", [](Context&) -> sft::Result<sft::ocf::Exit> { throw std::runtime_error("kaboom"); }}};
    s.validate = [this](Context&) {
      calls.push_back("validate");
      return validation;
    };
    return s;
  }
};

struct Outcome {
  int rc;
  std::string out;
  std::string err;
};

Outcome run(const AgentSpec& spec, std::string_view action, const Environment& env) {
  sft::fakes::FakeSystem os;
  sft::fakes::Capture out(1);
  sft::fakes::Capture err(2);
  Environment quiet = env;
  quiet.emplace("HA_LOGFACILITY", "none");  // the machine's syslog stays clean
  const int rc = sft::ocf::run(spec, action, quiet, os);
  sft::log::close();
  return {rc, out.text(), err.text()};
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

const Environment k_env{{"OCF_RESKEY_path", "/srv"}, {"OCF_RESOURCE_INSTANCE", "d1"}};

}  // namespace

BOOST_AUTO_TEST_SUITE(ocf_run)

BOOST_AUTO_TEST_CASE(a_missing_action_prints_usage_and_returns_err_args) {
  Recorder r;
  const auto o = run(r.spec(), "", k_env);
  BOOST_TEST(o.rc == PCMK_OCF_INVALID_PARAM);
  BOOST_TEST(o.err.find("usage: Dummy {start|") != std::string::npos);
  BOOST_TEST(r.calls.empty());
}

BOOST_AUTO_TEST_CASE(an_unknown_action_returns_err_unimplemented) {
  Recorder r;
  const auto o = run(r.spec(), "migrate_to", k_env);
  BOOST_TEST(o.rc == PCMK_OCF_UNIMPLEMENT_FEATURE);
  BOOST_TEST(o.err.find("usage:") != std::string::npos);
  BOOST_TEST(r.calls.empty());
}

BOOST_AUTO_TEST_CASE(meta_data_needs_no_parameters_and_prints_the_xml) {
  Recorder r;
  const auto o = run(r.spec(), "meta-data", {});
  BOOST_TEST(o.rc == PCMK_OCF_OK);
  BOOST_TEST(o.out.find("<resource-agent name=\"Dummy\"") != std::string::npos);
  BOOST_TEST(r.calls.empty());
}

BOOST_AUTO_TEST_CASE(a_misspelt_parameter_name_in_the_code_is_caught_before_any_action) {
  // The agent's code reads "paht": no action runs, meta-data included, and the one
  // line names the parameter.
  sft::ocf::ParamNames names;
  [[maybe_unused]] const sft::ocf::Param<std::string> path{names, "paht"};
  for (const char* action : {"start", "stop", "monitor", "meta-data", "validate-all"}) {
    BOOST_TEST_CONTEXT(action) {
      Recorder r;
      AgentSpec s = r.spec();
      s.names = &names;
      const auto o = run(s, action, k_env);
      BOOST_TEST(o.rc == PCMK_OCF_UNKNOWN_ERROR);
      BOOST_TEST(o.out.empty());
      BOOST_TEST(count(o.err, "ocf-exit-reason:") == 1);
      BOOST_TEST(o.err.find("ocf-exit-reason:internal error: Dummy reads parameter 'paht', which its meta-data does "
                            "not declare\n") != std::string::npos);
      BOOST_TEST(r.calls.empty());
    }
  }
  // Spelt right, the same agent runs.
  sft::ocf::ParamNames right;
  [[maybe_unused]] const sft::ocf::Param<std::string> path_right{right, "path"};
  Recorder r;
  AgentSpec s = r.spec();
  s.names = &right;
  BOOST_TEST(run(s, "start", k_env).rc == PCMK_OCF_OK);
  BOOST_TEST(r.calls == (std::vector<std::string>{"validate", "start"}));
}

BOOST_AUTO_TEST_CASE(usage_needs_no_parameters_and_prints_on_stdout) {
  Recorder r;
  const auto o = run(r.spec(), "usage", {});
  BOOST_TEST(o.rc == PCMK_OCF_OK);
  BOOST_TEST(o.out.starts_with("usage: Dummy {"));
}

BOOST_AUTO_TEST_CASE(a_bad_parameter_returns_err_configured_with_one_exit_reason) {
  Recorder r;
  const auto o = run(r.spec(), "start", {{"OCF_RESKEY_path", "/srv"}, {"OCF_RESKEY_count", "many"}});
  BOOST_TEST(o.rc == PCMK_OCF_NOT_CONFIGURED);
  BOOST_TEST(count(o.err, "ocf-exit-reason:") == 1);
  BOOST_TEST(o.err.find("ocf-exit-reason:parameter 'count': 'many' is not an integer\n") != std::string::npos);
  BOOST_TEST(r.calls.empty());
}

BOOST_AUTO_TEST_CASE(a_missing_required_parameter_fails_even_stop) {
  Recorder r;
  const auto o = run(r.spec(), "stop", {});
  BOOST_TEST(o.rc == PCMK_OCF_NOT_CONFIGURED);
  BOOST_TEST(o.err.find("ocf-exit-reason:parameter 'path' is required") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(validate_runs_before_start_validate_all_reload_agent_and_promote) {
  for (const char* action : {"start", "validate-all", "reload-agent", "promote"}) {
    BOOST_TEST_CONTEXT(action) {
      Recorder r;
      run(r.spec(), action, k_env);
      BOOST_REQUIRE(!r.calls.empty());
      BOOST_TEST(r.calls.front() == "validate");
    }
  }
}

BOOST_AUTO_TEST_CASE(validate_does_not_run_before_stop_or_monitor) {
  for (const char* action : {"stop", "monitor"}) {
    BOOST_TEST_CONTEXT(action) {
      Recorder r;
      r.validation = sft::fail(Errc::configuration, "broken");
      const auto o = run(r.spec(), action, k_env);
      BOOST_TEST(o.rc == PCMK_OCF_OK);
      BOOST_TEST(r.calls == std::vector<std::string>{action});
    }
  }
}

BOOST_AUTO_TEST_CASE(a_failed_validation_stops_start_with_its_exit_code_and_reason) {
  Recorder r;
  r.validation = sft::fail(Errc::not_installed, "fstype: xfs is not supported");
  const auto o = run(r.spec(), "start", k_env);
  BOOST_TEST(o.rc == PCMK_OCF_NOT_INSTALLED);
  BOOST_TEST(r.calls == std::vector<std::string>{"validate"});
  BOOST_TEST(o.err.find("ocf-exit-reason:fstype: xfs is not supported\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(validate_all_and_reload_agent_succeed_without_a_handler) {
  Recorder r;
  BOOST_TEST(run(r.spec(), "validate-all", k_env).rc == PCMK_OCF_OK);
  BOOST_TEST(run(r.spec(), "reload-agent", k_env).rc == PCMK_OCF_OK);
}

BOOST_AUTO_TEST_CASE(an_advertised_action_without_a_handler_is_unimplemented) {
  Recorder r;
  const auto o = run(r.spec(), "promote", k_env);
  BOOST_TEST(o.rc == PCMK_OCF_UNIMPLEMENT_FEATURE);
  BOOST_TEST(o.err.find("ocf-exit-reason:action 'promote' is not implemented") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_handler_error_becomes_its_exit_code_and_reason) {
  Recorder r;
  r.answer = sft::fail(Errc::busy, "/srv is busy");
  const auto o = run(r.spec(), "stop", k_env);
  BOOST_TEST(o.rc == PCMK_OCF_UNKNOWN_ERROR);
  BOOST_TEST(count(o.err, "ocf-exit-reason:") == 1);
  BOOST_TEST(o.err.find("ocf-exit-reason:/srv is busy\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_handler_exit_code_is_returned_as_it_is) {
  Recorder r;
  r.answer = PCMK_OCF_NOT_RUNNING;
  const auto o = run(r.spec(), "monitor", k_env);
  BOOST_TEST(o.rc == PCMK_OCF_NOT_RUNNING);
  BOOST_TEST(count(o.err, "ocf-exit-reason:") == 0);
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_handler_is_an_internal_error_not_a_crash) {
  Recorder r;
  const auto o = run(r.spec(), "boom", k_env);
  BOOST_TEST(o.rc == PCMK_OCF_UNKNOWN_ERROR);
  BOOST_TEST(o.err.find("ocf-exit-reason:boom: internal error: kaboom") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_deadline_comes_from_crm_meta_timeout_minus_the_margin) {
  Recorder r;
  Environment env = k_env;
  env["OCF_RESKEY_CRM_meta_timeout"] = "30000";
  run(r.spec(), "start", env);
  BOOST_TEST(r.remaining.count() == sft::sys::budget_for(30000ms).count());
  BOOST_TEST(r.remaining.count() == 27000);
}

BOOST_AUTO_TEST_CASE(without_crm_meta_timeout_the_spec_default_applies) {
  Recorder r;
  run(r.spec(), "start", k_env);
  BOOST_TEST(r.remaining.count() == sft::sys::budget_for(90s).count());
}

BOOST_AUTO_TEST_CASE(action_timeout_falls_back_to_the_spec_then_to_20_seconds) {
  Recorder r;
  const AgentSpec s = r.spec();
  BOOST_TEST(sft::ocf::action_timeout(s, "stop", {{"OCF_RESKEY_CRM_meta_timeout", "45000"}}).count() == 45000);
  BOOST_TEST(sft::ocf::action_timeout(s, "stop", {}).count() == 60000);
  BOOST_TEST(sft::ocf::action_timeout(s, "stop", {{"OCF_RESKEY_CRM_meta_timeout", "soon"}}).count() == 60000);
  BOOST_TEST(sft::ocf::action_timeout(s, "stop", {{"OCF_RESKEY_CRM_meta_timeout", "0"}}).count() == 60000);
  BOOST_TEST(sft::ocf::action_timeout(s, "notify", {}).count() == 20000);
}

BOOST_AUTO_TEST_CASE(the_handler_sees_check_level_and_probe_from_the_environment) {
  Recorder r;
  Environment env = k_env;
  env["OCF_CHECK_LEVEL"] = "20";
  env["OCF_RESKEY_CRM_meta_interval"] = "0";
  run(r.spec(), "monitor", env);
  BOOST_TEST(r.check_level == 20);
  BOOST_TEST(r.probe);
  env["OCF_RESKEY_CRM_meta_interval"] = "20000";
  run(r.spec(), "monitor", env);
  BOOST_TEST(!r.probe);
}

BOOST_AUTO_TEST_CASE(validates_before_names_the_actions_that_change_state) {
  for (const char* a : {"start", "validate-all", "reload-agent", "reload", "promote"})
    BOOST_TEST(sft::ocf::validates_before(a), a);
  for (const char* a : {"stop", "monitor", "demote", "notify", "meta-data"})
    BOOST_TEST(!sft::ocf::validates_before(a), a);
}

BOOST_AUTO_TEST_SUITE_END()
