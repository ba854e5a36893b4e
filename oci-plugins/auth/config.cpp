#include "oci-plugins/auth/config.h"

#include <sys/stat.h>

#include <cctype>
#include <vector>

#include "core/text.h"

namespace sft::oci {
namespace {

std::string expand_home(const std::string& path, std::string_view home) {
  if (path == "~") return std::string(home);
  if (path.starts_with("~/")) return std::string(home) + path.substr(1);
  return path;
}

// 16 bytes as lower-case hex pairs joined by ':'.
bool is_fingerprint(std::string_view s) {
  if (s.size() != 47) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool colon = i % 3 == 2;
    if (colon ? s[i] != ':'
              : !std::isxdigit(static_cast<unsigned char>(s[i])) || std::isupper(static_cast<unsigned char>(s[i])))
      return false;
  }
  return true;
}

using Section = std::map<std::string, std::string>;

struct Ini {
  std::map<std::string, Section> sections;
  std::string error;
};

Ini parse_ini(std::string_view text) {
  Ini ini;
  Section* current = nullptr;
  int number = 0;
  for (std::string_view raw : split(text, '\n')) {
    ++number;
    std::string line(trim(raw));
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        ini.error = "line " + std::to_string(number) + ": unclosed section header";
        return ini;
      }
      current = &ini.sections[std::string(trim(std::string_view(line).substr(1, line.size() - 2)))];
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string::npos) {
      ini.error = "line " + std::to_string(number) + ": expected key=value";
      return ini;
    }
    if (current == nullptr) {
      ini.error = "line " + std::to_string(number) + ": key=value before any [PROFILE] header";
      return ini;
    }
    (*current)[to_lower(trim(std::string_view(line).substr(0, eq)))] = trim(std::string_view(line).substr(eq + 1));
  }
  return ini;
}

}  // namespace

std::optional<AuthKind> parse_auth_kind(std::string_view text) {
  std::string t(text);
  for (char& c : t)
    if (c == '-') c = '_';
  if (t == "api_key") return AuthKind::api_key;
  if (t == "security_token") return AuthKind::security_token;
  if (t == "instance_principal") return AuthKind::instance_principal;
  return std::nullopt;
}

Result<void> check_auth_choice(AuthKind auth, bool names_a_config, std::string_view config_option,
                               std::string_view auth_option) {
  if (auth != AuthKind::instance_principal || !names_a_config) return {};
  return fail(Errc::configuration, std::string(config_option) + " names an OCI config file, but " +
                                       std::string(auth_option) +
                                       " is instance_principal, which reads none: set " + std::string(auth_option) +
                                       " to api_key or security_token to use the file, or leave " +
                                       std::string(config_option) + " unset");
}

std::string_view auth_kind_name(AuthKind kind) {
  switch (kind) {
    case AuthKind::api_key:
      return "api_key";
    case AuthKind::security_token:
      return "security_token";
    case AuthKind::instance_principal:
      return "instance_principal";
  }
  return "?";
}

Result<Profile> parse_config(std::string_view text, std::string_view path, std::string_view profile, AuthKind kind,
                             std::string_view home, std::string_view region_fallback) {
  const std::string where = std::string(path) + ", profile " + std::string(profile);
  Ini ini = parse_ini(text);
  if (!ini.error.empty()) return fail(Errc::configuration, std::string(path) + ": " + ini.error);
  auto found = ini.sections.find(std::string(profile));
  if (found == ini.sections.end())
    return fail(Errc::configuration, std::string(path) + ": no profile [" + std::string(profile) + "]");
  Section merged = found->second;
  if (auto d = ini.sections.find("DEFAULT"); d != ini.sections.end())
    for (const auto& [k, v] : d->second) merged.emplace(k, v);  // emplace keeps the profile's own value

  if (merged.contains("key_content"))
    return fail(Errc::configuration, where + ": key_content is not accepted; put the key in a file and set key_file");
  auto get = [&](const char* key) {
    auto it = merged.find(key);
    return it == merged.end() ? std::string() : it->second;
  };
  Profile p;
  p.name = std::string(profile);
  p.user = get("user");
  p.fingerprint = to_lower(get("fingerprint"));
  p.key_file = expand_home(get("key_file"), home);
  p.pass_phrase = get("pass_phrase");
  p.tenancy = get("tenancy");
  p.region = get("region");
  if (p.region.empty()) p.region = std::string(region_fallback);
  p.security_token_file = expand_home(get("security_token_file"), home);

  std::vector<const char*> required{"key_file", "region"};
  if (kind == AuthKind::api_key) required.insert(required.end(), {"user", "fingerprint", "tenancy"});
  if (kind == AuthKind::security_token) required.push_back("security_token_file");
  for (const char* key : required) {
    std::string_view key_sv(key);
    bool missing = key_sv == "region" ? p.region.empty() : get(key).empty();
    if (missing) return fail(Errc::configuration, where + ": " + std::string(key_sv) + " is missing");
  }
  if (kind == AuthKind::api_key && !is_fingerprint(p.fingerprint))
    return fail(Errc::configuration,
                where + ": fingerprint '" + p.fingerprint + "' is not 16 colon-separated hex bytes (aa:bb:...)");
  if (kind == AuthKind::api_key && !p.user.starts_with("ocid1."))
    return fail(Errc::configuration, where + ": user '" + p.user + "' is not an OCID");
  if (kind == AuthKind::api_key && !p.tenancy.starts_with("ocid1."))
    return fail(Errc::configuration, where + ": tenancy '" + p.tenancy + "' is not an OCID");
  return p;
}

std::string default_config_path(sys::System& os, const Environment& env) {
  if (auto it = env.find("OCI_CONFIG_FILE"); it != env.end() && !it->second.empty()) return it->second;
  auto h = env.find("HOME");
  std::string home = h == env.end() || h->second.empty() ? "/root" : h->second;
  for (const char* rel : {"/.oci/config", "/.oraclebmc/config"})
    if (os.stat(home + rel)) return home + rel;
  return home + "/.oci/config";
}

Result<Profile> load_profile(sys::System& os, const std::string& path, std::string_view profile, AuthKind kind,
                             const Environment& env) {
  Result<std::string> text = os.read_file(path);
  if (!text) return fail(Errc::configuration, "OCI config " + text.error().message);
  auto h = env.find("HOME");
  std::string home = h == env.end() || h->second.empty() ? "/root" : h->second;
  auto r = env.find("OCI_REGION");
  return parse_config(*text, path, profile, kind, home, r == env.end() ? std::string_view() : r->second);
}

Result<std::string> read_private_key_file(sys::System& os, const std::string& path) {
  Result<sys::FileStat> st = os.stat(path);
  if (!st) return fail(Errc::configuration, "key_file " + path + ": " + st.error().message);
  if ((st->mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st->mode & 07777));
    return fail(Errc::permission, "key_file " + path + ": permissions " + mode +
                                      " are too open (the group or others may read it); chmod 600 it");
  }
  Result<std::string> pem = os.read_file(path);
  if (!pem) return fail(Errc::configuration, "key_file " + pem.error().message);
  return pem;
}

}  // namespace sft::oci
