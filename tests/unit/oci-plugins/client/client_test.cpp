#include "oci-plugins/client/client.h"

#include <boost/test/unit_test.hpp>
#include <cctype>

#include "tests/fakes/fake_auth.h"
#include "tests/fakes/oci_signing.h"
#include "tests/fakes/printing.h"

using namespace std::chrono_literals;
using sft::Errc;
using sft::Result;
using sft::fakes::authorization_params;
using sft::fakes::header;
using sft::fakes::k_fake_key_id;
using sft::fakes::oci_error;
using sft::sys::Deadline;
using namespace sft::oci;

namespace {

const std::string k_base = "https://iaas.us-ashburn-1.oraclecloud.com/20160918";

// A client of the real Ashburn endpoints whose credentials renew after a 401 and
// whose back-off waits are their lower bounds.
struct Setup : sft::fakes::ClientFixture {
  explicit Setup(RetryPolicy policy = {}) : ClientFixture(Endpoints(*known_region("iad")), policy) {
    auth.renews = true;
    client.set_random([] { return 0.0; });
  }
};

Call get_instance() { return Call{.operation = "GetInstance", .path = "/instances/ocid1.instance.oc1..x"}; }

Call instance_action() {
  return Call{.operation = "InstanceAction",
              .method = "POST",
              .path = "/instances/ocid1.instance.oc1..x?action=RESET",
              .body = json{{"actionType", "reset"}}};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Checks the Authorization header as OCI would: rebuild the string from the listed
// headers and verify it with the public half of the sample key.
bool signature_verifies(const HttpRequest& r) {
  return sft::fakes::signature_verifies(r, sft::fakes::sample_public_key().get());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_client)

BOOST_AUTO_TEST_CASE(a_call_is_signed_sent_to_the_regional_endpoint_and_its_json_returned) {
  Setup s;
  s.transport.queue(200, R"({"id":"ocid1.instance.oc1..x","lifecycleState":"RUNNING"})");
  const auto r = s.client.call(get_instance(), Deadline(s.os, 60s));
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
  BOOST_TEST((*r)["lifecycleState"] == "RUNNING");

  BOOST_REQUIRE(s.transport.requests.size() == 1u);
  const HttpRequest& sent = s.transport.requests[0];
  BOOST_TEST(sent.method == "GET");
  BOOST_TEST(sent.url.str() == k_base + "/instances/ocid1.instance.oc1..x");
  BOOST_TEST(header(sent, "host") == "iaas.us-ashburn-1.oraclecloud.com");
  BOOST_TEST(header(sent, "accept") == "application/json");
  BOOST_TEST(header(sent, "date") == http_date(s.os.wall_time()));
  auto params = authorization_params(header(sent, "authorization"));
  BOOST_TEST(params["keyId"] == k_fake_key_id);
  BOOST_TEST(params["headers"] == "date (request-target) host");
  BOOST_TEST(signature_verifies(sent));
}

BOOST_AUTO_TEST_CASE(every_request_carries_the_sft_user_agent) {
  Setup s;
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  BOOST_TEST(user_agent().starts_with("sft/"));
  BOOST_TEST(user_agent().size() > 4u);  // a version follows
  BOOST_TEST(header(s.transport.requests.at(0), "user-agent") == std::string("sft/") + SFT_VERSION);
}

BOOST_AUTO_TEST_CASE(a_post_sends_its_json_body_signed_with_the_body_headers) {
  Setup s;
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(instance_action(), Deadline(s.os, 60s)));
  const HttpRequest& sent = s.transport.requests.at(0);
  BOOST_TEST(sent.body == R"({"actionType":"reset"})");
  BOOST_TEST(header(sent, "content-type") == "application/json");
  BOOST_TEST(header(sent, "content-length") == "22");
  BOOST_TEST(authorization_params(header(sent, "authorization"))["headers"] ==
             "date (request-target) host content-length content-type x-content-sha256");
  BOOST_TEST(signature_verifies(sent));
}

BOOST_AUTO_TEST_CASE(a_post_carries_the_same_retry_token_on_every_attempt) {
  Setup s;
  s.transport.queue(oci_error(503, "ServiceUnavailable", "busy"));
  s.transport.queue(sft::fail(Errc::generic, "connection reset by peer"));
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(instance_action(), Deadline(s.os, 60s)));
  BOOST_REQUIRE(s.transport.requests.size() == 3u);
  const std::string token = header(s.transport.requests[0], "opc-retry-token");
  BOOST_TEST(token.size() == 30u);
  for (char c : token) BOOST_TEST(std::isalnum(static_cast<unsigned char>(c)) != 0);
  BOOST_TEST(header(s.transport.requests[1], "opc-retry-token") == token);
  BOOST_TEST(header(s.transport.requests[2], "opc-retry-token") == token);

  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(instance_action(), Deadline(s.os, 60s)));
  BOOST_TEST(header(s.transport.requests[3], "opc-retry-token") != token);  // a new call, a new token
}

