// Instance principals end to end against the mock: IMDS certificate -> federation
// -> token; the token cached for the next process; renewed on expiry and on a 401.
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <thread>

#include "tests/fakes/printing.h"
#include "tests/integration/oci/mock.h"

namespace sft::it {
namespace {

using oci::AuthKind;
using oci::Call;

struct Fixture {
  Mock mock;
  std::string cache = mock.dir() + "/cache";
  std::string node1 = mock.id_of("instances", "node1");

  Result<json> get_node1(oci::Session& s) {
    return s.client->call(Call{"GetInstance", "GET", oci::Service::core, "/instances/" + node1}, seconds(mock.os, 20));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(oci_instance_principal, Fixture)

BOOST_AUTO_TEST_CASE(federates_once_and_signs_with_the_token) {
  auto s = mock.session(AuthKind::instance_principal, cache);
  BOOST_REQUIRE_MESSAGE(s, s.error().message);
  BOOST_REQUIRE_MESSAGE(get_node1(*s), "GetInstance failed");
  BOOST_REQUIRE(get_node1(*s));
  BOOST_TEST(mock.count("Federation", 200) == 1);
  int signed_with_token = 0;
  for (const json& e : mock.log())
    if (e["operation"] == "GetInstance" && e["key_id_kind"] == "token") ++signed_with_token;
  BOOST_TEST(signed_with_token == 2);  // both calls, and each with the token
  BOOST_TEST(s->auth->tenancy() == mock.ready()["tenancy"].get<std::string>());
  BOOST_TEST(s->auth->region() == "us-ashburn-1");
}

BOOST_AUTO_TEST_CASE(a_second_process_reuses_the_cached_token) {
  {
    auto first = mock.session(AuthKind::instance_principal, cache);
    BOOST_REQUIRE(first && get_node1(*first));
  }
  auto second = mock.session(AuthKind::instance_principal, cache);
  BOOST_REQUIRE(second);
  BOOST_REQUIRE(get_node1(*second));
  BOOST_TEST(mock.count("Federation") == 1);
  BOOST_TEST(mock.count("GetInstance", 200) == 2);
}

BOOST_AUTO_TEST_CASE(the_cache_is_private_to_its_owner) {
  auto s = mock.session(AuthKind::instance_principal, cache);
  BOOST_REQUIRE(s && get_node1(*s));
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(cache)) files.push_back(e.path());
  BOOST_REQUIRE(files.size() == 1u);
  struct stat st {};
  BOOST_REQUIRE(::stat(cache.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0700u);
  BOOST_REQUIRE(::stat(files[0].c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
  BOOST_TEST(st.st_uid == ::geteuid());
}

BOOST_AUTO_TEST_CASE(a_cache_others_can_read_is_not_trusted) {
  {
    auto first = mock.session(AuthKind::instance_principal, cache);
    BOOST_REQUIRE(first && get_node1(*first));
  }
  for (const auto& e : std::filesystem::directory_iterator(cache)) ::chmod(e.path().c_str(), 0644);
  auto second = mock.session(AuthKind::instance_principal, cache);
  BOOST_REQUIRE(second && get_node1(*second));
  BOOST_TEST(mock.count("Federation") == 2);
}

BOOST_AUTO_TEST_CASE(a_revoked_token_is_renewed_once_after_a_401) {
  auto s = mock.session(AuthKind::instance_principal, cache);
  BOOST_REQUIRE(s && get_node1(*s));
  mock.control("POST", "tokens/expire");
  Result<json> r = get_node1(*s);
  BOOST_REQUIRE_MESSAGE(r, r.error().message);
  BOOST_TEST(mock.count("GetInstance", 401) == 1);
  BOOST_TEST(mock.count("Federation") == 2);
  // and the next process finds the new token, not the revoked one
  auto next = mock.session(AuthKind::instance_principal, cache);
  BOOST_REQUIRE(next && get_node1(*next));
  BOOST_TEST(mock.count("Federation") == 2);
}

BOOST_AUTO_TEST_CASE(a_token_near_its_expiry_is_renewed_before_use) {
  mock.control("POST", "state/patch", {{"token_ttl_seconds", 4}});
  auto s = mock.session(AuthKind::instance_principal, cache);
  BOOST_REQUIRE(s && get_node1(*s));
  std::this_thread::sleep_for(std::chrono::milliseconds(3200));  // within a quarter of its life of expiry
  BOOST_REQUIRE(get_node1(*s));
  BOOST_TEST(mock.count("Federation") == 2);
  BOOST_TEST(mock.count("GetInstance", 401) == 0);  // renewed before, not after a refusal
}

BOOST_AUTO_TEST_CASE(a_federation_outage_is_reported_with_its_request_id) {
  mock.faults(
      json::array({{{"operation", "Federation"}, {"status", 503}, {"code", "ServiceUnavailable"}, {"count", -1}}}));
  auto s = mock.session(AuthKind::instance_principal, cache);
  BOOST_REQUIRE(s);
  Result<json> r = get_node1(*s);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().message.find("federation") != std::string::npos, r.error().message);
  BOOST_TEST(r.error().message.find("503") != std::string::npos, r.error().message);
  BOOST_TEST(mock.count("GetInstance") == 0);
}

BOOST_AUTO_TEST_CASE(the_region_comes_from_instance_metadata) {
  auto s = mock.session(AuthKind::instance_principal, cache);
  BOOST_REQUIRE(s);
  BOOST_TEST(s->client->endpoints().region().id == "us-ashburn-1");
  BOOST_TEST(s->client->endpoints().region().realm_domain == "oraclecloud.com");
  BOOST_TEST(mock.count("ImdsInstance") >= 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace sft::it
