#include "oci-plugins/client/instance_principal.h"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <ctime>
#include <nlohmann/json.hpp>

#include "oci-plugins/auth/signer.h"
#include "tests/fakes/fake_system.h"
#include "tests/fakes/fake_transport.h"
#include "tests/fakes/oci_signing.h"
#include "tests/fakes/printing.h"

using namespace std::chrono_literals;
using nlohmann::json;
using sft::Errc;
using sft::Result;
using sft::fakes::authorization_params;
using sft::fakes::FakeSystem;
using sft::fakes::FakeTransport;
using sft::fakes::header;
using sft::fakes::oci_error;
using sft::fakes::Pkey;
using sft::fakes::public_from_der;
using sft::fakes::public_from_pem;
using sft::fakes::signature_verifies;
using sft::fakes::TestCertificate;
using sft::sys::Deadline;
using namespace sft::oci;

namespace {

const std::string k_imds = "http://169.254.169.254/opc/v2";
const std::string k_federation_url = "https://auth.us-ashburn-1.oraclecloud.com/v1/x509";
const std::string k_tenancy = "ocid1.tenancy.oc1..aaaaaaaaexampletenancy";
const std::string k_cache_dir = "/run/sft/oci";

// A self-signed certificate for `subject`, valid from an hour ago for a year.
TestCertificate make_certificate(const std::vector<std::pair<std::string, std::string>>& subject) {
  const std::time_t now = std::time(nullptr);
  return sft::fakes::make_certificate(subject, 2048, now - 3600, now + 86400 * 365);
}

// The instance's identity as IMDS serves it; made once, RSA keys take a while.
const TestCertificate& leaf() {
  static const TestCertificate c = make_certificate({{"CN", "ocid1.instance.oc1.iad.anexampleinstance"},
                                                     {"OU", "opc-certtype:instance"},
                                                     {"OU", "opc-compartment:ocid1.compartment.oc1..c"},
                                                     {"OU", "opc-tenant:" + k_tenancy}});
  return c;
}
const TestCertificate& intermediate() {
  static const TestCertificate c = make_certificate({{"CN", "PKISVC Identity Intermediate r2"}});
  return c;
}

// PEM without armour or line breaks, computed here independently of pem_body().
std::string strip(const std::string& pem) {
  std::string out;
  size_t pos = 0;
  while (pos < pem.size()) {
    size_t end = pem.find('\n', pos);
    if (end == std::string::npos) end = pem.size();
    const std::string line = pem.substr(pos, end - pos);
    if (line.rfind("-----", 0) != 0) out += line;
    pos = end + 1;
  }
  return out;
}

std::string b64url(std::string_view bytes) {
  std::string s = base64(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return s;
}

bool is_federation(const HttpRequest& r) { return r.url.str() == k_federation_url; }

// IMDS and the auth service on one fake transport. The auth service issues a JWT
// valid for `token_life` seconds from the fake wall clock, numbered so each differs.
struct Setup {
  Setup() {
    os.stats[k_cache_dir] = sft::sys::FileStat{.mode = S_IFDIR | 0700, .uid = 0};
    transport.handler = [this](const HttpRequest& r) -> Result<HttpResponse> {
      const std::string& target = r.url.target;
      if (r.url.str().starts_with(k_imds)) {
        if (target == "/opc/v2/identity/cert.pem") return HttpResponse{200, {}, cert_pem};
        if (target == "/opc/v2/identity/key.pem") return HttpResponse{200, {}, leaf().key_pem};
        if (target == "/opc/v2/identity/intermediate.pem") return HttpResponse{200, {}, intermediate().cert_pem};
        return HttpResponse{404, {}, ""};
      }
      if (!is_federation(r)) return oci_error(404, "NotAuthorizedOrNotFound", "unexpected " + r.url.str());
      if (!federation_answers.empty()) {
        Result<HttpResponse> a = federation_answers.front();
        federation_answers.erase(federation_answers.begin());
        return a;
      }
      const long long now = os.wall_time();
      const std::string payload = json{
          {"sub", "ocid1.instance.oc1.iad.anexampleinstance"},
          {"iat", now},
          {"exp", now + token_life},
          {"n", ++issued}}.dump();
      last_token = b64url(R"({"alg":"RS256","typ":"JWT"})") + "." + b64url(payload) + "." + b64url("sig");
      return HttpResponse{
          200, {{"opc-request-id", "fed-" + std::to_string(issued)}}, json{{"token", last_token}}.dump()};
    };
  }

  std::unique_ptr<InstancePrincipalProvider> provider() {
    return std::make_unique<InstancePrincipalProvider>(os, transport, imds, k_federation_url,
                                                       TokenCache(os, k_cache_dir, 0), "us-ashburn-1");
  }

  std::vector<HttpRequest> federation_requests() const {
    std::vector<HttpRequest> out;
    for (const auto& r : transport.requests)
      if (is_federation(r)) out.push_back(r);
    return out;
  }

  FakeSystem os;
  FakeTransport transport;
  Imds imds{transport, k_imds};
  std::string cert_pem = leaf().cert_pem + "\n";
  long long token_life = 3600;
  int issued = 0;
  std::string last_token;
  std::vector<Result<HttpResponse>> federation_answers;  // served before the default answer
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(oci_instance_principal)

BOOST_AUTO_TEST_CASE(federation_fetches_the_identity_from_imds) {
  Setup s;
  auto p = s.provider();
  BOOST_REQUIRE(p->credentials(Deadline(s.os, 60s)).has_value());
  std::vector<std::string> imds_paths;
  for (const auto& r : s.transport.requests)
    if (!is_federation(r)) {
      imds_paths.push_back(r.url.target);
      BOOST_TEST(header(r, "authorization") == "Bearer Oracle");
    }
  BOOST_TEST(imds_paths == (std::vector<std::string>{"/opc/v2/identity/cert.pem", "/opc/v2/identity/key.pem",
                                                     "/opc/v2/identity/intermediate.pem"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_federation_request_posts_certificate_session_key_and_intermediates_without_armour) {
  Setup s;
  auto p = s.provider();
  BOOST_REQUIRE(p->credentials(Deadline(s.os, 60s)).has_value());
  const auto fed = s.federation_requests();
  BOOST_REQUIRE(fed.size() == 1u);
  const HttpRequest& r = fed[0];
  BOOST_TEST(r.method == "POST");
  BOOST_TEST(r.url.str() == k_federation_url);
  BOOST_TEST(header(r, "content-type") == "application/json");
  BOOST_TEST(header(r, "content-length") == std::to_string(r.body.size()));

  const json body = json::parse(r.body);
  BOOST_TEST(body.at("certificate").get<std::string>() == strip(leaf().cert_pem));
  BOOST_TEST(body.at("intermediateCertificates") == json::array({strip(intermediate().cert_pem)}));
  const std::string public_key = body.at("publicKey").get<std::string>();
  BOOST_TEST(!contains(public_key, "-----"));
  BOOST_TEST(!contains(public_key, "\n"));
  Pkey session = public_from_der(*base64_decode(public_key));
  BOOST_REQUIRE(session != nullptr);
  BOOST_TEST(EVP_PKEY_base_id(session.get()) == EVP_PKEY_RSA);
  BOOST_TEST(EVP_PKEY_bits(session.get()) == 2048);
}

BOOST_AUTO_TEST_CASE(the_federation_request_is_signed_with_the_leaf_key_as_tenancy_fed_x509_sha1) {
  Setup s;
  auto p = s.provider();
  BOOST_REQUIRE(p->credentials(Deadline(s.os, 60s)).has_value());
  const auto fed = s.federation_requests();
  BOOST_REQUIRE(fed.size() == 1u);
  const HttpRequest& r = fed[0];
  auto params = authorization_params(header(r, "authorization"));
  BOOST_TEST(params["keyId"] == k_tenancy + "/fed-x509/" + leaf().sha1);
  BOOST_TEST(params["algorithm"] == "rsa-sha256");
  BOOST_TEST(contains(params["headers"], "date (request-target)"), params["headers"]);
  BOOST_TEST(contains(params["headers"], "x-content-sha256"), params["headers"]);
  BOOST_TEST(header(r, "date") == http_date(s.os.wall_time()));

  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(r.body.data(), r.body.size(), md, &n, EVP_sha256(), nullptr);
  BOOST_TEST(header(r, "x-content-sha256") == base64(std::string(reinterpret_cast<char*>(md), n)));

  Pkey leaf_public = public_from_pem(leaf().public_pem);
  BOOST_TEST(signature_verifies(r, leaf_public.get()));
}

BOOST_AUTO_TEST_CASE(api_calls_sign_as_st_token_with_the_session_key_whose_public_part_was_sent) {
  Setup s;
  auto p = s.provider();
  const auto creds = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE_MESSAGE(creds.has_value(), (creds ? std::string() : creds.error().message));
  BOOST_TEST(creds->key_id == "ST$" + s.last_token);
  BOOST_REQUIRE(creds->key != nullptr);

  const json body = json::parse(s.federation_requests().at(0).body);
  Pkey sent = public_from_der(*base64_decode(body.at("publicKey").get<std::string>()));
  HttpRequest call{"GET", *Url::parse("https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances/x"), {}, {}};
  BOOST_REQUIRE(sign(call, Signing{creds->key_id, creds->key, s.os.wall_time()}));
  BOOST_TEST(signature_verifies(call, sent.get()));
  Pkey leaf_public = public_from_pem(leaf().public_pem);
  BOOST_TEST(!signature_verifies(call, leaf_public.get()));

  BOOST_TEST(p->tenancy() == k_tenancy);
  BOOST_TEST(p->region() == "us-ashburn-1");
  BOOST_TEST((p->kind() == AuthKind::instance_principal));
  BOOST_TEST(p->federations() == 1);
}

BOOST_AUTO_TEST_CASE(the_token_is_reused_while_fresh) {
  Setup s;
  auto p = s.provider();
  const auto first = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(first.has_value());
  s.os.sleep_for(3000s);
  const auto second = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(second.has_value());
  BOOST_TEST(second->key_id == first->key_id);
  BOOST_TEST(p->federations() == 1);
  BOOST_TEST(s.federation_requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_second_provider_on_the_same_system_signs_from_the_cache_without_federating) {
  Setup s;
  auto first = s.provider();
  const auto a = first->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(a.has_value());
  const std::string session_public = a->key->public_der();
  const size_t requests = s.transport.requests.size();

  auto second = s.provider();  // the next agent run
  const auto b = second->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE_MESSAGE(b.has_value(), (b ? std::string() : b.error().message));
  BOOST_TEST(second->federations() == 0);
  BOOST_TEST(s.transport.requests.size() == requests);  // not even IMDS
  BOOST_TEST(b->key_id == "ST$" + s.last_token);
  BOOST_TEST(b->key->public_der() == session_public);
  BOOST_TEST(second->tenancy() == k_tenancy);
}

BOOST_AUTO_TEST_CASE(the_token_is_renewed_when_it_nears_expiry) {
  Setup s;
  auto p = s.provider();
  const auto first = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(first.has_value());
  s.os.sleep_for(3539s);  // 61 s left: still fresh
  BOOST_TEST(p->credentials(Deadline(s.os, 60s))->key_id == first->key_id);
  BOOST_TEST(p->federations() == 1);

  s.os.sleep_for(1s);  // 60 s left: inside the margin
  const auto renewed = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(renewed.has_value());
  BOOST_TEST(p->federations() == 2);
  BOOST_TEST(renewed->key_id != first->key_id);
  BOOST_TEST(renewed->key_id == "ST$" + s.last_token);

  auto next_run = s.provider();  // the cache holds the renewed token
  BOOST_TEST(next_run->credentials(Deadline(s.os, 60s))->key_id == renewed->key_id);
  BOOST_TEST(next_run->federations() == 0);
}

BOOST_AUTO_TEST_CASE(a_short_lived_token_is_renewed_at_a_quarter_of_its_life) {
  Setup s;
  s.token_life = 120;  // margin 30 s
  auto p = s.provider();
  BOOST_REQUIRE(p->credentials(Deadline(s.os, 60s)).has_value());
  s.os.sleep_for(89s);
  BOOST_REQUIRE(p->credentials(Deadline(s.os, 60s)).has_value());
  BOOST_TEST(p->federations() == 1);
  s.os.sleep_for(1s);
  BOOST_REQUIRE(p->credentials(Deadline(s.os, 60s)).has_value());
  BOOST_TEST(p->federations() == 2);
}

BOOST_AUTO_TEST_CASE(invalidate_drops_the_token_and_the_cache_so_the_next_call_federates) {
  Setup s;
  auto p = s.provider();
  const auto first = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(first.has_value());
  const std::string cached = TokenCache(s.os, k_cache_dir, 0).path_for(k_imds);
  BOOST_REQUIRE(s.os.files.contains(cached));

  BOOST_TEST(p->invalidate());
  BOOST_TEST(!s.os.files.contains(cached));
  const auto again = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(p->federations() == 2);
  BOOST_TEST(again->key_id != first->key_id);
  BOOST_TEST(s.os.files.contains(cached));  // the new token is cached again
}

BOOST_AUTO_TEST_CASE(a_401_from_federation_is_a_permission_error_naming_the_request_id) {
  Setup s;
  s.federation_answers.push_back(oci_error(401, "NotAuthenticated", "instance is not in a dynamic group", "fed-401"));
  auto p = s.provider();
  const auto creds = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(!creds.has_value());
  BOOST_TEST(creds.error().code == Errc::permission);
  BOOST_TEST(contains(creds.error().message, "opc-request-id fed-401"), creds.error().message);
  BOOST_TEST(contains(creds.error().message, "HTTP 401 NotAuthenticated"), creds.error().message);
  BOOST_TEST(contains(creds.error().message, k_federation_url), creds.error().message);
  BOOST_TEST(s.federation_requests().size() == 1u);  // a refusal is not retried
  BOOST_TEST(!s.os.files.contains(TokenCache(s.os, k_cache_dir, 0).path_for(k_imds)));
}

BOOST_AUTO_TEST_CASE(federation_is_retried_on_5xx_and_connection_failures) {
  Setup s;
  s.federation_answers.push_back(oci_error(503, "ServiceUnavailable", "busy"));
  s.federation_answers.push_back(sft::fail(Errc::generic, "auth.us-ashburn-1.oraclecloud.com: Connection reset"));
  auto p = s.provider();
  const auto creds = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE_MESSAGE(creds.has_value(), (creds ? std::string() : creds.error().message));
  BOOST_TEST(s.federation_requests().size() == 3u);
  BOOST_TEST(s.os.elapsed() < 60s);
}

BOOST_AUTO_TEST_CASE(federation_that_keeps_failing_is_a_generic_error_naming_status_and_request_id) {
  Setup s;
  for (int i = 0; i < 3; ++i) s.federation_answers.push_back(oci_error(500, "InternalServerError", "oops", "fed-500"));
  auto p = s.provider();
  const auto creds = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(!creds.has_value());
  BOOST_TEST(creds.error().code == Errc::generic);
  BOOST_TEST(contains(creds.error().message, "HTTP 500"), creds.error().message);
  BOOST_TEST(contains(creds.error().message, "fed-500"), creds.error().message);
}

BOOST_AUTO_TEST_CASE(an_imds_without_a_certificate_fails_naming_the_step) {
  Setup s;
  s.transport.handler = [](const HttpRequest&) -> Result<HttpResponse> { return HttpResponse{404, {}, ""}; };
  auto p = s.provider();
  const auto creds = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(!creds.has_value());
  BOOST_TEST(creds.error().message.starts_with("instance principal: "), creds.error().message);
  BOOST_TEST(contains(creds.error().message, k_imds + "/identity/cert.pem"), creds.error().message);
  BOOST_TEST(s.federation_requests().empty());
}

BOOST_AUTO_TEST_CASE(a_certificate_that_names_no_tenancy_is_refused) {
  Setup s;
  s.cert_pem = intermediate().cert_pem;
  auto p = s.provider();
  const auto creds = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(!creds.has_value());
  BOOST_TEST(contains(creds.error().message, "opc-tenant"), creds.error().message);
  BOOST_TEST(s.federation_requests().empty());
}

BOOST_AUTO_TEST_CASE(a_federation_answer_without_a_usable_token_is_an_error) {
  Setup s;
  s.federation_answers.push_back(HttpResponse{200, {}, R"({"tokn":"x"})"});
  s.federation_answers.push_back(HttpResponse{200, {}, R"({"token":"not-a-jwt"})"});
  auto p = s.provider();
  const auto no_token = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(!no_token.has_value());
  BOOST_TEST(contains(no_token.error().message, "no token"), no_token.error().message);
  const auto bad_token = p->credentials(Deadline(s.os, 60s));
  BOOST_REQUIRE(!bad_token.has_value());
  BOOST_TEST(contains(bad_token.error().message, "JWT"), bad_token.error().message);
}

BOOST_AUTO_TEST_CASE(an_expired_cache_entry_is_not_used) {
  Setup s;
  BOOST_REQUIRE(s.provider()->credentials(Deadline(s.os, 60s)).has_value());
  s.os.sleep_for(3600s);
  auto later = s.provider();
  BOOST_REQUIRE(later->credentials(Deadline(s.os, 60s)).has_value());
  BOOST_TEST(later->federations() == 1);
}

BOOST_AUTO_TEST_SUITE_END()
