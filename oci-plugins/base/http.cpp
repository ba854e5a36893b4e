#include "oci-plugins/base/http.h"

#include <cctype>

#include "core/text.h"

namespace sft::oci {
namespace {

int default_port(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

}  // namespace

Result<Url> Url::parse(std::string_view text) {
  Url url;
  size_t sep = text.find("://");
  if (sep == std::string_view::npos)
    return fail(Errc::invalid_argument, "'" + std::string(text) + "': not a URL (no scheme://)");
  url.scheme = to_lower(text.substr(0, sep));
  if (url.scheme != "https" && url.scheme != "http")
    return fail(Errc::invalid_argument, "'" + std::string(text) + "': the scheme must be https or http");
  if (text.find('#') != std::string_view::npos)
    return fail(Errc::invalid_argument,
                "'" + std::string(text) + "': a #fragment is never sent, so it cannot be signed");
  std::string_view rest = text.substr(sep + 3);
  size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (url.target.front() == '?') url.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos)
    return fail(Errc::invalid_argument, "'" + std::string(text) + "': credentials in a URL are not accepted");
  std::string_view port;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail(Errc::invalid_argument, "'" + std::string(text) + "': unclosed [");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (after.starts_with(":"))
      port = after.substr(1);
    else if (!after.empty())
      return fail(Errc::invalid_argument, "'" + std::string(text) + "': junk after ]");
  } else {
    size_t colon = authority.find(':');
    if (colon != std::string_view::npos && authority.find(':', colon + 1) != std::string_view::npos)
      return fail(Errc::invalid_argument, "'" + std::string(text) + "': an IPv6 address needs [brackets]");
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return fail(Errc::invalid_argument, "'" + std::string(text) + "': no host");
  if (!port.empty() || authority.ends_with(":")) {
    long long n = 0;
    if (!parse_number(port, n) || n < 1 || n > 65535)
      return fail(Errc::invalid_argument, "'" + std::string(text) + "': bad port '" + std::string(port) + "'");
    url.port = static_cast<int>(n);
  }
  return url;
}

std::string Url::authority() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != 0 && port != default_port(scheme)) h += ":" + std::to_string(port);
  return h;
}

std::string Url::origin() const { return scheme + "://" + authority(); }

bool safe_for_credentials(const Url& url) {
  return url.scheme == "https" || url.host == "127.0.0.1" || url.host == "::1" || url.host == "localhost";
}

std::string url_encode(std::string_view value) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    out += out.empty() ? '?' : '&';
    out += name + "=" + url_encode(value);
  }
  return out;
}

const std::string* find_header(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (iequals(n, name)) return &v;
  return nullptr;
}

void set_header(Headers& headers, std::string name, std::string value) {
  for (auto& [n, v] : headers)
    if (iequals(n, name)) {
      v = std::move(value);
      return;
    }
  headers.emplace_back(std::move(name), std::move(value));
}

}  // namespace sft::oci
