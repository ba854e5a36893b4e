#include "oci-plugins/base/json_fields.h"

namespace sft::oci {

using nlohmann::json;

Fields::Fields(const json& j, std::string type) : m_j(j), m_type(std::move(type)) {
  if (!j.is_object()) m_problem = "not a JSON object";
}

std::string Fields::text(const char* key, bool required) {
  const json* v = find(key, required);
  if (v == nullptr) return {};
  if (v->is_string()) return v->get<std::string>();
  note(std::string("field ") + key + " is not a string");
  return {};
}

std::optional<std::string> Fields::maybe_text(const char* key) {
  if (find(key, false) == nullptr) return std::nullopt;
  return text(key);
}

int Fields::integer(const char* key, bool required) {
  const json* v = find(key, required);
  if (v == nullptr) return 0;
  if (v->is_number_integer()) return v->get<int>();
  note(std::string("field ") + key + " is not an integer");
  return 0;
}

bool Fields::flag(const char* key, bool required) {
  const json* v = find(key, required);
  if (v == nullptr) return false;
  if (v->is_boolean()) return v->get<bool>();
  note(std::string("field ") + key + " is not a boolean");
  return false;
}

Result<void> Fields::check() const {
  if (m_problem.empty()) return {};
  return fail(Errc::generic, m_type + ": " + m_problem);
}

const json* Fields::find(const char* key, bool required) {
  if (!m_j.is_object()) return nullptr;
  auto it = m_j.find(key);
  if (it != m_j.end() && !it->is_null()) return &*it;
  if (required) note(std::string("missing required field ") + key);
  return nullptr;
}

// Only the first problem is kept: it is the one a reader of the error can act on.
void Fields::note(std::string problem) {
  if (m_problem.empty()) m_problem = std::move(problem);
}

Error bad_body(const Error& e, const std::string& operation, const HttpResponse& response) {
  const std::string* id = response.header("opc-request-id");
  return Error{e.code, operation + ": " + e.message + " (opc-request-id " + (id ? *id : std::string("none")) + ")"};
}

}  // namespace sft::oci
