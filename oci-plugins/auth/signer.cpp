#include "oci-plugins/auth/signer.h"

#include "core/text.h"

namespace sft::oci {
namespace {

bool has_body(std::string_view method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

}  // namespace

std::vector<std::string> signed_headers(std::string_view method, DateHeader style) {
  std::vector<std::string> names{style == DateHeader::date ? "date" : "x-date", "(request-target)", "host"};
  if (has_body(method)) {
    if (style == DateHeader::date)
      names.insert(names.end(), {"content-length", "content-type", "x-content-sha256"});
    else
      names.insert(names.end(), {"content-type", "content-length", "x-content-sha256"});
  }
  return names;
}

Result<std::string> signing_string(const HttpRequest& request, const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += '\n';
    if (name == "(request-target)") {
      out += "(request-target): " + to_lower(request.method) + " " + request.url.target;
      continue;
    }
    const std::string* value = find_header(request.headers, name);
    if (value == nullptr) return fail(Errc::invalid_argument, "signing: the request has no " + name + " header");
    out += name + ": " + *value;
  }
  return out;
}

std::string http_date(std::time_t t) {
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[64];
  // strftime's %a/%b follow the C locale, which is what HTTP wants.
  strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

Result<void> sign(HttpRequest& request, const Signing& signing) {
  if (signing.key == nullptr) return fail(Errc::invalid_argument, "signing: no key");
  const char* date_name = signing.style == DateHeader::date ? "date" : "x-date";
  if (find_header(request.headers, date_name) == nullptr)
    set_header(request.headers, date_name, http_date(signing.now));
  set_header(request.headers, "host", request.url.authority());
  if (has_body(request.method)) {
    if (find_header(request.headers, "content-type") == nullptr)
      set_header(request.headers, "content-type", "application/json");
    set_header(request.headers, "content-length", std::to_string(request.body.size()));
    set_header(request.headers, "x-content-sha256", base64(sha256(request.body)));
  }
  std::vector<std::string> names = signed_headers(request.method, signing.style);
  Result<std::string> text = signing_string(request, names);
  if (!text) return std::unexpected(text.error());
  Result<std::string> signature = signing.key->sign_sha256(*text);
  if (!signature) return std::unexpected(signature.error());
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : " ") + n;
  set_header(request.headers, "authorization",
             "Signature version=\"1\",keyId=\"" + signing.key_id + "\",algorithm=\"rsa-sha256\",headers=\"" + list +
                 "\",signature=\"" + base64(*signature) + "\"");
  return {};
}

}  // namespace sft::oci
