#include "oci-plugins/auth/auth.h"

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace sft::oci {
namespace {

Result<PrivateKey> load_key(sys::System& os, const Profile& profile) {
  Result<std::string> pem = read_private_key_file(os, profile.key_file);
  if (!pem) return std::unexpected(pem.error());
  Result<PrivateKey> key = PrivateKey::from_pem(*pem, profile.pass_phrase);
  if (!key) return std::unexpected(with_context(key.error(), "key_file " + profile.key_file));
  return key;
}

Result<std::string> read_token(sys::System& os, const std::string& path) {
  Result<std::string> text = os.read_file(path);
  if (!text) return fail(Errc::configuration, "security_token_file " + text.error().message);
  std::string token(trim(*text));
  if (token.empty()) return fail(Errc::configuration, "security_token_file " + path + ": empty");
  return token;
}

}  // namespace

ApiKeyProvider::ApiKeyProvider(Profile p, PrivateKey k)
    : m_profile(std::move(p)),
      m_key(std::move(k)),
      m_key_id(m_profile.tenancy + "/" + m_profile.user + "/" + m_profile.fingerprint) {}

Result<std::unique_ptr<ApiKeyProvider>> ApiKeyProvider::load(sys::System& os, const Profile& profile) {
  Result<PrivateKey> key = load_key(os, profile);
  if (!key) return std::unexpected(key.error());
  if (key->fingerprint() != profile.fingerprint)
    return fail(Errc::configuration, "profile " + profile.name + ": fingerprint " + profile.fingerprint +
                                         " does not match key_file " + profile.key_file + " (its fingerprint is " +
                                         key->fingerprint() + ")");
  return std::unique_ptr<ApiKeyProvider>(new ApiKeyProvider(profile, std::move(*key)));
}

SecurityTokenProvider::SecurityTokenProvider(sys::System& os, Profile p, PrivateKey k)
    : m_os(&os), m_profile(std::move(p)), m_key(std::move(k)) {}

Result<std::unique_ptr<SecurityTokenProvider>> SecurityTokenProvider::load(sys::System& os, const Profile& profile) {
  Result<PrivateKey> key = load_key(os, profile);
  if (!key) return std::unexpected(key.error());
  auto provider = std::unique_ptr<SecurityTokenProvider>(new SecurityTokenProvider(os, profile, std::move(*key)));
  Result<std::string> token = read_token(os, profile.security_token_file);
  if (!token) return std::unexpected(token.error());
  provider->m_token = std::move(*token);
  return provider;
}

Result<Credentials> SecurityTokenProvider::credentials(const sys::Deadline&) {
  if (m_token.empty()) {
    Result<std::string> token = read_token(*m_os, m_profile.security_token_file);
    if (!token) return std::unexpected(token.error());
    m_token = std::move(*token);
  }
  return Credentials{"ST$" + m_token, &m_key};
}

bool SecurityTokenProvider::invalidate() {
  Result<std::string> token = read_token(*m_os, m_profile.security_token_file);
  bool changed = token && *token != m_token;
  m_token = token ? *token : std::string();
  return changed;
}

Result<TokenClaims> read_jwt(std::string_view token) {
  std::vector<std::string_view> parts = split(token, '.');
  if (parts.size() != 3) return fail(Errc::invalid_argument, "the token is not a JWT (expected three parts)");
  Result<std::string> payload = base64_decode(parts[1]);
  if (!payload) return fail(Errc::invalid_argument, "the token's payload is not base64url");
  nlohmann::json claims = nlohmann::json::parse(*payload, nullptr, false);
  if (!claims.is_object() || !claims.contains("exp") || !claims["exp"].is_number())
    return fail(Errc::invalid_argument, "the token has no expiry (exp)");
  TokenClaims out;
  out.expires_at = claims["exp"].get<long long>();
  if (claims.contains("iat") && claims["iat"].is_number()) out.issued_at = claims["iat"].get<long long>();
  return out;
}

}  // namespace sft::oci
