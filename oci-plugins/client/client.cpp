#include "oci-plugins/client/client.h"

#include <random>

#include "core/log/log.h"

namespace sft::oci {
namespace {

bool is_success(int status) { return status >= 200 && status < 300; }

Errc errc_for(int status) {
  switch (status) {
    case 400:
      return Errc::invalid_argument;
    case 401:
    case 404:
      return Errc::permission;
    case 409:
    case 412:
      return Errc::busy;
    default:
      return Errc::generic;
  }
}

std::function<double()> default_unit() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

}  // namespace

std::string user_agent() { return std::string("sft/") + SFT_VERSION; }

ApiStatus api_status(const HttpResponse& response) {
  ApiStatus s;
  s.status = response.status;
  if (const std::string* id = response.header("opc-request-id")) s.request_id = *id;
  json body = json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    if (body.contains("code") && body["code"].is_string()) s.code = body["code"].get<std::string>();
    if (body.contains("message") && body["message"].is_string()) s.message = body["message"].get<std::string>();
  }
  return s;
}

std::string describe(const ApiStatus& s) {
  std::string out = "HTTP " + std::to_string(s.status);
  if (!s.code.empty()) out += " " + s.code;
  if (!s.message.empty()) out += ": " + s.message;
  out += " (opc-request-id " + (s.request_id.empty() ? std::string("none") : s.request_id) + ")";
  return out;
}

Client::Client(Transport& transport, AuthProvider& auth, Endpoints endpoints, sys::System& os, RetryPolicy retry)
    : m_transport(transport),
      m_auth(auth),
      m_endpoints(std::move(endpoints)),
      m_os(os),
      m_retry(retry),
      m_unit(default_unit()) {}

Result<HttpResponse> Client::attempt(HttpRequest request, const Credentials& creds, const sys::Deadline& d) {
  set_header(request.headers, "user-agent", user_agent());
  set_header(request.headers, "accept", "application/json");
  // A fresh date on every attempt: a retry after a long back-off must not look stale.
  if (m_style == DateHeader::date)
    set_header(request.headers, "date", http_date(m_os.wall_time()));
  else
    set_header(request.headers, "x-date", http_date(m_os.wall_time()));
  if (Result<void> s = sign(request, Signing{creds.key_id, creds.key, m_os.wall_time(), m_style}); !s)
    return std::unexpected(s.error());
  // One attempt may not eat the whole budget, so a hung connection leaves time to retry.
  Result<HttpResponse> r = m_transport.send(request, d.slice(0.5, sys::Millis(5000)));
  if (r) {
    const std::string* id = r->header("opc-request-id");
    log::debug(request.method + " " + request.url.str() + ": HTTP " + std::to_string(r->status) + " (opc-request-id " +
               (id ? *id : std::string("none")) + ")");
  }
  return r;
}

