#include "oci-plugins/auth/signer.h"

#include <boost/test/unit_test.hpp>

#include "oci-plugins/base/crypto.h"
#include "tests/fakes/fake_auth.h"
#include "tests/fakes/fixtures.h"
#include "tests/fakes/oci_signing.h"
#include "tests/fakes/printing.h"

using sft::Errc;
using sft::fakes::authorization_params;
using sft::fakes::fixture;
using sft::fakes::header;
using sft::fakes::sample_key;
using sft::fakes::unbase64;
using namespace sft::oci;

namespace {

// Oracle's published vectors (docs "Request Signatures"; oci-go-sdk http_signer_test.go).
const std::string k_date = "Thu, 05 Jan 2014 21:31:40 GMT";
const std::string k_key_id =
    "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq/"
    "ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq/"
    "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
const std::string k_get_url =
    "https://iaas.us-phoenix-1.oraclecloud.com/20160918/instances"
    "?availabilityDomain=Pjwf%3A%20PHX-AD-1&"
    "compartmentId=ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa"
    "&displayName=TeamXInstances&volumeId=ocid1.volume.oc1.phx."
    "abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q";
const std::string k_get_signing_string =
    "date: Thu, 05 Jan 2014 21:31:40 GMT\n"
    "(request-target): get /20160918/instances?availabilityDomain=Pjwf%3A%20PH"
    "X-AD-1&compartmentId=ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2i"
    "dnccdflvjsnog7mlr6rtdb25gilchfeyjxa&displayName=TeamXInstances&"
    "volumeId=ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q\n"
    "host: iaas.us-phoenix-1.oraclecloud.com";
const std::string k_get_signature =
    "GBas7grhyrhSKHP6AVIj/h5/Vp8bd/peM79H9Wv8kjoaCivujVXlpbKLjMPe"
    "DUhxkFIWtTtLBj3sUzaFj34XE6YZAHc9r2DmE4pMwOAy/kiITcZxa1oHPOeRheC0jP2dqbTll"
    "8fmTZVwKZOKHYPtrLJIJQHJjNvxFWeHQjMaR7M=";
const std::string k_post_url = "https://iaas.us-phoenix-1.oraclecloud.com/20160918/volumeAttachments";
const std::string k_post_signing_string =
    "date: Thu, 05 Jan 2014 21:31:40 GMT\n"
    "(request-target): post /20160918/volumeAttachments\n"
    "host: iaas.us-phoenix-1.oraclecloud.com\n"
    "content-length: 316\n"
    "content-type: application/json\n"
    "x-content-sha256: V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0=";
const std::string k_post_signature =
    "Mje8vIDPlwIHmD/cTDwRxE7HaAvBg16JnVcsuqaNRim23fFPgQfLoOOxae6WqKb1uPjYEl0qIdazWaBy/Ml8DRhqlocMwoSXv0fbukP8J5N80LC"
    "mzT/FFBvIvTB91XuXI3hYfP9Zt1l7S6ieVadHUfqBedWH0itrtPJBgKmrWso=";
// What http_date(1388957500) gives: the vectors' "Thu" is only a label (that day was a Sunday).
const std::string k_generated_date = "Sun, 05 Jan 2014 21:31:40 GMT";
const std::string k_empty_sha256 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

HttpRequest request(std::string method, const std::string& url, std::string body = {}) {
  return HttpRequest{std::move(method), *Url::parse(url), {}, std::move(body)};
}

// Whether `signature` over `data` verifies with the sample key's public half.
bool verifies(const std::string& data, const std::string& signature) {
  return sft::fakes::verifies(sft::fakes::sample_public_key().get(), data, signature);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_signer)

BOOST_AUTO_TEST_CASE(the_get_vector_gives_oracles_signing_string_and_signature) {
  HttpRequest r = request("GET", k_get_url);
  r.headers.emplace_back("Date", k_date);
  BOOST_REQUIRE(sign(r, Signing{k_key_id, &sample_key(), 0}));

  const auto text = signing_string(r, signed_headers("GET", DateHeader::date));
  BOOST_REQUIRE(text);
  BOOST_TEST(*text == k_get_signing_string);
  BOOST_TEST(header(r, "authorization") ==
             "Signature version=\"1\",keyId=\"" + k_key_id +
                 "\",algorithm=\"rsa-sha256\",headers=\"date (request-target) host\",signature=\"" + k_get_signature +
                 "\"");
}

BOOST_AUTO_TEST_CASE(the_post_vector_gives_oracles_body_hash_signing_string_and_signature) {
  const std::string body = fixture("oci/signing/volume_attachment_body.json");
  BOOST_REQUIRE(body.size() == 316u);
  HttpRequest r = request("POST", k_post_url, body);
  r.headers.emplace_back("Date", k_date);
  BOOST_REQUIRE(sign(r, Signing{k_key_id, &sample_key(), 0}));

  BOOST_TEST(header(r, "content-length") == "316");
  BOOST_TEST(header(r, "content-type") == "application/json");
  BOOST_TEST(header(r, "x-content-sha256") == "V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0=");
  const auto text = signing_string(r, signed_headers("POST", DateHeader::date));
  BOOST_REQUIRE(text);
  BOOST_TEST(*text == k_post_signing_string);
  auto params = authorization_params(header(r, "authorization"));
  BOOST_TEST(params["headers"] == "date (request-target) host content-length content-type x-content-sha256");
  BOOST_TEST(params["signature"] == k_post_signature);
}

BOOST_AUTO_TEST_CASE(the_authorization_header_names_version_key_algorithm_headers_and_a_verifiable_signature) {
  HttpRequest r = request("PUT", "https://iaas.us-ashburn-1.oraclecloud.com/20160918/privateIps/ocid1.privateip..x",
                          R"({"vnicId":"ocid1.vnic..b"})");
  BOOST_REQUIRE(sign(r, Signing{"ST$token", &sample_key(), 1388957500}));

  auto params = authorization_params(header(r, "authorization"));
  BOOST_TEST(params.size() == 5u);
  BOOST_TEST(params["version"] == "1");
  BOOST_TEST(params["keyId"] == "ST$token");
  BOOST_TEST(params["algorithm"] == "rsa-sha256");
  BOOST_TEST(params["headers"] == "date (request-target) host content-length content-type x-content-sha256");
  // A verifier rebuilds the string from the listed headers, as OCI does.
  const std::string expected_text =
      "date: Sun, 05 Jan 2014 21:31:40 GMT\n"
      "(request-target): put /20160918/privateIps/ocid1.privateip..x\n"
      "host: iaas.us-ashburn-1.oraclecloud.com\n"
      "content-length: 26\n"
      "content-type: application/json\n"
      "x-content-sha256: " +
      header(r, "x-content-sha256");
  BOOST_TEST(verifies(expected_text, unbase64(params["signature"])));
  BOOST_TEST(!verifies(expected_text + " ", unbase64(params["signature"])));
}

BOOST_AUTO_TEST_CASE(the_date_is_stated_from_now_when_the_request_has_none) {
  HttpRequest r = request("GET", "https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances/x");
  BOOST_REQUIRE(sign(r, Signing{"k", &sample_key(), 1388957500}));
  BOOST_TEST(header(r, "date") == k_generated_date);
  BOOST_TEST(http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  BOOST_TEST(http_date(1700000000) == "Tue, 14 Nov 2023 22:13:20 GMT");
}

BOOST_AUTO_TEST_CASE(a_preset_date_and_content_type_are_kept_but_other_signed_headers_replaced) {
  HttpRequest r = request("POST", "https://iaas.us-ashburn-1.oraclecloud.com/20160918/x", "abc");
  r.headers = {{"Date", k_date},
               {"Content-Type", "application/octet-stream"},
               {"Content-Length", "999"},
               {"Host", "evil.example.com"},
               {"X-Content-SHA256", "bogus"}};
  BOOST_REQUIRE(sign(r, Signing{"k", &sample_key(), 1700000000}));
  BOOST_TEST(header(r, "date") == k_date);
  BOOST_TEST(header(r, "content-type") == "application/octet-stream");
  BOOST_TEST(header(r, "content-length") == "3");
  BOOST_TEST(header(r, "host") == "iaas.us-ashburn-1.oraclecloud.com");
  BOOST_TEST(header(r, "x-content-sha256") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");  // SHA-256("abc")
  BOOST_TEST(r.headers.size() == 6u);  // replaced in place, not added twice
}

BOOST_AUTO_TEST_CASE(an_empty_post_body_is_signed_with_length_zero_and_the_empty_hash) {
  HttpRequest r = request("POST", k_post_url);
  r.headers.emplace_back("date", k_date);
  BOOST_REQUIRE(sign(r, Signing{k_key_id, &sample_key(), 0}));
  BOOST_TEST(header(r, "content-length") == "0");
  BOOST_TEST(header(r, "x-content-sha256") == k_empty_sha256);
  BOOST_TEST(header(r, "content-type") == "application/json");
}

BOOST_AUTO_TEST_CASE(reads_carry_no_body_headers) {
  for (const char* method : {"GET", "DELETE", "HEAD"}) {
    HttpRequest r = request(method, "https://iaas.us-ashburn-1.oraclecloud.com/20160918/vnics/x");
    BOOST_REQUIRE(sign(r, Signing{"k", &sample_key(), 0}));
    BOOST_TEST(find_header(r.headers, "content-length") == nullptr, method);
    BOOST_TEST(find_header(r.headers, "x-content-sha256") == nullptr, method);
    BOOST_TEST(authorization_params(header(r, "authorization"))["headers"] == "date (request-target) host", method);
  }
}

BOOST_AUTO_TEST_CASE(signed_headers_follow_the_sdks_order_for_each_method_and_date_style) {
  using V = std::vector<std::string>;
  BOOST_TEST(signed_headers("GET", DateHeader::date) == (V{"date", "(request-target)", "host"}),
             boost::test_tools::per_element());
  BOOST_TEST(signed_headers("DELETE", DateHeader::date) == (V{"date", "(request-target)", "host"}),
             boost::test_tools::per_element());
  for (const char* m : {"POST", "PUT", "PATCH"}) {
    BOOST_TEST(signed_headers(m, DateHeader::date) ==
                   (V{"date", "(request-target)", "host", "content-length", "content-type", "x-content-sha256"}),
               boost::test_tools::per_element());
    BOOST_TEST(signed_headers(m, DateHeader::x_date) ==
                   (V{"x-date", "(request-target)", "host", "content-type", "content-length", "x-content-sha256"}),
               boost::test_tools::per_element());
  }
  BOOST_TEST(signed_headers("GET", DateHeader::x_date) == (V{"x-date", "(request-target)", "host"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(x_date_style_signs_x_date_in_the_typescript_order_and_sends_no_date) {
  HttpRequest r = request("POST", "https://iaas.us-ashburn-1.oraclecloud.com/20160918/privateIps", "{}");
  BOOST_REQUIRE(sign(r, Signing{"k", &sample_key(), 1388957500, DateHeader::x_date}));
  BOOST_TEST(header(r, "x-date") == k_generated_date);
  BOOST_TEST(find_header(r.headers, "date") == nullptr);
  auto params = authorization_params(header(r, "authorization"));
  BOOST_TEST(params["headers"] == "x-date (request-target) host content-type content-length x-content-sha256");
  const std::string text = "x-date: " + k_generated_date +
                           "\n(request-target): post /20160918/privateIps\n"
                           "host: iaas.us-ashburn-1.oraclecloud.com\n"
                           "content-type: application/json\n"
                           "content-length: 2\n"
                           "x-content-sha256: RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=";
  BOOST_TEST(verifies(text, unbase64(params["signature"])));
}

BOOST_AUTO_TEST_CASE(the_host_carries_a_non_default_port_and_omits_the_default_one) {
  HttpRequest on_port = request("GET", "https://iaas.example.com:8443/20160918/vnics/x");
  BOOST_REQUIRE(sign(on_port, Signing{"k", &sample_key(), 0}));
  BOOST_TEST(header(on_port, "host") == "iaas.example.com:8443");

  HttpRequest default_port = request("GET", "https://iaas.example.com:443/20160918/vnics/x");
  BOOST_REQUIRE(sign(default_port, Signing{"k", &sample_key(), 0}));
  BOOST_TEST(header(default_port, "host") == "iaas.example.com");

  HttpRequest plain = request("GET", "http://127.0.0.1:80/x");
  BOOST_REQUIRE(sign(plain, Signing{"k", &sample_key(), 0}));
  BOOST_TEST(header(plain, "host") == "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(the_request_target_is_signed_exactly_as_sent_with_a_lower_case_method) {
  HttpRequest r = request("GET", "https://h.example.com/a%2Fb?x=A%20B&y=");
  r.headers = {{"date", k_date}, {"host", "h.example.com"}};
  const auto text = signing_string(r, {"(request-target)"});
  BOOST_REQUIRE(text);
  BOOST_TEST(*text == "(request-target): get /a%2Fb?x=A%20B&y=");
}

BOOST_AUTO_TEST_CASE(a_signed_header_missing_from_the_request_is_an_error_naming_it) {
  HttpRequest r = request("POST", "https://h.example.com/x", "{}");
  r.headers = {{"date", k_date}, {"host", "h.example.com"}, {"content-length", "2"}};
  const auto text = signing_string(r, signed_headers("POST", DateHeader::date));
  BOOST_REQUIRE(!text);
  BOOST_TEST(text.error().code == Errc::invalid_argument);
  BOOST_TEST(text.error().message.find("content-type") != std::string::npos, text.error().message);
}

BOOST_AUTO_TEST_CASE(signing_without_a_key_is_refused) {
  HttpRequest r = request("GET", "https://h.example.com/x");
  const auto s = sign(r, Signing{"k", nullptr, 0});
  BOOST_REQUIRE(!s);
  BOOST_TEST(s.error().code == Errc::invalid_argument);
  BOOST_TEST(find_header(r.headers, "authorization") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
