#include "stonith/metadata.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>

#include <boost/test/unit_test.hpp>

#include "tests/fakes/xml.h"
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "stonith/options.h"

using sft::fence::AgentSpec;
using sft::fence::Type;

namespace {

// fence-agents' schema for its metadata, and the one pcs checks fence agents with.
constexpr const char* k_fence_rng = "/usr/share/cluster/relaxng/metadata.rng";
constexpr const char* k_pcs_rng = "/usr/share/pcs/data/ocf-1.0.rng";

using sft::fakes::Doc;
using sft::fakes::relaxng_errors;
using sft::fakes::xpath;
using sft::fakes::parse_xml;

AgentSpec test_spec() {
  AgentSpec s;
  s.name = "fence_test";
  s.shortdesc = "Fence agent for <test> & \"quotes\"";
  s.longdesc = "First paragraph, it's long.\n\nSecond paragraph.\n.starts with a dot";
  s.vendor_url = "https://example.com/?a=1&b=2";
  s.options = {
      {.name = "compartment", .value_hint = "[ocid]", .shortdesc = "Compartment <ocid>"},
      {.name = "auth",
       .value_hint = "[kind]",
       .type = Type::select,
       .default_value = "api_key",
       .shortdesc = "How to sign",
       .choices = {"api_key", "instance_principal"}},
      {.name = "skip_race_check", .type = Type::boolean, .default_value = "0", .shortdesc = "No race check"},
      {.name = "tenancy", .short_name = 't', .value_hint = "[ocid]", .shortdesc = "Tenancy", .required = true},
  };
  s.default_power_timeout = "60";
  s.supports_cycle = true;
  return s;
}

std::string param(const std::string& name, const std::string& rest) {
  return "string(/resource-agent/parameters/parameter[@name='" + name + "']" + rest + ")";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fence_metadata)

BOOST_AUTO_TEST_CASE(metadata_is_valid_for_fence_agents_and_for_pcs) {
  const Doc doc = parse_xml(sft::fence::metadata_xml(test_spec()));
  BOOST_REQUIRE_MESSAGE(doc, "the metadata is not well-formed XML");
  for (const char* rng : {k_fence_rng, k_pcs_rng}) {
    if (!std::filesystem::exists(rng)) {
      BOOST_WARN_MESSAGE(false, rng << " is not installed: not checked against it");
      continue;
    }
    BOOST_TEST_CONTEXT(rng) { BOOST_TEST(relaxng_errors(doc.get(), rng) == ""); }
  }
}

BOOST_AUTO_TEST_CASE(metadata_lists_every_action_with_on_not_automatic) {
  const Doc doc = parse_xml(sft::fence::metadata_xml(test_spec()));
  BOOST_REQUIRE(doc);
  BOOST_TEST(xpath(doc.get(), "count(/resource-agent/actions/action)") == "10");
  for (const auto& a : sft::fence::actions()) {
    BOOST_TEST_CONTEXT(a) {
      BOOST_TEST(xpath(doc.get(), "count(/resource-agent/actions/action[@name='" + a + "'])") == "1");
    }
  }
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/actions/action[@name='on']/@automatic)") == "0");
  BOOST_TEST(xpath(doc.get(), "count(/resource-agent/actions/action[@automatic])") == "1");
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/actions/action[1]/@name)") == "on");
}

BOOST_AUTO_TEST_CASE(metadata_describes_every_option_as_it_is_accepted) {
  const AgentSpec spec = test_spec();
  const Doc doc = parse_xml(sft::fence::metadata_xml(spec));
  BOOST_REQUIRE(doc);
  const auto all = sft::fence::all_options(spec);
  // Every option, plus the deprecated "port" twin of plug.
  BOOST_TEST(xpath(doc.get(), "count(/resource-agent/parameters/parameter)") == std::to_string(all.size() + 1));
  for (const auto& o : all) {
    BOOST_TEST_CONTEXT(o.name) {
      BOOST_TEST(xpath(doc.get(), param(o.name, "/getopt/@mixed")) == sft::fence::getopt_mixed(o));
      BOOST_TEST(xpath(doc.get(), param(o.name, "/content/@default")) == o.default_value);
      BOOST_TEST(xpath(doc.get(), param(o.name, "/shortdesc")) == o.shortdesc);
      BOOST_TEST(xpath(doc.get(), param(o.name, "/@required")) == (o.required ? "1" : "0"));
      BOOST_TEST(xpath(doc.get(), param(o.name, "/@unique")) == "0");
      const std::string type = xpath(doc.get(), param(o.name, "/content/@type"));
      switch (o.type) {
        case Type::string:
          BOOST_TEST(type == "string");
          break;
        case Type::boolean:
          BOOST_TEST(type == "boolean");
          break;
        case Type::second:
          BOOST_TEST(type == "second");
          break;
        case Type::integer:
          BOOST_TEST(type == "integer");
          break;
        case Type::select:
          BOOST_TEST(type == "select");
          break;
      }
      for (const auto& c : o.choices)
        BOOST_TEST(xpath(doc.get(), "count(//parameter[@name='" + o.name + "']/content/option[@value='" + c + "'])") ==
                   "1");
    }
  }
  BOOST_TEST(xpath(doc.get(), param("plug", "/@obsoletes")) == "port");
  BOOST_TEST(xpath(doc.get(), param("port", "/@deprecated")) == "1");
  BOOST_TEST(xpath(doc.get(), param("port", "/getopt/@mixed")) == "-n, --plug=[id]");
  BOOST_TEST(xpath(doc.get(), "count(//parameter[@deprecated])") == "1");
  BOOST_TEST(xpath(doc.get(), param("action", "/@required")) == "1");
  BOOST_TEST(xpath(doc.get(), param("action", "/content/@default")) == "reboot");
  BOOST_TEST(xpath(doc.get(), param("power_timeout", "/content/@default")) == "60");
  BOOST_TEST(xpath(doc.get(), param("method", "/content/@default")) == "onoff");
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/parameters/parameter[3]/@name)") == "plug");
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/parameters/parameter[4]/@name)") == "port");
}