Result<HttpResponse> Client::send(HttpRequest request, const sys::Deadline& d) {
  if (!safe_for_credentials(request.url))
    return fail(Errc::configuration, request.url.str() + ": a signed request goes over https only");
  if (request.method == "POST" && find_header(request.headers, "opc-retry-token") == nullptr)
    set_header(request.headers, "opc-retry-token", random_token(30));
  std::optional<HttpResponse> last;
  Error last_error{Errc::timeout, "no attempt was made before the deadline"};
  bool renewed = false;
  m_attempts = 0;
  m_out_of_time = false;
  m_maybe_applied = false;
  for (int failures = 0;;) {
    // Credentials retry on their own terms (federation has its own attempts): a
    // failure here is final for this call.
    Result<Credentials> creds = m_auth.credentials(d);
    if (!creds) return std::unexpected(creds.error());
    Result<HttpResponse> r = attempt(request, *creds, d);
    if (r) {
      if (r->status == 401 && !renewed && m_auth.invalidate()) {
        renewed = true;  // stale credentials: renew once, straight away
        log::info(request.method + " " + request.url.str() + ": 401, renewing credentials");
        continue;
      }
      // Only a failure's body is read here (for a 409's code); success goes back unparsed.
      if (is_success(r->status)) return r;
      ApiStatus s = api_status(*r);
      if (!retryable(r->status, s.code)) return r;
      log::info(request.method + " " + request.url.str() + ": " + describe(s) + ", will retry");
      if (r->status >= 500) m_maybe_applied = true;
      last = std::move(*r);
    } else {
      if (r.error().code == Errc::permission || r.error().code == Errc::configuration) return r;
      log::info(request.method + " " + request.url.str() + ": " + r.error().message + ", will retry");
      // The request may have reached OCI before the connection failed; the last
      // answer, if any, is older than this failure and no longer the news.
      m_maybe_applied = true;
      last_error = r.error();
      last.reset();
    }
    ++failures;
    m_attempts = failures;
    if (failures >= m_retry.max_attempts) break;
    Millis wait = backoff(m_retry, failures, m_unit());
    if (last && last->status == 429)
      if (const std::string* after = last->header("retry-after"))
        if (auto ra = parse_retry_after(*after, m_os.wall_time()))
          wait = std::max(wait, std::min(*ra, m_retry.max_delay));
    // Waiting only to run out of time mid-attempt helps nobody: stop now and say so.
    if (wait >= d.remaining()) {
      m_out_of_time = true;
      break;
    }
    d.sleep_for(wait);
  }
  if (last) return *last;
  // Stopped by the time left (or at the deadline itself): a timeout, whatever failed last.
  if ((m_out_of_time || d.expired()) && last_error.code != Errc::timeout)
    return fail(Errc::timeout, last_error.message + " (still failing when the time ran out)");
  return std::unexpected(last_error);
}

Result<json> Client::call(const Call& c, const sys::Deadline& d, HttpResponse* response) {
  m_last = ApiStatus{};
  Result<std::string> base = m_endpoints.base(c.service);
  if (!base) return std::unexpected(with_context(base.error(), c.operation));
  Result<Url> url = Url::parse(*base + c.path);
  if (!url) return std::unexpected(with_context(url.error(), c.operation));
  HttpRequest request{c.method, *url, {}, c.body ? c.body->dump() : std::string()};
  if (!c.if_match.empty()) set_header(request.headers, "if-match", c.if_match);
  Result<HttpResponse> r = send(std::move(request), d);
  if (!r) return std::unexpected(with_context(r.error(), c.operation));
  if (response != nullptr) *response = *r;
  if (!is_success(r->status)) {
    m_last = api_status(*r);
    Errc code = errc_for(r->status);
    std::string line = c.operation + ": " + describe(m_last);
    if (retryable(r->status, m_last.code)) {
      code = m_out_of_time ? Errc::timeout : Errc::generic;
      line += m_out_of_time ? "; still failing when the time ran out"
                            : "; still failing after " + std::to_string(m_attempts) + " attempts";
    }
    return fail(code, line);
  }
  if (r->body.empty()) return json();
  json body = json::parse(r->body, nullptr, false);
  if (body.is_discarded()) {
    const std::string* id = r->header("opc-request-id");
    return fail(Errc::generic,
                c.operation + ": the response is not JSON (opc-request-id " + (id ? *id : std::string("none")) + ")");
  }
  return body;
}

Result<json> Client::list_all(Call c, const sys::Deadline& d) {
  json all = json::array();
  const std::string first = c.path;
  for (int page = 0; page < 10000; ++page) {
    HttpResponse response;
    Result<json> items = call(c, d, &response);
    if (!items) return items;
    if (!items->is_array()) return fail(Errc::generic, c.operation + ": expected a JSON array");
    for (auto& item : *items) all.push_back(std::move(item));
    const std::string* next = response.header("opc-next-page");
    if (next == nullptr || next->empty()) return all;
    c.path = first + (first.find('?') == std::string::npos ? "?" : "&") + "page=" + url_encode(*next);
  }
  return fail(Errc::generic, c.operation + ": more than 10000 pages");
}

}  // namespace sft::oci
