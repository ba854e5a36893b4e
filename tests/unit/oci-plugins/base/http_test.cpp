#include "oci-plugins/base/http.h"

#include <boost/test/unit_test.hpp>

#include "tests/fakes/printing.h"

using sft::Errc;
using namespace sft::oci;

namespace {

Url parsed(std::string_view text) {
  auto u = Url::parse(text);
  BOOST_REQUIRE_MESSAGE(u.has_value(), text << ": " << (u ? std::string() : u.error().message));
  return *u;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_http)

BOOST_AUTO_TEST_CASE(a_url_splits_into_scheme_host_port_and_target) {
  const Url u = parsed("https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances?compartmentId=ocid1.c&limit=5");
  BOOST_TEST(u.scheme == "https");
  BOOST_TEST(u.host == "iaas.us-ashburn-1.oraclecloud.com");
  BOOST_TEST(u.port == 0);
  BOOST_TEST(u.target == "/20160918/instances?compartmentId=ocid1.c&limit=5");
  BOOST_TEST(u.str() == "https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances?compartmentId=ocid1.c&limit=5");
}

BOOST_AUTO_TEST_CASE(the_target_is_kept_exactly_as_given) {
  BOOST_TEST(parsed("https://h/a%2Fb/../c?x=A%20B&y=").target == "/a%2Fb/../c?x=A%20B&y=");
  BOOST_TEST(parsed("https://h").target == "/");
  BOOST_TEST(parsed("https://h/").target == "/");
  BOOST_TEST(parsed("https://h?page=2").target == "/?page=2");
}

BOOST_AUTO_TEST_CASE(ports_are_parsed_and_the_default_one_left_out_of_the_authority) {
  const Url custom = parsed("http://127.0.0.1:8080/opc/v2");
  BOOST_TEST(custom.port == 8080);
  BOOST_TEST(custom.authority() == "127.0.0.1:8080");
  BOOST_TEST(custom.origin() == "http://127.0.0.1:8080");

  BOOST_TEST(parsed("https://h:443/").authority() == "h");
  BOOST_TEST(parsed("http://h:80/").authority() == "h");
  BOOST_TEST(parsed("http://h:443/").authority() == "h:443");
  BOOST_TEST(parsed("https://h:80/").authority() == "h:80");
  BOOST_TEST(parsed("https://h:65535/").port == 65535);
}

BOOST_AUTO_TEST_CASE(an_ipv6_literal_loses_its_brackets_in_host_and_keeps_them_in_the_authority) {
  const Url u = parsed("http://[fd00:c1::a9fe:a9fe]/opc/v2/instance/");
  BOOST_TEST(u.host == "fd00:c1::a9fe:a9fe");
  BOOST_TEST(u.port == 0);
  BOOST_TEST(u.authority() == "[fd00:c1::a9fe:a9fe]");
  BOOST_TEST(u.target == "/opc/v2/instance/");

  const Url p = parsed("https://[::1]:8443?x=1");
  BOOST_TEST(p.host == "::1");
  BOOST_TEST(p.port == 8443);
  BOOST_TEST(p.authority() == "[::1]:8443");
  BOOST_TEST(p.target == "/?x=1");
}

BOOST_AUTO_TEST_CASE(the_scheme_is_case_insensitive) {
  const Url u = parsed("HTTPS://Host.Example.com/X");
  BOOST_TEST(u.scheme == "https");
  BOOST_TEST(u.host == "Host.Example.com");
  BOOST_TEST(u.target == "/X");
}

BOOST_AUTO_TEST_CASE(bad_urls_are_refused_saying_what_is_wrong) {
  struct Case {
    const char* url;
    const char* says;
  };
  for (const Case& c :
       {Case{"iaas.example.com/x", "no scheme"}, Case{"ftp://h/x", "https or http"}, Case{"https:///x", "no host"},
        Case{"https://:8443/x", "no host"}, Case{"https://h:99999/", "bad port"}, Case{"https://h:0/", "bad port"},
        Case{"https://h:/", "bad port"}, Case{"https://h:8o/", "bad port"}, Case{"https://h:-1/", "bad port"},
        Case{"https://[::1/", "unclosed"}, Case{"https://[::1]x/", "junk after"},
        Case{"https://user:pw@h/", "credentials"}, Case{"https://user@h/", "credentials"}}) {
    const auto u = Url::parse(c.url);
    BOOST_REQUIRE_MESSAGE(!u.has_value(), "accepted " << c.url);
    BOOST_TEST(u.error().code == Errc::invalid_argument);
    BOOST_TEST(u.error().message.find(c.says) != std::string::npos, u.error().message);
    BOOST_TEST(u.error().message.find(c.url) != std::string::npos, u.error().message);
  }
}

BOOST_AUTO_TEST_CASE(an_ipv6_address_without_brackets_is_refused) {
  // Taken apart at its last colon it would become host "fd00:" on port 1.
  const auto u = Url::parse("https://fd00::1/x");
  BOOST_TEST(!u.has_value(), "accepted as host '" << (u ? u->host : "") << "' port " << (u ? u->port : 0));
}

BOOST_AUTO_TEST_CASE(an_at_sign_after_the_host_is_not_taken_for_credentials) {
  const Url u = parsed("https://h/instances?displayName=a@b");
  BOOST_TEST(u.host == "h");
  BOOST_TEST(u.target == "/instances?displayName=a@b");
}

BOOST_AUTO_TEST_CASE(url_encode_keeps_only_unreserved_characters) {
  BOOST_TEST(url_encode("AZaz09-._~") == "AZaz09-._~");
  BOOST_TEST(url_encode("Pjwf: PHX-AD-1") == "Pjwf%3A%20PHX-AD-1");
  BOOST_TEST(url_encode("a/b?c=d&e+f") == "a%2Fb%3Fc%3Dd%26e%2Bf");
  BOOST_TEST(url_encode("\xc3\xa9") == "%C3%A9");
  BOOST_TEST(url_encode("") == "");
}

BOOST_AUTO_TEST_CASE(query_string_joins_in_order_and_leaves_out_empty_values) {
  BOOST_TEST(query_string({{"compartmentId", "ocid1.c"}, {"displayName", "web 1"}, {"page", ""}, {"limit", "5"}}) ==
             "?compartmentId=ocid1.c&displayName=web%201&limit=5");
  BOOST_TEST(query_string({{"page", ""}}) == "");
  BOOST_TEST(query_string({}) == "");
}

BOOST_AUTO_TEST_CASE(headers_are_found_and_replaced_case_insensitively) {
  Headers h{{"Content-Type", "application/json"}, {"opc-request-id", "ABC"}};
  BOOST_REQUIRE(find_header(h, "content-type") != nullptr);
  BOOST_TEST(*find_header(h, "CONTENT-TYPE") == "application/json");
  BOOST_TEST(find_header(h, "content-length") == nullptr);
  BOOST_TEST(find_header(h, "opc-request") == nullptr);

  set_header(h, "OPC-Request-ID", "DEF");
  BOOST_TEST(h.size() == 2u);
  BOOST_TEST(*find_header(h, "opc-request-id") == "DEF");
  set_header(h, "etag", "x");
  BOOST_TEST(h.size() == 3u);
  BOOST_TEST(h.back().first == "etag");

  const HttpResponse r{200, {{"OPC-NEXT-PAGE", "p2"}}, ""};
  BOOST_REQUIRE(r.header("opc-next-page") != nullptr);
  BOOST_TEST(*r.header("opc-next-page") == "p2");
}

BOOST_AUTO_TEST_CASE(a_fragment_is_refused_since_it_is_never_sent) {
  auto u = Url::parse("https://iaas.example.com/20160918/instances#x");
  BOOST_REQUIRE(!u);
  BOOST_TEST(u.error().message.find("#fragment") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