BOOST_AUTO_TEST_CASE(metadata_carries_the_agents_descriptions_escaped) {
  const Doc doc = parse_xml(sft::fence::metadata_xml(test_spec()));
  BOOST_REQUIRE(doc);
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/@name)") == "fence_test");
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/@shortdesc)") == "Fence agent for <test> & \"quotes\"");
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/longdesc)") == test_spec().longdesc);
  BOOST_TEST(xpath(doc.get(), "string(/resource-agent/vendor-url)") == "https://example.com/?a=1&b=2");
}

BOOST_AUTO_TEST_CASE(metadata_keeps_fence_agents_layout) {
  const std::string xml = sft::fence::metadata_xml(test_spec());
  BOOST_TEST(xml.starts_with("<?xml version=\"1.0\" ?>\n<resource-agent name=\"fence_test\" shortdesc=\""));
  BOOST_TEST(xml.find("<parameters>\n"
                      "\t<parameter name=\"action\" unique=\"0\" required=\"1\">\n"
                      "\t\t<getopt mixed=\"-o, --action=[action]\" />\n"
                      "\t\t<content type=\"string\" default=\"reboot\"  />\n"
                      "\t\t<shortdesc lang=\"en\">Fencing action</shortdesc>\n"
                      "\t</parameter>\n") != std::string::npos);
  BOOST_TEST(xml.find("\t<parameter name=\"plug\" unique=\"0\" required=\"1\" obsoletes=\"port\">\n") !=
             std::string::npos);
  BOOST_TEST(xml.find("\t\t<content type=\"select\" default=\"onoff\"  >\n"
                      "\t\t\t<option value=\"onoff\" />\n"
                      "\t\t\t<option value=\"cycle\" />\n"
                      "\t\t</content>\n") != std::string::npos);
  BOOST_TEST(xml.find("\t\t<content type=\"boolean\"  />\n") != std::string::npos);
  BOOST_TEST(
      xml.ends_with("<actions>\n"
                    "\t<action name=\"on\" automatic=\"0\"/>\n"
                    "\t<action name=\"off\" />\n"
                    "\t<action name=\"reboot\" />\n"
                    "\t<action name=\"status\" />\n"
                    "\t<action name=\"list\" />\n"
                    "\t<action name=\"list-status\" />\n"
                    "\t<action name=\"monitor\" />\n"
                    "\t<action name=\"metadata\" />\n"
                    "\t<action name=\"manpage\" />\n"
                    "\t<action name=\"validate-all\" />\n"
                    "</actions>\n</resource-agent>\n"));
}

BOOST_AUTO_TEST_CASE(manpage_documents_every_option_and_action_in_roff) {
  const AgentSpec spec = test_spec();
  const std::string man = sft::fence::manpage(spec);
  BOOST_TEST(man.starts_with(".TH FENCE_TEST 8 "));
  BOOST_TEST(man.find(".SH NAME\nfence_test \\- Fence agent for <test>") != std::string::npos);
  for (const auto& o : sft::fence::all_options(spec)) {
    std::string roffed;
    for (char c : sft::fence::getopt_mixed(o)) roffed += c == '-' ? std::string("\\-") : std::string(1, c);
    BOOST_TEST_CONTEXT(o.name) { BOOST_TEST(man.find(".B " + roffed + "\n") != std::string::npos); }
  }
  for (const auto& a : sft::fence::actions()) {
    std::string roffed;
    for (char c : a) roffed += c == '-' ? std::string("\\-") : std::string(1, c);
    BOOST_TEST_CONTEXT(a) { BOOST_TEST(man.find(".TP\n.B " + roffed + "\n") != std::string::npos); }
  }
  // A longdesc line starting with a dot must not become a roff request.
  BOOST_TEST(man.find("\n\\&.starts with a dot") != std::string::npos);
  BOOST_TEST(man.find("\n.starts") == std::string::npos);
  BOOST_TEST(man.find(".P\nSecond paragraph.") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_lists_every_option_with_its_default) {
  const AgentSpec spec = test_spec();
  const std::string u = sft::fence::usage(spec);
  BOOST_TEST(u.starts_with("Usage:\n\tfence_test [options]\nOptions:\n"));
  for (const auto& o : sft::fence::all_options(spec))
    BOOST_TEST(u.find("   " + sft::fence::getopt_mixed(o) + " ") != std::string::npos, o.name);
  BOOST_TEST(u.find("(default: 60)") != std::string::npos);
  BOOST_TEST(u.find("(onoff|cycle) (default: onoff)") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
