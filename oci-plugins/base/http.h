#pragma once
// HTTP as the OCI client sees it: a request and response as plain values, and the
// Transport seam that sends one (CurlTransport for real, a fake in unit tests).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/sys/deadline.h"

namespace sft::oci {

// "https://host[:port]/path?query", split. The target (path?query) is kept exactly
// as given: it is what gets signed and what goes on the wire.
struct Url {
  std::string scheme;  // "https" or "http"
  std::string host;    // without brackets for IPv6 literals
  int port = 0;        // 0: the scheme's default
  std::string target;  // "/20160918/instances?compartmentId=..."; "/" when empty

  // Errc::invalid_argument naming what is wrong: no scheme, an unknown scheme, an
  // empty host, a bad port.
  static Result<Url> parse(std::string_view text);
  // host, plus ":port" only when the port is not the scheme's default (the Host header).
  std::string authority() const;
  // scheme://authority (no target).
  std::string origin() const;
  std::string str() const { return origin() + target; }
};

// Signed requests (and tokens above all) go over https, or over http only to this
// machine (loopback: tests).
bool safe_for_credentials(const Url& url);

// Percent-encodes a query value (RFC 3986 unreserved characters stay).
std::string url_encode(std::string_view value);
// "?a=1&b=x%20y" from pairs in the order given; empty values are left out.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& params);

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup; nullptr when absent.
const std::string* find_header(const Headers& headers, std::string_view name);
// Replaces (case-insensitively) or appends.
void set_header(Headers& headers, std::string name, std::string value);

struct HttpRequest {
  std::string method;  // upper case: GET, POST, PUT, PATCH, DELETE, HEAD
  Url url;
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names as the server sent them
  std::string body;
  const std::string* header(std::string_view name) const { return find_header(headers, name); }
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one request and returns whatever status came back. A failure to get an
  // answer at all (DNS, connect, TLS, reset, deadline) is an Error: Errc::timeout at
  // the deadline, Errc::generic otherwise, naming the host and curl's reason.
  virtual Result<HttpResponse> send(const HttpRequest& request, const sys::Deadline& deadline) = 0;
};

}  // namespace sft::oci
