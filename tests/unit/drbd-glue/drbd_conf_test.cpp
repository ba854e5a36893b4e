// Reading fencing from `drbdadm dump all`, as drbd-utils 9.22 prints it for an 8.4 and a
// DRBD 9 configuration (tests/fixtures/drbd/conf), and the verdict on each.
#include "drbd-glue/drbd_conf.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/fakes/fixtures.h"

using namespace sft;
using namespace sft::drbd;
using sft::fakes::fixture;

BOOST_AUTO_TEST_SUITE(drbd_conf)

BOOST_AUTO_TEST_CASE(common_sections_apply_and_a_resource_overrides_them) {
  const std::string dump = fixture("drbd/conf/84-dump-all");
  Result<FencingConfig> r0 = fencing_config(dump, "r0");
  BOOST_TEST_REQUIRE(r0.has_value());
  BOOST_TEST(r0->fencing == "resource-and-stonith");
  BOOST_TEST(r0->fence_peer == "/usr/lib/drbd/sft-fence-peer --timeout=120");
  Result<FencingConfig> r1 = fencing_config(dump, "r1");
  BOOST_TEST_REQUIRE(r1.has_value());
  BOOST_TEST(r1->fencing == "resource-only");
  BOOST_TEST(r1->fence_peer == "/usr/lib/drbd/sft-fence-peer --timeout=120");
  Result<FencingConfig> missing = fencing_config(dump, "r9");
  BOOST_TEST_REQUIRE(!missing.has_value());
  BOOST_TEST((missing.error().code == Errc::not_installed));
  BOOST_TEST(missing.error().message == "drbdadm dump all has no resource r9");
}

BOOST_AUTO_TEST_CASE(drbd_9_keeps_fencing_in_net_and_quorum_in_options) {
  const std::string dump = fixture("drbd/conf/9-dump-all");
  Result<FencingConfig> r0 = fencing_config(dump, "r0");
  BOOST_TEST_REQUIRE(r0.has_value());
  BOOST_TEST(r0->fencing == "");
  BOOST_TEST(r0->quorum == "majority");
  BOOST_TEST(r0->on_no_quorum == "suspend-io");
  Result<FencingConfig> r1 = fencing_config(dump, "r1");
  BOOST_TEST_REQUIRE(r1.has_value());
  BOOST_TEST(r1->fencing == "resource-and-stonith");
  BOOST_TEST(r1->fence_peer == "/usr/lib/drbd/sft-fence-peer");  // printed without quotes
}

BOOST_AUTO_TEST_CASE(a_dump_that_cannot_be_read_is_an_error) {
  for (const char* bad : {"resource r0 { net { fencing \"resource-only; } }", "resource r0 { }}", "resource r0 {"}) {
    Result<FencingConfig> r = fencing_config(bad, "r0");
    BOOST_TEST(!r.has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(only_fencing_that_freezes_until_the_peer_is_known_keeps_the_promise) {
  const std::string dump = fixture("drbd/conf/84-dump-all");
  FencingConfig safe = *fencing_config(dump, "r0");
  BOOST_TEST(!fencing_problem(safe, "r0", 8, true));
  BOOST_TEST(!fencing_problem(safe, "r0", 8, std::nullopt));  // the property could not be read
  BOOST_TEST(*fencing_problem(safe, "r0", 8, false) ==
             "stonith-enabled=false: DRBD resource r0 needs STONITH to confirm a lost peer powered off (configure a "
             "fence device such as fence_oci, then stonith-enabled=true)");
  FencingConfig no_handler = safe;
  no_handler.fence_peer.clear();
  BOOST_TEST(fencing_problem(no_handler, "r0", 8, true)->find("but no fence-peer handler") != std::string::npos);
  const std::optional<std::string> only = fencing_problem(*fencing_config(dump, "r1"), "r1", 8, true);
  BOOST_TEST_REQUIRE(only.has_value());
  BOOST_TEST(only->starts_with("DRBD resource r1 has fencing resource-only: a Primary cut off from its peer keeps "
                               "acknowledging writes"),
             *only);
  BOOST_TEST(only->ends_with("set fencing resource-and-stonith, or unsafe_without_fencing=true to accept that"), *only);
  BOOST_TEST(!fencing_problem(*fencing_config(dump, "r2"), "r2", 8, true));  // common's, inherited
  const std::optional<std::string> none = fencing_problem(FencingConfig{}, "r2", 8, true);
  BOOST_TEST_REQUIRE(none.has_value());
  BOOST_TEST(none->starts_with("DRBD resource r2 has fencing dont-care (the default):"), *none);
  // DRBD 9: a quorum keeps the promise too, even without STONITH; on 8.4 there is none.
  const FencingConfig quorum = *fencing_config(fixture("drbd/conf/9-dump-all"), "r0");
  BOOST_TEST(!fencing_problem(quorum, "r0", 9, false));
  BOOST_TEST(fencing_problem(quorum, "r0", 8, true).has_value());
  BOOST_TEST(fencing_problem(FencingConfig{}, "r0", 9, true)->find("(or a DRBD quorum)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_handlers_own_timeout) {
  FencingConfig c;
  c.fence_peer = "/usr/lib/drbd/sft-fence-peer --timeout=15";
  BOOST_TEST((handler_timeout(c).value() == std::optional<std::chrono::milliseconds>(15'000)));
  c.fence_peer = "/usr/lib/drbd/sft-fence-peer --timeout=15 --other";
  BOOST_TEST((handler_timeout(c).value() == std::optional<std::chrono::milliseconds>(15'000)));
  c.fence_peer = "\"/usr/lib/drbd/sft-fence-peer --timeout=90s\"";
  BOOST_TEST((handler_timeout(c).value() == std::optional<std::chrono::milliseconds>(90'000)));
  for (const char* line : {"/usr/lib/drbd/sft-fence-peer", ""}) {
    c.fence_peer = line;
    BOOST_TEST(!handler_timeout(c).value().has_value(), line);
  }
  // What the handler itself would refuse fails every fence-peer call: a fencing problem.
  for (const char* line : {"/usr/lib/drbd/sft-fence-peer --timeout=soon", "/usr/lib/drbd/sft-fence-peer --timeout=0",
                           "/usr/lib/drbd/sft-fence-peer --timeout=2h"}) {
    c.fence_peer = line;
    BOOST_TEST(!handler_timeout(c).has_value(), line);
    c.fencing = "resource-and-stonith";
    const std::optional<std::string> problem = fencing_problem(c, "r0", 8, true);
    BOOST_TEST_REQUIRE(problem.has_value(), line);
    BOOST_TEST(problem->find("is refused by sft-fence-peer") != std::string::npos, *problem);
  }
}

BOOST_AUTO_TEST_SUITE_END()
