#include "oci-plugins/auth/token_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/log/log.h"
#include "oci-plugins/base/crypto.h"

namespace sft::oci {
namespace {

using nlohmann::json;

// The directory or file is ours alone: owned by us, nobody else may read or write.
bool private_to(sys::System& os, const std::string& path, uid_t owner) {
  Result<sys::FileStat> st = os.stat(path);
  return st && st->uid == owner && (st->mode & (S_IRWXG | S_IRWXO)) == 0;
}

}  // namespace

bool fresh(const CachedToken& t, long long now) {
  long long life = t.issued_at > 0 ? t.expires_at - t.issued_at : 240;
  long long margin = std::min(60LL, std::max(1LL, life / 4));
  return !t.token.empty() && now < t.expires_at - margin;
}

std::string default_cache_dir(uid_t uid, const std::optional<std::string>& xdg_runtime_dir) {
  if (uid == 0) return "/run/sft/oci";
  if (xdg_runtime_dir && xdg_runtime_dir->starts_with('/')) return *xdg_runtime_dir + "/sft/oci";
  return {};
}

std::string TokenCache::path_for(const std::string& identity) const {
  // The identity may be any text; a hash makes it a safe file name.
  std::string h = base64(sha256(identity)).substr(0, 16);
  for (char& c : h)
    if (c == '/')
      c = '_';
    else if (c == '+')
      c = '-';
  return m_dir + "/token-" + h + ".json";
}

std::optional<CachedToken> TokenCache::load(const std::string& identity) {
  if (m_dir.empty()) return std::nullopt;
  const std::string path = path_for(identity);
  if (!m_os.stat(path)) return std::nullopt;
  if (!private_to(m_os, m_dir, m_owner) || !private_to(m_os, path, m_owner)) {
    log::warning("token cache " + path + ": not private to this user; ignoring it");
    return std::nullopt;
  }
  Result<std::string> text = m_os.read_file(path);
  if (!text) return std::nullopt;
  json j = json::parse(*text, nullptr, false);
  // A file of the wrong shape is not ours to trust (and must not throw): ignore it.
  if (!j.is_object()) return std::nullopt;
  for (const char* key : {"identity", "token", "session_key", "tenancy"})
    if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  for (const char* key : {"iat", "exp"})
    if (!j.contains(key) || !j[key].is_number_integer()) return std::nullopt;
  auto text_of = [&](const char* key) { return j[key].get<std::string>(); };
  auto number_of = [&](const char* key) { return j[key].get<long long>(); };
  if (text_of("identity") != identity) return std::nullopt;
  CachedToken t{text_of("token"), text_of("session_key"), text_of("tenancy"), number_of("iat"), number_of("exp")};
  if (!fresh(t, m_os.wall_time()) || t.session_key_pem.empty()) return std::nullopt;
  return t;
}

void TokenCache::store(const std::string& identity, const CachedToken& t) {
  if (m_dir.empty()) return;
  if (Result<void> made = m_os.make_dirs(m_dir, 0700); !made) {
    log::warning("token cache: " + made.error().message);
    return;
  }
  if (!private_to(m_os, m_dir, m_owner)) {
    log::warning("token cache " + m_dir + ": not private to this user (mode 0700, owned by us); not caching");
    return;
  }
  json j{{"identity", identity}, {"token", t.token},   {"session_key", t.session_key_pem},
         {"tenancy", t.tenancy}, {"iat", t.issued_at}, {"exp", t.expires_at}};
  if (Result<void> w = m_os.write_file(path_for(identity), j.dump(), 0600); !w)
    log::warning("token cache: " + w.error().message);
}

void TokenCache::drop(const std::string& identity) {
  if (!m_dir.empty()) (void)m_os.remove_file(path_for(identity));
}

}  // namespace sft::oci
