#include "core/ocf/params.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/printing.h"

using namespace std::chrono_literals;
using sft::Errc;
using sft::ocf::AgentSpec;
using sft::Environment;
using sft::ocf::Param;
using sft::ocf::ParamNames;
using sft::ocf::Params;
using sft::ocf::ParamType;

namespace {

// The handles a test agent's code would declare, one per parameter of spec().
ParamNames names;
const Param<std::string> name{names, "name"};
const Param<long long> count{names, "count"};
const Param<bool> enabled{names, "enabled"};
const Param<std::chrono::milliseconds> delay{names, "delay"};
const Param<std::string> mode{names, "mode"};
const Param<std::string> note{names, "note"};
const Param<long long> limit{names, "limit"};
const Param<bool> verbose{names, "verbose"};
const Param<std::chrono::milliseconds> grace{names, "grace"};

AgentSpec spec() {
  AgentSpec s;
  s.name = "Test";
  s.params = {
      {.name = "name", .required = true},
      {.name = "count", .type = ParamType::integer, .default_value = "3"},
      {.name = "enabled", .type = ParamType::boolean, .default_value = "false"},
      {.name = "delay", .type = ParamType::time, .default_value = "1s"},
      {.name = "mode", .type = ParamType::select, .default_value = "auto", .choices = {"auto", "force", "no"}},
      {.name = "note"},
      {.name = "limit", .type = ParamType::integer},
      {.name = "verbose", .type = ParamType::boolean},
      {.name = "grace", .type = ParamType::time},
  };
  return s;
}

Environment with(std::initializer_list<std::pair<const std::string, std::string>> extra) {
  Environment env{{"OCF_RESKEY_name", "db"}};
  for (const auto& [k, v] : extra) env[k] = v;
  return env;
}

std::string error_for(const Environment& env) {
  auto p = Params::parse(spec(), env);
  BOOST_REQUIRE(!p);
  BOOST_CHECK(p.error().code == Errc::configuration);
  return p.error().message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(params)

BOOST_AUTO_TEST_CASE(every_type_is_parsed_from_its_ocf_reskey_variable) {
  const auto p = Params::parse(spec(), with({{"OCF_RESKEY_count", "12"},
                                             {"OCF_RESKEY_enabled", "yes"},
                                             {"OCF_RESKEY_delay", "250ms"},
                                             {"OCF_RESKEY_mode", "force"},
                                             {"OCF_RESKEY_note", "a b c"}}));
  BOOST_REQUIRE(p);
  BOOST_TEST((*p)[name] == "db");
  BOOST_TEST((*p)[count] == 12);
  BOOST_TEST((*p)[enabled]);
  BOOST_TEST((*p)[delay].count() == 250);
  BOOST_TEST((*p)[mode] == "force");
  BOOST_TEST((*p)[note] == "a b c");
  BOOST_TEST(p->given(count));
}

BOOST_AUTO_TEST_CASE(defaults_apply_when_a_parameter_is_not_given) {
  const auto p = Params::parse(spec(), with({}));
  BOOST_REQUIRE(p);
  BOOST_TEST((*p)[count] == 3);
  BOOST_TEST(!(*p)[enabled]);
  BOOST_TEST((*p)[delay].count() == 1000);
  BOOST_TEST((*p)[mode] == "auto");
  BOOST_TEST(!p->given(count));
  BOOST_TEST(!p->given(mode));
}

BOOST_AUTO_TEST_CASE(parameters_without_default_are_the_zero_of_their_type) {
  const auto p = Params::parse(spec(), with({}));
  BOOST_REQUIRE(p);
  BOOST_TEST((*p)[note] == "");
  BOOST_TEST((*p)[limit] == 0);
  BOOST_TEST(!(*p)[verbose]);
  BOOST_TEST((*p)[grace].count() == 0);
}

BOOST_AUTO_TEST_CASE(an_empty_value_counts_as_not_given) {
  const auto p = Params::parse(spec(), with({{"OCF_RESKEY_count", ""}}));
  BOOST_REQUIRE(p);
  BOOST_TEST((*p)[count] == 3);
  BOOST_TEST(!p->given(count));
}

BOOST_AUTO_TEST_CASE(a_forgiving_parse_replaces_a_malformed_optional_value_by_its_default) {
  const auto p = Params::parse(spec(), with({{"OCF_RESKEY_delay", "5x"}}), Params::Mode::forgiving);
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST((*p)[delay] == 1000ms);
  BOOST_REQUIRE(p->warnings().size() == 1u);
  BOOST_TEST(p->warnings()[0] == "parameter 'delay': '5x' is not a time like 5s or 500ms; using the default '1s'");
}

BOOST_AUTO_TEST_CASE(a_forgiving_parse_still_needs_the_required_values) {
  const auto p = Params::parse(spec(), Environment{}, Params::Mode::forgiving);
  BOOST_REQUIRE(!p.has_value());
  BOOST_TEST(p.error().code == Errc::configuration);
}

BOOST_AUTO_TEST_CASE(a_strict_parse_refuses_a_malformed_optional_value) {
  BOOST_TEST(!Params::parse(spec(), with({{"OCF_RESKEY_delay", "5x"}})).has_value());
}

BOOST_AUTO_TEST_CASE(a_missing_required_parameter_is_named) {
  BOOST_TEST(error_for({}) == "parameter 'name' is required");
  BOOST_TEST(error_for({{"OCF_RESKEY_name", ""}}) == "parameter 'name' is required");
}

BOOST_AUTO_TEST_CASE(a_select_accepts_only_its_choices_and_lists_them) {
  BOOST_TEST(Params::parse(spec(), with({{"OCF_RESKEY_mode", "no"}})).has_value());
  BOOST_TEST(error_for(with({{"OCF_RESKEY_mode", "Force"}})) ==
             "parameter 'mode': 'Force' is not one of auto, force, no");
}

BOOST_AUTO_TEST_CASE(each_bad_value_gets_one_error_naming_the_parameter_and_the_value) {
  const struct {
    const char* key;
    const char* value;
    const char* message;
  } cases[] = {
      {"OCF_RESKEY_count", "12x", "parameter 'count': '12x' is not an integer"},
      {"OCF_RESKEY_enabled", "maybe", "parameter 'enabled': 'maybe' is not a boolean (true or false)"},
      {"OCF_RESKEY_delay", "5x", "parameter 'delay': '5x' is not a time like 5s or 500ms"},
      {"OCF_RESKEY_mode", "sometimes", "parameter 'mode': 'sometimes' is not one of auto, force, no"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.key << "=" << c.value) { BOOST_TEST(error_for(with({{c.key, c.value}})) == c.message); }
  }
}

BOOST_AUTO_TEST_CASE(variables_that_are_not_parameters_are_ignored) {
  const auto p = Params::parse(spec(), with({{"OCF_RESKEY_unknown", "1"}, {"OCF_RESKEY_CRM_meta_timeout", "x"}}));
  BOOST_TEST(p.has_value());
}

BOOST_AUTO_TEST_CASE(every_handle_of_the_test_agent_matches_its_spec) {
  BOOST_TEST(sft::ocf::check_names(spec(), names).has_value());
}

BOOST_AUTO_TEST_CASE(a_misspelt_or_mistyped_handle_is_named_by_check_names) {
  ParamNames misspelt;
  [[maybe_unused]] const Param<std::string> device{misspelt, "name"};
  [[maybe_unused]] const Param<long long> counts{misspelt, "counts"};
  auto r = sft::ocf::check_names(spec(), misspelt);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "Test reads parameter 'counts', which its meta-data does not declare");
  ParamNames mistyped;
  [[maybe_unused]] const Param<bool> delay_flag{mistyped, "delay"};
  r = sft::ocf::check_names(spec(), mistyped);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "Test reads parameter 'delay' as a boolean, but its meta-data makes it a time");
  ParamNames select_as_text;
  [[maybe_unused]] const Param<std::string> mode_text{select_as_text, "mode"};
  BOOST_TEST(sft::ocf::check_names(spec(), select_as_text).has_value());
}

BOOST_AUTO_TEST_CASE(reading_through_an_unchecked_handle_is_a_logic_error) {
  const auto p = Params::parse(spec(), with({}));
  BOOST_REQUIRE(p);
  ParamNames unchecked;
  BOOST_CHECK_THROW((*p)[Param<std::string>(unchecked, "nope")], std::logic_error);
  BOOST_CHECK_THROW((*p)[Param<long long>(unchecked, "name")], std::logic_error);
  BOOST_CHECK_THROW((*p)[Param<bool>(unchecked, "count")], std::logic_error);
  BOOST_CHECK_THROW((*p)[Param<std::chrono::milliseconds>(unchecked, "mode")], std::logic_error);
}

BOOST_AUTO_TEST_CASE(spec_find_returns_the_declared_parameter_or_null) {
  const AgentSpec s = spec();
  BOOST_REQUIRE(s.find("delay") != nullptr);
  BOOST_TEST(s.find("delay")->default_value == "1s");
  BOOST_TEST(s.find("missing") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
