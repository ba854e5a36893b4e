#include "oci-plugins/auth/curl_transport.h"

#include <curl/curl.h>


#include "core/sys/shared_library.h"

namespace sft::oci {
namespace {

// libcurl and the two dozen libraries it pulls in are opened on first use, so the
// actions that never reach the network (metadata, validate-all) load none of them.
struct Curl {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_reset) easy_reset = nullptr;
  decltype(&curl_easy_setopt) setopt = nullptr;
  decltype(&curl_easy_perform) perform = nullptr;
  decltype(&curl_easy_getinfo) getinfo = nullptr;
  decltype(&curl_easy_strerror) strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
  std::string error;  // why libcurl is not usable; empty when it is
};

const Curl& curl_api() {
  static const Curl api = [] {
    static sys::SharedLibrary lib({"libcurl.so.4", "libcurl-gnutls.so.4"});
    Curl c;
    for (auto r : {lib.bind(c.global_init, "curl_global_init"), lib.bind(c.easy_init, "curl_easy_init"),
                   lib.bind(c.easy_cleanup, "curl_easy_cleanup"), lib.bind(c.easy_reset, "curl_easy_reset"),
                   lib.bind(c.setopt, "curl_easy_setopt"), lib.bind(c.perform, "curl_easy_perform"),
                   lib.bind(c.getinfo, "curl_easy_getinfo"), lib.bind(c.strerror, "curl_easy_strerror"),
                   lib.bind(c.slist_append, "curl_slist_append"), lib.bind(c.slist_free_all, "curl_slist_free_all")})
      if (!r && c.error.empty()) c.error = r.error().message;
    if (c.error.empty()) c.global_init(CURL_GLOBAL_DEFAULT);
    return c;
  }();
  return api;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// Header lines arrive one per call; a new status line (after a 100 Continue or a
// proxy's CONNECT answer) starts a fresh set.
size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<Headers*>(user);
  std::string_view line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    headers->clear();
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * n;
}

}  // namespace

CurlTransport::CurlTransport(std::string ca_bundle) : m_ca_bundle(std::move(ca_bundle)) {
  if (curl_api().error.empty()) m_handle = curl_api().easy_init();
}

CurlTransport::~CurlTransport() {
  if (m_handle != nullptr) curl_api().easy_cleanup(static_cast<CURL*>(m_handle));
}

Result<HttpResponse> CurlTransport::send(const HttpRequest& request, const sys::Deadline& deadline) {
  const Curl& api = curl_api();
  if (!api.error.empty()) return fail(Errc::not_installed, "libcurl: " + api.error);
  auto* curl = static_cast<CURL*>(m_handle);
  if (curl == nullptr) return fail(Errc::generic, "libcurl: could not make a handle");
  const long remaining = static_cast<long>(deadline.remaining().count());
  const std::string url = request.url.str();
  if (remaining <= 0) return fail(Errc::timeout, request.method + " " + url + ": no time left");

  api.easy_reset(curl);  // keeps the connection cache, drops the last request's options
  HttpResponse response;
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) headers = api.slist_append(headers, (name + ": " + value).c_str());
  headers = api.slist_append(headers, "Expect:");  // no 100-continue round trip
  api.setopt(curl, CURLOPT_URL, url.c_str());
  api.setopt(curl, CURLOPT_HTTPHEADER, headers);
  api.setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") api.setopt(curl, CURLOPT_NOBODY, 1L);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    api.setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    api.setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  }
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85: the string form; the bitmask is deprecated
  api.setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
#else
  api.setopt(curl, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTPS | CURLPROTO_HTTP));
#endif
  // The target goes out as signed: no "/../" folding.
  api.setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  // Instance metadata is link-local: never through a proxy from the environment.
  if (request.url.host == "169.254.169.254" || request.url.host == "fd00:c1::a9fe:a9fe")
    api.setopt(curl, CURLOPT_PROXY, "");
  api.setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  api.setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!m_ca_bundle.empty()) api.setopt(curl, CURLOPT_CAINFO, m_ca_bundle.c_str());
  api.setopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.setopt(curl, CURLOPT_TIMEOUT_MS, remaining);
  api.setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, remaining);
  api.setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  api.setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  api.setopt(curl, CURLOPT_WRITEDATA, &response.body);
  api.setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  api.setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  char error[CURL_ERROR_SIZE] = "";
  api.setopt(curl, CURLOPT_ERRORBUFFER, error);

  CURLcode rc = api.perform(curl);
  api.slist_free_all(headers);
  if (rc != CURLE_OK) {
    std::string why = error[0] != '\0' ? error : api.strerror(rc);
    // An untrusted certificate stays untrusted: no retry, and say what to change.
    if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
      return fail(Errc::configuration,
                  request.method + " " + url + ": " + why +
                      " (TLS verification is always on; a private CA goes in the CA bundle option)");
    return fail(rc == CURLE_OPERATION_TIMEDOUT ? Errc::timeout : Errc::generic,
                request.method + " " + url + ": " + why);
  }
  long status = 0;
  api.getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace sft::oci
