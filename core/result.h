#pragma once
// Errors are values: every fallible function returns Result<T>. An Error carries a
// kind (what the caller may do about it) and one line for the admin: "context: detail".

#include <expected>
#include <string>

namespace sft {

enum class Errc {
  generic,         // failed; retrying or moving elsewhere may help
  invalid_argument,// a value is wrong here (OCF: invalid parameter, local)
  unimplemented,   // the action or feature does not exist
  permission,      // not allowed to do it
  not_installed,   // a tool, module or device this node needs is missing
  configuration,   // the configuration is wrong everywhere
  not_running,     // the resource is cleanly stopped
  timeout,         // the deadline passed
  busy,            // something holds a resource we must release
};

struct Error {
  Errc code = Errc::generic;
  std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

// fail(Errc::configuration, "directory: must be absolute")
inline std::unexpected<Error> fail(Errc code, std::string message) {
  return std::unexpected(Error{code, std::move(message)});
}

// "context: strerror(err)", kind derived from errno (EACCES/EPERM -> permission,
// ENOENT -> not_installed is NOT assumed: callers choose), else generic.
std::unexpected<Error> errno_fail(std::string context, int err);

// Prefixes the message with "context: ", keeping the kind.
Error with_context(Error e, std::string_view context);

}  // namespace sft
