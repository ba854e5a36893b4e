#include "oci-plugins/session.h"

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_system.h"
#include "tests/fakes/fake_transport.h"
#include "tests/fakes/fixtures.h"
#include "tests/fakes/printing.h"

namespace sft::oci {
namespace {

using fakes::FakeSystem;
using fakes::FakeTransport;

constexpr const char* k_config = "/root/.oci/config";
constexpr const char* k_key = "/root/.oci/key.pem";

struct Setup {
  FakeSystem os;
  std::unique_ptr<FakeTransport> transport = std::make_unique<FakeTransport>();
  FakeTransport* t = transport.get();
  Environment env{{"HOME", "/root"}};
  sys::Deadline deadline{os, sys::Millis(30000)};

  // A config whose profile names `region`, with the sample key (fingerprint matching).
  explicit Setup(const std::string& region = "us-phoenix-1") {
    os.files[k_config] =
        "[DEFAULT]\nuser=ocid1.user.oc1..u\nfingerprint=73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7\n"
        "key_file=~/.oci/key.pem\ntenancy=ocid1.tenancy.oc1..t\nregion=" +
        region + "\n";
    os.files[k_key] = fakes::fixture("oci/signing/sample_key.pem");
    os.stats[k_key] = sys::FileStat{.mode = S_IFREG | 0600};
  }
  Result<Session> open(SessionOptions o = {}) { return open_session(os, env, o, deadline, std::move(transport)); }
  // IMDS answers /instance/ with this region and realm.
  void imds_says(const std::string& region, const std::string& domain) {
    t->handler = [=](const HttpRequest& r) -> Result<HttpResponse> {
      if (r.url.target != "/opc/v2/instance/") return fakes::oci_error(404, "NotFound", r.url.target);
      return HttpResponse{200,
                          {},
                          R"({"id":"ocid1.instance.oc1.xx.a","compartmentId":"ocid1.compartment.oc1..c",)"
                          R"("canonicalRegionName":")" +
                              region + R"(","regionInfo":{"realmKey":"oc99","realmDomainComponent":")" + domain +
                              R"(","regionKey":"XXN","regionIdentifier":")" + region + R"("}})"};
    };
  }
};

std::string base(const Session& s, Service service) { return *s.client->endpoints().base(service); }

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_session)

BOOST_AUTO_TEST_CASE(an_api_key_session_takes_its_region_from_the_profile) {
  Setup s;
  Result<Session> session = s.open();
  BOOST_REQUIRE_MESSAGE(session, session.error().message);
  BOOST_TEST(auth_kind_name(session->auth->kind()) == "api_key");
  BOOST_TEST(base(*session, Service::core) == "https://iaas.us-phoenix-1.oraclecloud.com/20160918");
  BOOST_TEST(base(*session, Service::dns) == "https://dns.us-phoenix-1.oci.oraclecloud.com/20180115");
  BOOST_TEST(s.t->requests.empty());  // nothing asked of the network to open it
}

BOOST_AUTO_TEST_CASE(the_region_option_wins_over_the_profile) {
  Setup s;
  Result<Session> session = s.open({.region = "eu-frankfurt-1"});
  BOOST_REQUIRE(session);
  BOOST_TEST(base(*session, Service::core) == "https://iaas.eu-frankfurt-1.oraclecloud.com/20160918");
}

BOOST_AUTO_TEST_CASE(the_config_file_comes_from_the_environment_when_not_given) {
  Setup s;
  s.os.files["/etc/sft/oci.conf"] = s.os.files[k_config];
  s.os.files.erase(k_config);
  s.env["OCI_CONFIG_FILE"] = "/etc/sft/oci.conf";
  BOOST_TEST(s.open().has_value());
}

BOOST_AUTO_TEST_CASE(an_endpoint_override_replaces_the_regional_host) {
  Setup s;
  Result<Session> session = s.open({.endpoints = {{Service::core, "https://10.0.0.9:8443"}}});
  BOOST_REQUIRE(session);
  BOOST_TEST(base(*session, Service::core) == "https://10.0.0.9:8443/20160918");
  BOOST_TEST(base(*session, Service::dns) == "https://dns.us-phoenix-1.oci.oraclecloud.com/20180115");
}

