// libsft_oci's Client against the mock OCI API: signing accepted by an independent
// verifier, every injected fault recovered within the deadline or reported at it.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "tests/fakes/printing.h"
#include "tests/integration/oci/mock.h"

namespace sft::it {
namespace {

using oci::Call;

struct Fixture {
  Mock mock;
  oci::Session session = *mock.session();
  std::string node1 = mock.id_of("instances", "node1");

  Result<json> get_node1(double budget_seconds) {
    return session.client->call(Call{"GetInstance", "GET", oci::Service::core, "/instances/" + node1},
                                seconds(mock.os, budget_seconds));
  }
  json rule(json r) {
    r["operation"] = "GetInstance";
    return r;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(oci_client, Fixture)

BOOST_AUTO_TEST_CASE(a_signed_get_is_accepted_by_the_mock) {
  Result<json> r = get_node1(10);
  BOOST_REQUIRE_MESSAGE(r, r.error().message);
  BOOST_TEST((*r)["displayName"] == "node1");
  json log = mock.log();
  BOOST_REQUIRE(log.size() == 1);
  BOOST_TEST(log[0]["signature_ok"] == true);
  BOOST_TEST(log[0]["key_id_kind"] == "api_key");
}

BOOST_AUTO_TEST_CASE(throttling_with_retry_after_is_waited_out) {
  mock.faults(json::array({rule({{"status", 429}, {"code", "TooManyRequests"}, {"retry_after", 1}, {"count", 2}})}));
  Result<json> r = get_node1(20);
  BOOST_REQUIRE_MESSAGE(r, r.error().message);
  BOOST_TEST(mock.count("GetInstance", 429) == 2);
  BOOST_TEST(mock.count("GetInstance", 200) == 1);
}

BOOST_AUTO_TEST_CASE(server_errors_are_retried_until_an_answer) {
  mock.faults(json::array({rule({{"status", 500}, {"code", "InternalServerError"}, {"count", 1}}),
                           rule({{"status", 503}, {"code", "ServiceUnavailable"}, {"count", 1}})}));
  Result<json> r = get_node1(20);
  BOOST_REQUIRE_MESSAGE(r, r.error().message);
  BOOST_TEST(mock.count("GetInstance") == 3);
}

BOOST_AUTO_TEST_CASE(incorrect_state_conflicts_are_retried) {
  mock.faults(json::array({rule({{"status", 409}, {"code", "IncorrectState"}, {"count", 1}})}));
  BOOST_TEST(get_node1(20).has_value());
  BOOST_TEST(mock.count("GetInstance", 409) == 1);
}

BOOST_AUTO_TEST_CASE(a_reset_connection_is_retried) {
  mock.faults(json::array({rule({{"reset", true}, {"count", 1}})}));
  Result<json> r = get_node1(20);
  BOOST_REQUIRE_MESSAGE(r, r.error().message);
  BOOST_TEST(mock.count("GetInstance") == 2);
}

BOOST_AUTO_TEST_CASE(a_slow_answer_within_the_deadline_is_waited_for) {
  mock.faults(json::array({rule({{"latency_seconds", 2}, {"count", 1}})}));
  Result<json> r = get_node1(15);
  BOOST_REQUIRE_MESSAGE(r, r.error().message);
  BOOST_TEST((*r)["displayName"] == "node1");
}

BOOST_AUTO_TEST_CASE(endless_server_errors_end_in_a_timeout_naming_status_and_request_id) {
  mock.faults(json::array({rule({{"status", 503}, {"code", "ServiceUnavailable"}, {"count", -1}})}));
  const auto start = sys::Clock::now();
  Result<json> r = get_node1(4);
  const auto took = sys::Clock::now() - start;
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::timeout);
  BOOST_TEST(r.error().message.find("HTTP 503 ServiceUnavailable") != std::string::npos, r.error().message);
  BOOST_TEST(r.error().message.find("opc-request-id MOCK/") != std::string::npos, r.error().message);
  BOOST_TEST(session.client->last_status().status == 503);
  BOOST_TEST(mock.count("GetInstance") >= 2);   // it did retry
  BOOST_TEST(took <= std::chrono::seconds(5));  // and answered by its deadline
}

BOOST_AUTO_TEST_CASE(a_hung_server_ends_in_a_timeout_at_the_deadline) {
  mock.faults(json::array({rule({{"latency_seconds", 30}, {"count", -1}})}));
  const auto start = sys::Clock::now();
  Result<json> r = get_node1(3);
  const auto took = sys::Clock::now() - start;
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::timeout, r.error().message);
  BOOST_TEST(took <= std::chrono::seconds(4));
}

BOOST_AUTO_TEST_CASE(a_bad_request_is_not_retried) {
  Result<json> r =
      session.client->call(Call{"ListInstances", "GET", oci::Service::core, "/instances"}, seconds(mock.os, 10));
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::invalid_argument);
  BOOST_TEST(r.error().message.find("HTTP 400 MissingParameter") != std::string::npos, r.error().message);
  BOOST_TEST(mock.count("ListInstances") == 1);
}

BOOST_AUTO_TEST_CASE(a_missing_policy_is_a_permission_error_not_a_retry) {
  mock.control("POST", "state/patch", {{"deny", json::array({{{"principal", "*"}, {"operation", "GetInstance"}}})}});
  Result<json> r = get_node1(10);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::permission);
  BOOST_TEST(r.error().message.find("404 NotAuthorizedOrNotFound") != std::string::npos, r.error().message);
  BOOST_TEST(mock.count("GetInstance") == 1);
}

