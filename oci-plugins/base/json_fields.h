#pragma once
// Reading OCI's JSON answers into structs: the fields of one object, the items of a
// list, and the error for a 2xx answer whose body is not what OCI documents.
//
//   Fields f(j, "Vnic");
//   v.id = f.text("id", k_required);
//   v.is_primary = f.flag("isPrimary");
//   return f.checked(std::move(v));  // Errc::generic "Vnic: missing required field id"
//
// Fields reads straight through and keeps the first problem it meets, so a parser
// checks once, at the end:
//   - null counts as absent: OCI sends both for "no value";
//   - an absent field reads as the empty value ("", 0, false, nullopt); a required
//     one also records "missing required field <key>";
//   - a field of another type reads as the empty value and records "field <key> is
//     not a string" (an integer, a boolean);
//   - a value that is not an object reads every field as absent and records "not a
//     JSON object".
// A reader that never calls check() gets a lenient reading: a field of the wrong
// type is as good as absent. Fields refers to the JSON it reads, which must outlive
// it; nothing here throws or changes anything.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "oci-plugins/base/http.h"

namespace sft::oci {

// Reads better than a bare `true`: f.text("id", k_required).
inline constexpr bool k_required = true;

class Fields {
 public:
  // `type` names the object in the error: "Instance", "PrivateIp".
  Fields(const nlohmann::json& j, std::string type);

  std::string text(const char* key, bool required = false);
  // nullopt when absent; a field that is there but not a string is a problem.
  std::optional<std::string> maybe_text(const char* key);
  int integer(const char* key, bool required = false);
  bool flag(const char* key, bool required = false);

  // Errc::generic "<type>: <first problem>", or success when there was none.
  Result<void> check() const;
  // `value` when check() succeeds, else its error.
  template <class T>
  Result<T> checked(T value) const {
    if (Result<void> ok = check(); !ok) return std::unexpected(ok.error());
    return value;
  }

 private:
  const nlohmann::json* find(const char* key, bool required);
  void note(std::string problem);

  const nlohmann::json& m_j;
  std::string m_type;
  std::string m_problem;
};

// Each item of the JSON array `items` parsed in order. The first item that does not
// parse fails the whole, keeping its kind: "item 3: Vnic: missing required field id".
template <class T>
Result<std::vector<T>> parse_each(const nlohmann::json& items, Result<T> (*parse)(const nlohmann::json&)) {
  std::vector<T> out;
  for (const nlohmann::json& item : items) {
    Result<T> value = parse(item);
    if (!value) return std::unexpected(with_context(value.error(), "item " + std::to_string(out.size())));
    out.push_back(std::move(*value));
  }
  return out;
}

// The error for a 2xx answer to `operation` whose body `e` says is not what OCI
// documents, keeping its kind and naming the request for OCI support:
//   "GetVnic ocid1.vnic...: Vnic: missing required field id (opc-request-id ABC/DEF)"
// ("opc-request-id none" when the answer carried none).
Error bad_body(const Error& e, const std::string& operation, const HttpResponse& response);

// parse(body), failing with bad_body() when the body does not parse.
template <class T>
Result<T> parse_body(const nlohmann::json& body, Result<T> (*parse)(const nlohmann::json&),
                     const std::string& operation, const HttpResponse& response) {
  Result<T> value = parse(body);
  if (!value) return std::unexpected(bad_body(value.error(), operation, response));
  return value;
}

}  // namespace sft::oci
