#include "core/ocf/context.h"

#include "core/sys/programs.h"
#include "core/values.h"

namespace sft::ocf {

Context::Context(const Params& p, sys::System& system, sys::Deadline d, const Environment& e, std::string a)
    : params(p), os(system), deadline(d), env(e), action(std::move(a)), interval(0) {
  instance = lookup(env, "OCF_RESOURCE_INSTANCE").value_or("");
  if (auto v = lookup(env, "OCF_RESKEY_CRM_meta_interval")) {
    if (auto ms = parse_integer(*v)) interval = std::chrono::milliseconds(*ms);
  }
  if (auto v = lookup(env, "OCF_CHECK_LEVEL")) check_level = static_cast<int>(parse_integer(*v).value_or(0));
}

Result<std::string> Context::find_program(std::string_view name) const {
  return sys::find_program(os, name, lookup(env, "PATH").value_or(""));
}

Result<sys::ProcessResult> Context::run_program(std::vector<std::string> argv, const sys::Deadline& d) const {
  return sys::run_program(os, std::move(argv), lookup(env, "PATH").value_or(""), d);
}

Result<std::string> Context::run_checked(std::vector<std::string> argv, const sys::Deadline& d,
                                         std::vector<std::string> shown) const {
  return sys::run_checked(os, std::move(argv), lookup(env, "PATH").value_or(""), d, std::move(shown));
}

std::optional<std::string> Context::variable(std::string_view name) const { return lookup(env, name); }

std::optional<std::string> Context::meta(std::string_view name) const {
  return lookup(env, "OCF_RESKEY_CRM_meta_" + std::string(name));
}

}  // namespace sft::ocf
