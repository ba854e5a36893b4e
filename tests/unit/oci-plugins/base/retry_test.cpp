#include "oci-plugins/base/retry.h"

#include <boost/test/unit_test.hpp>

using namespace std::chrono_literals;
using namespace sft::oci;

namespace {

constexpr std::time_t k_now = 1700000000;  // Tue, 14 Nov 2023 22:13:20 GMT

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_retry)

BOOST_AUTO_TEST_CASE(throttling_server_errors_and_transient_conflicts_are_retried) {
  BOOST_TEST(retryable(429, "TooManyRequests"));
  BOOST_TEST(retryable(500, "InternalServerError"));
  BOOST_TEST(retryable(502, ""));
  BOOST_TEST(retryable(503, "ServiceUnavailable"));
  BOOST_TEST(retryable(504, ""));
  BOOST_TEST(retryable(409, "IncorrectState"));
  BOOST_TEST(retryable(409, "LockConflict"));
}

BOOST_AUTO_TEST_CASE(requests_that_are_wrong_or_unauthorised_are_not_retried) {
  BOOST_TEST(!retryable(400, "InvalidParameter"));
  BOOST_TEST(!retryable(401, "NotAuthenticated"));
  BOOST_TEST(!retryable(404, "NotAuthorizedOrNotFound"));
  BOOST_TEST(!retryable(409, "Conflict"));
  BOOST_TEST(!retryable(409, "InvalidatedRetryToken"));
  BOOST_TEST(!retryable(409, ""));
  BOOST_TEST(!retryable(412, "NoEtagMatch"));
  BOOST_TEST(!retryable(200, ""));
  BOOST_TEST(!retryable(204, ""));
}

BOOST_AUTO_TEST_CASE(backoff_doubles_from_the_first_delay_with_the_lower_half_fixed) {
  const RetryPolicy p;  // 1 s, doubling, 30 s cap
  BOOST_TEST(backoff(p, 1, 0.0).count() == 500);
  BOOST_TEST(backoff(p, 2, 0.0).count() == 1000);
  BOOST_TEST(backoff(p, 3, 0.0).count() == 2000);
  BOOST_TEST(backoff(p, 4, 0.0).count() == 4000);
  BOOST_TEST(backoff(p, 5, 0.0).count() == 8000);
}

BOOST_AUTO_TEST_CASE(backoff_jitter_spans_the_upper_half) {
  const RetryPolicy p;
  BOOST_TEST(backoff(p, 1, 0.5).count() == 750);
  BOOST_TEST(backoff(p, 1, 0.999999).count() == 999);
  BOOST_TEST(backoff(p, 3, 0.999999).count() == 3999);
  BOOST_TEST(backoff(p, 3, 0.25).count() == 2500);
}

BOOST_AUTO_TEST_CASE(backoff_is_capped_at_the_max_delay) {
  const RetryPolicy p;
  BOOST_TEST(backoff(p, 6, 0.0).count() == 15000);  // 32 s capped to 30 s, half fixed
  BOOST_TEST(backoff(p, 6, 0.999999).count() == 29999);
  BOOST_TEST(backoff(p, 7, 0.999999).count() <= 30000);
  BOOST_TEST(backoff(p, 64, 0.999999).count() <= 30000);
  BOOST_TEST(backoff(p, 5000, 0.0).count() == 15000);
}

BOOST_AUTO_TEST_CASE(backoff_follows_a_custom_policy_and_clamps_a_bad_unit) {
  const RetryPolicy p{.max_attempts = 3, .first_delay = 200ms, .max_delay = 1000ms};
  BOOST_TEST(backoff(p, 1, 0.0).count() == 100);
  BOOST_TEST(backoff(p, 2, 0.0).count() == 200);
  BOOST_TEST(backoff(p, 3, 0.0).count() == 400);
  BOOST_TEST(backoff(p, 4, 0.0).count() == 500);
  BOOST_TEST(backoff(p, 4, 7.0).count() == 1000);
  BOOST_TEST(backoff(p, 1, -1.0).count() == 100);
}

BOOST_AUTO_TEST_CASE(retry_after_in_seconds) {
  BOOST_TEST(parse_retry_after("3", k_now).value_or(-1ms).count() == 3000);
  BOOST_TEST(parse_retry_after("0", k_now).value_or(-1ms).count() == 0);
  BOOST_TEST(parse_retry_after("120", k_now).value_or(-1ms).count() == 120000);
  BOOST_TEST(parse_retry_after("-5", k_now).value_or(-1ms).count() == 0);  // never negative
}

BOOST_AUTO_TEST_CASE(retry_after_as_an_http_date_is_relative_to_now) {
  BOOST_TEST(parse_retry_after("Tue, 14 Nov 2023 22:13:27 GMT", k_now).value_or(-1ms).count() == 7000);
  BOOST_TEST(parse_retry_after("Tue, 14 Nov 2023 22:13:20 GMT", k_now).value_or(-1ms).count() == 0);
  BOOST_TEST(parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", k_now).value_or(-1ms).count() == 0);  // past
  BOOST_TEST(parse_retry_after("Wed, 15 Nov 2023 22:13:20 GMT", k_now).value_or(-1ms).count() == 86400000);
}

BOOST_AUTO_TEST_CASE(retry_after_junk_is_ignored) {
  for (const char* junk : {"", "soon", "3s", "3.5", " 3", "Tue, 14 Nov 2023 22:13:27",
                           "Tue, 14 Nov 2023 22:13:27 GMT+1", "14 Nov 2023 22:13:27 GMT"})
    BOOST_TEST(!parse_retry_after(junk, k_now).has_value(), "accepted '" << junk << "'");
}

BOOST_AUTO_TEST_CASE(a_huge_retry_after_neither_overflows_nor_goes_negative) {
  // The caller caps the wait at max_delay; the parse itself must stay a sane duration.
  for (const char* huge : {"9223372036854775807", "99999999999999999"}) {
    const auto wait = parse_retry_after(huge, k_now);
    BOOST_REQUIRE_MESSAGE(wait.has_value(), huge);
    BOOST_TEST(wait->count() >= 0, huge << " gave " << wait->count() << " ms");
    BOOST_TEST(wait->count() <= 86400 * 1000, huge << " gave " << wait->count() << " ms");
  }
}

BOOST_AUTO_TEST_SUITE_END()