BOOST_AUTO_TEST_CASE(reads_and_updates_carry_no_retry_token) {
  Setup s;
  s.transport.queue(200, "{}");
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  Call put{.operation = "UpdatePrivateIp", .method = "PUT", .path = "/privateIps/p", .body = json::object()};
  BOOST_REQUIRE(s.client.call(put, Deadline(s.os, 60s)));
  BOOST_TEST(find_header(s.transport.requests[0].headers, "opc-retry-token") == nullptr);
  BOOST_TEST(find_header(s.transport.requests[1].headers, "opc-retry-token") == nullptr);
}

BOOST_AUTO_TEST_CASE(if_match_is_sent_when_the_call_has_an_etag) {
  Setup s;
  s.transport.queue(200, "{}");
  Call put{.operation = "UpdatePrivateIp",
           .method = "PUT",
           .path = "/privateIps/p",
           .body = json::object(),
           .if_match = "etag-7"};
  BOOST_REQUIRE(s.client.call(put, Deadline(s.os, 60s)));
  BOOST_TEST(header(s.transport.requests.at(0), "if-match") == "etag-7");
}

BOOST_AUTO_TEST_CASE(a_429_is_retried_after_the_time_retry_after_asks) {
  Setup s;
  s.transport.queue(429, R"({"code":"TooManyRequests","message":"slow down"})", {{"Retry-After", "5"}});
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  BOOST_TEST(s.transport.requests.size() == 2u);
  BOOST_TEST(s.os.elapsed().count() == 5000);  // not the 500 ms back-off
}

BOOST_AUTO_TEST_CASE(a_retry_after_longer_than_the_max_delay_is_capped) {
  Setup s;
  s.transport.queue(429, R"({"code":"TooManyRequests"})", {{"retry-after", "3600"}});
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 120s)));
  BOOST_TEST(s.os.elapsed().count() == 30000);
}

BOOST_AUTO_TEST_CASE(a_retry_after_shorter_than_the_back_off_does_not_shorten_it) {
  Setup s;
  s.transport.queue(429, R"({"code":"TooManyRequests"})", {{"retry-after", "0"}});
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  BOOST_TEST(s.os.elapsed().count() == 500);
}

BOOST_AUTO_TEST_CASE(repeated_503s_are_retried_with_doubling_waits_until_success) {
  Setup s;
  for (int i = 0; i < 4; ++i) s.transport.queue(oci_error(503, "ServiceUnavailable", "try later"));
  s.transport.queue(200, R"({"ok":true})");
  const auto r = s.client.call(get_instance(), Deadline(s.os, 60s));
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
  BOOST_TEST((*r)["ok"] == true);
  BOOST_TEST(s.transport.requests.size() == 5u);
  BOOST_TEST(s.os.elapsed().count() == 500 + 1000 + 2000 + 4000);
}

BOOST_AUTO_TEST_CASE(a_409_incorrect_state_is_retried) {
  Setup s;
  s.transport.queue(oci_error(409, "IncorrectState", "instance is STOPPING"));
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(instance_action(), Deadline(s.os, 60s)));
  BOOST_TEST(s.transport.requests.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_409_conflict_is_not_retried_and_is_busy) {
  Setup s;
  s.transport.queue(oci_error(409, "Conflict", "in use", "req-conflict"));
  s.transport.queue(200, "{}");
  const auto r = s.client.call(instance_action(), Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::busy);
  BOOST_TEST(s.transport.requests.size() == 1u);
  BOOST_TEST(s.os.elapsed().count() == 0);
}

BOOST_AUTO_TEST_CASE(a_400_is_not_retried_and_says_what_oci_said) {
  Setup s;
  s.transport.queue(oci_error(400, "InvalidParameter", "bad action", "ABC/DEF"));
  const auto r = s.client.call(instance_action(), Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::invalid_argument);
  BOOST_TEST(r.error().message == "InstanceAction: HTTP 400 InvalidParameter: bad action (opc-request-id ABC/DEF)");
  BOOST_TEST(s.transport.requests.size() == 1u);
  BOOST_TEST(s.client.last_status().status == 400);
  BOOST_TEST(s.client.last_status().code == "InvalidParameter");
  BOOST_TEST(s.client.last_status().message == "bad action");
  BOOST_TEST(s.client.last_status().request_id == "ABC/DEF");
}

