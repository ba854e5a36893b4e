#pragma once
// Who signs a request. An AuthProvider hands out the key id and key for the next
// request; instance principals fetch and renew theirs (instance_principal.h).

#include <memory>
#include <string>

#include "core/result.h"
#include "core/sys/deadline.h"
#include "core/sys/system.h"
#include "oci-plugins/auth/config.h"
#include "oci-plugins/base/crypto.h"

namespace sft::oci {

struct Credentials {
  std::string key_id;
  const PrivateKey* key = nullptr;  // owned by the provider, valid until the next call
};

class AuthProvider {
 public:
  virtual ~AuthProvider() = default;
  // The credentials to sign with now; may renew them within the deadline.
  virtual Result<Credentials> credentials(const sys::Deadline& d) = 0;
  // Called after a 401: forget what may be stale so the next credentials() renews.
  // False when nothing would change (an API key), so the caller does not retry.
  virtual bool invalidate() = 0;
  virtual AuthKind kind() const = 0;
  // The tenancy OCID, when known (API key: from the config; instance: from its certificate).
  virtual std::string tenancy() const = 0;
  // The region these credentials come with (config or IMDS); empty when unknown.
  virtual std::string region() const = 0;
};

// A user's API key: keyId "<tenancy>/<user>/<fingerprint>". Loading refuses a key file
// others may read and checks the fingerprint against the key, so a mismatch shows
// here and not as a 401 from OCI.
class ApiKeyProvider : public AuthProvider {
 public:
  static Result<std::unique_ptr<ApiKeyProvider>> load(sys::System& os, const Profile& profile);
  Result<Credentials> credentials(const sys::Deadline&) override { return Credentials{m_key_id, &m_key}; }
  bool invalidate() override { return false; }
  AuthKind kind() const override { return AuthKind::api_key; }
  std::string tenancy() const override { return m_profile.tenancy; }
  std::string region() const override { return m_profile.region; }

 private:
  ApiKeyProvider(Profile p, PrivateKey k);
  Profile m_profile;
  PrivateKey m_key;
  std::string m_key_id;
};

// A session token (`oci session authenticate`): keyId "ST$<token>", signed with
// key_file. The token file is re-read after a 401 (the CLI may have refreshed it).
class SecurityTokenProvider : public AuthProvider {
 public:
  static Result<std::unique_ptr<SecurityTokenProvider>> load(sys::System& os, const Profile& profile);
  Result<Credentials> credentials(const sys::Deadline& d) override;
  bool invalidate() override;
  AuthKind kind() const override { return AuthKind::security_token; }
  std::string tenancy() const override { return m_profile.tenancy; }
  std::string region() const override { return m_profile.region; }

 private:
  SecurityTokenProvider(sys::System& os, Profile p, PrivateKey k);
  sys::System* m_os;
  Profile m_profile;
  PrivateKey m_key;
  std::string m_token;
};

// The claims of a JWT that matter here; Errc::invalid_argument when it is not one.
struct TokenClaims {
  long long issued_at = 0;   // iat, seconds since the epoch (0 when absent)
  long long expires_at = 0;  // exp
};
Result<TokenClaims> read_jwt(std::string_view token);

}  // namespace sft::oci
