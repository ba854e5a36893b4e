#pragma once
// One OCI REST client: signs every request, sends it through a Transport, retries
// what is worth retrying within the caller's deadline, renews credentials once on a
// 401, and turns failures into one line with everything an admin needs:
//   "GetInstance ocid1.instance...: HTTP 404 NotAuthorizedOrNotFound: <message>
//    (opc-request-id ABC/DEF)"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"
#include "core/sys/deadline.h"
#include "core/sys/system.h"
#include "oci-plugins/auth/auth.h"
#include "oci-plugins/auth/endpoints.h"
#include "oci-plugins/base/http.h"
#include "oci-plugins/base/retry.h"
#include "oci-plugins/auth/signer.h"

namespace sft::oci {

using nlohmann::json;

struct Call {
  std::string operation;  // "GetInstance": names the call in errors and logs
  std::string method = "GET";
  Service service = Service::core;
  std::string path;  // below the service's version path, query included: "/instances/ocid1..."
  std::optional<json> body{};
  std::string if_match{};  // etag for If-Match, when the write must not overwrite a change
  // POSTs get an opc-retry-token (one per call, the same on every attempt), so a retried
  // POST whose first attempt did reach OCI is not done twice.
};

// The last answer of a call that did not succeed, for callers that branch on it.
struct ApiStatus {
  int status = 0;    // 0: no HTTP answer at all
  std::string code;  // OCI's error code ("NotAuthorizedOrNotFound")
  std::string message;
  std::string request_id;
};

class Client {
 public:
  Client(Transport& transport, AuthProvider& auth, Endpoints endpoints, sys::System& os, RetryPolicy retry = {});

  // Signs and sends, retrying per RetryPolicy until a final answer or the deadline;
  // returns the last response whatever its status. Refuses (Errc::configuration) to
  // send credentials over plain http, except to this machine. A failure to get
  // credentials is returned at once (the provider has retried already). Errc::timeout when the deadline
  // passes with no answer to return, Errc::generic on a transport failure that
  // persisted through the retries.
  Result<HttpResponse> send(HttpRequest request, const sys::Deadline& d);
  // An OCI call: send(), then a 2xx body parsed as JSON (null when empty). Other
  // statuses become an Error (see the top of this file); status() then tells the
  // details. 401 -> Errc::permission, 404 -> Errc::permission (OCI does not say which
  // of "missing" and "not allowed" it is), 400 -> Errc::invalid_argument, 409/412 ->
  // Errc::busy; a retryable status still failing when the deadline came -> Errc::timeout,
  // when the attempts ran out first -> generic (both say which); else generic.
  Result<json> call(const Call& call, const sys::Deadline& d, HttpResponse* response = nullptr);
  // A list call over every page (opc-next-page -> page=), the arrays concatenated.
  Result<json> list_all(Call call, const sys::Deadline& d);

  const ApiStatus& last_status() const { return m_last; }
  // The last send() retried after an attempt that may have been carried out (a 5xx or
  // a lost connection): a DELETE answered 404, or a REQUIRE that no longer holds,
  // may be the first attempt's own doing.
  bool maybe_applied() const { return m_maybe_applied; }
  const Endpoints& endpoints() const { return m_endpoints; }
  void set_date_style(DateHeader style) { m_style = style; }
  // For tests: the source of jitter (numbers in [0, 1)).
  void set_random(std::function<double()> unit) { m_unit = std::move(unit); }

 private:
  Result<HttpResponse> attempt(HttpRequest request, const Credentials& creds, const sys::Deadline& d);
  Transport& m_transport;
  AuthProvider& m_auth;
  Endpoints m_endpoints;
  sys::System& m_os;
  RetryPolicy m_retry;
  DateHeader m_style = DateHeader::date;
  std::function<double()> m_unit;
  ApiStatus m_last;
  int m_attempts = 0;          // failed attempts of the last send()
  bool m_out_of_time = false;  // the last send() stopped because the deadline was near
  bool m_maybe_applied = false;
};

// The user agent every request carries: "sft/<version>".
std::string user_agent();

// "HTTP 404 NotAuthorizedOrNotFound: message (opc-request-id X)" from a response.
ApiStatus api_status(const HttpResponse& response);
std::string describe(const ApiStatus& s);

}  // namespace sft::oci
