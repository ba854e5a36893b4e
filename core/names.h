#pragma once
// Typed names for the values a program reads by name: an agent's parameters, a fence
// agent's options. Each is declared once as a handle whose type is its value's, and
// registers itself, so one check before any action compares every name the code reads
// with what the program declares: a misspelt name cannot quietly read a default.
//
//   struct ParamDomain;                                  // keeps parameters and options apart
//   NameRegistry<ParamDomain>& names();
//   inline const Named<std::string, ParamDomain> device{names(), "device"};

#include <chrono>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace sft {

// What a value is in C++: text (a string or a choice), an integer, a boolean, a duration.
enum class ValueKind { text, integer, boolean, duration };

template <class T>
constexpr ValueKind value_kind() {
  if constexpr (std::is_same_v<T, std::string>) return ValueKind::text;
  else if constexpr (std::is_same_v<T, long long>) return ValueKind::integer;
  else if constexpr (std::is_same_v<T, bool>) return ValueKind::boolean;
  else {
    static_assert(std::is_same_v<T, std::chrono::milliseconds>, "a value is text, long long, bool or milliseconds");
    return ValueKind::duration;
  }
}

// "text", "an integer", "a boolean", "a time": for the line a mismatch gets.
std::string_view describe(ValueKind kind);

// Every name the code of one program reads, in one domain, as its handles register.
template <class Domain>
class NameRegistry {
 public:
  struct Use {
    std::string name;
    ValueKind kind;
  };
  void add(Use use) { m_uses.push_back(std::move(use)); }
  const std::vector<Use>& uses() const { return m_uses; }

 private:
  std::vector<Use> m_uses;
};

// One name, read as a T.
template <class T, class Domain>
class Named {
 public:
  Named(NameRegistry<Domain>& registry, std::string name) : m_name(std::move(name)) {
    registry.add({m_name, value_kind<T>()});
  }
  const std::string& name() const { return m_name; }

 private:
  std::string m_name;
};

}  // namespace sft