BOOST_AUTO_TEST_CASE(a_retried_post_carries_the_same_retry_token) {
  mock.faults(
      json::array({{{"operation", "InstanceAction"}, {"status", 503}, {"code", "ServiceUnavailable"}, {"count", 1}}}));
  Result<json> r = session.client->call(
      Call{"InstanceAction", "POST", oci::Service::core, "/instances/" + node1 + "?action=STOP"}, seconds(mock.os, 20));
  BOOST_REQUIRE_MESSAGE(r, r.error().message);
  std::vector<std::string> tokens;
  for (const json& e : mock.log())
    if (e["operation"] == "InstanceAction")
      tokens.push_back(e["retry_token"].is_string() ? e["retry_token"].get<std::string>() : "");
  BOOST_REQUIRE(tokens.size() == 2);
  BOOST_TEST(tokens[0].size() == 30u);
  BOOST_TEST(tokens[0] == tokens[1]);
}

BOOST_AUTO_TEST_CASE(paging_collects_every_instance) {
  Call list{"ListInstances", "GET", oci::Service::core,
            "/instances" + oci::query_string({{"compartmentId", mock.seed()["instances"][0]["compartmentId"]}})};
  Result<json> all = session.client->list_all(list, seconds(mock.os, 10));
  BOOST_REQUIRE_MESSAGE(all, all.error().message);
  BOOST_TEST(all->size() == 3u);
  BOOST_TEST(mock.count("ListInstances") == 2);  // page size 2
}

BOOST_AUTO_TEST_CASE(a_key_oci_does_not_know_is_refused_without_retries) {
  // Another key with the same user: the mock's verifier must say no.
  auto other = oci::PrivateKey::generate_rsa(2048);
  const json& k = mock.ready()["api_keys"][0];
  std::ofstream(mock.dir() + "/other.pem") << other->private_pem();
  std::filesystem::permissions(mock.dir() + "/other.pem", std::filesystem::perms::owner_read);
  std::ofstream(mock.dir() + "/other-config")
      << "[DEFAULT]\nuser=" << k["user"].get<std::string>() << "\nfingerprint=" << other->fingerprint()
      << "\nkey_file=" << mock.dir() << "/other.pem\ntenancy=" << mock.ready()["tenancy"].get<std::string>()
      << "\nregion=us-ashburn-1\n";
  oci::SessionOptions o;
  o.config_file = mock.dir() + "/other-config";
  o.endpoints = {{oci::Service::core, mock.api()}};
  o.ca_bundle = mock.ca();
  auto s = oci::open_session(mock.os, {{"HOME", mock.dir()}}, o, seconds(mock.os, 10));
  BOOST_REQUIRE_MESSAGE(s, s.error().message);
  Result<json> r =
      s->client->call(Call{"GetInstance", "GET", oci::Service::core, "/instances/" + node1}, seconds(mock.os, 10));
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().code == Errc::permission);
  BOOST_TEST(r.error().message.find("401 NotAuthenticated") != std::string::npos, r.error().message);
  BOOST_TEST(mock.count("GetInstance") == 1);
}

BOOST_AUTO_TEST_CASE(an_untrusted_certificate_is_refused) {
  oci::SessionOptions o;
  o.config_file = mock.config_file();
  o.endpoints = {{oci::Service::core, mock.api()}};  // no CA bundle: the system's store
  auto s = oci::open_session(mock.os, {{"HOME", mock.dir()}}, o, seconds(mock.os, 10));
  BOOST_REQUIRE(s);
  Result<json> r =
      s->client->call(Call{"GetInstance", "GET", oci::Service::core, "/instances/" + node1}, seconds(mock.os, 3));
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().message.find("certificate") != std::string::npos, r.error().message);
  BOOST_TEST(mock.count("GetInstance") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace sft::it