BOOST_AUTO_TEST_CASE(a_404_is_a_permission_error_and_412_busy) {
  Setup s;
  s.transport.queue(oci_error(404, "NotAuthorizedOrNotFound", "no such instance"));
  auto r = s.client.call(get_instance(), Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::permission);
  s.transport.queue(oci_error(412, "NoEtagMatch", "changed"));
  r = s.client.call(get_instance(), Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::busy);
  BOOST_TEST(s.transport.requests.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_connection_error_is_retried) {
  Setup s;
  s.transport.queue(sft::fail(Errc::generic, "iaas.us-ashburn-1.oraclecloud.com: Connection reset by peer"));
  s.transport.queue(sft::fail(Errc::timeout, "iaas.us-ashburn-1.oraclecloud.com: operation timed out"));
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  BOOST_TEST(s.transport.requests.size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_connection_error_that_persists_is_reported_with_the_operation) {
  Setup s;
  s.transport.handler = [](const HttpRequest&) -> Result<HttpResponse> {
    return sft::fail(Errc::generic, "iaas.us-ashburn-1.oraclecloud.com: Could not resolve host");
  };
  const auto r = s.client.call(get_instance(), Deadline(s.os, 10s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::timeout);
  BOOST_TEST(r.error().message.starts_with("GetInstance: "), r.error().message);
  BOOST_TEST(contains(r.error().message, "Could not resolve host"), r.error().message);
  BOOST_TEST(s.os.elapsed() <= 10s);
}

BOOST_AUTO_TEST_CASE(it_gives_up_before_the_deadline_with_a_timeout_naming_status_code_and_request_id) {
  Setup s;
  s.transport.handler = [](const HttpRequest&) -> Result<HttpResponse> {
    return oci_error(503, "ServiceUnavailable", "overloaded", "req-503");
  };
  const auto r = s.client.call(get_instance(), Deadline(s.os, 10s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::timeout);
  BOOST_TEST(contains(r.error().message, "GetInstance"), r.error().message);
  BOOST_TEST(contains(r.error().message, "HTTP 503"), r.error().message);
  BOOST_TEST(contains(r.error().message, "ServiceUnavailable"), r.error().message);
  BOOST_TEST(contains(r.error().message, "opc-request-id req-503"), r.error().message);
  // Waits 0.5, 1, 2, 4 s; the next (8 s) would not fit in the 2.5 s left: stop, do not sleep it.
  BOOST_TEST(s.transport.requests.size() == 5u);
  BOOST_TEST(s.os.elapsed().count() == 7500);
  BOOST_TEST(s.os.elapsed() <= 10s);
}

BOOST_AUTO_TEST_CASE(no_single_attempt_may_spend_the_whole_budget) {
  Setup s;
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  BOOST_TEST(s.transport.budgets.at(0).count() == 30000);  // half of what is left
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 6s)));
  BOOST_TEST(s.transport.budgets.at(1).count() == 5000);  // but at least 5 s
}

BOOST_AUTO_TEST_CASE(attempts_stop_at_the_policys_maximum) {
  Setup s(RetryPolicy{.max_attempts = 3, .first_delay = 100ms, .max_delay = 1000ms});
  s.transport.handler = [](const HttpRequest&) -> Result<HttpResponse> {
    return oci_error(500, "InternalServerError", "oops");
  };
  const auto r = s.client.call(get_instance(), Deadline(s.os, 600s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(s.transport.requests.size() == 3u);
  BOOST_TEST(s.os.elapsed().count() == 50 + 100);
  BOOST_TEST(contains(r.error().message, "HTTP 500 InternalServerError: oops"), r.error().message);
}

BOOST_AUTO_TEST_CASE(a_401_renews_the_credentials_once_and_retries_once_at_once) {
  Setup s;
  s.transport.queue(oci_error(401, "NotAuthenticated", "expired token"));
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  BOOST_TEST(s.auth.invalidations == 1);
  BOOST_TEST(s.auth.asked == 2);
  BOOST_TEST(s.transport.requests.size() == 2u);
  BOOST_TEST(s.os.elapsed().count() == 0);
}

BOOST_AUTO_TEST_CASE(a_second_401_is_a_permission_error_without_more_attempts) {
  Setup s;
  s.transport.handler = [](const HttpRequest&) -> Result<HttpResponse> {
    return oci_error(401, "NotAuthenticated", "The required information to complete authentication was not provided",
                     "req-401");
  };
  const auto r = s.client.call(get_instance(), Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::permission);
  BOOST_TEST(contains(r.error().message, "HTTP 401 NotAuthenticated"), r.error().message);
  BOOST_TEST(contains(r.error().message, "req-401"), r.error().message);
  BOOST_TEST(s.auth.invalidations == 1);
  BOOST_TEST(s.transport.requests.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_401_with_credentials_that_cannot_change_is_not_retried) {
  Setup s;
  s.auth.renews = false;
  s.transport.queue(oci_error(401, "NotAuthenticated", "bad key"));
  s.transport.queue(200, "{}");
  const auto r = s.client.call(get_instance(), Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::permission);
  BOOST_TEST(s.transport.requests.size() == 1u);
}

BOOST_AUTO_TEST_CASE(credentials_that_cannot_be_had_fail_the_call_without_sending) {
  Setup s;
  s.auth.error = sft::Error{Errc::configuration, "key_file /root/.oci/key.pem: permissions 0644 are too open"};
  const auto r = s.client.call(get_instance(), Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::configuration);
  BOOST_TEST(r.error().message == "GetInstance: key_file /root/.oci/key.pem: permissions 0644 are too open");
  BOOST_TEST(s.transport.requests.empty());
}

BOOST_AUTO_TEST_CASE(each_attempt_states_a_fresh_date) {
  Setup s(RetryPolicy{.max_attempts = 8, .first_delay = 2000ms, .max_delay = 30000ms});  // first wait: 1 s
  s.transport.queue(oci_error(503, "ServiceUnavailable", "busy"));
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(instance_action(), Deadline(s.os, 60s)));
  BOOST_REQUIRE(s.transport.requests.size() == 2u);
  BOOST_TEST(header(s.transport.requests[0], "date") == http_date(s.os.wall_epoch));
  BOOST_TEST(header(s.transport.requests[1], "date") == http_date(s.os.wall_epoch + 1));
  BOOST_TEST(signature_verifies(s.transport.requests[0]));
  BOOST_TEST(signature_verifies(s.transport.requests[1]));
}

BOOST_AUTO_TEST_CASE(the_x_date_style_sends_x_date_instead_of_date) {
  Setup s;
  s.client.set_date_style(DateHeader::x_date);
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  const HttpRequest& sent = s.transport.requests.at(0);
  BOOST_TEST(header(sent, "x-date") == http_date(s.os.wall_time()));
  BOOST_TEST(find_header(sent.headers, "date") == nullptr);
  BOOST_TEST(signature_verifies(sent));
}

BOOST_AUTO_TEST_CASE(list_all_follows_opc_next_page_and_concatenates_the_pages) {
  Setup s;
  s.transport.queue(200, R"([{"id":"a"},{"id":"b"}])", {{"opc-next-page", "page 2/x"}});
  s.transport.queue(200, R"([{"id":"c"}])", {{"opc-next-page", "p3"}});
  s.transport.queue(200, R"([])");
  const auto all = s.client.list_all(
      Call{.operation = "ListVnicAttachments", .path = "/vnicAttachments?compartmentId=ocid1.c"}, Deadline(s.os, 60s));
  BOOST_REQUIRE_MESSAGE(all.has_value(), (all ? std::string() : all.error().message));
  BOOST_TEST(all->size() == 3u);
  BOOST_TEST((*all)[2]["id"] == "c");
  BOOST_REQUIRE(s.transport.requests.size() == 3u);
  BOOST_TEST(s.transport.requests[0].url.target == "/20160918/vnicAttachments?compartmentId=ocid1.c");
  BOOST_TEST(s.transport.requests[1].url.target == "/20160918/vnicAttachments?compartmentId=ocid1.c&page=page%202%2Fx");
  BOOST_TEST(s.transport.requests[2].url.target == "/20160918/vnicAttachments?compartmentId=ocid1.c&page=p3");
}

BOOST_AUTO_TEST_CASE(list_all_starts_a_query_when_the_path_has_none) {
  Setup s;
  s.transport.queue(200, R"([1])", {{"opc-next-page", "n"}});
  s.transport.queue(200, R"([2])");
  const auto all = s.client.list_all(Call{.operation = "ListShapes", .path = "/shapes"}, Deadline(s.os, 60s));
  BOOST_REQUIRE(all.has_value());
  BOOST_TEST(*all == json::parse("[1,2]"));
  BOOST_TEST(s.transport.requests.at(1).url.target == "/20160918/shapes?page=n");
}

BOOST_AUTO_TEST_CASE(list_all_refuses_a_page_that_is_not_an_array) {
  Setup s;
  s.transport.queue(200, R"({"items":[]})");
  const auto all = s.client.list_all(Call{.operation = "ListShapes", .path = "/shapes"}, Deadline(s.os, 60s));
  BOOST_REQUIRE(!all.has_value());
  BOOST_TEST(contains(all.error().message, "ListShapes"), all.error().message);
}

BOOST_AUTO_TEST_CASE(a_success_whose_body_is_not_json_is_an_error_with_the_request_id) {
  Setup s;
  s.transport.queue(HttpResponse{200, {{"opc-request-id", "req-html"}}, "<html>proxy login</html>"});
  const auto r = s.client.call(get_instance(), Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::generic);
  BOOST_TEST(r.error().message == "GetInstance: the response is not JSON (opc-request-id req-html)");
}

BOOST_AUTO_TEST_CASE(an_empty_success_body_is_json_null) {
  Setup s;
  s.transport.queue(204, "");
  const auto r = s.client.call(Call{.operation = "DeletePrivateIp", .method = "DELETE", .path = "/privateIps/p"},
                               Deadline(s.os, 60s));
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->is_null());
  BOOST_TEST(s.transport.requests.at(0).method == "DELETE");
}

BOOST_AUTO_TEST_CASE(the_response_of_a_call_is_handed_back_when_asked) {
  Setup s;
  s.transport.queue(200, "{}", {{"etag", "e1"}});
  HttpResponse response;
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s), &response));
  BOOST_REQUIRE(response.header("etag") != nullptr);
  BOOST_TEST(*response.header("etag") == "e1");
}

