#pragma once
// Instance principals: the instance itself signs in, with no key on disk.
//   1. IMDS gives the instance's identity certificate, its key and the intermediate CA.
//   2. A fresh RSA session key is made.
//   3. POST <auth>/v1/x509 {certificate, publicKey, intermediateCertificates}, signed
//      with the certificate's key, keyId "<tenancy>/fed-x509/<SHA-1 of the cert>".
//   4. The answer's token signs API calls as keyId "ST$<token>" with the session key.
// The token and session key are cached (token_cache.h) until shortly before expiry,
// so the next agent run signs straight away; a 401 drops them and federates again.

#include <memory>
#include <optional>

#include "oci-plugins/auth/auth.h"
#include "oci-plugins/base/http.h"
#include "oci-plugins/client/imds.h"
#include "oci-plugins/auth/token_cache.h"

namespace sft::oci {

class InstancePrincipalProvider : public AuthProvider {
 public:
  // federation_url: "https://auth.<region>.<domain>/v1/x509" (or an override).
  InstancePrincipalProvider(sys::System& os, Transport& transport, Imds& imds, std::string federation_url,
                            TokenCache cache, std::string region);
  // A cached or freshly federated token. Federation failures name the step (IMDS
  // certificate, federation HTTP status with opc-request-id) and are Errc::permission
  // for a 401/404 from the auth service (no dynamic group or policy), else generic.
  Result<Credentials> credentials(const sys::Deadline& d) override;
  bool invalidate() override;
  AuthKind kind() const override { return AuthKind::instance_principal; }
  std::string tenancy() const override { return m_token ? m_token->tenancy : std::string(); }
  std::string region() const override { return m_region; }
  // How many federation calls this provider made (tests, bench).
  int federations() const { return m_federations; }

 private:
  Result<CachedToken> federate(const sys::Deadline& d);
  sys::System& m_os;
  Transport& m_transport;
  Imds& m_imds;
  std::string m_url;
  TokenCache m_cache;
  std::string m_region;
  std::optional<CachedToken> m_token;
  std::optional<PrivateKey> m_session_key;
  int m_federations = 0;
  std::optional<Error> m_last_failure;  // of the last federation, for the report at the deadline
};

}  // namespace sft::oci
