#pragma once
// Instance-principal tokens kept between processes. Each agent run is a new process;
// without a cache every monitor would federate again. One JSON file per identity,
// root-only: the directory 0700 and the file 0600, both owned by the caller; a file
// that is not is ignored (and replaced), never trusted.

#include <optional>
#include <string>

#include "core/result.h"
#include "core/sys/system.h"

namespace sft::oci {

struct CachedToken {
  std::string token;
  std::string session_key_pem;  // PKCS#8, unencrypted: why the file is 0600
  std::string tenancy;
  long long issued_at = 0;
  long long expires_at = 0;
};

// Still good at `now`: it expires more than the refresh margin later. The margin is
// 60 s, or a quarter of the token's life when that is shorter (short test tokens).
bool fresh(const CachedToken& t, long long now);

class TokenCache {
 public:
  // dir empty: no cache (load finds nothing, store does nothing).
  // owner: who the directory and files must belong to (this process's user).
  TokenCache(sys::System& os, std::string dir, uid_t owner) : m_os(os), m_dir(std::move(dir)), m_owner(owner) {}
  // The cached token for `identity` (an IMDS base URL, say), when present, well-formed,
  // safely owned, and fresh at the wall clock's now.
  std::optional<CachedToken> load(const std::string& identity);
  // Stores it (creating the directory 0700); failures are logged, not returned: a
  // cache that cannot be written only costs a federation call next time.
  void store(const std::string& identity, const CachedToken& token);
  void drop(const std::string& identity);
  std::string path_for(const std::string& identity) const;

 private:
  sys::System& m_os;
  std::string m_dir;
  uid_t m_owner;
};

// Where the cache lives for this user: /run/sft/oci for root, else
// $XDG_RUNTIME_DIR/sft/oci, else nowhere (empty).
std::string default_cache_dir(uid_t uid, const std::optional<std::string>& xdg_runtime_dir);

}  // namespace sft::oci
