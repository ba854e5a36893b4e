#include "core/ocf/metadata.h"
#include "core/text.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>

#include <boost/test/unit_test.hpp>

#include "tests/fakes/xml.h"
#include <cstdarg>
#include <cstdio>
#include <memory>

#include "agents/filesystem/filesystem.h"

using sft::ocf::ActionSpec;
using sft::ocf::AgentSpec;
using sft::ocf::ParamType;

namespace {

using sft::fakes::Doc;
using sft::fakes::relaxng_errors;
using sft::fakes::xpath;
using sft::fakes::parse_xml;

AgentSpec small_spec() {
  AgentSpec s;
  s.name = "Dummy";
  s.version = "1.2.3";
  s.shortdesc = "short <b>";
  s.longdesc = "long & \"quoted\"";
  s.params = {
      {.name = "path", .shortdesc = "a path", .longdesc = "where", .required = true, .unique_group = "path"},
      {.name = "mode",
       .type = ParamType::select,
       .shortdesc = "m",
       .longdesc = "m",
       .default_value = "a",
       .choices = {"a", "b<c"}},
      {.name = "secret", .shortdesc = "s", .longdesc = "s", .reloadable = true, .is_private = true},
      {.name = "delay", .type = ParamType::time, .shortdesc = "d", .longdesc = "d", .default_value = "5s"},
  };
  s.actions = {
      {.name = "start", .timeout = std::chrono::seconds(90)},
      {.name = "monitor", .timeout = std::chrono::seconds(30), .interval = std::chrono::seconds(10), .depth = 0},
      {.name = "monitor",
       .timeout = std::chrono::seconds(30),
       .interval = std::chrono::seconds(11),
       .role = "Promoted"},
      {.name = "meta-data", .timeout = std::chrono::seconds(5)},
  };
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metadata)

BOOST_AUTO_TEST_CASE(filesystem_metadata_is_valid_against_the_ocf_1_1_schema) {
  const Doc doc = parse_xml(sft::ocf::metadata_xml(sft::filesystem::spec()));
  BOOST_REQUIRE_MESSAGE(doc, "the meta-data is not well-formed XML");
  BOOST_TEST(relaxng_errors(doc.get(), SFT_OCF_RNG) == "");
}

BOOST_AUTO_TEST_CASE(filesystem_metadata_declares_every_parameter_and_action_of_its_spec) {
  const auto& spec = sft::filesystem::spec();
  const Doc doc = parse_xml(sft::ocf::metadata_xml(spec));
  BOOST_REQUIRE(doc);
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/@name)") == "Filesystem");
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/version)") == "1.1");
  BOOST_TEST(xpath(doc.get(), "count(/resource-agent/parameters/parameter)") == std::to_string(spec.params.size()));
  BOOST_TEST(xpath(doc.get(), "count(/resource-agent/actions/action)") == std::to_string(spec.actions.size()));
  BOOST_TEST(xpath(doc.get(), "string(//parameter[@name='device']/@required)") == "1");
  BOOST_TEST(xpath(doc.get(), "count(//parameter[@name='fstype']/content/option)") == "5");
  BOOST_TEST(xpath(doc.get(), "string(//action[@name='monitor']/@depth)") == "0");
}

BOOST_AUTO_TEST_CASE(a_small_spec_without_secrets_is_valid_too) {
  AgentSpec s = small_spec();
  s.params[2].is_private = false;
  const Doc doc = parse_xml(sft::ocf::metadata_xml(s));
  BOOST_REQUIRE(doc);
  BOOST_TEST(relaxng_errors(doc.get(), SFT_OCF_RNG) == "");
}

BOOST_AUTO_TEST_CASE(parameters_carry_their_attributes_type_default_and_options) {
  const Doc doc = parse_xml(sft::ocf::metadata_xml(small_spec()));
  BOOST_REQUIRE(doc);
  BOOST_TEST(xpath(doc.get(), "string(//parameter[@name='path']/@required)") == "1");
  BOOST_TEST(xpath(doc.get(), "string(//parameter[@name='path']/@unique-group)") == "path");
  BOOST_TEST(xpath(doc.get(), "count(//parameter[@name='mode']/@required)") == "0");
  BOOST_TEST(xpath(doc.get(), "string(//parameter[@name='mode']/content/@type)") == "select");
  BOOST_TEST(xpath(doc.get(), "string(//parameter[@name='mode']/content/@default)") == "a");
  BOOST_TEST(xpath(doc.get(), "string(//parameter[@name='mode']/content/option[2]/@value)") == "b<c");
  BOOST_TEST(xpath(doc.get(), "string(//parameter[@name='secret']/@reloadable)") == "1");
  BOOST_TEST(xpath(doc.get(), "string(//parameter[@name='secret']/@private)") == "1");
  BOOST_TEST(xpath(doc.get(), "count(//parameter[@name='secret']/content/@default)") == "0");
  BOOST_TEST(xpath(doc.get(), "string(//parameter[@name='delay']/content/@type)") == "time");
  BOOST_TEST(xpath(doc.get(), "string(//parameter[@name='path']/shortdesc/@lang)") == "en");
}

BOOST_AUTO_TEST_CASE(actions_carry_timeout_interval_depth_and_role) {
  const Doc doc = parse_xml(sft::ocf::metadata_xml(small_spec()));
  BOOST_REQUIRE(doc);
  BOOST_TEST(xpath(doc.get(), "string(//action[@name='start']/@timeout)") == "90s");
  BOOST_TEST(xpath(doc.get(), "count(//action[@name='start']/@interval)") == "0");
  BOOST_TEST(xpath(doc.get(), "count(//action[@name='start']/@depth)") == "0");
  BOOST_TEST(xpath(doc.get(), "string(//action[@name='monitor'][1]/@interval)") == "10s");
  BOOST_TEST(xpath(doc.get(), "string(//action[@name='monitor'][1]/@depth)") == "0");
  BOOST_TEST(xpath(doc.get(), "string(//action[@name='monitor'][2]/@role)") == "Promoted");
}

BOOST_AUTO_TEST_CASE(descriptions_and_names_are_escaped_and_read_back_unchanged) {
  const Doc doc = parse_xml(sft::ocf::metadata_xml(small_spec()));
  BOOST_REQUIRE(doc);
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/shortdesc)") == "short <b>");
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/longdesc)") == "long & \"quoted\"");
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/@version)") == "1.2.3");
}

BOOST_AUTO_TEST_CASE(xml_escape_replaces_the_five_special_characters) {
  BOOST_TEST(sft::xml_escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f");
  BOOST_TEST(sft::xml_escape("plain text, ünïcode") == "plain text, ünïcode");
  BOOST_TEST(sft::xml_escape("") == "");
  BOOST_TEST(sft::xml_escape("&amp;") == "&amp;amp;");
}

BOOST_AUTO_TEST_CASE(usage_lists_each_action_once_in_spec_order) {
  BOOST_TEST(sft::ocf::usage(small_spec()) == "usage: Dummy {start|monitor|meta-data}\n");
}

BOOST_AUTO_TEST_SUITE_END()
