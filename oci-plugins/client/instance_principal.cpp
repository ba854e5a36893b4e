#include "oci-plugins/client/instance_principal.h"

#include <nlohmann/json.hpp>

#include "core/log/log.h"
#include "oci-plugins/client/client.h"
#include "oci-plugins/auth/signer.h"

namespace sft::oci {
namespace {

using nlohmann::json;

// Every certificate in a PEM bundle, each as its stripped body.
std::vector<std::string> pem_bodies(std::string_view bundle) {
  std::vector<std::string> out;
  constexpr std::string_view k_end = "-----END CERTIFICATE-----";
  size_t pos = 0;
  while (true) {
    size_t begin = bundle.find("-----BEGIN CERTIFICATE-----", pos);
    if (begin == std::string_view::npos) break;
    size_t end = bundle.find(k_end, begin);
    if (end == std::string_view::npos) break;
    out.push_back(pem_body(bundle.substr(begin, end + k_end.size() - begin)));
    pos = end + k_end.size();
  }
  return out;
}

}  // namespace

InstancePrincipalProvider::InstancePrincipalProvider(sys::System& os, Transport& transport, Imds& imds,
                                                     std::string federation_url, TokenCache cache, std::string region)
    : m_os(os),
      m_transport(transport),
      m_imds(imds),
      m_url(std::move(federation_url)),
      m_cache(std::move(cache)),
      m_region(std::move(region)) {}

Result<Credentials> InstancePrincipalProvider::credentials(const sys::Deadline& d) {
  if (m_token && m_session_key && fresh(*m_token, m_os.wall_time()))
    return Credentials{"ST$" + m_token->token, &*m_session_key};
  m_token.reset();
  m_session_key.reset();
  // Another process (the previous monitor, say) may have federated already.
  if (auto cached = m_cache.load(m_imds.base())) {
    if (Result<PrivateKey> key = PrivateKey::from_pem(cached->session_key_pem)) {
      m_token = std::move(*cached);
      m_session_key = std::move(*key);
      return Credentials{"ST$" + m_token->token, &*m_session_key};
    }
  }
  Result<CachedToken> token = federate(d);
  if (!token) return std::unexpected(token.error());
  m_token = std::move(*token);
  m_cache.store(m_imds.base(), *m_token);
  return Credentials{"ST$" + m_token->token, &*m_session_key};
}

bool InstancePrincipalProvider::invalidate() {
  m_token.reset();
  m_session_key.reset();
  m_cache.drop(m_imds.base());
  return true;
}

Result<CachedToken> InstancePrincipalProvider::federate(const sys::Deadline& d) {
  Result<IdentityMaterial> id = m_imds.identity(d);
  if (!id) return std::unexpected(with_context(id.error(), "instance principal"));
  Result<Certificate> leaf = Certificate::from_pem(id->cert_pem);
  if (!leaf) return std::unexpected(with_context(leaf.error(), "instance principal: IMDS identity/cert.pem"));
  Result<PrivateKey> leaf_key = PrivateKey::from_pem(id->key_pem);
  if (!leaf_key) return std::unexpected(with_context(leaf_key.error(), "instance principal: IMDS identity/key.pem"));
  std::string tenancy = leaf->subject_value("opc-tenant:");
  if (tenancy.empty()) tenancy = leaf->subject_value("opc-identity:");
  if (tenancy.empty()) return fail(Errc::generic, "instance principal: the identity certificate names no opc-tenant");
  Result<PrivateKey> session = PrivateKey::generate_rsa(2048);
  if (!session) return std::unexpected(session.error());

  json body{{"certificate", pem_body(id->cert_pem)},
            {"publicKey", pem_body(session->public_pem())},
            {"intermediateCertificates", pem_bodies(id->intermediate_pem)},
            {"purpose", "DEFAULT"}};
  Result<Url> url = Url::parse(m_url);
  if (!url) return std::unexpected(with_context(url.error(), "instance principal: federation endpoint"));
  if (!safe_for_credentials(*url))
    return fail(Errc::configuration, "instance principal: federation endpoint " + m_url + " must be https");
  HttpRequest request{"POST", *url, {{"user-agent", user_agent()}}, body.dump()};
  Signing signing{tenancy + "/fed-x509/" + leaf->sha1_fingerprint(), &*leaf_key, m_os.wall_time()};
  if (Result<void> s = sign(request, signing); !s) return std::unexpected(s.error());

  // Federation is retried on 5xx and connection failures only: three attempts. With
  // no time left for one, the last federation's failure says more than "no time".
  Result<HttpResponse> r = m_last_failure ? std::unexpected(*m_last_failure)
                                          : fail(Errc::timeout, "instance principal: no time left to federate");
  if (d.expired()) return std::unexpected(r.error());
  for (int attempt = 1; attempt <= 3 && !d.expired(); ++attempt) {
    r = m_transport.send(request, d.slice(0.5, sys::Millis(5000)));
    if (r && r->status < 500) break;
    if (attempt < 3) d.sleep_for(sys::Millis(500 * attempt));
  }
  ++m_federations;
  if (!r) {
    m_last_failure = with_context(r.error(), "instance principal: federation " + m_url);
    return std::unexpected(*m_last_failure);
  }
  if (r->status != 200) {
    ApiStatus s = api_status(*r);
    Errc code = r->status == 401 || r->status == 404 ? Errc::permission : Errc::generic;
    m_last_failure = Error{code, "instance principal: federation " + m_url + ": " + describe(s)};
    return std::unexpected(*m_last_failure);
  }
  m_last_failure.reset();
  json answer = json::parse(r->body, nullptr, false);
  if (!answer.is_object() || !answer.contains("token") || !answer["token"].is_string())
    return fail(Errc::generic, "instance principal: federation answer has no token");
  CachedToken t;
  t.token = answer["token"].get<std::string>();
  Result<TokenClaims> claims = read_jwt(t.token);
  if (!claims) return std::unexpected(with_context(claims.error(), "instance principal"));
  t.issued_at = claims->issued_at;
  t.expires_at = claims->expires_at;
  t.tenancy = tenancy;
  t.session_key_pem = session->private_pem();
  m_session_key = std::move(*session);
  log::info("instance principal: new token for tenancy " + tenancy + ", valid " +
            std::to_string(t.expires_at - m_os.wall_time()) + " s");
  return t;
}

}  // namespace sft::oci
