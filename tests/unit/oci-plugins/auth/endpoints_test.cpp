#include "oci-plugins/auth/endpoints.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/printing.h"

using sft::Errc;
using namespace sft::oci;

BOOST_AUTO_TEST_SUITE(oci_endpoints)

BOOST_AUTO_TEST_CASE(a_region_is_known_by_its_id) {
  const auto r = known_region("us-ashburn-1");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->id == "us-ashburn-1");
  BOOST_TEST(r->realm_domain == "oraclecloud.com");
}

BOOST_AUTO_TEST_CASE(a_region_is_known_by_its_key_in_either_case) {
  for (const char* key : {"IAD", "iad"}) {
    const auto r = known_region(key);
    BOOST_REQUIRE_MESSAGE(r.has_value(), key);
    BOOST_TEST(r->id == "us-ashburn-1");
  }
  BOOST_TEST(known_region("phx").value_or(Region{}).id == "us-phoenix-1");
  BOOST_TEST(known_region("FRA").value_or(Region{}).id == "eu-frankfurt-1");
  BOOST_TEST(known_region("US-PHOENIX-1").value_or(Region{}).id == "us-phoenix-1");
}

BOOST_AUTO_TEST_CASE(regions_of_other_realms_carry_their_realms_domain) {
  BOOST_TEST(known_region("us-langley-1").value_or(Region{}).realm_domain == "oraclegovcloud.com");
  BOOST_TEST(known_region("uk-gov-london-1").value_or(Region{}).realm_domain == "oraclegovcloud.uk");
  BOOST_TEST(known_region("ap-chiyoda-1").value_or(Region{}).realm_domain == "oraclecloud8.com");
}

BOOST_AUTO_TEST_CASE(an_unknown_region_is_not_guessed) {
  BOOST_TEST(!known_region("xx-nowhere-1").has_value());
  BOOST_TEST(!known_region("").has_value());
  BOOST_TEST(!known_region("ia").has_value());
}

BOOST_AUTO_TEST_CASE(realm_keys_map_to_their_domains) {
  BOOST_TEST(realm_domain("oc1") == "oraclecloud.com");
  BOOST_TEST(realm_domain("oc2") == "oraclegovcloud.com");
  BOOST_TEST(realm_domain("oc3") == "oraclegovcloud.com");
  BOOST_TEST(realm_domain("oc4") == "oraclegovcloud.uk");
  BOOST_TEST(realm_domain("oc8") == "oraclecloud8.com");
  BOOST_TEST(realm_domain("OC1") == "oraclecloud.com");
  BOOST_TEST(realm_domain("oc999") == "");
}

BOOST_AUTO_TEST_CASE(each_service_has_its_regional_base_url) {
  const Endpoints e(*known_region("us-ashburn-1"));
  BOOST_TEST(e.base(Service::core).value_or("?") == "https://iaas.us-ashburn-1.oraclecloud.com/20160918");
  BOOST_TEST(e.base(Service::dns).value_or("?") == "https://dns.us-ashburn-1.oci.oraclecloud.com/20180115");
  BOOST_TEST(e.base(Service::auth).value_or("?") == "https://auth.us-ashburn-1.oraclecloud.com");
  BOOST_TEST(e.region().id == "us-ashburn-1");
}

BOOST_AUTO_TEST_CASE(base_urls_follow_the_realm_domain) {
  const Endpoints e(Region{"uk-gov-london-1", "oraclegovcloud.uk"});
  BOOST_TEST(e.base(Service::core).value_or("?") == "https://iaas.uk-gov-london-1.oraclegovcloud.uk/20160918");
  BOOST_TEST(e.base(Service::dns).value_or("?") == "https://dns.uk-gov-london-1.oci.oraclegovcloud.uk/20180115");
}

BOOST_AUTO_TEST_CASE(an_override_replaces_the_origin_and_keeps_the_version_path) {
  Endpoints e(*known_region("us-ashburn-1"));
  BOOST_REQUIRE(e.set_override(Service::core, "http://127.0.0.1:8080"));
  BOOST_REQUIRE(e.set_override(Service::auth, "https://auth.example.com/"));
  BOOST_TEST(e.base(Service::core).value_or("?") == "http://127.0.0.1:8080/20160918");
  BOOST_TEST(e.base(Service::auth).value_or("?") == "https://auth.example.com");
  BOOST_TEST(e.base(Service::dns).value_or("?") == "https://dns.us-ashburn-1.oci.oraclecloud.com/20180115");
}

BOOST_AUTO_TEST_CASE(an_override_alone_needs_no_region) {
  Endpoints e;
  BOOST_REQUIRE(e.set_override(Service::dns, "https://[fd00::1]:8443"));
  BOOST_TEST(e.base(Service::dns).value_or("?") == "https://[fd00::1]:8443/20180115");
}

BOOST_AUTO_TEST_CASE(an_override_with_a_path_or_without_a_scheme_is_refused_naming_it) {
  Endpoints e;
  struct Case {
    const char* value;
    const char* says;
  };
  for (const Case& c :
       {Case{"https://iaas.example.com/20160918", "without a path"},
        Case{"https://iaas.example.com?x=1", "without a path"}, Case{"iaas.example.com", "iaas.example.com"},
        Case{"iaas.example.com:443", "no scheme"}, Case{"ftp://iaas.example.com", "https or http"},
        Case{"https://iaas.example.com:0", "bad port"}}) {
    const auto r = e.set_override(Service::core, c.value);
    BOOST_REQUIRE_MESSAGE(!r.has_value(), "accepted " << c.value);
    BOOST_TEST(r.error().code == Errc::invalid_argument);
    BOOST_TEST(r.error().message.find(c.says) != std::string::npos, r.error().message);
    BOOST_TEST(r.error().message.find("core endpoint") != std::string::npos, r.error().message);
  }
  BOOST_TEST(!e.base(Service::core).has_value());  // nothing was kept
}

BOOST_AUTO_TEST_CASE(no_region_and_no_override_is_a_configuration_error_naming_the_service) {
  const Endpoints e;
  const auto r = e.base(Service::dns);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::configuration);
  BOOST_TEST(r.error().message.find("dns") != std::string::npos, r.error().message);

  const Endpoints unknown_realm(Region{"xx-new-1", ""});
  BOOST_TEST(unknown_realm.base(Service::core).error().code == Errc::configuration);
}

BOOST_AUTO_TEST_CASE(services_have_names) {
  BOOST_TEST(service_name(Service::core) == "core");
  BOOST_TEST(service_name(Service::dns) == "dns");
  BOOST_TEST(service_name(Service::auth) == "auth");
}

BOOST_AUTO_TEST_SUITE_END()
