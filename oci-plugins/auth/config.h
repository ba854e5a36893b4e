#pragma once
// The OCI CLI/SDK configuration file (~/.oci/config): INI sections, one per profile,
// DEFAULT's keys inherited by every other profile.

#include <map>
#include <optional>
#include <string>

#include "core/env.h"
#include "core/result.h"
#include "core/sys/system.h"

namespace sft::oci {

struct Profile {
  std::string name;
  std::string user;
  std::string fingerprint;
  std::string key_file;  // "~/" expanded
  std::string pass_phrase;
  std::string tenancy;
  std::string region;
  std::string security_token_file;  // "~/" expanded; empty when not session auth
};

enum class AuthKind { api_key, security_token, instance_principal };

// "api_key" | "security_token" | "instance_principal" (also with '-').
std::optional<AuthKind> parse_auth_kind(std::string_view text);
std::string_view auth_kind_name(AuthKind kind);

// The profile read when none is named.
inline constexpr const char* k_default_profile = "DEFAULT";

// Instance principals read no config file: a config file or profile named with them
// would be ignored without a word, and the first API call fail far from the cause.
// Errc::configuration with one line naming both options as the caller spells them
// (`config_option` "config_file" or "--config-file", `auth_option` "auth" or "--auth").
Result<void> check_auth_choice(AuthKind auth, bool names_a_config, std::string_view config_option,
                               std::string_view auth_option);

// Parses the file text and picks `profile` (DEFAULT's keys inherited). Keys are
// case-insensitive, '#' and ';' start comments, values are trimmed. Checks what the
// auth kind needs: user, fingerprint (aa:bb:... 16 bytes of lower-case hex), key_file,
// tenancy for api_key; key_file and security_token_file for security_token; region
// for both (or `region_fallback`, from OCI_REGION). key_content is refused (a key
// belongs in a file with permissions). Errc::configuration, one line naming the
// file, the profile and the key.
Result<Profile> parse_config(std::string_view text, std::string_view path, std::string_view profile, AuthKind kind,
                             std::string_view home, std::string_view region_fallback = {});

// Where the file is when none is given: $OCI_CONFIG_FILE, else ~/.oci/config, else
// ~/.oraclebmc/config (the first that exists; ~/.oci/config when none does).
std::string default_config_path(sys::System& os, const Environment& env);

// Reads and parses the file. Errc::configuration when it does not exist or cannot
// be read, naming the path.
Result<Profile> load_profile(sys::System& os, const std::string& path, std::string_view profile, AuthKind kind,
                             const Environment& env);

// Reads a PEM private key file, refusing (Errc::permission) one that the group or
// others may read, as ssh does, and one that does not exist (Errc::configuration).
Result<std::string> read_private_key_file(sys::System& os, const std::string& path);

}  // namespace sft::oci
