// Reading the CIB: a CIB captured from a single-node Pacemaker 2.1.5 running the
// ocf:sft:drbd promotable clone (tests/fixtures/cib/drbd-clone.xml), and variants of it.
#include "core/pcmk/cib.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/fakes/fixtures.h"

using namespace sft;
using namespace sft::pcmk;
using sft::fakes::fixture;

namespace {

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  BOOST_TEST_REQUIRE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

const std::string k_no_fencing = R"(name="stonith-enabled" value="false")";
const std::string k_fencing = R"(name="stonith-enabled" value="true")";

// The captured CIB (its test cluster runs without fencing) with fencing enabled and a
// status entry added.
std::string with_status(const std::string& node_state) {
  std::string cib = replaced(fixture("cib/drbd-clone.xml"), k_no_fencing, k_fencing);
  cib.insert(cib.find("</status>"), node_state);
  return cib;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pcmk_cib)

BOOST_AUTO_TEST_CASE(the_clone_around_the_drbd_primitive) {
  Result<std::string> c = promotable_clone(fixture("cib/drbd-clone.xml"), "sft", "drbd", "drbd_resource", "r0");
  BOOST_TEST_REQUIRE(c.has_value(), (c ? "" : c.error().message));
  BOOST_TEST(*c == "r0-drbd-clone");
}

BOOST_AUTO_TEST_CASE(no_such_primitive_or_not_promotable) {
  const std::string cib = fixture("cib/drbd-clone.xml");
  Result<std::string> other = promotable_clone(cib, "sft", "drbd", "drbd_resource", "r9");
  BOOST_TEST_REQUIRE(!other.has_value());
  BOOST_TEST((other.error().code == Errc::not_running));
  BOOST_TEST(other.error().message == "no ocf:sft:drbd with drbd_resource=r9 in the CIB");
  BOOST_TEST(!promotable_clone(cib, "linbit", "drbd", "drbd_resource", "r0").has_value());
  const std::string plain = replaced(cib, "name=\"promotable\" value=\"true\"", "name=\"promotable\" value=\"false\"");
  Result<std::string> not_promotable = promotable_clone(plain, "sft", "drbd", "drbd_resource", "r0");
  BOOST_TEST_REQUIRE(!not_promotable.has_value());
  BOOST_TEST((not_promotable.error().code == Errc::configuration));
  BOOST_TEST(not_promotable.error().message.find("is not in a promotable clone") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(not_a_cib) {
  for (const char* text : {"", "<cib", "<configuration/>"}) {
    Result<std::string> c = promotable_clone(text, "sft", "drbd", "drbd_resource", "r0");
    BOOST_TEST_REQUIRE(!c.has_value(), text);
    BOOST_TEST((c.error().code == Errc::generic));
    BOOST_TEST(!node_state(text, "vm").has_value());
  }
}

BOOST_AUTO_TEST_CASE(node_states) {
  const std::string cib = fixture("cib/drbd-clone.xml");
  BOOST_TEST((*node_state(cib, "vm") == NodeState::online));
  BOOST_TEST((*node_state(cib, "bravo") == NodeState::unknown));
  // As Pacemaker 2.1 records a fenced node, and one lost but not yet fenced.
  const std::string fenced = with_status(
      R"(<node_state id="2" uname="bravo" in_ccm="false" crmd="offline" crm-debug-origin="send_stonith_update" join="down" expected="down"/>)");
  BOOST_TEST((*node_state(fenced, "bravo") == NodeState::down));
  const std::string lost = with_status(
      R"(<node_state id="2" uname="bravo" in_ccm="false" crmd="offline" crm-debug-origin="post_cache_update" join="member" expected="member"/>)");
  BOOST_TEST((*node_state(lost, "bravo") == NodeState::unclean));
  const std::string leaving =
      with_status(R"(<node_state id="2" uname="bravo" in_ccm="true" crmd="offline" join="down" expected="down"/>)");
  BOOST_TEST((*node_state(leaving, "bravo") == NodeState::joining));  // still a member: not down yet
  // Without fencing nothing confirms a lost node down.
  BOOST_TEST((*node_state(replaced(lost, k_fencing, k_no_fencing), "bravo") == NodeState::lost));
  const std::string timestamps = with_status(
      R"(<node_state id="2" uname="bravo" in_ccm="1700000000" crmd="1700000000" join="member" expected="member"/>)");
  BOOST_TEST((*node_state(timestamps, "bravo") == NodeState::online));  // Pacemaker 2.1.7's spelling
}

BOOST_AUTO_TEST_CASE(the_ban_is_well_formed_and_found_by_its_id) {
  const std::string xml = ban_role_except("sft-fence-peer-r0", "r0-drbd-clone", "Promoted", {"alpha", "o'\"<&>"});
  BOOST_TEST(xml ==
             "<rsc_location id=\"sft-fence-peer-r0\" rsc=\"r0-drbd-clone\"><rule id=\"sft-fence-peer-r0-rule\" "
             "role=\"Promoted\" score=\"-INFINITY\" boolean-op=\"and\"><expression id=\"sft-fence-peer-r0-expr-0\" "
             "attribute=\"#uname\" operation=\"ne\" value=\"alpha\"/><expression id=\"sft-fence-peer-r0-expr-1\" "
             "attribute=\"#uname\" operation=\"ne\" value=\"o&apos;&quot;&lt;&amp;&gt;\"/></rule></rsc_location>");
  std::string cib = fixture("cib/drbd-clone.xml");
  BOOST_TEST(!*has_constraint(cib, "sft-fence-peer-r0"));
  const size_t at = cib.find("<constraints/>");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  cib.replace(at, 14, "<constraints>" + xml + "</constraints>");
  BOOST_TEST(*has_constraint(cib, "sft-fence-peer-r0"));
  // What it allows reads back, the escaped name included.
  const auto allowed = role_allowed_on(cib, "sft-fence-peer-r0");
  BOOST_TEST_REQUIRE((allowed.has_value() && allowed->has_value()));
  BOOST_TEST((**allowed == std::vector<std::string>{"alpha", "o'\"<&>"}));
  BOOST_TEST(!role_allowed_on(cib, "sft-fence-peer-r9")->has_value());
}

BOOST_AUTO_TEST_SUITE_END()