BOOST_AUTO_TEST_CASE(an_endpoint_with_a_path_is_refused) {
  Setup s;
  Result<Session> session = s.open({.endpoints = {{Service::core, "https://iaas.example.com/20160918"}}});
  BOOST_REQUIRE(!session);
  BOOST_TEST(session.error().code == Errc::invalid_argument);
  BOOST_TEST(session.error().message.find("without a path") != std::string::npos, session.error().message);
}

BOOST_AUTO_TEST_CASE(a_region_missing_from_the_table_takes_its_realm_from_instance_metadata) {
  Setup s("xx-newcity-1");
  s.imds_says("xx-newcity-1", "oraclecloud99.com");
  Result<Session> session = s.open();
  BOOST_REQUIRE_MESSAGE(session, session.error().message);
  BOOST_TEST(base(*session, Service::core) == "https://iaas.xx-newcity-1.oraclecloud99.com/20160918");
}

BOOST_AUTO_TEST_CASE(an_unknown_region_off_oci_is_a_configuration_error_naming_it) {
  Setup s("xx-newcity-1");
  s.t->handler = [](const HttpRequest&) -> Result<HttpResponse> { return fail(Errc::generic, "connection refused"); };
  Result<Session> session = s.open();
  BOOST_REQUIRE(!session);
  BOOST_TEST(session.error().code == Errc::configuration);
  BOOST_TEST(session.error().message.find("xx-newcity-1") != std::string::npos, session.error().message);
}

BOOST_AUTO_TEST_CASE(an_instance_principal_session_asks_imds_for_region_and_realm) {
  Setup s;
  s.imds_says("xx-newcity-1", "oraclecloud99.com");
  Result<Session> session = s.open({.auth = AuthKind::instance_principal, .no_cache = true});
  BOOST_REQUIRE_MESSAGE(session, session.error().message);
  BOOST_TEST(session->auth->region() == "xx-newcity-1");
  BOOST_TEST(base(*session, Service::auth) == "https://auth.xx-newcity-1.oraclecloud99.com");
  BOOST_REQUIRE(!s.t->requests.empty());
  BOOST_TEST(s.t->requests[0].url.str() == "http://169.254.169.254/opc/v2/instance/");
  BOOST_TEST(*find_header(s.t->requests[0].headers, "authorization") == "Bearer Oracle");
  // Who this instance is does not change: later questions get the same answer, unasked.
  BOOST_REQUIRE(session->imds->instance(s.deadline));
  BOOST_TEST(s.t->requests.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_session_with_a_known_region_asks_instance_metadata_nothing) {
  Setup s;
  Result<Session> session = s.open({.auth = AuthKind::instance_principal, .region = "us-ashburn-1", .no_cache = true});
  BOOST_REQUIRE_MESSAGE(session, session.error().message);
  BOOST_TEST(s.t->requests.empty());
}

BOOST_AUTO_TEST_CASE(imds_follows_oci_metadata_base_url) {
  Setup s;
  s.env["OCI_METADATA_BASE_URL"] = "http://127.0.0.1:9999/opc/v2/";
  s.imds_says("us-ashburn-1", "oraclecloud.com");
  Result<Session> session = s.open({.auth = AuthKind::instance_principal, .no_cache = true});
  BOOST_REQUIRE(session);
  BOOST_TEST(s.t->requests[0].url.str() == "http://127.0.0.1:9999/opc/v2/instance/");
}

BOOST_AUTO_TEST_CASE(instance_principal_off_oci_says_instance_metadata_did_not_answer) {
  Setup s;
  s.t->handler = [](const HttpRequest&) -> Result<HttpResponse> { return fail(Errc::generic, "connection refused"); };
  Result<Session> session = s.open({.auth = AuthKind::instance_principal, .no_cache = true});
  BOOST_REQUIRE(!session);
  BOOST_TEST(session.error().message.find("instance metadata") != std::string::npos, session.error().message);
  BOOST_TEST(session.error().message.find("not an OCI instance?") != std::string::npos, session.error().message);
}

BOOST_AUTO_TEST_CASE(a_missing_config_file_is_named) {
  Setup s;
  Result<Session> session = s.open({.config_file = "/nowhere/config"});
  BOOST_REQUIRE(!session);
  BOOST_TEST(session.error().code == Errc::configuration);
  BOOST_TEST(session.error().message.find("/nowhere/config") != std::string::npos, session.error().message);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace sft::oci
