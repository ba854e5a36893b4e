#include "core/ocf/params.h"

#include <algorithm>
#include <stdexcept>

#include "core/values.h"

namespace sft::ocf {
namespace {

// Builds the Result in place: GCC 12 with -fsanitize=address warns (falsely, and -Werror
// makes it fatal) that a temporary Value moved into the Result may be uninitialized.
template <class T>
Result<Params::Value> value(T v) {
  return Result<Params::Value>(std::in_place, std::in_place_type<T>, std::move(v));
}

Result<Params::Value> parse_value(const ParamSpec& p, const std::string& raw) {
  const auto bad = [&](std::string_view what) {
    return fail(Errc::configuration, "parameter '" + p.name + "': '" + raw + "' is not " + std::string(what));
  };
  switch (p.type) {
    case ParamType::string:
      return value(raw);
    case ParamType::integer: {
      auto v = parse_integer(raw);
      if (!v) return bad("an integer");
      return value(*v);
    }
    case ParamType::boolean: {
      auto v = parse_boolean(raw);
      if (!v) return bad("a boolean (true or false)");
      return value(*v);
    }
    case ParamType::time: {
      auto v = parse_duration(raw);
      if (!v) return bad("a time like 5s or 500ms");
      return value(*v);
    }
    case ParamType::select: {
      if (std::find(p.choices.begin(), p.choices.end(), raw) == p.choices.end()) {
        std::string list;
        for (const auto& c : p.choices) list += (list.empty() ? "" : ", ") + c;
        return bad("one of " + list);
      }
      return value(raw);
    }
  }
  return bad("valid");
}

}  // namespace

Result<Params> Params::parse(const AgentSpec& spec, const Environment& env, Mode mode) {
  Params params;
  for (const auto& p : spec.params) {
    const auto it = env.find("OCF_RESKEY_" + p.name);
    const bool given = it != env.end() && !it->second.empty();
    if (!given && p.required) return fail(Errc::configuration, "parameter '" + p.name + "' is required");
    params.m_given[p.name] = given;
    const std::string raw = given ? it->second : p.default_value;
    if (!given && raw.empty()) {
      // No value and no default: an empty string, or the type's zero.
      params.m_values[p.name] = p.type == ParamType::integer   ? Value{0LL}
                                : p.type == ParamType::boolean ? Value{false}
                                : p.type == ParamType::time    ? Value{std::chrono::milliseconds(0)}
                                                               : Value{std::string()};
      continue;
    }
    auto v = parse_value(p, raw);
    if (!v && mode == Mode::forgiving && !p.required && given) {
      params.m_warnings.push_back(v.error().message + "; using the default '" + p.default_value + "'");
      v = parse_value(p, p.default_value);
    }
    if (!v) return std::unexpected(v.error());
    params.m_values[p.name] = std::move(*v);
  }
  return params;
}

const Params::Value& Params::at(std::string_view name) const {
  const auto it = m_values.find(name);
  if (it == m_values.end()) throw std::logic_error("undeclared parameter " + std::string(name));
  return it->second;
}

bool Params::given_name(std::string_view name) const {
  const auto it = m_given.find(name);
  return it != m_given.end() && it->second;
}

Result<void> check_names(const AgentSpec& spec, const ParamNames& names) {
  for (const ParamNames::Use& use : names.uses()) {
    const ParamSpec* p = spec.find(use.name);
    if (p == nullptr)
      return fail(Errc::invalid_argument,
                  spec.name + " reads parameter '" + use.name + "', which its meta-data does not declare");
    const ValueKind declared = p->type == ParamType::integer   ? ValueKind::integer
                               : p->type == ParamType::boolean ? ValueKind::boolean
                               : p->type == ParamType::time    ? ValueKind::duration
                                                               : ValueKind::text;
    if (declared != use.kind)
      return fail(Errc::invalid_argument, spec.name + " reads parameter '" + use.name + "' as " +
                                              std::string(describe(use.kind)) + ", but its meta-data makes it " +
                                              std::string(describe(declared)));
  }
  return {};
}

const ParamSpec* AgentSpec::find(std::string_view param) const {
  for (const auto& p : params)
    if (p.name == param) return &p;
  return nullptr;
}

}  // namespace sft::ocf
