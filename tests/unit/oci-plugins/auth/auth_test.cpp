#include "oci-plugins/auth/auth.h"

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "tests/fakes/fake_system.h"
#include "tests/fakes/fixtures.h"
#include "tests/fakes/printing.h"

using namespace std::chrono_literals;
using sft::Errc;
using sft::fakes::FakeSystem;
using sft::fakes::fixture;
using sft::sys::Deadline;
using namespace sft::oci;

namespace {

const std::string k_fingerprint = "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7";  // of the sample key

Profile api_profile() {
  Profile p;
  p.name = "DEFAULT";
  p.user = "ocid1.user.oc1..aaaaaaaau";
  p.fingerprint = k_fingerprint;
  p.key_file = "/root/.oci/key.pem";
  p.tenancy = "ocid1.tenancy.oc1..aaaaaaaat";
  p.region = "us-ashburn-1";
  return p;
}

const std::string k_token_file = "/root/.oci/sessions/SESSION/token";

Profile session_profile() {
  Profile p = api_profile();
  p.name = "SESSION";
  p.security_token_file = k_token_file;
  return p;
}

void put_key(FakeSystem& os, const std::string& path, mode_t mode = 0600) {
  os.files[path] = fixture("oci/signing/sample_key.pem");
  os.stats[path] = sft::sys::FileStat{.mode = static_cast<mode_t>(S_IFREG | mode)};
}

// What session_profile() needs on `os`: its key, and its token file holding `token`.
void put_session(FakeSystem& os, const std::string& token) {
  put_key(os, "/root/.oci/key.pem");
  os.files[k_token_file] = token;
}

// base64url without padding, as JWTs carry their parts.
std::string b64url(std::string_view bytes) {
  std::string s = base64(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return s;
}

std::string jwt(const std::string& payload) {
  return b64url(R"({"alg":"RS256","typ":"JWT"})") + "." + b64url(payload) + "." + b64url("signature");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_auth)

BOOST_AUTO_TEST_CASE(an_api_key_signs_as_tenancy_user_fingerprint) {
  FakeSystem os;
  put_key(os, "/root/.oci/key.pem");
  auto provider = ApiKeyProvider::load(os, api_profile());
  BOOST_REQUIRE_MESSAGE(provider.has_value(), (provider ? std::string() : provider.error().message));
  const auto creds = (*provider)->credentials(Deadline(os, 1s));
  BOOST_REQUIRE(creds);
  BOOST_TEST(creds->key_id == "ocid1.tenancy.oc1..aaaaaaaat/ocid1.user.oc1..aaaaaaaau/" + k_fingerprint);
  BOOST_REQUIRE(creds->key != nullptr);
  BOOST_TEST(creds->key->fingerprint() == k_fingerprint);
  BOOST_TEST(((*provider)->kind() == AuthKind::api_key));
  BOOST_TEST((*provider)->tenancy() == "ocid1.tenancy.oc1..aaaaaaaat");
  BOOST_TEST((*provider)->region() == "us-ashburn-1");
  BOOST_TEST(!(*provider)->invalidate());  // nothing to renew: the client must not retry a 401
}

BOOST_AUTO_TEST_CASE(an_api_key_whose_fingerprint_does_not_match_the_profile_is_refused_naming_both) {
  FakeSystem os;
  put_key(os, "/root/.oci/key.pem");
  Profile p = api_profile();
  p.fingerprint = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
  const auto provider = ApiKeyProvider::load(os, p);
  BOOST_REQUIRE(!provider);
  BOOST_TEST(provider.error().code == Errc::configuration);
  const std::string& m = provider.error().message;
  BOOST_TEST(m.find("20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34") != std::string::npos, m);
  BOOST_TEST(m.find(k_fingerprint) != std::string::npos, m);
  BOOST_TEST(m.find("/root/.oci/key.pem") != std::string::npos, m);
  BOOST_TEST(m.find("profile DEFAULT") != std::string::npos, m);
}

BOOST_AUTO_TEST_CASE(an_api_key_file_others_may_read_is_refused) {
  FakeSystem os;
  put_key(os, "/root/.oci/key.pem", 0644);
  const auto provider = ApiKeyProvider::load(os, api_profile());
  BOOST_REQUIRE(!provider);
  BOOST_TEST(provider.error().code == Errc::permission);
  BOOST_TEST(provider.error().message.find("0644") != std::string::npos, provider.error().message);
}

BOOST_AUTO_TEST_CASE(an_api_key_file_that_is_not_a_key_names_the_file) {
  FakeSystem os;
  put_key(os, "/root/.oci/key.pem");
  os.files["/root/.oci/key.pem"] = "ssh-rsa AAAA... alice@host\n";
  const auto provider = ApiKeyProvider::load(os, api_profile());
  BOOST_REQUIRE(!provider);
  BOOST_TEST(provider.error().code == Errc::configuration);
  BOOST_TEST(provider.error().message.starts_with("key_file /root/.oci/key.pem: "), provider.error().message);
}

BOOST_AUTO_TEST_CASE(a_session_token_signs_as_st_dollar_token_with_the_key_file) {
  FakeSystem os;
  put_session(os, "eyJ.token-one.sig\n");
  auto provider = SecurityTokenProvider::load(os, session_profile());
  BOOST_REQUIRE_MESSAGE(provider.has_value(), (provider ? std::string() : provider.error().message));
  const auto creds = (*provider)->credentials(Deadline(os, 1s));
  BOOST_REQUIRE(creds);
  BOOST_TEST(creds->key_id == "ST$eyJ.token-one.sig");
  BOOST_TEST(creds->key->fingerprint() == k_fingerprint);
  BOOST_TEST(((*provider)->kind() == AuthKind::security_token));
}

BOOST_AUTO_TEST_CASE(invalidate_rereads_the_token_and_is_true_only_when_it_changed) {
  FakeSystem os;
  put_session(os, "token-one");
  auto provider = SecurityTokenProvider::load(os, session_profile());
  BOOST_REQUIRE(provider);
  AuthProvider& auth = **provider;

  BOOST_TEST(!auth.invalidate());  // the CLI has not refreshed it: a retry would fail the same way
  BOOST_TEST(auth.credentials(Deadline(os, 1s))->key_id == "ST$token-one");

  os.files[k_token_file] = "token-two\n";
  BOOST_TEST(auth.invalidate());
  BOOST_TEST(auth.credentials(Deadline(os, 1s))->key_id == "ST$token-two");
  BOOST_TEST(!auth.invalidate());
}

BOOST_AUTO_TEST_CASE(a_token_file_that_disappears_fails_the_next_credentials_naming_it) {
  FakeSystem os;
  put_session(os, "token-one");
  auto provider = SecurityTokenProvider::load(os, session_profile());
  BOOST_REQUIRE(provider);
  os.files.erase(k_token_file);
  BOOST_TEST(!(*provider)->invalidate());
  const auto creds = (*provider)->credentials(Deadline(os, 1s));
  BOOST_REQUIRE(!creds);
  BOOST_TEST(creds.error().code == Errc::configuration);
  BOOST_TEST(creds.error().message.find(k_token_file) != std::string::npos, creds.error().message);
}

BOOST_AUTO_TEST_CASE(an_empty_or_missing_token_file_fails_loading) {
  FakeSystem os;
  put_key(os, "/root/.oci/key.pem");
  auto missing = SecurityTokenProvider::load(os, session_profile());
  BOOST_REQUIRE(!missing);
  BOOST_TEST(missing.error().code == Errc::configuration);
  BOOST_TEST(missing.error().message.starts_with("security_token_file "), missing.error().message);

  os.files[k_token_file] = " \n";
  auto empty = SecurityTokenProvider::load(os, session_profile());
  BOOST_REQUIRE(!empty);
  BOOST_TEST(empty.error().message == "security_token_file /root/.oci/sessions/SESSION/token: empty");
}

BOOST_AUTO_TEST_CASE(read_jwt_reads_exp_and_iat) {
  const auto claims = read_jwt(jwt(R"({"sub":"ocid1.instance..x","iat":1700000000,"exp":1700003600})"));
  BOOST_REQUIRE(claims);
  BOOST_TEST(claims->issued_at == 1700000000);
  BOOST_TEST(claims->expires_at == 1700003600);
}

BOOST_AUTO_TEST_CASE(read_jwt_takes_a_token_without_iat) {
  const auto claims = read_jwt(jwt(R"({"exp":1700003600})"));
  BOOST_REQUIRE(claims);
  BOOST_TEST(claims->issued_at == 0);
  BOOST_TEST(claims->expires_at == 1700003600);
}

BOOST_AUTO_TEST_CASE(read_jwt_decodes_url_safe_payloads) {
  // '~' and '?' bytes encode to the two letters where base64url differs from base64.
  const std::string payload = R"({"exp":1700003600,"n":"~~~???"})";
  BOOST_REQUIRE(b64url(payload).find_first_of("-_") != std::string::npos);
  const auto claims = read_jwt(jwt(payload));
  BOOST_REQUIRE(claims);
  BOOST_TEST(claims->expires_at == 1700003600);
}

BOOST_AUTO_TEST_CASE(read_jwt_refuses_what_is_not_a_jwt) {
  for (const std::string& bad : {std::string("not-a-jwt"), std::string("a.b"), std::string("a.b.c.d"), jwt("not json"),
                                 jwt(R"({"iat":1700000000})"), jwt(R"({"exp":"tomorrow"})"), std::string("x.$$$$.y")}) {
    const auto claims = read_jwt(bad);
    BOOST_TEST(!claims, "accepted " << bad);
    if (!claims) BOOST_TEST(claims.error().code == Errc::invalid_argument);
  }
}

BOOST_AUTO_TEST_SUITE_END()