BOOST_AUTO_TEST_CASE(describe_names_status_code_message_and_request_id) {
  BOOST_TEST(describe(api_status(oci_error(404, "NotAuthorizedOrNotFound", "gone", "A/B"))) ==
             "HTTP 404 NotAuthorizedOrNotFound: gone (opc-request-id A/B)");
  BOOST_TEST(describe(api_status(HttpResponse{502, {}, "<html>bad gateway</html>"})) ==
             "HTTP 502 (opc-request-id none)");
}

BOOST_AUTO_TEST_CASE(a_credentials_failure_is_final_and_not_retried) {
  // The provider retries federation itself; the client must not multiply that.
  Setup s;
  s.auth.error = sft::Error{Errc::generic, "instance principal: federation: HTTP 503"};
  const auto r = s.client.call(get_instance(), Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(s.auth.asked == 1);
  BOOST_TEST(s.transport.requests.empty());
}

BOOST_AUTO_TEST_CASE(a_connection_lost_after_a_503_reports_the_connection_not_the_old_503) {
  Setup s(RetryPolicy{.max_attempts = 2});
  s.transport.queue(oci_error(503, "ServiceUnavailable", "busy"));
  s.transport.queue(sft::fail(Errc::generic, "iaas: Connection reset by peer"));
  const auto r = s.client.call(get_instance(), Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(contains(r.error().message, "Connection reset"), r.error().message);
  BOOST_TEST(!contains(r.error().message, "503"), r.error().message);
}

BOOST_AUTO_TEST_CASE(a_retry_after_a_lost_answer_or_a_5xx_may_have_been_applied) {
  Setup s;
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  BOOST_TEST(!s.client.maybe_applied());
  s.transport.queue(sft::fail(Errc::generic, "iaas: Connection reset by peer"));
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  BOOST_TEST(s.client.maybe_applied());
  s.transport.queue(oci_error(429, "TooManyRequests", "slow down"));
  s.transport.queue(200, "{}");
  BOOST_REQUIRE(s.client.call(get_instance(), Deadline(s.os, 60s)));
  BOOST_TEST(!s.client.maybe_applied());  // a 429 was refused, not carried out
}

BOOST_AUTO_TEST_CASE(credentials_never_go_over_plain_http_to_another_host) {
  Setup s;
  auto far = Url::parse("http://iaas.example.com/20160918/instances/x");
  const auto r = s.client.send(HttpRequest{"GET", *far, {}, {}}, Deadline(s.os, 60s));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().code == Errc::configuration);
  BOOST_TEST(s.transport.requests.empty());
  s.transport.queue(200, "{}");
  auto local = Url::parse("http://127.0.0.1:8080/20160918/instances/x");
  BOOST_TEST(s.client.send(HttpRequest{"GET", *local, {}, {}}, Deadline(s.os, 60s)).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
