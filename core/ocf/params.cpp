#include "core/ocf/params.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "core/text.h"

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
      auto v = parse_time(raw);
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

Environment read_environment(char** envp) {
  Environment env;
  for (char** e = envp; e != nullptr && *e != nullptr; ++e) {
    const std::string_view kv = *e;
    const auto eq = kv.find('=');
    if (eq != std::string_view::npos) env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

Result<bool> parse_boolean(std::string_view text) {
  const std::string t = to_lower(sft::trim(text));
  if (t == "yes" || t == "true" || t == "on" || t == "y" || t == "1") return true;
  if (t == "no" || t == "false" || t == "off" || t == "n" || t == "0") return false;
  return fail(Errc::configuration, "not a boolean: " + std::string(text));
}

Result<long long> parse_integer(std::string_view text) {
  const std::string t(sft::trim(text));
  long long v = 0;
  const char* end = t.data() + t.size();
  auto [ptr, ec] = std::from_chars(t.data(), end, v);
  if (t.empty() || ec != std::errc{} || ptr != end) return fail(Errc::configuration, "not an integer: " + t);
  return v;
}

Result<std::chrono::milliseconds> parse_time(std::string_view text) {
  const std::string t = to_lower(sft::trim(text));
  size_t digits = 0;
  while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
  if (digits == 0) return fail(Errc::configuration, "not a time: " + std::string(text));
  long long n = 0;
  // An out-of-range number leaves n untouched: without this check it would read as 0.
  if (std::from_chars(t.data(), t.data() + digits, n).ec != std::errc{})
    return fail(Errc::configuration, "not a time: " + std::string(text));
  const std::string unit(sft::trim(std::string_view(t).substr(digits)));
  static const std::map<std::string, long long, std::less<>> k_scale = {
      {"", 1000},     {"s", 1000},       {"sec", 1000}, {"ms", 1},       {"msec", 1},
      {"m", 60'000},  {"min", 60'000},   {"h", 3'600'000}, {"hr", 3'600'000}};
  const auto it = k_scale.find(unit);
  if (it == k_scale.end() || n > (1LL << 40)) return fail(Errc::configuration, "not a time: " + std::string(text));
  return std::chrono::milliseconds(n * it->second);
}

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

namespace {

// The promised std::logic_error (std::get's bad_variant_access is not one), naming the
// parameter, so a handler asking for the wrong type fails with a usable reason.
template <class T>
const T& typed(const Params::Value& v, std::string_view name, std::string_view type) {
  if (const T* p = std::get_if<T>(&v)) return *p;
  throw std::logic_error("parameter " + std::string(name) + " is not " + std::string(type));
}

}  // namespace

const std::string& Params::str(std::string_view name) const { return typed<std::string>(at(name), name, "a string"); }
long long Params::integer(std::string_view name) const { return typed<long long>(at(name), name, "an integer"); }
bool Params::boolean(std::string_view name) const { return typed<bool>(at(name), name, "a boolean"); }
std::chrono::milliseconds Params::duration(std::string_view name) const {
  return typed<std::chrono::milliseconds>(at(name), name, "a time");
}
bool Params::given(std::string_view name) const {
  const auto it = m_given.find(name);
  return it != m_given.end() && it->second;
}

const ParamSpec* AgentSpec::find(std::string_view param) const {
  for (const auto& p : params)
    if (p.name == param) return &p;
  return nullptr;
}

}  // namespace sft::ocf
