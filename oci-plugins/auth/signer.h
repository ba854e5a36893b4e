#pragma once
// OCI request signing: draft-cavage HTTP signatures, "version 1", rsa-sha256
// (docs.oracle.com, "Request Signatures"). sign() adds the headers OCI requires and
// the Authorization header; the request is then sent exactly as signed.

#include <ctime>
#include <string>
#include <vector>

#include "core/result.h"
#include "oci-plugins/base/crypto.h"
#include "oci-plugins/base/http.h"

namespace sft::oci {

// Which date header carries the time. The Python and Go SDKs send `date`, the
// TypeScript SDK `x-date` (a header proxies leave alone); OCI accepts both.
enum class DateHeader { date, x_date };

// The signed header names, in signing order:
//   GET/DELETE/HEAD:  date (request-target) host
//   POST/PUT/PATCH:   ... host content-length content-type x-content-sha256
// With DateHeader::x_date the names and order are the TypeScript SDK's:
//   x-date (request-target) host [content-type content-length x-content-sha256]
std::vector<std::string> signed_headers(std::string_view method, DateHeader style);

// The string that is signed: "name: value" lines joined by "\n", no trailing newline;
// "(request-target)" is the lower-case method, a space, and the target as sent.
// Errc::invalid_argument when a named header is missing from the request.
Result<std::string> signing_string(const HttpRequest& request, const std::vector<std::string>& names);

// RFC 7231 IMF-fixdate: "Thu, 05 Jan 2014 21:31:40 GMT".
std::string http_date(std::time_t t);

struct Signing {
  std::string key_id;  // "<tenancy>/<user>/<fingerprint>" or "ST$<token>"
  const PrivateKey* key = nullptr;
  std::time_t now = 0;  // the wall-clock time to state in the date header
  DateHeader style = DateHeader::date;
};

// Sets the date header (unless one is already present), host, and for body methods
// content-type (application/json unless set), content-length and x-content-sha256,
// then the Authorization header. Existing values of those headers are replaced,
// except a preset date and content-type.
Result<void> sign(HttpRequest& request, const Signing& signing);

}  // namespace sft::oci
