// sft oci raw-request: one signed request to any OCI endpoint, like the OCI CLI's.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "tools/sft/oci_command.h"

namespace sft::tool {
namespace {

constexpr const char* k_name = "raw-request";

int usage_error(const std::string& why) {
  std::fprintf(stderr, "sft oci %s: %s\n", k_name, why.c_str());
  return k_exit_usage;
}

}  // namespace

int raw_request(const Args& args, sys::System& os, const Environment& env) {
  std::string method = args.get("http-method");
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (method.empty()) return usage_error("--http-method is required");
  if (method != "GET" && method != "POST" && method != "PUT" && method != "PATCH" && method != "DELETE" &&
      method != "HEAD")
    return usage_error("--http-method '" + args.get("http-method") +
                       "': expected GET, POST, PUT, PATCH, DELETE or HEAD");
  if (!args.has("target-uri")) return usage_error("--target-uri is required");
  Result<oci::Url> url = oci::Url::parse(args.get("target-uri"));
  if (!url) return usage_error("--target-uri " + url.error().message);

  std::string body;
  if (args.has("request-body")) {
    body = args.get("request-body");
    if (body.starts_with("file://")) {
      Result<std::string> text = os.read_file(body.substr(7));
      if (!text) return usage_error("--request-body " + text.error().message);
      body = std::move(*text);
    }
    if (nlohmann::json::parse(body, nullptr, false).is_discarded()) return usage_error("--request-body is not JSON");
    if (method == "GET" || method == "HEAD" || method == "DELETE")
      return usage_error("--request-body is not allowed with " + method);
  }
  Result<sys::Millis> timeout = command_timeout(args);
  if (!timeout) return usage_error(timeout.error().message);
  sys::Deadline d(os, *timeout);

  int code = k_exit_ok;
  Result<oci::Session> session = open_or_report(args, os, env, d, k_name, code);
  if (!session) return code;
  oci::HttpRequest request{method, *url, {}, body};
  Result<oci::HttpResponse> response = session->client->send(request, d);
  if (!response) {
    std::fprintf(stderr, "sft oci %s: %s\n", k_name, response.error().message.c_str());
    return exit_code_for(response.error());
  }
  if (!response->body.empty()) {
    std::fwrite(response->body.data(), 1, response->body.size(), stdout);
    if (response->body.back() != '\n') std::fputc('\n', stdout);
  }
  if (response->status < 200 || response->status >= 300) {
    std::fprintf(stderr, "sft oci %s: %s %s: %s\n", k_name, method.c_str(), url->str().c_str(),
                 oci::describe(oci::api_status(*response)).c_str());
    return k_exit_failed;
  }
  return k_exit_ok;
}

}  // namespace sft::tool
